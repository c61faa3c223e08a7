"""Sumsub's enums, reject labels and webhook types, checked against an independent copy of the documents.

``tests/facts/sumsub.yaml`` is copied from Sumsub's documents, not from ``simulator/``. Every
bundled Sumsub scenario is played through the signed HTTP API, and every value kycsim renders
(review statuses and answers, reject labels with their type, check answers and types, webhook
types) is compared with the documents; every documented value is rendered by some scenario.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from starlette.testclient import TestClient

from simulator.app import create_app
from simulator.providers.sumsub import constants as c
from tests.facts import sumsub
from tests.providers.sumsub.conftest import Flow, Signed, sumsub_settings

FACTS = sumsub()
LABELS: dict[str, dict] = FACTS["reject_labels"]
WEBHOOKS = FACTS["webhook_types"]


def _submit_if_still_init(flow: Flow, path: str, pending_path: str) -> None:
    """Sumsub starts a review when the client (or the WebSDK) asks; the handed-off person has done it."""
    body = flow.client.get(path).json()
    if body.get("review", {}).get("reviewStatus") == c.INIT:
        response = flow.client.post(pending_path)
        assert response.status_code == 200, response.text


@pytest.fixture(scope="module")
def observed() -> dict[str, set]:
    """Every value every bundled Sumsub scenario rendered, by kind, in bodies and webhooks."""
    seen: dict[str, set] = defaultdict(set)
    with TestClient(create_app(sumsub_settings())) as raw:
        flow = Flow(Signed(raw))
        sim = raw.app.state.sim
        for scenario in sorted(sim.catalogue.scenarios.values(), key=lambda s: s.name):
            if scenario.provider != "sumsub":
                continue
            action = scenario.product == c.APPLICANT_ACTION
            # Made by API, then handed to the simulated person (an access token), who plays the scenario.
            applicant = flow.applicant(None) if action else flow.played_applicant(scenario.name)
            if action:
                subject = flow.played_action(applicant, scenario.name, email="a@example.com")
                path = f"/resources/applicantActions/{subject['id']}/one"
                pending = f"/resources/applicantActions/{subject['id']}/review/status/pending"
            else:
                subject = applicant
                path = f"/resources/applicants/{subject['id']}/one"
                pending = f"/resources/applicants/{subject['id']}/status/pending"
            kind = "action" if action else "applicant"
            bodies = _step_through(flow, raw, path, pending, sim.settings.sumsub_app_token)
            for body in bodies:
                seen[f"{kind}.reviewStatus"].add(body["review"]["reviewStatus"])
                _results(seen, kind, scenario.name, body["review"].get("reviewResult"))
                _results(seen, kind, scenario.name, body.get("reviewResult"))
                for check in body.get("checks", []):
                    seen["checkAnswer"].add(check["answer"])
                    seen["checkType"].add(check["checkType"])
            events = raw.get("/_sim/webhooks/events", params={"resource": subject["id"]}).json()["data"]
            for event in events:
                payload = json.loads(event["body"])
                assert payload["type"] == event["type"]
                seen[f"{kind}.webhookType"].add(payload["type"])
                seen[f"{kind}.reviewStatus"].add(payload["reviewStatus"])
                _results(seen, kind, scenario.name, payload.get("reviewResult"))
    return seen


def _step_through(flow: Flow, raw: TestClient, path: str, pending: str, tenant: str) -> list[dict]:
    """The subject's body after each scenario step (transient statuses too), then two days on."""
    bodies = []

    def look() -> None:
        found = flow.client.get(path)
        if found.status_code == 200:  # applicant-deactivated ends deleted
            bodies.append(found.json())

    for submitted in (False, True):
        for _ in range(50):
            due = raw.get("/_sim/runs", params={"tenant": tenant}).json()["next_job_in_seconds"]
            if due is None or due > 86400:
                break
            flow.advance(due + 0.001)
            look()
        if not submitted:
            _submit_if_still_init(flow, path, pending)
    flow.advance(2 * 86400)
    look()
    return bodies


def _results(seen: dict[str, set], kind: str, scenario: str, result: dict | None) -> None:
    if not result:
        return
    seen[f"{kind}.reviewAnswer"].add(result["reviewAnswer"])
    if result["reviewAnswer"] == c.RED and kind == "applicant":
        reject_type = result.get("reviewRejectType")
        seen["rejectType"].add(reject_type)
        for label in result.get("rejectLabels", []):
            seen["rejectLabel"].add(label)
            seen["labelWithType"].add((label, reject_type, scenario))


def test_kycsim_knows_exactly_the_documented_labels():
    assert set(c.REJECT_LABELS) == set(LABELS)
    assert not set(FACTS["not_reject_labels"]) & set(c.REJECT_LABELS)


def test_every_documented_label_is_rendered_and_nothing_else(observed):
    assert observed["rejectLabel"] == set(LABELS)


def test_each_label_comes_with_a_type_the_documents_group_it_under(observed):
    for label, reject_type, scenario in observed["labelWithType"]:
        documented = set(LABELS[label].values())
        if label == "PROBLEMATIC_APPLICANT_DATA":
            documented.add("FINAL")  # sent FINAL for e-KYC, per the newer pages
        assert reject_type in FACTS["reject_types"], scenario
        assert not documented or reject_type in documented, f"{scenario}: {label} as {reject_type}"


def test_review_statuses_answers_and_reject_types_are_the_documented_ones(observed):
    statuses = set(FACTS["review_statuses"])
    assert observed["applicant.reviewStatus"] == statuses
    assert observed["action.reviewStatus"] <= statuses and {c.INIT, c.PENDING, c.COMPLETED} <= statuses
    assert observed["applicant.reviewAnswer"] == set(FACTS["applicant_review_answers"])
    assert observed["action.reviewAnswer"] == set(FACTS["action_review_answers"])
    assert observed["rejectType"] == set(FACTS["reject_types"])


def test_check_answers_and_types_are_the_documented_ones(observed):
    assert observed["checkAnswer"] == set(FACTS["check_answers"])
    liveness = observed["checkType"] - set(FACTS["action_check_types"])
    assert len(liveness) == 1 and liveness <= set(FACTS["liveness_check_type_spellings"])
    assert set(FACTS["action_check_types"]) <= observed["checkType"]


def test_webhook_types_are_documented_and_sent_on_the_right_subject(observed):
    documented = {t for group in WEBHOOKS.values() for t in group}
    assert set(c.WEBHOOK_TYPES) <= documented
    assert observed["applicant.webhookType"] <= set(WEBHOOKS["applicant"]) | set(WEBHOOKS["seen_in_code"])
    assert observed["action.webhookType"] == set(WEBHOOKS["action"])
    assert observed["applicant.webhookType"] | observed["action.webhookType"] == set(c.WEBHOOK_TYPES)
    # The core verification group is all there.
    core = {"applicantCreated", "applicantPending", "applicantPrechecked", "applicantReviewed", "applicantOnHold"}
    assert core <= observed["applicant.webhookType"]


def test_test_completed_renders_every_documented_label_as_sent(api, flow):
    applicant = flow.applicant()
    labels = sorted(LABELS)
    body = {"reviewAnswer": "RED", "rejectLabels": labels, "reviewRejectType": "RETRY"}
    response = api.post(f"/resources/applicants/{applicant['id']}/status/testCompleted", json=body)
    assert response.status_code == 200, response.text
    status = api.get(f"/resources/applicants/{applicant['id']}/status").json()
    assert status["reviewResult"]["rejectLabels"] == labels
    assert status["reviewResult"]["reviewRejectType"] == "RETRY" and status["reviewStatus"] == "completed"
