"""Replay of a delivery or an event, to its endpoint or another URL."""

from __future__ import annotations

from tests.webhook_support.receiver import Receiver


def test_replay_a_delivery_to_its_endpoint(sim, receiver):
    sim.endpoint(receiver.url)
    sim.ping()
    sim.advance(0)
    delivery_id = sim.attempts()[0]["delivery_id"]
    response = sim.client.post(f"/_sim/webhooks/{delivery_id}/replay", json={})
    assert response.status_code == 201
    replayed = response.json()
    assert replayed["replay"] and replayed["ok"] and replayed["url"] == receiver.url
    assert replayed["chaos"] == []
    replay_delivery = sim.deliveries(event_id=replayed["event_id"])[-1]
    assert replay_delivery["replay"] and replay_delivery["replay_of"] == delivery_id
    first, second = receiver.wait_for(2)
    assert first.body == second.body and first.headers["X-Hook-Signature"] == second.headers["X-Hook-Signature"]
    assert len(sim.attempts(replay="true")) == 1


def test_replay_to_another_url_and_by_event_id(sim, receiver):
    sim.endpoint(receiver.url, chaos={"fail_first": 5})
    sim.ping()
    sim.advance(0)
    event_id = sim.attempts()[0]["event_id"]
    with Receiver() as elsewhere:
        response = sim.client.post(f"/_sim/webhooks/{event_id}/replay", json={"url": elsewhere.url})
        assert response.status_code == 201
        assert response.json()["data"][0]["ok"], "replays carry no chaos"
        assert elsewhere.wait_for(1)[0].body == receiver.requests[0].body
    by_event = sim.client.post(f"/_sim/webhooks/{event_id}/replay", json={}).json()
    assert by_event["count"] == 1 and by_event["data"][0]["url"] == receiver.url


def test_replay_errors(sim, receiver):
    assert sim.client.post("/_sim/webhooks/dlv_nothing/replay", json={}).status_code == 404
    sim.ping()
    event_id = sim.client.get("/_sim/webhooks/events").json()["data"][0]["id"]
    response = sim.client.post(f"/_sim/webhooks/{event_id}/replay", json={})
    assert response.status_code == 400 and "went to no endpoint" in response.json()["error"]["message"]
    assert sim.client.post(f"/_sim/webhooks/{event_id}/replay", json={"url": "nope"}).status_code == 400
    assert sim.client.post(f"/_sim/webhooks/{event_id}/replay", json={"url": receiver.url}).status_code == 201
