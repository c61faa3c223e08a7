"""kycsim's Python client: :class:`KycSim` (sync) and :class:`AsyncKycSim` (async), over the whole control API.

One method per call of ``GET /_sim/openapi.json`` (the route table in ``simulator/control/table.py``),
the same in both clients::

    from simulator.client import KycSim

    with KycSim("http://127.0.0.1:8000") as kycsim:
        kycsim.bind("idv-declined-62304", {"email": "hannah@example.com"})
        kycsim.advance(120, tenant="sk_sbox_my_test_key")

    async with AsyncKycSim(url) as kycsim:
        await kycsim.advance(to="next", tenant=key)

A provider's own control calls are under its name, found through the provider registry:
``kycsim.checkout.aml_resolve(...)``, ``kycsim.sumsub.add_app_token(...)`` (each provider's
``client.py``). Every failed call raises :class:`KycSimError` with kycsim's ``{"error": {type,
message}}``; a kycsim that does not answer is one too (``type`` ``"unreachable"``). Lists return
their ``data``; the control token comes from ``token`` or ``KYCSIM_CONTROL_TOKEN``.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import AsyncIterator, Awaitable, Iterable, Iterator
from typing import Any

import httpx

from simulator.client_calls import CoreCalls
from simulator.toolkit.client import JSON, Call, KycSimError, present

__all__ = ["DEFAULT_URL", "JSON", "AsyncKycSim", "KycSim", "KycSimError", "control_headers"]

DEFAULT_URL = "http://127.0.0.1:8000"
TOKEN_ENV = "KYCSIM_CONTROL_TOKEN"


def control_headers(token: str | None = None) -> dict[str, str]:
    """The header a control call needs when kycsim has a control token (``token``, else the environment's)."""
    token = token or os.environ.get(TOKEN_ENV) or None
    return {"Authorization": f"Bearer {token}"} if token else {}


def _stream_call(
    provider: str | Iterable[str] | None, tenant: str | None, events: str | Iterable[str] | None, attempts: bool
) -> Call:
    def joined(value: str | Iterable[str] | None) -> str | None:
        return value if value is None or isinstance(value, str) else ",".join(value)

    params = present(provider=joined(provider), tenant=tenant, events=joined(events), attempts=attempts or None)
    return Call("GET", "/events", {k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()})


def sse_frames(lines: Iterable[str]) -> Iterator[tuple[str, str, str | None]]:
    """``(event, data, id)`` for each Server-Sent Events frame in ``lines``."""
    data: list[str] = []
    kind, event_id = "message", None
    for line in lines:
        if line == "":
            if data:
                yield kind, "\n".join(data), event_id
            kind, data, event_id = "message", [], None
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            kind = value
        elif name == "data":
            data.append(value)
        elif name == "id":
            event_id = value


def _frame(kind: str, data: str, event_id: str | None) -> JSON:
    try:
        parsed = json.loads(data)
    except ValueError:
        parsed = data
    return {"event": kind, "id": event_id, "data": parsed}


def _decode(call: Call, response: httpx.Response) -> Any:
    """The answer's JSON (its ``call.pick`` field), or :class:`KycSimError` for an error."""
    if response.status_code == 204:
        return None
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code >= 400 or body is None:
        raise KycSimError.from_answer(call.method, call.path, response.status_code, body, response.text)
    return body[call.pick] if call.pick and isinstance(body, dict) and call.pick in body else body


class _Client:
    """What both clients hold: the URL, the control token's header, and the provider parts."""

    def __init__(self, url: str, token: str | None) -> None:
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise KycSimError(f"kycsim's URL must start with http:// or https://, not {url!r}", type="bad_url")
        self.url = self.base_url = url.rstrip("/")
        self.control_headers = control_headers(token)
        self._parts: dict[str, Any] = {}

    def provider(self, name: str) -> Any:
        """The control calls of provider ``name`` (also ``client.<name>``): its ``client.py``'s ``CLIENT``."""
        from simulator.providers import provider_part, registry

        if name not in self._parts:
            module = provider_part(name, "client")
            if module is None:
                from simulator.engine.names import did_you_mean

                raise AttributeError(f"no provider {name!r} with control calls{did_you_mean(name, registry())}")
            self._parts[name] = module.CLIENT(self._sender)
        return self._parts[name]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.provider(name)

    _sender: Any  # set by ControlCalls

    def _unreachable(self, call: Call, exc: Exception) -> KycSimError:
        return KycSimError(
            f"cannot reach kycsim at {self.url}: {exc or type(exc).__name__}",
            type="unreachable",
            method=call.method,
            path=call.path,
        )


class KycSim(_Client, CoreCalls[JSON, list[JSON], None]):
    """The control API of the kycsim at ``url``, synchronously (httpx). Close it, or use it as a context
    manager. ``token``: the control token (default ``KYCSIM_CONTROL_TOKEN``), which kycsim needs when it
    listens on a non-loopback address; ``transport``: an httpx transport (tests)."""

    def __init__(
        self,
        url: str = DEFAULT_URL,
        *,
        token: str | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        _Client.__init__(self, url, token)
        self._http = httpx.Client(base_url=self.url, transport=transport, timeout=timeout, headers=self.control_headers)
        CoreCalls.__init__(self, _SyncSender(self))

    def _send(self, call: Call) -> Any:
        try:
            response = self._http.request(call.method, f"/_sim{call.path}", params=call.params, json=call.json)
        except httpx.HTTPError as exc:
            raise self._unreachable(call, exc) from None
        return _decode(call, response)

    def wait_healthy(self, timeout: float = 30.0, interval: float = 0.1) -> JSON:
        """Wait until kycsim answers healthy (up to ``timeout`` real seconds); raises the last failure."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                health = self.health()
                if health.get("status") == "ok":
                    return health
                failure = KycSimError(f"kycsim at {self.url} is not ready: {health}", type="not_ready")
            except KycSimError as exc:
                failure = exc
            if time.monotonic() + interval > deadline:
                raise failure
            time.sleep(interval)

    def event_stream(
        self,
        *,
        provider: str | Iterable[str] | None = None,
        tenant: str | None = None,
        events: str | Iterable[str] | None = None,
        attempts: bool = False,
    ) -> Iterator[JSON]:
        """Follow ``GET /_sim/events``: ``{"event": "ready"|"webhook"|"attempt", "id", "data"}`` for each frame,
        as it is published, until the caller stops iterating (``events``: types, ``*`` wildcards)."""
        call = _stream_call(provider, tenant, events, attempts)
        try:
            with self._http.stream(
                "GET", "/_sim/events", params=call.params, timeout=httpx.Timeout(10, read=None)
            ) as r:
                if r.status_code != 200:
                    r.read()
                    _decode(call, r)
                for frame in sse_frames(r.iter_lines()):
                    yield _frame(*frame)
        except httpx.HTTPError as exc:
            raise self._unreachable(call, exc) from None

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    def __enter__(self) -> KycSim:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _SyncSender:
    def __init__(self, client: KycSim) -> None:
        self._client = client

    def object(self, call: Call) -> JSON:
        return self._client._send(call)

    def items(self, call: Call) -> list[JSON]:
        return self._client._send(call)

    def nothing(self, call: Call) -> None:
        self._client._send(call)


class AsyncKycSim(_Client, CoreCalls[Awaitable[JSON], Awaitable[list[JSON]], Awaitable[None]]):
    """The same calls as :class:`KycSim`, each to be awaited (httpx's ``AsyncClient``); close it with
    :meth:`aclose` or use it as an async context manager."""

    def __init__(
        self,
        url: str = DEFAULT_URL,
        *,
        token: str | None = None,
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        _Client.__init__(self, url, token)
        self._http = httpx.AsyncClient(
            base_url=self.url, transport=transport, timeout=timeout, headers=self.control_headers
        )
        CoreCalls.__init__(self, _AsyncSender(self))

    async def _send(self, call: Call) -> Any:
        try:
            response = await self._http.request(call.method, f"/_sim{call.path}", params=call.params, json=call.json)
        except httpx.HTTPError as exc:
            raise self._unreachable(call, exc) from None
        return _decode(call, response)

    async def wait_healthy(self, timeout: float = 30.0, interval: float = 0.1) -> JSON:
        """Wait until kycsim answers healthy (up to ``timeout`` real seconds); raises the last failure."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                health = await self.health()
                if health.get("status") == "ok":
                    return health
                failure = KycSimError(f"kycsim at {self.url} is not ready: {health}", type="not_ready")
            except KycSimError as exc:
                failure = exc
            if time.monotonic() + interval > deadline:
                raise failure
            await asyncio.sleep(interval)

    async def event_stream(
        self,
        *,
        provider: str | Iterable[str] | None = None,
        tenant: str | None = None,
        events: str | Iterable[str] | None = None,
        attempts: bool = False,
    ) -> AsyncIterator[JSON]:
        """Follow ``GET /_sim/events`` (see :meth:`KycSim.event_stream`)."""
        call = _stream_call(provider, tenant, events, attempts)
        timeout = httpx.Timeout(10, read=None)
        try:
            async with self._http.stream("GET", "/_sim/events", params=call.params, timeout=timeout) as r:
                if r.status_code != 200:
                    await r.aread()
                    _decode(call, r)
                lines: list[str] = []
                async for line in r.aiter_lines():
                    lines.append(line)
                    if line == "":
                        for frame in sse_frames(lines):
                            yield _frame(*frame)
                        lines.clear()
        except httpx.HTTPError as exc:
            raise self._unreachable(call, exc) from None

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncKycSim:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class _AsyncSender:
    def __init__(self, client: AsyncKycSim) -> None:
        self._client = client

    def object(self, call: Call) -> Awaitable[JSON]:
        return self._client._send(call)

    def items(self, call: Call) -> Awaitable[list[JSON]]:
        return self._client._send(call)

    async def nothing(self, call: Call) -> None:
        await self._client._send(call)
