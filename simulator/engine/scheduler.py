"""Jobs due at a virtual time, fired in (due, sequence) order.

The scheduler knows nothing of what a job does: it holds callables. In ``manual`` mode jobs
fire only inside :meth:`Scheduler.advance`; in ``instant`` mode the background loop fires
them as soon as they are scheduled, jumping the clock to each due time; with a speed
factor the loop sleeps in wall time until the next one is due.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from simulator.engine.clock import INSTANT, MAX_ELAPSED, Clock

log = logging.getLogger("kycsim.scheduler")
TURN_SECONDS = 0.002  # the background loop fires due jobs at least this long, then lets requests in
LONGEST_TURN = 0.02  # ... and at most this long while the backlog is small
BACKLOG = 1000  # beyond this many pending jobs a turn goes on until they are fewer: the API waits, memory stays bounded

JobFn = Callable[[], Awaitable[None]]


@dataclass(order=True)
class Job:
    due: float
    seq: int
    tenant: str | None = field(compare=False)
    fn: JobFn = field(compare=False, repr=False)
    label: str = field(compare=False, default="")
    cancelled: bool = field(compare=False, default=False)


class Scheduler:
    """One heap of jobs per tenant, ordered by (due on the tenant's clock, sequence).

    A tenant's offset moves all its jobs together, so each heap stays ordered; the next job
    overall is the earliest of the heads once each is put on the shared base clock (its due
    time minus the tenant's offset). Scheduling and firing cost O(log jobs + tenants), so a
    burst of thousands of steps and webhook attempts does not slow everything else down.
    """

    def __init__(self, clock: Clock, after_job: Callable[[], None] | None = None) -> None:
        self.clock = clock
        self.after_job = after_job  # the store's commit: a job's changes are written together, after it
        self._heaps: dict[str | None, list[Job]] = {}
        self._seq = itertools.count()
        self._wake = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    # Public API

    def schedule(self, delay: float, fn: JobFn, *, tenant: str | None, label: str = "") -> Job:
        """Run ``fn`` once ``tenant``'s clock has moved ``delay`` virtual seconds from now.

        A delay past the clock's range (or not finite) is due at the end of the range: the clock never gets there.
        """
        delay = min(max(delay, 0.0), MAX_ELAPSED) if math.isfinite(delay) else MAX_ELAPSED
        job = Job(self.clock.seconds(tenant) + delay, next(self._seq), tenant, fn, label)
        heapq.heappush(self._heaps.setdefault(tenant, []), job)
        self._wake.set()
        return job

    def pending(self, tenant: str | None = None) -> list[Job]:
        heaps = [self._heaps.get(tenant, [])] if tenant is not None else list(self._heaps.values())
        return sorted(j for heap in heaps for j in heap if not j.cancelled)

    def cancel_tenant(self, tenant: str | None) -> None:
        for key in [k for k in self._heaps if tenant is None or k == tenant]:
            for job in self._heaps.pop(key):
                job.cancelled = True

    async def advance(self, seconds: float, tenant: str | None = None) -> int:
        """Move the clock forward step by step, firing every job that falls due on the way."""
        async with self._lock:
            fired = 0
            if tenant is None:
                target = self.clock.seconds(None) + seconds
                while (job := self._pop_next(lambda j, base_due: base_due <= target)) is not None:
                    self.clock.jump_to(self._due_base(job), None)
                    fired += await self._fire(job)
                self.clock.jump_to(target, None)
            else:
                target = self.clock.seconds(tenant) + seconds
                while (job := self._pop_head(tenant, target)) is not None:
                    self.clock.jump_to(job.due, tenant)
                    fired += await self._fire(job)
                self.clock.jump_to(target, tenant)
            # Jobs of other tenants that fell due because the shared base moved.
            fired += await self.run_due()
            return fired

    async def run_due(self) -> int:
        """Fire every job already due on its tenant's clock (instant mode: every job)."""
        fired = 0
        while await self._fire_next_due():
            fired += 1
        return fired

    def start(self) -> None:
        if self._loop_task is None:
            self._loop_task = asyncio.get_running_loop().create_task(self._run_forever(), name="kycsim-scheduler")

    async def stop(self) -> None:
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
            self._loop_task = None

    # Private functions

    def _due_base(self, job: Job) -> float:
        # A tenant's job is due on the shared base clock when the base reaches due - offset.
        return job.due - (self.clock.seconds(job.tenant) - self.clock.seconds(None))

    def _is_due(self, job: Job) -> bool:
        return job.due <= self.clock.seconds(job.tenant) + 1e-9

    def _pending_count(self) -> int:
        return sum(len(heap) for heap in self._heaps.values())

    def _head(self, tenant: str | None) -> Job | None:
        """The tenant's next job, dropping cancelled ones on the way (and the heap once empty)."""
        heap = self._heaps.get(tenant)
        while heap and heap[0].cancelled:
            heapq.heappop(heap)
        if not heap:
            self._heaps.pop(tenant, None)
            return None
        return heap[0]

    def _pop_head(self, tenant: str | None, until: float) -> Job | None:
        head = self._head(tenant)
        if head is None or head.due > until:
            return None
        return heapq.heappop(self._heaps[tenant])

    def _earliest(self) -> tuple[Job, float] | None:
        """The next job overall, by (due time on the base clock, sequence), with that due time."""
        best: tuple[float, int, Job] | None = None
        for tenant in list(self._heaps):
            head = self._head(tenant)
            if head is not None:
                candidate = (self._due_base(head), head.seq, head)
                if best is None or candidate[:2] < best[:2]:
                    best = candidate
        return (best[2], best[0]) if best is not None else None

    def _pop_next(self, wanted: Callable[[Job, float], bool]) -> Job | None:
        earliest = self._earliest()
        if earliest is None or not wanted(*earliest):
            return None
        job = earliest[0]
        return heapq.heappop(self._heaps[job.tenant])

    async def _fire_next_due(self) -> bool:
        instant = self.clock.speed == INSTANT
        job = self._pop_next(lambda j, base_due: instant or self._is_due(j))
        if job is None:
            return False
        if instant:
            self.clock.jump_to(job.due, job.tenant)
        await self._fire(job)
        return True

    async def _fire(self, job: Job) -> int:
        try:
            await job.fn()
        except Exception:  # a broken job must not stop the clock for everybody else
            log.exception("scheduled job %s failed", job.label or job.fn)
        if self.after_job is not None:
            try:
                self.after_job()
            except Exception:
                log.exception("saving the changes of job %s failed", job.label or job.fn)
        return 1

    def _sleep_for(self) -> float | None:
        waits = [
            self.clock.wall_seconds_until(head.due, tenant)
            for tenant in list(self._heaps)
            if (head := self._head(tenant)) is not None
        ]
        known = [w for w in waits if w is not None]
        return min(known) if known else None

    async def _run_forever(self) -> None:
        turn_ended = time.perf_counter()
        while True:
            self._wake.clear()
            async with self._lock:
                fired = 0
                started = time.perf_counter()
                # Jobs get at least as long as the rest of the loop got since the last turn (a fair half
                # under load), and all the time they need while too many are waiting: under more load
                # than the machine can take, requests slow down instead of the backlog (and memory) growing.
                turn_ends = started + min(max(TURN_SECONDS, started - turn_ended), LONGEST_TURN)
                while await self._fire_next_due():
                    fired += 1
                    if time.perf_counter() > turn_ends and self._pending_count() < BACKLOG:
                        break
                turn_ended = time.perf_counter()
            if fired:
                # Requests get their turn between short bursts of jobs: thousands of due jobs must
                # not hold up the API (or a clock advance) until the last one has fired.
                await asyncio.sleep(0)
                continue
            delay = self._sleep_for()
            try:
                if delay is None:
                    await self._wake.wait()
                elif delay > 0:
                    await asyncio.wait_for(self._wake.wait(), timeout=min(delay, 3600))
            except TimeoutError:
                pass
