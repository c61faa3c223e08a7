"""The control API as data: each call's method, path, handler, unique name, parameters and schemas.

In the spirit of the providers' route tables (``simulator/toolkit/routes.py``): the modules of
``simulator/control`` each list their calls as :class:`ControlOp` rows; :func:`build_routes` turns
the rows into Starlette routes under the ``/_sim`` mount, and ``openapi.py`` turns the same rows
into ``GET /_sim/openapi.json``. Schemas are JSON files in ``schemas/``, named by their ``$id``.

Every route runs its handler inside one small wrapper: a :class:`ControlError` becomes the control
envelope, and a body with a field its request schema does not know is refused before the handler
reads it (a typo such as ``{"secnario": ...}`` must not pass silently either).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from simulator.control.errors import ControlError, bad_request, json_body

Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class Param:
    """A query parameter of a control call."""

    name: str
    description: str
    schema: dict[str, Any] | None = None  # default: a string


@dataclass(frozen=True)
class ControlOp:
    """One control call (``/_sim`` + ``path``)."""

    method: str
    path: str  # under the /_sim mount, e.g. "/bindings/{binding_id}"
    handler: Handler
    name: str  # unique: the route's name is "sim:<name>", the OpenAPI operationId "<name>"
    summary: str  # one line; the handler's docstring, if any, is the longer description
    response: str | None = "common#/$defs/object"  # schema of the answer (control/schemas/); None: no body
    status: int = 200  # the status of a successful answer
    request: str | None = None  # schema of the JSON body, when it takes one
    body_required: bool = False
    query: tuple[Param, ...] = ()
    errors: tuple[int, ...] = ()  # statuses it may answer besides those of every call (see openapi.py)
    media: str = "application/json"  # of the successful answer
    tag: str = "control"


def build_routes(ops: Sequence[ControlOp]) -> list[Route]:
    names = [op.name for op in ops]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"control operation names must be unique: {', '.join(duplicates)}")
    return [Route(op.path, _endpoint(op), methods=[op.method], name=f"sim:{op.name}") for op in ops]


def _endpoint(op: ControlOp) -> Handler:
    known = _fields(op.request)

    async def endpoint(request: Request) -> Response:
        try:
            if known is not None:
                data = await json_body(request, required=op.body_required)
                unknown = sorted(set(data) - known)
                if unknown:
                    raise bad_request(_unknown_fields(unknown, known))
            return await op.handler(request)
        except ControlError as exc:
            return exc.response()

    endpoint.__name__ = op.handler.__name__
    endpoint.__doc__ = op.handler.__doc__
    return endpoint


def _fields(schema_name: str | None) -> frozenset[str] | None:
    """The fields a closed request schema allows (None: the body is not checked here)."""
    if schema_name is None:
        return None
    from simulator.control.schemas import closed_fields

    return closed_fields(schema_name)


def _unknown_fields(unknown: list[str], known: frozenset[str]) -> str:
    from simulator.engine.names import did_you_mean

    listed = ", ".join(f"{name!r}{did_you_mean(name, known)}" for name in unknown)
    return f"unknown field(s) {listed}; known: {', '.join(sorted(known))}"


def path_params(path: str) -> list[str]:
    return re.findall(r"{(\w+)}", path)
