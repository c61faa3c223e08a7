"""Webhook retries at a real speed factor follow the provider's schedule, counted from when the
failed attempt *started* (a slow receiver does not push the retries back).

Everything here is public behaviour: a real kycsim server with the Checkout.com provider at
``--speed 0.01`` (one real second is 100 virtual seconds), a real receiver that takes three real
seconds (300 virtual) to answer the first attempt with a 500, and the delivery log of
``GET /_sim/webhooks``. The manual clock cannot show this: there an attempt takes no time.
"""

from __future__ import annotations

from datetime import datetime

import httpx

from simulator.server import ThreadedServer
from simulator.settings import Settings
from tests.webhook_support.receiver import Receiver

# Checkout.com resends a failed webhook after 5 min, 10 min, 15 min, 30 min, 1 h, 4 h, 12 h and 12 h
# (fact sheet section 6.3, "Receive webhooks").
DOCUMENTED_RETRIES = (300, 600, 900, 1800, 3600, 4 * 3600, 12 * 3600, 12 * 3600)
SPEED = 0.01
SLOW_ANSWER = 3.0  # real seconds the receiver takes over the first attempt: 300 virtual seconds


def virtual(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def test_a_retry_is_due_a_schedule_step_after_the_failed_attempt_started():
    settings = Settings(seed=3, speed=str(SPEED), applicant="interactive", start_time="2025-01-01T00:00:00Z")
    with ThreadedServer(settings) as server, Receiver() as receiver:
        receiver.statuses.extend([500, 500])
        receiver.delays.append(SLOW_ANSWER)
        added = httpx.post(
            f"{server.url}/_sim/webhooks/endpoints",
            json={"provider": "checkout", "url": receiver.url, "all_tenants": True},
        )
        assert added.status_code == 201, added.text
        key = {"Authorization": "Bearer sk_sbox_retrytiming"}
        applicant = httpx.post(f"{server.url}/applicants", json={}, headers=key).json()
        body = {"applicant_id": applicant["id"], "declared_data": {"name": "Hannah Bret"}}
        assert httpx.post(f"{server.url}/identity-verifications", json=body, headers=key).status_code == 201

        assert len(receiver.wait_for(2, timeout=60)) >= 2  # the slow failure, then the first retry
        attempts = []
        for _ in range(600):  # the log is written once the second attempt's answer is in
            attempts = httpx.get(f"{server.url}/_sim/webhooks", params={"provider": "checkout"}).json()["data"]
            if len(attempts) >= 2 and attempts[1]["next_retry_at"]:
                break
            receiver.wait_for(3, timeout=0.05)
        first, second = attempts[0], attempts[1]

    assert (first["number"], first["status_code"], second["number"], second["status_code"]) == (1, 500, 2, 500)
    started = virtual(first["at"])
    # The first attempt took about 300 virtual seconds; the retry still came 5 minutes after it started.
    # (``at`` and the retry's base are two reads of a clock running 100x: allow a virtual second.)
    assert abs((virtual(first["next_retry_at"]) - started).total_seconds() - DOCUMENTED_RETRIES[0]) < 1
    gap = (virtual(second["at"]) - started).total_seconds()
    slow = SLOW_ANSWER / SPEED
    assert DOCUMENTED_RETRIES[0] <= gap < DOCUMENTED_RETRIES[0] + slow / 2, f"retry {gap:.0f}s after the start"
    # The second failure was quick; its retry is the next step of the schedule, again from its start.
    assert abs((virtual(second["next_retry_at"]) - virtual(second["at"])).total_seconds() - DOCUMENTED_RETRIES[1]) < 1
