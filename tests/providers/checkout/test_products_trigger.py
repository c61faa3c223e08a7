"""``kycsim trigger`` for FA, IDDV, ADV and AML scenarios: the calls a client makes, then the scenario plays."""

from __future__ import annotations

import pytest

from simulator.cli_trigger import trigger
from simulator.server import ThreadedServer
from simulator.settings import Settings

KINDS = {
    "face_authentication": "face_authentications",
    "id_document_verification": "id_document_verifications",
    "address_document_verification": "address_document_verifications",
    "aml_screening": "aml_verifications",
}


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("fa-declined-62321", "declined", 62321),
        ("iddv-quality-aborted-61302", "retry_required", 61302),
        ("adv-approved", "approved", 10000),
        ("aml-review-required", "review_required", None),
    ],
)
def test_the_provider_makes_the_client_calls(api, name, status, code):
    scenario = api.sim.catalogue.get(name)
    calls = []
    ids = api.sim.providers["checkout"].trigger(api.client, scenario, lambda kind, detail: calls.append((kind, detail)))
    assert all(detail["status"] in (200, 201) for _, detail in calls), calls
    check_id = ids[f"{scenario.product.replace('aml_screening', 'aml_verification')}_id"]
    api.advance(3600)
    doc = api.sim.store.get(ids["tenant"], "checkout", KINDS[scenario.product], check_id)
    assert doc["status"] == status
    if code is not None:
        assert doc["response_codes"][0]["code"] == code


def test_kycsim_trigger_plays_a_face_authentication_end_to_end():
    lines: list[str] = []
    with ThreadedServer(Settings(seed=5, speed="manual", start_time="2025-01-01T00:00:00Z")) as server:
        assert trigger(server.url, "fa-approved", providers=server.sim.providers, out=lines.append) == 0
    text = "\n".join(lines)
    assert "POST /face-authentications" in text and "face_authentication_checks_completed" in text
