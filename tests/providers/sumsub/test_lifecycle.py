"""The review lifecycle as a client sees it: the pictures a person takes, the request checks Sumsub
refuses, the profile events and what they change, and the timers a reset starts again.

Facts from the fact sheet (``shared/reference/sumsub-actions.md``): the action image fields (A6),
``reviewResult`` ``{}`` until checked, ``idDocDef.country`` an ISO 3166 alpha-3 code, the upload
error codes 1008 (deleted or inactive applicant) and 1009 (FINAL rejection), the webhook payload
fields ``previousLevelName`` and ``videoIdentReviewStatus`` (4.2).
"""

from __future__ import annotations

import json
import re

import pytest
from starlette.testclient import TestClient

from simulator.app import create_app
from tests.facts import sumsub
from tests.providers.sumsub.conftest import Flow, Signed, sumsub_settings
from tests.providers.sumsub.support import assert_error, assert_valid

FACTS = sumsub()
HOUR = 3600
# A6 "Add action image": the fields of an action's image.
IMAGE_FIELDS = {
    "id",
    "addedDate",
    "imageHash",
    "imageFileName",
    "resizedImageId",
    "mimeType",
    "sigHash",
    "imageId",
    "actualResolution",
    "answer",
    "idDocDef",
    "reviewResult",
    "attemptId",
}
ALPHA3 = re.compile(r"^[A-Z]{3}$")


def action_of(api, action: dict) -> dict:
    return api.get(f"/resources/applicantActions/{action['id']}/one").json()


def payloads(raw, resource: str) -> list[dict]:
    events = raw.get("/_sim/webhooks/events", params={"resource": resource}).json()["data"]
    return [json.loads(e["body"]) for e in events]


# The pictures the simulated person takes on the WebSDK.


@pytest.mark.parametrize(
    ("scenario", "body", "id_doc_type"),
    [
        ("action-payment-method-approved", {}, "PAYMENT_METHOD"),
        ("action-payment-source-approved", {"paymentSource": {"type": "bankAccount"}}, "PAYMENT_SOURCE"),
        ("action-selfie-approved", {"email": "a@example.com"}, "SELFIE"),
    ],
)
def test_a_person_playing_an_action_takes_the_picture_its_step_asks_for(api, flow, scenario, body, id_doc_type):
    applicant = flow.applicant()
    level = "selfie-level" if id_doc_type == "SELFIE" else "payment-method-level"
    action = flow.action(applicant["id"], scenario, level=level, **body)
    assert action["requiredIdDocs"]["docSets"][0]["types"] == [id_doc_type]
    flow.hand_off(applicant, action)
    flow.advance(5)  # submitted, not yet reviewed
    pending = action_of(api, action)
    assert pending["review"]["reviewStatus"] == "pending"
    (image,) = pending["images"]
    assert set(image) <= IMAGE_FIELDS, set(image) - IMAGE_FIELDS
    assert image["idDocDef"]["idDocType"] == id_doc_type and ALPHA3.match(image["idDocDef"]["country"])
    assert image["mimeType"] == "image/png" and image["reviewResult"] == {}  # not checked yet
    if id_doc_type == "PAYMENT_METHOD":
        assert pending["paymentMethod"]["imageIds"] == [image["id"]]
    else:
        assert "imageIds" not in (pending.get("paymentMethod") or {})
    flow.advance(HOUR)
    reviewed = action_of(api, action)
    assert_valid("action", reviewed)
    assert [set(i) <= IMAGE_FIELDS for i in reviewed["images"]] == [True]
    assert reviewed["agreement"]["source"] == "WebSDK" and reviewed["agreement"]["recordIds"] == []


def test_the_pictures_an_applicant_takes_carry_its_country(api, flow, sim):
    applicant = flow.applicant(fixedInfo={"country": "FRA"})
    plain = flow.applicant()
    for subject in (applicant, plain):
        flow.hand_off(subject)
    flow.advance(HOUR)
    tenant = sim.settings.sumsub_app_token
    stored = {i["id"]: i for i in sim.store.list(tenant, "sumsub", "images")}
    applicants = {a["id"]: a for a in sim.store.list(tenant, "sumsub", "applicants")}
    taken = {s["id"]: [stored[i] for i in applicants[s["id"]]["_images"]] for s in (applicant, plain)}
    for images in taken.values():
        assert sorted(i["idDocType"] for i in images) == ["PASSPORT", "SELFIE"]
        assert all(ALPHA3.match(i["country"]) and i["mimeType"] == "image/png" for i in images)
    assert {i["country"] for i in taken[applicant["id"]]} == {"FRA"}


