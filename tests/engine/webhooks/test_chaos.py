"""Each chaos switch, against a real receiver, and how the delivery log shows it."""

from __future__ import annotations

import json
import re

import pytest

from simulator.engine.webhooks.chaos import ChaosError, combine, normalize
from tests.engine.webhooks.conftest import SECRET
from tests.webhook_support.providers import hook_signature


def types(receiver) -> list[str]:
    return [json.loads(body)["type"] for body in receiver.bodies()]


def test_chaos_is_off_by_default(sim, receiver):
    sim.endpoint(receiver.url)
    sim.thing()
    sim.advance(60)
    assert types(receiver) == ["thing.created", "thing.processing", "thing.done"]
    assert all(a["chaos"] == [] and a["ok"] for a in sim.attempts())


def test_duplicate_sends_each_event_again_right_after_it(sim, receiver):
    sim.endpoint(receiver.url, chaos={"duplicate": 1})
    sim.thing()
    sim.advance(10)
    assert types(receiver) == ["thing.created", "thing.created", "thing.processing", "thing.processing"]
    copies = sim.attempts(chaos="duplicate")
    assert len(copies) == 2 and copies[0]["chaos"][0].startswith("duplicate 1 of dlv_")
    assert len({r.headers["X-Hook-Signature"] for r in receiver.requests[:2]}) == 1, "a copy is the same delivery"
    # A copy is a delivery of its own, with an id like any other's.
    ids = [d["id"] for d in sim.deliveries()]
    assert len(set(ids)) == 4 and all(re.fullmatch(r"dlv_[a-z0-9]+", i) for i in ids), ids


def test_duplicate_from_the_scenario_file(sim, receiver):
    sim.endpoint(receiver.url)
    sim.thing("thing-duplicates")  # neither the handler nor the verb pass scenario= to publish
    sim.advance(10)
    assert types(receiver) == ["thing.created", "thing.created", "thing.done", "thing.done"]
    events = sim.client.get("/_sim/webhooks/events").json()["data"]
    assert [e["scenario"] for e in events] == ["thing-duplicates", "thing-duplicates"]


def test_out_of_order_lets_the_next_event_overtake(sim, receiver):
    sim.endpoint(receiver.url)
    sim.thing("thing-reordered")  # created now, processing at 10s, done at 30s; holds up to 5m
    sim.advance(30)
    assert types(receiver) == ["thing.processing", "thing.created"]
    held = sim.attempts(event_type="thing.created")[0]
    assert any(note.startswith("out_of_order: held back, sent after evt_") for note in held["chaos"])
    sim.advance(299)
    assert len(receiver.bodies()) == 2, "done is held for a later event that never comes"
    sim.advance(1)
    assert types(receiver)[-1] == "thing.done"
    assert "nothing overtook it within 300s" in sim.attempts(event_type="thing.done")[0]["chaos"][0]


def test_delay_holds_the_first_attempt(sim, receiver):
    sim.endpoint(receiver.url, chaos={"delay": "45s"})
    sim.ping()
    sim.advance(44)
    assert receiver.requests == []
    sim.advance(1)
    attempt = sim.attempts()[0]
    assert attempt["at"] == "2025-01-01T00:00:45Z" and attempt["chaos"] == ["delay: first attempt 45s late"]


def test_fail_first_counts_attempts_as_failed_so_the_provider_retries(sim, receiver):
    sim.endpoint(receiver.url, chaos={"fail_first": 2})
    sim.ping()
    sim.advance(3600)
    attempts = sim.attempts()
    assert [(a["at"], a["status_code"], a["ok"]) for a in attempts] == [
        ("2025-01-01T00:00:00Z", 200, False),
        ("2025-01-01T00:05:00Z", 200, False),
        ("2025-01-01T00:15:00Z", 200, True),
    ]
    assert "chaos fail_first 1/2" in attempts[0]["error"]
    assert len(receiver.requests) == 3, "the receiver saw the event each time, as after a timeout"


def test_wrong_signature_then_the_right_one_on_the_retry(sim, receiver):
    receiver.statuses.append(401)  # an app that checks signatures refuses the first
    sim.endpoint(receiver.url, chaos={"wrong_signature": True})
    sim.ping()
    sim.advance(300)
    first, second = receiver.requests
    assert first.headers["X-Hook-Signature"] != hook_signature(SECRET, first.body)
    assert second.headers["X-Hook-Signature"] == hook_signature(SECRET, second.body)
    logged = sim.attempts()
    assert logged[0]["chaos"] == ["wrong_signature 1/1: signed with a wrong secret"] and logged[0]["status_code"] == 401
    assert logged[1]["chaos"] == [] and logged[1]["ok"]


def test_drop_connection_cuts_the_request_and_the_retry_gets_through(sim, receiver):
    sim.endpoint(receiver.url, chaos={"drop_connection": 1})
    sim.ping()
    sim.advance(0)
    first = sim.attempts()[0]
    assert first["status_code"] is None and first["error"].startswith("connection dropped by kycsim after")
    assert first["chaos"] == ["drop_connection 1/1"]
    receiver.wait_for(1)
    assert receiver.requests[0].complete is False
    sim.advance(300)
    assert sim.attempts()[-1]["ok"] and receiver.wait_for(2)[-1].complete


