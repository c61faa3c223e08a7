"""Ordering lanes: one delivery at a time per resource and endpoint.

Every delivery waits in its lane (``Delivery.lane``: endpoint, tenant, resource) until the one
before it is delivered or given up, so a receiver sees a resource's events in the order they
happened. Chaos ``out_of_order`` breaks that on purpose: it holds an event's deliveries back until
the next event for the same resource and endpoint overtakes them, or until its seconds run out.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from simulator.engine.scheduler import Scheduler
from simulator.engine.webhooks.models import Delivery

Lane = tuple[str, str, str]  # endpoint id, tenant, resource


class Lanes:
    def __init__(
        self,
        scheduler: Scheduler,
        *,
        begin: Callable[[Delivery], None],
        persist: Callable[[Delivery], None],
    ) -> None:
        self.scheduler = scheduler
        self._begin = begin  # schedules a delivery's first attempt: its turn has come
        self._persist = persist
        self._queues: dict[Lane, deque[Delivery]] = {}
        self._held: dict[Lane, list[Delivery]] = {}

    def add(self, group: list[Delivery], out_of_order: float) -> None:
        """An event's deliveries to one endpoint (the first and its chaos duplicates) join their lane."""
        lane = group[0].overtake_key
        held = self._held.pop(lane, None)
        if held is not None:  # this event overtakes the one held back for it
            for d in held:
                d.notes.append(f"out_of_order: held back, sent after {group[0].event.id}")
            self._enqueue_all(group + held)
            return
        if out_of_order:
            self._hold(lane, group, out_of_order)
            return
        self._enqueue_all(group)

    def rejoin(self, d: Delivery) -> bool:
        """A delivery reloaded from the outbox takes its place again; True when it is its lane's turn."""
        queue = self._queues.setdefault(d.lane, deque())
        queue.append(d)
        if len(queue) > 1:
            d.state = "queued"
            self._persist(d)
            return False
        return True

    def done(self, d: Delivery) -> None:
        """``d`` is delivered or given up: the next in its lane begins."""
        queue = self._queues.get(d.lane)
        if queue and queue[0] is d:
            queue.popleft()
            if queue:
                self._begin(queue[0])
            else:
                del self._queues[d.lane]

    def forget(self, *, endpoint_id: str | None = None, tenant: str | None = None) -> None:
        """Drop the lanes of one endpoint, of one tenant, or (neither named) all of them."""

        def kept(lane: Lane) -> bool:
            if endpoint_id is not None:
                return lane[0] != endpoint_id
            return tenant is not None and lane[1] != tenant

        self._queues = {k: v for k, v in self._queues.items() if kept(k)}
        self._held = {k: v for k, v in self._held.items() if kept(k)}

    def _hold(self, lane: Lane, group: list[Delivery], seconds: float) -> None:
        for d in group:
            d.state = "held"
            self._persist(d)
        self._held[lane] = group

        async def release() -> None:
            if self._held.get(lane) is group:
                del self._held[lane]
                for d in group:
                    d.notes.append(f"out_of_order: nothing overtook it within {seconds:g}s, sent late")
                self._enqueue_all(group)

        self.scheduler.schedule(seconds, release, tenant=group[0].event.tenant, label=f"webhook hold {group[0].id}")

    def _enqueue_all(self, group: list[Delivery]) -> None:
        for d in group:
            queue = self._queues.setdefault(d.lane, deque())
            queue.append(d)
            if len(queue) == 1:
                self._begin(d)
            else:
                d.state = "queued"
                self._persist(d)