def test_no_two_pictures_the_simulated_people_take_are_the_same_file(flow, sim):
    # Sumsub refuses an exact duplicate of an image (1000 duplicate-document, "exact equality"): 50 pictures,
    # more than a narrow range of picture seeds could keep apart, are 50 different files.
    for _ in range(25):
        flow.played_applicant()
    flow.advance(HOUR)
    taken = sim.store.list(sim.settings.sumsub_app_token, "sumsub", "images")
    assert len(taken) == 50 and len({i["imageHash"] for i in taken}) == 50


def test_the_same_seed_gives_the_same_pictures_byte_for_byte(flow, sim):
    # As the snapshots pin the seed's people and ids: a run replayed with the same seed takes the same
    # pictures, so a client's stored image hashes stay valid across kycsim runs (seed 7, first applicant).
    flow.played_applicant()
    flow.advance(HOUR)
    taken = sim.store.list(sim.settings.sumsub_app_token, "sumsub", "images")
    assert [(i["idDocType"], i["imageHash"]) for i in taken] == [
        ("PASSPORT", "7ce9e916e0976da5503247b812187e27ed57a1b0"),
        ("SELFIE", "5068942a932e356fb726f4d4704041b5831056e4"),
    ]


# Request checks Sumsub refuses (409), and the ones it takes.


def test_a_request_check_in_review_or_on_hold_is_409_naming_the_status(api, flow):
    applicant = flow.played_applicant("applicant-on-hold")
    seen = set()
    for _ in range(40):
        status = api.get(f"/resources/applicants/{applicant['id']}/status").json()["reviewStatus"]
        if status in ("pending", "queued", "prechecked", "onHold"):
            seen.add(status)
            body = assert_error(api.post(f"/resources/applicants/{applicant['id']}/status/pending"), 409)
            assert body["description"] == (
                f"The review status is '{status}': a check cannot be requested while the review is pending,"
                " queued, prechecked or on hold"
            )
        if status == "completed":
            break
        flow.advance(60)
    assert "onHold" in seen, seen


def test_a_request_check_after_a_final_rejection_is_409(api, flow):
    applicant = flow.played_applicant("red-final-forgery")
    flow.advance(HOUR)
    body = assert_error(api.post(f"/resources/applicants/{applicant['id']}/status/pending"), 409)
    assert body["description"] == "The review ended with a FINAL rejection: a check cannot be requested again"


def test_a_request_check_names_every_step_with_nothing_uploaded(api, flow):
    applicant = flow.applicant()
    body = assert_error(api.post(f"/resources/applicants/{applicant['id']}/status/pending"), 409)
    assert body["description"] == (
        "Not all required documents or data are submitted. Make sure to complete [IDENTITY, SELFIE]"
        " verification steps beforehand."
    )


@pytest.mark.parametrize(
    "body",
    [{"currency": "BTC", "email": "a@example.com"}, {"questionnaires": [{"id": "q", "sections": {}}]}],
)
def test_a_questionnaire_step_is_done_by_the_answers_the_action_carries(api, flow, body):
    applicant = flow.applicant()
    action = flow.action(applicant["id"], level="crypto-level", **body)
    assert action["requiredIdDocs"]["docSets"] == [{"idDocSetType": "QUESTIONNAIRE", "types": ["QUESTIONNAIRE"]}]
    submitted = api.post(f"/resources/applicantActions/{action['id']}/review/status/pending")
    assert submitted.status_code == 200 and submitted.json()["review"]["reviewStatus"] == "pending"


# Profile events: what each changes, seen through the API.


def upload_status(flow: Flow, applicant: dict) -> tuple[int, int | None]:
    response = flow.upload(applicant["id"], "PASSPORT")
    return response.status_code, response.json().get("errorCode")


def test_deactivated_and_deleted_applicants_refuse_uploads_and_activated_ones_take_them(flow):
    applicant = flow.played_applicant("applicant-deactivated")
    deleted = FACTS["error_codes"][1008]
    final = FACTS["error_codes"][1009]
    flow.advance(40 + 60)  # reviewed RED FINAL, then applicantWorkflowFailed
    assert upload_status(flow, applicant) == (final[1], 1009)
    flow.advance(60)  # applicantDeactivated
    assert upload_status(flow, applicant) == (deleted[1], 1008)
    flow.advance(60)  # applicantActivated
    assert upload_status(flow, applicant) == (final[1], 1009)
    flow.advance(60 + 60)  # applicantReset, applicantPersonalDataDeleted
    assert upload_status(flow, applicant) == (200, None)
    flow.advance(60)  # applicantDeleted: gone
    assert upload_status(flow, applicant) == (404, None)


def test_video_ident_events_carry_their_review_status(raw, flow):
    applicant = flow.played_applicant("applicant-profile-events")
    flow.advance(3 * HOUR)
    found = {p["type"]: p for p in payloads(raw, applicant["id"])}
    assert found["videoIdentStatusChanged"]["videoIdentReviewStatus"] == "pending"
    assert found["videoIdentCompositionCompleted"]["videoIdentReviewStatus"] == "completed"
    assert "videoIdentReviewStatus" not in found["applicantTagsChanged"]


