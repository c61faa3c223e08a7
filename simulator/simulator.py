"""The :class:`Simulator`: one holder for the engine's components and the providers, built from settings.

``create_app`` (``app.py``) serves one over HTTP; ``kycsim trigger`` builds one without a server to read
the scenario catalogue. There are no module globals, so several simulators can run side by side in one
process. Every module below the app may name this holder; none imports ``app``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from simulator import __version__
from simulator.engine.clock import Clock
from simulator.engine.fakedata import FakeData
from simulator.engine.ids import Ids
from simulator.engine.journal import Journal
from simulator.engine.retention import Limits, Retention
from simulator.engine.scenarios.loader import Catalogue, ProviderCatalogue, ScenarioLoadError, default_cache_dir
from simulator.engine.scenarios.runner import Runner
from simulator.engine.scenarios.selection import Bindings
from simulator.engine.scheduler import Scheduler
from simulator.engine.store import Store, iter_all, open_store
from simulator.engine.webhooks.dispatcher import Dispatcher
from simulator.engine.webhooks.endpoints import add_config_endpoints
from simulator.providers import load_providers
from simulator.settings import Settings
from simulator.toolkit.rendered import RenderedBodies

if TYPE_CHECKING:
    from simulator.providers.base import Provider

log = logging.getLogger("kycsim")


@dataclass
class Simulator:
    """Holds the components; behaviour lives in them, not here."""

    settings: Settings
    clock: Clock
    scheduler: Scheduler
    ids: Ids
    fake: FakeData
    store: Store
    catalogue: Catalogue
    bindings: Bindings
    runner: Runner
    dispatcher: Dispatcher
    journal: Journal
    providers: dict[str, Provider]
    control_token: str | None = None  # needed for /_sim/* when set (always, on a non-loopback bind)
    retention: Retention = field(default=None)  # type: ignore[assignment]  # set by build_simulator
    bodies: RenderedBodies = field(default_factory=RenderedBodies)  # response bodies kept by document revision
    version: str = __version__

    def provider_for_path(self, path: str) -> Provider | None:
        ordered = sorted(self.providers.values(), key=lambda p: p.owns_unclaimed_paths)
        return next((p for p in ordered if p.owns_path(path)), None)

    async def reset(self, tenant: str | None = None) -> None:
        """Forget all state, or one tenant's: store, runs, clock offsets, ids, bindings, journal, webhooks."""
        self.scheduler.cancel_tenant(tenant)
        self.store.reset(tenant)
        self.clock.reset(tenant)
        self.ids.reset(tenant)
        self.bindings.reset(tenant)
        self.journal.reset(tenant)
        self.dispatcher.reset(tenant)
        self.runner.reset(tenant)
        self.retention.reset(tenant)
        self.bodies.clear()  # what a reset forgets is never served again anyway (revisions do not repeat): memory
        for provider in self.providers.values():
            provider.reset(tenant)
        if tenant is None:
            release_memory()

    def forget_run(self, tenant: str, provider: str, run_id: str) -> None:
        """Retention: drop a finished run and, through its provider, the check it played."""
        run = self.runner.get(tenant, provider, run_id)
        if run is None or run["status"] == "running":
            return  # gone already, or playing again (a new attempt, a person's choice)
        if provider in self.providers:
            self.providers[provider].forget(tenant, run)
        self.runner.forget(tenant, provider, run_id)

    async def drop_idle_tenants(self) -> list[str]:
        """Retention: forget every tenant that sent no request for ``tenant_idle`` seconds."""
        from simulator.engine.masking import mask

        idle = self.retention.idle()
        for tenant in idle:
            log.info("tenant %s idle for %gs: forgotten", mask(tenant), self.retention.limits.tenant_idle)
            await self.reset(tenant)
        self.store.commit()
        return idle


def release_memory() -> None:
    """After a full reset: collect the cycles now and hand freed heap pages back to the system (glibc)."""
    import gc

    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: the memory is reused by the next objects instead


def control_token(settings: Settings) -> str | None:
    """The token ``/_sim/*`` needs: the configured one, or a fresh one when the bind is not loopback."""
    if settings.control_token:
        return settings.control_token
    if settings.loopback:
        return None
    import secrets

    return secrets.token_urlsafe(24)


def scenario_folders(settings: Settings, providers: Mapping[str, Provider]) -> list[Path]:
    """The folders the catalogue loads, in order: each provider's bundled ``scenarios/`` (unless
    ``bundled`` is off), then the user's, whose files override bundled ones of the same name."""
    bundled = [folder for p in providers.values() if (folder := p.bundled_scenarios()) is not None]
    return [*(bundled if settings.bundled else []), *(Path(p) for p in settings.scenarios)]


