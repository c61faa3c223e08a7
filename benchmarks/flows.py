"""Benchmark: the flow mix with a webhook receiver attached, on the memory and the SQLite store.

Each virtual user plays whole Checkout.com flows on its own keep-alive connection: create an
applicant, create an identity verification, create its attempt, then poll the verification three
times (six requests per flow, so requests/s compare between runs). kycsim runs at ``--speed
instant`` (every scenario step and webhook fires as soon as it can, so each flow sends its six
events at once), with one webhook endpoint pointing at a receiver in its own process.

    python benchmarks/flows.py [--seconds 20] [--users 32] [--stores memory,sqlite] [--log-level info]

Printed for each run: requests/s, latency percentiles, events/s delivered, events still queued
10 s after the load stops, flows finished per quarter of the run,
kycsim's RSS and its CPU time per request. The SQLite run keeps every finished check
(``KYCSIM_KEEP_FINISHED=0``), so its file grows all along: the quarters show whether it slows down.
The baseline, in the same run: the same mix on the memory store with no webhook endpoint at all.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    KEY,
    Connection,
    Receiver,
    Tally,
    cpu_seconds,
    exit_on_sigterm,
    load_conditions,
    rss_mb,
    start_kycsim,
    stop,
)

POLLS = 3
EVENTS_PER_FLOW = 6  # idv-approved: created, opened, started, capture_completed, checks_completed, report_created
DRAIN_SECONDS = 10.0
WARM_UP_SECONDS = 2.0


async def user(url: str, stop_at: float, tally: Tally, finished: list[float], number: int) -> None:
    conn = Connection(url, {"Authorization": f"Bearer {KEY}"})

    async def call(method: str, path: str, body: dict | None = None) -> dict | None:
        sent = time.perf_counter()
        try:
            status, data = await conn.request(method, path, body)
        except (OSError, asyncio.IncompleteReadError):
            tally.errors += 1
            conn.close()
            return None
        tally.add(time.perf_counter() - sent, status)
        return json.loads(data) if status < 300 else None

    n = 0
    try:
        while time.perf_counter() < stop_at:
            n += 1
            applicant = await call("POST", "/applicants", {"email": f"u{number}.{n}@example.com"})
            if applicant is None:
                continue
            body = {"applicant_id": applicant["id"], "declared_data": {"name": "Bench Mark"}}
            idv = await call("POST", "/identity-verifications", body)
            if idv is None:
                continue
            attempt = await call(
                "POST", f"/identity-verifications/{idv['id']}/attempts", {"redirect_url": "https://example.com/r"}
            )
            if attempt is None:
                continue
            for _ in range(POLLS):  # a client polls the verification a few times
                if await call("GET", f"/identity-verifications/{idv['id']}") is None:
                    break
            finished.append(time.perf_counter())
    finally:
        conn.close()


def undelivered(url: str) -> int:
    rows = httpx.get(f"{url}/_sim/webhooks/deliveries", params={"tenant": KEY}, timeout=30).json()["data"]
    return sum(1 for d in rows if d["state"] in ("held", "queued", "pending"))


def play(url: str, seconds: float, users: int, tally: Tally, finished: list[float]) -> None:
    stop_at = time.perf_counter() + seconds

    async def everyone() -> None:
        await asyncio.gather(*(user(url, stop_at, tally, finished, n) for n in range(users)))

    asyncio.run(everyone())


def run_mix(
    label: str, flags: list[str], seconds: float, users: int, attach: bool, log_level: str, db: Path | None = None
) -> dict:
    receiver = Receiver() if attach else None
    env = {"KYCSIM_CHECKOUT_WEBHOOK_URL": receiver.url} if receiver else {}
    if db is not None:
        flags = [*flags, "--store", f"sqlite:///{db}"]
        env["KYCSIM_KEEP_FINISHED"] = "0"  # keep everything: the file grows all along the run
    log = Path(tempfile.mkdtemp()) / "console.log"
    proc, url, _ = start_kycsim(
        "--seed", "1", "--speed", "instant", "--log-level", log_level, *flags, env=env, log_to=log
    )
    tally, finished = Tally(), []
    try:
        play(url, WARM_UP_SECONDS, users, Tally(), [])  # first calls load Faker, schemas, ...: not measured
        while receiver is not None and undelivered(url):
            time.sleep(0.1)
        before = receiver.stats() if receiver else None
        cpu_before = cpu_seconds(proc.pid)
        started = time.perf_counter()
        play(url, seconds, users, tally, finished)
        cpu = cpu_seconds(proc.pid) - cpu_before
        elapsed = time.perf_counter() - started
        load_rss = rss_mb(proc.pid)
        result = {"label": label, **tally.summary(elapsed), "flows": len(finished), "rss_mb": load_rss}
        result["cpu_us_per_request"] = cpu / max(len(tally.latencies), 1) * 1e6
        quarter = seconds / 4
        result["flows_per_quarter"] = [0, 0, 0, 0]
        for moment in finished:
            result["flows_per_quarter"][min(int((moment - started) / quarter), 3)] += 1
        if receiver is not None:
            during = receiver.stats()
            result["events_during_load"] = during["distinct"] - before["distinct"]
            result["events_per_s"] = result["events_during_load"] / elapsed
            deadline = time.perf_counter() + DRAIN_SECONDS
            while (left := undelivered(url)) and time.perf_counter() < deadline:
                time.sleep(0.2)
            after = receiver.stats()
            result["queued_after_10s"] = left
            result["events_delivered"] = after["distinct"] - before["distinct"]
            result["events_expected_at_least"] = len(finished) * EVENTS_PER_FLOW
        if db is not None:
            result["file_mb"] = sum(f.stat().st_size for f in db.parent.glob(db.name + "*")) / 2**20
    finally:
        stop(proc)
        if receiver is not None:
            receiver.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each run")
    parser.add_argument("--users", type=int, default=32, help="concurrent virtual users (connections)")
    parser.add_argument("--stores", default="memory,sqlite")
    parser.add_argument("--log-level", default="info", help="kycsim's console level (its console goes to a file)")
    args = parser.parse_args()
    exit_on_sigterm()
    print(f"machine: {load_conditions()}")
    print(f"load: {args.users} users, {args.seconds:.0f}s per run, flows of 3 creates + {POLLS} polls, --speed instant")
    results = [run_mix("memory, no endpoint (baseline)", [], args.seconds, args.users, False, args.log_level)]
    for store in args.stores.split(","):
        db = None if store == "memory" else Path(tempfile.mkdtemp()) / "bench.db"
        results.append(run_mix(f"{store}, receiver attached", [], args.seconds, args.users, True, args.log_level, db))

    columns = ("req/s", 8), ("p50 ms", 8), ("p99 ms", 8), ("max ms", 8), ("flows", 7), ("events/s", 9), ("queued", 7)
    print("\n" + " " * 34 + "".join(f"{name:>{width}}" for name, width in columns) + f"{'RSS MB':>8}{'CPU us/req':>11}")
    for r in results:
        events = f"{r['events_per_s']:>9.0f}" if "events_per_s" in r else f"{'-':>9}"
        queued = f"{r['queued_after_10s']:>7}" if "queued_after_10s" in r else f"{'-':>7}"
        print(
            f"{r['label']:34}{r['rps']:>8.0f}{r['p50_ms']:>8.1f}{r['p99_ms']:>8.1f}{r['max_ms']:>8.0f}"
            f"{r['flows']:>7}{events}{queued}{r['rss_mb']:>8.0f}{r['cpu_us_per_request']:>11.0f}"
        )
    base = results[0]["rps"]
    print(f"{results[0]['label']}: flows per quarter {results[0]['flows_per_quarter']}")
    for r in results[1:]:
        print(
            f"{r['label']}: {r['rps'] / base:.2f}x the baseline's requests/s; flows per quarter "
            f"{r['flows_per_quarter']}; events delivered {r['events_delivered']} "
            f"(at least {r['events_expected_at_least']} expected), {r['queued_after_10s']} still queued "
            f"{DRAIN_SECONDS:.0f}s after the load"
        )
        if "file_mb" in r:
            print(f"  the SQLite file (retention off: everything kept) grew to {r['file_mb']:.0f} MB during the run")
        if r["errors"] or set(r["statuses"]) - {200, 201}:
            print(f"  errors {r['errors']}, statuses {r['statuses']}")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