LEVEL_SCENARIOS = {
    "applicant-level-unnamed": ("applicant", "applicantLevelChanged"),
    "action-applicant-level": ("applicant_action", "applicantLevelChanged"),
}


@pytest.fixture
def custom(tmp_path):
    """A simulator with two scenarios of our own: level changes that name no level."""
    for name, (product, event) in LEVEL_SCENARIOS.items():
        steps = [{"do": "submit", "after": "5s"}, {"do": "notify", "after": "5s", "with": {"event": event}}]
        scenario = {"name": name, "provider": "sumsub", "product": product, "description": name, "steps": steps}
        (tmp_path / f"{name}.yaml").write_text(json.dumps(scenario))
    with TestClient(create_app(sumsub_settings(scenarios=[str(tmp_path)]))) as raw:
        yield raw, Flow(Signed(raw))


def test_a_level_change_without_a_level_names_the_previous_one(custom):
    raw, flow = custom
    applicant = flow.played_applicant("applicant-level-unnamed")
    flow.advance(60)
    (changed,) = [p for p in payloads(raw, applicant["id"]) if p["type"] == "applicantLevelChanged"]
    assert changed["previousLevelName"] == "basic-kyc-level"
    assert changed["levelName"] == "basic-kyc-level-2" != changed["previousLevelName"]


def test_an_applicant_level_change_during_an_action_moves_the_applicant_not_the_action(custom):
    raw, flow = custom
    applicant = flow.applicant()
    action = flow.played_action(applicant, "action-applicant-level", email="a@example.com")
    flow.advance(60)
    level = flow.client.get(f"/resources/applicants/{applicant['id']}/one").json()["review"]["levelName"]
    assert level == "basic-kyc-level-2"
    assert action_of(flow.client, action)["review"]["levelName"] == action["review"]["levelName"]


# A reset starts the review's timers again.


def test_a_review_completed_after_a_reset_counts_its_time_from_then(api, flow):
    applicant = flow.played_applicant("applicant-approved")
    flow.advance(HOUR)
    assert api.post(f"/resources/applicants/{applicant['id']}/reset").json() == {"ok": 1}
    done = api.post(f"/resources/applicants/{applicant['id']}/status/testCompleted", json={"reviewAnswer": "GREEN"})
    assert done.json() == {"ok": 1}
    review = api.get(f"/resources/applicants/{applicant['id']}/status").json()
    assert review["reviewStatus"] == "completed"
    assert review["elapsedSincePendingMs"] == 0 and review["elapsedSinceQueuedMs"] == 0


# A resubmission after a RETRY whose scenario has ended: a new attempt, played by the default scenario.


def story_of(raw, subject_id: str) -> tuple[dict, str]:
    story = raw.get(f"/_sim/stories/{subject_id}").json()
    (subject,) = [s for s in story["subjects"] if s["id"] == subject_id]
    (run,) = [r for r in story["runs"] if r["subject"] == subject_id]
    return subject["facts"], run["scenario"]


def test_a_resubmitted_applicant_is_reviewed_by_the_default_scenario_and_the_story_says_so(raw, api, flow):
    applicant = flow.played_applicant("red-retry-bad_selfie")
    flow.advance(HOUR)
    facts, scenario = story_of(raw, applicant["id"])
    assert (facts["scenario chosen by"], scenario) == ("header", "red-retry-bad_selfie")
    flow.request_check(applicant["id"])
    flow.advance(HOUR)
    facts, scenario = story_of(raw, applicant["id"])
    assert (facts["scenario chosen by"], scenario) == ("default", "applicant-approved")
    api.get(f"/resources/applicants/{applicant['id']}/one")
    (read,) = raw.get("/_sim/requests", params={"path": f"/resources/applicants/{applicant['id']}/one"}).json()["data"]
    assert read["scenario"] == "applicant-approved"


def test_a_resubmitted_action_is_reviewed_by_the_default_action_scenario(raw, api, flow):
    applicant = flow.applicant()
    action = flow.played_action(
        applicant, "action-payment-source-mismatch", paymentSource={"type": "bankAccount"}, level="payment-level"
    )
    flow.advance(HOUR)
    first = action_of(api, action)
    assert first["review"]["reviewResult"]["reviewRejectType"] == "RETRY"
    again = api.post(f"/resources/applicantActions/{action['id']}/review/status/pending")
    assert again.status_code == 200 and again.json()["review"]["attemptCnt"] == 2
    flow.advance(HOUR)
    assert action_of(api, action)["review"]["reviewResult"]["reviewAnswer"] == "GREEN"
    facts, scenario = story_of(raw, action["id"])
    assert (facts["scenario chosen by"], scenario) == ("default", "action-approved")


