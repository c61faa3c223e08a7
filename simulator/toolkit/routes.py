"""Routes as data, and the one request pipeline every provider route goes through.

A provider lists its operations: method, path, handler, a unique name, the request and response
schemas. :func:`build_routes` turns the list into Starlette routes, each running the pipeline
(stripe-mock's ``HandleRequest`` role)::

    auth -> body (shared strict reader, content-type check) -> request schema -> handler -> response

Anything raised as the provider's :class:`~simulator.toolkit.errors.ProviderError` becomes its
envelope in one place (``errors.handle``). The operation's name, ``<provider>:<name>``, is the
route name and the operation the journal, console and dashboard show.

Pages, media downloads, OAuth and control calls are ``plain`` operations: the handler is a plain
Starlette endpoint with its own answers; the pipeline only tags the request with provider and
operation.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import Receive, Scope, Send

from simulator.bodies import BodyError, NotAnObject, UnsupportedMediaType, body_limit, parse_json, read_body
from simulator.web import EncodedJSONResponse, JSONResponse, base_url

if TYPE_CHECKING:
    from simulator.simulator import Simulator
    from simulator.toolkit.errors import ProviderError
    from simulator.toolkit.schemas import SchemaRegistry
    from simulator.toolkit.state import TenantState


@dataclass(frozen=True)
class Operation:
    """One route of a provider's table."""

    method: str
    path: str
    handler: Callable[..., Awaitable[Any]]  # (call) -> Response | JSON data; plain: (request) -> Response
    name: str  # unique within the provider: the journal's operation is "<provider>:<name>"
    request: str | None = None  # request schema: the pipeline reads a JSON object and validates it
    response: str | None = None  # response schema of a successful answer (the tests validate it)
    status: int = 200  # the status of a handler's plain data
    auth: bool = True  # False: no credentials needed (a health check)
    upload: bool = False  # the body may be as large as an upload (max_upload_bytes), not a JSON body
    deferred: bool = False  # the handler reads the body itself (``await call.json()``), after its own checks
    plain: bool = False  # a plain Starlette endpoint (page, media, OAuth, control call): no pipeline


class Api(Protocol):
    """What the pipeline needs from a provider (the ``Provider`` base class has defaults)."""

    name: str
    error: type[ProviderError]
    state_class: type[TenantState]
    schemas: SchemaRegistry | None
    json_required: bool

    on_request: Callable[[Call], None] | None  # once the tenant is known, before the body is read
    on_response: Callable[[Call, Response], None] | None  # after the handler answered

    def authenticate(self, request: Request, op: Operation) -> str | Awaitable[str]:
        """The tenant; a coroutine where the check needs the body (a signature over it)."""
        ...

    def accepts_json(self, media_type: str | None) -> bool: ...


class Call:
    """One API call as its handler sees it: the request, the tenant's state, the operation, the body.

    A plain class with slots: one is built on every call, and ``base_url`` only on demand.
    """

    __slots__ = ("request", "state", "sim", "tenant", "op", "provider", "body", "_base_url")

    def __init__(self, request: Request, state: Any, op: Operation, provider: Any) -> None:
        self.request = request
        self.state = state  # the provider's TenantState subclass
        self.sim: Simulator = state.sim
        self.tenant: str = state.tenant
        self.op = op
        self.provider = provider
        self.body: dict[str, Any] = {}
        self._base_url: str | None = None

    @property
    def params(self) -> Any:
        return self.request.path_params

    @property
    def query(self) -> Any:
        return self.request.query_params

    @property
    def base_url(self) -> str:
        """The simulator's own base URL as the caller reached it, without a trailing slash."""
        if self._base_url is None:
            self._base_url = base_url(self.request.scope)
        return self._base_url

    def rendered(self, documents: tuple[tuple[str, str | None], ...], render: Callable[[], Any]) -> Response:
        """``render()``'s JSON body, kept while ``documents`` are unchanged (``toolkit/rendered.py``).

        ``documents``: the ``(kind, key)`` of every document of this provider the body is made from
        (a key of None: there is none); nothing but them and the base URL may go into the body.
        """
        store, tenant, provider = self.sim.store, self.tenant, self.state.provider
        revisions = tuple(store.revision(tenant, provider, kind, key) for kind, key in documents)
        key = (provider, self.op.name, tenant, self.base_url, documents)
        return EncodedJSONResponse(self.sim.bodies.body(key, revisions, render), status_code=self.op.status)

    def mark_scenario(self, name: str | None) -> None:
        """The scenario this call's subject plays, for the journal, the console and the webhooks it sends."""
        self.request.scope["state"]["scenario"] = name

    async def json(self, *, required: bool | None = None) -> dict[str, Any]:
        """The JSON object in the body, validated against the operation's request schema.

        An empty body is ``{}``, or the provider's error where a body is ``required`` (by default:
        the provider's ``json_required``).
        """
        provider = self.provider
        request = self.request
        raw = await read_body(request, body_limit(request, upload=self.op.upload))
        if not raw.strip():
            if provider.json_required if required is None else required:
                raise provider.error.empty_body(self.op)
            data: Any = {}
        else:
            header = request.headers.get("content-type")
            media = None if header is None else header.split(";", 1)[0].strip().lower()
            if not provider.accepts_json(media):
                raise UnsupportedMediaType(media or "")
            data = parse_json(raw)
            if not isinstance(data, dict):
                raise NotAnObject()
        if self.op.request is not None:
            self.validate(self.op.request, data)
        self.body = data
        return data

    def validate(self, schema: str, data: Any) -> None:
        """Raise the provider's error when ``data`` breaks ``schema``."""
        errors = self.provider.schemas.errors(schema, data)
        if errors:
            raise self.provider.error.invalid(self.op, schema, errors)


