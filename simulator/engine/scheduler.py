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
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from simulator.engine.clock import INSTANT, MAX_ELAPSED, Clock

log = logging.getLogger("kycsim.scheduler")

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
    def __init__(self, clock: Clock, after_job: Callable[[], None] | None = None) -> None:
        self.clock = clock
        self.after_job = after_job  # the store's commit: a job's changes are written together, after it
        self._jobs: list[Job] = []
        self._seq = itertools.count()
        self._wake = asyncio.Event()
        self._loop_task: asyncio.Task | None = None
        self._lock = asyncio.Lock()

    # Public API

    def schedule(self, delay: float, fn: JobFn, *, tenant: str | None, label: str = "") -> Job:
        """Run ``fn`` once ``tenant``'s clock has moved ``delay`` virtual seconds from now.

        A delay past the clock's range (or not finite) is due at the end of the range: the clock never gets there.
        """
        delay = min(max(delay, 0.0), MAX_ELAPSED) if math.isfinite(delay) else MAX_ELAPSED
        job = Job(self.clock.seconds(tenant) + delay, next(self._seq), tenant, fn, label)
        heapq.heappush(self._jobs, job)
        self._wake.set()
        return job

    def pending(self, tenant: str | None = None) -> list[Job]:
        return sorted(j for j in self._jobs if not j.cancelled and (tenant is None or j.tenant == tenant))

    def cancel_tenant(self, tenant: str | None) -> None:
        for job in self._jobs:
            if tenant is None or job.tenant == tenant:
                job.cancelled = True

    async def advance(self, seconds: float, tenant: str | None = None) -> int:
        """Move the clock forward step by step, firing every job that falls due on the way."""
        async with self._lock:
            fired = 0
            if tenant is None:
                target = self.clock.seconds(None) + seconds
                while (job := self._next_due(lambda j: self._due_base(j) <= target)) is not None:
                    self.clock.jump_to(self._due_base(job), None)
                    fired += await self._fire(job)
                self.clock.jump_to(target, None)
            else:
                target = self.clock.seconds(tenant) + seconds
                while (job := self._next_due(lambda j: j.tenant == tenant and j.due <= target)) is not None:
                    self.clock.jump_to(job.due, tenant)
                    fired += await self._fire(job)
                self.clock.jump_to(target, tenant)
            # Jobs of other tenants that fell due because the shared base moved.
            fired += await self.run_due()
            return fired

    async def run_due(self) -> int:
        """Fire every job already due on its tenant's clock (instant mode: every job)."""
        fired = 0
        while True:
            job = self._next_due(self._is_due)
            if job is None:
                return fired
            if self.clock.speed == INSTANT:
                self.clock.jump_to(job.due, job.tenant)
            fired += await self._fire(job)

    async def settle(self, limit: int = 10_000) -> None:
        """Instant mode: fire until nothing is left (tests use it to wait for a scenario)."""
        for _ in range(limit):
            if not await self.run_due():
                return

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
        return self.clock.speed == INSTANT or job.due <= self.clock.seconds(job.tenant) + 1e-9

    def _next_due(self, predicate: Callable[[Job], bool]) -> Job | None:
        self._jobs = [j for j in self._jobs if not j.cancelled]
        heapq.heapify(self._jobs)
        candidates = [j for j in self._jobs if predicate(j)]
        if not candidates:
            return None
        job = min(candidates, key=lambda j: (self._due_base(j), j.seq))
        self._jobs.remove(job)
        heapq.heapify(self._jobs)
        return job

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
        waits = [self.clock.wall_seconds_until(j.due, j.tenant) for j in self._jobs if not j.cancelled]
        waits = [w for w in waits if w is not None]
        return min(waits) if waits else None

    async def _run_forever(self) -> None:
        while True:
            self._wake.clear()
            async with self._lock:
                await self.run_due()
            delay = self._sleep_for()
            try:
                if delay is None:
                    await self._wake.wait()
                elif delay > 0:
                    await asyncio.wait_for(self._wake.wait(), timeout=min(delay, 3600))
            except TimeoutError:
                pass
