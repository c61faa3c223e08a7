"""The official ``checkout-sdk`` (PyPI), unmodified, pointed at kycsim through a custom Environment."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import httpx
import pytest

checkout_sdk = pytest.importorskip("checkout_sdk")

from checkout_sdk.checkout_sdk import CheckoutSdk  # noqa: E402
from checkout_sdk.exception import CheckoutApiException  # noqa: E402
from checkout_sdk.identities.applicants.applicants import CreateApplicantRequest, UpdateApplicantRequest  # noqa: E402
from checkout_sdk.identities.entities import (  # noqa: E402
    AttemptAssetsQueryFilter,
    AttemptsQueryFilter,
    IdvDocumentType,
    PhoneNumber,  # noqa: E402
)
from checkout_sdk.identities.identityverification.identityverification import (  # noqa: E402
    ClientInformation,
    DeclaredData,
    IdentityVerificationAndAttemptRequest,
    IdentityVerificationAttemptRequest,
    IdentityVerificationRequest,
)

from simulator.providers.checkout.schemas import response_errors  # noqa: E402
from simulator.server import ThreadedServer  # noqa: E402
from simulator.settings import Settings  # noqa: E402
from tests.providers.checkout import sdk_support  # noqa: E402
from tests.providers.checkout.sdk_support import as_dict, kycsim_environment, secret_key_sdk  # noqa: E402


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadedServer]:
    with ThreadedServer(Settings(seed=7, speed="manual", start_time="2025-01-01T00:00:00Z")) as running:
        yield running


@pytest.fixture(scope="module")
def sdk(server):
    return secret_key_sdk(server.url)


def advance(server: ThreadedServer, seconds: float) -> None:
    sdk_support.advance(server.url, seconds)


def declared() -> DeclaredData:
    data = DeclaredData()
    data.name = "Hannah Bret"
    data.birth_date = "1994-10-15"
    return data


def test_applicant_methods(sdk):
    request = CreateApplicantRequest()
    request.external_applicant_id = "ext_osdfdfdb4hryu5cei5vwoabrk5k"
    request.email = "hannah.bret@example.com"
    request.external_applicant_name = "Hannah Bret"
    created = sdk.applicants.create_applicant(request)
    assert created.http_metadata.status_code == 201
    assert created.id.startswith("aplt_")
    assert not response_errors("applicant.response", as_dict(created))

    fetched = sdk.applicants.get_applicant(created.id)
    assert fetched.email == "hannah.bret@example.com"

    update = UpdateApplicantRequest()
    update.email = "h.bret@example.com"
    updated = sdk.applicants.update_applicant(created.id, update)
    assert updated.email == "h.bret@example.com" and updated.external_applicant_name == "Hannah Bret"

    anonymized = sdk.applicants.anonymize_applicant(created.id)
    assert anonymized.http_metadata.status_code == 200
    assert not hasattr(anonymized, "email")
    with pytest.raises(CheckoutApiException) as refused:  # no personal data written back after anonymize
        sdk.applicants.update_applicant(created.id, update)
    assert refused.value.http_metadata.status_code == 400
    assert refused.value.error_type == "invalid_request" and refused.value.error_details == ["applicant_anonymized"]
    assert not hasattr(sdk.applicants.get_applicant(created.id), "email")


def test_identity_verification_methods(sdk, server):
    applicant = CreateApplicantRequest()
    applicant.email = "hannah.bret@example.com"
    applicant_id = sdk.applicants.create_applicant(applicant).id

    request = IdentityVerificationRequest()
    request.applicant_id = applicant_id
    request.declared_data = declared()
    idv = sdk.identity_verification.create_identity_verification(request)
    assert idv.http_metadata.status_code == 201 and idv.status == "created"
    assert not response_errors("identity_verification.response", as_dict(idv))

    attempt_request = IdentityVerificationAttemptRequest()
    attempt_request.redirect_url = "https://merchant.example.com/back"
    phone = PhoneNumber()
    phone.country_code, phone.number = "+33", "5555550102"
    attempt_request.phone_number = phone
    info = ClientInformation()
    info.pre_selected_residence_country = "FR"
    info.pre_selected_document_type = IdvDocumentType.ID
    info.pre_selected_language = "fr-FR"
    attempt_request.client_information = info
    attempt = sdk.identity_verification.create_identity_verification_attempt(idv.id, attempt_request)
    assert attempt.http_metadata.status_code == 201
    assert attempt.status == "pending_redirection" and attempt.id.startswith("iatp_")
    assert attempt.phone_number.country_code == "+33"
    assert attempt._links.verification_url.href.startswith(server.url)
    assert not response_errors("attempt.response", as_dict(attempt))

    advance(server, 200)
    done = sdk.identity_verification.get_identity_verification(idv.id)
    assert done.status == "approved"
    assert done.response_codes[0].code == 10000
    assert done.documents[0].document_type == "ID" and done.documents[0].document_issuing_country == "FR"
    assert not response_errors("identity_verification.response", as_dict(done))

    query = AttemptsQueryFilter()
    query.skip, query.limit = 0, 5
    attempts = sdk.identity_verification.get_identity_verification_attempts(idv.id, query)
    assert attempts.total_count == 1 and attempts.limit == 5
    assert not response_errors("attempt_list.response", as_dict(attempts))

    one = sdk.identity_verification.get_identity_verification_attempt(idv.id, attempt.id)
    assert one.status == "completed"

    assets_query = AttemptAssetsQueryFilter()
    assets_query.skip, assets_query.limit = 0, 10
    assets = sdk.identity_verification.get_identity_verification_attempt_assets(idv.id, attempt.id, assets_query)
    assert sorted(a.type for a in assets.data) == ["document_back_image", "document_front_image", "face_image"]
    assert not response_errors("assets.response", as_dict(assets))
    image = httpx.get(assets.data[0]._links.asset_url.href)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG\r\n\x1a\n")

    report = sdk.identity_verification.get_identity_verification_report(idv.id)
    assert not response_errors("pdf_report.response", as_dict(report))
    pdf = httpx.get(report.pdf_report)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")

    anonymized = sdk.identity_verification.anonymize_identity_verification(idv.id)
    assert anonymized.status == "approved" and not hasattr(anonymized, "declared_data")


def test_create_and_open(sdk, server):
    request = IdentityVerificationAndAttemptRequest()
    request.declared_data = declared()
    request.redirect_url = "https://myweb.site?query-param=hello"
    opened = sdk.identity_verification.create_identity_verification_and_attempt(request)
    assert opened.http_metadata.status_code == 201
    assert opened.status == "pending" and opened.redirect_url == "https://myweb.site?query-param=hello"
    page = httpx.get(opened._links.verification_url.href)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]


def test_errors_reach_the_sdk_as_checkout_api_exceptions(sdk):
    request = IdentityVerificationRequest()
    request.applicant_id = "aplt_tkoi5db4hryu5cei5vwoabr7we"
    request.declared_data = DeclaredData()
    with pytest.raises(CheckoutApiException) as invalid:
        sdk.identity_verification.create_identity_verification(request)
    assert invalid.value.http_metadata.status_code == 422
    assert invalid.value.error_type == "request_invalid"
    assert invalid.value.error_details == ["declared_data__name__required"]
    assert invalid.value.request_id

    with pytest.raises(CheckoutApiException) as missing:
        sdk.identity_verification.get_identity_verification("idv_tkoi5db4hryu5cei5vwoabr7we")
    assert missing.value.http_metadata.status_code == 404
    assert missing.value.error_details == ["identity_verification_not_found"]


def oauth_sdk(server, scopes: list[str]):
    base = f"{server.url}/"
    environment = kycsim_environment(server.url)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # use_legacy_domain() and the Risk client warn
        return (
            CheckoutSdk.builder()
            .oauth()
            .client_credentials("ack_kycsimoauthclient", "kycsim-client-secret")
            .environment(environment)
            .use_legacy_domain()
            .authorization_uri(f"{base}connect/token")
            .scopes(scopes)
            .build()
        )


def test_oauth_mode_gets_a_token_and_calls_identities(server):
    from checkout_sdk.oauth_scopes import OAuthScopes

    sdk = oauth_sdk(server, [OAuthScopes.IDENTITY_VERIFICATION.value])
    request = CreateApplicantRequest()
    request.email = "oauth@example.com"
    created = sdk.applicants.create_applicant(request)
    assert created.http_metadata.status_code == 201
    # Another token of the same client is the same tenant.
    again = oauth_sdk(server, [OAuthScopes.IDENTITY_VERIFICATION.value])
    assert again.applicants.get_applicant(created.id).email == "oauth@example.com"


def test_oauth_token_without_the_identity_scope_is_refused(server):
    sdk = oauth_sdk(server, ["vault"])
    with pytest.raises(CheckoutApiException) as refused:
        sdk.applicants.get_applicant("aplt_tkoi5db4hryu5cei5vwoabr7we")
    assert refused.value.http_metadata.status_code == 401


def test_token_endpoint_errors(server):
    assert httpx.post(f"{server.url}/connect/token", data={"grant_type": "password"}).status_code == 400
    assert httpx.post(f"{server.url}/connect/token", data={"grant_type": "client_credentials"}).status_code == 401