def build_simulator(
    settings: Settings, providers: dict[str, Provider] | None = None, *, skip_broken_files: bool = False
) -> Simulator:
    """``skip_broken_files``: a scenario file that does not load is left out (its errors stay in
    ``catalogue.errors`` for the caller to report) instead of stopping everything; a missing folder
    still stops it."""
    providers = providers if providers is not None else load_providers()
    verbs = {name: dict(p.verbs()) for name, p in providers.items()}
    catalogue = Catalogue.load(
        scenario_folders(settings, providers),
        {name: ProviderCatalogue(tuple(p.products), verbs[name]) for name, p in providers.items()},
        cache_dir=default_cache_dir(),
    )
    fatal = [e for e in catalogue.errors if e.folder_missing or not skip_broken_files]
    if fatal:
        raise ScenarioLoadError(fatal)
    start = settings.start_datetime()
    clock = Clock(speed=settings.speed, start=start) if start is not None else Clock(speed=settings.speed)
    store = open_store(settings.store)
    scheduler = Scheduler(clock, after_job=store.commit_soon)  # a job's changes land together
    assert settings.seed is not None, "Settings draws a seed when none is given"
    ids = Ids(settings.seed, store.epoch)
    dispatcher = Dispatcher(
        clock=clock,
        scheduler=scheduler,
        profiles={name: prof for name, p in providers.items() if (prof := p.webhook_profile()) is not None},
        new_id=lambda prefix: f"{prefix}_{ids.base32(20, None)}",
        user_agent=f"kycsim/{__version__}",
        scenario_lookup=catalogue.get,
        store=store,
    )
    sim = Simulator(
        settings=settings,
        clock=clock,
        scheduler=scheduler,
        ids=ids,
        fake=FakeData(ids),
        store=store,
        catalogue=catalogue,
        bindings=Bindings(),
        runner=Runner(
            scheduler=scheduler,
            clock=clock,
            store=store,
            ids=ids,
            catalogue=catalogue,
            verbs=verbs,
            applicant_mode=settings.applicant,
        ),
        dispatcher=dispatcher,
        journal=Journal(capacity=settings.journal_size),
        providers=providers,
        control_token=control_token(settings),
    )
    limits = Limits(settings.keep_finished, settings.tenant_idle, settings.journal_size, settings.webhook_log_size)
    sim.retention = Retention(limits, monotonic=lambda: clock.monotonic(), forget_run=sim.forget_run)
    sim.runner.on_end = sim.retention.finished
    dispatcher.max_events = settings.webhook_log_size
    for provider in providers.values():
        provider.bind(sim)
        for endpoint in provider.webhook_endpoints_from_settings():
            dispatcher.add_endpoint(provider.name, source="settings", **endpoint)
    add_config_endpoints(dispatcher, settings.webhooks, providers)
    if store.durable:
        # What the control plane changed outlives the process too, written with the documents: the
        # clock carries on from where it was, the bindings and the API's endpoints come back.
        keep_the_clock(clock, store)
        sim.bindings.restore(store.keep("bindings", sim.bindings.snapshot))
        dispatcher.endpoints.restore(store.keep("endpoints", dispatcher.endpoints.snapshot))
        sim.bindings.on_change = functools.partial(store.changed, "bindings")
        dispatcher.endpoints.on_change = functools.partial(store.changed, "endpoints")
    return sim


CLOCK = ("_sim", "clock", "offset")  # (provider, kind, key) of a tenant's clock offset in its own partition


def keep_the_clock(clock: Clock, store: Store) -> None:
    """The clock carries on after a restart: the shared base is kept beside the documents, and each
    tenant's offset is a document of that tenant (a batch writes only the tenants whose clocks moved,
    and forgetting a tenant forgets its clock with the rest)."""
    provider, kind, key = CLOCK
    offsets = {tenant: doc.get("seconds") for tenant, doc in iter_all(store, provider, kind)}
    clock.restore(store.keep("clock", clock.snapshot, each_commit=True), offsets)  # a running base moves by itself

    def moved(tenant: str | None) -> None:
        if tenant is None:
            store.changed("clock")
            return
        offset = clock.offset(tenant)
        if offset is None:
            store.delete(tenant, provider, kind, key)
        else:
            store.put(tenant, provider, kind, key, {"seconds": offset})

    clock.on_change = moved