def build_routes(provider: Api, operations: Sequence[Operation]) -> list[Route]:
    names = [op.name for op in operations]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"{provider.name}: operation names must be unique: {', '.join(duplicates)}")
    routes = []
    for op in operations:
        endpoint = _plain(provider, op) if op.plain else pipeline(provider, op)
        route = Route(op.path, endpoint, methods=[op.method], name=f"{provider.name}:{op.name}")
        if isinstance(endpoint, Endpoint):
            route.app = endpoint.app  # what the route calls: the pipeline itself, one coroutine fewer per call
        routes.append(route)
    return routes


def pipeline(provider: Api, op: Operation) -> Endpoint:
    """The endpoint of an API operation. Runs on every call: locals and precomputed flags only."""
    name, operation = provider.name, f"{provider.name}:{op.name}"
    handler, status, state_class, error = op.handler, op.status, provider.state_class, provider.error
    reads_body = op.request is not None and not op.deferred
    authenticate = provider.authenticate if op.auth else None
    on_request, on_response = provider.on_request, provider.on_response

    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        # The dict behind request.state (what the journal and console read), written directly.
        state = scope.setdefault("state", {})
        state["provider"] = name
        state["operation"] = operation
        try:
            if authenticate is None:
                tenant = f"{name}:anonymous"
            else:
                found = authenticate(request, op)  # a plain method answers at once; a coroutine is awaited
                tenant = found if isinstance(found, str) else await found
            state["tenant"] = tenant
            call = Call(request, state_class(scope["app"].state.sim, tenant), op, provider)
            if on_request is not None:
                on_request(call)
            if reads_body:
                await call.json()
            result = await handler(call)
        except BodyError as exc:  # read for a signature, by the pipeline or by the handler
            raise error.from_body(exc, op) from None
        response = result if isinstance(result, Response) else JSONResponse(result, status_code=status)
        if on_response is not None:
            on_response(call, response)
        await response(scope, receive, send)

    return Endpoint(endpoint, op.handler)


class Endpoint:
    """An operation's endpoint as a plain ASGI app: Starlette routes an app straight to it, where a
    request/response function gets a second exception-handling layer (the app's ``ExceptionMiddleware``
    turns a provider's error into its envelope either way) and a second ``Request`` on every call."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], handler: Callable[..., Any]) -> None:
        self.app = app
        self.__name__ = handler.__name__
        self.__doc__ = handler.__doc__

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def _plain(provider: Api, op: Operation) -> Callable[[Request], Awaitable[Response]]:
    name, operation, handler = provider.name, f"{provider.name}:{op.name}", op.handler

    async def endpoint(request: Request) -> Response:
        state = request.scope.setdefault("state", {})
        state["provider"] = name
        state["operation"] = operation
        return await handler(request)

    endpoint.__name__ = op.handler.__name__
    endpoint.__doc__ = op.handler.__doc__
    return endpoint


def find(operations: Sequence[Operation], method: str, path: str) -> Operation | None:
    """The operation that answers ``method path`` (any query is ignored), matched as Starlette routes it.

    What the tests use to validate each response against the schema its route declares.
    """
    scope = {"type": "http", "method": method, "path": path.split("?", 1)[0]}
    for op, route in _matchers(tuple(operations)):
        if route.matches(scope)[0] is Match.FULL:
            return op
    return None


@cache
def _matchers(operations: tuple[Operation, ...]) -> list[tuple[Operation, Route]]:
    return [(op, Route(op.path, op.handler, methods=[op.method])) for op in operations]
