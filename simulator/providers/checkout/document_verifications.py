"""ID and Address Document Verification: the client uploads the document's images, quality checks
then checks run, and the result fills one ``document`` (IDDV) or ``address_document`` (ADV).

One set of handlers, bound to a product for the route table: create, get, anonymize, pdf-report,
and the attempts: create (with the uploaded files), list, get, assets. No hosted flow; the
transitions are the lifecycle's ``upload_attempt``, ``pass_quality_checks``,
``abort_quality_checks``, ``reset_attempt`` and the shared ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.providers.checkout import attempts, lifecycle, selection
from simulator.providers.checkout import constants as c
from simulator.providers.checkout.applicants import find as find_applicant
from simulator.providers.checkout.attempts import CHECK_FIELDS, find_check, set_fields
from simulator.providers.checkout.errors import InvalidRequest, ValidationFailed
from simulator.providers.checkout.identity_verifications import _clean
from simulator.providers.checkout.products import Product
from simulator.providers.checkout.state import State
from simulator.providers.checkout.uploads import UPLOAD_FIELDS, UploadError, collect_uploads, read_fields
from simulator.toolkit.routes import Call

BODY_ERRORS = ("request_body__", "content_type__")  # the whole body is unusable: 400, not 422


# Rendering


def asset_url(base_url: str, attempt: dict[str, Any], asset: str) -> str:
    ext = (attempt.get("_assets") or {}).get(asset, "png")
    return f"{base_url}/media/{attempt['_media_token']}/{asset}.{ext}"


def render_attempt(product: Product, check: dict[str, Any], attempt: dict[str, Any], base_url: str) -> dict:
    body = {k: attempt[k] for k in ("id", "created_on", "modified_on", "status", "response_codes")}
    body["_links"] = {"self": {"href": f"{base_url}/{product.path}/{check['id']}/attempts/{attempt['id']}"}}
    return body


def render_assets(product: Product, check: dict, attempt: dict, base_url: str) -> list[dict[str, Any]]:
    if check.get("_anonymized"):
        return []
    return [
        {"type": asset, "_links": {"asset_url": {"href": asset_url(base_url, attempt, asset)}}}
        for asset in product.asset_types
        if asset in (attempt.get("_assets") or {})
    ]


def render_check(product: Product, check: dict[str, Any], base_url: str, state: State) -> dict[str, Any]:
    body = set_fields(check, CHECK_FIELDS)
    result_attempt = state.attempt(product, check["_result_attempt_id"]) if check.get("_result_attempt_id") else None
    if product.name == c.IDDV and check.get("document"):
        document = dict(check["document"])
        if result_attempt is not None:
            for asset, key in (
                ("document_front_image", "front_image_signed_url"),
                ("document_back_image", "back_image_signed_url"),
            ):
                if asset in (result_attempt.get("_assets") or {}):
                    document[key] = asset_url(base_url, result_attempt, asset)
        body["document"] = document
    if product.name == c.ADV and check.get("address_document"):
        body["address_document"] = check["address_document"]
    links: dict[str, Any] = {"self": {"href": f"{base_url}/{product.path}/{check['id']}"}}
    if product.name == c.IDDV:  # the ADV spec links only to itself
        links["applicant"] = {"href": f"{base_url}/applicants/{check['applicant_id']}"}
    body["_links"] = links
    return body


def handlers(product: Product) -> dict[str, Callable]:
    required, optional = UPLOAD_FIELDS[product.name]

    def render(call: Call, check: dict[str, Any]) -> dict[str, Any]:
        return render_check(product, check, call.base_url, call.state)

    async def create(call: Call) -> dict[str, Any]:
        applicant = find_applicant(call, call.body["applicant_id"])
        scenario = selection.choose(call.state, product, applicant, None, call.request.headers.get(c.SCENARIO_HEADER))
        fields: dict[str, Any] = {}
        if call.body.get("declared_data"):
            fields["declared_data"] = _clean(call.body["declared_data"])
        if call.body.get("user_journey_id"):
            fields["user_journey_id"] = call.body["user_journey_id"]
        check = lifecycle.create_check(
            call.state, product, applicant=applicant, base_url=call.base_url, fields=fields, scenario=scenario
        )
        call.mark_scenario(scenario["name"])
        return render(call, check)

    async def get(call: Call) -> dict[str, Any]:
        return render(call, find_check(call, product))

    async def anonymize(call: Call) -> dict[str, Any]:
        check = find_check(call, product)
        check = lifecycle.anonymize(call.state, product, check)
        return render(call, check)

    async def pdf_report(call: Call) -> dict[str, Any]:
        return attempts.pdf_report(call, product)

    async def create_attempt(call: Call) -> dict[str, Any]:
        try:
            fields = await read_fields(call.request)
            uploads = collect_uploads(fields, required, optional)
        except UploadError as exc:
            body_level = [code for code in exc.error_codes if code.startswith(BODY_ERRORS)]
            raise (InvalidRequest if body_level else ValidationFailed)(*exc.error_codes) from None
        # Everything but the files (file parts arrive as (bytes, filename) pairs).
        plain = {k: v for k, v in fields.items() if k not in (*required, *optional) and not isinstance(v, tuple)}
        call.validate(f"{product.name}.attempt.create.request", plain)
        check = find_check(call, product)
        attempt = lifecycle.create_upload_attempt(call.state, product, check, uploads, plain)
        return render_attempt(product, check, attempt, call.base_url)

    return {
        "create": create,
        "get": get,
        "anonymize": anonymize,
        "pdf_report": pdf_report,
        "create_attempt": create_attempt,
        **attempts.readers(product, render_attempt, render_assets),
    }
