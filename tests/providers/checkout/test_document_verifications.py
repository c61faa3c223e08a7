"""ID and Address Document Verification: uploads in both forms, quality checks then checks, 409s, results."""

from __future__ import annotations

import pytest

from simulator.providers.checkout.uploads import MAX_UPLOAD_BYTES
from tests.providers.checkout.products_helpers import (
    GIF,
    JPEG,
    PATHS,
    PDF,
    PNG,
    create_document_check,
    data_url,
    get_document_check,
    upload,
)

IDDV, ADV = "id_document_verification", "address_document_verification"


def history(api, product: str, check_id: str) -> list[tuple]:
    check = api.sim.store.get(api.key, "checkout", PATHS[product].strip("/").replace("-", "_"), check_id)
    return [
        (h["event"] and h["event"].removeprefix(f"{product}_"), h["status"], h["attempt_status"])
        for h in check["_history"]
    ]


def sent(api, check_id: str) -> list[str]:
    """The webhook types published for the check, in order."""
    return [e.type for e in api.sim.dispatcher.events if e.resource == check_id]


def test_iddv_quality_checks_then_checks_step_by_step(api):
    check = create_document_check(api, IDDV)
    assert check["status"] == "created" and "risk_labels" not in check and "document" not in check
    assert check["_links"]["applicant"]["href"].endswith(check["applicant_id"])
    files = {"document_front": ("front.jpg", JPEG, "image/jpeg"), "document_back": ("back.png", PNG, "image/png")}
    attempt = upload(api, IDDV, check["id"], files=files)
    assert attempt["status"] == "quality_checks_in_progress" and attempt["id"].startswith("datp_")
    assert set(attempt["_links"]) == {"self"}
    assert get_document_check(api, IDDV, check["id"])["status"] == "quality_checks_in_progress"
    api.advance(5)
    assert get_document_check(api, IDDV, check["id"])["status"] == "checks_in_progress"
    report = api.call("GET", f"/id-document-verifications/{check['id']}/pdf-report", status=404)
    assert report["error_codes"] == ["pdf_report_not_found"]
    api.advance(30)
    done = get_document_check(api, IDDV, check["id"])
    assert done["status"] == "approved" and done["response_codes"] == [{"code": 10000, "summary": "approved"}]
    document = done["document"]
    assert document["document_type"] == "ID" and document["birth_date"] == "1994-10-15"
    assert document["full_name"] == "Hannah BRET"
    front = api.client.get(document["front_image_signed_url"])
    assert front.content == JPEG and front.headers["content-type"] == "image/jpeg"
    assert api.client.get(document["back_image_signed_url"]).content == PNG
    api.advance(5)
    pdf = api.call(
        "GET",
        f"/id-document-verifications/{check['id']}/pdf-report",
        schema="id_document_verification.pdf_report.response",
    )
    assert api.client.get(pdf["pdf_report"]).content.startswith(b"%PDF-")
    assert history(api, IDDV, check["id"]) == [
        ("created", "created", None),
        (None, "quality_checks_in_progress", "quality_checks_in_progress"),  # the upload: no event
        ("started", "checks_in_progress", "checks_in_progress"),
        ("checks_completed", "approved", "completed"),
        ("report_created", "approved", None),
    ]
    # One transition, one event, and only the types Checkout.com lists for ID Document Verification.
    assert sent(api, check["id"]) == [
        "id_document_verification_created",
        "id_document_verification_started",
        "id_document_verification_checks_completed",
        "id_document_verification_report_created",
    ]


def test_assets_are_the_uploaded_files(api):
    check = create_document_check(api, IDDV)
    attempt = upload(api, IDDV, check["id"], json={"document_front": data_url(PDF, "application/pdf")})
    api.advance(600)
    assets = api.call(
        "GET",
        f"/id-document-verifications/{check['id']}/attempts/{attempt['id']}/assets",
        schema="id_document_verification.assets.response",
    )
    assert [a["type"] for a in assets["data"]] == ["document_front_image"]
    served = api.client.get(assets["data"][0]["_links"]["asset_url"]["href"])
    assert served.content == PDF and served.headers["content-type"] == "application/pdf"
    assert get_document_check(api, IDDV, check["id"])["document"]["document_type"] == "Passport"  # one side