def test_chaos_can_be_changed_on_a_live_endpoint(sim, receiver):
    endpoint = sim.endpoint(receiver.url)
    response = sim.client.patch(f"/_sim/webhooks/endpoints/{endpoint['id']}", json={"chaos": {"duplicate": 2}})
    assert response.status_code == 200 and response.json()["chaos"] == {"duplicate": 2}
    sim.ping()
    sim.advance(0)
    assert len(receiver.requests) == 3


def test_switches_are_checked_and_the_endpoint_wins_over_the_scenario():
    assert normalize({"delay": "1m", "duplicate": True, "out_of_order": True}) == {
        "delay": 60.0,
        "duplicate": 1,
        "out_of_order": 600.0,
    }
    assert combine({"duplicate": 2, "delay": 5.0}, {"duplicate": 0}).as_json() == {"delay": 5.0}
    with pytest.raises(ChaosError, match="unknown chaos switch"):
        normalize({"explode": True})
    with pytest.raises(ChaosError, match="fail_first"):
        normalize({"fail_first": -1})
    with pytest.raises(ChaosError, match="delay"):
        normalize({"delay": "soon"})


def test_a_bad_switch_on_an_endpoint_is_a_400(sim, receiver):
    response = sim.client.post(
        "/_sim/webhooks/endpoints",
        json={"provider": "hooks", "url": receiver.url, "chaos": {"dupe": 1}, "all_tenants": True},
    )
    assert response.status_code == 400 and "unknown chaos switch" in response.json()["error"]["message"]


def test_the_console_line_says_which_chaos_an_attempt_carried(sim, receiver, caplog):
    sim.endpoint(receiver.url, chaos={"fail_first": 1})
    with caplog.at_level("INFO", logger="kycsim.console"):
        sim.ping()
        sim.advance(0)
    line = next(r.getMessage() for r in caplog.records if r.getMessage().startswith("webhook ping"))
    assert "200 (counted as failed on purpose" in line and "chaos: fail_first 1/1" in line


def test_out_of_order_without_a_resource_lets_the_next_event_overtake(sim, receiver):
    sim.endpoint(receiver.url, chaos={"out_of_order": True}, ordered=False)
    sim.ping()
    sim.ping()
    sim.advance(0)
    first, second = (json.loads(r.body)["id"] for r in receiver.wait_for(2))
    events = [e["id"] for e in sim.client.get("/_sim/webhooks/events").json()["data"]]
    assert [first, second] == [events[1], events[0]]


def test_out_of_order_sends_a_held_event_late_when_nothing_overtakes_it(sim, receiver):
    sim.endpoint(receiver.url, chaos={"out_of_order": "1m"})
    sim.ping()
    sim.advance(0)
    assert [d["state"] for d in sim.deliveries()] == ["held"] and receiver.requests == []
    sim.advance(60)
    (attempt,) = sim.attempts()
    assert attempt["ok"] and "out_of_order: nothing overtook it within 60s, sent late" in attempt["chaos"]


def test_out_of_order_holds_each_resources_events_for_that_resources_next_event_only(sim, receiver):
    sim.endpoint(receiver.url, chaos={"out_of_order": "5m"})
    first, second = sim.thing(), sim.thing()  # two resources: created now, processing at 10s
    sim.advance(0)
    assert receiver.requests == [], "another resource's event overtakes nothing"
    sim.advance(10)
    bodies = [json.loads(body) for body in receiver.bodies()]
    order = [(b["type"], b["data"]["id"]) for b in bodies]
    for thing in (first, second):  # each created is sent after its own processing
        mine = [t for t, resource in order if resource == thing["id"]]
        assert mine == ["thing.processing", "thing.created"], order


def test_each_switch_reads_true_false_null_and_numbers_as_documented():
    assert normalize({"duplicate": True, "fail_first": False, "wrong_signature": None, "drop_connection": 0}) == {
        "duplicate": 1,
        "fail_first": 0,
        "wrong_signature": 0,
        "drop_connection": 0,
    }
    assert normalize({"delay": True, "out_of_order": False}) == {"delay": 0.0, "out_of_order": 0.0}
    assert normalize({"delay": None, "out_of_order": None}) == {"delay": 0.0, "out_of_order": 0.0}
    assert normalize({"fail_first": 3, "delay": "30s"}) == {"fail_first": 3, "delay": 30.0}
    off = normalize({"fail_first": False, "duplicate": None})
    assert all(type(count) is int for count in off.values()), off  # counts, shown as 0 rather than false


DOCUMENTED = "duplicate, out_of_order, delay, fail_first, wrong_signature, drop_connection"  # docs/webhooks.md


@pytest.mark.parametrize(
    ("chaos", "message"),
    [
        ({"fail_first": -1}, "chaos.fail_first must be true, false or a whole number >= 0, not -1"),
        ({"fail_first": 1.5}, "chaos.fail_first must be true, false or a whole number >= 0, not 1.5"),
        ({"nope": 1, "also": 2}, f"unknown chaos switch(es) also, nope; known: {DOCUMENTED}"),
        ([1], f"chaos must be an object of switches ({DOCUMENTED}), not [1]"),
    ],
)
def test_a_bad_chaos_value_is_refused_with_a_message_that_says_why(chaos, message):
    with pytest.raises(ChaosError) as refused:
        normalize(chaos)
    assert str(refused.value) == message


def test_a_bad_duration_says_which_switch():
    with pytest.raises(ChaosError, match=r"^chaos\.delay: "):
        normalize({"delay": "soon"})
