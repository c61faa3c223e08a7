"""The typed client (simulator/client.py): one method per control call, sync and async alike, one error class."""

from __future__ import annotations

import asyncio
import inspect

import pytest

from simulator.client import AsyncKycSim, KycSim, KycSimError
from simulator.control.client import ControlClient, ControlClientError
from simulator.server import ThreadedServer
from simulator.settings import Settings
from tests.webhook_support.receiver import Receiver, closed_port_url

# operationId of GET /_sim/openapi.json -> the client's method ("checkout." / "sumsub.": the provider's part)
METHODS = {
    "health": "health",
    "openapi": "openapi",
    "list_scenarios": "scenarios",
    "get_scenario": "scenario",
    "coverage": "coverage",
    "create_binding": "bind",
    "list_bindings": "bindings",
    "delete_binding": "delete_binding",
    "reset": "reset",
    "get_clock": "clock",
    "advance_clock": "advance",
    "list_requests": "requests",
    "list_webhooks": "webhooks",
    "list_webhook_deliveries": "webhook_deliveries",
    "list_webhook_events": "webhook_events",
    "create_webhook_endpoint": "add_webhook_endpoint",
    "list_webhook_endpoints": "webhook_endpoints",
    "get_webhook_endpoint": "webhook_endpoint",
    "update_webhook_endpoint": "update_webhook_endpoint",
    "delete_webhook_endpoint": "delete_webhook_endpoint",
    "replay_webhook": "replay_webhook",
    "events": "event_stream",
    "list_runs": "runs",
    "search_stories": "stories",
    "get_story": "story",
    "list_tenants": "tenants",
    "trigger": "trigger",
    "resume_run": "resume_run",
    "checkout_sim_resolve_aml_case": "checkout.aml_resolve",
    "checkout_sim_raise_aml_monitoring_alert": "checkout.aml_monitoring_alert",
    "checkout_sim_update_aml_status": "checkout.aml_update_status",
    "sumsub_sim_add_app_token": "sumsub.add_app_token",
    "sumsub_sim_list_app_tokens": "sumsub.app_tokens",
    "sumsub_sim_add_webhook": "sumsub.add_webhook",
    "sumsub_sim_list_webhooks": "sumsub.webhooks",
    "sumsub_sim_submit": "sumsub.submit",
}
KEY = "sk_sbox_client_tests"


@pytest.fixture(scope="module")
def server():
    with ThreadedServer(Settings(seed=7, speed="manual", start_time="2025-01-01T00:00:00Z")) as running:
        yield running


@pytest.fixture
def kycsim(server):
    with KycSim(server.url) as client:
        yield client
        client.reset()


def _method(client: object, dotted: str):
    target = client
    for part in dotted.split("."):
        target = getattr(target, part)
    return target


def test_every_call_of_the_openapi_document_has_a_method_in_both_clients(kycsim, server):
    operations = {op["operationId"] for path in kycsim.openapi()["paths"].values() for op in path.values()}
    assert operations == set(METHODS), "a control call without a client method (or a method of no call)"
    asynchronous = AsyncKycSim(server.url)
    for dotted in METHODS.values():
        sync, other = _method(kycsim, dotted), _method(asynchronous, dotted)
        assert inspect.signature(sync) == inspect.signature(other) or dotted == "event_stream", dotted


def _public_methods(cls: type) -> list[tuple[str, object]]:
    return [(name, f) for name, f in inspect.getmembers(cls, inspect.isfunction) if not name.startswith("_")]


@pytest.mark.parametrize("cls", ["KycSim", "AsyncKycSim", "CheckoutCalls", "SumsubCalls"])
def test_every_public_method_is_typed_and_documented(cls):
    from simulator.providers.checkout.client import CheckoutCalls
    from simulator.providers.sumsub.client import SumsubCalls

    found = {"KycSim": KycSim, "AsyncKycSim": AsyncKycSim, "CheckoutCalls": CheckoutCalls, "SumsubCalls": SumsubCalls}
    methods = _public_methods(found[cls])
    assert len(methods) >= 3
    for name, function in methods:
        signature = inspect.signature(function)
        assert function.__doc__ and function.__doc__.strip(), f"{cls}.{name} has no docstring"
        untyped = [p for p in list(signature.parameters.values())[1:] if p.annotation is inspect.Parameter.empty]
        assert not untyped and signature.return_annotation is not inspect.Signature.empty, f"{cls}.{name}"


