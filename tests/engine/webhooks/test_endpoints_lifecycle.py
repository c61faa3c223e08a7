"""Endpoints over their life through the control API: a change or a removal touches that endpoint's
deliveries only, a reset forgets only what it names, and ids are numbered as after a fresh start."""

from __future__ import annotations

import re

import pytest

from tests.engine.webhooks.conftest import Sim

NOBODY = "http://127.0.0.1:9/nobody-here"  # port 9 (discard): nothing listens, every attempt fails


def _endpoints(sim: Sim) -> list[dict]:
    return sim.client.get("/_sim/webhooks/endpoints").json()["data"]


def test_changing_one_endpoints_url_leaves_the_other_endpoints_deliveries_where_they_were(sim, receiver):
    moved = sim.endpoint(NOBODY)
    stays = sim.endpoint(f"{NOBODY}/other")
    sim.ping()
    sim.advance(0)
    assert sim.client.patch(f"/_sim/webhooks/endpoints/{moved['id']}", json={"url": receiver.url}).status_code == 200
    sim.advance(300)  # Each delivery's first retry
    urls = {d["endpoint_id"]: d["url"] for d in sim.deliveries()}
    assert urls == {moved["id"]: receiver.url, stays["id"]: f"{NOBODY}/other"}
    retried = [a for a in sim.attempts() if a["number"] == 2]
    assert sorted(a["url"] for a in retried) == sorted([receiver.url, f"{NOBODY}/other"])


def test_deleting_one_endpoint_cancels_only_its_own_deliveries(sim, receiver):
    gone = sim.endpoint(NOBODY)
    kept = sim.endpoint(receiver.url)
    receiver.default_status = 500
    sim.thing()  # created now, processing at 10s, done at 30s: one after another, in each endpoint's lane
    sim.advance(30)
    assert sim.client.delete(f"/_sim/webhooks/endpoints/{gone['id']}").status_code == 204
    states = {(d["endpoint_id"], d["event_type"]): d["state"] for d in sim.deliveries()}
    assert {s for (e, _), s in states.items() if e == gone["id"]} == {"cancelled"}
    assert sorted(s for (e, _), s in states.items() if e == kept["id"]) == ["pending", "queued", "queued"]
    receiver.default_status = 200
    sim.advance(300)  # the other endpoint's lane carries on
    assert [d["state"] for d in sim.deliveries() if d["endpoint_id"] == kept["id"]] == ["delivered"] * 3


def test_chaos_switched_on_later_applies_to_the_next_attempts(sim, receiver):
    endpoint = sim.endpoint(receiver.url)
    changed = sim.client.patch(f"/_sim/webhooks/endpoints/{endpoint['id']}", json={"chaos": {"fail_first": True}})
    assert changed.status_code == 200 and changed.json()["chaos"] == {"fail_first": 1}
    sim.ping()
    sim.advance(0)
    first = sim.attempts()[0]
    assert first["ok"] is False and first["chaos"][0].startswith("fail_first 1/1")


def test_resetting_a_tenant_forgets_that_tenants_api_endpoints_only(sim):
    mine = sim.endpoint(NOBODY, tenant="t1")
    theirs = sim.endpoint(NOBODY, tenant="t2")
    everyone = sim.endpoint(NOBODY)
    assert sim.client.post("/_sim/reset", json={"tenant": "t1"}).status_code == 200
    assert [e["id"] for e in _endpoints(sim)] == [theirs["id"], everyone["id"]]
    assert mine["id"] not in {e["id"] for e in _endpoints(sim)}


def test_after_a_full_reset_api_endpoints_are_numbered_on_from_the_configured_ones(make_client, receiver):
    sim = Sim(make_client(webhooks={"endpoints": [{"provider": "hooks", "url": receiver.url}]}))
    assert [e["id"] for e in _endpoints(sim)] == ["we_1"]  # the configured one
    assert [sim.endpoint(NOBODY)["id"], sim.endpoint(NOBODY)["id"]] == ["we_2", "we_3"]
    assert sim.client.post("/_sim/reset", json={"tenant": "t1"}).status_code == 200
    assert sim.endpoint(NOBODY, tenant="t1")["id"] == "we_4"  # a tenant's reset renumbers nothing
    assert sim.client.post("/_sim/reset", json={}).status_code == 200
    assert [e["id"] for e in _endpoints(sim)] == ["we_1"]
    assert [sim.endpoint(NOBODY)["id"], sim.endpoint(NOBODY)["id"]] == ["we_2", "we_3"]  # as after a fresh start


def test_a_new_concurrency_starts_a_new_set_of_connections_and_other_changes_keep_them(sim, receiver):
    endpoint = sim.endpoint(receiver.url, concurrency=1)
    path = f"/_sim/webhooks/endpoints/{endpoint['id']}"

    def ping_from() -> tuple[str, int]:
        sim.ping()
        sim.advance(0)
        return receiver.requests[-1].peer

    first = ping_from()
    assert ping_from() == first  # one keep-alive connection, reused
    assert sim.client.patch(path, json={"secret": "whsec_new"}).status_code == 200
    assert ping_from() == first  # a new secret signs on the same connection
    assert sim.client.patch(path, json={"concurrency": 3}).status_code == 200
    assert ping_from() != first  # a sender of the new size, with connections of its own


def test_with_no_configured_endpoint_a_full_reset_numbers_from_we_1_again(sim):
    assert [sim.endpoint(NOBODY)["id"], sim.endpoint(NOBODY)["id"]] == ["we_1", "we_2"]
    assert sim.client.post("/_sim/reset", json={}).status_code == 200
    assert sim.endpoint(NOBODY)["id"] == "we_1"


