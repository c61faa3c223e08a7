"""The event stream: every published event, signed for a listener, to whoever follows it.

``GET /_sim/events`` (Server-Sent Events) subscribes here; ``kycsim listen`` is the usual
follower. A subscription filters by provider, tenant and event type, and carries the secret
and signing options its listener wants the events signed with. Queues are bounded: a follower
that stops reading loses the oldest events rather than holding the simulator's memory.
"""

from __future__ import annotations

import asyncio
import fnmatch
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

QUEUE_SIZE = 1000


@dataclass(eq=False)
class Subscription:
    providers: set[str] = field(default_factory=set)  # empty: every provider
    tenant: str | None = None
    events: list[str] = field(default_factory=list)  # empty: every type; * wildcards allowed
    secret: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    attempts: bool = False  # also stream delivery attempts
    queue: asyncio.Queue[str | None] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    dropped: int = 0

    def wants(self, provider: str, tenant: str, event_type: str | None) -> bool:
        if self.providers and provider not in self.providers:
            return False
        if self.tenant is not None and tenant != self.tenant:
            return False
        if event_type is None or not self.events:
            return True
        return any(fnmatch.fnmatchcase(event_type, p) for p in self.events)

    def offer(self, frame: str) -> None:
        if self.queue.full():
            self.queue.get_nowait()
            self.dropped += 1
        self.queue.put_nowait(frame)


def frame(kind: str, data: dict[str, Any], event_id: str | None = None) -> str:
    """One Server-Sent Events frame (``id``, ``event``, ``data`` lines, blank line)."""
    lines = [f"id: {event_id}"] if event_id else []
    lines += [f"event: {kind}", f"data: {json.dumps(data, separators=(',', ':'))}"]
    return "\n".join(lines) + "\n\n"


class EventStream:
    def __init__(self) -> None:
        self.subscriptions: set[Subscription] = set()

    def subscribe(self, subscription: Subscription) -> Subscription:
        self.subscriptions.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self.subscriptions.discard(subscription)

    def broadcast(
        self,
        provider: str,
        tenant: str,
        event_type: str | None,
        render: Callable[[Subscription], str],
        *,
        attempt: bool = False,
    ) -> None:
        for sub in list(self.subscriptions):
            if (not attempt or sub.attempts) and sub.wants(provider, tenant, event_type):
                sub.offer(render(sub))

    def close(self) -> None:
        """Tell every follower to stop (the server is shutting down)."""
        for sub in list(self.subscriptions):
            if sub.queue.full():
                sub.queue.get_nowait()
            sub.queue.put_nowait(None)
