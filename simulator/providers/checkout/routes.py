"""The Checkout.com Identities route table (paths as the real API, at the root)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from simulator.providers.checkout import address_document_verifications as adv
from simulator.providers.checkout import aml_screenings as aml_api
from simulator.providers.checkout import applicants, attempts, events, hosted, identity_verifications, media, oauth
from simulator.providers.checkout import face_authentications as fa
from simulator.providers.checkout import id_document_verifications as iddv
from simulator.providers.checkout.products import IDENTITY_VERIFICATION

IDV = "/identity-verifications/{identity_verification_id}"
FA = "/face-authentications/{face_authentication_id}"
IDDV = "/id-document-verifications/{id_document_verification_id}"
ADV = "/address-document-verifications/{address_document_verification_id}"
AML = "/aml-verifications/{aml_verification_id}"


def routes() -> list[BaseRoute]:
    idv_attempts = attempts.handlers(IDENTITY_VERIFICATION, "identity_verification.attempt.create.request")
    table = [
        # Applicants
        ("POST", "/applicants", applicants.create_applicant),
        ("GET", "/applicants/{applicant_id}", applicants.get_applicant),
        ("PATCH", "/applicants/{applicant_id}", applicants.update_applicant),
        ("POST", "/applicants/{applicant_id}/anonymize", applicants.anonymize_applicant),
        # Identity Verification
        ("POST", "/create-and-open-idv", identity_verifications.create_and_open),
        ("POST", "/identity-verifications", identity_verifications.create_identity_verification),
        ("GET", IDV, identity_verifications.get_identity_verification),
        ("POST", f"{IDV}/anonymize", identity_verifications.anonymize_identity_verification),
        ("POST", f"{IDV}/attempts", idv_attempts["create_attempt"]),
        ("GET", f"{IDV}/attempts", idv_attempts["list_attempts"]),
        ("GET", f"{IDV}/attempts/{{attempt_id}}", idv_attempts["get_attempt"]),
        ("GET", f"{IDV}/attempts/{{attempt_id}}/assets", idv_attempts["list_assets"]),
        ("GET", f"{IDV}/pdf-report", identity_verifications.get_pdf_report),
        # Face Authentication
        ("POST", "/face-authentications", fa.create_face_authentication),
        ("GET", FA, fa.get_face_authentication),
        ("POST", f"{FA}/anonymize", fa.anonymize_face_authentication),
        ("POST", f"{FA}/attempts", fa.ATTEMPT_HANDLERS["create_attempt"]),
        ("GET", f"{FA}/attempts", fa.ATTEMPT_HANDLERS["list_attempts"]),
        ("GET", f"{FA}/attempts/{{attempt_id}}", fa.ATTEMPT_HANDLERS["get_attempt"]),
        ("GET", f"{FA}/attempts/{{attempt_id}}/assets", fa.ATTEMPT_HANDLERS["list_assets"]),
        # ID Document Verification and Address Document Verification (uploaded documents)
        *_document_rows("/id-document-verifications", IDDV, iddv.HANDLERS),
        *_document_rows("/address-document-verifications", ADV, adv.HANDLERS),
        # AML Screening
        ("POST", "/aml-verifications", aml_api.create_aml_screening),
        ("GET", AML, aml_api.get_aml_screening),
        ("POST", f"/_sim/checkout{AML}/resolve", aml_api.resolve_case),
        ("POST", f"/_sim/checkout{AML}/monitoring-alert", aml_api.raise_monitoring_alert),
        ("POST", f"/_sim/checkout{AML}/status", aml_api.update_status),
        # Webhook events as the envelope's _links.self points at them
        ("GET", "/workflows/events/{event_id}", events.get_event),
        # OAuth client credentials (access.checkout.com's role) for the SDKs' OAuth mode
        ("POST", "/connect/token", oauth.token),
        # Served by the simulator in place of the provider's CDN and hosted flow (no credentials)
        ("GET", "/media/{token}/{name}", media.serve),
        ("GET", "/verify/{token}/", hosted.page),
        ("GET", "/verify/{token}/state", hosted.state),
        ("POST", "/verify/{token}/", hosted.act),
    ]
    return [
        Route(path, endpoint, methods=[method], name=f"checkout:{endpoint.__name__}")
        for method, path, endpoint in table
    ]


def _document_rows(collection: str, item: str, h: dict) -> list[tuple]:
    return [
        ("POST", collection, h["create"]),
        ("GET", item, h["get"]),
        ("POST", f"{item}/anonymize", h["anonymize"]),
        ("POST", f"{item}/attempts", h["create_attempt"]),
        ("GET", f"{item}/attempts", h["list_attempts"]),
        ("GET", f"{item}/attempts/{{attempt_id}}", h["get_attempt"]),
        ("GET", f"{item}/attempts/{{attempt_id}}/assets", h["list_assets"]),
        ("GET", f"{item}/pdf-report", h["pdf_report"]),
    ]