def test_2025_fields_shape_the_document_read(api):
    check = create_document_check(api, IDDV)
    upload(
        api,
        IDDV,
        check["id"],
        json={"document_front": data_url(JPEG), "document_type": "Driving licence", "document_issuing_country": "FR"},
    )
    api.advance(600)
    document = get_document_check(api, IDDV, check["id"])["document"]
    assert (document["document_type"], document["document_issuing_country"]) == ("Driving licence", "FR")
    bad = upload(
        api,
        IDDV,
        create_document_check(api, IDDV)["id"],
        status=422,
        json={"document_front": data_url(JPEG), "document_type": "Library card"},
    )
    assert bad["error_codes"] == ["document_type__invalid"]
    wrong_type = upload(
        api,
        IDDV,
        create_document_check(api, IDDV)["id"],
        status=422,
        json={"document_front": data_url(JPEG), "document_issuing_country": 33},
    )
    assert wrong_type["error_codes"] == ["document_issuing_country__invalid"]


@pytest.mark.parametrize(
    ("kwargs", "status", "codes"),
    [
        ({"json": {}}, 422, ["document_front__required"]),
        ({"json": {"document_back": data_url(PNG)}}, 422, ["document_front__required"]),
        ({"json": {"document_front": data_url(GIF, "image/gif")}}, 422, ["document_front__invalid_format"]),
        ({"json": {"document_front": "not an image"}}, 422, ["document_front__invalid_format"]),
        (
            {"json": {"document_front": data_url(JPEG), "document_back": data_url(GIF)}},
            422,
            ["document_back__invalid_format"],
        ),
        ({"files": {"document_front": ("a.gif", GIF, "image/gif")}}, 422, ["document_front__invalid_format"]),
        (
            {"files": {"document_front": ("big.jpg", JPEG + b"\0" * MAX_UPLOAD_BYTES, "image/jpeg")}},
            422,
            ["document_front__too_large"],
        ),
        ({"content": b"{nope", "headers": {"content-type": "application/json"}}, 400, ["request_body__invalid_json"]),
    ],
)
def test_bad_uploads_get_the_provider_envelope(api, kwargs, status, codes):
    check = create_document_check(api, IDDV)
    headers = {"Authorization": f"Bearer {api.key}", **kwargs.pop("headers", {})}
    response = api.client.post(f"/id-document-verifications/{check['id']}/attempts", headers=headers, **kwargs)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_codes"] == codes
    assert body["error_type"] == ("request_invalid" if status == 422 else "invalid_request")
    assert body["request_id"] == response.headers["cko-request-id"]
    assert get_document_check(api, IDDV, check["id"])["status"] == "created"  # nothing was created


def test_attempts_only_when_created_or_retry_required(api):
    check = create_document_check(api, IDDV)
    upload(api, IDDV, check["id"], json={"document_front": data_url(JPEG)})
    conflict = upload(api, IDDV, check["id"], status=409, json={"document_front": data_url(JPEG)})
    assert conflict["error_type"] == "operation_not_allowed"
    assert conflict["error_codes"] == ["id_document_verification_status_invalid"]
    api.advance(600)
    assert upload(api, IDDV, check["id"], status=409, json={"document_front": data_url(JPEG)})["error_codes"] == [
        "id_document_verification_status_invalid"
    ]
    missing = upload(api, IDDV, "iddv_tkoi5db4hryu5cei5vwoabr7we", status=404, json={"document_front": data_url(JPEG)})
    assert missing["error_codes"] == ["id_document_verification_not_found"]


def test_quality_aborted_then_a_new_upload_is_approved(api):
    check = create_document_check(api, IDDV, scenario="iddv-quality-aborted-61301")
    first = upload(api, IDDV, check["id"], json={"document_front": data_url(JPEG)})
    api.advance(5)
    retry = get_document_check(api, IDDV, check["id"])
    assert retry["status"] == "retry_required"
    assert retry["response_codes"] == [{"code": 61301, "summary": "document_blurry"}]
    aborted = api.call("GET", f"/id-document-verifications/{check['id']}/attempts/{first['id']}")
    assert aborted["status"] == "quality_checks_aborted"
    second = upload(api, IDDV, check["id"], json={"document_front": data_url(PNG)})
    api.advance(600)
    assert get_document_check(api, IDDV, check["id"])["status"] == "approved"
    listed = api.call(
        "GET",
        f"/id-document-verifications/{check['id']}/attempts?limit=1",
        schema="id_document_verification.attempts.response",
    )
    assert listed["total_count"] == 2 and [a["id"] for a in listed["data"]] == [second["id"]]
    assert "next" in listed["_links"]
    events = [h[0] for h in history(api, IDDV, check["id"])]
    assert events[:5] == ["created", None, "checks_inconclusive", None, "started"]  # None: an upload


