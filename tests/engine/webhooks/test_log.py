"""The delivery log's bound: over its size, the oldest tenth of its settled events go at a time."""

from __future__ import annotations

import pytest

from simulator.engine.webhooks.log import DeliveryLog
from simulator.engine.webhooks.models import Event


@pytest.mark.parametrize(("count", "size", "gone"), [(30, 20, 3), (35, 20, 3), (12, 10, 1)])
def test_a_full_delivery_log_lets_the_oldest_tenth_of_its_settled_events_go(count, size, gone):
    log = DeliveryLog(outbox=None)
    log.max_events = size
    events = [Event(f"evt_{n:02}", "t1", "hooks", "ping", b"{}", None, "2025-01-01T00:00:00Z") for n in range(count)]
    log.events = list(events)  # settled events (no delivery under way), over the size
    log.trim_if_full()
    assert [e.id for e in log.events] == [e.id for e in events[gone:]]  # a tenth (at least one): the oldest
