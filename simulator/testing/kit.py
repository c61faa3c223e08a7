"""The ``kycsim`` fixture's object: one test's own tenant on a running kycsim, and its webhooks.

Built on the typed client (``simulator/client.py``): every provider with a ``kit_tenant`` in its
``client.py`` gives the test fresh credentials (``checkout_key``; ``sumsub_app_token`` /
``sumsub_secret_key`` / ``sumsub_auth``), and kycsim sends that tenant's events, signed with a
secret of this test, to the session's receiver (``receiver.py``), which verifies them on arrival.

Time: at ``--speed manual`` nothing moves until the test says so. :meth:`KycSimKit.wait_for_event`
moves the tenant's clock one scheduled job at a time (``POST /_sim/clock/advance {"to": "next"}``),
looking at what arrived after each, so it never goes past the event it waits for;
:meth:`KycSimKit.settle` moves it until nothing is scheduled. At any other speed they wait in real time.
"""

from __future__ import annotations

import fnmatch
import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any

from simulator.client import JSON, KycSim
from simulator.providers import provider_part
from simulator.testing.receiver import Inbox, ReceivedEvent, Receiver
from simulator.toolkit.client import KitTenant

POLL = 0.2  # real seconds between looks at kycsim while a running clock (or the app) is expected to act
MAX_STEPS = 10_000  # settle(): a scenario still scheduling after this many jobs never ends


def new_secret() -> str:
    return secrets.token_hex(12)


def event_types(client: KycSim) -> dict[str, str]:
    """Every webhook type kycsim's providers send, and whose (from ``GET /_sim/coverage``)."""
    coverage = client.coverage().get("providers", {})
    found: dict[str, str] = {}
    for provider, categories in coverage.items():
        module = provider_part(provider, "client")
        patterns = getattr(module, "EVENT_CATEGORIES", ())
        for category, values in categories.items():
            if any(fnmatch.fnmatch(category, p) for p in patterns):
                found.update(dict.fromkeys(values, provider))
    return found


