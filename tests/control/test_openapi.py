"""``GET /_sim/openapi.json``: the control API describes itself, and schemathesis holds it to that.

Schemathesis makes requests from the document (valid ones and ones that break it) against a real
server: no call may answer 5xx, and every answer must be one the document lists, in its media type,
matching its schema. Derandomized, so every CI run makes the same requests.
"""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from simulator.engine.masking import mask
from simulator.server import ThreadedServer
from simulator.settings import Settings
from tests.webhook_support.receiver import closed_port_url

REFUSED = closed_port_url()
TENANT = "sk_sbox_openapiopenapiopenapiopenapio"
EXAMPLES = 25  # per operation: enough to reach each validation branch, cheap enough for every CI run


@pytest.fixture(scope="module")
def server():
    settings_ = Settings(seed=13, speed="manual", start_time="2025-01-01T00:00:00Z", log_level="warning")
    with ThreadedServer(settings_) as running:
        # Something to list, replay and change: a check played to its end, with its webhook to an endpoint.
        key = {"Authorization": f"Bearer {TENANT}"}
        with httpx.Client(base_url=running.url, timeout=30) as http:
            http.post(
                "/_sim/webhooks/endpoints",
                json={"provider": "checkout", "url": "http://127.0.0.1:9/hooks", "all_tenants": True},
            )
            applicant = http.post("/applicants", json={"email": "a@example.com"}, headers=key).json()
            http.post(
                "/identity-verifications",
                headers=key,
                json={"applicant_id": applicant["id"], "declared_data": {"name": "Al Bo"}},
            )
            http.post("/_sim/bindings", json={"scenario": "idv-approved", "match": {"email": "b@example.com"}})
        yield running


def test_every_control_call_answers_as_its_document_says(server):
    # Driven by hand rather than by schemathesis' pytest plugin, which reaches into pytest's internals.
    schema = schemathesis.openapi.from_url(f"{server.url}/_sim/openapi.json")
    tried = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.definition.raw.get("operationId") == "events":
            continue  # a stream that never ends: tests/control/test_webhook_stream.py covers it
        # Where a valid request may still be refused, schemathesis is not told to expect a yes: a provider's
        # control calls are described only as "a JSON object", and a trigger's tenant must be a credential
        # kycsim can sign with (any Checkout.com key; a Sumsub app token it knows the secret of).
        provider_call = operation.path.startswith(("/_sim/checkout/", "/_sim/sumsub/"))
        excluded = [positive_data_acceptance] if provider_call or operation.path == "/_sim/trigger" else []

        call = _caller(operation, server.url, excluded)
        call()
        tried.append(operation.label)
    assert len(tried) >= 20, tried


def _caller(operation, base_url, excluded):
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        if isinstance(case.body, dict) and isinstance(case.body.get("url"), str):
            case.body["url"] = REFUSED  # webhooks go nowhere slow: no lookups of made-up host names
        for fields in (case.query, case.body):
            # A masked tenant ("sk_sbox_…apio", as the control API shows one) stands for the known tenant it
            # masks: made-up masked forms name nobody, or whoever the calls before happened to create.
            if isinstance(fields, dict) and isinstance(fields.get("tenant"), str) and "…" in fields["tenant"]:
                fields["tenant"] = mask(TENANT)
        case.call_and_validate(base_url=base_url, excluded_checks=excluded)

    return call


def test_the_document_is_openapi_3_1_with_every_control_call_and_its_schemas(server):
    doc = httpx.get(f"{server.url}/_sim/openapi.json").json()
    assert doc["openapi"] == "3.1.0" and doc["info"]["title"] == "kycsim control API"
    operations = {op["operationId"] for item in doc["paths"].values() for op in item.values()}
    assert {
        "health",
        "create_binding",
        "advance_clock",
        "reset",
        "list_runs",
        "events",
        "openapi",
        "trigger",
        "get_story",
        "list_tenants",
    } <= operations
    assert {"checkout_sim_resolve_aml_case", "sumsub_sim_add_app_token"} <= operations  # the providers' own
    binding = doc["paths"]["/_sim/bindings"]["post"]
    assert binding["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/binding.request"
    }
    assert "idv-declined-62304" in doc["components"]["schemas"]["binding.request"]["properties"]["scenario"]["enum"]
    assert doc["components"]["schemas"]["common"]["$defs"]["binding"]["required"][0] == "id"
    stream = doc["paths"]["/_sim/events"]["get"]["responses"]["200"]["content"]
    assert list(stream) == ["text/event-stream"]


def test_a_body_with_a_field_the_call_does_not_know_is_refused_with_the_close_one(server):
    response = httpx.post(f"{server.url}/_sim/bindings", json={"secnario": "idv-approved", "match": {"a": "b"}})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "unknown field(s) 'secnario' (did you mean 'scenario'?); known: match, scenario, tenant, times"
    )
