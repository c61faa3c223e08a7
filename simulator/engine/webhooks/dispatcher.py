"""The webhook outbox.

Providers publish events as raw bytes (they own the envelope); the dispatcher fans each event
out to the matching endpoints, signs it with the provider's :class:`WebhookProfile`, posts it
in the background (never inside the API request), logs every attempt and schedules retries on
the virtual clock following the provider's schedule.

Guarantees, by default:
- at least once: a failed attempt is retried on the provider's schedule until one succeeds or
  the schedule runs out; nothing is dropped while an endpoint is down, slow or failing;
- in order per resource: a later event for the same resource (and endpoint) waits until the
  earlier one is delivered or given up;
- on the virtual clock: retry times are counted from the moment an attempt started, and at a
  ``manual`` clock the scheduler waits for each attempt's outcome before moving on, so one
  ``/_sim/clock/advance`` shows each retry exactly when it is due;
- bounded: at most ``endpoint.concurrency`` attempts are in flight to one endpoint, each on a
  keep-alive connection of the endpoint's own (``delivery.Sender``); the others wait for a free
  one, and an attempt starts only when it has it, so a burst of events queues instead of
  failing, and the API keeps answering while thousands of deliveries wait.

Chaos switches (``chaos.py``) break these on purpose; each attempt says which ones it carried.
"""

from __future__ import annotations

import asyncio
import contextvars
import itertools
import logging
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import timedelta
from typing import Any

from simulator.engine.clock import MANUAL, Clock, isoformat
from simulator.engine.retention import WEBHOOK_LOG_SIZE
from simulator.engine.scenarios.model import CURRENT_SCENARIO, REQUEST_STATE
from simulator.engine.scheduler import Scheduler
from simulator.engine.store import Store
from simulator.engine.webhooks import delivery as http
from simulator.engine.webhooks.chaos import NONE, Chaos, combine, normalize
from simulator.engine.webhooks.delivery import Sender
from simulator.engine.webhooks.endpoints import CONCURRENCY, Endpoint
from simulator.engine.webhooks.models import Attempt, Delivery, Event, WebhookProfile
from simulator.engine.webhooks.outbox import Outbox, moment
from simulator.engine.webhooks.stream import EventStream, Subscription, frame

# Providers import the profile protocol and Endpoint from here.
__all__ = ["Attempt", "Delivery", "Dispatcher", "Endpoint", "Event", "WebhookProfile"]

log = logging.getLogger("kycsim.webhooks")

WRONG_SECRET_SUFFIX = "-kycsim-wrong-signature"  # chaos wrong_signature signs with secret + this


