"""Webhooks delivered to a real local receiver: payload fields, digests for each algorithm,
Sumsub's retry schedule."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from starlette.testclient import TestClient

from simulator.app import create_app
from simulator.providers.sumsub import constants as c
from tests.providers.sumsub.conftest import Flow, Signed, sumsub_settings
from tests.providers.sumsub.support import assert_valid

HASHES = {"HMAC_SHA1_HEX": hashlib.sha1, "HMAC_SHA256_HEX": hashlib.sha256, "HMAC_SHA512_HEX": hashlib.sha512}


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the simulator posts a burst of events at once; the default backlog is 5


class Receiver:
    """A real HTTP endpoint on localhost that records what it gets and answers ``status``."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.received.append(({k: v for k, v in self.headers.items()}, body))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def bodies(self) -> list[dict]:
        return [json.loads(body) for _, body in self.received]


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


@pytest.mark.parametrize("alg", list(HASHES))
def test_each_algorithm_signs_the_raw_body_with_the_webhook_secret(raw, api, flow, receiver, alg):
    added = raw.post(
        "/_sim/sumsub/webhooks", json={"url": receiver.url, "secret": "whsec-1", "alg": alg, "allTenants": True}
    )
    assert added.status_code == 201
    applicant = flow.played_applicant()
    flow.advance(60)
    # Sumsub does not guarantee delivery order; createdAtMs tells the story.
    bodies = sorted(receiver.bodies(), key=lambda b: b["createdAtMs"])
    assert [b["type"] for b in bodies] == [
        "applicantCreated",
        "applicantPending",
        "applicantPrechecked",
        "applicantReviewed",
    ]
    for headers, body in receiver.received:
        assert headers["X-Payload-Digest-Alg"] == alg
        expected = hmac.new(b"whsec-1", body, HASHES[alg]).hexdigest()
        assert hmac.compare_digest(headers["X-Payload-Digest"], expected)
        assert headers["Content-Type"] == "application/json"
    reviewed = bodies[-1]
    assert_valid("webhook", reviewed)
    assert reviewed["applicantId"] == applicant["id"] and reviewed["inspectionId"] == applicant["inspectionId"]
    assert reviewed["reviewResult"] == {"reviewAnswer": "GREEN"} and reviewed["sandboxMode"] is True
    assert reviewed["createdAtMs"] == "2025-01-01 00:00:50.000" and reviewed["reviewStatus"] == "completed"
    assert reviewed["externalUserId"] == applicant["externalUserId"] and reviewed["levelName"] == "basic-kyc-level"
    assert "reviewResult" not in bodies[1]


def test_action_webhooks_carry_the_action_ids(raw, flow, receiver):
    raw.post(
        "/_sim/sumsub/webhooks",
        json={"url": receiver.url, "secret": "s", "events": list(c.ACTION_WEBHOOKS), "allTenants": True},
    )
    applicant = flow.applicant()
    action = flow.played_action(applicant, "action-liveness-failed", externalActionId="ext-act")
    flow.advance(60)
    bodies = sorted(receiver.bodies(), key=lambda b: b["createdAtMs"])
    assert [b["type"] for b in bodies] == ["applicantActionPending", "applicantActionReviewed"]
    for body in bodies:
        assert_valid("webhook", body)
        assert body["applicantActionId"] == action["id"] and body["externalApplicantActionId"] == "ext-act"
        assert "externalActionId" not in body
    assert bodies[1]["reviewResult"]["rejectLabels"] == ["FRAUDULENT_LIVENESS"]


def test_the_endpoint_from_settings_and_the_retry_schedule(receiver):
    settings = sumsub_settings(
        sumsub_webhook_url=receiver.url, sumsub_webhook_secret="from-settings", sumsub_webhook_alg="HMAC_SHA512_HEX"
    )
    receiver.status = 500
    with TestClient(create_app(settings)) as client:
        flow = Flow(Signed(client))
        flow.applicant("applicant-pending")
        flow.advance(0)
        assert len(receiver.received) == 1
        assert receiver.received[0][0]["X-Payload-Digest-Alg"] == "HMAC_SHA512_HEX"
        expected_gaps = [300, 3600, 5 * 3600, 18 * 3600]
        created = [a for a in client.app.state.sim.dispatcher.attempts() if a.event_type == "applicantCreated"]
        assert created[0].next_retry_at == "2025-01-01T00:05:00Z"
        for gap in expected_gaps:
            before = len([b for b in receiver.bodies() if b["type"] == "applicantCreated"])
            flow.advance(gap - 1)
            assert len([b for b in receiver.bodies() if b["type"] == "applicantCreated"]) == before
            flow.advance(1)
            assert len([b for b in receiver.bodies() if b["type"] == "applicantCreated"]) == before + 1
        flow.advance(7 * 86400)
        assert len([b for b in receiver.bodies() if b["type"] == "applicantCreated"]) == 5  # 1 + 4 retries
        profile = client.app.state.sim.dispatcher.profiles["sumsub"]
        assert profile.timeout == 5.0 and profile.retry_schedule == (300.0, 3600.0, 18000.0, 64800.0)


