"""The delivery log's bound: over its size, the oldest tenth of its settled events go at a time."""

from __future__ import annotations

import pytest

from simulator.engine.webhooks.endpoints import Endpoint
from simulator.engine.webhooks.log import DeliveryLog
from simulator.engine.webhooks.models import Attempt, Delivery, Event


@pytest.mark.parametrize(("count", "size", "gone"), [(30, 20, 3), (35, 20, 3), (12, 10, 1)])
def test_a_full_delivery_log_lets_the_oldest_tenth_of_its_settled_events_go(count, size, gone):
    log = DeliveryLog(outbox=None)
    log.max_events = size
    events = [Event(f"evt_{n:02}", "t1", "hooks", "ping", b"{}", None, "2025-01-01T00:00:00Z") for n in range(count)]
    log.events = list(events)  # settled events (no delivery under way), over the size
    log.trim_if_full()
    assert [e.id for e in log.events] == [e.id for e in events[gone:]]  # a tenth (at least one): the oldest


def _event(n: int, tenant: str = "t1") -> Event:
    return Event(f"evt_{n:02}", tenant, "hooks", "ping", b"{}", None, "2025-01-01T00:00:00Z")


def _delivered(log: DeliveryLog, event: Event, *, state: str = "delivered", tries: int = 1) -> Delivery:
    d = Delivery(f"dlv_{event.id}_{len(log.deliveries)}", event, ENDPOINT, ENDPOINT.url, state=state)
    log.add_delivery(d)
    for number in range(1, tries + 1):
        _attempt(log, d, number)
    return d


def _attempt(log: DeliveryLog, d: Delivery, number: int) -> None:
    a = Attempt(
        d.id, number, d.event.id, "ping", "hooks", d.event.tenant, ENDPOINT.id, ENDPOINT.url, AT, 200, None, 1.0, {}, ""
    )
    d.attempts.append(a)
    log.attempts.append(a)


ENDPOINT = Endpoint("we_1", "hooks", "http://127.0.0.1:9/hooks")
AT = "2025-01-01T00:00:00Z"


def test_a_trim_takes_the_dropped_events_deliveries_and_attempts_with_them_and_keeps_the_rest_in_order():
    log = DeliveryLog(outbox=None)
    log.max_events = 10
    events = [_event(n) for n in range(12)]
    for event in events:
        log.add_event(event)
    busy = _delivered(log, events[0], state="pending", tries=1)  # waiting for its retry: stays
    deliveries = [_delivered(log, e) for e in events[1:]]
    _attempt(log, deliveries[0], 2)  # evt_01's second attempt finished after everyone else's first
    log.trim_if_full()  # 12 events over 10: a tenth (one) goes, the oldest settled one: evt_01
    assert [e.id for e in log.events] == [e.id for e in [events[0], *events[2:]]]
    assert list(log.deliveries) == [busy.id, *(d.id for d in deliveries[1:])]
    assert [(a.delivery_id, a.number) for a in log.attempts] == [
        (busy.id, 1),
        *((d.id, 1) for d in deliveries[1:]),
    ]


def test_an_event_still_under_way_in_any_of_its_deliveries_is_kept():
    log = DeliveryLog(outbox=None)
    log.max_events = 2
    events = [_event(n) for n in range(3)]
    for event in events:
        log.add_event(event)
    _delivered(log, events[0])
    _delivered(log, events[0], state="queued")  # a second endpoint's copy, still to go
    _delivered(log, events[1])
    log.trim_if_full()
    assert [e.id for e in log.events] == ["evt_00", "evt_02"]


def test_after_a_tenants_reset_and_a_merge_the_log_still_knows_each_events_deliveries():
    log = DeliveryLog(outbox=None)
    log.max_events = 2
    mine, theirs = [_event(n, "t1") for n in range(2)], [_event(n + 10, "t2") for n in range(2)]
    for event in [*mine, *theirs]:
        log.add_event(event)
        _delivered(log, event, state="pending")
    log.reset("t1")  # t2's events are left, all under way
    assert [e.id for e in log.events] == ["evt_10", "evt_11"]
    loaded = _event(20, "t2")
    earlier = Delivery("dlv_loaded", loaded, ENDPOINT, ENDPOINT.url, state="pending")
    log.merge([loaded], [earlier])  # what a previous process left, still to deliver
    log.trim_if_full()  # three events over two, none settled: nothing goes
    assert [e.id for e in log.events] == ["evt_20", "evt_10", "evt_11"]
    for d in log.deliveries.values():
        d.state = "delivered"
    log.trim_if_full()
    assert [e.id for e in log.events] == ["evt_10", "evt_11"]
    assert [d.event.id for d in log.deliveries.values()] == ["evt_10", "evt_11"]  # dlv_loaded went with evt_20


def test_a_trim_reads_the_attempts_only_until_it_has_found_all_of_the_dropped_deliveries():
    log = DeliveryLog(outbox=None)
    log.max_events = 3
    events = [_event(n) for n in range(4)]
    for event in events:
        log.add_event(event)
    first = _delivered(log, events[0], tries=2)
    rest = [_delivered(log, e) for e in events[1:]]
    log.trim_if_full()  # evt_00 goes with both its attempts; everything after them stays, in order
    assert [(a.delivery_id, a.number) for a in log.attempts] == [(d.id, 1) for d in rest]
    assert first.id not in log.deliveries
