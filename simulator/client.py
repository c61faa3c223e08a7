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

from simulator.toolkit.client import JSON, Call, ControlCalls, Items, KycSimError, Nothing, Obj, present, segment

__all__ = ["DEFAULT_URL", "JSON", "AsyncKycSim", "KycSim", "KycSimError", "control_headers"]

DEFAULT_URL = "http://127.0.0.1:8000"
TOKEN_ENV = "KYCSIM_CONTROL_TOKEN"


def control_headers(token: str | None = None) -> dict[str, str]:
    """The header a control call needs when kycsim has a control token (``token``, else the environment's)."""
    token = token or os.environ.get(TOKEN_ENV) or None
    return {"Authorization": f"Bearer {token}"} if token else {}


class _Calls(ControlCalls[Obj, Items, Nothing]):
    """Every call of kycsim's own control API, written once for both clients."""

    # Health and the catalogue

    def health(self) -> Obj:
        """``{"status": "ok", "version", "seed", "speed", "applicant", "providers"}`` once ready to serve."""
        return self._object("GET", "/health")

    def openapi(self) -> Obj:
        """The control API described in OpenAPI 3.1 (``GET /_sim/openapi.json``)."""
        return self._object("GET", "/openapi.json")

    def scenarios(self, provider: str | None = None, product: str | None = None) -> Items:
        """The scenario catalogue (each with its ``outcome``), or one provider's or product's scenarios."""
        return self._items("/scenarios", present(provider=provider, product=product))

    def scenario(self, name: str) -> Obj:
        """One scenario: its steps and what it produces. An unknown name raises (``not_found``, with close names)."""
        return self._object("GET", f"/scenarios/{segment(name)}")

    def coverage(self) -> Obj:
        """Every status, code, label and event type, and the scenarios that produce each."""
        return self._object("GET", "/coverage")

    # Scenario selection

    def bind(
        self,
        scenario: str,
        match: dict[str, str | int | float] | None = None,
        *,
        tenant: str | None = None,
        times: int | None = None,
    ) -> Obj:
        """Bind ``scenario`` ahead of time to the next checks whose facts ``match`` (``email``,
        ``external_applicant_id``, ``externalUserId``...; none: every new check of its product), of one
        ``tenant`` or any, for ``times`` checks or until deleted. An unknown scenario raises at once."""
        body = present(scenario=scenario, match=match, tenant=tenant, times=times)
        return self._object("POST", "/bindings", json=body)

    def bindings(self, tenant: str | None = None) -> Items:
        """The bindings (or one tenant's)."""
        return self._items("/bindings", present(tenant=tenant))

    def delete_binding(self, binding_id: str) -> Nothing:
        """Forget a binding (``bnd_...``)."""
        return self._nothing("DELETE", f"/bindings/{segment(binding_id)}")

    # State and time

    def reset(self, tenant: str | None = None) -> Obj:
        """Forget all state and rewind the clock to its start, or (``tenant``) forget only that tenant's."""
        return self._object("POST", "/reset", json=present(tenant=tenant))

    def clock(self, tenant: str | None = None) -> Obj:
        """The virtual clock: the shared one, or ``tenant``'s (``now``, ``elapsed_seconds``, ``speed``...)."""
        return self._object("GET", "/clock", params=present(tenant=tenant))

    def advance(
        self,
        seconds: float | str | None = None,
        *,
        to: str | None = None,
        tenant: str | None = None,
    ) -> Obj:
        """Move the clock forward (``tenant``'s, or the shared one), firing every timed step and webhook retry
        on the way; answers the clock and ``fired``. ``seconds``: a number or a duration (``"15m"``);
        ``to``: ``"next"`` (the tenant's next step or retry; nothing scheduled raises ``conflict``) or an
        ISO 8601 time."""
        body: JSON = present(to=to, tenant=tenant)
        if isinstance(seconds, str):
            try:
                body["seconds"] = float(seconds)
            except ValueError:
                body["duration"] = seconds
        elif seconds is not None:
            body["seconds"] = seconds
        return self._object("POST", "/clock/advance", json=body)

    def tenants(self) -> Items:
        """Every tenant kycsim holds state for (masked): its clock, verifications and next scheduled job."""
        return self._items("/tenants")

    # Runs and stories

    def runs(
        self,
        tenant: str | None = None,
        *,
        provider: str | None = None,
        scenario: str | None = None,
        id: str | None = None,
    ) -> Obj:
        """Scenario runs (``data``: which scenario each check follows, what it is ``waiting_for``, its next
        step); with ``tenant``, also ``next_job_in_seconds`` and ``pending_jobs`` of that tenant."""
        return self._object("GET", "/runs", params=present(tenant=tenant, provider=provider, scenario=scenario, id=id))

    def resume_run(self, run_id: str) -> Obj:
        """Make the client's call a waiting run needs (a new attempt, a request check...)."""
        return self._object("POST", f"/runs/{segment(run_id)}/resume", json={})

    def trigger(self, scenario: str, *, tenant: str | None = None) -> Obj:
        """Make the client's calls that start ``scenario`` (as ``tenant``, or the provider's trigger tenant)."""
        return self._object("POST", "/trigger", json=present(scenario=scenario, tenant=tenant))

    def stories(
        self, q: str | None = None, *, provider: str | None = None, tenant: str | None = None, limit: int | None = None
    ) -> Items:
        """Verifications, newest first, or those matching ``q`` (any id, external id, email, scenario, tenant)."""
        return self._items("/stories", present(q=q, provider=provider, tenant=tenant, limit=limit))

    def story(self, story_id: str, *, tenant: str | None = None) -> Obj:
        """Everything that happened to a check, applicant or action, on one timeline."""
        return self._object("GET", f"/stories/{segment(story_id)}", params=present(tenant=tenant))

    # The request journal

    def requests(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        tenant: str | None = None,
        provider: str | None = None,
        limit: int | None = None,
    ) -> Items:
        """The request journal, newest first: every provider API call kycsim answered (``path`` matches a prefix)."""
        return self._items(
            "/requests", present(method=method, path=path, tenant=tenant, provider=provider, limit=limit)
        )

    # Webhooks

    def webhooks(
        self,
        *,
        tenant: str | None = None,
        provider: str | None = None,
        event_type: str | None = None,
        event_id: str | None = None,
        endpoint_id: str | None = None,
        delivery_id: str | None = None,
        resource: str | None = None,
        ok: bool | None = None,
        replay: bool | None = None,
        chaos: str | None = None,
        limit: int | None = None,
    ) -> Items:
        """Every webhook delivery attempt, oldest first (status code, latency, signature headers, chaos)."""
        filters = present(
            tenant=tenant,
            provider=provider,
            event_type=event_type,
            event_id=event_id,
            endpoint_id=endpoint_id,
            delivery_id=delivery_id,
            resource=resource,
            ok=ok,
            replay=replay,
            chaos=chaos,
            limit=limit,
        )
        return self._items("/webhooks", filters)

    def webhook_deliveries(
        self,
        *,
        tenant: str | None = None,
        provider: str | None = None,
        state: str | None = None,
        event_id: str | None = None,
        endpoint_id: str | None = None,
        limit: int | None = None,
    ) -> Items:
        """One row per (event, endpoint): its ``state`` (``queued``, ``pending``, ``delivered``, ``failed``...)."""
        filters = present(
            tenant=tenant, provider=provider, state=state, event_id=event_id, endpoint_id=endpoint_id, limit=limit
        )
        return self._items("/webhooks/deliveries", filters)

    def webhook_events(
        self,
        *,
        tenant: str | None = None,
        provider: str | None = None,
        type: str | None = None,
        resource: str | None = None,
        scenario: str | None = None,
        limit: int | None = None,
    ) -> Items:
        """Every published event with its ``body`` (a JSON string, as sent), also events no endpoint wanted."""
        filters = present(
            tenant=tenant, provider=provider, type=type, resource=resource, scenario=scenario, limit=limit
        )
        return self._items("/webhooks/events", filters)

    def replay_webhook(self, delivery_id: str, *, url: str | None = None) -> Obj:
        """Send a delivery (``dlv_...``: answers the attempt) or an event (``evt_...``: ``{"count", "data"}``)
        again, to where it went or to ``url``: one attempt, signed afresh, no retries, no chaos."""
        return self._object("POST", f"/webhooks/{segment(delivery_id)}/replay", json=present(url=url))

    def webhook_endpoints(self, provider: str | None = None, tenant: str | None = None) -> Items:
        """The webhook endpoints (secrets shown as ``"set"``)."""
        return self._items("/webhooks/endpoints", present(provider=provider, tenant=tenant))

    def webhook_endpoint(self, endpoint_id: str) -> Obj:
        """One webhook endpoint (``we_...``)."""
        return self._object("GET", f"/webhooks/endpoints/{segment(endpoint_id)}")

    def add_webhook_endpoint(
        self,
        provider: str,
        url: str,
        *,
        tenant: str | None = None,
        all_tenants: bool | None = None,
        secret: str | None = None,
        events: list[str] | str | None = None,
        options: dict[str, Any] | None = None,
        chaos: dict[str, Any] | None = None,
        ordered: bool | None = None,
        concurrency: int | None = None,
    ) -> Obj:
        """Send ``provider``'s events for ``tenant`` (or ``all_tenants``) to ``url``, signed with ``secret``;
        ``events`` filters by type (``*`` wildcards), ``options`` sets signing options (Sumsub's ``alg``),
        ``chaos`` misbehaves on purpose (docs/webhooks.md)."""
        body = present(
            provider=provider,
            url=url,
            tenant=tenant,
            all_tenants=all_tenants,
            secret=secret,
            events=events,
            options=options,
            chaos=chaos,
            ordered=ordered,
            concurrency=concurrency,
        )
        return self._object("POST", "/webhooks/endpoints", json=body)

    def update_webhook_endpoint(self, endpoint_id: str, **changes: Any) -> Obj:
        """Change an endpoint's fields (``url``, ``secret``, ``events``, ``chaos``...), not its provider."""
        return self._object("PATCH", f"/webhooks/endpoints/{segment(endpoint_id)}", json=changes)

    def delete_webhook_endpoint(self, endpoint_id: str) -> Nothing:
        """Forget an endpoint; its deliveries still to come are cancelled."""
        return self._nothing("DELETE", f"/webhooks/endpoints/{segment(endpoint_id)}")


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
        from simulator.providers import PROVIDERS, provider_part

        if name not in self._parts:
            module = provider_part(name, "client") if name in PROVIDERS else None
            if module is None:
                from simulator.engine.names import did_you_mean

                raise AttributeError(f"no provider {name!r} with control calls{did_you_mean(name, PROVIDERS)}")
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


class KycSim(_Client, _Calls[JSON, list[JSON], None]):
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
        _Calls.__init__(self, _SyncSender(self))

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


class AsyncKycSim(_Client, _Calls[Awaitable[JSON], Awaitable[list[JSON]], Awaitable[None]]):
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
        _Calls.__init__(self, _AsyncSender(self))

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
