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

This module keeps the endpoints, publishes events, fans them out and decides what follows each
attempt (a retry, the next in the lane). The rest lives beside it: ``log.py`` the delivery log
and its bound, ``lanes.py`` the order per resource, ``attempts.py`` when an attempt runs and the
attempt itself, ``replay.py`` where a replay goes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from simulator.engine.clock import Clock, isoformat
from simulator.engine.masking import mask, masked_attempt
from simulator.engine.scenarios.model import CURRENT_SCENARIO, REQUEST_STATE
from simulator.engine.scheduler import Scheduler
from simulator.engine.store import Store
from simulator.engine.webhooks.attempts import Runner, Senders, make_attempt
from simulator.engine.webhooks.chaos import Chaos, combine, normalize
from simulator.engine.webhooks.endpoints import CONCURRENCY, Endpoint, Endpoints
from simulator.engine.webhooks.lanes import Lanes
from simulator.engine.webhooks.log import UNDER_WAY, DeliveryLog
from simulator.engine.webhooks.models import Attempt, Delivery, Event, WebhookProfile
from simulator.engine.webhooks.outbox import Outbox, moment
from simulator.engine.webhooks.replay import Target, replay_delivery, replay_targets
from simulator.engine.webhooks.stream import EventStream, Subscription, frame

