"""Face Authentication (``fav_``, attempts ``fatp_``): create, get, anonymize.

The applicant records a face video on the hosted page (the same page and lifecycle as IDV) and
Checkout.com compares it with the face of an earlier approved verification. That reference must
exist: an approved identity verification or face authentication of the applicant whose face was
not anonymized; otherwise creation fails with 422 ``applicant_id__not_verified``. Attempts use
the shared handlers of :mod:`attempts` with the smaller ``client_information``.
"""

from __future__ import annotations

from typing import Any

from simulator.providers.checkout import constants as c
from simulator.providers.checkout import lifecycle, selection
from simulator.providers.checkout.applicants import find as find_applicant
from simulator.providers.checkout.attempts import find_check, handlers, media_url
from simulator.providers.checkout.errors import ValidationFailed
from simulator.providers.checkout.products import FACE_AUTHENTICATION as FA
from simulator.providers.checkout.products import IDENTITY_VERIFICATION, Product
from simulator.providers.checkout.state import PROVIDER, State
from simulator.toolkit.routes import Call

ATTEMPT_HANDLERS = handlers(FA)
NOT_VERIFIED = "applicant_id__not_verified"


def has_reference_face(
    state: State, applicant_id: str, products: tuple[Product, ...] = (IDENTITY_VERIFICATION, FA)
) -> bool:
    """Whether the applicant has an approved, non-anonymized verification among ``products``."""
    for product in products:
        for check in state.sim.store.list(state.tenant, PROVIDER, product.kind):
            if check["applicant_id"] == applicant_id and check["status"] == c.APPROVED and not check["_anonymized"]:
                return True
    return False


def render(check: dict[str, Any], base_url: str) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for key in (
        "id",
        "created_on",
        "modified_on",
        "applicant_id",
        "user_journey_id",
        "status",
        "response_codes",
        "risk_labels",
    ):
        body[key] = check[key]
    token = check.get("_media_token")
    if token and not check.get("_anonymized"):
        body["face"] = {"image_signed_url": media_url(base_url, token, "face_image.png")}
    body["_links"] = {
        "self": {"href": f"{base_url}/{FA.path}/{check['id']}"},
        "applicant": {"href": f"{base_url}/applicants/{check['applicant_id']}"},
    }
    return body


async def create_face_authentication(call: Call) -> dict[str, Any]:
    applicant = find_applicant(call, call.body["applicant_id"])
    if not has_reference_face(call.state, applicant["id"]):
        raise ValidationFailed(
            NOT_VERIFIED,
            message="the applicant needs an approved identity verification (or face authentication) "
            "whose face video was not anonymized",
        )
    scenario = selection.choose(call.state, FA, applicant, None, call.request.headers.get(c.SCENARIO_HEADER))
    fields = {"user_journey_id": call.body["user_journey_id"]} if call.body.get("user_journey_id") else {}
    check = lifecycle.create_check(
        call.state, FA, applicant=applicant, base_url=call.base_url, fields=fields, scenario=scenario
    )
    call.mark_scenario(scenario["name"])
    return render(check, call.base_url)


async def get_face_authentication(call: Call) -> dict[str, Any]:
    return render(find_check(call, FA), call.base_url)


async def anonymize_face_authentication(call: Call) -> dict[str, Any]:
    check = lifecycle.anonymize(call.state, FA, find_check(call, FA))
    return render(check, call.base_url)
