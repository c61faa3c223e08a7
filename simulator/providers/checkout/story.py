"""What the dashboard shows of a Checkout.com check (``Provider.story``, ``simulator/toolkit/story.py``).

A check goes by its own id, its applicant's id and external id, and its attempts' ids; its status
changes are the check's own history (``_history``, or an AML screening's private history); a
person opens the latest attempt's hosted page (older ones are replaced).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from simulator.providers.checkout.products import PRODUCTS
from simulator.providers.checkout.retention import _kind
from simulator.providers.checkout.state import State
from simulator.toolkit.story import Subject, changes, default_subject

if TYPE_CHECKING:
    from simulator.simulator import Simulator

AML_STATE = "_sim"  # an AML screening's private state (its SIM_KEY), which keeps its history


def subject(sim: Simulator, tenant: str, run: Mapping[str, Any], *, detail: bool = True) -> Subject:
    found = run.get("subject") or {}
    product_name, check_id = found.get("product"), found.get("check_id")
    kind = _kind(product_name)
    state = State(sim, tenant)
    check = state.get(kind, check_id) if kind and check_id else None
    if check is None:
        return default_subject(run)  # forgotten (retention) or reset: the run is all there is
    product = PRODUCTS.get(product_name or "")
    label = product.label if product is not None else "AML screening"
    ids = {"check": check["id"]}
    facts: dict[str, Any] = {"product": product_name}
    applicant = state.applicant(check.get("applicant_id") or "")
    if check.get("applicant_id"):
        ids["applicant"] = check["applicant_id"]
    if applicant is not None:
        if applicant.get("external_applicant_id"):
            ids["external_applicant_id"] = applicant["external_applicant_id"]
        facts.update({k: applicant[k] for k in ("email", "external_applicant_name") if applicant.get(k)})
    attempts = check.get("_attempt_ids") or []
    for number, attempt_id in enumerate(attempts, 1):
        ids[f"attempt {number}"] = attempt_id
    codes = [f"{rc['code']} {rc.get('summary', '')}".strip() for rc in check.get("response_codes") or []]
    if codes:
        facts["response_codes"] = codes
    if check.get("risk_labels"):
        facts["risk_labels"] = list(check["risk_labels"])
    chosen = check.get("_scenario") or {}
    if chosen.get("rule"):
        facts["scenario chosen by"] = chosen["rule"]
    if not detail:
        statuses = []
    elif product is not None:
        history = check.get("_history") or []
        statuses = changes(
            (
                {
                    "at": h["at"],
                    "status": h["status"],
                    "attempt_status": h.get("attempt_status"),
                    "event": h.get("event"),
                }
                for h in history
            ),
            ("status", "attempt_status"),
        )
    else:
        history = (check.get(AML_STATE) or {}).get("history") or []
        statuses = changes(
            ({"at": h["at"], "status": h["status"], "event": h.get("event")} for h in history), ("status",)
        )
    return Subject(
        kind=label,
        id=check["id"],
        ids=ids,
        facts=facts,
        status=check.get("status"),
        statuses=statuses,
        pages=_pages(state, product, attempts) if detail else [],
    )


def _pages(state: State, product: Any, attempts: list[str]) -> list[dict[str, str]]:
    """The latest attempt's hosted page, while it has one (the flows with a hosted capture)."""
    if product is None or not product.hosted or not attempts:
        return []
    attempt = state.attempt(product, attempts[-1])
    token = (attempt or {}).get("_link_token")
    if not token:
        return []
    return [{"label": f"hosted page of attempt {len(attempts)}", "url": f"/verify/{token}/"}]
