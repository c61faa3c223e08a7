from __future__ import annotations

import pytest

from simulator.providers.checkout import aml_lifecycle as aml
from simulator.providers.checkout import constants as c


def doc(status: str = aml.CREATED, monitored: bool = False, **state) -> dict:
    d = {"id": "amlv_x", "status": status, "monitored": monitored, "modified_on": "t0"}
    if state:
        d[aml.SIM_KEY] = {**aml.new_state(), **state}
    return d


def test_screening_starts_from_created_only():
    t = aml.start_screening(doc())
    assert t.status == aml.SCREENING_IN_PROGRESS
    assert t.events == (aml.EVENT_ONBOARDING_STARTED,)  # one transition, one event
    with pytest.raises(aml.AmlTransitionError):
        aml.start_screening(doc(aml.APPROVED))


@pytest.mark.parametrize("level", ["LOW", "MEDIUM", "HIGH"])
def test_no_alert_approves_at_any_risk_level_but_prohibited(level):
    t = aml.complete_screening(doc(aml.SCREENING_IN_PROGRESS), level, alerts=0)
    assert (t.status, t.case, t.screened, t.risk_level) == (aml.APPROVED, None, True, level)
    assert t.event == aml.EVENT_ONBOARDING_COMPLETED


def test_prohibited_declines_without_screening_whatever_the_alerts():
    t = aml.complete_screening(doc(aml.SCREENING_IN_PROGRESS), "PROHIBITED", alerts=5)
    assert (t.status, t.case, t.screened) == (aml.DECLINED, None, False)


def test_alerts_open_an_onboarding_case():
    t = aml.complete_screening(doc(aml.SCREENING_IN_PROGRESS), "HIGH", alerts=2)
    assert t.status == aml.REVIEW_REQUIRED
    assert t.case == {"origin": aml.ONBOARDING, "alerts": 2}
    assert t.events == (aml.EVENT_ONBOARDING_COMPLETED,)


def test_bad_inputs_are_value_errors():
    with pytest.raises(ValueError):
        aml.complete_screening(doc(), "EXTREME")
    with pytest.raises(ValueError):
        aml.complete_screening(doc(), "LOW", alerts=-1)
    with pytest.raises(ValueError):
        aml.resolve_case(doc(aml.REVIEW_REQUIRED), "maybe")
    with pytest.raises(ValueError):
        aml.monitoring_alert(doc(aml.APPROVED, monitored=True), alerts=0)


def test_the_onboarding_verdict_is_given_once():
    with pytest.raises(aml.AmlTransitionError) as err:
        aml.complete_screening(doc(aml.APPROVED), "LOW")
    assert err.value.status == aml.APPROVED


@pytest.mark.parametrize("decision", [aml.APPROVED, aml.DECLINED])
def test_resolving_an_onboarding_case(decision):
    d = doc(aml.REVIEW_REQUIRED, case={"origin": aml.ONBOARDING, "alerts": 1}, risk_level="HIGH")
    t = aml.resolve_case(d, decision)
    assert (t.status, t.case, t.risk_level) == (decision, None, "HIGH")
    assert t.events == (aml.EVENT_ONBOARDING_REVIEWED,)  # the first decision: no status_changed


def test_only_an_open_case_can_be_resolved():
    for status in (aml.CREATED, aml.SCREENING_IN_PROGRESS, aml.APPROVED, aml.DECLINED):
        with pytest.raises(aml.AmlTransitionError):
            aml.resolve_case(doc(status), aml.APPROVED)


def test_monitoring_alert_reopens_a_case_for_monitored_approved_applicants_only():
    t = aml.monitoring_alert(doc(aml.APPROVED, monitored=True, risk_level="LOW"), alerts=3)
    assert (t.status, t.case) == (aml.REVIEW_REQUIRED, {"origin": aml.MONITORING, "alerts": 3})
    assert t.event == aml.EVENT_MONITORING_ALERT
    with pytest.raises(aml.AmlTransitionError, match="not monitored"):
        aml.monitoring_alert(doc(aml.APPROVED, monitored=False))
    with pytest.raises(aml.AmlTransitionError):
        aml.monitoring_alert(doc(aml.DECLINED, monitored=True))


