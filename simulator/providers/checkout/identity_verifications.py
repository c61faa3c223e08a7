"""Identity Verification: create, create-and-open, get, anonymize and the PDF report.

Attempts are the generic ones of :mod:`attempts`. The scenario a check plays is chosen here,
at creation, from the ``X-KycSim-Scenario`` header, bindings, the sandbox's magic
``external_applicant_id`` values, an email tag, or the default.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from simulator.providers.checkout import attempts, lifecycle, selection
from simulator.providers.checkout import constants as c
from simulator.providers.checkout.applicants import find as find_applicant
from simulator.providers.checkout.applicants import new_applicant
from simulator.providers.checkout.attempts import (
    CHECK_FIELDS,
    attempt_fields,
    find_check,
    media_url,
    render_attempt,
    set_fields,
)
from simulator.providers.checkout.attempts import verification_url as attempt_verification_url
from simulator.providers.checkout.products import IDENTITY_VERIFICATION as IDV
from simulator.providers.checkout.state import State
from simulator.toolkit.routes import Call


def render(check: dict[str, Any], base_url: str, state: State | None = None) -> dict[str, Any]:
    body = set_fields(check, (*CHECK_FIELDS, "documents", "face", "verified_identity", "redirect_url"))
    token = check.get("_media_token")
    if token and body.get("documents"):
        body["documents"] = [_render_document(doc, base_url, token) for doc in body["documents"]]
    if token and not check.get("_anonymized"):
        body["face"] = {"image_signed_url": media_url(base_url, token, "face_image.png")}
    links: dict[str, Any] = {
        "self": {"href": f"{base_url}/{IDV.path}/{check['id']}"},
        "applicant": {"href": f"{base_url}/applicants/{check['applicant_id']}"},
    }
    latest = state.latest_attempt(IDV, check) if state is not None else None
    if latest is not None:
        links["verification_url"] = {"href": attempt_verification_url(base_url, latest)}
    body["_links"] = links
    return body


def _render_document(document: dict[str, Any], base_url: str, token: str) -> dict[str, Any]:
    shown = {
        "document_type": document["document_type"],
        "document_issuing_country": document["document_issuing_country"],
    }
    shown["front_image_signed_url"] = media_url(base_url, token, "document_front_image.png")
    if document["document_type"] != "Passport":
        shown["back_image_signed_url"] = media_url(base_url, token, "document_back_image.png")
    shown.update({k: v for k, v in document.items() if k not in shown})
    return shown


def _check_fields(body: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {"declared_data": _clean(body["declared_data"]), "documents": []}
    if body.get("user_journey_id"):
        fields["user_journey_id"] = body["user_journey_id"]
    if body.get("redirect_url"):
        fields["redirect_url"] = body["redirect_url"]
    return fields


def _clean(value: Any) -> Any:
    """Drop nulls from declared data, except ``email`` which the API keeps as null."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None or k == "email"}
    return value


def _create(call: Call, applicant: dict[str, Any]) -> dict[str, Any]:
    header = call.request.headers.get(c.SCENARIO_HEADER)
    scenario = selection.choose(call.state, IDV, applicant, call.body["declared_data"].get("email"), header)
    return lifecycle.create_check(
        call.state,
        IDV,
        applicant=applicant,
        base_url=call.base_url,
        fields=_check_fields(call.body),
        scenario=scenario,
    )


async def create_identity_verification(call: Call) -> dict[str, Any]:
    applicant = find_applicant(call, call.body["applicant_id"])
    check = _create(call, applicant)
    call.mark_scenario(check["_scenario"]["name"])
    return render(check, call.base_url)


async def create_and_open(call: Call) -> dict[str, Any]:
    """One call: (applicant,) check and first attempt; the body is the check with its verification URL."""
    if call.body.get("applicant_id"):
        applicant = find_applicant(call, call.body["applicant_id"])
    else:
        declared = call.body["declared_data"]
        applicant = new_applicant(call, {"email": declared.get("email"), "external_applicant_name": declared["name"]})
    check = _create(call, applicant)
    call.mark_scenario(check["_scenario"]["name"])
    attempt = lifecycle.create_attempt(call.state, IDV, check, base_url=call.base_url, fields=attempt_fields(call.body))
    check = call.state.check(IDV, check["id"])
    body = render(check, call.base_url, call.state)
    body["redirect_url"] = attempt["redirect_url"]
    return body


async def get_identity_verification(call: Call) -> Response:
    check = find_check(call, IDV)
    attempt_ids = check.get("_attempt_ids") or [None]
    return call.rendered(
        ((IDV.kind, check["id"]), (IDV.attempt_kind, attempt_ids[-1])),  # the latest attempt gives a link
        lambda: render(check, call.base_url, call.state),
    )


async def anonymize_identity_verification(call: Call) -> dict[str, Any]:
    check = find_check(call, IDV)
    check = lifecycle.anonymize(call.state, IDV, check)
    return render(check, call.base_url, call.state)


async def get_pdf_report(call: Call) -> dict[str, Any]:
    return attempts.pdf_report(call, IDV)


__all__ = ["render", "render_attempt"]
