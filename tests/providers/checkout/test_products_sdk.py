"""The official ``checkout-sdk`` clients face_authentication, id_document_verification,
address_document_verification and aml_screening, unmodified, against a real server."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import httpx
import pytest

pytest.importorskip("checkout_sdk")

from checkout_sdk.exception import CheckoutApiException  # noqa: E402
from checkout_sdk.identities.addressdocumentverification.addressdocumentverification import (  # noqa: E402
    AddressDocumentVerificationAttemptRequest,
    AddressDocumentVerificationRequest,
)
from checkout_sdk.identities.addressdocumentverification.addressdocumentverification import (  # noqa: E402
    DeclaredData as AdvDeclaredData,
)
from checkout_sdk.identities.amlscreening.amlscreening import AmlScreeningRequest, SearchParameters  # noqa: E402
from checkout_sdk.identities.applicants.applicants import CreateApplicantRequest  # noqa: E402
from checkout_sdk.identities.entities import AttemptAssetsQueryFilter, AttemptsQueryFilter, PhoneNumber  # noqa: E402
from checkout_sdk.identities.faceauthentication.faceauthentication import (  # noqa: E402
    ClientInformation,
    FaceAuthenticationAttemptRequest,
    FaceAuthenticationRequest,
)
from checkout_sdk.identities.iddocumentverification.iddocumentverification import (  # noqa: E402
    DeclaredData,
    IdDocumentVerificationAttemptRequest,
    IdDocumentVerificationRequest,
)
from checkout_sdk.identities.identityverification.identityverification import (  # noqa: E402
    DeclaredData as IdvDeclaredData,
)
from checkout_sdk.identities.identityverification.identityverification import (  # noqa: E402
    IdentityVerificationAttemptRequest,
    IdentityVerificationRequest,
)

from simulator.providers.checkout.media import document_png  # noqa: E402
from simulator.providers.checkout.schemas import response_errors  # noqa: E402
from simulator.server import ThreadedServer  # noqa: E402
from simulator.settings import Settings  # noqa: E402
from tests.providers.checkout import sdk_support  # noqa: E402
from tests.providers.checkout.sdk_support import as_dict, secret_key_sdk  # noqa: E402

USJ = "usj_tkoi5db4hryu5cei5vwoabr7we"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadedServer]:
    with ThreadedServer(Settings(seed=11, speed="manual", start_time="2025-01-01T00:00:00Z")) as running:
        yield running


@pytest.fixture(scope="module")
def sdk(server):
    return secret_key_sdk(server.url)


def advance(server: ThreadedServer, seconds: float) -> None:
    sdk_support.advance(server.url, seconds)


def data_url(data: bytes, media: str) -> str:
    return f"data:{media};base64,{base64.b64encode(data).decode()}"


@pytest.fixture(scope="module")
def verified_applicant(sdk, server) -> str:
    """An applicant approved by an identity verification (the FA and AML prerequisite)."""
    applicant = CreateApplicantRequest()
    applicant.email = "hannah.bret@example.com"
    applicant_id = sdk.applicants.create_applicant(applicant).id
    request = IdentityVerificationRequest()
    request.applicant_id = applicant_id
    request.declared_data = IdvDeclaredData()
    request.declared_data.name = "Hannah Bret"
    idv = sdk.identity_verification.create_identity_verification(request)
    attempt = IdentityVerificationAttemptRequest()
    attempt.redirect_url = "https://merchant.example.com/back"
    sdk.identity_verification.create_identity_verification_attempt(idv.id, attempt)
    advance(server, 600)
    assert sdk.identity_verification.get_identity_verification(idv.id).status == "approved"
    return applicant_id


def test_face_authentication_methods(sdk, server, verified_applicant):
    request = FaceAuthenticationRequest()
    request.applicant_id = verified_applicant
    request.user_journey_id = USJ
    fa = sdk.face_authentication.create_face_authentication(request)
    assert fa.http_metadata.status_code == 201 and fa.status == "created" and fa.id.startswith("fav_")
    assert fa.user_journey_id == USJ
    assert not response_errors("face_authentication.response", as_dict(fa))

    attempt_request = FaceAuthenticationAttemptRequest()
    attempt_request.redirect_url = "https://merchant.example.com/back"
    phone = PhoneNumber()
    phone.country_code, phone.number = "+44", "7700900123"
    attempt_request.phone_number = phone
    info = ClientInformation()
    info.pre_selected_residence_country = "GB"
    info.pre_selected_language = "en-GB"
    attempt_request.client_information = info
    attempt = sdk.face_authentication.create_face_authentication_attempt(fa.id, attempt_request)
    assert attempt.http_metadata.status_code == 201 and attempt.id.startswith("fatp_")
    assert attempt.status == "pending_redirection" and attempt.client_information.pre_selected_language == "en-GB"
    assert not response_errors("face_authentication.attempt.response", as_dict(attempt))
    page = httpx.get(attempt._links.verification_url.href)
    assert page.status_code == 200 and "Face Authentication" in page.text

    advance(server, 600)
    done = sdk.face_authentication.get_face_authentication(fa.id)
    assert done.status == "approved" and done.response_codes[0].code == 10000
    assert httpx.get(done.face.image_signed_url).content.startswith(b"\x89PNG")
    assert not response_errors("face_authentication.response", as_dict(done))

    query = AttemptsQueryFilter()
    query.skip, query.limit = 0, 5
    attempts = sdk.face_authentication.get_face_authentication_attempts(fa.id, query)
    assert attempts.total_count == 1 and attempts.limit == 5
    assert not response_errors("face_authentication.attempts.response", as_dict(attempts))
    one = sdk.face_authentication.get_face_authentication_attempt(fa.id, attempt.id)
    assert one.status == "completed" and not hasattr(one.applicant_session_information, "selected_documents")

    assets_query = AttemptAssetsQueryFilter()
    assets_query.skip, assets_query.limit = 0, 10
    assets = sdk.face_authentication.get_face_authentication_attempt_assets(fa.id, attempt.id, assets_query)
    assert [a.type for a in assets.data] == ["face_image"]
    assert not response_errors("face_authentication.assets.response", as_dict(assets))

    anonymized = sdk.face_authentication.anonymize_face_authentication(fa.id)
    assert anonymized.status == "approved" and not hasattr(anonymized, "face")


def test_face_authentication_errors_reach_the_sdk(sdk):
    applicant = sdk.applicants.create_applicant(CreateApplicantRequest()).id
    request = FaceAuthenticationRequest()
    request.applicant_id = applicant
    with pytest.raises(CheckoutApiException) as no_journey:
        sdk.face_authentication.create_face_authentication(request)
    assert no_journey.value.http_metadata.status_code == 422
    assert no_journey.value.error_details == ["user_journey_id__required"]
    request.user_journey_id = "usj_01heqt35wmjrf3wjd7w1wz33p2"  # not the spec's ^usj_[a-z2-7]{26}$
    with pytest.raises(CheckoutApiException) as bad_journey:
        sdk.face_authentication.create_face_authentication(request)
    assert bad_journey.value.error_details == ["user_journey_id__invalid"]
    request.user_journey_id = USJ
    with pytest.raises(CheckoutApiException) as unverified:
        sdk.face_authentication.create_face_authentication(request)
    assert unverified.value.http_metadata.status_code == 422
    assert unverified.value.error_details == ["applicant_id__not_verified"]


def test_id_document_verification_methods(sdk, server):
    applicant_id = sdk.applicants.create_applicant(CreateApplicantRequest()).id
    request = IdDocumentVerificationRequest()
    request.applicant_id = applicant_id
    request.user_journey_id = USJ
    request.declared_data = DeclaredData()
    request.declared_data.name = "Hannah Bret"
    request.declared_data.birth_date = "1994-10-15"
    iddv = sdk.id_document_verification.create_id_document_verification(request)
    assert iddv.http_metadata.status_code == 201 and iddv.status == "created" and iddv.id.startswith("iddv_")
    assert not response_errors("id_document_verification.response", as_dict(iddv))

    front = document_png({"document_type": "ID", "last_name": "BRET"}, "front", "sdk")
    back = document_png({"document_type": "ID"}, "back", "sdk")
    upload = IdDocumentVerificationAttemptRequest()
    upload.document_front = data_url(front, "image/png")
    upload.document_back = base64.b64encode(back).decode()  # a bare base64 string works too
    attempt = sdk.id_document_verification.create_id_document_verification_attempt(iddv.id, upload)
    assert attempt.http_metadata.status_code == 201 and attempt.id.startswith("datp_")
    assert attempt.status == "quality_checks_in_progress"
    assert not response_errors("id_document_verification.attempt.response", as_dict(attempt))

    advance(server, 600)
    done = sdk.id_document_verification.get_id_document_verification(iddv.id)
    assert done.status == "approved" and done.document.full_name == "Hannah BRET"
    assert done.document.birth_date == "1994-10-15" and done.document.document_type == "ID"
    assert httpx.get(done.document.front_image_signed_url).content == front  # the upload, as uploaded
    assert not response_errors("id_document_verification.response", as_dict(done))

    attempts = sdk.id_document_verification.get_id_document_verification_attempts(iddv.id, AttemptsQueryFilter())
    assert attempts.total_count == 1 and attempts.data[0].status == "completed"
    assert not response_errors("id_document_verification.attempts.response", as_dict(attempts))
    one = sdk.id_document_verification.get_id_document_verification_attempt(iddv.id, attempt.id)
    assert one.response_codes[0].code == 10000
    assets = sdk.id_document_verification.get_id_document_verification_attempt_assets(
        iddv.id, attempt.id, AttemptAssetsQueryFilter()
    )
    assert [a.type for a in assets.data] == ["document_front_image", "document_back_image"]
    assert httpx.get(assets.data[1]._links.asset_url.href).content == back
    assert not response_errors("id_document_verification.assets.response", as_dict(assets))

    report = sdk.id_document_verification.get_id_document_verification_report(iddv.id)
    assert httpx.get(report.pdf_report).content.startswith(b"%PDF-")
    assert not response_errors("id_document_verification.pdf_report.response", as_dict(report))

    anonymized = sdk.id_document_verification.anonymize_id_document_verification(iddv.id)
    assert anonymized.status == "approved" and not hasattr(anonymized, "document")
    assert not hasattr(anonymized, "declared_data")


def test_id_document_upload_errors_reach_the_sdk(sdk):
    applicant_id = sdk.applicants.create_applicant(CreateApplicantRequest()).id
    request = IdDocumentVerificationRequest()
    request.applicant_id = applicant_id
    with pytest.raises(CheckoutApiException) as no_journey:
        sdk.id_document_verification.create_id_document_verification(request)
    assert no_journey.value.error_details == ["user_journey_id__required"]
    request.user_journey_id = USJ
    iddv = sdk.id_document_verification.create_id_document_verification(request)
    upload = IdDocumentVerificationAttemptRequest()
    upload.document_front = data_url(b"GIF89a....", "image/gif")
    with pytest.raises(CheckoutApiException) as bad:
        sdk.id_document_verification.create_id_document_verification_attempt(iddv.id, upload)
    assert bad.value.http_metadata.status_code == 422
    assert bad.value.error_details == ["document_front__invalid_format"]


def test_address_document_verification_methods(sdk, server):
    applicant_id = sdk.applicants.create_applicant(CreateApplicantRequest()).id
    request = AddressDocumentVerificationRequest()
    request.applicant_id = applicant_id
    request.user_journey_id = USJ
    request.declared_data = AdvDeclaredData()
    request.declared_data.name = "Hannah Bret"
    adv = sdk.address_document_verification.create_address_document_verification(request)
    assert adv.http_metadata.status_code == 201 and adv.id.startswith("adv_") and adv.risk_labels == []
    assert not response_errors("address_document_verification.response", as_dict(adv))

    upload = AddressDocumentVerificationAttemptRequest()
    upload.document = data_url(PDF_BYTES, "application/pdf")
    attempt = sdk.address_document_verification.create_address_document_verification_attempt(adv.id, upload)
    assert attempt.http_metadata.status_code == 201 and attempt.id.startswith("adva_")
    assert not response_errors("address_document_verification.attempt.response", as_dict(attempt))

    advance(server, 600)
    done = sdk.address_document_verification.get_address_document_verification(adv.id)
    assert done.status == "approved" and done.address_document.full_names == ["Hannah Bret"]
    assert not response_errors("address_document_verification.response", as_dict(done))

    attempts = sdk.address_document_verification.get_address_document_verification_attempts(
        adv.id, AttemptsQueryFilter()
    )
    assert [a.id for a in attempts.data] == [attempt.id]
    one = sdk.address_document_verification.get_address_document_verification_attempt(adv.id, attempt.id)
    assert one.status == "completed"
    assets = sdk.address_document_verification.get_address_document_verification_attempt_assets(
        adv.id, attempt.id, AttemptAssetsQueryFilter()
    )
    assert [a.type for a in assets.data] == ["document"]
    served = httpx.get(assets.data[0]._links.asset_url.href)
    assert served.content == PDF_BYTES and served.headers["content-type"] == "application/pdf"
    assert not response_errors("address_document_verification.assets.response", as_dict(assets))

    report = sdk.address_document_verification.get_address_document_verification_report(adv.id)
    assert httpx.get(report.pdf_report).content.startswith(b"%PDF-")

    anonymized = sdk.address_document_verification.anonymize_address_document_verification(adv.id)
    assert anonymized.status == "approved" and not hasattr(anonymized, "address_document")


def test_aml_screening_methods(sdk, server, verified_applicant):
    request = AmlScreeningRequest()
    request.applicant_id = verified_applicant
    request.search_parameters = SearchParameters()
    request.search_parameters.configuration_identifier = "011e5c14-2222-738c-8852-dfdbbe53f233"
    request.monitored = False
    screening = sdk.aml_screening.create_aml_screening(request)
    assert screening.http_metadata.status_code == 201 and screening.id.startswith("amlv_")
    assert screening.status == "created" and screening.monitored is False
    assert not response_errors("aml_screening.response", as_dict(screening))

    advance(server, 600)
    done = sdk.aml_screening.get_aml_screening(screening.id)
    assert done.status == "approved"
    assert done.search_parameters.configuration_identifier == "011e5c14-2222-738c-8852-dfdbbe53f233"
    assert not response_errors("aml_screening.response", as_dict(done))

    with pytest.raises(CheckoutApiException) as missing:
        sdk.aml_screening.get_aml_screening("amlv_tkoi5db4hryu5cei5vwoabr7we")
    assert missing.value.http_metadata.status_code == 404
