"""The outbox on the store: events and deliveries survive a restart (``--store sqlite:///...``).

Each event and each delivery (with its attempts, its endpoint as it was, its chaos and when
its next attempt is due) is one document of the event's tenant and provider. After a restart
the dispatcher reloads them, so the delivery log is still there and every delivery that was
not done yet carries on where it stopped. With the memory store there is no outbox: nothing
would read it back.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from simulator.engine.store import Store, iter_all
from simulator.engine.webhooks.chaos import Chaos
from simulator.engine.webhooks.endpoints import Endpoint
from simulator.engine.webhooks.models import Attempt, Delivery, Event

EVENTS = "_webhook_events"
DELIVERIES = "_webhook_deliveries"


def moment(text: str) -> datetime:
    """An ISO timestamp (``Z`` reads as UTC since Python 3.11) as a datetime, for sorting (strings with
    and without microseconds do not sort)."""
    return datetime.fromisoformat(text)


def happened(wall_at: str | None, at: str) -> tuple[datetime, datetime]:
    """The order in which a record was made: real time first, since each tenant's virtual clock runs
    on its own (one a day ahead would sort after everybody else's later records); then virtual time."""
    return (moment(wall_at) if wall_at else _BEFORE_ALL, moment(at))


_BEFORE_ALL = datetime.min.replace(tzinfo=UTC)  # a record from before real times were kept


class Outbox:
    def __init__(self, store: Store) -> None:
        self.store = store

    def save_event(self, event: Event) -> None:
        self.store.put(event.tenant, event.provider, EVENTS, event.id, event.as_json())

    def save_delivery(self, d: Delivery) -> None:
        doc = {
            "id": d.id,
            "event_id": d.event.id,
            "endpoint": d.endpoint.as_record(),
            "url": d.url,
            "state": d.state,
            "chaos": d.chaos.as_json(),
            "notes": list(d.notes),
            "replay": d.replay,
            "replay_of": d.replay_of,
            "duplicate_of": d.duplicate_of,
            "due_at": d.due_at,
            "attempts": [a.as_json() for a in d.attempts],
        }
        self.store.put(d.event.tenant, d.event.provider, DELIVERIES, d.id, doc)

    def forget(self, events: Iterable[Event], deliveries: Iterable[Delivery]) -> None:
        """Events and deliveries the delivery log let go of (retention)."""
        for event in events:
            self.store.delete(event.tenant, event.provider, EVENTS, event.id)
        for d in deliveries:
            self.store.delete(d.event.tenant, d.event.provider, DELIVERIES, d.id)

    def load(self, providers: Iterable[str], endpoints: dict[str, Endpoint]) -> tuple[list[Event], list[Delivery]]:
        """Events oldest first, and deliveries in the order they were created."""
        events: dict[tuple[str, str], Event] = {}
        deliveries: list[Delivery] = []
        for provider in providers:
            for tenant, doc in iter_all(self.store, provider, EVENTS):
                body = doc["body"].encode()
                fields: dict[str, Any] = {
                    k: doc.get(k) for k in ("id", "tenant", "provider", "type", "resource", "created_at")
                }
                events[(tenant, doc["id"])] = Event(
                    **fields, body=body, scenario=doc.get("scenario"), wall_at=doc.get("wall_at")
                )
            for tenant, doc in iter_all(self.store, provider, DELIVERIES):
                event = events.get((tenant, doc["event_id"]))
                if event is None:
                    continue
                d = Delivery(
                    doc["id"],
                    event,
                    _endpoint(doc["endpoint"], endpoints),
                    doc["url"],
                    state=doc["state"],
                    attempts=[Attempt(**a) for a in doc["attempts"]],
                    chaos=Chaos(**doc["chaos"]),
                    notes=list(doc["notes"]),
                    replay=doc["replay"],
                    replay_of=doc["replay_of"],
                    duplicate_of=doc["duplicate_of"],
                    due_at=doc.get("due_at"),
                )
                deliveries.append(d)
        ordered = sorted(events.values(), key=lambda e: happened(e.wall_at, e.created_at))
        return ordered, deliveries


def _endpoint(doc: dict[str, Any], endpoints: dict[str, Endpoint]) -> Endpoint:
    """The live endpoint when it is still configured the same way, else the one the delivery had."""
    live = endpoints.get(doc["id"])
    if live is not None and live.url == doc["url"] and live.provider == doc["provider"]:
        return live
    return Endpoint(**doc)
