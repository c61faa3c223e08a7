"""The delivery log: events, their deliveries and every attempt, bounded in size.

The control API, the dashboard and the CLI read it; the dispatcher writes it. In memory these
lists are the log; with a durable store each event and delivery is also written to the outbox, so
that a restart carries on where the last process stopped. When the log holds more than
``max_events`` events, the oldest whose deliveries are all settled go first (here and in the
outbox); an event still under way is never dropped. A trim looks only at the oldest events and
their own deliveries and attempts (the log keeps each event's deliveries by the event), so under a
steady stream of events its cost follows what it drops, not the size of the log.
"""

from __future__ import annotations

from simulator.engine.retention import WEBHOOK_LOG_SIZE
from simulator.engine.webhooks.models import Attempt, Delivery, Event
from simulator.engine.webhooks.outbox import Outbox, happened

UNDER_WAY = ("held", "queued", "pending")  # a delivery in one of these states is not settled yet


class DeliveryLog:
    def __init__(self, outbox: Outbox | None) -> None:
        self.outbox = outbox
        self.max_events = WEBHOOK_LOG_SIZE  # the oldest settled events go first
        self.events: list[Event] = []
        self.deliveries: dict[str, Delivery] = {}
        self.attempts: list[Attempt] = []  # in the order they finished (so, in virtual time)
        self._of_event: dict[int, list[Delivery]] = {}  # id(event) -> its deliveries, in the log
        self._trim_credit = 0

    def add_event(self, event: Event) -> None:
        self.events.append(event)
        if self.outbox is not None:
            self.outbox.save_event(event)

    def add_delivery(self, d: Delivery) -> None:
        self.deliveries[d.id] = d
        self._of_event.setdefault(id(d.event), []).append(d)

    def persist(self, d: Delivery) -> None:
        if self.outbox is not None and self.deliveries.get(d.id) is d:  # not after a reset
            self.outbox.save_delivery(d)

    def event(self, event_id: str) -> Event | None:
        return next((e for e in reversed(self.events) if e.id == event_id), None)

    def events_after(self, event_id: str) -> list[Event]:
        for index in range(len(self.events) - 1, -1, -1):
            if self.events[index].id == event_id:
                return self.events[index + 1 :]
        return []

    def reset(self, tenant: str | None) -> None:
        """Forget everything, or one tenant's."""

        def kept(e: Event) -> bool:
            return tenant is not None and e.tenant != tenant

        self.events = [e for e in self.events if kept(e)]
        self.deliveries = {k: d for k, d in self.deliveries.items() if kept(d.event)}
        self.attempts = [a for a in self.attempts if tenant is not None and a.tenant != tenant]
        self._of_event = {}
        for d in self.deliveries.values():
            self._of_event.setdefault(id(d.event), []).append(d)

    def merge(self, events: list[Event], deliveries: list[Delivery]) -> None:
        """Take in what a previous process left in the outbox (what is known already stays as it is)."""
        known = {e.id for e in self.events}
        self.events = [e for e in events if e.id not in known] + self.events
        for d in deliveries:
            if d.id not in self.deliveries:
                self.add_delivery(d)
        self.attempts = sorted(
            [a for d in deliveries for a in d.attempts] + self.attempts,
            key=lambda a: (*happened(a.wall_at, a.at), a.number),
        )

    def trim_if_full(self) -> None:
        # A trim walks the whole log, so it runs at most once per tenth of the log's worth of new events or
        # settled deliveries, even when nothing can go (a receiver down, everything waiting for retries).
        self._trim_credit -= 1
        if len(self.events) > self.max_events and self._trim_credit <= 0:
            self._trim()
            self._trim_credit = max(len(self.events) // 10, 1)

    def _trim(self) -> None:
        """Forget the oldest tenth of the events whose deliveries are all settled (here and in the outbox)."""
        budget = max(len(self.events) // 10, 1)
        dropped: list[Event] = []
        kept: list[Event] = []  # older than the last dropped one, but still under way
        seen = 0
        for event in self.events:
            if len(dropped) >= budget:
                break
            seen += 1
            deliveries = self._of_event.get(id(event), ())
            (kept if any(d.state in UNDER_WAY for d in deliveries) else dropped).append(event)
        self.events[:seen] = kept
        gone: list[Delivery] = []
        for event in dropped:
            gone.extend(self._of_event.pop(id(event), ()))
        for d in gone:
            del self.deliveries[d.id]
        if self.outbox is not None:
            self.outbox.forget(dropped, gone)
        self._forget_attempts({d.id for d in gone}, sum(len(d.attempts) for d in gone))

    def _forget_attempts(self, deliveries: set[str], count: int) -> None:
        """Drop the ``count`` attempts of ``deliveries``. They are among the oldest (attempts are listed as they
        finish), so the walk stops once it has them all: the rest of the list is not read (cache misses on a
        full log cost more than the instructions)."""
        kept: list[Attempt] = []
        seen = 0
        for attempt in self.attempts:
            if count <= 0:
                break
            seen += 1
            if attempt.delivery_id in deliveries:
                count -= 1
            else:
                kept.append(attempt)
        self.attempts[:seen] = kept
