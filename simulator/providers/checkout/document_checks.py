"""ID and Address Document Verification: uploaded documents, quality checks, then checks.

No hosted flow: the client uploads the images with the attempt. The transitions, on top of the
shared :class:`~simulator.providers.checkout.lifecycle.Lifecycle`:

| trigger                        | attempt ->                 | check ->                   | event               |
|--------------------------------|----------------------------|----------------------------|---------------------|
| create check                   | -                          | created                    | created             |
| attempt uploaded               | quality_checks_in_progress | quality_checks_in_progress | -                   |
| image quality good             | checks_in_progress         | checks_in_progress         | started             |
| image quality insufficient     | quality_checks_aborted     | retry_required (61xxx)     | checks_inconclusive |
| checks done                    | completed                  | approved / declined        | checks_completed    |
| report ready                   | -                          | unchanged                  | report_created      |
| images unusable for checks     | checks_inconclusive        | retry_required (61xxx)     | checks_inconclusive |
| reset by Checkout.com          | terminated                 | retry_required (64001)     | closed              |
| forcibly closed                | terminated                 | retry_required/inconclusive| closed              |
| audit / anonymize              | -                          | as the shared lifecycle    | audit_completed / ...|

The events are exactly the ones Checkout.com lists for ID Document Verification (``started`` is its
name for "quality OK, checks running"): an upload has none, a quality failure is a
``checks_inconclusive`` (``retry_required``, as Checkout.com describes that event) and Checkout.com
ending the attempt is a ``closed``. ubble's own names for these moments are not sent.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from simulator.providers.checkout import constants as c
from simulator.providers.checkout import documents
from simulator.providers.checkout.api import timestamp
from simulator.providers.checkout.errors import Conflict
from simulator.providers.checkout.products import ADDRESS_DOCUMENT_VERIFICATION, ID_DOCUMENT_VERIFICATION, Product
from simulator.providers.checkout.state import State
from simulator.providers.checkout.uploads import Upload, forget_uploads, store_upload

if TYPE_CHECKING:
    from simulator.providers.checkout.lifecycle import Lifecycle

# Upload field -> asset type, and which fields each product requires / accepts.
ASSET_OF_FIELD = {"document_front": "document_front_image", "document_back": "document_back_image",
                  "document": "document"}  # fmt: skip
UPLOAD_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    c.IDDV: (("document_front",), ("document_back",)),
    c.ADV: (("document",), ()),
}
DOCUMENT_PRODUCTS = {p.name: p for p in (ID_DOCUMENT_VERIFICATION, ADDRESS_DOCUMENT_VERIFICATION)}

# Codes that make sense for address documents (the code table has no column for ADV).
ADV_CODES = (10000, 61301, 61302, 61303, 61310, 61312, 61901, 62101, 62102, 62103, 62201, 62202, 62301, 62307,
             62401, 62404, 64001)  # fmt: skip
ADDRESS_DOCUMENT_TYPES = ("Utility bill", "Bank statement", "Tax notice", "Phone bill")


def codes_for(product: str) -> list[int]:
    if product == c.ADV:
        return list(ADV_CODES)
    return c.codes_for(product, include_deprecated=False)


# Attempts


def create_attempt(
    lifecycle: Lifecycle,
    tenant: str,
    product: Product,
    check: dict[str, Any],
    uploads: dict[str, Upload],
    extra: dict[str, Any],
) -> dict[str, Any]:
    """The client uploaded the document: quality checks start and the check's scenario plays on."""
    if check["status"] not in product.attempt_allowed:
        raise Conflict(
            f"{product.event_prefix}_status_invalid",
            message=f"an attempt cannot be created while the {product.label} is {check['status']!r}",
        )
    sim = lifecycle.sim
    state = State(sim, tenant)
    now = timestamp(sim, tenant)
    attempt: dict[str, Any] = {
        "id": sim.ids.prefixed(product.attempt_prefix or "atp", tenant),
        "created_on": now,
        "modified_on": now,
        "status": c.ATTEMPT_QUALITY_CHECKS_IN_PROGRESS,
        "response_codes": [],
        "_check_id": check["id"],
        "_product": product.name,
        "_number": len(check["_attempt_ids"]) + 1,
        "_assets": {},
        # 2025 spec fields, when a client still sends them: they shape the document read.
        **{f"_{k}": v for k, v in extra.items() if k in ("document_type", "document_issuing_country") and v},
    }
    attempt["_media_token"] = state.new_token("media", 26, product=product.name, check_id=check["id"],
                                              attempt_id=attempt["id"])  # fmt: skip
    for field, upload in uploads.items():
        asset = ASSET_OF_FIELD[field]
        store_upload(sim.store, tenant, attempt["id"], asset, upload)
        attempt["_assets"][asset] = upload.extension
    check["_attempt_ids"].append(attempt["id"])
    check.update(status=c.QUALITY_CHECKS_IN_PROGRESS, response_codes=[], modified_on=now)
    lifecycle.record_history(check, attempt, None, now)  # Checkout.com sends no event for an upload
    state.save_attempt(product, attempt)
    state.save_check(product, check)
    lifecycle.drive_run(tenant, product, check)
    return attempt