def test_checks_inconclusive_and_reset_need_a_new_upload(api):
    check = create_document_check(api, IDDV, scenario="iddv-checks-inconclusive-61901")
    upload(api, IDDV, check["id"], json={"document_front": data_url(JPEG)})
    api.advance(35)
    assert get_document_check(api, IDDV, check["id"])["response_codes"][0]["code"] == 61901
    reset = create_document_check(api, IDDV, scenario="iddv-reset")
    attempt = upload(api, IDDV, reset["id"], json={"document_front": data_url(JPEG)})
    api.advance(15)
    body = get_document_check(api, IDDV, reset["id"])
    assert body["status"] == "retry_required" and body["response_codes"][0]["code"] == 64001
    old = api.call("GET", f"/id-document-verifications/{reset['id']}/attempts/{attempt['id']}")
    assert old["status"] == "terminated"


def test_closed_is_inconclusive_and_final(api):
    check = create_document_check(api, IDDV, scenario="iddv-closed")
    upload(api, IDDV, check["id"], json={"document_front": data_url(JPEG)})
    api.advance(20)
    body = get_document_check(api, IDDV, check["id"])
    assert body["status"] == "inconclusive" and body["response_codes"][0]["code"] == 64001
    assert upload(api, IDDV, check["id"], status=409, json={"document_front": data_url(JPEG)})


def test_declined_codes_and_audit(api):
    check = create_document_check(api, IDDV, scenario="iddv-declined-62401")
    upload(api, IDDV, check["id"], json={"document_front": data_url(JPEG)})
    api.advance(600)
    body = get_document_check(api, IDDV, check["id"])
    assert body["status"] == "declined" and body["response_codes"][0]["summary"] == "declared_identity_mismatch"
    assert body["document"]["full_name"] != "Hannah BRET"  # somebody else's document
    audited = create_document_check(api, IDDV, scenario="iddv-audit-declined")
    upload(api, IDDV, audited["id"], json={"document_front": data_url(JPEG)})
    api.advance(2 * 86400)
    assert get_document_check(api, IDDV, audited["id"])["response_codes"][0]["code"] == 62301


def test_anonymize_while_checks_run_closes_the_attempt_and_forgets_the_files(api):
    check = create_document_check(api, IDDV)
    attempt = upload(api, IDDV, check["id"], json={"document_front": data_url(JPEG)})
    api.advance(5)
    body = api.call(
        "POST", f"/id-document-verifications/{check['id']}/anonymize", schema="id_document_verification.response"
    )
    assert body["status"] == "retry_required" and body["response_codes"][0]["code"] == 64001
    assert "declared_data" not in body and "document" not in body
    assert [h[0] for h in history(api, IDDV, check["id"])][-2:] == ["closed", "anonymized"]
    closed = api.call("GET", f"/id-document-verifications/{check['id']}/attempts/{attempt['id']}")
    assert closed["status"] == "terminated"
    assets = api.call("GET", f"/id-document-verifications/{check['id']}/attempts/{attempt['id']}/assets")
    assert assets["data"] == []
    assert api.sim.store.list(api.key, "checkout", "uploads") == []


def test_adv_reads_an_address_document(api):
    check = create_document_check(api, ADV)
    assert check["risk_labels"] == [] and set(check["_links"]) == {"self"}
    attempt = upload(api, ADV, check["id"], files={"document": ("bill.pdf", PDF, "application/pdf")})
    assert attempt["id"].startswith("adva_")
    api.advance(600)
    done = get_document_check(api, ADV, check["id"])
    assert done["status"] == "approved" and done["address_document"]["full_names"] == ["Hannah Bret"]
    assert done["address_document"]["address"]["country"] == "GB"
    assets = api.call(
        "GET",
        f"/address-document-verifications/{check['id']}/attempts/{attempt['id']}/assets",
        schema="address_document_verification.assets.response",
    )
    assert [a["type"] for a in assets["data"]] == ["document"]
    assert api.client.get(assets["data"][0]["_links"]["asset_url"]["href"]).content == PDF
    assert upload(api, ADV, check["id"], status=409, json={"document": data_url(PDF)})