def test_a_second_submission_while_in_review_changes_nothing(raw, flow, sim):
    applicant = flow.applicant()
    first = raw.post("/_sim/sumsub/submit", json={"applicantId": applicant["id"]}).json()
    again = raw.post("/_sim/sumsub/submit", json={"applicantId": applicant["id"]}).json()
    assert first == {"submitted": True, "reviewStatus": "pending"}
    assert again == {"submitted": False, "reviewStatus": "pending"}
    assert flow.events(sim, applicant["id"]) == ["applicantCreated", "applicantPending"]


def test_the_outcome_a_person_picks_for_the_new_attempt_is_theirs_in_the_story():
    with TestClient(create_app(sumsub_settings(applicant="interactive"))) as client:
        api = Signed(client)
        body = {"userId": "picks-twice", "levelName": "basic-kyc-level", "ttlInSecs": 7200}
        path = (
            api.post("/resources/sdkIntegrations/levels/-/websdkLink", json=body).json()["url"].split("testserver")[1]
        )
        flow = Flow(api)
        client.post(f"{path}/submit", data={"scenario": "red-retry-bad_selfie"})
        flow.advance(HOUR)
        applicant = api.get("/resources/applicants/-;externalUserId=picks-twice/one").json()
        client.post(f"{path}/submit", data={"scenario": "red-final-forgery"})
        flow.advance(HOUR)
        facts, scenario = story_of(client, applicant["id"])
        assert (facts["scenario chosen by"], scenario) == ("person", "red-final-forgery")


def scenario_folder(folder, name: str, steps: list[dict]) -> None:
    scenario = {"name": name, "provider": "sumsub", "product": "applicant", "description": name, "steps": steps}
    (folder / f"{name}.yaml").write_text(json.dumps(scenario))


def test_a_resubmission_with_no_default_scenario_to_play_it_still_goes_to_review(tmp_path):
    retry = {"answer": "RED", "reject_type": "RETRY", "reject_labels": ["BAD_SELFIE"]}
    scenario_folder(tmp_path, "only-retry", [{"do": "submit", "after": "5s"}, {"do": "review", "with": retry}])
    settings = sumsub_settings(bundled=False, scenarios=[str(tmp_path)])
    with TestClient(create_app(settings)) as client:
        flow = Flow(Signed(client))
        applicant = flow.played_applicant("only-retry")
        flow.advance(HOUR)
        flow.request_check(applicant["id"])  # no applicant-approved here to play the new attempt
        review = flow.client.get(f"/resources/applicants/{applicant['id']}/status").json()
        assert (review["reviewStatus"], review["attemptCnt"]) == ("pending", 2)


def test_a_scenario_that_holds_before_any_submission_makes_that_the_first_attempt(tmp_path):
    green = {"answer": "GREEN"}
    scenario_folder(
        tmp_path, "hold-first", [{"do": "hold", "after": "5s"}, {"do": "review", "after": "5s", "with": green}]
    )
    with TestClient(create_app(sumsub_settings(scenarios=[str(tmp_path)]))) as client:
        flow = Flow(Signed(client))
        applicant = flow.played_applicant("hold-first")
        flow.advance(5)
        review = flow.client.get(f"/resources/applicants/{applicant['id']}/status").json()
        assert (review["reviewStatus"], review["attemptCnt"]) == ("onHold", 1)
        flow.advance(5)
        review = flow.client.get(f"/resources/applicants/{applicant['id']}/status").json()
        assert (review["reviewStatus"], review["attemptCnt"]) == ("completed", 1)
        assert review["elapsedSincePendingMs"] == 5000  # counted from the hold, the attempt's start


def test_a_final_rejection_stays_final_even_when_the_scenario_scripts_another_submission(tmp_path):
    final = {"answer": "RED", "reject_type": "FINAL", "reject_labels": ["FORGERY"]}
    steps = [
        {"do": "submit", "after": "5s"},
        {"do": "review", "after": "5s", "with": final},
        {"do": "submit", "after": "5s"},
        {"do": "review", "after": "5s", "with": {"answer": "GREEN"}},
    ]
    scenario_folder(tmp_path, "final-then-more", steps)
    with TestClient(create_app(sumsub_settings(applicant="interactive", scenarios=[str(tmp_path)]))) as client:
        flow = Flow(Signed(client))
        applicant = flow.applicant("final-then-more")
        for _ in range(2):  # the person submits, is rejected for good, then tries again
            answer = client.post("/_sim/sumsub/submit", json={"applicantId": applicant["id"]}).json()
            flow.advance(HOUR)
        assert answer == {"submitted": False, "reviewStatus": "completed"}
        review = flow.client.get(f"/resources/applicants/{applicant['id']}/status").json()
        assert review["reviewResult"]["reviewRejectType"] == "FINAL" and review["attemptCnt"] == 1