def pass_quality_checks(lifecycle: Lifecycle, tenant: str, product: Product, check: dict, attempt: dict) -> bool:
    if attempt["status"] != c.ATTEMPT_QUALITY_CHECKS_IN_PROGRESS:
        return lifecycle.skip("pass_quality_checks", attempt)
    return lifecycle.move(tenant, product, check, attempt, c.ATTEMPT_CHECKS_IN_PROGRESS, c.CHECKS_IN_PROGRESS,
                          "started")  # fmt: skip


def abort_quality_checks(
    lifecycle: Lifecycle, tenant: str, product: Product, check: dict, attempt: dict, code: int
) -> bool:
    if attempt["status"] != c.ATTEMPT_QUALITY_CHECKS_IN_PROGRESS:
        return lifecycle.skip("abort_quality_checks", attempt)
    return lifecycle.move(tenant, product, check, attempt, c.QUALITY_CHECKS_ABORTED, c.RETRY_REQUIRED,
                           "checks_inconclusive", codes=[code], attempt_codes=[code])  # fmt: skip


def reset(lifecycle: Lifecycle, tenant: str, product: Product, check: dict, attempt: dict | None) -> bool:
    """Checkout.com ends the running attempt (64001); the client may upload again."""
    if attempt is None or attempt["status"] not in c.OPEN_UPLOAD_ATTEMPT_STATUSES:
        return lifecycle.skip("reset", attempt or check)
    code = c.FORCIBLY_CLOSED_CODE
    return lifecycle.move(tenant, product, check, attempt, c.TERMINATED, c.RETRY_REQUIRED, "closed", codes=[code],
                           attempt_codes=[code])  # fmt: skip


def anonymize(lifecycle: Lifecycle, tenant: str, product: Product, check: dict) -> dict:
    """Personal data and the uploaded files go; the status stays."""
    state = State(lifecycle.sim, tenant)
    for attempt in state.attempts(product, check):
        forget_uploads(lifecycle.sim.store, tenant, attempt["id"], list(attempt.get("_assets") or {}))
    return lifecycle.anonymize(tenant, product, check)


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


def render(product: Product, check: dict[str, Any], base_url: str, state: State) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for key in ("id", "created_on", "modified_on", "user_journey_id", "applicant_id", "status", "response_codes",
                "risk_labels", "declared_data"):  # fmt: skip
        if check.get(key) is not None:
            body[key] = check[key]
    result_attempt = state.attempt(product, check["_result_attempt_id"]) if check.get("_result_attempt_id") else None
    if product.name == c.IDDV and check.get("document"):
        document = dict(check["document"])
        if result_attempt is not None:
            for asset, key in (("document_front_image", "front_image_signed_url"),
                               ("document_back_image", "back_image_signed_url")):  # fmt: skip
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


# Results of finished checks (Lifecycle.results_builders)


def id_document_results(state: State, check: dict, attempt: dict, result: str, codes: list[int]) -> None:
    """The single ``document`` read from the upload, consistent with the declared data."""
    two_sided = "document_back_image" in (attempt.get("_assets") or {})
    country = attempt.get("_document_issuing_country") or documents.document_country(check, None)
    proxy = {**attempt, "client_information": {
        "pre_selected_document_type": attempt.get("_document_type") or ("ID" if two_sided else "Passport"),
        "pre_selected_document_issuing_country": str(country).upper(),
    }}  # fmt: skip
    documents.identity_results(state, check, proxy, result, codes)
    read = check.pop("documents", None) or []
    check.pop("verified_identity", None)
    if read:
        check["document"] = read[0]


def address_document_results(state: State, check: dict, attempt: dict, result: str, codes: list[int]) -> None:
    """The ``address_document`` read from the upload: issuer, names, issue date, address."""
    sim, tenant = state.sim, state.tenant
    declared = check.get("declared_data") or {}
    country = documents.document_country(check, None)
    fake = sim.fake.faker(country, tenant)
    name = declared.get("name") if 62401 not in codes else None
    if not name:
        name = sim.fake.person(country, tenant, today=sim.clock.now(tenant).date()).full_name
    today = sim.clock.now(tenant).date()
    issued = today - timedelta(days=fake.random_int(5, 80))
    if 62101 in codes:  # too old to prove a current address
        issued = today - timedelta(days=fake.random_int(400, 900))
    check["address_document"] = {
        "document_type": ADDRESS_DOCUMENT_TYPES[fake.random_int(0, len(ADDRESS_DOCUMENT_TYPES) - 1)],
        "issuer": fake.company()[:100],
        "full_names": [name],
        "issue_date": issued.isoformat(),
        "address": {
            "address_line1": fake.street_address()[:250],
            "city": fake.city()[:50],
            "zip": fake.postcode()[:50],
            "country": country,
        },
    }
    check["_media_token"] = attempt["_media_token"]
    check["_result_attempt_id"] = attempt["id"]


def anonymize_document(check: dict[str, Any]) -> None:
    for key in ("declared_data", "document", "address_document", "_media_token"):
        check.pop(key, None)
