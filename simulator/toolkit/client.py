"""What kycsim's Python client (``simulator/client.py``) is made of: one error class, and a base whose
calls are written once for the sync and the async client alike.

A call builds a :class:`Call` (method, path under ``/_sim``, query, JSON body) and hands it to the
client's :class:`Sender`, which sends it and decodes the answer: the sync sender returns the value,
the async one an awaitable of it. The base is generic over what the sender returns, so each method
is typed right for both clients (``KycSim.health() -> dict``, ``AsyncKycSim.health() ->
Awaitable[dict]``). A provider's own control calls (``simulator/providers/<name>/client.py``) are a
:class:`ControlCalls` subclass the client builds with its own sender.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import quote

JSON = dict[str, Any]
Obj = TypeVar("Obj", covariant=True)  # a call answering a JSON object: JSON, or Awaitable[JSON]
Items = TypeVar("Items", covariant=True)  # a list call: list[JSON], or Awaitable[list[JSON]]
Nothing = TypeVar("Nothing", covariant=True)  # a call answering no body (204): None, or Awaitable[None]


class KycSimError(Exception):
    """A control call failed. ``status`` and ``type`` and ``message`` are kycsim's answer
    ``{"error": {"type": ..., "message": ...}}`` (``body``: the whole answer, e.g. ``close_names`` of an
    unknown scenario); when kycsim did not answer, ``status`` is None and ``type`` is ``"unreachable"``."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        type: str = "error",
        method: str = "",
        path: str = "",
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.message, self.status, self.type = message, status, type
        self.method, self.path, self.body = method, path, body

    @classmethod
    def from_answer(cls, method: str, path: str, status: int, body: Any, text: str) -> KycSimError:
        """The error a non-2xx answer stands for (its JSON ``body``, or None when it was not JSON)."""
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict):
            kind, message = str(error.get("type") or "error"), str(error.get("message") or error)
        elif body is not None:
            kind, message = "error", str(body)
        else:
            kind, message = "bad_response", text[:200] or "(no body)"
        return cls(
            f"{method} /_sim{path}: {status} {message}", status=status, type=kind, method=method, path=path, body=body
        )


@dataclass(frozen=True)
class Call:
    """One control call: ``method`` on ``/_sim`` + ``path``; ``pick``: the answer's field to return (``data``)."""

    method: str
    path: str
    params: Mapping[str, Any] = field(default_factory=dict)
    json: Any = None
    pick: str | None = None


class Sender(Protocol[Obj, Items, Nothing]):
    """Sends calls for a client (``simulator/client.py`` has the sync and the async one)."""

    def object(self, call: Call) -> Obj: ...

    def items(self, call: Call) -> Items: ...

    def nothing(self, call: Call) -> Nothing: ...


def segment(value: str) -> str:
    """``value`` as one path segment (an id holding ``/`` or ``?`` must not reach another route)."""
    return quote(str(value), safe="")


def present(**fields: Any) -> JSON:
    """The fields that were given (not None): a query or a body without the options left out."""
    return {k: v for k, v in fields.items() if v is not None}


class ControlCalls(Generic[Obj, Items, Nothing]):
    """A set of control calls sent by a client's sender (the client itself, or a provider's part of it)."""

    def __init__(self, sender: Sender[Obj, Items, Nothing]) -> None:
        self._sender = sender

    def _object(self, method: str, path: str, *, params: Mapping[str, Any] | None = None, json: Any = None) -> Obj:
        return self._sender.object(Call(method, path, _query(params), json))

    def _items(self, path: str, params: Mapping[str, Any] | None = None) -> Items:
        return self._sender.items(Call("GET", path, _query(params), pick="data"))

    def _nothing(self, method: str, path: str) -> Nothing:
        return self._sender.nothing(Call(method, path))


def _query(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Query parameters as kycsim reads them: booleans as ``true``/``false``, None left out."""
    return {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in (params or {}).items() if v is not None}


@dataclass(frozen=True)
class KitTenant:
    """A provider's part of one test's own tenant (the pytest plugin, ``simulator/testing``): made by the
    provider's ``client.py`` (``kit_tenant``), which knows its credentials and how its webhooks are signed."""

    provider: str
    tenant: str  # the credential kycsim files this test's state under
    exposed: Mapping[str, Any]  # what the fixture shows under these names (``checkout_key``, ``sumsub_auth``...)
    webhook_secret: str  # the secret kycsim signs this tenant's webhooks with
    webhook_options: Mapping[str, Any] = field(default_factory=dict)  # the endpoint's signing options
