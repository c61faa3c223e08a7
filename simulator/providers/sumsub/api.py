"""The handler pipeline every Sumsub route goes through: auth -> parse -> validate -> act -> render.

``@endpoint`` checks the signature, sets the journal's tenant/provider, hands the handler a
:class:`Ctx` and turns any :class:`SumsubError` into Sumsub's envelope (never a traceback).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import Response

from simulator.bodies import BodyError, body_limit, read_body, read_json
from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub.auth import authenticate
from simulator.providers.sumsub.errors import SumsubError, bad_request, body_error, invalid_id, not_found, render
from simulator.providers.sumsub.models import Ctx
from simulator.providers.sumsub.schemas import first_error
from simulator.web import JSONResponse

Handler = Callable[[Request, Ctx], Awaitable[Response | dict | list]]
OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
JSON_MEDIA_TYPE = re.compile(r"^application/(?:[a-z0-9.!#$&^_-]+\+)?json$")  # application/json, application/x+json


def sim_of(request: Request):
    return request.app.state.sim


def provider_of(request: Request):
    return sim_of(request).providers[c.PROVIDER]


def error_response(request: Request, error: SumsubError) -> Response:
    return render(error, sim_of(request).ids.hex(32, None))


def endpoint(fn: Handler, *, signed: bool = True, upload: bool = False) -> Callable[[Request], Awaitable[Response]]:
    """``upload``: the route takes a file, so its body may be as large as ``max_upload_bytes``."""

    async def wrapper(request: Request) -> Response:
        sim = sim_of(request)
        request.state.provider = c.PROVIDER
        try:
            tenant = c.PROVIDER + ":anonymous"
            if signed:
                limit = body_limit(request, upload=upload)
                tenant = await authenticate(request, provider_of(request).credentials, sim.clock.wall, limit)
            request.state.tenant = tenant
            result = await fn(request, Ctx(sim, tenant))
        except SumsubError as exc:
            return error_response(request, exc)
        except BodyError as exc:  # read for the signature check, or by the handler
            return error_response(request, body_error(exc, upload=upload))
        return result if isinstance(result, Response) else JSONResponse(result)

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


def is_json_media_type(request: Request) -> bool:
    """``application/json`` (or ``application/*+json``), or no ``Content-Type`` at all: a client that
    leaves the header out still gets on."""
    content_type = request.headers.get("content-type")
    return content_type is None or bool(JSON_MEDIA_TYPE.match(content_type.split(";", 1)[0].strip().lower()))


async def json_body(request: Request, schema: str | None = None, *, required: bool = True) -> dict[str, Any]:
    limit = body_limit(request)
    try:
        if not is_json_media_type(request) and (await read_body(request, limit)).strip():
            raise SumsubError(415, "HTTP 415 Unsupported Media Type")  # a JSON endpoint sent something else
        data = await read_json(request, limit)
    except BodyError as exc:
        raise body_error(exc) from None
    if data is None:
        if required:
            raise bad_request("Request body is empty: a JSON object is expected")
        return {}
    if not isinstance(data, dict):
        raise bad_request("Request body must be a JSON object")
    if schema:
        problem = first_error(schema, data)
        if problem:
            raise bad_request(f"Invalid request: {problem}")
    return data


def check_id(value: str) -> str:
    if not OBJECT_ID.match(value):
        raise invalid_id(value)
    return value


def find_applicant(ctx: Ctx, applicant_id: str) -> dict[str, Any]:
    doc = ctx.get(c.KIND_APPLICANT, check_id(applicant_id))
    if doc is None or doc.get("_deleted"):
        raise not_found(f"Applicant not found: {applicant_id}")
    return doc


def find_action(ctx: Ctx, action_id: str) -> dict[str, Any]:
    doc = ctx.get(c.KIND_ACTION, check_id(action_id))
    if doc is None:
        raise not_found(f"Applicant action not found: {action_id}")
    return doc


def find_by_external_user_id(ctx: Ctx, external_user_id: str) -> dict[str, Any] | None:
    return next(
        (d for d in ctx.list(c.KIND_APPLICANT) if d["externalUserId"] == external_user_id and not d.get("_deleted")),
        None,
    )


def find_action_by_external_id(ctx: Ctx, applicant_id: str, external_action_id: str) -> dict[str, Any] | None:
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
