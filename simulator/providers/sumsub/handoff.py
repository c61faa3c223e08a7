"""When the simulated person gets the flow (CONTRACT: "When the simulated person acts").

An applicant or action made by API has nobody behind it: its scenario's applicant steps (``submit``)
wait, and only the client's request check moves it. The client hands the flow to a person with an
access token or a WebSDK link for the user (for an action, one carrying its ``externalActionId``),
or the person opens that page: from then on, in ``auto`` mode, the scenario plays the person.

A grant made before the applicant or action exists is remembered (until it expires), so the
applicant created later for that user starts with the person already there.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub.api import find_action_by_external_id, find_by_external_user_id
from simulator.providers.sumsub.state import SumsubState


def _key(user_id: str, external_action_id: str | None) -> str:
    return json.dumps([user_id, external_action_id or None])


def grant(ctx: SumsubState, user_id: str | None, external_action_id: str | None, expires_at: str) -> None:
    """A token or link was issued for this user (and action): the person has the flow."""
    if not user_id:
        return  # a link for no user in particular: the first visit makes one (and hands it off then)
    key = _key(user_id, external_action_id)
    ctx.put(c.KIND_HANDOFF, {"id": key, "expiresAt": expires_at})
    applicant, action = find(ctx, user_id, external_action_id)
    subject = action if external_action_id else applicant
    if subject is not None:
        hand_off(ctx, subject)


def granted(ctx: SumsubState, user_id: str, external_action_id: str | None) -> bool:
    """Whether an unexpired token or link was issued for this user (and action) before it existed."""
    doc = ctx.get(c.KIND_HANDOFF, _key(user_id, external_action_id))
    return doc is not None and datetime.fromisoformat(doc["expiresAt"].replace("Z", "+00:00")) >= ctx.now


def hand_off(ctx: SumsubState, subject: dict[str, Any]) -> None:
    if subject.get("_run"):
        ctx.sim.runner.hand_off(ctx.tenant, c.PROVIDER, subject["_run"])


def find(ctx: SumsubState, user_id: str, external_action_id: str | None) -> tuple[dict | None, dict | None]:
    applicant = find_by_external_user_id(ctx, user_id)
    if applicant is None or not external_action_id:
        return applicant, None
    return applicant, find_action_by_external_id(ctx, applicant["id"], external_action_id)
