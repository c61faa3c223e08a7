"""Images: ID documents (multipart, signed over the whole body, X-Image-Id), action images and
downloads, and the 1000-series upload errors."""

from __future__ import annotations

from simulator.providers.sumsub.media import dimensions, png, sniff
from tests.providers.sumsub.support import assert_error, assert_valid
from tests.support.icao9303 import td3_errors

PASSPORT = '{"idDocType":"PASSPORT","country":"GBR"}'


def upload(api, applicant_id: str, content: bytes, metadata: str = PASSPORT, name: str = "doc.png"):
    files = {"metadata": (None, metadata), "content": (name, content, "application/octet-stream")}
    return api.post(f"/resources/applicants/{applicant_id}/info/idDoc", files=files)


def test_generated_pngs_are_real_and_deterministic():
    image = png(42)
    assert image == png(42) != png(43)
    assert sniff(image) == "image/png" and dimensions(image) == (64, 40)


def test_an_id_document_upload_is_signed_over_the_multipart_body_and_answers_x_image_id(api, flow):
    applicant = flow.applicant()
    response = upload(api, applicant["id"], png(1))
    assert response.status_code == 200, response.text
    assert_valid("id_doc", response.json())
    assert response.json() == {"idDocType": "PASSPORT", "country": "GBR"}
    image_id = response.headers["X-Image-Id"]
    assert image_id.isdigit()
    image = api.get(f"/resources/inspections/{applicant['inspectionId']}/resources/{image_id}")
    assert image.status_code == 200 and image.content == png(1) and image.headers["content-type"] == "image/png"


def test_a_multipart_body_signed_without_its_content_is_rejected(raw, flow):
    import time

    from tests.providers.sumsub.support import SECRET, TOKEN, sign

    applicant = flow.applicant()
    path = f"/resources/applicants/{applicant['id']}/info/idDoc"
    ts = str(int(time.time()))
    headers = {
        "X-App-Token": TOKEN,
        "X-App-Access-Ts": ts,
        "X-App-Access-Sig": sign(SECRET, ts, "POST", path.encode(), b""),
    }
    response = raw.post(path, files={"metadata": (None, PASSPORT), "content": ("a.png", png(2))}, headers=headers)
    assert_error(response, 401, 4003)


def test_upload_errors_use_the_1000_series(api, flow):
    applicant = flow.applicant("applicant-pending")
    assert_error(upload(api, applicant["id"], b""), 400, 1003)
    assert_error(upload(api, applicant["id"], b"not an image at all"), 400, 1004)
    assert_error(upload(api, applicant["id"], b"II*\x00" + b"\x00" * 20), 400, 1005)
    assert_error(upload(api, applicant["id"], png(3), '{"idDocType":"SPACESHIP","country":"GBR"}'), 409, 1010)
    assert upload(api, applicant["id"], png(3)).status_code == 200
    body = assert_error(upload(api, applicant["id"], png(3)), 409, 1000)
    assert body["errorName"] == "duplicate-document"
    assert_error(upload(api, applicant["id"], png(4), '{"country":"GBR"}'), 400)
    assert upload(api, applicant["id"], png(5), '{"idDocType":"SELFIE","country":"GBR"}').status_code == 200
    assert api.post(f"/resources/applicants/{applicant['id']}/status/pending").status_code == 200
    assert_error(upload(api, applicant["id"], png(6)), 409, 1006)


def test_no_uploads_after_a_final_rejection(api, flow):
    applicant = flow.played_applicant("red-final-forgery")
    flow.advance(60)
    assert_error(upload(api, applicant["id"], png(6)), 409, 1009)


def test_action_images_are_added_listed_and_downloaded(api, flow):
    applicant = flow.applicant()
    action = flow.action(applicant["id"], "action-payment-method-approved")
    files = {
        "metadata": (None, '{"idDocType":"PAYMENT_METHOD","country":"GBR"}'),
        "content": ("card.png", png(7), "image/png"),
    }
    response = api.post(f"/resources/applicantActions/{action['id']}/images", files=files)
    assert response.status_code == 200, response.text
    image = response.json()
    assert_valid("image", image)
    assert image["idDocDef"] == {"country": "GBR", "idDocType": "PAYMENT_METHOD"}
    assert image["actualResolution"] == {"width": 64, "height": 40} and image["reviewResult"] == {}
    download = api.get(f"/resources/applicantActions/{action['id']}/images/{image['imageId']}?preview=false")
    assert download.content == png(7)
    assert_error(api.get(f"/resources/applicantActions/{action['id']}/images/999"), 404)
    api.post(f"/resources/applicantActions/{action['id']}/review/status/pending")
    flow.advance(60)
    body = api.get(f"/resources/applicantActions/{action['id']}/one").json()
    assert_valid("action", body)
    assert body["paymentMethod"]["imageIds"] == [image["imageId"]]
    assert body["images"][0]["answer"] == "GREEN"


def test_a_reviewed_passport_shows_up_in_info_with_an_mrz(api, flow):
    applicant = flow.applicant(fixedInfo={"firstName": "Anna", "country": "DEU"})
    upload(api, applicant["id"], png(8), '{"idDocType":"PASSPORT","country":"DEU","idDocSubType":"FRONT_SIDE"}')
    upload(api, applicant["id"], png(9), '{"idDocType":"SELFIE","country":"DEU"}')
    flow.request_check(applicant["id"])
    flow.advance(60)
    info = api.get(f"/resources/applicants/{applicant['id']}/one").json()["info"]
    assert info["firstName"] == "Anna" and info["lastName"] != "Anna" and info["country"] == "DEU"
    (passport,) = info["idDocs"]
    assert passport["idDocType"] == "PASSPORT" and passport["dob"] == info["dob"]
    assert passport["mrzLine1"].startswith("P<DEU") and "ANNA" in passport["mrzLine1"]
    assert len(passport["mrzLine2"]) == 44 and passport["mrzLine2"].startswith(passport["number"])
    assert td3_errors([passport["mrzLine1"], passport["mrzLine2"]]) == []


def test_the_scenario_applicant_takes_real_pictures_on_the_websdk(api, flow):
    applicant = flow.played_applicant()
    action = flow.played_action(applicant, "action-selfie-approved", level="selfie-level", email="a@example.com")
    flow.advance(120)
    steps = api.get(f"/resources/applicants/{applicant['id']}/requiredIdDocsStatus").json()
    assert steps["IDENTITY"]["idDocType"] == "PASSPORT" and steps["SELFIE"]["idDocType"] == "SELFIE"
    passport_id = steps["IDENTITY"]["imageIds"][0]
    picture = api.get(f"/resources/inspections/{applicant['inspectionId']}/resources/{passport_id}")
    assert sniff(picture.content) == "image/png" and dimensions(picture.content) == (64, 40)
    info = api.get(f"/resources/applicants/{applicant['id']}/one").json()["info"]
    assert info["idDocs"][0]["mrzLine1"].startswith("P<GBR")
    body = api.get(f"/resources/applicantActions/{action['id']}/one").json()
    assert_valid("action", body)
    (selfie,) = body["images"]
    liveness = body["checks"][0]["livenessInfo"]["livenessData"]["images"][0]["imageId"]
    assert liveness == int(selfie["imageId"]) and selfie["answer"] == "GREEN"
    download = api.get(f"/resources/applicantActions/{action['id']}/images/{selfie['imageId']}")
    assert sniff(download.content) == "image/png"
