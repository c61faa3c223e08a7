"""Asset images and the PDF report are real files, consistent with the check and deterministic."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from PIL import Image

from simulator.providers.checkout.media import document_png, face_png, report_pdf


def test_face_is_a_deterministic_png():
    first, second = face_png("idv_a"), face_png("idv_a")
    assert first == second != face_png("idv_b")
    image = Image.open(io.BytesIO(first))
    assert (image.format, image.size) == ("PNG", (240, 300))


def test_document_sides_are_pngs():
    document = {
        "document_type": "ID",
        "document_issuing_country": "FR",
        "last_name": "BRET",
        "document_mrz": "IDFRABRET<<<<\n1234",
    }
    for side in ("front", "back"):
        image = Image.open(io.BytesIO(document_png(document, side, "idv_a")))
        assert (image.format, image.size) == ("PNG", (428, 270))


def test_report_is_a_valid_pdf():
    check = {
        "id": "idv_a",
        "applicant_id": "aplt_a",
        "status": "approved",
        "created_on": "x",
        "modified_on": "y",
        "response_codes": [{"code": 10000, "summary": "approved"}],
        "declared_data": {"name": "Hannah Bret"},
        "documents": [{"document_type": "Passport", "full_name": "Hannah BRET"}],
        "_media_token": "t",
    }
    at = datetime(2025, 1, 1, tzinfo=UTC)
    pdf = report_pdf("Identity Verification", check, None, at)
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    assert b"/Type /Catalog" in pdf and b"/Count 1" in pdf  # one page
    assert pdf == report_pdf("Identity Verification", check, None, at)


def test_assets_of_an_approved_attempt(api):
    idv = api.idv()
    attempt = api.attempt(idv["id"], client_information={"pre_selected_document_type": "Passport"})
    assets = api.call(
        "GET", f"/identity-verifications/{idv['id']}/attempts/{attempt['id']}/assets", schema="assets.response"
    )
    assert assets["data"] == [] and assets["total_count"] == 0
    api.advance(200)
    assets = api.call(
        "GET", f"/identity-verifications/{idv['id']}/attempts/{attempt['id']}/assets", schema="assets.response"
    )
    assert [a["type"] for a in assets["data"]] == ["face_image", "document_front_image"]  # a passport has one side
    for asset in assets["data"]:
        response = api.client.get(asset["_links"]["asset_url"]["href"])
        assert response.status_code == 200 and response.headers["content-type"] == "image/png"
        Image.open(io.BytesIO(response.content)).verify()
    done = api.get_idv(idv["id"])
    assert api.client.get(done["documents"][0]["front_image_signed_url"]).status_code == 200


def test_asset_pagination(api):
    idv = api.idv()
    attempt = api.attempt(idv["id"], client_information={"pre_selected_document_type": "ID"})
    api.advance(200)
    path = f"/identity-verifications/{idv['id']}/attempts/{attempt['id']}/assets"
    first = api.call("GET", f"{path}?skip=0&limit=2", schema="assets.response")
    assert first["total_count"] == 3 and len(first["data"]) == 2
    assert first["_links"]["next"]["href"].endswith(f"{path}?skip=2&limit=2")
    second = api.call("GET", f"{path}?skip=2&limit=2", schema="assets.response")
    assert len(second["data"]) == 1 and "next" not in second["_links"]
    assert second["_links"]["previous"]["href"].endswith(f"{path}?skip=0&limit=2")
    assert api.call("GET", f"{path}?limit=0", status=400)["error_codes"] == ["limit__invalid"]


def test_media_of_an_anonymized_check_is_gone(api):
    idv = api.idv()
    api.attempt(idv["id"])
    api.advance(200)
    face = api.get_idv(idv["id"])["face"]["image_signed_url"]
    report = api.call("GET", f"/identity-verifications/{idv['id']}/pdf-report")["pdf_report"]
    api.call("POST", f"/identity-verifications/{idv['id']}/anonymize")
    assert api.client.get(face).status_code == 404
    assert api.client.get(report).status_code == 404
    assert api.client.get("/media/unknowntoken/face_image.png").status_code == 404
