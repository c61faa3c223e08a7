"""Signed webhooks delivered to a real local receiver, verified the way a merchant verifies them."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from simulator.providers.checkout import constants as c
from simulator.providers.checkout.schemas import response_errors

SIGNATURE_KEY = "whsec_kycsim_test_signature_key"


class Receiver:
    """A merchant endpoint on 127.0.0.1: verifies Cko-Signature over the raw body, then acks."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.failures_left = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                expected = hmac.new(SIGNATURE_KEY.encode(), raw, hashlib.sha256).hexdigest()
                valid = hmac.compare_digest(expected, self.headers.get("Cko-Signature", ""))
                receiver.received.append(
                    {"headers": dict(self.headers), "body": json.loads(raw), "signature_valid": valid}
                )
                if receiver.failures_left > 0:
                    receiver.failures_left -= 1
                    self.send_response(500)
                else:
                    self.send_response(200 if valid else 401)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks/checkout"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def types(self) -> list[str]:
        """Event types in the order they happened (delivery order is not guaranteed, as at Checkout.com)."""
        return [r["body"]["type"] for r in sorted(self.received, key=lambda r: r["body"]["created_on"])]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.close()


@pytest.fixture
def hooked(make_api, receiver):
    return make_api(
        checkout_webhook_url=receiver.url,
        checkout_webhook_secret=SIGNATURE_KEY,
        checkout_webhook_authorization="Bearer static-merchant-token",
    )


def test_every_event_is_signed_and_in_the_1_2_0_envelope(hooked, receiver):
    applicant = hooked.applicant(external_applicant_id="eaplt_10000000000000000000000000")
    idv = hooked.idv(applicant["id"])
    hooked.attempt(idv["id"])
    hooked.advance(200)
    assert receiver.types() == [
        "identity_verification_created",
        "identity_verification_opened",
        "identity_verification_started",
        "identity_verification_capture_completed",
        "identity_verification_checks_completed",
        "identity_verification_report_created",
    ]
    for delivery in receiver.received:
        assert delivery["signature_valid"]
        assert delivery["headers"]["Authorization"] == "Bearer static-merchant-token"
        assert delivery["headers"]["Content-Type"] == "application/json"
        assert not response_errors("webhook_event", delivery["body"])
    completed = next(r["body"] for r in receiver.received if r["body"]["type"].endswith("checks_completed"))
    assert completed["version"] == "1.2.0"
    assert completed["data"] == {
        "applicant_id": applicant["id"],
        "external_applicant_id": "eaplt_10000000000000000000000000",
        "status": "approved",
        "identity_verification_id": idv["id"],
        "response_codes": [{"code": 10000, "summary": "approved"}],
        "user_journey_id": idv["user_journey_id"],
    }
    assert list(completed["data"]) == [
        "applicant_id",
        "external_applicant_id",
        "status",
        "identity_verification_id",
        "response_codes",
        "user_journey_id",
    ]
    assert completed["_links"]["self"]["href"] == f"http://testserver/workflows/events/{completed['id']}"
    assert completed["created_on"] == "2025-01-01T00:01:40.000000Z"  # fractional seconds, as published


def test_event_times_have_fractional_seconds_like_the_published_examples(hooked, receiver):
    hooked.advance(0.588067)  # the clock off a whole second, as a real one is
    hooked.idv()
    hooked.advance(0)
    assert receiver.received[0]["body"]["created_on"] == "2025-01-01T00:00:00.588067Z"


def test_event_link_serves_the_event(hooked, receiver):
    hooked.idv()
    hooked.advance(0)
    event = receiver.received[0]["body"]
    assert hooked.call("GET", f"/workflows/events/{event['id']}") == event


def test_external_applicant_id_is_omitted_when_unset(hooked, receiver):
    hooked.idv()
    hooked.advance(0)
    assert "external_applicant_id" not in receiver.received[0]["body"]["data"]


def test_a_tampered_body_fails_verification():
    from simulator.providers.checkout.webhooks import signature

    def verify(body: bytes, header: str, key: str) -> bool:  # what a merchant's receiver does
        return hmac.compare_digest(signature(body, key), header)

    body = b'{"id":"evt_x","type":"identity_verification_created"}'
    header = signature(body, SIGNATURE_KEY)
    assert verify(body, header, SIGNATURE_KEY)
    assert not verify(body.replace(b"created", b"opened"), header, SIGNATURE_KEY)
    assert not verify(body, header, "another key")


def test_failed_deliveries_are_retried_on_checkout_schedule(hooked, receiver):
    receiver.failures_left = 3
    idv = hooked.idv()
    hooked.advance(0)
    assert len(receiver.received) == 1
    hooked.advance(5 * 60 - 1)
    assert len(receiver.received) == 1
    hooked.advance(1)
    assert len(receiver.received) == 2
    hooked.advance(10 * 60)
    assert len(receiver.received) == 3
    hooked.advance(15 * 60)
    assert len(receiver.received) == 4  # the fourth attempt is acknowledged: no more retries
    hooked.advance(86400)
    assert len(receiver.received) == 4
    assert {r["body"]["id"] for r in receiver.received} == {receiver.received[0]["body"]["id"]}
    attempts = [a for a in hooked.sim.dispatcher.attempts() if a.event_type == "identity_verification_created"]
    assert [a.at for a in attempts] == [
        "2025-01-01T00:00:00Z",
        "2025-01-01T00:05:00Z",
        "2025-01-01T00:15:00Z",
        "2025-01-01T00:30:00Z",
    ]
    assert attempts[-1].status_code == 200
    assert idv["id"]


def test_retry_schedule_is_checkouts():
    from simulator.providers.checkout.webhooks import CheckoutWebhookProfile

    assert CheckoutWebhookProfile().retry_schedule == (300, 600, 900, 1800, 3600, 14400, 43200, 43200)
    assert CheckoutWebhookProfile().retry_schedule == c.WEBHOOK_RETRY_SCHEDULE


def test_no_signature_without_a_key(make_api, receiver):
    api = make_api(checkout_webhook_url=receiver.url)
    api.idv()
    api.advance(0)
    assert "Cko-Signature" not in receiver.received[0]["headers"]
    assert "Authorization" not in receiver.received[0]["headers"]


def test_a_scenarios_webhook_chaos_applies_to_its_events(make_api, receiver, tmp_path):
    (tmp_path / "idv-approved-twice.yaml").write_text(
        "name: idv-approved-twice\nprovider: checkout\nproduct: identity_verification\n"
        "description: Approved; every webhook arrives twice.\nwebhooks:\n  chaos:\n    duplicate: 1\n"
        "steps:\n  - {do: open_link, after: 10s}\n"
    )
    api = make_api(scenarios=[str(tmp_path)], checkout_webhook_url=receiver.url, checkout_webhook_secret=SIGNATURE_KEY)
    idv = api.idv(scenario="idv-approved-twice")
    api.attempt(idv["id"])
    api.advance(60)
    types = receiver.types()
    assert types.count("identity_verification_started") == 2
    assert types.count("identity_verification_created") == 2
    assert all(r["signature_valid"] for r in receiver.received)
