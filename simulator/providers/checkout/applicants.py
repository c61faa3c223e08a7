"""Applicants: ``/applicants`` create, get, update (PATCH) and anonymize.

Optional attributes that are unset are left out of the body, as the API does. Validation
errors are 400s here: the applicant endpoints document 400, not 422. An anonymized applicant
cannot be updated (400 ``applicant_anonymized``): a PATCH would write personal data back.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from simulator.providers.checkout import constants as c
from simulator.providers.checkout.api import require
from simulator.providers.checkout.errors import InvalidRequest
from simulator.providers.checkout.state import APPLICANTS
from simulator.toolkit.routes import Call

PERSONAL_FIELDS = ("email", "external_applicant_name")


def render(applicant: dict[str, Any], base_url: str) -> dict[str, Any]:
    body = {key: value for key, value in applicant.items() if not key.startswith("_") and value is not None}
    body["_links"] = {"self": {"href": f"{base_url}/applicants/{applicant['id']}"}}
    return body


def new_applicant(call: Call, fields: dict[str, Any]) -> dict[str, Any]:
    """Store a new applicant (also used by ``/create-and-open-idv`` when no applicant is given)."""
    now = call.state.timestamp()
    applicant = {
        "id": call.state.prefixed(c.PREFIX_APPLICANT),
        "created_on": now,
        "modified_on": now,
        "external_applicant_id": fields.get("external_applicant_id"),
        "email": fields.get("email"),
        "external_applicant_name": fields.get("external_applicant_name"),
    }
    return call.state.save_applicant(applicant)


def find(call: Call, applicant_id: str) -> dict[str, Any]:
    return require(call.state.applicant(applicant_id), "applicant")


async def create_applicant(call: Call) -> dict[str, Any]:
    applicant = new_applicant(call, call.body)
    return render(applicant, call.base_url)


async def get_applicant(call: Call) -> Response:
    applicant = find(call, call.params["applicant_id"])
    return call.rendered(((APPLICANTS, applicant["id"]),), lambda: render(applicant, call.base_url))


async def update_applicant(call: Call) -> dict[str, Any]:
    applicant = find(call, call.params["applicant_id"])
    if applicant.get("_anonymized"):
        # Its personal data is gone for good: writing some back would undo the anonymization.
        raise InvalidRequest("applicant_anonymized", message="an anonymized applicant cannot be updated")
    for key in PERSONAL_FIELDS:
        if key in call.body:
            applicant[key] = call.body[key]
    applicant["modified_on"] = call.state.timestamp()
    call.state.save_applicant(applicant)
    return render(applicant, call.base_url)


async def anonymize_applicant(call: Call) -> dict[str, Any]:
    applicant = find(call, call.params["applicant_id"])
    for key in PERSONAL_FIELDS:
        applicant[key] = None
    applicant["modified_on"] = call.state.timestamp()
    applicant["_anonymized"] = True
    call.state.save_applicant(applicant)
    return render(applicant, call.base_url)
