"""Attempts: when one runs, and the attempt itself (sign, post, write down what happened).

The dispatcher decides what follows an attempt (a retry, the next in the lane). :class:`Runner`
starts each attempt when it is due on the virtual clock, in a background task of its own;
:func:`make_attempt` waits for one of the endpoint's connections, signs the event (with a wrong
secret when chaos says so), posts it (or cuts the connection half-way), and returns the
:class:`Attempt` record with the chaos it carried, in words.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Callable, Coroutine
from dataclasses import replace
from datetime import timedelta
from typing import Any

from simulator.engine.clock import MANUAL, Clock, isoformat
from simulator.engine.scheduler import Scheduler
from simulator.engine.webhooks import delivery as http
from simulator.engine.webhooks.chaos import NONE
from simulator.engine.webhooks.delivery import Sender
from simulator.engine.webhooks.endpoints import Endpoint
from simulator.engine.webhooks.models import Attempt, Delivery, Event, WebhookProfile

log = logging.getLogger("kycsim.webhooks")

WRONG_SECRET_SUFFIX = "-kycsim-wrong-signature"  # chaos wrong_signature signs with secret + this


class Runner:
    """Runs each attempt in a background task, when it is due on the virtual clock."""

    def __init__(
        self,
        clock: Clock,
        scheduler: Scheduler,
        *,
        run: Callable[[Delivery], Coroutine[Any, Any, Attempt]],
        live: Callable[[Delivery], bool],
    ) -> None:
        self.clock = clock
        self.scheduler = scheduler
        self._run = run  # the attempt and what follows it
        self._live = live  # not reset, nor its endpoint deleted, since it was scheduled
        self._tasks: set[asyncio.Task[Attempt]] = set()

    def schedule(self, d: Delivery, delay: float) -> None:
        async def job() -> None:
            if not self._live(d):
                return
            task = self.spawn(d)
            if self.clock.speed == MANUAL:
                # A manual clock waits for the outcome, so a retry due within the same advance is
                # scheduled (and fired) at its exact virtual time. Other speeds never wait on a
                # receiver: a hanging one must not hold up everybody's scenarios.
                await asyncio.wait({task})

        number = len(d.attempts) + 1
        tenant = d.event.tenant
        d.due_at = (
            self.clock.now_iso(tenant) if delay <= 0 else isoformat(self.clock.now(tenant) + timedelta(seconds=delay))
        )
        if delay <= 0 and self.clock.speed != MANUAL and _loop_running():
            self.spawn(d)  # due now on a clock that runs by itself: no need to wait for the scheduler's turn
            return
        self.scheduler.schedule(delay, job, tenant=d.event.tenant, label=f"webhook {d.id} attempt {number}")

    def spawn(self, d: Delivery) -> asyncio.Task[Attempt]:
        # A context of its own: not the request's or the step's it was queued from.
        task = asyncio.get_running_loop().create_task(self._run(d), context=contextvars.Context())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def drain(self, timeout: float) -> None:
        """Wait for the attempts already under way."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)


class Senders:
    """Each endpoint's bounded set of keep-alive connections, made on its first attempt."""

    def __init__(self) -> None:
        self._by_endpoint: dict[str, Sender] = {}

    def get(self, endpoint: Endpoint) -> Sender:
        sender = self._by_endpoint.get(endpoint.id)
        if sender is None:
            sender = self._by_endpoint[endpoint.id] = Sender(endpoint.concurrency)
        return sender

    def close(self, endpoint_id: str) -> None:
        sender = self._by_endpoint.pop(endpoint_id, None)
        if sender is not None:
            sender.close()

    def close_all(self) -> None:
        for endpoint_id in list(self._by_endpoint):
            self.close(endpoint_id)


async def make_attempt(
    d: Delivery,
    *,
    sender: Sender,
    clock: Clock,
    profile: WebhookProfile | None,
    sign: Callable[[Event, Endpoint], dict[str, str]],
    replay: bool,
    echo: bool,
) -> tuple[Attempt, float]:
    """Make the next attempt at ``d``; returns it and when it started (the clock's seconds).

    ``replay`` carries no chaos; ``echo`` keeps an excerpt of the receiver's answer.
    """
    event, endpoint = d.event, d.endpoint
    # Waiting for one of the endpoint's connections is not part of the attempt: it starts (its
    # time, its timeout, the retry schedule counted from it) once it has one.
    async with sender.slot:
        number = len(d.attempts) + 1
        started_at = clock.seconds(event.tenant)
        at = clock.now_iso(event.tenant)
        wall_at = clock.wall_now()
        chaos = NONE if replay else d.chaos
        notes = list(d.notes)
        signer = endpoint
        if number <= chaos.wrong_signature:
            signer = replace(endpoint, secret=(endpoint.secret or "") + WRONG_SECRET_SUFFIX)
            notes.append(f"wrong_signature {number}/{chaos.wrong_signature}: signed with a wrong secret")
        try:
            headers = sign(event, signer)
        except Exception as exc:  # a provider signer that cannot sign is a failed attempt, not a crash
            log.exception("signing %s for %s failed", event.id, endpoint.id)
            headers, outcome = {}, http.Outcome(None, f"signing failed: {exc}", "", 0.0)
        else:
            timeout = profile.timeout if profile is not None else 10.0
            if number <= chaos.drop_connection:
                notes.append(f"drop_connection {number}/{chaos.drop_connection}")
                outcome = await http.post_and_drop(d.url, event.body, headers, timeout)
            else:
                outcome = await sender.post(d.url, event.body, headers, timeout)
    ok = outcome.ok
    error = outcome.error
    if number <= chaos.fail_first:
        ok = False
        notes.append(f"fail_first {number}/{chaos.fail_first}: counted as failed whatever the answer")
        error = error or f"counted as failed on purpose (chaos fail_first {number}/{chaos.fail_first})"
    record = Attempt(
        delivery_id=d.id,
        number=number,
        event_id=event.id,
        event_type=event.type,
        provider=event.provider,
        tenant=event.tenant,
        endpoint_id=endpoint.id,
        url=d.url,
        at=at,
        status_code=outcome.status_code,
        error=error,
        latency_ms=outcome.latency_ms,
        request_headers=headers,
        response_excerpt=outcome.excerpt if echo else "",
        replay=replay,
        ok=ok,
        chaos=notes,
        resource=event.resource,
        wall_at=wall_at,
    )
    return record, started_at


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