def test_adv_upload_errors_name_the_document_field(api):
    check = create_document_check(api, ADV)
    assert upload(api, ADV, check["id"], status=422, json={})["error_codes"] == ["document__required"]
    bad = upload(api, ADV, check["id"], status=422, json={"document": data_url(GIF, "image/gif")})
    assert bad["error_codes"] == ["document__invalid_format"]


@pytest.mark.parametrize("path", ["/id-document-verifications", "/address-document-verifications"])
def test_document_verifications_require_a_well_formed_user_journey_id(api, path):
    applicant_id = api.applicant()["id"]
    body = {"applicant_id": applicant_id, "declared_data": {"name": "Hannah Bret"}}
    missing = api.call("POST", path, json=body, status=422)
    assert missing["error_type"] == "request_invalid" and missing["error_codes"] == ["user_journey_id__required"]
    for bad in ("usj_01heqt35wmjrf3wjd7w1wz33p2", "usj_short", "USJ_TKOI5DB4HRYU5CEI5VWOABR7WE", "cnf_x", 7):
        wrong = api.call("POST", path, json={**body, "user_journey_id": bad}, status=422)
        assert wrong["error_codes"] == ["user_journey_id__invalid"], bad
    created = api.call("POST", path, json={**body, "user_journey_id": "usj_tkoi5db4hryu5cei5vwoabr7we"}, status=201)
    assert created["user_journey_id"] == "usj_tkoi5db4hryu5cei5vwoabr7we"
    short = api.call(
        "POST",
        path,
        status=422,
        json={
            "applicant_id": applicant_id,
            "declared_data": {"name": "H"},
            "user_journey_id": "usj_tkoi5db4hryu5cei5vwoabr7we",
        },
    )
    assert short["error_codes"] == ["declared_data__name__invalid"]


def test_adv_risk_labels_and_declines(api):
    check = create_document_check(api, ADV, scenario="adv-approved-risk-label-risky_document_format")
    upload(api, ADV, check["id"], json={"document": data_url(JPEG)})
    api.advance(600)
    assert get_document_check(api, ADV, check["id"])["risk_labels"] == ["risky_document_format"]
    declined = create_document_check(api, ADV, scenario="adv-declined-62101")
    upload(api, ADV, declined["id"], json={"document": data_url(JPEG)})
    api.advance(600)
    body = get_document_check(api, ADV, declined["id"])
    assert body["status"] == "declined" and body["response_codes"][0]["summary"] == "document_expired"


def test_other_tenants_see_nothing(api, other):
    check = create_document_check(api, IDDV)
    attempt = upload(api, IDDV, check["id"], json={"document_front": data_url(JPEG)})
    assert other.call("GET", f"/id-document-verifications/{check['id']}", status=404)
    assert other.call("GET", f"/id-document-verifications/{check['id']}/attempts/{attempt['id']}", status=404)


def pdf_text(data: bytes) -> str:
    """The text drawn in a PDF made by fpdf2 (its content streams are zlib-compressed)."""
    import re
    import zlib

    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            continue
    return "".join(chunks)


@pytest.mark.parametrize("product", [IDDV, ADV])
def test_the_pdf_report_shows_what_was_read(api, product):
    check = create_document_check(api, product)
    field = "document_front" if product == IDDV else "document"
    upload(api, product, check["id"], json={field: data_url(JPEG)})
    api.advance(600)
    body = get_document_check(api, product, check["id"])
    report = api.call("GET", f"{PATHS[product]}/{check['id']}/pdf-report")
    text = pdf_text(api.client.get(report["pdf_report"]).content)
    assert check["id"] in text and "approved" in text
    if product == IDDV:
        assert body["document"]["document_number"] in text
    else:
        assert "Address document" in text and body["address_document"]["address"]["city"] in text
