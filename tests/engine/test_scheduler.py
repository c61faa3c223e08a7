import asyncio
from datetime import UTC, datetime

from simulator.engine.clock import Clock
from simulator.engine.scheduler import Scheduler

START = datetime(2025, 1, 1, tzinfo=UTC)


def run(coro):
    return asyncio.run(coro)


def test_manual_advance_fires_due_jobs_in_order_at_their_time():
    async def scenario():
        clock = Clock(speed="manual", start=START)
        scheduler = Scheduler(clock)
        seen = []

        def job(name):
            async def fn():
                seen.append((name, clock.seconds("t")))

            return fn

        scheduler.schedule(30, job("b"), tenant="t")
        scheduler.schedule(10, job("a"), tenant="t")
        scheduler.schedule(90, job("c"), tenant="t")
        assert await scheduler.advance(60, "t") == 2
        assert seen == [("a", 10), ("b", 30)]
        assert clock.seconds("t") == 60
        await scheduler.advance(30, "t")
        assert seen[-1] == ("c", 90)

    run(scenario())


def test_advancing_one_tenant_leaves_others_waiting():
    async def scenario():
        clock = Clock(speed="manual", start=START)
        scheduler = Scheduler(clock)
        seen = []

        async def mark_a():
            seen.append("a")

        async def mark_b():
            seen.append("b")

        scheduler.schedule(10, mark_a, tenant="a")
        scheduler.schedule(10, mark_b, tenant="b")
        await scheduler.advance(20, "a")
        assert seen == ["a"]
        await scheduler.advance(20)  # the shared base moves everybody
        assert seen == ["a", "b"]

    run(scenario())


def test_instant_mode_fires_everything_in_order_and_jumps_the_clock():
    async def scenario():
        clock = Clock(speed="instant", start=START)
        scheduler = Scheduler(clock)
        seen = []

        async def first():
            seen.append(("first", clock.seconds("t")))
            scheduler.schedule(3600, second, tenant="t")

        async def second():
            seen.append(("second", clock.seconds("t")))

        scheduler.schedule(20, first, tenant="t")
        while await scheduler.run_due():
            pass
        assert seen == [("first", 20), ("second", 3620)]

    run(scenario())


def test_a_failing_job_does_not_stop_the_others():
    async def scenario():
        clock = Clock(speed="manual", start=START)
        scheduler = Scheduler(clock)
        seen = []

        async def broken():
            raise RuntimeError("boom")

        async def fine():
            seen.append("fine")

        scheduler.schedule(1, broken, tenant=None)
        scheduler.schedule(2, fine, tenant=None)
        await scheduler.advance(5)
        assert seen == ["fine"]

    run(scenario())


def test_cancelled_tenant_jobs_never_fire():
    async def scenario():
        scheduler = Scheduler(Clock(speed="manual", start=START))
        seen = []

        async def fn():
            seen.append(1)

        scheduler.schedule(1, fn, tenant="x")
        scheduler.cancel_tenant("x")
        await scheduler.advance(10, "x")
        assert seen == []

    run(scenario())


def test_a_delay_past_the_clocks_range_never_breaks_it():
    import math

    from simulator.engine.clock import MAX_ELAPSED

    async def scenario():
        clock = Clock(speed="manual", start=START)
        scheduler = Scheduler(clock)
        fired = []

        async def job() -> None:
            fired.append(clock.seconds("t"))

        for delay in (math.inf, math.nan, 1e300):
            scheduler.schedule(delay, job, tenant="t")
        await scheduler.advance(MAX_ELAPSED, "t")
        assert fired == [MAX_ELAPSED] * 3
        assert clock.now("t").year == 2124

    run(scenario())
