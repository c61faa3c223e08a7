"""The sandbox's six magic external_applicant_id patterns, with any real code."""

from __future__ import annotations

import pytest

from simulator.providers.checkout.sandbox import parse, scenario_for


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("eaplt_10000000000000000000000000", {"retry": None, "how": None, "final": 10000}),
        ("eaplt_62201000000000000000000000", {"retry": None, "how": None, "final": 62201}),
        ("eaplt_61203A10000000000000000000", {"retry": 61203, "how": "A", "final": 10000}),
        ("eaplt_61411I10000000000000000000", {"retry": 61411, "how": "I", "final": 10000}),
        ("eaplt_61203A62103000000000000000", {"retry": 61203, "how": "A", "final": 62103}),
        ("eaplt_61411I62304000000000000000", {"retry": 61411, "how": "I", "final": 62304}),
    ],
)
def test_the_six_patterns(value, parsed):
    assert len(value) == 32
    assert parse(value) == parsed


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "ext_osdfdfdb4hryu5cei5vwoabrk5k",
        "eaplt_99999000000000000000000000",
        "eaplt_61999A10000000000000000000",
        "eaplt_62103A10000000000000000000",
        "eaplt_61203X10000000000000000000",
        "eaplt_10000000000000000000000001",
    ],
)
def test_other_values_are_not_magic(value):
    assert parse(value) is None
    assert scenario_for(value) is None


def run(api, external_applicant_id: str) -> tuple[list[str], list[dict], str]:
    applicant = api.applicant(external_applicant_id=external_applicant_id)
    idv = api.idv(applicant["id"])
    api.attempt(idv["id"])
    api.advance(200)
    if api.get_idv(idv["id"])["status"] == "retry_required":
        api.attempt(idv["id"])
        api.advance(200)
    final = api.get_idv(idv["id"])
    return api.events(idv["id"]), final["response_codes"], final["status"]


HAPPY = [
    "identity_verification_started",
    "identity_verification_capture_completed",
    "identity_verification_checks_completed",
    "identity_verification_report_created",
]
OPENING = ["identity_verification_created", "identity_verification_opened"]


def test_approved(api):
    events, codes, status = run(api, "eaplt_10000000000000000000000000")
    assert (status, codes) == ("approved", [{"code": 10000, "summary": "approved"}])
    assert events == OPENING + HAPPY


def test_declined_with_any_code(api):
    events, codes, status = run(api, "eaplt_62201000000000000000000000")
    assert (status, codes) == ("declined", [{"code": 62201, "summary": "document_photocopy"}])
    assert events == OPENING + HAPPY


@pytest.mark.parametrize(
    ("value", "final"),
    [("eaplt_61203A10000000000000000000", "approved"), ("eaplt_61203A62103000000000000000", "declined")],
)
def test_aborted_then(api, value, final):
    events, codes, status = run(api, value)
    assert status == final
    assert events[:5] == OPENING + [
        "identity_verification_started",
        "identity_verification_capture_aborted",
        "identity_verification_retry_requested",
    ]
    assert events[5:] == HAPPY
    assert codes[0]["code"] == (10000 if final == "approved" else 62103)


@pytest.mark.parametrize(
    ("value", "final"),
    [("eaplt_61411I10000000000000000000", "approved"), ("eaplt_61411I62304000000000000000", "declined")],
)
def test_inconclusive_then(api, value, final):
    applicant = api.applicant(external_applicant_id=value)
    idv = api.idv(applicant["id"])
    api.attempt(idv["id"])
    api.advance(200)
    first = api.get_idv(idv["id"])
    assert first["status"] == "retry_required"
    assert first["response_codes"] == [{"code": 61411, "summary": "face_partially_hidden"}]
    api.attempt(idv["id"])
    api.advance(200)
    assert api.get_idv(idv["id"])["status"] == final
    assert "identity_verification_checks_inconclusive" in api.events(idv["id"])


def test_a_header_wins_over_the_magic_value(api):
    applicant = api.applicant(external_applicant_id="eaplt_62201000000000000000000000")
    idv = api.idv(applicant["id"], scenario="idv-approved")
    api.attempt(idv["id"])
    api.advance(200)
    assert api.get_idv(idv["id"])["status"] == "approved"


def test_email_tag_and_binding_select_scenarios(api):
    tagged = api.applicant(email="qa+idv-refused@example.com")
    idv = api.idv(tagged["id"])
    api.attempt(idv["id"])
    api.advance(60)
    assert api.get_idv(idv["id"])["status"] == "refused"

    bound = api.applicant(external_applicant_id="ext_bound")
    api.client.post(
        "/_sim/bindings", json={"scenario": "idv-declined-62101", "match": {"external_applicant_id": "ext_bound"}}
    )
    idv = api.idv(bound["id"])
    api.attempt(idv["id"])
    api.advance(200)
    assert api.get_idv(idv["id"])["response_codes"][0]["code"] == 62101


@pytest.mark.parametrize("value", ["eaplt_62103000000000000000000000", "eaplt_61203A10000000000000000000"])
def test_a_magic_value_plays_on_after_a_restart_on_the_sqlite_store(make_api, tmp_path, value):
    """Its scenario is built for the check, in no catalogue: the run keeps it, and plays it after a restart."""
    store = f"sqlite:///{tmp_path / 'kycsim.db'}"
    api = make_api(store=store)
    applicant = api.applicant(external_applicant_id=value)
    idv = api.idv(applicant["id"])
    api.attempt(idv["id"])
    api.advance(20)  # opened; the rest is still to come
    api.client.__exit__(None, None, None)
    again = make_api(store=store)
    again.advance(200)
    if again.get_idv(idv["id"])["status"] == "retry_required":
        again.attempt(idv["id"])
        again.advance(200)
    assert again.get_idv(idv["id"])["status"] == ("declined" if value.startswith("eaplt_62") else "approved")


@pytest.mark.parametrize("value", ["eaplt_10000000000000000000000000", "eaplt_61411I62304000000000000000"])
def test_a_magic_values_scenario_reads_back_from_its_record(value):
    import json

    from simulator.engine.scenarios.model import Scenario

    scenario = scenario_for(value)
    assert Scenario.from_record(json.loads(json.dumps(scenario.as_record()))) == scenario
