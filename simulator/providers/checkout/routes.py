"""The Checkout.com Identities route table (paths as the real API, at the root).

Each row is an operation: method, path, handler, unique name, request and response schemas. The
toolkit runs every API row through the one pipeline; pages, media, OAuth and control calls are
``plain`` rows.
"""

from __future__ import annotations

from simulator.providers.checkout import aml_screenings as aml_api
from simulator.providers.checkout import (
    applicants,
    attempts,
    control,
    document_verifications,
    events,
    hosted,
    identity_verifications,
    media,
    oauth,
)
from simulator.providers.checkout import face_authentications as fa
from simulator.providers.checkout.products import (
    ADDRESS_DOCUMENT_VERIFICATION,
    ID_DOCUMENT_VERIFICATION,
    IDENTITY_VERIFICATION,
    Product,
)
from simulator.toolkit.routes import Operation

IDV = "/identity-verifications/{identity_verification_id}"
FA = "/face-authentications/{face_authentication_id}"
IDDV = "/id-document-verifications/{id_document_verification_id}"
ADV = "/address-document-verifications/{address_document_verification_id}"
AML = "/aml-verifications/{aml_verification_id}"


def operations() -> list[Operation]:
    idv = attempts.handlers(IDENTITY_VERIFICATION)
    return [
        # Applicants
        Operation(
            "POST",
            "/applicants",
            applicants.create_applicant,
            "create_applicant",
            request="applicant.create.request",
            response="applicant.response",
            status=201,
        ),
        Operation(
            "GET",
            "/applicants/{applicant_id}",
            applicants.get_applicant,
            "get_applicant",
            response="applicant.response",
        ),
        Operation(
            "PATCH",
            "/applicants/{applicant_id}",
            applicants.update_applicant,
            "update_applicant",
            request="applicant.update.request",
            response="applicant.response",
        ),
        Operation(
            "POST",
            "/applicants/{applicant_id}/anonymize",
            applicants.anonymize_applicant,
            "anonymize_applicant",
            response="applicant.response",
        ),
        # Identity Verification
        Operation(
            "POST",
            "/create-and-open-idv",
            identity_verifications.create_and_open,
            "create_and_open_identity_verification",
            request="identity_verification.create_and_open.request",
            response="identity_verification.response",
            status=201,
        ),
        Operation(
            "POST",
            "/identity-verifications",
            identity_verifications.create_identity_verification,
            "create_identity_verification",
            request="identity_verification.create.request",
            response="identity_verification.response",
            status=201,
        ),
        Operation(
            "GET",
            IDV,
            identity_verifications.get_identity_verification,
            "get_identity_verification",
            response="identity_verification.response",
        ),
        Operation(
            "POST",
            f"{IDV}/anonymize",
            identity_verifications.anonymize_identity_verification,
            "anonymize_identity_verification",
            response="identity_verification.response",
        ),
        Operation(
            "POST",
            f"{IDV}/attempts",
            idv["create_attempt"],
            "create_identity_verification_attempt",
            request="identity_verification.attempt.create.request",
            response="attempt.response",
            status=201,
        ),
        Operation(
            "GET",
            f"{IDV}/attempts",
            idv["list_attempts"],
            "list_identity_verification_attempts",
            response="attempt_list.response",
        ),
        Operation(
            "GET",
            f"{IDV}/attempts/{{attempt_id}}",
            idv["get_attempt"],
            "get_identity_verification_attempt",
            response="attempt.response",
        ),
        Operation(
            "GET",
            f"{IDV}/attempts/{{attempt_id}}/assets",
            idv["list_assets"],
            "list_identity_verification_attempt_assets",
            response="assets.response",
        ),
        Operation(
            "GET",
            f"{IDV}/pdf-report",
            identity_verifications.get_pdf_report,
            "get_identity_verification_pdf_report",
            response="pdf_report.response",
        ),
        # Face Authentication
        Operation(
            "POST",
            "/face-authentications",
            fa.create_face_authentication,
            "create_face_authentication",
            request="face_authentication.create.request",
            response="face_authentication.response",
            status=201,
        ),
        Operation(
            "GET", FA, fa.get_face_authentication, "get_face_authentication", response="face_authentication.response"
        ),
        Operation(
            "POST",
            f"{FA}/anonymize",
            fa.anonymize_face_authentication,
            "anonymize_face_authentication",
            response="face_authentication.response",
        ),
        *_attempt_rows(fa.FA, FA, fa.ATTEMPT_HANDLERS),
        # ID Document Verification and Address Document Verification (uploaded documents)
        *_document_rows(ID_DOCUMENT_VERIFICATION, IDDV),
        *_document_rows(ADDRESS_DOCUMENT_VERIFICATION, ADV),
        # AML Screening, and its control calls (a reviewer's decision, ongoing monitoring)
        Operation(
            "POST",
            "/aml-verifications",
            aml_api.create_aml_screening,
            "create_aml_screening",
            request="aml_screening.create.request",
            response="aml_screening.response",
            status=201,
        ),
        Operation("GET", AML, aml_api.get_aml_screening, "get_aml_screening", response="aml_screening.response"),
        Operation("POST", f"/_sim/checkout{AML}/resolve", control.resolve_case, "sim_resolve_aml_case", plain=True),
        Operation(
            "POST",
            f"/_sim/checkout{AML}/monitoring-alert",
            control.raise_monitoring_alert,
            "sim_raise_aml_monitoring_alert",
            plain=True,
        ),
        Operation("POST", f"/_sim/checkout{AML}/status", control.update_status, "sim_update_aml_status", plain=True),
        # Webhook events as the envelope's _links.self points at them
        Operation("GET", "/workflows/events/{event_id}", events.get_event, "get_event", response="webhook_event"),
        # OAuth client credentials (access.checkout.com's role) for the SDKs' OAuth mode
        Operation("POST", "/connect/token", oauth.token, "issue_oauth_token", plain=True),
        # Served by the simulator in place of the provider's CDN and hosted flow (no credentials)
        Operation("GET", "/media/{token}/{name}", media.serve, "get_media", plain=True),
        Operation("GET", "/verify/{token}/", hosted.page, "hosted_page", plain=True),
        Operation("GET", "/verify/{token}/state", hosted.state, "hosted_page_state", plain=True),
        Operation("POST", "/verify/{token}/", hosted.act, "hosted_page_action", plain=True),
    ]


