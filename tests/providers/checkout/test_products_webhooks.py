"""FA, IDDV, ADV and AML webhooks: the 1.2.0 envelope, each product's data, Cko-Signature verified by a receiver."""

from __future__ import annotations

from simulator.providers.checkout import constants as c
from simulator.providers.checkout.schemas import response_errors
from tests.providers.checkout.products_helpers import (
    JPEG,
    create_aml,
    create_document_check,
    create_fa,
    data_url,
    fa_attempt,
    upload,
    verified_applicant,
)
from tests.providers.checkout.test_webhooks import hooked, receiver  # noqa: F401 (fixtures)


def delivered(sink, resource_key: str, resource_id: str) -> list[dict]:
    found = [r for r in sink.received if r["body"]["data"].get(resource_key) == resource_id]
    return sorted(found, key=lambda r: r["body"]["created_on"])


def assert_signed_envelopes(records: list[dict], product: str) -> None:
    assert records
    for record in records:
        body = record["body"]
        assert record["signature_valid"], body["type"]
        assert record["headers"]["Authorization"] == "Bearer static-merchant-token"
        assert not response_errors("webhook_event.json", body), body
        assert body["type"] in c.EVENTS_BY_PRODUCT[product] and body["version"] == "1.2.0"


def test_face_authentication_events(hooked, receiver):  # noqa: F811
    api = hooked
    applicant_id = verified_applicant(api, external_applicant_id="eaplt_10000000000000000000000000")
    fa = create_fa(api, applicant_id, scenario="fa-declined-62321")
    fa_attempt(api, fa["id"])
    api.advance(600)
    records = delivered(receiver, "face_authentication_id", fa["id"])
    assert_signed_envelopes(records, c.FA)
    assert [r["body"]["type"] for r in records] == [
        "face_authentication_created",
        "face_authentication_opened",
        "face_authentication_started",
        "face_authentication_capture_completed",
        "face_authentication_checks_completed",
    ]
    last = records[-1]["body"]["data"]
    assert last == {
        "applicant_id": applicant_id,
        "external_applicant_id": "eaplt_10000000000000000000000000",
        "status": "declined",
        "face_authentication_id": fa["id"],
        "response_codes": [{"code": 62321, "summary": "face_face_mismatch"}],
        "user_journey_id": fa["user_journey_id"],
    }


def test_document_verification_events(hooked, receiver):  # noqa: F811
    api = hooked
    for product, field, scenario in (
        ("id_document_verification", "document_front", "iddv-quality-aborted-61302"),
        ("address_document_verification", "document", "adv-quality-aborted-61302"),
    ):
        check = create_document_check(api, product, scenario=scenario)
        upload(api, product, check["id"], json={field: data_url(JPEG)})
        api.advance(60)
        upload(api, product, check["id"], json={field: data_url(JPEG)})
        api.advance(600)
        records = delivered(receiver, f"{product}_id", check["id"])
        assert_signed_envelopes(records, product)
        assert [r["body"]["type"].removeprefix(f"{product}_") for r in records] == [
            "created",
            "checks_inconclusive",
            "started",
            "checks_completed",
            "report_created",
        ]
        aborted = records[1]["body"]["data"]
        assert aborted["status"] == "retry_required"
        assert aborted["response_codes"] == [{"code": 61302, "summary": "document_lighting_issue"}]


def test_aml_events_carry_no_codes_and_no_configuration(hooked, receiver):  # noqa: F811
    api = hooked
    applicant_id = verified_applicant(api)
    screening = create_aml(api, applicant_id, scenario="aml-status-updated")
    api.advance(3 * 86400)
    records = delivered(receiver, "aml_verification_id", screening["id"])
    assert_signed_envelopes(records, c.AML)
    assert [(r["body"]["type"].removeprefix("aml_verification_"), r["body"]["data"]["status"]) for r in records] == [
        ("created", "created"),
        ("onboarding_started", "screening_in_progress"),
        ("onboarding_completed", "approved"),
        ("status_changed", "declined"),  # only the decision changed afterwards
    ]
    for record in records:
        assert set(record["body"]["data"]) == {"applicant_id", "status", "aml_verification_id"}
    event_id = records[-1]["body"]["id"]
    assert api.call("GET", f"/workflows/events/{event_id}")["type"] == "aml_verification_status_changed"
