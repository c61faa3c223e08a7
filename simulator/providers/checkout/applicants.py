"""Applicants: ``/applicants`` create, get, update (PATCH) and anonymize.

Optional attributes that are unset are left out of the body, as the API does. Validation
errors are 400s here: the applicant endpoints document 400, not 422.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from simulator.providers.checkout.api import Call, operation, require
from simulator.providers.checkout.errors import InvalidRequest
from simulator.providers.checkout.state import State

PERSONAL_FIELDS = ("email", "external_applicant_name")


def render(applicant: dict[str, Any], base_url: str) -> dict[str, Any]:
    body = {key: value for key, value in applicant.items() if not key.startswith("_") and value is not None}
    body["_links"] = {"self": {"href": f"{base_url}/applicants/{applicant['id']}"}}
    return body


def new_applicant(call: Call, fields: dict[str, Any]) -> dict[str, Any]:
    """Store a new applicant (also used by ``/create-and-open-idv`` when no applicant is given)."""
    now = call.now()
    applicant = {
        "id": call.sim.ids.prefixed("aplt", call.tenant),
        "created_on": now,
        "modified_on": now,
        "external_applicant_id": fields.get("external_applicant_id"),
        "email": fields.get("email"),
        "external_applicant_name": fields.get("external_applicant_name"),
    }
    return State(call.sim, call.tenant).save_applicant(applicant)


def find(call: Call, applicant_id: str) -> dict[str, Any]:
    return require(State(call.sim, call.tenant).applicant(applicant_id), "applicant")


@operation("create_applicant", schema="applicant.create.request", invalid=InvalidRequest)
async def create_applicant(call: Call) -> Response:
    applicant = new_applicant(call, call.body)
    return call.json(render(applicant, call.base_url), 201)


@operation("get_applicant")
async def get_applicant(call: Call) -> Response:
    applicant = find(call, call.params["applicant_id"])
    base_url = call.base_url
    # The call clients poll: reuse the bytes of the last identical render (see _RENDERED).
    key = (call.tenant, applicant["id"], base_url)
    items = tuple(applicant.items())
    cached = _RENDERED.get(key)
    if cached is not None and cached[0] == items:
        return Response(cached[1], media_type="application/json")
    response = call.json(render(applicant, base_url))
    if all(type(name) is str and (value is None or type(value) is str) for name, value in items):
        if len(_RENDERED) >= _RENDERED_MAX:
            _RENDERED.clear()
        _RENDERED[key] = (items, response.body)
    return response


# The encoded body of a GET, by (tenant, applicant id, base URL), with the document's items it was
# rendered from. A hit needs the stored document to have exactly those items, in that order (key
# order is JSON order). Only documents with str keys and str or None values are kept: for them,
# tuple equality is exact (no True == 1 or 1 == 1.0), so a hit gives the bytes a fresh render
# would, however and wherever the document was changed, with or without store.put.
_RENDERED: dict[tuple[str, str, str], tuple[tuple[tuple[str, Any], ...], bytes]] = {}
_RENDERED_MAX = 4096


@operation("update_applicant", schema="applicant.update.request", invalid=InvalidRequest)
async def update_applicant(call: Call) -> Response:
    applicant = find(call, call.params["applicant_id"])
    for key in PERSONAL_FIELDS:
        if key in call.body:
            applicant[key] = call.body[key]
    applicant["modified_on"] = call.now()
    State(call.sim, call.tenant).save_applicant(applicant)
    return call.json(render(applicant, call.base_url))


@operation("anonymize_applicant")
async def anonymize_applicant(call: Call) -> Response:
    applicant = find(call, call.params["applicant_id"])
    for key in PERSONAL_FIELDS:
        applicant[key] = None
    applicant["modified_on"] = call.now()
    applicant["_anonymized"] = True
    State(call.sim, call.tenant).save_applicant(applicant)
    return call.json(render(applicant, call.base_url))