class Dispatcher:
    def __init__(
        self,
        *,
        clock: Clock,
        scheduler: Scheduler,
        profiles: dict[str, WebhookProfile],
        new_id: Callable[[str], str],
        user_agent: str = "kycsim",
        scenario_lookup: Callable[[str], Any] | None = None,
        store: Store | None = None,
    ) -> None:
        self.clock = clock
        self.scheduler = scheduler
        self.profiles = profiles
        self.new_id = new_id
        self.user_agent = user_agent
        self.scenario_lookup = scenario_lookup
        # Kept in the store only where it outlives the process: in memory, the dispatcher's own
        # lists are the delivery log, and a copy would only double what each delivery costs.
        self.outbox = Outbox(store) if store is not None and store.durable else None
        self.max_events = WEBHOOK_LOG_SIZE  # the delivery log's size; the oldest settled events go first
        self._trim_credit = 0
        self.endpoints: dict[str, Endpoint] = {}
        self.events: list[Event] = []
        self.deliveries: dict[str, Delivery] = {}
        self.stream = EventStream()
        self.on_attempt: list[Callable[[Attempt], None]] = []  # console log, event streams
        self._lanes: dict[tuple[str, str, str], deque[Delivery]] = {}
        self._held: dict[tuple[str, str, str], list[Delivery]] = {}
        self._log: list[Attempt] = []
        self._tasks: set[asyncio.Task] = set()
        self._senders: dict[str, Sender] = {}  # endpoint id -> its bounded set of connections
        self._endpoint_ids = itertools.count(1)

    # Endpoints

    def add_endpoint(
        self,
        provider: str,
        url: str,
        *,
        secret: str | None = None,
        tenant: str | None = None,
        events: list[str] | None = None,
        options: dict[str, Any] | None = None,
        source: str = "api",
        chaos: Mapping[str, Any] | None = None,
        ordered: bool = True,
        concurrency: int = CONCURRENCY,
    ) -> Endpoint:
        endpoint = Endpoint(
            f"we_{next(self._endpoint_ids)}",
            provider,
            url,
            secret,
            tenant,
            events or None,
            dict(options or {}),
            source,
            normalize(chaos),
            ordered,
            concurrency,
        )
        self.endpoints[endpoint.id] = endpoint
        return endpoint

    def update_endpoint(self, endpoint_id: str, **changes: Any) -> Endpoint | None:
        endpoint = self.endpoints.get(endpoint_id)
        if endpoint is None:
            return None
        if "chaos" in changes:
            changes["chaos"] = normalize(changes["chaos"])
        for name, value in changes.items():
            setattr(endpoint, name, value)
        if "concurrency" in changes:  # attempts from now on use a sender of the new size
            self._close_sender(endpoint_id)
        if "url" in changes:  # deliveries still to come follow the endpoint (a fixed typo, a new tunnel)
            for d in self.deliveries.values():
                if d.endpoint is endpoint and not d.replay and d.state in ("held", "queued", "pending"):
                    d.url = endpoint.url
                    self._persist(d)
        return endpoint

    def remove_endpoint(self, endpoint_id: str) -> Endpoint | None:
        """Forget an endpoint; its deliveries not yet done are cancelled (replays still work)."""
        endpoint = self.endpoints.pop(endpoint_id, None)
        if endpoint is not None:
            for d in self.deliveries.values():
                if d.endpoint is endpoint and d.state in ("held", "queued", "pending"):
                    d.state, d.due_at = "cancelled", None
                    self._persist(d)
            self._lanes = {k: v for k, v in self._lanes.items() if k[0] != endpoint_id}
            self._held = {k: v for k, v in self._held.items() if k[0] != endpoint_id}
            self._close_sender(endpoint_id)
        return endpoint

    # Publishing

    def publish(
        self,
        tenant: str,
        provider: str,
        event_type: str,
        body: bytes,
        *,
        event_id: str,
        resource: str | None = None,
        scenario: Any = None,
        chaos: Mapping[str, Any] | None = None,
    ) -> Event:
        """Queue ``body`` for every endpoint that wants it; returns at once.

        ``scenario`` (a :class:`Scenario` or its name; by default the scenario whose step is
        running, or the one the request handler put on ``request.state.scenario``) applies the
        chaos its file declares under ``webhooks.chaos``; ``chaos`` adds switches for this one
        event. An endpoint's own switches win over both.
        """
        if scenario is None:  # published by a scenario step, or by a handler that selected one
            scenario = CURRENT_SCENARIO.get() or (REQUEST_STATE.get() or {}).get("scenario")
        scenario_name, scenario_chaos = self._scenario_chaos(scenario)
        at = isoformat(self.clock.now(tenant))
        event = Event(event_id, tenant, provider, event_type, body, resource, at, scenario_name, self.clock.wall_now())
        self.events.append(event)
        if self.outbox is not None:
            self.outbox.save_event(event)
        self._stream_event(event)
        for endpoint in list(self.endpoints.values()):
            if endpoint.provider == provider and endpoint.wants(tenant, event_type):
                self._fan_out(event, endpoint, combine(scenario_chaos, normalize(chaos), endpoint.chaos))
        self._trim_if_full()  # once its deliveries exist: they keep it while under way
        return event

    async def replay(self, delivery_id: str, url: str | None = None) -> Attempt | None:
        """Send a delivery's event once more, to its URL or ``url``; no retries, no chaos."""
        original = self.deliveries.get(delivery_id)
        if original is None:
            return None
        return await self._replay_once(original.event, original.endpoint, url or original.url, original.id)

    async def replay_event(self, event_id: str, url: str | None = None) -> list[Attempt] | None:
        """Send an event again to every endpoint it went to, or only to ``url``."""
        event = self.event(event_id)
        if event is None:
            return None
        sent_to = {d.endpoint.id: d for d in self.deliveries.values() if d.event is event and not d.replay}
        if url is not None:
            endpoint = next(iter(sent_to.values())).endpoint if sent_to else self._stand_in(event, url)
            return [await self._replay_once(event, endpoint, url, None)]
        return [await self._replay_once(event, d.endpoint, d.url, d.id) for d in sent_to.values()]

    def event(self, event_id: str) -> Event | None:
        return next((e for e in reversed(self.events) if e.id == event_id), None)

    def events_after(self, event_id: str) -> list[Event]:
        """Events published after ``event_id`` (a reconnecting stream follower's ``Last-Event-ID``)."""
        for index in range(len(self.events) - 1, -1, -1):
            if self.events[index].id == event_id:
                return self.events[index + 1 :]
        return []

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait for the attempts already under way (control calls use it to return settled state)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    def attempts(self, tenant: str | None = None) -> list[Attempt]:
        """Every attempt in the order they finished (so, in virtual time)."""
        return [a for a in self._log if tenant is None or a.tenant == tenant]

    def reset(self, tenant: str | None = None) -> None:
        """Forget events, deliveries and endpoints added through the API (all, or one tenant's).

        Endpoints from settings and the config file stay: they are the configuration.
        """

        def kept(e: Event) -> bool:
            return tenant is not None and e.tenant != tenant

        for endpoint in list(self.endpoints.values()):
            if endpoint.source == "api" and (tenant is None or endpoint.tenant == tenant):
                del self.endpoints[endpoint.id]
        if tenant is None:  # numbered on from the configured endpoints, as after a fresh start
            numbers = [int(e.removeprefix("we_")) for e in self.endpoints if e.removeprefix("we_").isdigit()]
            self._endpoint_ids = itertools.count(max(numbers, default=0) + 1)

        self.events = [e for e in self.events if kept(e)]
        self.deliveries = {k: d for k, d in self.deliveries.items() if kept(d.event)}
        self._log = [a for a in self._log if tenant is not None and a.tenant != tenant]
        self._lanes = {k: v for k, v in self._lanes.items() if tenant is not None and k[1] != tenant}
        self._held = {k: v for k, v in self._held.items() if tenant is not None and k[1] != tenant}

    async def close(self) -> None:
        self.stream.close()
        await self.drain(5)
        for endpoint_id in list(self._senders):
            self._close_sender(endpoint_id)

    def resume(self, providers: list[str]) -> int:
        """Reload the outbox a previous process left in the store; returns how many deliveries carry on."""
        if self.outbox is None:
            return 0
        events, deliveries = self.outbox.load(providers, self.endpoints)
        known = {e.id for e in self.events}
        self.events = [e for e in events if e.id not in known] + self.events
        for d in deliveries:
            self.deliveries.setdefault(d.id, d)
        self._log = sorted(
            [a for d in deliveries for a in d.attempts] + self._log, key=lambda a: (moment(a.at), a.number)
        )
        resumed = 0
        for d in deliveries:
            if d.replay or d.state not in ("held", "queued", "pending"):
                continue
            queue = self._lanes.setdefault(d.lane, deque())
            queue.append(d)
            if len(queue) > 1:
                d.state = "queued"
                self._persist(d)
                continue
            delay = 0.0
            if d.due_at:
                delay = max((moment(d.due_at) - self.clock.now(d.event.tenant)).total_seconds(), 0.0)
            d.state = "pending"
            self._schedule_attempt(d, delay)
            self._persist(d)
            resumed += 1
        return resumed

    # Event stream

    def subscribe(self, subscription: Subscription) -> Subscription:
        return self.stream.subscribe(subscription)

    def stream_payload(self, event: Event, subscription: Subscription) -> dict[str, Any]:
        """What a follower gets: the event, its body and headers signed with the follower's secret."""
        known = self._configured_for(event)
        secret = subscription.secret if subscription.secret is not None else (known.secret if known else None)
        options = subscription.options or (known.options if known else {})
        listener = Endpoint("listen", event.provider, "", secret, event.tenant, None, dict(options), source="listen")
        return {**event.as_json(), "headers": self._headers(event, listener)}

    # Private functions

    def _trim_if_full(self) -> None:
        # A trim walks the whole log, so it runs at most once per tenth of the log's worth of new events or
        # settled deliveries, even when nothing can go (a receiver down, everything waiting for retries).
        self._trim_credit -= 1
        if len(self.events) > self.max_events and self._trim_credit <= 0:
            self._trim()
            self._trim_credit = max(len(self.events) // 10, 1)

    def _trim(self) -> None:
        """Forget the oldest tenth of the events whose deliveries are all settled (here and in the outbox)."""
        busy = {id(d.event) for d in self.deliveries.values() if d.state in ("held", "queued", "pending")}
        budget = max(len(self.events) // 10, 1)
        dropped: set[int] = set()
        for event in self.events:
            if len(dropped) >= budget:
                break
            if id(event) not in busy:
                dropped.add(id(event))
        if self.outbox is not None:
            self.outbox.forget([e for e in self.events if id(e) in dropped],
                               [d for d in self.deliveries.values() if id(d.event) in dropped])  # fmt: skip
        self.events = [e for e in self.events if id(e) not in dropped]
        self.deliveries = {k: d for k, d in self.deliveries.items() if id(d.event) not in dropped}
        live = set(self.deliveries)
        self._log = [a for a in self._log if a.delivery_id in live]

    def _persist(self, d: Delivery) -> None:
        if self.outbox is not None and self.deliveries.get(d.id) is d:  # not after a reset
            self.outbox.save_delivery(d)

    def _scenario_chaos(self, scenario: Any) -> tuple[str | None, dict[str, Any]]:
        if scenario is None:
            return None, {}
        if isinstance(scenario, str):
            name, found = scenario, self.scenario_lookup(scenario) if self.scenario_lookup else None
        else:
            name, found = getattr(scenario, "name", None), scenario
        declared = (getattr(found, "webhooks", None) or {}).get("chaos") if found is not None else None
        return name, normalize(declared)

    def _fan_out(self, event: Event, endpoint: Endpoint, chaos: Chaos) -> None:
        first = Delivery(self.new_id("dlv"), event, endpoint, endpoint.url, chaos=chaos)
        group = [first]
        for copy in range(1, chaos.duplicate + 1):
            note = f"duplicate {copy} of {first.id}"
            group.append(
                Delivery(
                    self.new_id("dlv"), event, endpoint, endpoint.url, chaos=chaos, notes=[note], duplicate_of=first.id
                )
            )
        for d in group:
            self.deliveries[d.id] = d
        lane = first.overtake_key
        held = self._held.pop(lane, None)
        if held is not None:  # this event overtakes the one held back for it
            for d in held:
                d.notes.append(f"out_of_order: held back, sent after {event.id}")
            self._enqueue_all(group + held)
            return
        if chaos.out_of_order:
            self._hold(lane, group, chaos.out_of_order)
            return
        self._enqueue_all(group)

    def _hold(self, lane: tuple[str, str, str], group: list[Delivery], seconds: float) -> None:
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
            queue = self._lanes.setdefault(d.lane, deque())
            queue.append(d)
            if len(queue) == 1:
                self._begin(d)
            else:
                d.state = "queued"
                self._persist(d)

    def _begin(self, d: Delivery) -> None:
        d.state = "pending"
        if d.chaos.delay:
            d.notes.append(f"delay: first attempt {d.chaos.delay:g}s late")
        self._schedule_attempt(d, d.chaos.delay)
        self._persist(d)

    def _finish(self, d: Delivery, state: str) -> None:
        d.state, d.due_at = state, None
        self._persist(d)
        self._trim_if_full()  # events kept while under way may go now
        queue = self._lanes.get(d.lane)
        if queue and queue[0] is d:
            queue.popleft()
            if queue:
                self._begin(queue[0])
            else:
                del self._lanes[d.lane]

    def _schedule_attempt(self, d: Delivery, delay: float) -> None:
        async def job() -> None:
            if self.deliveries.get(d.id) is not d or d.state == "cancelled":
                return  # reset or its endpoint deleted since
            task = self._spawn(d)
            if self.clock.speed == MANUAL:
                # A manual clock waits for the outcome, so a retry due within the same advance is
                # scheduled (and fired) at its exact virtual time. Other speeds never wait on a
                # receiver: a hanging one must not hold up everybody's scenarios.
                await asyncio.wait({task})

        number = len(d.attempts) + 1
        d.due_at = isoformat(self.clock.now(d.event.tenant) + timedelta(seconds=max(delay, 0.0)))
        if delay <= 0 and self.clock.speed != MANUAL and _loop_running():
            self._spawn(d)  # due now on a clock that runs by itself: no need to wait for the scheduler's turn
            return
        self.scheduler.schedule(delay, job, tenant=d.event.tenant, label=f"webhook {d.id} attempt {number}")

    def _spawn(self, d: Delivery) -> asyncio.Task:
        # A context of its own: not the request's or the step's it was queued from.
        task = asyncio.get_running_loop().create_task(self._attempt(d), context=contextvars.Context())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _sender(self, endpoint: Endpoint) -> Sender:
        sender = self._senders.get(endpoint.id)
        if sender is None:
            sender = self._senders[endpoint.id] = Sender(endpoint.concurrency)
        return sender

    def _close_sender(self, endpoint_id: str) -> None:
        sender = self._senders.pop(endpoint_id, None)
        if sender is not None:
            sender.close()

    def _headers(self, event: Event, endpoint: Endpoint) -> dict[str, str]:
        profile = self.profiles.get(event.provider)
        signed = profile.sign(event.body, endpoint) if profile is not None else {}
        return {"Content-Type": "application/json", "User-Agent": self.user_agent, **signed}

    def _stream_event(self, event: Event) -> None:
        if not self.stream.subscriptions:
            return
        self.stream.broadcast(
            event.provider,
            event.tenant,
            event.type,
            lambda sub: frame("webhook", self.stream_payload(event, sub), event.id),
        )

    def _configured_for(self, event: Event) -> Endpoint | None:
        """The first endpoint that wants ``event``: whose secret signs it for a listener or a stand-in replay."""
        return next(
            (e for e in self.endpoints.values() if e.provider == event.provider and e.wants(event.tenant, event.type)),
            None,
        )

    def _stand_in(self, event: Event, url: str) -> Endpoint:
        """An endpoint to sign a replay of an event that went nowhere."""
        known = self._configured_for(event)
        if known is not None:
            return known
        return Endpoint("replay", event.provider, url, None, event.tenant, source="replay")

    async def _replay_once(self, event: Event, endpoint: Endpoint, url: str, replay_of: str | None) -> Attempt:
        d = Delivery(self.new_id("dlv"), event, endpoint, url, replay=True, replay_of=replay_of)
        self.deliveries[d.id] = d
        # Sent elsewhere than a configured endpoint: report the status only, so that replay never
        # reads another server's answers back to whoever asked (kycsim must not be a proxy).
        own_endpoint = endpoint.source != "replay" and url == endpoint.url
        return await self._attempt(d, replay=True, echo=own_endpoint)

    async def _attempt(self, d: Delivery, *, replay: bool = False, echo: bool = True) -> Attempt:
        event, endpoint = d.event, d.endpoint
        profile = self.profiles.get(event.provider)
        sender = self._sender(endpoint)
        if self.outbox is not None:
            await self.outbox.store.committed()  # an event goes out only once it is on disk
        # Waiting for one of the endpoint's connections is not part of the attempt: it starts (its
        # time, its timeout, the retry schedule counted from it) once it has one.
        async with sender.slot:
            number = len(d.attempts) + 1
            started_at = self.clock.seconds(event.tenant)
            at = isoformat(self.clock.now(event.tenant))
            wall_at = self.clock.wall_now()
            chaos = NONE if replay else d.chaos
            notes = list(d.notes)
            signer = endpoint
            if number <= chaos.wrong_signature:
                signer = replace(endpoint, secret=(endpoint.secret or "") + WRONG_SECRET_SUFFIX)
                notes.append(f"wrong_signature {number}/{chaos.wrong_signature}: signed with a wrong secret")
            try:
                headers = self._headers(event, signer)
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
        attempt = Attempt(
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
        d.attempts.append(attempt)
        self._log.append(attempt)
        d.due_at = None
        if replay:
            d.state = "delivered" if ok else "failed"
        elif self.deliveries.get(d.id) is d and d.state != "cancelled":  # not reset or deleted meanwhile
            self._after(d, attempt, started_at, profile)
        self._persist(d)
        if self.outbox is not None:
            self.outbox.store.commit_soon()  # durable at once (with other outcomes): a restart won't resend it
        for listener in self.on_attempt:
            listener(attempt)
        self._stream_attempt(attempt)
        return attempt

    def _after(self, d: Delivery, attempt: Attempt, started_at: float, profile: WebhookProfile | None) -> None:
        if attempt.ok:
            self._finish(d, "delivered")
            return
        schedule = profile.retry_schedule if profile is not None else ()
        retries_done = attempt.number - 1
        if retries_done >= len(schedule):
            self._finish(d, "failed")
            return
        due = started_at + schedule[retries_done]  # counted from when this attempt started
        attempt.next_retry_at = isoformat(self.clock.start + timedelta(seconds=due))
        self._schedule_attempt(d, due - self.clock.seconds(d.event.tenant))

    def _stream_attempt(self, attempt: Attempt) -> None:
        if self.stream.subscriptions:
            data = attempt.as_json()
            self.stream.broadcast(
                attempt.provider, attempt.tenant, attempt.event_type, lambda sub: frame("attempt", data), attempt=True
            )


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
