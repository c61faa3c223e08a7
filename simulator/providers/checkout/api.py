"""The request pipeline every Checkout.com handler shares (stripe-mock's ``HandleRequest`` role).

``@operation("create_applicant", schema=...)`` wraps a thin handler: request id -> auth
(tenant) -> JSON body -> schema validation -> handler -> response, and turns any
:class:`CheckoutError` into the provider's envelope. Every response carries ``Cko-Request-Id``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from simulator.bodies import BodyError, body_limit, parse_json, read_body
from simulator.providers.checkout import constants as c
from simulator.providers.checkout import schemas
from simulator.providers.checkout.auth import authenticate
from simulator.providers.checkout.errors import CheckoutError, InvalidRequest, body_error, error_response, not_found
from simulator.web import JSONResponse, base_url

if TYPE_CHECKING:
    from simulator.app import Simulator
    from simulator.providers.checkout import CheckoutProvider

PROVIDER = "checkout"
_REQUEST_ID_KEY = c.REQUEST_ID_HEADER.lower().encode("latin-1")


class Call:
    """One API call, as the handler sees it.

    A plain class with slots rather than a dataclass: one is built on every call, and
    ``base_url`` is worked out only when a handler asks for it.
    """

    __slots__ = ("request", "sim", "provider", "tenant", "request_id", "body", "_base_url")

    def __init__(
        self,
        request: Request,
        sim: Simulator,
        provider: CheckoutProvider,
        tenant: str,
        request_id: str,
        body: dict[str, Any] | None = None,
    ) -> None:
        self.request = request
        self.sim = sim
        self.provider = provider
        self.tenant = tenant
        self.request_id = request_id
        self.body: dict[str, Any] = {} if body is None else body
        self._base_url: str | None = None

    @property
    def base_url(self) -> str:
        """The simulator's own base URL as the caller reached it, without a trailing slash."""
        if self._base_url is None:
            self._base_url = base_url(self.request.scope)
        return self._base_url

    @property
    def params(self) -> dict[str, str]:
        return dict(self.request.path_params)

    def now(self) -> str:
        return timestamp(self.sim, self.tenant)

    def json(self, body: Any, status: int = 200) -> Response:
        return JSONResponse(body, status_code=status)


Handler = Callable[[Call], Awaitable[Response]]


def timestamp(sim: Simulator, tenant: str) -> str:
    """``created_on``/``modified_on`` as the API writes them: :func:`rfc3339`."""
    return rfc3339(sim.clock.now(tenant))


def rfc3339(moment: datetime) -> str:
    """Go's RFC 3339 with nanoseconds, which the API and its webhooks use: the fraction loses its
    trailing zeros and disappears when zero (``2025-07-21T17:32:28Z``, ``2024-12-05T18:32:39.39415Z``)."""
    fraction = f"{moment.microsecond:06d}".rstrip("0")
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + (f".{fraction}" if fraction else "") + "Z"


def new_request_id(sim: Simulator, tenant: str | None) -> str:
    # Its own id stream, so request ids never shift the ids of the tenant's resources.
    return sim.ids.uuid(f"{tenant or ''}#requests")


def operation(name: str, *, schema: str | None = None, invalid: type[CheckoutError] | None = None) -> Callable:
    """Wrap a handler: ``schema`` names the request schema; ``invalid`` the error class for violations."""

    operation_name = f"{PROVIDER}:{name}"

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            scope = request.scope
            sim: Simulator = scope["app"].state.sim
            provider: CheckoutProvider = sim.providers[PROVIDER]  # type: ignore[assignment]
            # The dict behind request.state (what the journal and console read), written directly.
            state = scope.setdefault("state", {})
            state["provider"] = PROVIDER
            state["operation"] = operation_name
            tenant = request_id = None
            try:
                tenant = authenticate(request, provider.oauth_key)
                state["tenant"] = tenant
                request_id = new_request_id(sim, tenant)
                call = Call(request, sim, provider, tenant, request_id)
                if schema is not None:
                    call.body = await read_json(request)
                    schemas.validate_request(schema, call.body, invalid)
                response = await handler(call)
            except CheckoutError as exc:
                request_id = request_id or new_request_id(sim, tenant)
                response = error_response(exc, request_id)
            # One id per call: body and header agree. Read from raw_headers, not ``response.headers``,
            # which builds a MutableHeaders on every access; the pair appended is what it would add.
            raw_headers = response.raw_headers
            if not any(key == _REQUEST_ID_KEY for key, _ in raw_headers):
                raw_headers.append((_REQUEST_ID_KEY, request_id.encode("latin-1")))
            return response

        endpoint.__name__ = handler.__name__
        endpoint.__doc__ = handler.__doc__
        return endpoint

    return wrap


async def read_json(request: Request) -> dict[str, Any]:
    """The JSON object in the body; an empty body counts as ``{}`` (the SDKs send none on anonymize)."""
    content_type = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    try:
        raw = await read_body(request, body_limit(request))
        if not raw.strip():
            return {}
        if content_type not in ("application/json", "text/json") and not content_type.endswith("+json"):
            raise InvalidRequest("content_type__invalid", message=f"expected application/json, got {content_type!r}")
        body = parse_json(raw)
    except BodyError as exc:
        raise body_error(exc) from None
    if not isinstance(body, dict):
        raise InvalidRequest("request_body__invalid", message="the body must be a JSON object")
    return body


def query_int(call: Call, name: str, default: int, *, minimum: int, maximum: int | None = None) -> int:
    raw = call.request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidRequest(f"{name}__invalid") from None
    if value < minimum or (maximum is not None and value > maximum):
        raise InvalidRequest(f"{name}__invalid")
    return value


def page(call: Call, items: list[dict[str, Any]], self_path: str) -> dict[str, Any]:
    """The list envelope (``total_count, skip, limit, data, _links``) for ``?skip=&limit=``."""
    skip = query_int(call, "skip", 0, minimum=0)
    limit = query_int(call, "limit", 10, minimum=1, maximum=100)
    base = f"{call.base_url}{self_path}"
    links: dict[str, Any] = {"self": {"href": f"{base}?skip={skip}&limit={limit}"}}
    if skip + limit < len(items):
        links["next"] = {"href": f"{base}?skip={skip + limit}&limit={limit}"}
    if skip > 0:
        links["previous"] = {"href": f"{base}?skip={max(skip - limit, 0)}&limit={limit}"}
    return {
        "total_count": len(items),
        "skip": skip,
        "limit": limit,
        "data": items[skip : skip + limit],
        "_links": links,
    }


def require(doc: dict[str, Any] | None, resource: str) -> dict[str, Any]:
    if doc is None:
        raise not_found(resource)
    return doc
