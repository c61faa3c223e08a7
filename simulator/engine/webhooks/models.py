"""What the dispatcher works with: the provider's profile, events, deliveries and attempts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from simulator.engine.webhooks.chaos import NONE, Chaos
from simulator.engine.webhooks.endpoints import Endpoint


class WebhookProfile(Protocol):
    """What a provider tells the dispatcher about its webhooks."""

    @property
    def retry_schedule(self) -> tuple[float, ...]:
        """Seconds after each failed attempt."""

    @property
    def timeout(self) -> float:
        """Seconds the receiver has to answer."""

    def sign(self, body: bytes, endpoint: Endpoint) -> dict[str, str]:
        """Headers (signature and the like) for ``body`` sent to ``endpoint``."""


@dataclass
class Event:
    id: str
    tenant: str
    provider: str
    type: str
    body: bytes
    resource: str | None
    created_at: str
    scenario: str | None = None
    wall_at: str | None = None  # when it was published, in real time

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenant": self.tenant,
            "provider": self.provider,
            "type": self.type,
            "resource": self.resource,
            "scenario": self.scenario,
            "created_at": self.created_at,
            "wall_at": self.wall_at,
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
    ok: bool = False  # 2xx and not failed on purpose
    chaos: list[str] = field(default_factory=list)  # the chaos this attempt carried, in words
    resource: str | None = None
    wall_at: str | None = None  # when it started, in real time

    def as_json(self) -> dict[str, Any]:
        # By hand: dataclasses.asdict deep-copies field by field, and this runs for every attempt.
        return {
            "delivery_id": self.delivery_id,
            "number": self.number,
            "event_id": self.event_id,
            "event_type": self.event_type,
            "provider": self.provider,
            "tenant": self.tenant,
            "endpoint_id": self.endpoint_id,
            "url": self.url,
            "at": self.at,
            "status_code": self.status_code,
            "error": self.error,
            "latency_ms": self.latency_ms,
            "request_headers": dict(self.request_headers),
            "response_excerpt": self.response_excerpt,
            "next_retry_at": self.next_retry_at,
            "replay": self.replay,
            "ok": self.ok,
            "chaos": list(self.chaos),
            "resource": self.resource,
            "wall_at": self.wall_at,
        }


@dataclass
class Delivery:
    id: str
    event: Event
    endpoint: Endpoint
    url: str
    state: str = "pending"  # held | queued | pending | delivered | failed | cancelled
    attempts: list[Attempt] = field(default_factory=list)
    chaos: Chaos = NONE
    notes: list[str] = field(default_factory=list)  # delivery-wide chaos (duplicate, order, delay)
    replay: bool = False
    replay_of: str | None = None
    duplicate_of: str | None = None
    due_at: str | None = None  # when the next attempt is due (virtual time), while one is scheduled
    # The queue it waits in, fixed at creation (an endpoint changed later must not strand it).
    lane: tuple[str, str, str] = field(init=False)

    def __post_init__(self) -> None:
        if self.endpoint.ordered and self.event.resource:
            self.lane = (self.endpoint.id, self.event.tenant, self.event.resource)
        else:
            self.lane = (self.endpoint.id, self.event.tenant, f"event:{self.event.id}")  # copies still go in order

    @property
    def overtake_key(self) -> tuple[str, str, str]:
        """Chaos out_of_order: the next event with this key overtakes one held back."""
        return (self.endpoint.id, self.event.tenant, self.event.resource or "*")

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event_id": self.event.id,
            "event_type": self.event.type,
            "provider": self.event.provider,
            "tenant": self.event.tenant,
            "resource": self.event.resource,
            "endpoint_id": self.endpoint.id,
            "url": self.url,
            "state": self.state,
            "chaos": self.chaos.as_json(),
            "notes": self.notes,
            "replay": self.replay,
            "replay_of": self.replay_of,
            "duplicate_of": self.duplicate_of,
            "due_at": self.due_at,
            "attempts": [a.as_json() for a in self.attempts],
        }