def test_the_calls_answer_what_the_api_answers(kycsim):
    assert kycsim.health()["status"] == "ok" and kycsim.health()["speed"] == "manual"
    assert {"idv-approved", "idv-declined-62304"} <= {s["name"] for s in kycsim.scenarios(provider="checkout")}
    assert kycsim.scenario("idv-declined-62304")["provider"] == "checkout"
    assert "checkout" in kycsim.coverage()["providers"] or kycsim.coverage()
    binding = kycsim.bind("idv-declined-62304", {"email": "c@example.com"}, tenant=KEY, times=1)
    assert [b["id"] for b in kycsim.bindings(tenant=KEY)] == [binding["id"]]
    assert kycsim.delete_binding(binding["id"]) is None and kycsim.bindings() == []
    assert kycsim.advance("15m", tenant=KEY)["elapsed_seconds"] == 900
    assert kycsim.advance(60, tenant=KEY)["elapsed_seconds"] == 960
    assert kycsim.clock(KEY)["elapsed_seconds"] == 960 and kycsim.clock()["elapsed_seconds"] == 0
    started = kycsim.trigger("idv-approved", tenant=KEY)
    assert started["scenario"] == "idv-approved" and started["story"]
    runs = kycsim.runs(KEY)
    assert runs["count"] == 1 and runs["pending_jobs"] >= 1 and runs["data"][0]["scenario"] == "idv-approved"
    assert kycsim.advance(to="next", tenant=KEY)["fired"] >= 1
    assert [r["method"] for r in kycsim.requests("POST", "/identity-verifications", tenant=KEY)]
    check = kycsim.stories(tenant=KEY)[0]
    assert kycsim.story(check["id"], tenant=KEY)["id"] == check["id"]
    assert [t["tenant"] for t in kycsim.tenants()] == ["sk_sbox_…ests"]
    assert kycsim.webhook_events(tenant=KEY, type="identity_verification_opened")
    assert kycsim.reset(KEY) == {"reset": "sk_sbox_…ests"} and kycsim.runs(KEY)["count"] == 0


def test_webhook_endpoints_deliveries_and_replay(kycsim):
    with Receiver() as receiver:
        endpoint = kycsim.add_webhook_endpoint("checkout", receiver.url, tenant=KEY, secret="s", ordered=True)
        assert kycsim.webhook_endpoint(endpoint["id"])["url"] == receiver.url
        assert [e["id"] for e in kycsim.webhook_endpoints(provider="checkout", tenant=KEY)] == [endpoint["id"]]
        kycsim.trigger("idv-approved", tenant=KEY)
        kycsim.advance("10m", tenant=KEY)
        attempts = kycsim.webhooks(tenant=KEY, ok=True)
        assert attempts and kycsim.webhooks(tenant=KEY, ok=False) == []
        assert {d["state"] for d in kycsim.webhook_deliveries(tenant=KEY)} == {"delivered"}
        again = kycsim.replay_webhook(attempts[0]["delivery_id"])
        assert again["replay"] is True and again["status_code"] == 200
        assert kycsim.update_webhook_endpoint(endpoint["id"], chaos={"duplicate": 1})["chaos"] == {"duplicate": 1}
        assert kycsim.delete_webhook_endpoint(endpoint["id"]) is None and kycsim.webhook_endpoints() == []


def test_the_event_stream_yields_frames(kycsim):
    frames = kycsim.event_stream(tenant=KEY, provider=["checkout"])
    ready = next(frames)
    assert ready["event"] == "ready" and ready["data"]["providers"] == ["checkout"]
    kycsim.trigger("idv-approved", tenant=KEY)
    assert next(frames)["event"] == "webhook"
    frames.close()


