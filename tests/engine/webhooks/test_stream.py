"""A follower's queue is bounded: one that stops reading loses its oldest frames, never the newest, and
never holds up the others (the control API's streams, tests/control/test_webhook_stream.py)."""

from __future__ import annotations

from simulator.engine.webhooks.stream import EventStream, Subscription


def test_a_follower_that_stops_reading_keeps_the_newest_thousand_frames():
    stream = EventStream()
    slow, other = stream.subscribe(Subscription()), stream.subscribe(Subscription(providers={"other"}))
    for number in range(1005):
        stream.broadcast("hooks", "t1", "ping", lambda sub, n=number: f"frame {n}")
    assert slow.queue.qsize() == 1000 and slow.dropped == 5
    assert slow.queue.get_nowait() == "frame 5"  # the five oldest went
    assert other.queue.empty() and other.dropped == 0  # another provider's follower: nothing for it


def test_a_follower_gets_only_the_event_types_it_asked_for():
    stream = EventStream()
    things = stream.subscribe(Subscription(events=["thing.*"]))
    stream.broadcast("hooks", "t1", "ping", lambda sub: "a ping")
    stream.broadcast("hooks", "t1", "thing.created", lambda sub: "a thing")
    assert [things.queue.get_nowait() for _ in range(things.queue.qsize())] == ["a thing"]
