"""Handlers shared by ID and Address Document Verification (one set, bound to a product).

create, get, anonymize, pdf-report, and the attempts: create (with the uploaded files), list,
get, assets. :mod:`id_document_verifications` and :mod:`address_document_verifications` bind
them to their product for the route table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.providers.checkout import constants as c
from simulator.providers.checkout import document_checks
from simulator.providers.checkout.api import page
from simulator.providers.checkout.applicants import find as find_applicant
from simulator.providers.checkout.attempts import find_attempt, find_check, media_url
from simulator.providers.checkout.errors import InvalidRequest, NotFound, ValidationFailed
from simulator.providers.checkout.identity_verifications import _clean
from simulator.providers.checkout.products import Product
from simulator.providers.checkout.uploads import UploadError, collect_uploads, read_fields
from simulator.toolkit.routes import Call

BODY_ERRORS = ("request_body__", "content_type__")  # the whole body is unusable: 400, not 422


def handlers(product: Product) -> dict[str, Callable]:
    required, optional = document_checks.UPLOAD_FIELDS[product.name]

    def render(call: Call, check: dict[str, Any]) -> dict[str, Any]:
        return document_checks.render(product, check, call.base_url, call.state)

    async def create(call: Call) -> dict[str, Any]:
        applicant = find_applicant(call, call.body["applicant_id"])
        scenario = call.provider.choose_scenario(call, product, applicant, None)
        fields: dict[str, Any] = {}
        if call.body.get("declared_data"):
            fields["declared_data"] = _clean(call.body["declared_data"])
        if call.body.get("user_journey_id"):
            fields["user_journey_id"] = call.body["user_journey_id"]
        check = call.provider.lifecycle.create_check(
            call.tenant, product, applicant=applicant, base_url=call.base_url, fields=fields, scenario=scenario
        )
        call.mark_scenario(scenario["name"])
        return render(call, check)

    async def get(call: Call) -> dict[str, Any]:
        return render(call, find_check(call, product))

    async def anonymize(call: Call) -> dict[str, Any]:
        check = find_check(call, product)
        check = document_checks.anonymize(call.provider.lifecycle, call.tenant, product, check)
        return render(call, check)

    async def pdf_report(call: Call) -> dict[str, Any]:
        check = find_check(call, product)
        token = check.get("_report_token")
        if not token or check.get("_anonymized") or check["status"] not in (c.APPROVED, c.DECLINED):
            raise NotFound("pdf_report_not_found", message="the report exists once the checks are completed")
        return {"pdf_report": media_url(call.base_url, token, "report.pdf")}

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
        attempt = document_checks.create_attempt(call.provider.lifecycle, call.tenant, product, check, uploads, plain)
        return document_checks.render_attempt(product, check, attempt, call.base_url)

    async def list_attempts(call: Call) -> dict[str, Any]:
        check = find_check(call, product)
        attempts = call.state.attempts(product, check)[::-1]  # newest first
        items = [document_checks.render_attempt(product, check, a, call.base_url) for a in attempts]
        return page(call, items, f"/{product.path}/{check['id']}/attempts")

    async def get_attempt(call: Call) -> dict[str, Any]:
        check = find_check(call, product)
        attempt = find_attempt(call, product, check)
        return document_checks.render_attempt(product, check, attempt, call.base_url)

    async def list_assets(call: Call) -> dict[str, Any]:
        check = find_check(call, product)
        attempt = find_attempt(call, product, check)
        items = document_checks.render_assets(product, check, attempt, call.base_url)
        return page(call, items, f"/{product.path}/{check['id']}/attempts/{attempt['id']}/assets")

    return {
        "create": create,
        "get": get,
        "anonymize": anonymize,
        "pdf_report": pdf_report,
        "create_attempt": create_attempt,
        "list_attempts": list_attempts,
        "get_attempt": get_attempt,
        "list_assets": list_assets,
    }