def _attempt_rows(product: Product, item: str, h: dict, **create: bool) -> list[Operation]:
    """The attempts of a product other than IDV: its own schemas and names. ``create``: how the new
    attempt's body is read (uploads are read by their handler)."""
    prefix, name = product.event_prefix, product.name
    attempts, one = f"{item}/attempts", f"{item}/attempts/{{attempt_id}}"
    return [
        Operation(
            "POST",
            attempts,
            h["create_attempt"],
            f"create_{prefix}_attempt",
            request=f"{name}.attempt.create.request",
            response=f"{name}.attempt.response",
            status=201,
            **create,
        ),
        Operation("GET", attempts, h["list_attempts"], f"list_{prefix}_attempts", response=f"{name}.attempts.response"),
        Operation("GET", one, h["get_attempt"], f"get_{prefix}_attempt", response=f"{name}.attempt.response"),
        Operation(
            "GET",
            f"{one}/assets",
            h["list_assets"],
            f"list_{prefix}_attempt_assets",
            response=f"{name}.assets.response",
        ),
    ]


def _document_rows(product: Product, item: str) -> list[Operation]:
    """An uploaded-document product: the check, its report, and attempts that carry the files."""
    h = document_verifications.handlers(product)
    prefix, name = product.event_prefix, product.name
    return [
        Operation(
            "POST",
            f"/{product.path}",
            h["create"],
            f"create_{prefix}",
            request=f"{name}.create.request",
            response=f"{name}.response",
            status=201,
        ),
        Operation("GET", item, h["get"], f"get_{prefix}", response=f"{name}.response"),
        Operation("POST", f"{item}/anonymize", h["anonymize"], f"anonymize_{prefix}", response=f"{name}.response"),
        # Multipart or JSON with the files: the handler reads the body, then checks the other fields.
        *_attempt_rows(product, item, h, upload=True, deferred=True),
        Operation(
            "GET",
            f"{item}/pdf-report",
            h["pdf_report"],
            f"get_{prefix}_pdf_report",
            response=f"{name}.pdf_report.response",
        ),
    ]
