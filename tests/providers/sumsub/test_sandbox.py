"""Selection rule 3 for Sumsub: the verification document templates, matched by the original file name."""

from __future__ import annotations

import pytest

from simulator.providers.sumsub.sandbox import scenario_name, template_outcome
from tests.providers.sumsub.support import SumsubAuth

HOUR = 3600


@pytest.mark.parametrize(
    ("name", "outcome"),
    [
        ("Austria_Front_Approved.jpg", "Approved"),
        ("Austria_Front_Approved", "Approved"),  # the extension is ignored
        ("Germany_Passport_Approved.jpeg", "Approved"),
        ("Spain_Back_Rejected.png", "Rejected"),
        ("C:\\Downloads\\Spain_Front_Rejected.png", "Rejected"),
        ("photos/Austria_Front_Approved.HEIC", "Approved"),
        ("Austria_Front_Approved (1).jpg", None),  # renamed: a regular document
        ("Austria_Front_approved.jpg", None),
        ("Approved.jpg", None),
        ("passport.png", None),
        (None, None),
    ],
)
def test_a_template_is_recognised_by_its_original_file_name(name, outcome):
    assert template_outcome(name) == outcome


def test_the_latest_image_of_each_side_counts_and_a_rejection_names_its_step():
    passport = {"idDocType": "PASSPORT", "imageFileName": "Germany_Passport_Approved.jpg"}
    selfie = {"idDocType": "SELFIE", "imageFileName": "Selfie_Rejected.jpg"}
    assert scenario_name([passport]) == "applicant-approved"
    assert scenario_name([passport, selfie]) == "red-retry-bad_selfie"
    bill = {"idDocType": "UTILITY_BILL", "imageFileName": "PoA_Germany_Rejected.pdf"}
    assert scenario_name([bill]) == "red-retry-bad_proof_of_address"
    front = {"idDocType": "ID_CARD", "idDocSubType": "FRONT_SIDE", "imageFileName": "Spain_Front_Rejected.png"}
    again = {**front, "imageFileName": "Austria_Front_Approved.png"}
    assert scenario_name([front]) == "red-retry-bad_proof_of_identity"
    assert scenario_name([front, again]) == "applicant-approved"  # resubmitted with an approved one
    assert scenario_name([{"idDocType": "PASSPORT", "imageFileName": "scan.png"}]) is None


def _submit(flow, applicant, passport: str, selfie: str = "selfie.png", **metadata) -> dict:
    for doc_type, name in (("PASSPORT", passport), ("SELFIE", selfie)):
        assert flow.upload(applicant["id"], doc_type, file_name=name, **metadata).status_code == 200
    flow.request_check(applicant["id"])
    flow.advance(HOUR)
    return flow.client.get(f"/resources/applicants/{applicant['id']}/status").json()


def test_a_rejected_template_asks_for_a_resubmission_and_an_approved_one_passes(flow, sim):
    applicant = flow.applicant()
    first = _submit(flow, applicant, "Germany_Passport_Rejected.jpg")
    assert first["reviewResult"]["reviewAnswer"] == "RED" and first["reviewResult"]["reviewRejectType"] == "RETRY"
    assert first["reviewResult"]["rejectLabels"] == ["BAD_PROOF_OF_IDENTITY"]
    second = _submit(flow, applicant, "Germany_Passport_Approved.jpg", "selfie-2.png")
    assert second["reviewResult"] == {"reviewAnswer": "GREEN"} and second["attemptCnt"] == 2
    tenant = sim.settings.sumsub_app_token
    run = sim.runner.get(tenant, "sumsub", sim.store.get(tenant, "sumsub", "applicants", applicant["id"])["_run"])
    assert run["status"] == "finished"


def test_templates_come_after_the_header_and_bindings_and_before_email_tags(raw, flow, sim):
    tagged = flow.applicant(email="t+red-final-forgery@example.com")
    assert _submit(flow, tagged, "Austria_Front_Approved.jpg")["reviewResult"] == {"reviewAnswer": "GREEN"}
    stored = sim.store.get(sim.settings.sumsub_app_token, "sumsub", "applicants", tagged["id"])
    assert stored["_rule"] == "sandbox_convention" and stored["_scenario"] == "applicant-approved"
    headed = flow.applicant("red-final-forgery")
    assert _submit(flow, headed, "Austria_Front_Approved.jpg")["reviewResult"]["rejectLabels"] == ["FORGERY"]
    raw.post("/_sim/bindings", json={"scenario": "red-retry-screenshots", "match": {"externalUserId": "bound"}})
    bound = flow.applicant(externalUserId="bound")
    assert _submit(flow, bound, "Austria_Front_Approved.jpg")["reviewResult"]["rejectLabels"] == ["SCREENSHOTS"]


def test_regular_file_names_keep_the_default(flow):
    applicant = flow.applicant(email="t+red-retry-screenshots@example.com")
    review = _submit(flow, applicant, "IMG_0001.jpg")
    assert review["reviewResult"]["rejectLabels"] == ["SCREENSHOTS"]  # the email tag, not a template


def test_templates_decide_what_the_handed_off_person_submits(flow):
    applicant = flow.applicant()
    flow.upload(applicant["id"], "PASSPORT", file_name="Spain_Front_Rejected.png")
    flow.hand_off(applicant)
    flow.advance(HOUR)
    review = flow.client.get(f"/resources/applicants/{applicant['id']}/status").json()
    assert review["reviewResult"]["rejectLabels"] == ["BAD_PROOF_OF_IDENTITY"] and review["attemptCnt"] == 1


def test_production_tokens_have_no_sandbox_convention(raw, flow):
    token, secret = "prd:ProdTemplates01.ProdPrivate01", "prod-secret"
    raw.post("/_sim/sumsub/app-tokens", json={"appToken": token, "secretKey": secret})
    flow.client.auth = SumsubAuth(token, secret)
    applicant = flow.applicant(email="t+red-retry-screenshots@example.com")
    for doc_type, name in (("PASSPORT", "Germany_Passport_Approved.jpg"), ("SELFIE", "selfie.png")):
        assert flow.upload(applicant["id"], doc_type, file_name=name).status_code == 200
    flow.request_check(applicant["id"])
    raw.post("/_sim/clock/advance", json={"seconds": HOUR, "tenant": token})
    review = flow.client.get(f"/resources/applicants/{applicant['id']}/status").json()
    assert review["reviewResult"]["rejectLabels"] == ["SCREENSHOTS"]