# Providers import the profile protocol and Endpoint from here.
__all__ = ["Attempt", "Delivery", "Dispatcher", "Endpoint", "Event", "WebhookProfile"]


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
        self.log = DeliveryLog(self.outbox)
        self.endpoints = Endpoints()
        self.stream = EventStream()
        self.on_attempt: list[Callable[[Attempt], None]] = []  # console log, event streams
        self._lanes = Lanes(scheduler, begin=self._begin, persist=self.log.persist)
        self._runner = Runner(clock, scheduler, run=self._attempt, live=self._live)
        self._senders = Senders()

    # The delivery log, read by the control API, the dashboard and the CLI

    @property
    def events(self) -> list[Event]:
        return self.log.events

    @property
    def deliveries(self) -> dict[str, Delivery]:
        return self.log.deliveries

    @property
    def max_events(self) -> int:
        return self.log.max_events

    @max_events.setter
    def max_events(self, size: int) -> None:
        self.log.max_events = size

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
            self.endpoints.new_id(),
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
        self.endpoints.changed()
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
            self._senders.close(endpoint_id)
        if "url" in changes:  # deliveries still to come follow the endpoint (a fixed typo, a new tunnel)
            for d in self.deliveries.values():
                if d.endpoint is endpoint and not d.replay and d.state in UNDER_WAY:
                    d.url = endpoint.url
                    self.log.persist(d)
        self.endpoints.changed()
        return endpoint

    def remove_endpoint(self, endpoint_id: str) -> Endpoint | None:
        """Forget an endpoint; its deliveries not yet done are cancelled (replays still work)."""
        endpoint = self.endpoints.pop(endpoint_id, None)
        if endpoint is not None:
            for d in self.deliveries.values():
                if d.endpoint is endpoint and d.state in UNDER_WAY:
                    d.state, d.due_at = "cancelled", None
                    self.log.persist(d)
            self._lanes.forget(endpoint_id=endpoint_id)
            self._senders.close(endpoint_id)
            self.endpoints.changed()
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
        at = self.clock.now_iso(tenant)
        event = Event(event_id, tenant, provider, event_type, body, resource, at, scenario_name, self.clock.wall_now())
        self.log.add_event(event)
        self._stream_event(event)
        for endpoint in list(self.endpoints.values()):
            if endpoint.provider == provider and endpoint.wants(tenant, event_type):
                self._fan_out(event, endpoint, combine(scenario_chaos, normalize(chaos), endpoint.chaos))
        self.log.trim_if_full()  # once its deliveries exist: they keep it while under way
        return event

    async def replay(self, delivery_id: str, url: str | None = None) -> Attempt | None:
        """Send a delivery's event once more, to its URL or ``url``; no retries, no chaos."""
        original = self.deliveries.get(delivery_id)
        if original is None:
            return None
        return await self._replay_once(original.event, (original.endpoint, url or original.url, original.id))

    async def replay_event(self, event_id: str, url: str | None = None) -> list[Attempt] | None:
        """Send an event again to every endpoint it went to, or only to ``url``."""
        event = self.event(event_id)
        if event is None:
            return None
        targets = replay_targets(event, self.deliveries.values(), url, self._configured_for)
        return [await self._replay_once(event, target) for target in targets]

    def event(self, event_id: str) -> Event | None:
        return self.log.event(event_id)

    def events_after(self, event_id: str) -> list[Event]:
        """Events published after ``event_id`` (a reconnecting stream follower's ``Last-Event-ID``)."""
        return self.log.events_after(event_id)

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait for the attempts already under way (control calls use it to return settled state)."""
        await self._runner.drain(timeout)

    def attempts(self, tenant: str | None = None) -> list[Attempt]:
        """Every attempt in the order they finished (so, in virtual time)."""
        return [a for a in self.log.attempts if tenant is None or a.tenant == tenant]

    def reset(self, tenant: str | None = None) -> None:
        """Forget events, deliveries and endpoints added through the API (all, or one tenant's).

        Endpoints from settings and the config file stay: they are the configuration.
        """
        for endpoint in list(self.endpoints.values()):
            if endpoint.source == "api" and (tenant is None or endpoint.tenant == tenant):
                del self.endpoints[endpoint.id]
        if tenant is None:
            self.endpoints.renumber()
        self.endpoints.changed()
        self.log.reset(tenant)
        self._lanes.forget(tenant=tenant)

    async def close(self) -> None:
        self.stream.close()
        await self.drain(5)
        self._senders.close_all()

    def resume(self, providers: list[str]) -> int:
        """Reload the outbox a previous process left in the store; returns how many deliveries carry on."""
        if self.outbox is None:
            return 0
        events, deliveries = self.outbox.load(providers, self.endpoints)
        self.log.merge(events, deliveries)
        resumed = 0
        for d in deliveries:
            if d.replay or d.state not in UNDER_WAY:
                continue
            if not self._lanes.rejoin(d):
                continue
            delay = 0.0
            if d.due_at:
                delay = max((moment(d.due_at) - self.clock.now(d.event.tenant)).total_seconds(), 0.0)
            d.state = "pending"
            self._runner.schedule(d, delay)
            self.log.persist(d)
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
        # The tenant is a credential: masked, as everywhere kycsim shows one. The headers stay whole:
        # they are signed for the follower, who forwards them to an app that verifies them.
        return {**event.as_json(), "tenant": mask(event.tenant), "headers": self._headers(event, listener)}

    # Private functions

    def _scenario_chaos(self, scenario: Any) -> tuple[str | None, dict[str, Any]]:
        if scenario is None:
            return None, {}
        name: str | None
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
            self.log.add_delivery(d)
        self._lanes.add(group, chaos.out_of_order)

    def _begin(self, d: Delivery) -> None:
        d.state = "pending"
        if d.chaos.delay:
            d.notes.append(f"delay: first attempt {d.chaos.delay:g}s late")
        self._runner.schedule(d, d.chaos.delay)
        self.log.persist(d)

    def _finish(self, d: Delivery, state: str) -> None:
        d.state, d.due_at = state, None
        self.log.persist(d)
        self.log.trim_if_full()  # events kept while under way may go now
        self._lanes.done(d)

    def _live(self, d: Delivery) -> bool:
        return self.deliveries.get(d.id) is d and d.state != "cancelled"  # not reset or deleted meanwhile

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

    async def _replay_once(self, event: Event, target: Target) -> Attempt:
        d, echo = replay_delivery(self.new_id("dlv"), event, target)
        self.log.add_delivery(d)
        return await self._attempt(d, replay=True, echo=echo)

    async def _attempt(self, d: Delivery, *, replay: bool = False, echo: bool = True) -> Attempt:
        profile = self.profiles.get(d.event.provider)
        sender = self._senders.get(d.endpoint)
        if self.outbox is not None:
            await self.outbox.store.committed()  # an event goes out only once it is on disk
        made, started_at = await make_attempt(
            d, sender=sender, clock=self.clock, profile=profile, sign=self._headers, replay=replay, echo=echo
        )
        d.attempts.append(made)
        self.log.attempts.append(made)
        d.due_at = None
        if replay:
            d.state = "delivered" if made.ok else "failed"
        elif self._live(d):
            self._after(d, made, started_at, profile)
        self.log.persist(d)
        if self.outbox is not None:
            self.outbox.store.commit_soon()  # durable at once (with other outcomes): a restart won't resend it
        for listener in self.on_attempt:
            listener(made)
        self._stream_attempt(made)
        return made

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
        self._runner.schedule(d, due - self.clock.seconds(d.event.tenant))

    def _stream_attempt(self, attempt: Attempt) -> None:
        if self.stream.subscriptions:
            data = masked_attempt(attempt.as_json())
            self.stream.broadcast(
                attempt.provider, attempt.tenant, attempt.event_type, lambda sub: frame("attempt", data), attempt=True
            )
