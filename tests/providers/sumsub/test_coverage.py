"""Every wire value of constants.py is produced by a bundled scenario, and every bundled scenario
actually produces what it claims when played through the API."""

from __future__ import annotations

import pytest

from simulator.coverage import coverage_report
from simulator.providers.sumsub import constants as c
from tests.providers.sumsub.support import assert_valid


def test_nothing_is_missing_from_the_sumsub_coverage(sim):
    report = coverage_report(sim.catalogue, sim.providers)
    assert report["missing"]["sumsub"] == {}
    assert set(report["providers"]["sumsub"]["rejectLabel"]) == set(c.REJECT_LABELS)


def test_the_targets_list_every_constant(sim):
    targets = sim.providers["sumsub"].coverage_targets()
    assert targets["webhookType"] == set(c.WEBHOOK_TYPES)
    assert targets["applicant.reviewStatus"] == {"init", "pending", "prechecked", "queued", "completed", "onHold"}
    assert targets["checkAnswer"] == {"GREEN", "YELLOW", "RED", "IGNORED", "ERROR"}
    assert len(c.REJECT_LABELS) == len(set(c.REJECT_LABELS))
    assert "BLACK_AND_WHITE" in c.REJECT_LABELS and "BLACK_WHITE" not in c.REJECT_LABELS


def test_the_reject_label_families_cover_every_label_once(sim):
    families = [s for s in sim.catalogue.scenarios.values() if s.family in ("red-final-{label}", "red-retry-{label}")]
    assert len(families) == len(c.REJECT_LABELS)


def test_produces_follows_the_liveness_rule(sim):
    produced = sim.providers["sumsub"].produces(sim.catalogue.get("action-liveness-failed"))
    assert produced["checkType"] == {"FACE_LIVELINESS"} and produced["checkAnswer"] == {"RED"}


def _played(api, flow, sim, scenario):
    """Chosen by header, made by API, then handed to the simulated person with an access token."""
    if scenario.product == "applicant_action":
        applicant = flow.applicant()
        subject_id = flow.played_action(applicant, scenario.name, email="a@example.com")["id"]
    else:
        subject_id = flow.played_applicant(scenario.name)["id"]
    flow.advance(2 * 86400)
    if scenario.product == "applicant_action":
        body = api.get(f"/resources/applicantActions/{subject_id}/one").json()
        assert_valid("action", body)
    else:
        found = api.get(f"/resources/applicants/{subject_id}/one")
        body = found.json() if found.status_code == 200 else None  # applicant-deactivated ends deleted
        if body is not None:
            assert_valid("applicant", body)
    return body, [e for e in sim.dispatcher.events if e.resource == subject_id]


@pytest.mark.parametrize(
    "name", ["applicant-approved", "applicant-on-hold", "applicant-deactivated", "action-approved"]
)
def test_a_played_scenario_emits_what_produces_says(api, flow, sim, name):
    scenario = sim.catalogue.get(name)
    body, events = _played(api, flow, sim, scenario)
    claimed = sim.providers["sumsub"].produces(scenario)
    assert {e.type for e in events} == claimed["webhookType"]


def test_every_bundled_sumsub_scenario_plays_to_its_end(api, flow, sim):
    for scenario in sim.catalogue.scenarios.values():
        if scenario.provider != "sumsub":
            continue
        body, events = _played(api, flow, sim, scenario)
        claimed = sim.providers["sumsub"].produces(scenario)
        assert {e.type for e in events} == claimed["webhookType"], scenario.name
        review_step = [s for s in scenario.steps if s.do == "review"]
        if body is not None and review_step and scenario.name != "applicant-deactivated":
            last = review_step[-1].args
            assert body["review"]["reviewResult"]["reviewAnswer"] == last["answer"], scenario.name
            if last["answer"] == "RED":
                assert body["review"]["reviewResult"]["rejectLabels"] == [x.upper() for x in last["reject_labels"]]
        for run in sim.store.list(sim.settings.sumsub_app_token, "sumsub", "_runs"):
            assert run["status"] in ("finished", "running"), (scenario.name, run)
