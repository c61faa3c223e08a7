"""Retention: what a Checkout.com check is made of, so that a finished one can be forgotten whole.

The engine keeps a bounded number of finished checks per tenant (``engine/retention.py``) and
asks the provider to forget the oldest. A check is its document, its attempts with their
uploads and hosted-page tokens, its report token and the events it sent (kept for
``GET /workflows/events/{id}``, listed in ``_event_ids`` by ``webhooks.publish``); the applicant
lists its checks, so forgetting costs a few lookups, never a scan. The applicant goes with its
last check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.providers.checkout import constants as c
from simulator.providers.checkout.products import AML_SCREENING, PRODUCTS
from simulator.providers.checkout.state import APPLICANTS, LINKS, LINKS_TENANT, PROVIDER, State
from simulator.providers.checkout.uploads import forget_uploads
from simulator.providers.checkout.webhooks import EVENTS_KIND

if TYPE_CHECKING:
    from simulator.simulator import Simulator


def remember_check(state: State, applicant: dict[str, Any], check: dict[str, Any]) -> None:
    """The applicant lists its checks: it is forgotten with the last of them."""
    applicant.setdefault("_check_ids", []).append(check["id"])
    state.save_applicant(applicant)


def forget(sim: Simulator, tenant: str, run: dict[str, Any]) -> None:
    subject = run.get("subject") or {}
    product_name, check_id = subject.get("product"), subject.get("check_id")
    kind = _kind(product_name)
    if kind is None or not check_id:
        return
    state, store = State(sim, tenant), sim.store
    check = state.get(kind, check_id)
    if check is None or check.get("_run_id", run["id"]) != run["id"]:
        return  # gone already, or a later attempt plays it again
    product = PRODUCTS.get(product_name or "")
    if product is not None:  # AML screenings have no attempts
        for attempt_id in check.get("_attempt_ids", []):
            attempt = state.get(product.attempt_kind, attempt_id)
            if attempt is not None:
                _forget_tokens(sim, attempt.get("_link_token"), attempt.get("_media_token"))
                forget_uploads(store, tenant, attempt_id, list(attempt.get("_assets") or {}))
                store.delete(tenant, PROVIDER, product.attempt_kind, attempt_id)
    _forget_tokens(sim, check.get("_report_token"))
    for event_id in check.get("_event_ids", []):
        store.delete(tenant, PROVIDER, EVENTS_KIND, event_id)
    store.delete(tenant, PROVIDER, kind, check_id)
    applicant = state.applicant(check.get("applicant_id") or "")
    if applicant is not None and check_id in applicant.get("_check_ids", ()):
        applicant["_check_ids"].remove(check_id)
        if applicant["_check_ids"]:
            state.save_applicant(applicant)
        else:
            store.delete(tenant, PROVIDER, APPLICANTS, applicant["id"])


def _kind(product_name: str | None) -> str | None:
    if product_name in PRODUCTS:
        return PRODUCTS[product_name].kind
    if product_name == c.AML:
        return AML_SCREENING.kind
    return None


def _forget_tokens(sim: Simulator, *tokens: str | None) -> None:
    for token in tokens:
        if token:
            sim.store.delete(LINKS_TENANT, PROVIDER, LINKS, token)
