"""Attempts of any hosted product: create, list, get, and the captured assets.

One set of handlers serves every product; :func:`handlers` binds them to a
:class:`~simulator.providers.checkout.products.Product` (IDV today, FA/IDDV/ADV the same way).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from simulator.providers.checkout import constants as c
from simulator.providers.checkout import lifecycle
from simulator.providers.checkout.api import page, require
from simulator.providers.checkout.errors import NotFound
from simulator.providers.checkout.products import Product
from simulator.toolkit.routes import Call

CAPTURED = (c.ATTEMPT_CHECKS_IN_PROGRESS, c.COMPLETED, c.CHECKS_INCONCLUSIVE)
ONE_SIDED_DOCUMENTS = ("Passport",)

# What a verification's body shows, in the API reference's order, each only when set (a product adds its own).
CHECK_FIELDS = (
    "id",
    "created_on",
    "modified_on",
    "user_journey_id",
    "applicant_id",
    "status",
    "response_codes",
    "risk_labels",
    "declared_data",
)


def set_fields(record: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """``record``'s ``keys`` that are set (not None), in the order of ``keys``."""
    return {key: record[key] for key in keys if record.get(key) is not None}


def verification_url(base_url: str, attempt: dict[str, Any]) -> str:
    return f"{base_url}/verify/{attempt['_link_token']}/"


def media_url(base_url: str, token: str, name: str) -> str:
    return f"{base_url}/media/{token}/{name}"


def render_attempt(product: Product, check: dict[str, Any], attempt: dict[str, Any], base_url: str) -> dict:
    body = {k: v for k, v in attempt.items() if not k.startswith("_") and v is not None}
    links: dict[str, Any] = {"self": {"href": f"{base_url}/{product.path}/{check['id']}/attempts/{attempt['id']}"}}
    if product.hosted:
        links["verification_url"] = {"href": verification_url(base_url, attempt)}
    body["_links"] = links
    return body


def asset_types(product: Product, check: dict[str, Any], attempt: dict[str, Any]) -> list[str]:
    """The assets an attempt has: images only (videos need the account manager).

    Upload products (IDDV, ADV) list what was uploaded, kept by their handlers in ``_asset_types``.
    """
    if attempt["status"] not in CAPTURED:
        return []
    if not product.hosted:
        return list(attempt.get("_asset_types") or [t for t in product.asset_types if not t.endswith("_video")])
    document_type = ((attempt.get("client_information") or {}).get("pre_selected_document_type")) or "Passport"
    types = []
    for name in product.asset_types:
        if name.endswith("_video") or name.startswith("secondary_") or name == "document_signature_image":
            continue
        if name == "document_back_image" and document_type in ONE_SIDED_DOCUMENTS:
            continue
        types.append(name)
    return types


def render_assets(product: Product, check: dict, attempt: dict, base_url: str) -> list[dict[str, Any]]:
    return [
        {"type": name, "_links": {"asset_url": {"href": media_url(base_url, attempt["_media_token"], f"{name}.png")}}}
        for name in asset_types(product, check, attempt)
    ]


def find_check(call: Call, product: Product) -> dict[str, Any]:
    check_id = call.params[product.data_id_key]
    return require(call.state.check(product, check_id), product.event_prefix)


def find_attempt(call: Call, product: Product, check: dict[str, Any]) -> dict[str, Any]:
    attempt_id = call.params["attempt_id"]
    attempt = call.state.attempt(product, attempt_id) if attempt_id in check["_attempt_ids"] else None
    return require(attempt, "attempt")


def attempt_fields(body: dict[str, Any]) -> dict[str, Any]:
    return {k: body[k] for k in ("redirect_url", "phone_number", "client_information") if body.get(k) is not None}


def handlers(product: Product) -> dict[str, Callable]:
    """The four attempt endpoints of a hosted product, for the route table."""

    async def create_attempt(call: Call) -> dict[str, Any]:
        check = find_check(call, product)
        call.mark_scenario(check["_scenario"].get("playing") or check["_scenario"].get("name"))
        attempt = lifecycle.create_attempt(
            call.state, product, check, base_url=call.base_url, fields=attempt_fields(call.body)
        )
        return render_attempt(product, check, attempt, call.base_url)

    return {"create_attempt": create_attempt, **readers(product, render_attempt, render_assets)}


Render = Callable[[Product, dict[str, Any], dict[str, Any], str], Any]


def readers(product: Product, render: Render, assets: Render) -> dict[str, Callable]:
    """List, get and the assets of ``product``'s attempts (hosted or uploaded, each with its rendering)."""

    async def list_attempts(call: Call) -> dict[str, Any]:
        check = find_check(call, product)
        # Newest first, as the API lists them.
        items = [render(product, check, a, call.base_url) for a in call.state.attempts(product, check)][::-1]
        return page(call, items, f"/{product.path}/{check['id']}/attempts")

    async def get_attempt(call: Call) -> Response:
        check = find_check(call, product)
        attempt = find_attempt(call, product, check)
        return call.rendered(
            ((product.kind, check["id"]), (product.attempt_kind, attempt["id"])),
            lambda: render(product, check, attempt, call.base_url),
        )

    async def list_assets(call: Call) -> dict[str, Any]:
        check = find_check(call, product)
        attempt = find_attempt(call, product, check)
        items = assets(product, check, attempt, call.base_url)
        return page(call, items, f"/{product.path}/{check['id']}/attempts/{attempt['id']}/assets")

    return {"list_attempts": list_attempts, "get_attempt": get_attempt, "list_assets": list_assets}


def pdf_report(call: Call, product: Product) -> dict[str, Any]:
    """``{"pdf_report": <url>}`` once the checks are completed and the report created, else 404."""
    check = find_check(call, product)
    token = check.get("_report_token")
    if not token or check.get("_anonymized") or check["status"] not in (c.APPROVED, c.DECLINED):
        raise NotFound("pdf_report_not_found", message="the report exists once the checks are completed")
    return {"pdf_report": media_url(call.base_url, token, "report.pdf")}
