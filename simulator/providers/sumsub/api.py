"""Small helpers Sumsub handlers share: id checks, lookups, the path's matrix filter, query numbers.

The request pipeline itself is the toolkit's (``simulator/toolkit/routes.py``): the provider plugs
into it with its request signing check (``auth.py``) and its error envelope (``errors.py``).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from starlette.requests import Request

from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub.errors import bad_request, invalid_id, not_found
from simulator.providers.sumsub.state import SumsubState

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")


def sim_of(request: Request):
    return request.app.state.sim


def provider_of(request: Request):
    return sim_of(request).providers[c.PROVIDER]


def check_id(value: str) -> str:
    if not OBJECT_ID.match(value):
        raise invalid_id(value)
    return value


def find_applicant(ctx: SumsubState, applicant_id: str) -> dict[str, Any]:
    doc = ctx.get(c.KIND_APPLICANT, check_id(applicant_id))
    if doc is None or doc.get("_deleted"):
        raise not_found(f"Applicant not found: {applicant_id}")
    return doc


def find_action(ctx: SumsubState, action_id: str) -> dict[str, Any]:
    doc = ctx.get(c.KIND_ACTION, check_id(action_id))
    if doc is None:
        raise not_found(f"Applicant action not found: {action_id}")
    return doc


def find_by_external_user_id(ctx: SumsubState, external_user_id: str) -> dict[str, Any] | None:
    return next(
        (d for d in ctx.list(c.KIND_APPLICANT) if d["externalUserId"] == external_user_id and not d.get("_deleted")),
        None,
    )


def find_action_by_external_id(ctx: SumsubState, applicant_id: str, external_action_id: str) -> dict[str, Any] | None:
    return next(
        (
            a
            for a in ctx.list(c.KIND_ACTION)
            if a["applicantId"] == applicant_id and a["externalActionId"] == external_action_id
        ),
        None,
    )


def matrix(request: Request) -> dict[str, str] | None:
    """The matrix filter of the path (``-;applicantId=X;kytTxnReference.txnId=Y``) as a dict.

    Read from the raw path, so an encoded ``;`` or ``/`` inside a value stays inside it; None
    when the path has no ``-;`` segment.
    """
    raw = (request.scope.get("raw_path") or request.scope["path"].encode()).decode("latin-1")
    segment = next((s for s in raw.split("/") if s.startswith("-;")), None)
    if segment is None:
        return None
    params = {}
    for part in segment.split(";")[1:]:
        key, _, value = part.partition("=")
        if key:
            params[unquote(key)] = unquote(value)
    return params


def query_int(request: Request, name: str, default: int, *, maximum: int = 2**31 - 1) -> int:
    value = request.query_params.get(name)
    if value in (None, ""):
        return default
    if not (value.isascii() and value.lstrip("-").isdigit()) or len(value) > 12:
        raise bad_request(f"Query parameter '{name}' must be a whole number, not {value!r}")
    number = int(value)
    if number < 0:
        raise bad_request(f"Query parameter '{name}' must not be negative")
    if number > maximum:
        raise bad_request(f"Query parameter '{name}' must be at most {maximum}")
    return number


def scenario_header(request: Request) -> str | None:
    return request.headers.get(c.SCENARIO_HEADER)