def test_resolving_a_monitoring_case_sends_monitoring_reviewed():
    d = doc(aml.REVIEW_REQUIRED, monitored=True, case={"origin": aml.MONITORING, "alerts": 1})
    assert aml.resolve_case(d, aml.DECLINED).event == aml.EVENT_MONITORING_REVIEWED


def test_apply_walks_a_full_life_and_keeps_private_state_apart():
    d = doc(monitored=True)
    aml.apply(d, aml.created(), "t1")
    aml.apply(d, aml.start_screening(d), "t2")
    aml.apply(d, aml.complete_screening(d, "MEDIUM", 0), "t3")
    assert d["status"] == aml.APPROVED and d["modified_on"] == "t3"
    aml.apply(d, aml.monitoring_alert(d), "t4")
    assert d["status"] == aml.REVIEW_REQUIRED and d[aml.SIM_KEY]["case"]["origin"] == aml.MONITORING
    aml.apply(d, aml.resolve_case(d, aml.APPROVED), "t5")
    state = d[aml.SIM_KEY]
    assert d["status"] == aml.APPROVED and state["case"] is None and state["risk_level"] == "MEDIUM"
    assert [h["event"] for h in state["history"]] == [
        aml.EVENT_CREATED,
        aml.EVENT_ONBOARDING_STARTED,
        aml.EVENT_ONBOARDING_COMPLETED,
        aml.EVENT_MONITORING_ALERT,
        aml.EVENT_MONITORING_REVIEWED,
    ]


def test_every_event_type_is_reachable():
    seen = set()
    d = doc(monitored=True)
    for t_fn in (
        lambda: aml.created(),
        lambda: aml.start_screening(d),
        lambda: aml.complete_screening(d, "LOW", 1),
        lambda: aml.resolve_case(d, aml.APPROVED),
        lambda: aml.monitoring_alert(d),
        lambda: aml.resolve_case(d, aml.APPROVED),
        lambda: aml.update_status(d, aml.DECLINED),
    ):
        t = t_fn()
        seen.update(t.events)
        aml.apply(d, t, "t")
    assert seen == set(c.AML_EVENTS)


def test_status_changed_is_a_decided_screening_changed_afterwards():
    d = doc(aml.APPROVED, risk_level="LOW")
    updated = aml.update_status(d, aml.DECLINED)
    assert (updated.status, updated.events, updated.case) == (aml.DECLINED, (aml.EVENT_STATUS_CHANGED,), None)
    reopened = aml.update_status(d, aml.REVIEW_REQUIRED)
    assert reopened.status == aml.REVIEW_REQUIRED and reopened.events == (aml.EVENT_STATUS_CHANGED,)
    assert reopened.case == {"origin": aml.ONBOARDING, "alerts": 0} and reopened.risk_level == "LOW"
    for status in (aml.CREATED, aml.SCREENING_IN_PROGRESS, aml.REVIEW_REQUIRED):
        with pytest.raises(aml.AmlTransitionError):
            aml.update_status(doc(status), aml.DECLINED)  # nothing decided yet
    with pytest.raises(aml.AmlTransitionError, match="already"):
        aml.update_status(d, aml.APPROVED)
    with pytest.raises(ValueError):
        aml.update_status(d, aml.CREATED)


def test_a_reopened_review_is_resolved_where_its_last_case_came_from():
    d = doc(monitored=True)
    for change in (lambda: aml.created(), lambda: aml.start_screening(d), lambda: aml.complete_screening(d, "LOW")):
        aml.apply(d, change(), "t")
    aml.apply(d, aml.monitoring_alert(d), "t")
    aml.apply(d, aml.resolve_case(d, aml.APPROVED), "t")
    aml.apply(d, aml.update_status(d, aml.REVIEW_REQUIRED), "t")
    assert aml.resolve_case(d, aml.DECLINED).events == (aml.EVENT_MONITORING_REVIEWED,)
