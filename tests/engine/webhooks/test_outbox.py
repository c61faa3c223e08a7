"""With the SQLite store, the outbox survives a restart: the log stays, pending deliveries carry on."""

from __future__ import annotations

import json
import sqlite3

from starlette.testclient import TestClient

from tests.engine.webhooks.conftest import SECRET, Sim
from tests.webhook_support.providers import hook_app, hook_signature
from tests.webhook_support.receiver import Receiver


def test_pending_deliveries_carry_on_after_a_restart_in_order(tmp_path):
    down = Receiver().start()
    url, port = down.url, int(down.url.split(":")[2].split("/")[0])
    down.stop()
    settings = {
        "store": f"sqlite:///{tmp_path / 'kycsim.db'}",
        "webhooks": {"endpoints": [{"provider": "hooks", "url": url, "secret": SECRET}]},
    }
    with TestClient(hook_app(**settings)) as client:
        sim = Sim(client)
        sim.thing()  # created now, processing at 10s, done at 30s
        sim.advance(60)
        assert [a["status_code"] for a in sim.attempts()] == [None]
        assert sorted(d["state"] for d in sim.deliveries()) == ["pending", "queued", "queued"]

    with Receiver(port=port) as back, TestClient(hook_app(**settings)) as client:
        sim = Sim(client)
        assert len(sim.attempts()) == 1, "the delivery log survived the restart"
        assert client.get("/_sim/webhooks/events").json()["count"] == 3, "and so did its events"
        assert (sim.deliveries()[0]["state"], sim.deliveries()[0]["due_at"]) == ("pending", "2025-01-01T00:05:00Z")
        assert [d["state"] for d in sim.deliveries()] == ["pending", "queued", "queued"]  # back in their lane
        sim.advance(300)  # the clock starts again at start_time; the retry is due at 00:05:00
        bodies = [json.loads(body)["type"] for body in back.bodies()]
        assert bodies == ["thing.created", "thing.processing", "thing.done"]
        assert all(d["state"] == "delivered" for d in sim.deliveries())

    with TestClient(hook_app(**settings)) as client:
        assert len(Sim(client).attempts()) == 4
        assert client.post("/_sim/reset", json={}).status_code == 200
    with TestClient(hook_app(**settings)) as client:
        assert Sim(client).attempts() == [] and client.get("/_sim/webhooks/events").json()["count"] == 0


def test_the_hand_written_records_carry_every_field():
    """Attempt.as_json and Endpoint.as_record are written out by hand for speed: none may miss a field."""
    from dataclasses import asdict

    from simulator.engine.webhooks.endpoints import Endpoint
    from simulator.engine.webhooks.models import Attempt

    attempt = Attempt("dlv_1", 1, "evt_1", "t", "p", "k", "we_1", "http://x/", "at", 200, None, 1.5, {"H": "v"}, "ok")
    endpoint = Endpoint("we_1", "p", "http://x/", "s", "k", ["a*"], {"alg": "x"}, chaos={"duplicate": 1})
    assert attempt.as_json() == asdict(attempt)
    assert endpoint.as_record() == asdict(endpoint) and Endpoint(**endpoint.as_record()) == endpoint


def test_what_the_delivery_log_lets_go_of_leaves_the_file_too(tmp_path, receiver):
    settings = {"store": f"sqlite:///{tmp_path / 'kycsim.db'}", "webhook_log_size": 5}
    with TestClient(hook_app(**settings)) as client:
        sim = Sim(client)
        sim.endpoint(receiver.url)
        for _ in range(20):
            sim.ping()
        sim.advance(0)
        store = client.app.state.sim.store
        kept = {e.id for e in client.app.state.sim.dispatcher.events}
        assert len(kept) <= 5 and len(receiver.requests) == 20
        assert {d["id"] for d in store.list("t1", "hooks", "_webhook_events")} == kept
        assert {d["event_id"] for d in store.list("t1", "hooks", "_webhook_deliveries")} == kept


def test_a_restart_carries_on_every_pending_delivery_and_sends_an_overdue_retry_at_once(tmp_path, receiver):
    down = Receiver().start()
    url, port = down.url, int(down.url.split(":")[2].split("/")[0])
    down.stop()
    store = f"sqlite:///{tmp_path / 'kycsim.db'}"
    with TestClient(hook_app(store=store)) as client:
        sim = Sim(client)
        delivered = sim.endpoint(receiver.url)  # answers: its delivery is settled before the other's
        pending = sim.endpoint(url)
        sim.ping()
        sim.advance(0)
        states = {d["endpoint_id"]: d["state"] for d in sim.deliveries()}
        assert states == {delivered["id"]: "delivered", pending["id"]: "pending"}

    # An hour later: the retry fell due at 00:05 while kycsim was down, so it goes out at once (the
    # clock is manual: nothing else would move it).
    later = {"store": store, "start_time": "2025-01-01T01:00:00Z"}
    with Receiver(port=port) as back, TestClient(hook_app(**later)) as client:
        assert back.wait_for(1) and [json.loads(b)["type"] for b in back.bodies()] == ["ping"]
        Sim(client).advance(0)  # returns once the attempts under way are settled
        assert {d["state"] for d in Sim(client).deliveries()} == {"delivered"}


