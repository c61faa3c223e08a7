"""The SQLite store across crashes: `kill -9` mid-load, restarts with the same seed, a second process.

These run the real server in a subprocess on a SQLite file, with a real webhook receiver, and
assert invariants that hold wherever the kill lands: every acknowledged write is still there
and unchanged, every verification finishes, every event reaches the receiver at least once.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.providers.sumsub.support import SumsubAuth
from tests.webhook_support.receiver import Receiver

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")

KEY = "sk_sbox_durability_durability_durab"
AUTH = {"Authorization": f"Bearer {KEY}"}
SEED = "7"
EXPECTED_EVENTS = {  # what idv-approved (the default scenario) sends for each verification
    "identity_verification_created",
    "identity_verification_opened",
    "identity_verification_started",
    "identity_verification_capture_completed",
    "identity_verification_checks_completed",
    "identity_verification_report_created",
}
TIMEOUT = 30.0
CYCLES, FLOWS_PER_CYCLE = 5, 25


def wait_until(condition, what: str, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


class Server:
    """``kycsim serve`` on the SQLite file, at instant speed, sending Checkout.com events to the receiver."""

    def __init__(self, tmp_path: Path, receiver_url: str, name: str) -> None:
        tmp_path.mkdir(exist_ok=True)
        self.output = tmp_path / f"{name}.log"
        env = {
            **os.environ,
            "KYCSIM_CHECKOUT_WEBHOOK_URL": receiver_url,
            "KYCSIM_CACHE_DIR": str(tmp_path / "cache"),
        }
        with self.output.open("w") as out:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "simulator",
                    "serve",
                    "--port",
                    "0",
                    "--seed",
                    SEED,
                    "--speed",
                    "instant",
                    "--store",
                    f"sqlite:///{tmp_path / 'kycsim.db'}",
                    "--log-level",
                    "warning",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )
        self.url = ""

    def started(self) -> Server:
        def listening() -> str | None:
            if self.proc.poll() is not None:
                raise AssertionError(f"kycsim exited {self.proc.returncode}: {self.output.read_text()}")
            match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", self.output.read_text())
            return match.group(1) if match else None

        try:
            self.url = wait_until(listening, "kycsim to start")
            wait_until(lambda: self._healthy(), "/_sim/health")
        except BaseException:
            self.kill()
            raise
        return self

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def _healthy(self) -> bool:
        try:
            return httpx.get(f"{self.url}/_sim/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False


class Load:
    """Threads playing whole flows (applicant, verification, attempt); records what was acknowledged."""

    def __init__(self, url: str, acked: dict[str, dict], threads: int = 4) -> None:
        self.url = url
        self.acked = acked  # id -> body of every 2xx create, across all cycles
        self.flows = 0
        self.errors: list[BaseException] = []
        self._cond = threading.Condition()
        self._threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)]

    def start(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def wait_for_flows(self, count: int) -> None:
        with self._cond:
            assert self._cond.wait_for(lambda: self.flows >= count or self.errors, TIMEOUT), "the load stalled"
        self._raise()

    def join(self) -> None:
        for thread in self._threads:
            thread.join(TIMEOUT)
            assert not thread.is_alive()
        self._raise()

    def _raise(self) -> None:
        if self.errors:
            raise self.errors[0]

    def _ack(self, response: httpx.Response, kind: str, **extra) -> dict:
        assert response.status_code in (200, 201), response.text
        body = response.json()
        with self._cond:
            assert body["id"] not in self.acked, f"id {body['id']} was handed out twice"
            self.acked[body["id"]] = {"kind": kind, "body": body, **extra}
        return body

    def _run(self, number: int) -> None:
        try:
            self._play(number)
        except BaseException as exc:  # an assertion in a thread fails the test, with its message
            with self._cond:
                self.errors.append(exc)
                self._cond.notify_all()

    def _play(self, number: int) -> None:
        with httpx.Client(base_url=self.url, headers=AUTH, timeout=10) as client:
            n = 0
            while True:
                n += 1
                try:
                    email = f"flow{number}.{n}.{time.monotonic_ns()}@example.com"
                    applicant = self._ack(client.post("/applicants", json={"email": email}), "applicant")
                    idv = self._ack(
                        client.post(
                            "/identity-verifications",
                            json={"applicant_id": applicant["id"], "declared_data": {"name": "Dura Bility"}},
                        ),
                        "idv",
                    )
                    attempt = client.post(
                        f"/identity-verifications/{idv['id']}/attempts",
                        json={"redirect_url": "https://example.com/back"},
                    )
                    self._ack(attempt, "attempt", idv=idv["id"])
                except httpx.HTTPError:  # the server was killed under us
                    return
                with self._cond:
                    self.flows += 1
                    self._cond.notify_all()


def settled(client: httpx.Client) -> bool:
    runs = client.get("/_sim/runs", params={"tenant": KEY}).json()["data"]
    deliveries = client.get("/_sim/webhooks/deliveries", params={"tenant": KEY}).json()["data"]
    return all(r["status"] == "finished" for r in runs) and all(d["state"] == "delivered" for d in deliveries)


def check_acknowledged_writes(client: httpx.Client, acked: dict[str, dict]) -> None:
    """Every acknowledged write is there, unchanged where it cannot change; no verification is stuck."""
    for ident, record in acked.items():
        body = record["body"]
        if record["kind"] == "applicant":
            now = client.get(f"/applicants/{ident}").json()
            assert (now["email"], now["created_on"]) == (body["email"], body["created_on"]), ident
        elif record["kind"] == "idv":
            now = client.get(f"/identity-verifications/{ident}").json()
            assert (now["applicant_id"], now["created_on"]) == (body["applicant_id"], body["created_on"]), ident
            # Finished, or never given an attempt to play (its creation was not acknowledged).
            attempts = client.get(f"/identity-verifications/{ident}/attempts").json()["data"]
            assert (now["status"], bool(attempts)) in (("approved", True), ("created", False)), now
        else:
            now = client.get(f"/identity-verifications/{record['idv']}/attempts/{ident}").json()
            assert (now["created_on"], now["status"]) == (body["created_on"], "completed"), ident


def check_webhooks(client: httpx.Client, receiver: Receiver, played: list[str]) -> None:
    """Every event kycsim holds reached the receiver, and every played verification sent its whole story."""
    received = [json.loads(body) for body in receiver.bodies()]
    published = client.get("/_sim/webhooks/events", params={"tenant": KEY}).json()["data"]
    assert {e["id"] for e in published} <= {e["id"] for e in received}
    story: dict[str, set[str]] = {}
    for event in received:
        story.setdefault(event["data"]["identity_verification_id"], set()).add(event["type"])
    for idv in played:
        assert story.get(idv, set()) >= EXPECTED_EVENTS, idv


def test_kill_9_mid_load_loses_no_acknowledged_write_no_run_and_no_webhook(tmp_path):
    acked: dict[str, dict] = {}
    with Receiver() as receiver:
        for cycle in range(CYCLES):
            server = Server(tmp_path, receiver.url, f"cycle{cycle}").started()
            try:
                load = Load(server.url, acked).start()
                load.wait_for_flows(FLOWS_PER_CYCLE)
            finally:
                server.kill()  # while the threads are mid-request and webhooks mid-flight
            load.join()

        server = Server(tmp_path, receiver.url, "final").started()
        try:
            with httpx.Client(base_url=server.url, headers=AUTH, timeout=10) as client:
                wait_until(lambda: settled(client), "every run to finish and every delivery to be delivered")
                check_acknowledged_writes(client, acked)
                played = [r["idv"] for r in acked.values() if r["kind"] == "attempt"]
                assert len(played) >= CYCLES * FLOWS_PER_CYCLE
                check_webhooks(client, receiver, played)
        finally:
            server.kill()


def test_a_restart_with_the_same_seed_overwrites_nothing(tmp_path):
    with Receiver() as receiver:
        first = Server(tmp_path, receiver.url, "first").started()
        try:
            with httpx.Client(base_url=first.url, headers=AUTH, timeout=10) as client:
                before = [client.post("/applicants", json={"email": f"a{n}@example.com"}).json() for n in range(3)]
        finally:
            first.kill()
        second = Server(tmp_path, receiver.url, "second").started()
        try:
            with httpx.Client(base_url=second.url, headers=AUTH, timeout=10) as client:
                after = [client.post("/applicants", json={"email": f"b{n}@example.com"}).json() for n in range(3)]
                assert not {a["id"] for a in before} & {a["id"] for a in after}
                for applicant in before:
                    now = client.get(f"/applicants/{applicant['id']}").json()
                    assert without_links(now) == without_links(applicant)
        finally:
            second.kill()
        # The same seed on a fresh file still gives the same ids.
        fresh = Server(tmp_path / "fresh", receiver.url, "fresh").started()
        try:
            with httpx.Client(base_url=fresh.url, headers=AUTH, timeout=10) as client:
                again = [client.post("/applicants", json={"email": f"a{n}@example.com"}).json() for n in range(3)]
            assert [a["id"] for a in again] == [a["id"] for a in before]
        finally:
            fresh.kill()


def without_links(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "_links"}  # links carry the port, new at each start


def test_a_second_process_on_the_same_file_is_refused(tmp_path):
    with Receiver() as receiver:
        first = Server(tmp_path, receiver.url, "first").started()
        second = None
        try:
            second = Server(tmp_path, receiver.url, "second")
            assert second.proc.wait(TIMEOUT) == 2
            message = second.output.read_text()
            assert f"in use by kycsim process {first.proc.pid}" in message, message
            assert "one kycsim process per SQLite file" in message
            assert httpx.get(f"{first.url}/_sim/health").status_code == 200  # the first one carries on
        finally:
            first.kill()
            if second is not None:
                second.kill()


def test_the_control_planes_changes_outlive_a_kill_9(tmp_path):
    """The clock, the bindings and the API's endpoints are acknowledged writes too: each answer waits
    for its transaction, so a kill right after it loses nothing, and ids go on from where they were."""
    other = "sk_sbox_durability_someone_else_xx"
    with Receiver() as receiver:
        first = Server(tmp_path, receiver.url, "first").started()
        try:
            with httpx.Client(base_url=first.url, timeout=10) as control:
                clock = control.post("/_sim/clock/advance", json={"seconds": 3600, "tenant": other}).json()
                binding = control.post("/_sim/bindings", json={"scenario": "idv-approved", "times": 2}).json()
                hook = {"provider": "checkout", "url": f"{receiver.url}/api", "secret": "s", "tenant": other}
                endpoint = control.post("/_sim/webhooks/endpoints", json=hook).json()
                pair = {"appToken": "sbx:durability.registered", "secretKey": "registered-secret"}
                assert control.post("/_sim/sumsub/app-tokens", json=pair).status_code == 201
        finally:
            first.kill()  # at once: nothing after the answers

        second = Server(tmp_path, receiver.url, "second").started()
        try:
            with httpx.Client(base_url=second.url, timeout=10) as control:
                assert control.get("/_sim/clock", params={"tenant": other}).json()["now"] == clock["now"]
                assert control.get("/_sim/bindings").json()["data"] == [binding]
                endpoints = control.get("/_sim/webhooks/endpoints").json()["data"]
                assert endpoint in endpoints, endpoints
                assert control.post("/_sim/bindings", json={"scenario": "idv-approved"}).json()["id"] != binding["id"]
                signed = SumsubAuth(pair["appToken"], pair["secretKey"])
                assert (
                    control.get("/resources/applicants/0123456789abcdef01234567/one", auth=signed).status_code == 404
                ), "not 401"
                hook["url"] = f"{receiver.url}/another"
                assert control.post("/_sim/webhooks/endpoints", json=hook).json()["id"] not in {
                    e["id"] for e in endpoints
                }
        finally:
            second.kill()
