"""Replay of a delivery or an event, to its endpoint or another URL."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.engine.webhooks.conftest import Sim
from tests.webhook_support.providers import digest, hook_app
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
    assert replayed["response_excerpt"] == '{"received": true}'  # its own endpoint's answer: shown
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
        assert response.json()["data"][0]["response_excerpt"] == "", "kycsim reads no other server's answer back"
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
    elsewhere = sim.client.post(f"/_sim/webhooks/{event_id}/replay", json={"url": receiver.url})
    assert elsewhere.status_code == 201
    assert elsewhere.json()["data"][0]["response_excerpt"] == "", "no endpoint of ours: the answer is not echoed"
    assert elsewhere.json()["data"][0]["endpoint_id"] == "replay"  # listed apart from the configured endpoints


def test_an_event_that_went_nowhere_is_replayed_signed_with_its_providers_endpoint(sim, receiver):
    from simulator import __version__
    from tests.engine.webhooks.conftest import SECRET
    from tests.webhook_support.providers import hook_signature

    sim.endpoint("http://127.0.0.1:9/digest", provider="digest", secret="not-this-one")  # another provider's
    sim.ping()  # a hooks event, and no hooks endpoint yet: it goes nowhere
    event_id = sim.client.get("/_sim/webhooks/events").json()["data"][0]["id"]
    sim.endpoint("http://127.0.0.1:9/later")  # the hooks endpoint whose secret signs the stand-in replay
    response = sim.client.post(f"/_sim/webhooks/{event_id}/replay", json={"url": receiver.url})
    assert response.status_code == 201
    (received,) = receiver.wait_for(1)
    assert received.headers["X-Hook-Signature"] == hook_signature(SECRET, received.body)
    assert received.headers["User-Agent"] == f"kycsim/{__version__}"  # as docs/webhooks.md shows
    (replayed,) = sim.deliveries(event_id=event_id)
    assert replayed["id"].startswith("dlv_") and replayed["replay"] and replayed["due_at"] is None
    assert replayed["state"] == "delivered"
    # A replay is one attempt: one that fails is failed, never retried.
    assert sim.client.post(f"/_sim/webhooks/{event_id}/replay", json={"url": "http://127.0.0.1:9/"}).status_code == 201
    assert [d["state"] for d in sim.deliveries(event_id=event_id)] == ["delivered", "failed"]


def test_an_event_that_went_nowhere_replayed_to_a_url_is_signed_as_its_provider_signs_and_kept(tmp_path, receiver):
    """No endpoint wanted it: a stand-in signs it (the provider's default algorithm, no secret), and the
    replay is in the delivery log, after a restart too."""
    settings = {"store": f"sqlite:///{tmp_path / 'kycsim.db'}"}
    with TestClient(hook_app(**settings)) as client:
        assert client.post("/digest/docs").status_code == 201
        (event,) = client.get("/_sim/webhooks/events").json()["data"]
        response = client.post(f"/_sim/webhooks/{event['id']}/replay", json={"url": receiver.url})
        assert response.status_code == 201 and response.json()["data"][0]["ok"]
        (request,) = receiver.wait_for(1)
        assert request.headers["X-Payload-Digest-Alg"] == "HMAC_SHA256_HEX"
        assert request.headers["X-Payload-Digest"] == digest(None, request.body, "HMAC_SHA256_HEX")
    with TestClient(hook_app(**settings)) as client:
        (replay,) = Sim(client).deliveries()
        assert (replay["event_id"], replay["replay"], replay["state"]) == (event["id"], True, "delivered")
        assert [a["status_code"] for a in replay["attempts"]] == [200]