def test_a_delivery_held_back_when_kycsim_stopped_goes_out_at_once_after_a_restart(tmp_path, receiver):
    settings = {"store": f"sqlite:///{tmp_path / 'kycsim.db'}"}
    with TestClient(hook_app(**settings)) as client:
        sim = Sim(client)
        sim.endpoint(receiver.url, chaos={"out_of_order": True})
        sim.ping()
        sim.advance(0)
        assert [d["state"] for d in sim.deliveries()] == ["held"] and receiver.requests == []
    with TestClient(hook_app(**settings)) as client:  # the hold does not outlive the process
        Sim(client).advance(0)
        assert len(receiver.wait_for(1)) == 1
        assert [d["state"] for d in Sim(client).deliveries()] == ["delivered"]


def test_the_event_log_reads_the_same_after_a_restart(tmp_path, receiver):
    """Every field of every event, the scenario that published it and when, in real time, included."""
    settings = {
        "store": f"sqlite:///{tmp_path / 'kycsim.db'}",
        "webhooks": {"endpoints": [{"provider": "hooks", "url": receiver.url, "secret": SECRET}]},
    }
    with TestClient(hook_app(**settings)) as client:
        sim = Sim(client)
        sim.thing()
        sim.ping()
        sim.advance(60)
        before = client.get("/_sim/webhooks/events").json()["data"]
    assert [e["scenario"] for e in before] == ["thing-happy", None, "thing-happy", "thing-happy"]
    assert all(e["wall_at"] for e in before)
    with TestClient(hook_app(**settings)) as client:
        assert client.get("/_sim/webhooks/events").json()["data"] == before


def test_a_rotated_secret_signs_the_retries_still_to_come_after_a_restart(tmp_path):
    """An endpoint of the config file configured the same way (its id, URL and provider) is the live one:
    a delivery that carries on after a restart is signed with the secret the endpoint has now."""
    down = Receiver().start()
    url, port = down.url, down.port
    down.stop()
    store = f"sqlite:///{tmp_path / 'kycsim.db'}"

    def settings(secret: str, **more) -> dict:
        return {
            "store": store,
            "webhooks": {"endpoints": [{"provider": "hooks", "url": url, "secret": secret}]},
            **more,
        }

    with TestClient(hook_app(**settings("whsec_old"))) as client:
        Sim(client).ping()
        Sim(client).advance(0)
        assert [d["state"] for d in Sim(client).deliveries()] == ["pending"]
    with Receiver(port=port) as back, TestClient(hook_app(**settings("whsec_new"))) as client:
        Sim(client).advance(300)  # the retry falls due
        (request,) = back.wait_for(1)
        assert request.headers["X-Hook-Signature"] == hook_signature("whsec_new", request.body)
        assert [d["state"] for d in Sim(client).deliveries()] == ["delivered"]


def test_a_delivery_whose_event_is_missing_from_the_file_is_left_out_and_the_rest_load(tmp_path, receiver):
    """A file with a hole (an event row gone, by hand or by a crash of an older kycsim) loads what it can."""
    path = tmp_path / "kycsim.db"
    settings = {
        "store": f"sqlite:///{path}",
        "webhooks": {"endpoints": [{"provider": "hooks", "url": receiver.url, "secret": SECRET}]},
    }
    with TestClient(hook_app(**settings)) as client:
        Sim(client).thing()  # three events of one resource, delivered (and so written) one after another
        Sim(client).advance(60)
        events = [e["id"] for e in client.get("/_sim/webhooks/events").json()["data"]]
        assert len(events) == 3 and [d["state"] for d in Sim(client).deliveries()] == ["delivered"] * 3
    with sqlite3.connect(path) as db:  # the first event's row goes: its delivery, written first, is an orphan
        db.execute("DELETE FROM documents WHERE kind = '_webhook_events' AND key = ?", (events[0],))
    with TestClient(hook_app(**settings)) as client:
        assert [e["id"] for e in client.get("/_sim/webhooks/events").json()["data"]] == events[1:]
        assert [d["event_id"] for d in Sim(client).deliveries()] == events[1:]
        assert len(Sim(client).attempts()) == 2


def test_after_a_restart_events_and_attempts_keep_the_order_they_happened_in_whatever_each_tenants_clock(
    tmp_path, receiver
):
    settings = {
        "store": f"sqlite:///{tmp_path / 'kycsim.db'}",
        "webhooks": {"endpoints": [{"provider": "hooks", "url": receiver.url, "secret": SECRET}]},
    }
    app = hook_app(**settings)
    ticks = iter(range(1_800_000_000, 1_900_000_000))
    app.state.sim.clock.wall = lambda: float(next(ticks))  # a second of real time between any two records
    with TestClient(app) as client:
        sim = Sim(client)
        sim.advance(86_400, tenant="t1")  # a day ahead of t2 in virtual time
        sim.ping("t1")
        sim.ping("t2")  # later in real time, a day earlier in virtual time
        sim.ping("t1")
        sim.advance(1)  # every delivery made
        events = client.get("/_sim/webhooks/events").json()["data"]
        attempts = sim.attempts()
    assert [e["created_at"][:10] for e in events] == ["2025-01-02", "2025-01-01", "2025-01-02"], "in real-time order"
    assert len(attempts) == 3 and all(a["ok"] for a in attempts)
    with TestClient(hook_app(**settings)) as client:
        assert client.get("/_sim/webhooks/events").json()["data"] == events
        assert Sim(client).attempts() == attempts