class KycSimKit:
    """What a test gets as ``kycsim``: ``url``, ``client`` (the whole control API), this test's credentials
    (``checkout_key``, ``sumsub_app_token``, ``sumsub_secret_key``, ``sumsub_auth``: one attribute per name
    a provider hands out), and the calls below, each about this test's tenants only."""

    def __init__(self, client: KycSim, receiver: Receiver, *, manual: bool, types: Mapping[str, str]) -> None:
        self.client, self.url, self.manual = client, client.url, manual
        self._types = types
        self._parts: dict[str, KitTenant] = {}
        verifiers: dict[str, tuple[str, Callable[..., bool]]] = {}
        for provider in client.health().get("providers", []):
            module = provider_part(provider, "client")
            if module is None or not hasattr(module, "kit_tenant"):
                continue
            part: KitTenant = module.kit_tenant(client, new_secret)
            self._parts[provider] = part
            verifiers[provider] = (part.webhook_secret, module.verify_webhook)
        self._receiver = receiver
        self._inbox_id, self.inbox = receiver.open(verifiers)
        for provider, part in self._parts.items():
            client.add_webhook_endpoint(
                provider,
                f"{receiver.url}/{self._inbox_id}/{provider}",
                tenant=part.tenant,
                secret=part.webhook_secret,
                options=dict(part.webhook_options) or None,
            )

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("_"):
            for part in self.__dict__.get("_parts", {}).values():
                if name in part.exposed:
                    return part.exposed[name]
        from simulator.engine.names import did_you_mean

        known = [n for p in self.__dict__.get("_parts", {}).values() for n in p.exposed]
        raise AttributeError(f"the kycsim fixture has no {name!r}{did_you_mean(name, known)}")

    @property
    def tenants(self) -> dict[str, str]:
        """This test's tenant (the credential) for each provider: ``{"checkout": "sk_sbox_...", ...}``."""
        return {provider: part.tenant for provider, part in self._parts.items()}

    # Webhooks

    def events(self, type: str | None = None, subject: str | None = None) -> list[ReceivedEvent]:
        """The webhooks received so far (signature verified, body parsed), oldest first; only those of ``type``
        and about ``subject`` (a verification, applicant or action id, wherever the provider puts it). At a
        manual clock, the deliveries due now are made first (the clock does not move)."""
        if type is not None:
            self._known_type(type)
        if self.manual:
            self._catch_up(list(self.tenants.values()))
        with self.inbox.changed:
            return [e for e in self.inbox.events if _matches(e, type, subject)]

    @property
    def rejected(self) -> list[tuple[str, str]]:
        """Deliveries the receiver refused: ``(provider, why)`` (a signature that does not verify...)."""
        return list(self.inbox.rejected)

    def wait_for_event(self, type: str, subject: str | None = None, timeout: float = 10) -> ReceivedEvent:
        """The first webhook of ``type`` (about ``subject``), once it arrived. At a manual clock the tenant's
        clock moves forward one scheduled job at a time, only as far as needed; ``timeout``: real seconds.
        Raises ``ValueError`` for a type no provider sends, ``TimeoutError`` naming what did arrive."""
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout >= 0:
            raise TypeError(f"timeout must be a number of seconds (at least 0), not {timeout!r}")
        provider = self._known_type(type)
        tenants = [self._parts[provider].tenant] if provider in self._parts else list(self.tenants.values())
        deadline = time.monotonic() + timeout
        moved = 0.0

        def found() -> ReceivedEvent | None:
            return next((e for e in self.inbox.events if _matches(e, type, subject)), None)

        while True:
            if self.manual:
                self._catch_up(tenants)
            with self.inbox.changed:
                event = found()
            if event is not None:
                return event
            step = self._next_job(tenants) if self.manual else None
            if step is not None and time.monotonic() < deadline:
                moved += step[1]
                self.client.advance(to="next", tenant=step[0])
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(self._nothing_came(type, subject, timeout, moved))
            self.inbox.wait(lambda: found() is not None, min(left, POLL) if self.manual else left)

    def settle(self) -> list[str]:
        """Move this test's clocks until no timed step or webhook retry is scheduled (manual clock), then
        say what the runs still wait for: the merchant's call (``"new_attempt"``...) or ``"a person"``."""
        tenants = list(self.tenants.values())
        for _ in range(MAX_STEPS):
            self._catch_up(tenants)
            step = self._next_job(tenants)
            if step is None:
                break
            self.client.advance(to="next", tenant=step[0])
        else:
            raise RuntimeError(f"still scheduling after {MAX_STEPS} steps: a scenario that never ends?")
        return [_waiting(run) for run in self.runs() if run.get("waiting_for") and run.get("status") == "running"]

    def advance(self, seconds: float | str) -> list[JSON]:
        """Move each of this test's clocks by ``seconds`` (or a duration, ``"15m"``), firing what falls due."""
        return [self.client.advance(seconds, tenant=tenant) for tenant in self.tenants.values()]

    def runs(self) -> list[JSON]:
        """This test's scenario runs (which scenario each check follows, what it waits for), oldest first."""
        return [run for tenant in self.tenants.values() for run in self.client.runs(tenant)["data"]]

    # Scenarios

    def use_scenario(self, name: str, **match: str | int | float) -> JSON:
        """Bind scenario ``name`` to this test's next check of its product (the ones whose facts ``match``,
        e.g. ``email=...``, when given). An unknown name raises at once, with the close names."""
        if not isinstance(name, str):
            raise TypeError(f"a scenario name is a string, such as 'idv-approved', not {name!r}")
        scenario = self.client.scenario(name)  # KycSimError: no scenario named ... (did you mean ...?)
        tenant = self._parts[scenario["provider"]].tenant
        return self.client.bind(scenario["name"], dict(match), tenant=tenant)

    # The request journal

    def requests(self, method: str | None = None, path: str | None = None) -> list[JSON]:
        """What the app sent kycsim for this test's tenants (the journal's entries), oldest first: only
        ``method``'s, and only those whose path is ``path`` (``*`` matches within a segment or more:
        ``/identity-verifications/*/attempts``)."""
        prefix = path.split("*")[0] if path else None
        found = [
            entry
            for tenant in self.tenants.values()
            for entry in self.client.requests(method, prefix, tenant=tenant, limit=100_000)
            if path is None or fnmatch.fnmatchcase(entry["path"], path)
        ]
        return sorted(found, key=lambda entry: entry["id"])

    def assert_requested(self, method: str, path: str, times: int | None = None) -> list[JSON]:
        """Assert the app sent ``method`` ``path`` (``*`` wildcards as in :meth:`requests`): at least once, or
        exactly ``times`` times. Answers those requests."""
        if not isinstance(method, str) or not isinstance(path, str):
            given = f"{method!r}, {path!r}"
            raise TypeError(f"assert_requested(method, path) takes two strings ('POST', '/applicants'), not {given}")
        made = self.requests(method, path)
        if (times is None and not made) or (times is not None and len(made) != times):
            wanted = "at least once" if times is None else f"{times} time(s)"
            sent = ", ".join(f"{e['method']} {e['path']}" for e in self.requests()) or "nothing"
            raise AssertionError(f"expected {method.upper()} {path} {wanted}, got {len(made)}; the app sent: {sent}")
        return made

    # The end of the test

    def close(self) -> None:
        """Forget this test's tenants (``POST /_sim/reset {"tenant": ...}``) and close its inbox."""
        try:
            for tenant in self.tenants.values():
                self.client.reset(tenant)
        finally:
            self._receiver.close(self._inbox_id)

    # Private functions

    def _known_type(self, type: str) -> str | None:
        """The provider sending events of ``type``; ``ValueError`` (did you mean...) for one nobody sends."""
        if not isinstance(type, str):
            raise TypeError(f"an event type is a string, such as 'applicantReviewed', not {type!r}")
        if not self._types or type in self._types:
            return self._types.get(type)
        from simulator.engine.names import did_you_mean

        raise ValueError(f"no provider sends {type!r} events{did_you_mean(type, self._types)}")

    def _catch_up(self, tenants: list[str]) -> None:
        """Let every delivery already under way finish (kycsim drains them before a clock call answers)."""
        for tenant in tenants:
            self.client.advance(0, tenant=tenant)

    def _next_job(self, tenants: list[str]) -> tuple[str, float] | None:
        """The tenant whose next scheduled job comes first, and in how many seconds; None: nothing scheduled."""
        due = [(runs["next_job_in_seconds"], t) for t in tenants if (runs := self.client.runs(t))["pending_jobs"]]
        return (min(due)[1], min(due)[0]) if due else None

    def _nothing_came(self, type: str, subject: str | None, timeout: float, moved: float) -> str:
        about = f" about {subject}" if subject else ""
        arrived = ", ".join(_describe(e) for e in self.inbox.events) or "nothing"
        clock = f"; the clock moved {moved:g}s and nothing more is scheduled" if self.manual else ""
        waiting = [_waiting(r) for r in self.runs() if r.get("waiting_for") and r.get("status") == "running"]
        waits = f"; runs wait for: {', '.join(waiting)}" if waiting else ""
        refused = f"; refused: {self.inbox.rejected}" if self.inbox.rejected else ""
        return f"no {type} event{about} arrived within {timeout:g}s{clock}{waits}; what arrived: {arrived}{refused}"


def _matches(event: ReceivedEvent, type: str | None, subject: str | None) -> bool:
    return (type is None or event.type == type) and (subject is None or event.mentions(subject))


def _describe(event: ReceivedEvent) -> str:
    """``type (id)``: with the id of what it is about, as its provider's ``event_subject`` finds it."""
    module = provider_part(event.provider, "client")
    about = getattr(module, "event_subject", lambda body: None)(event.body)
    return f"{event.type} ({about})" if about else event.type


def _waiting(run: Mapping[str, Any]) -> str:
    """What a run waits for, in a test's words: the merchant's call (its signal, ``new_attempt``) or a person."""
    return "a person" if run.get("waiting_on") == "person" else str(run["waiting_for"])


__all__ = ["Inbox", "KycSimKit", "ReceivedEvent", "Receiver"]
