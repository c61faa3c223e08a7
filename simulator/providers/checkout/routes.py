"""The Checkout.com Identities route table (paths as the real API, at the root)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from simulator.providers.checkout import applicants, attempts, events, hosted, identity_verifications, media, oauth
from simulator.providers.checkout.products import IDENTITY_VERIFICATION

IDV = "/identity-verifications/{identity_verification_id}"


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
