"""Endpoints from every source, event filters, and signatures that verify for each algorithm."""

from __future__ import annotations

import pytest

from simulator.engine.webhooks.endpoints import EndpointError, config_endpoints
from simulator.settings import SettingsError, read_config_file
from tests.engine.webhooks.conftest import SECRET
from tests.webhook_support.providers import digest, hook_signature


def test_hmac_sha256_signature_verifies(sim, receiver):
    sim.endpoint(receiver.url)
    sim.ping()
    sim.advance(0)
    request = receiver.wait_for(1)[0]
    assert request.headers["X-Hook-Signature"] == hook_signature(SECRET, request.body)
    assert request.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("alg", ["HMAC_SHA1_HEX", "HMAC_SHA256_HEX", "HMAC_SHA512_HEX"])
def test_each_digest_algorithm_verifies_with_its_endpoint_secret(sim, receiver, alg):
    sim.endpoint(receiver.url, provider="digest", secret=f"secret-{alg}", options={"alg": alg})
    assert sim.client.post("/digest/docs").status_code == 201
    sim.advance(0)
    request = receiver.wait_for(1)[0]
    assert request.headers["X-Payload-Digest-Alg"] == alg
    assert request.headers["X-Payload-Digest"] == digest(f"secret-{alg}", request.body, alg)
    assert len(request.headers["X-Payload-Digest"]) == {"HMAC_SHA1_HEX": 40, "HMAC_SHA256_HEX": 64}.get(alg, 128)


def test_several_endpoints_per_provider_each_with_its_filter_tenant_and_secret(sim, receiver):
    everything = sim.endpoint(receiver.url, secret="a")
    done_only = sim.endpoint(receiver.url, secret="b", events=["thing.done"])
    wildcard = sim.endpoint(receiver.url, secret="c", events=["thing.*"])
    other_tenant = sim.endpoint(receiver.url, secret="d", tenant="someone-else")
    sim.thing()
    sim.ping()
    sim.advance(60)
    by_endpoint: dict[str, list[str]] = {}
    for attempt in sim.attempts():
        by_endpoint.setdefault(attempt["endpoint_id"], []).append(attempt["event_type"])
    assert sorted(by_endpoint[everything["id"]]) == ["ping", "thing.created", "thing.done", "thing.processing"]
    assert by_endpoint[done_only["id"]] == ["thing.done"]
    assert sorted(by_endpoint[wildcard["id"]]) == ["thing.created", "thing.done", "thing.processing"]
    assert other_tenant["id"] not in by_endpoint
    for request in receiver.requests:
        assert request.headers["X-Hook-Signature"] in {hook_signature(s, request.body) for s in "abc"}


def test_endpoints_control_api(sim, receiver):
    created = sim.endpoint(receiver.url, events="thing.done,ping", tenant="t1")
    assert created["secret"] == "set" and created["events"] == ["thing.done", "ping"] and created["source"] == "api"
    path = f"/_sim/webhooks/endpoints/{created['id']}"
    assert sim.client.get(path).json()["url"] == receiver.url
    assert sim.client.get("/_sim/webhooks/endpoints", params={"provider": "digest"}).json()["count"] == 0
    assert sim.client.patch(path, json={"provider": "digest"}).status_code == 400
    assert sim.client.delete(path).status_code == 204
    assert sim.client.get(path).status_code == 404
    assert sim.client.delete(path).status_code == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"provider": "hooks", "all_tenants": True}, "needs 'url'"),
        ({"provider": "hooks", "url": "http://127.0.0.1:9/"}, "say whose events"),
        ({"provider": "hooks", "url": "http://127.0.0.1:9/", "tenant": "t", "all_tenants": True}, "not both"),
        ({"provider": "hooks", "url": "ftp://x", "tenant": "t"}, "http(s) URL"),
        ({"provider": "hooks", "url": "http://a:99999/", "tenant": "t"}, "http(s) URL"),
        ({"provider": "nobody", "url": "http://127.0.0.1:9/", "tenant": "t"}, "sends no webhooks here"),
        ({"provider": "hooks", "url": "http://127.0.0.1:9/", "events": [1], "tenant": "t"}, "list of event types"),
        ({"provider": "hooks", "url": "http://127.0.0.1:9/", "colour": "red", "tenant": "t"}, "unknown field(s)"),
        (
            {"provider": "hooks", "url": "http://127.0.0.1:9/", "tenant": "t", "options": {"headers": {"A": 1}}},
            "options.headers",
        ),
    ],
)
def test_bad_endpoints_get_a_clear_400(sim, body, message):
    response = sim.client.post("/_sim/webhooks/endpoints", json=body)
    assert response.status_code == 400 and message in response.json()["error"]["message"]


def test_endpoints_from_the_config_file(tmp_path, make_client, receiver):
    config = tmp_path / "kycsim.yaml"
    config.write_text(
        "webhooks:\n"
        "  endpoints:\n"
        f"    - {{provider: hooks, url: '{receiver.url}', secret: {SECRET}, events: [ping], chaos: {{duplicate: 1}}}}\n"
        f"    - {{provider: digest, url: '{receiver.url}', secret: x, options: {{alg: HMAC_SHA512_HEX}}}}\n"
        "    - {provider: absent, url: 'http://127.0.0.1:9/'}\n"
    )
    settings = read_config_file(str(config))
    client = make_client(**settings)
    endpoints = client.get("/_sim/webhooks/endpoints").json()["data"]
    assert [(e["provider"], e["source"], e["chaos"]) for e in endpoints] == [
        ("hooks", "config", {"duplicate": 1}),
        ("digest", "config", {}),
    ]
    client.post("/hooks/ping")
    client.post("/_sim/clock/advance", json={"seconds": 0})
    assert len(receiver.wait_for(2)) == 2


def test_a_bad_config_endpoint_stops_start_up_with_its_place():
    with pytest.raises(EndpointError, match=r"webhooks.endpoints\[1\]: 'url'"):
        config_endpoints({"endpoints": [{"provider": "a", "url": "http://x.test/"}, {"provider": "a", "url": 3}]})
    from tests.webhook_support.providers import hook_settings

    with pytest.raises(SettingsError, match="unknown key"):
        hook_settings(webhooks={"endpoint": []})


def test_endpoints_from_the_environment_as_json():
    from simulator.settings import load_settings

    settings = load_settings(
        {}, {"KYCSIM_WEBHOOKS": '{"endpoints": [{"provider": "hooks", "url": "http://127.0.0.1:9/"}]}'}
    )
    assert settings.webhooks["endpoints"][0]["provider"] == "hooks"
    with pytest.raises(SettingsError, match="KYCSIM_WEBHOOKS must be JSON"):
        load_settings({}, {"KYCSIM_WEBHOOKS": "{nope"})