def test_every_notice_webhook_of_the_event_scenarios(raw, flow, receiver, sim):
    raw.post("/_sim/sumsub/webhooks", json={"url": receiver.url, "secret": "s", "allTenants": True})
    flow.played_applicant("applicant-profile-events")
    flow.played_applicant("applicant-deactivated")
    flow.advance(3 * 3600)
    types = {b["type"] for b in receiver.bodies()}
    assert set(c.NOTICE_WEBHOOKS) <= types
    level_changed = next(b for b in receiver.bodies() if b["type"] == "applicantLevelChanged")
    assert (
        level_changed["previousLevelName"] == "basic-kyc-level" and level_changed["levelName"] == "enhanced-kyc-level"
    )
    for body in receiver.bodies():
        assert_valid("webhook", body)


def test_the_control_api_refuses_a_bad_webhook(raw):
    assert raw.post("/_sim/sumsub/webhooks", json={"url": "ftp://x"}).status_code == 400
    assert raw.post("/_sim/sumsub/webhooks", json={"url": "http://x", "alg": "MD5"}).status_code == 400
    assert raw.get("/_sim/sumsub/webhooks").json()["count"] == 0


def test_a_production_token_sends_sandbox_mode_false(raw, flow, receiver):
    from tests.providers.sumsub.support import SumsubAuth

    token, secret = "prd:ProdPublic01.ProdPrivate01", "prod-secret"
    raw.post("/_sim/sumsub/app-tokens", json={"appToken": token, "secretKey": secret})
    raw.post("/_sim/sumsub/webhooks", json={"url": receiver.url, "secret": "s", "appToken": token})
    flow.applicant()  # the default tenant: not sent to this endpoint
    raw.post("/resources/applicants?levelName=l", json={"externalUserId": "p"}, auth=SumsubAuth(token, secret))
    flow.advance(0)
    assert [(b["type"], b["sandboxMode"]) for b in receiver.bodies()] == [("applicantCreated", False)]


def test_the_generic_endpoint_api_works_for_sumsub_too(raw, flow, receiver):
    body = {
        "provider": "sumsub",
        "url": receiver.url,
        "secret": "g",
        "options": {"alg": "HMAC_SHA1_HEX"},
        "all_tenants": True,
    }
    assert raw.post("/_sim/webhooks/endpoints", json=body).status_code == 201
    flow.applicant()
    flow.advance(0)
    (headers, payload), *_ = receiver.received
    assert headers["X-Payload-Digest-Alg"] == "HMAC_SHA1_HEX"
    assert headers["X-Payload-Digest"] == hmac.new(b"g", payload, hashlib.sha1).hexdigest()


def test_an_unknown_alg_on_a_generic_endpoint_signs_with_the_default(raw, flow, receiver):
    body = {"provider": "sumsub", "url": receiver.url, "secret": "g", "options": {"alg": "MD5"}, "all_tenants": True}
    raw.post("/_sim/webhooks/endpoints", json=body)
    flow.applicant()
    flow.advance(0)
    assert receiver.received[0][0]["X-Payload-Digest-Alg"] == "HMAC_SHA256_HEX"


def test_a_reset_forgets_webhooks_added_through_the_sumsub_control_call(raw):
    added = raw.post("/_sim/sumsub/webhooks", json={"url": "http://127.0.0.1:9/hooks", "allTenants": True})
    assert added.status_code == 201 and raw.get("/_sim/sumsub/webhooks").json()["count"] == 1
    assert raw.post("/_sim/reset", json={}).status_code == 200
    assert raw.get("/_sim/sumsub/webhooks").json()["count"] == 0  # added at run time: not configuration