def test_a_signer_that_fails_makes_a_failed_attempt_logged_not_a_crash(sim, receiver, caplog):
    import logging

    caplog.set_level(logging.ERROR, logger="kycsim.webhooks")
    # The digest test provider signs with the algorithm its options name; an unknown one makes it raise.
    sim.endpoint(receiver.url, provider="digest", options={"alg": "NO_SUCH_ALG"})
    assert sim.client.post("/digest/docs", headers={"Authorization": "Bearer t1"}).status_code < 300
    sim.advance(0)
    (attempt,) = sim.attempts()
    assert attempt["ok"] is False and attempt["error"].startswith("signing failed: ") and receiver.requests == []
    # Nothing was sent: no status, no answer, no time spent on the wire; when it happened, in both times.
    assert (attempt["status_code"], attempt["response_excerpt"], attempt["latency_ms"]) == (None, "", 0.0)
    assert attempt["at"] == "2025-01-01T00:00:00Z" and re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+Z", attempt["wall_at"])
    assert [r.name for r in caplog.records] == ["kycsim.webhooks"]
    assert caplog.records[0].getMessage().startswith(f"signing {attempt['event_id']} for we_1 failed")


def test_a_delivery_says_when_it_is_due_to_the_fraction_of_a_second(sim):
    sim.endpoint(NOBODY, chaos={"delay": 0.5})
    sim.ping()
    (waiting,) = sim.deliveries()
    assert (waiting["state"], waiting["due_at"]) == ("pending", "2025-01-01T00:00:00.500000Z")
    sim.advance(0.5)
    (failed,) = sim.deliveries()
    assert failed["due_at"] == "2025-01-01T00:05:00.500000Z"  # the test provider's first retry: 300 s


def test_at_an_instant_clock_a_delayed_attempt_is_stamped_with_its_due_time(make_client, receiver):
    sim = Sim(make_client(speed="instant"))
    sim.endpoint(receiver.url, chaos={"delay": 0.5})
    sim.ping()
    assert receiver.wait_for(1, timeout=30)
    sim.advance(0)  # returns once the attempt is settled
    assert [a["at"] for a in sim.attempts()] == ["2025-01-01T00:00:00.500000Z"]  # nobody waited, the clock jumped


@pytest.mark.parametrize("reset", [{"tenant": "t1"}, {}], ids=["tenant", "full"])
def test_after_a_reset_a_tenants_events_are_not_stuck_behind_deliveries_it_forgot(sim, receiver, reset):
    # Ids start again from the seed after a reset: the same resource, so the same lane as before.
    sim.endpoint(receiver.url)  # every tenant's: a tenant's reset keeps it
    receiver.default_status = 500
    first = sim.thing(tenant="t1")
    sim.advance(30)  # created, processing, done: the first failing, the others queued behind it
    assert [d["state"] for d in sim.deliveries(tenant="t1")] == ["pending", "queued", "queued"]
    assert sim.client.post("/_sim/reset", json=reset).status_code == 200
    if not reset:
        sim.endpoint(receiver.url)  # a full reset forgets it: the same id (we_1) again
    receiver.default_status = 200
    assert sim.thing(tenant="t1")["id"] == first["id"]
    sim.advance(30)
    assert [d["state"] for d in sim.deliveries(tenant="t1")] == ["delivered"] * 3


def test_the_log_keeps_every_event_up_to_its_size_then_lets_the_oldest_settled_ones_go(client, sim, receiver):
    client.app.state.sim.dispatcher.max_events = 10
    sim.endpoint(receiver.url)
    for _ in range(10):
        sim.ping()
    sim.advance(0)
    events = sim.client.get("/_sim/webhooks/events").json()["data"]
    assert len(events) == 10, "a full log drops nothing"
    for _ in range(10):
        sim.ping()
    sim.advance(0)
    kept = {e["id"] for e in sim.client.get("/_sim/webhooks/events").json()["data"]}
    newest = kept - {e["id"] for e in events}
    assert len(newest) == 10 and len(kept) <= 11, "the newest stay, the oldest settled ones go"
    attempts, deliveries = sim.attempts(), sim.deliveries()  # what goes, goes whole: its deliveries and attempts
    assert {a["delivery_id"] for a in attempts} == {d["id"] for d in deliveries} and len(attempts) == len(kept)


def test_a_tenants_reset_forgets_its_own_events_deliveries_and_attempts_only(sim, receiver):
    sim.endpoint(receiver.url)
    sim.ping("t1")
    sim.ping("t2")
    sim.advance(0)
    assert sim.client.post("/_sim/reset", json={"tenant": "t1"}).status_code == 200
    events = sim.client.get("/_sim/webhooks/events").json()["data"]
    assert len(events) == 1 and len(sim.deliveries()) == 1 and len(sim.attempts()) == 1
    assert sim.client.get("/_sim/webhooks/events", params={"tenant": "t2"}).json()["count"] == 1
    assert sim.client.post("/_sim/reset", json={}).status_code == 200
    assert sim.client.get("/_sim/webhooks/events").json()["data"] == [] and sim.deliveries() == []


def test_a_delivery_is_due_in_its_tenants_own_time(sim):
    # A tenant whose clock was moved on its own: its deliveries are due in its time, not the shared one.
    sim.endpoint(NOBODY, tenant="t1", chaos={"delay": 0.5})
    sim.advance(3600, tenant="t1")
    sim.ping(tenant="t1")
    (waiting,) = sim.deliveries(tenant="t1")
    assert (waiting["state"], waiting["due_at"]) == ("pending", "2025-01-01T01:00:00.500000Z")
    sim.advance(0.5, tenant="t1")
    (failed,) = sim.deliveries(tenant="t1")
    assert failed["due_at"] == "2025-01-01T01:05:00.500000Z"  # the first retry, 300 s after the attempt
