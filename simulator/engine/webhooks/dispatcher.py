"""The webhook outbox.

Providers publish events as raw bytes (they own the envelope); the dispatcher fans each event
out to the matching endpoints, signs it with the provider's :class:`WebhookProfile`, posts it
in a background task (never inside the API request), logs every attempt and schedules retries
on the virtual clock following the provider's schedule.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from simulator.engine.clock import Clock, isoformat
from simulator.engine.scheduler import Scheduler

log = logging.getLogger("kycsim.webhooks")


class WebhookProfile(Protocol):
    """What a provider tells the dispatcher about its webhooks."""

    retry_schedule: tuple[float, ...]  # seconds after each failed attempt
    timeout: float  # seconds the receiver has to answer

    def sign(self, body: bytes, endpoint: Endpoint) -> dict[str, str]:
        """Headers (signature and the like) for ``body`` sent to ``endpoint``."""


@dataclass
class Endpoint:
    id: str
    provider: str
    url: str
    secret: str | None = None
    tenant: str | None = None  # None: every tenant
    events: list[str] | None = None  # None: every event type
    options: dict[str, Any] = field(default_factory=dict)  # provider signing options (alg, authorization, ...)
    source: str = "api"

    def wants(self, tenant: str, event_type: str) -> bool:
        return (self.tenant is None or self.tenant == tenant) and (not self.events or event_type in self.events)

    def as_json(self) -> dict[str, Any]:
        shown = asdict(self)
        shown["secret"] = "set" if self.secret else None
        return shown


@dataclass
class Event:
    id: str
    tenant: str
    provider: str
    type: str
    body: bytes
    resource: str | None
    created_at: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenant": self.tenant,
            "provider": self.provider,
            "type": self.type,
            "resource": self.resource,
            "created_at": self.created_at,
            "body": self.body.decode(),
        }


@dataclass
class Attempt:
    delivery_id: str
    number: int
    event_id: str
    event_type: str
    provider: str
    tenant: str
    endpoint_id: str
    url: str
    at: str
    status_code: int | None
    error: str | None
    latency_ms: float
    request_headers: dict[str, str]
    response_excerpt: str
    next_retry_at: str | None = None
    replay: bool = False

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass
class Delivery:
    id: str
    event: Event
    endpoint: Endpoint
    url: str
    state: str = "pending"  # pending | delivered | failed
    attempts: list[Attempt] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event_id": self.event.id,
            "event_type": self.event.type,
            "provider": self.event.provider,
            "tenant": self.event.tenant,
            "endpoint_id": self.endpoint.id,
            "url": self.url,
            "state": self.state,
            "attempts": [asdict(a) for a in self.attempts],
        }


class Dispatcher:
    def __init__(
        self,
        *,
        clock: Clock,
        scheduler: Scheduler,
        profiles: dict[str, WebhookProfile],
        new_id: Callable[[str], str],
        user_agent: str = "kycsim",
    ) -> None:
        self.clock = clock
        self.scheduler = scheduler
        self.profiles = profiles
        self.new_id = new_id
        self.user_agent = user_agent
        self.endpoints: dict[str, Endpoint] = {}
        self.events: list[Event] = []
        self.deliveries: dict[str, Delivery] = {}
        self._tasks: set[asyncio.Task] = set()
        self._client = None
        self._endpoint_ids = itertools.count(1)
        self.on_attempt: list[Callable[[Attempt], None]] = []  # console log, event streams

    # Endpoints

    def add_endpoint(
        self,
        provider: str,
        url: str,
        *,
        secret: str | None = None,
        tenant: str | None = None,
        events: list[str] | None = None,
        options: dict[str, Any] | None = None,
        source: str = "api",
    ) -> Endpoint:
        endpoint = Endpoint(
            f"we_{next(self._endpoint_ids)}", provider, url, secret, tenant, events, options or {}, source
        )
        self.endpoints[endpoint.id] = endpoint
        return endpoint

    # Publishing

    def publish(
        self, tenant: str, provider: str, event_type: str, body: bytes, *, event_id: str, resource: str | None = None
    ) -> Event:
        event = Event(event_id, tenant, provider, event_type, body, resource, isoformat(self.clock.now(tenant)))
        self.events.append(event)
        for endpoint in list(self.endpoints.values()):
            if endpoint.provider == provider and endpoint.wants(tenant, event_type):
                delivery = Delivery(self.new_id("dlv"), event, endpoint, endpoint.url)
                self.deliveries[delivery.id] = delivery
                self._schedule_attempt(delivery, 0.0)
        return event

    async def replay(self, delivery_id: str, url: str | None = None) -> Attempt | None:
        original = self.deliveries.get(delivery_id)
        if original is None:
            return None
        delivery = Delivery(self.new_id("dlv"), original.event, original.endpoint, url or original.url)
        self.deliveries[delivery.id] = delivery
        return await self._attempt(delivery, replay=True)

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait for the attempts already under way (control calls use it to return settled state)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    def attempts(self, tenant: str | None = None) -> list[Attempt]:
        return [a for d in self.deliveries.values() for a in d.attempts if tenant is None or a.tenant == tenant]

    def reset(self, tenant: str | None = None) -> None:
        self.events = [e for e in self.events if tenant is not None and e.tenant != tenant]
        self.deliveries = {k: d for k, d in self.deliveries.items() if tenant is not None and d.event.tenant != tenant}

    async def close(self) -> None:
        await self.drain(5)
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # Private functions

    def _schedule_attempt(self, delivery: Delivery, delay: float) -> None:
        async def job() -> None:
            task = asyncio.get_running_loop().create_task(self._attempt(delivery))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        self.scheduler.schedule(delay, job, tenant=delivery.event.tenant, label=f"webhook {delivery.id}")

    def _http(self):
        if self._client is None:
            import httpx

            self._client = httpx.AsyncClient(follow_redirects=False)
        return self._client

    async def _attempt(self, delivery: Delivery, *, replay: bool = False) -> Attempt:
        event, endpoint = delivery.event, delivery.endpoint
        profile = self.profiles[event.provider]
        headers = {
            "Content-Type": "application/json",
            "User-Agent": self.user_agent,
            **profile.sign(event.body, endpoint),
        }
        started = time.perf_counter()
        status, error, excerpt = None, None, ""
        try:
            response = await self._http().post(
                delivery.url, content=event.body, headers=headers, timeout=profile.timeout
            )
            status, excerpt = response.status_code, response.text[:500]
        except Exception as exc:  # any transport failure is a failed attempt, logged as what it was
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        attempt = Attempt(
            delivery_id=delivery.id,
            number=len(delivery.attempts) + 1,
            event_id=event.id,
            event_type=event.type,
            provider=event.provider,
            tenant=event.tenant,
            endpoint_id=endpoint.id,
            url=delivery.url,
            at=isoformat(self.clock.now(event.tenant)),
            status_code=status,
            error=error,
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
            request_headers=headers,
            response_excerpt=excerpt,
            replay=replay,
        )
        delivery.attempts.append(attempt)
        if attempt.ok:
            delivery.state = "delivered"
        elif not replay:
            retries_done = len(delivery.attempts) - 1
            if retries_done < len(profile.retry_schedule):
                delay = profile.retry_schedule[retries_done]
                attempt.next_retry_at = isoformat(self.clock.now(event.tenant) + timedelta(seconds=delay))
                self._schedule_attempt(delivery, delay)
            else:
                delivery.state = "failed"
        for listener in self.on_attempt:
            listener(attempt)
        return attempt
