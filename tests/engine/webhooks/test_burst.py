"""A burst of events: bounded connections per endpoint, waiting never counted as an attempt, order kept."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from simulator.engine.webhooks.outbox import moment
from tests.engine.webhooks.conftest import Sim

TIMEOUT = 30.0


def wait_until(condition, what: str):
    deadline = time.monotonic() + TIMEOUT
    while not (value := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)
    return value


def test_a_burst_goes_out_on_at_most_the_endpoints_connections_in_order_and_nothing_fails(make_client, receiver):
    sim = Sim(make_client(speed="instant"))
    sim.endpoint(receiver.url, concurrency=3)
    things = [sim.thing()["id"] for _ in range(30)]  # three events each, played at once
    for _ in range(60):
        sim.ping()
    total = 30 * 3 + 60
    wait_until(lambda: len(receiver.requests) >= total, "every event")
    deliveries = wait_until(
        lambda: (rows := sim.deliveries()) and all(d["state"] == "delivered" for d in rows) and rows, "settled log"
    )
    assert len(deliveries) == total and all(len(d["attempts"]) == 1 for d in deliveries), "no attempt failed"
    assert len({r.peer for r in receiver.requests}) <= 3, "no more connections than the endpoint's concurrency"
    order: dict[str, list[str]] = {}
    for body in receiver.bodies():
        event = json.loads(body)
        if "data" in event:
            order.setdefault(event["data"]["id"], []).append(event["type"])
    assert set(order) == set(things)
    assert all(types == ["thing.created", "thing.processing", "thing.done"] for types in order.values())


def test_waiting_for_a_connection_is_not_part_of_the_attempt(make_client, receiver):
    client = make_client(speed=1.0)  # attempts go out on their own, at once
    client.app.state.sim.dispatcher.profiles["hooks"].timeout = 1.0
    sim = Sim(client)
    sim.endpoint(receiver.url, concurrency=1)
    receiver.hang.set()
    try:
        sim.ping()  # takes the only connection, and the receiver never answers it
        assert receiver.wait_for(1, TIMEOUT)
        sim.ping()  # waits for the connection longer than the attempt timeout
        first = wait_until(lambda: sim.attempts(), "the first attempt to time out")[0]
        assert first["error"].startswith("timeout after 1s")
    finally:
        receiver.release()
    attempts = wait_until(lambda: (rows := sim.attempts()) and len(rows) == 2 and rows, "the second attempt")
    second = attempts[1]
    assert (second["number"], second["ok"], second["status_code"]) == (1, True, 200)
    assert second["latency_ms"] < 1000, "its time counts from when it had the connection"
    assert moment(second["at"]) >= moment(first["at"]) + timedelta(seconds=1), "it started once the first let go"
