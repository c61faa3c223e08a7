"""Delivery against a real receiver: retries on the provider's schedule, no loss, order, speed."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from simulator.control import schemas
from tests.control.schemas import assert_schema
from tests.webhook_support.receiver import Receiver


def types(receiver: Receiver) -> list[str]:
    return [json.loads(body)["type"] for body in receiver.bodies()]


def test_retries_follow_the_provider_schedule_under_the_manual_clock(sim, receiver):
    receiver.statuses.extend([500, 503, 500])
    sim.endpoint(receiver.url)
    sim.ping()
    sim.advance(0)
    first = sim.attempts()
    assert [(a["at"], a["status_code"], a["next_retry_at"]) for a in first] == [
        ("2025-01-01T00:00:00Z", 500, "2025-01-01T00:05:00Z")
    ]
    sim.advance(299)
    assert len(sim.attempts()) == 1, "no retry before the schedule says so"
    sim.advance(1)
    assert [a["at"] for a in sim.attempts()] == ["2025-01-01T00:00:00Z", "2025-01-01T00:05:00Z"]
    # One long advance still fires each retry at its own time: 5m + 10m, then + 30m.
    sim.advance(3 * 3600)
    attempts = sim.attempts()
    assert [(a["at"], a["status_code"], a["ok"]) for a in attempts] == [
        ("2025-01-01T00:00:00Z", 500, False),
        ("2025-01-01T00:05:00Z", 503, False),
        ("2025-01-01T00:15:00Z", 500, False),
        ("2025-01-01T00:45:00Z", 200, True),
    ]
    assert attempts[-1]["next_retry_at"] is None
    assert len(receiver.requests) == 4 and len(set(receiver.bodies())) == 1
    assert sim.deliveries()[0]["state"] == "delivered"


def test_the_delivery_is_given_up_when_the_schedule_runs_out(sim, receiver):
    receiver.default_status = 500
    sim.endpoint(receiver.url)
    sim.ping()
    sim.advance(24 * 3600)
    attempts = sim.attempts()
    assert len(attempts) == 4  # the first attempt and three retries
    assert attempts[-1]["next_retry_at"] is None
    assert sim.deliveries()[0]["state"] == "failed"
    assert sim.attempts(ok="false")[0]["response_excerpt"] == '{"error": "receiver says no"}'


def test_nothing_is_lost_while_the_receiver_is_down_and_order_is_kept(sim):
    down = Receiver().start()
    url = down.url
    down.stop()  # the port is closed: connection refused
    sim.endpoint(url)
    sim.thing()  # thing.created now, processing at 10s, done at 30s
    sim.advance(60)
    attempts = sim.attempts()
    assert len(attempts) == 1 and attempts[0]["status_code"] is None
    assert "Connect" in attempts[0]["error"]
    states = sorted(d["state"] for d in sim.deliveries())
    assert states == ["pending", "queued", "queued"], "later events of the thing wait for the first"

    back = Receiver(port=int(url.split(":")[2].split("/")[0])).start()
    try:
        sim.advance(240)  # the first retry is due 5 minutes after the first attempt
        assert types(back) == ["thing.created", "thing.processing", "thing.done"]
        assert all(d["state"] == "delivered" for d in sim.deliveries())
        retry = [a for a in sim.attempts() if a["event_type"] == "thing.created"][-1]
        assert retry["at"] == "2025-01-01T00:05:00Z" and retry["ok"]
    finally:
        back.stop()


def test_a_later_event_waits_for_the_earlier_one_of_the_same_resource(sim, receiver):
    receiver.statuses.append(500)  # thing.created fails once
    sim.endpoint(receiver.url)
    sim.thing()
    sim.advance(30)
    assert types(receiver) == ["thing.created"]
    sim.advance(270)
    assert types(receiver) == ["thing.created", "thing.created", "thing.processing", "thing.done"]


def test_events_of_different_resources_do_not_wait_for_each_other(sim, receiver):
    receiver.statuses.append(500)
    sim.endpoint(receiver.url)
    sim.thing()
    sim.ping()  # no resource: its own lane
    sim.advance(0)
    assert sorted(types(receiver)) == ["ping", "thing.created"]


def test_the_api_answers_at_full_speed_while_the_receiver_hangs(sim, receiver):
    receiver.hang.set()
    sim.endpoint(receiver.url)
    try:
        sim.ping()
        assert receiver.wait_for(1), "the receiver holds the first webhook"
        started = time.perf_counter()
        sim.thing()  # publishes too
        sim.client.get("/_sim/health")
        elapsed = time.perf_counter() - started
        assert elapsed < 0.5, f"API calls took {elapsed:.2f}s while a receiver hung (webhook timeout is 2s)"
        assert sim.attempts() == [], "the hanging attempt has not finished"
    finally:
        receiver.release()
    sim.advance(0)
    assert {a["event_type"] for a in sim.attempts()} == {"ping", "thing.created"}


def test_a_receiver_slower_than_the_timeout_is_a_failed_attempt_and_retried(client, sim, receiver):
    client.app.state.sim.dispatcher.profiles["hooks"].timeout = 0.2
    receiver.hang.set()
    sim.endpoint(receiver.url)
    sim.ping()
    sim.advance(0)
    receiver.release()
    first = sim.attempts()[0]
    assert first["status_code"] is None and first["error"].startswith("timeout after 0.2s")
    assert first["next_retry_at"] == "2025-01-01T00:05:00Z"
    sim.advance(300)
    assert sim.attempts()[-1]["ok"]


def test_every_attempt_is_logged_with_what_a_person_needs(sim, receiver):
    sim.endpoint(receiver.url)
    sim.thing()
    sim.advance(0)
    attempt = sim.attempts()[0]
    for key in ("event_id", "event_type", "endpoint_id", "url", "at", "status_code", "error", "latency_ms"):
        assert key in attempt
    assert attempt["response_excerpt"] == '{"received": true}'
    assert attempt["request_headers"]["X-Hook-Signature"]
    assert attempt["resource"].startswith("thg_")


def test_the_delivery_log_filters(sim, receiver):
    other = sim.endpoint(receiver.url, events=["ping"])
    sim.endpoint(receiver.url)
    sim.thing()
    sim.ping(tenant="t2")
    sim.advance(0)
    assert {a["event_type"] for a in sim.attempts(tenant="t2")} == {"ping"}
    assert {a["endpoint_id"] for a in sim.attempts(event_type="ping")} == {other["id"], "we_2"}
    assert len(sim.attempts(endpoint_id=other["id"])) == 1
    assert len(sim.attempts(limit=1)) == 1
    events = sim.client.get("/_sim/webhooks/events", params={"tenant": "t1"}).json()["data"]
    assert [e["type"] for e in events] == ["thing.created"] and events[0]["scenario"] == "thing-happy"
    assert sim.client.get("/_sim/webhooks", params={"ok": "maybe"}).status_code == 400


def test_reset_forgets_deliveries_and_api_endpoints_but_keeps_configured_ones(make_client, receiver):
    from tests.engine.webhooks.conftest import Sim

    configured = {"endpoints": [{"provider": "hooks", "url": receiver.url}]}
    sim = Sim(make_client(webhooks=configured))
    sim.endpoint(receiver.url, tenant="t1")
    sim.endpoint(receiver.url, tenant="t2")
    sim.ping()
    sim.advance(0)
    assert sim.client.post("/_sim/reset", json={"tenant": "t1"}).status_code == 200
    assert sim.attempts() == []
    sources = [(e["source"], e["tenant"]) for e in sim.client.get("/_sim/webhooks/endpoints").json()["data"]]
    assert sources == [("config", None), ("api", "…")]  # tenants are credentials: masked where shown
    assert sim.client.post("/_sim/reset", json={}).status_code == 200
    assert [e["source"] for e in sim.client.get("/_sim/webhooks/endpoints").json()["data"]] == ["config"]


def test_events_without_an_endpoint_are_still_listed(sim):
    sim.ping()
    events = sim.client.get("/_sim/webhooks/events").json()["data"]
    assert [e["type"] for e in events] == ["ping"] and events[0]["deliveries"] == []


def test_deleting_an_endpoint_cancels_its_pending_deliveries(sim, receiver):
    receiver.default_status = 500
    endpoint = sim.endpoint(receiver.url)
    sim.thing()
    sim.advance(0)
    assert sim.client.delete(f"/_sim/webhooks/endpoints/{endpoint['id']}").status_code == 204
    sim.advance(3600)
    assert len(receiver.requests) == 1
    assert [d["state"] for d in sim.deliveries()] == ["cancelled"], "later events found no endpoint"


def test_at_an_instant_clock_a_hanging_receiver_holds_up_no_scenario(make_client, receiver):
    from tests.engine.webhooks.conftest import Sim

    sim = Sim(make_client(speed="instant"))
    receiver.hang.set()
    sim.endpoint(receiver.url)
    try:
        thing = sim.thing()
        assert receiver.wait_for(1), "thing.created is stuck at the receiver"
        # The scenario still plays to its end (the runner is not waiting on the receiver).
        for _ in range(200):
            if sim.client.get(f"/hooks/things/{thing['id']}").json()["status"] == "done":
                break
            receiver.wait_for(99, timeout=0.01)
        assert sim.client.get(f"/hooks/things/{thing['id']}").json()["status"] == "done"
        assert sim.attempts() == []
    finally:
        receiver.release()
    sim.advance(0)
    assert [a["event_type"] for a in sim.attempts()][:1] == ["thing.created"]


def test_changing_an_endpoint_url_moves_its_pending_deliveries(sim, receiver):
    endpoint = sim.endpoint("http://127.0.0.1:9/nobody-here")
    sim.ping()
    sim.advance(0)
    assert sim.attempts()[0]["status_code"] is None
    assert sim.client.patch(f"/_sim/webhooks/endpoints/{endpoint['id']}", json={"url": receiver.url}).status_code == 200
    sim.advance(300)
    assert sim.attempts()[-1]["url"] == receiver.url and sim.attempts()[-1]["ok"]


def test_memory_keeps_the_newest_events_and_never_drops_one_still_to_deliver(client, sim, receiver):
    dispatcher = client.app.state.sim.dispatcher
    dispatcher.max_events = 10
    receiver.default_status = 500
    sim.endpoint(receiver.url)
    sim.ping()  # fails and waits for its retry: must survive the trimming
    sim.advance(0)
    receiver.default_status = 200
    for _ in range(12):
        sim.ping()
    sim.advance(0)
    events = sim.client.get("/_sim/webhooks/events").json()["data"]
    assert len(events) <= 11
    assert any(d["state"] == "pending" for d in sim.deliveries()), "the failing one is still there"
    sim.advance(300)
    assert all(d["state"] == "delivered" for d in sim.deliveries())


def test_a_delivery_is_listed_with_every_field_the_control_api_documents(sim, receiver):
    """One waiting for a retry and one queued behind it, field by field; the fields are the schema's."""
    receiver.statuses.append(500)
    endpoint = sim.endpoint(receiver.url)
    thing = sim.thing()
    sim.advance(10)  # thing.created failed at 0s (retry due at 5m); thing.processing, at 10s, waits for it
    created, processing = (e["id"] for e in sim.client.get("/_sim/webhooks/events").json()["data"][:2])
    waiting, queued = sim.deliveries()
    assert_schema("webhook_deliveries.response", sim.client.get("/_sim/webhooks/deliveries").json())
    documented = json.loads((Path(schemas.__file__).parent / "common.json").read_text())["$defs"]["delivery"]
    assert set(waiting) == set(queued) == set(documented["properties"])
    common = {
        "provider": "hooks",
        "tenant": "\u2026",  # t1, too short to show any of it
        "resource": thing["id"],
        "endpoint_id": endpoint["id"],
        "url": receiver.url,
        "chaos": {},
        "notes": [],
        "replay": False,
        "replay_of": None,
        "duplicate_of": None,
    }
    assert queued == {
        **common,
        "id": queued["id"],
        "event_id": processing,
        "event_type": "thing.processing",
        "state": "queued",
        "due_at": None,
        "attempts": [],
    }
    assert {k: v for k, v in waiting.items() if k not in ("id", "attempts")} == {
        **common,
        "event_id": created,
        "event_type": "thing.created",
        "state": "pending",
        "due_at": "2025-01-01T00:05:00Z",
    }
    assert [(a["delivery_id"], a["status_code"], a["next_retry_at"]) for a in waiting["attempts"]] == [
        (waiting["id"], 500, "2025-01-01T00:05:00Z")
    ]


def test_a_replay_under_way_is_listed_as_pending_until_its_answer_comes(client, sim, receiver):
    client.app.state.sim.dispatcher.profiles["hooks"].timeout = 60.0  # the receiver holds it as long as the test needs
    sim.endpoint(receiver.url)
    sim.ping()
    sim.advance(0)
    (original,) = sim.deliveries()
    receiver.hang.set()
    answers: list = []
    replaying = threading.Thread(
        target=lambda: answers.append(sim.client.post(f"/_sim/webhooks/{original['id']}/replay", json={}))
    )
    replaying.start()
    try:
        assert len(receiver.wait_for(2)) == 2, "the replay reached the receiver, which holds it"
        replay = sim.deliveries()[-1]
        assert (replay["replay"], replay["replay_of"], replay["state"], replay["attempts"]) == (
            True,
            original["id"],
            "pending",
            [],
        )
    finally:
        receiver.release()
        replaying.join(10)
    assert answers[0].status_code == 201
    assert [d["state"] for d in sim.deliveries()] == ["delivered", "delivered"]
