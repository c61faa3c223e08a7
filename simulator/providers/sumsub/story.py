"""What the dashboard shows of a Sumsub applicant or applicant action (``Provider.story``).

An applicant goes by its id, ``externalUserId`` and inspection id; an action by its id,
``externalActionId`` and its applicant's ids. The documents keep no history of review statuses,
but every change publishes a webhook whose body carries ``reviewStatus`` (and, once completed,
``reviewResult``): the status changes are read from the events, which exist with or without an
endpoint. A person opens the WebSDK links and tokens issued for the user (and action).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from simulator.providers.sumsub import constants as c
from simulator.toolkit.story import Subject, changes, default_subject

if TYPE_CHECKING:
    from simulator.simulator import Simulator

PAGE_KINDS = {c.KIND_LINK: "p", c.KIND_TOKEN: "t"}  # store kind -> the WebSDK page's path segment


def subject(sim: Simulator, tenant: str, run: Mapping[str, Any], *, detail: bool = True) -> Subject:
    found = run.get("subject") or {}
    is_action = found.get("kind") == "action"
    doc = sim.store.get(tenant, c.PROVIDER, c.KIND_ACTION if is_action else c.KIND_APPLICANT, str(found.get("id")))
    if doc is None:
        return default_subject(run)  # forgotten (retention) or reset
    applicant = doc if not is_action else sim.store.get(tenant, c.PROVIDER, c.KIND_APPLICANT, doc["applicantId"])
    applicant = applicant or {}
    ids = {"applicant action": doc["id"]} if is_action else {}
    if is_action and doc.get("externalActionId"):
        ids["externalActionId"] = doc["externalActionId"]
    for name, key in (("applicant", "id"), ("externalUserId", "externalUserId"), ("inspectionId", "inspectionId")):
        if applicant.get(key):
            ids[name] = applicant[key]
    review = doc.get("review") or {}
    result = review.get("reviewResult") or {}
    facts: dict[str, Any] = {"levelName": review.get("levelName")}
    email = doc.get("email") or applicant.get("email")
    if email:
        facts["email"] = email
    for key in ("reviewAnswer", "reviewRejectType", "rejectLabels"):
        if result.get(key):
            facts[key] = result[key]
    if doc.get("_rule"):
        facts["scenario chosen by"] = doc["_rule"]
    status = review.get("reviewStatus")
    if result.get("reviewAnswer") and status == c.COMPLETED:
        answer = " ".join(v for v in (result["reviewAnswer"], result.get("reviewRejectType")) if v)
        status = f"{status} ({answer})"
    return Subject(
        kind="applicant action" if is_action else "applicant",
        id=doc["id"],
        ids={k: str(v) for k, v in ids.items() if v},
        facts={k: v for k, v in facts.items() if v},
        status=status,
        statuses=_statuses(sim, tenant, doc["id"]) if detail else [],
        pages=_pages(sim, tenant, applicant.get("externalUserId"), doc.get("externalActionId") if is_action else None)
        if detail
        else [],
    )


def _statuses(sim: Simulator, tenant: str, subject_id: str) -> list[dict[str, Any]]:
    entries = []
    for event in sim.dispatcher.events:
        if event.tenant != tenant or event.provider != c.PROVIDER or event.resource != subject_id:
            continue
        try:
            body = json.loads(event.body)
        except ValueError:
            continue
        result = body.get("reviewResult") or {}
        entries.append(
            {
                "at": event.created_at,
                "status": body.get("reviewStatus"),
                "answer": result.get("reviewAnswer"),
                "reject_type": result.get("reviewRejectType"),
                "event": event.type,
            }
        )
    return changes(entries, ("status", "answer", "reject_type"))


def _pages(sim: Simulator, tenant: str, user_id: str | None, action_id: str | None) -> list[dict[str, str]]:
    """The newest WebSDK link and access token issued for the user (and action): their pages."""
    if not user_id:
        return []
    pages = []
    for kind, segment in PAGE_KINDS.items():
        grants = [
            g
            for g in sim.store.list(tenant, c.PROVIDER, kind)
            if g.get("userId") == user_id and g.get("externalActionId") == action_id
        ]
        if grants:
            grant = grants[-1]
            what = "WebSDK link" if segment == "p" else "WebSDK page of the newest access token"
            pages.append(
                {"label": f"{what} (expires {grant.get('expiresAt')})", "url": f"/websdk/{segment}/{grant['id']}"}
            )
    return pages