def test_a_failed_call_raises_one_error_carrying_the_api_error(kycsim):
    with pytest.raises(KycSimError) as unknown:
        kycsim.bind("idv-declned-62304", {"email": "x@example.com"})
    assert unknown.value.status == 400 and unknown.value.type == "invalid_request"
    assert "did you mean 'idv-declined-62304'" in unknown.value.message
    with pytest.raises(KycSimError) as missing:
        kycsim.scenario("no/such?scenario")  # one path segment, never another route
    assert missing.value.status == 404 and missing.value.type == "not_found"
    with pytest.raises(KycSimError, match="'seconds' must be a number") as wrong:
        kycsim.advance([1], tenant=KEY)  # type: ignore[arg-type]
    assert wrong.value.status == 400
    with pytest.raises(KycSimError) as nothing_next:
        kycsim.advance(to="next", tenant="sk_sbox_nothing_scheduled")
    assert nothing_next.value.status == 409 and nothing_next.value.type == "conflict"
    assert isinstance(nothing_next.value, ControlClientError)  # the old name catches it too


def test_a_kycsim_that_does_not_answer_is_an_error_too():
    with KycSim(closed_port_url().removesuffix("/hooks"), timeout=2) as down, pytest.raises(KycSimError) as failed:
        down.health()
    assert failed.value.type == "unreachable" and failed.value.status is None
    assert "cannot reach kycsim" in str(failed.value)
    with pytest.raises(KycSimError, match="not_ready|cannot reach"):
        KycSim(closed_port_url().removesuffix("/hooks")).wait_healthy(timeout=0.3, interval=0.1)
    for bad in ("localhost:8000", "ftp://x", None):
        with pytest.raises(KycSimError, match="must start with http"):
            KycSim(bad)  # type: ignore[arg-type]


def test_a_server_that_answers_something_else_is_a_clear_error():
    with Receiver() as not_kycsim, pytest.raises(KycSimError) as odd:  # 501 HTML to GETs
        KycSim(not_kycsim.url.removesuffix("/hooks")).health()
    assert odd.value.status == 501 and odd.value.type == "bad_response"


def test_provider_parts_are_found_through_the_registry(kycsim):
    assert type(kycsim.checkout).__module__ == "simulator.providers.checkout.client"
    assert kycsim.provider("sumsub") is kycsim.sumsub
    with pytest.raises(AttributeError, match="did you mean 'checkout'"):
        kycsim.checkuot  # noqa: B018
    token = {"app_token": "sbx:client.tests", "secret_key": "client-secret"}
    assert kycsim.sumsub.add_app_token(**token)["appToken"] == "sbx:client.tests"
    assert [t["tenant"] for t in kycsim.sumsub.app_tokens(tenant="sbx:client.tests")] == ["sbx:…ests"]
    with pytest.raises(KycSimError) as other_secret:
        kycsim.sumsub.add_app_token("sbx:client.tests", "another")
    assert other_secret.value.status == 403 and other_secret.value.type == "forbidden"


def test_the_old_control_client_is_the_new_one(server):
    client = ControlClient(server.url)
    assert isinstance(client, KycSim) and client.health()["status"] == "ok" and client.url == server.url
    with pytest.raises(ControlClientError, match="404"):
        client.checkout.aml_resolve("amlv_missing", "approved")


def test_the_async_client_makes_the_same_calls(server):
    async def play() -> tuple[dict, dict, dict]:
        async with AsyncKycSim(server.url) as kycsim:
            health = await kycsim.health()
            await kycsim.trigger("idv-approved", tenant=KEY)
            moved = await kycsim.advance(to="next", tenant=KEY)
            frames = kycsim.event_stream(tenant=KEY)
            ready = await anext(frames)
            await frames.aclose()
            assert ready["event"] == "ready"
            with pytest.raises(KycSimError, match="did you mean"):
                await kycsim.bind("idv-aproved")
            with pytest.raises(KycSimError) as missing:  # a provider's part shares the async sender
                await kycsim.checkout.aml_monitoring_alert("amlv_x")
            assert missing.value.status == 404
            return health, await kycsim.runs(KEY), moved

    health, runs, moved = asyncio.run(play())
    assert health["status"] == "ok" and runs["count"] == 1 and moved["fired"] >= 1
    with KycSim(server.url) as kycsim:
        kycsim.reset(KEY)
