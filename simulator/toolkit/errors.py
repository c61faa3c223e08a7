"""One error base class for every provider, rendered in one place.

A provider subclasses :class:`ProviderError` once (``CheckoutError``, ``SumsubError``) and says
there, and only there, what its envelope looks like: the body (:meth:`~ProviderError.envelope`),
the id it carries (:meth:`~ProviderError.error_id`, a request or correlation id), extra headers,
and which error answers a routing failure, a refused body or a schema violation. Handlers raise;
:func:`handle`, registered in Starlette's ``exception_handlers``, writes the response.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from starlette.requests import Request
from starlette.responses import Response

from simulator.web import JSONResponse

if TYPE_CHECKING:
    from jsonschema import ValidationError

    from simulator.bodies import BodyError
    from simulator.toolkit.routes import Operation


class ProviderError(Exception):
    """An error a provider answers with its own envelope. ``status`` is the HTTP status."""

    status: int = 500
    provider: ClassVar[str] = ""  # set by each provider's base error class

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def envelope(self, error_id: str | None) -> Any:
        """The body, or None for a bodiless answer."""
        raise NotImplementedError

    # What varies between providers, as class-level hooks (override in the provider's base error).

    @classmethod
    def error_id(cls, request: Request) -> str | None:
        """The id the envelope carries (request id, correlation id), drawn when the error is rendered."""
        return None

    @classmethod
    def headers(cls, error_id: str | None) -> dict[str, str]:
        return {}

    @classmethod
    def for_status(cls, status: int, message: str) -> ProviderError:
        """The error for a routing failure (404, 405) or an unexpected exception (500)."""
        raise NotImplementedError

    @classmethod
    def from_body(cls, error: BodyError, op: Operation | None) -> ProviderError:
        """The error for a body the shared reader refused (too large, not JSON, wrong content type...)."""
        raise NotImplementedError

    @classmethod
    def invalid(cls, op: Operation | None, schema: str, errors: list[ValidationError]) -> ProviderError:
        """The error for a body that breaks the operation's request schema (``errors`` sorted by path)."""
        raise NotImplementedError

    @classmethod
    def empty_body(cls, op: Operation | None) -> ProviderError:
        """The error for an empty body where a JSON object is required."""
        raise NotImplementedError


def render(request: Request, error: ProviderError) -> Response:
    """The provider's envelope for ``error``: the one place any provider error becomes a response."""
    state = request.scope.setdefault("state", {})
    if error.provider:
        state.setdefault("provider", error.provider)
    hooks = type(error)  # the class-level hooks, called as the routing and body hooks are: on the class
    error_id = hooks.error_id(request)
    body = error.envelope(error_id)
    headers = hooks.headers(error_id)
    if body is None:
        return Response(status_code=error.status, headers=headers)
    return JSONResponse(body, status_code=error.status, headers=headers)


async def handle(request: Request, exc: Exception) -> Response:
    """Starlette exception handler for :class:`ProviderError` (registered by ``create_app``)."""
    assert isinstance(exc, ProviderError)
    return render(request, exc)
