"""``create_app(settings)``: wires the engine, the providers and the control API together.

The CLI, the pytest plugin and the threaded test server all build the app here. Every
component lives on one :class:`Simulator` holder (``app.state.sim``); there are no module
globals, so several simulators can run side by side in one process.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route

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
from simulator.engine.store import Store, open_store
from simulator.engine.webhooks.dispatcher import Dispatcher
from simulator.engine.webhooks.endpoints import add_config_endpoints
from simulator.providers import load_providers
from simulator.providers.base import Provider
from simulator.routing import SegmentRouter
from simulator.settings import Settings
from simulator.toolkit import errors as provider_errors
from simulator.toolkit.errors import ProviderError

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
    version: str = __version__
    extras: dict = field(default_factory=dict)  # per-feature state that is not worth a field (e.g. event streams)

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


def build_simulator(
    settings: Settings, providers: dict[str, Provider] | None = None, *, skip_broken_files: bool = False
) -> Simulator:
    """``skip_broken_files``: a scenario file that does not load is left out (its errors stay in
    ``catalogue.errors`` for the caller to report) instead of stopping everything; a missing folder
    still stops it."""
    providers = providers if providers is not None else load_providers()
    verbs = {name: dict(p.verbs()) for name, p in providers.items()}
    catalogue = Catalogue.load(
        settings.scenario_dirs,
        {name: ProviderCatalogue(tuple(p.products), verbs[name]) for name, p in providers.items()},
        cache_dir=default_cache_dir(),
    )
    fatal = [e for e in catalogue.errors if e.folder_missing or not skip_broken_files]
    if fatal:
        raise ScenarioLoadError(fatal)
    clock = Clock(speed=settings.speed, **({"start": settings.start_datetime()} if settings.start_time else {}))
    store = open_store(settings.store)
    scheduler = Scheduler(clock, after_job=store.commit_soon)  # a job's changes land together
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
    return sim


def create_app(
    settings: Settings | None = None, *, providers: dict[str, Provider] | None = None, skip_broken_files: bool = False
) -> Starlette:
    from simulator.console import RequestLogMiddleware, log_attempt
    from simulator.console import flush as flush_console
    from simulator.control.guard import ControlGuard
    from simulator.control.home import home
    from simulator.control.routes import control_routes
    from simulator.control.scenario_header import ScenarioHeaderCheck

    settings = settings or Settings()
    sim = build_simulator(settings, providers, skip_broken_files=skip_broken_files)
    sim.dispatcher.on_attempt.append(log_attempt)  # one console line per webhook attempt

    async def sweep_idle_tenants(every: float) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await sim.drop_idle_tenants()
            except Exception:  # a failed sweep must not end the sweeping
                log.exception("dropping idle tenants failed")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        sim.runner.resume(list(sim.providers))
        sim.dispatcher.resume(list(sim.dispatcher.profiles))
        for tenant in sim.store.tenants():  # state from the file: idle from now on, not from before
            sim.retention.seen(tenant)
        sim.store.commit()
        sim.scheduler.start()
        every = sim.retention.sweep_interval()
        sweeper = asyncio.get_running_loop().create_task(sweep_idle_tenants(every)) if every else None
        for provider in sim.providers.values():
            await provider.startup()
        try:
            yield
        finally:
            if sweeper is not None:
                sweeper.cancel()
            flush_console()
            for provider in sim.providers.values():
                await provider.shutdown()
            await sim.scheduler.stop()
            await sim.dispatcher.close()
            sim.store.close()

    # A provider may add its own control endpoints under /_sim/<provider>/...: they join the /_sim
    # mount, behind the same guard (control token, JSON writes, no cross-site Origin) as the rest.
    provider_routes = [route for provider in sim.providers.values() for route in provider.routes()]
    controls = [r for r in provider_routes if getattr(r, "path", "").startswith("/_sim/")]
    mounted = [Route(r.path.removeprefix("/_sim"), r.endpoint, methods=sorted(r.methods - {"HEAD"}), name=r.name)
               for r in controls]  # fmt: skip
    guard = [Middleware(ControlGuard, sim=sim)]
    routes: list[BaseRoute] = [
        Route("/", home, methods=["GET"], name="home"),  # where everything is; the /_sim one is guarded
        Mount("/_sim", routes=[*mounted, *control_routes()], middleware=guard),
    ]
    routes.extend(r for r in provider_routes if r not in controls)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        detail = exc.detail if isinstance(exc, HTTPException) else "internal error"
        path = request.url.path
        provider = None if path.startswith("/_sim") else sim.provider_for_path(path)
        if status == 500:
            response = _internal_error(request, provider, sim)
            log.error(
                "unhandled error on %s %s (request id %s); answered 500",
                request.method,
                path,
                _request_id(response),
                exc_info=exc,
            )
            return response
        if provider is not None:
            return provider.error_response(request, status, str(detail))
        return JSONResponse(
            {"error": {"type": _ERROR_TYPES.get(status, "error"), "message": _message(request, status, detail)}},
            status_code=status,
        )

    app = _App(
        routes=routes,
        middleware=[Middleware(RequestLogMiddleware, sim=sim), Middleware(ScenarioHeaderCheck, sim=sim)],
        # A provider's errors become its envelope in one place; anything else is a routing error or a 500.
        exception_handlers={ProviderError: provider_errors.handle, HTTPException: http_error, Exception: http_error},
        lifespan=lifespan,
    )
    app.router = SegmentRouter(app.router)  # type: ignore[assignment]
    app.state.sim = sim
    return app


class _App(Starlette):
    """Starlette, where an unexpected exception ends with the complete 500 its handler sent.

    Starlette's ``ServerErrorMiddleware`` sends the handler's response and then raises the
    exception again so that the server can log it; uvicorn then logs a second traceback and
    closes the connection, and a keep-alive client's next pooled request fails. ``http_error``
    has logged it (with the request id the 500 carries), so the exception stops here and the
    connection stays usable. (A response that had already started cannot be completed: uvicorn
    closes that connection, as it must.)
    """

    def build_middleware_stack(self):  # type: ignore[no-untyped-def]
        stack = super().build_middleware_stack()

        async def app(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
            try:
                await stack(scope, receive, send)
            except Exception:
                if scope["type"] != "http":
                    raise  # lifespan failures must reach the server

        return app


def _internal_error(request: Request, provider: Provider | None, sim: Simulator) -> Response:
    """The 500 in the provider's envelope (with its request id), or the control API's own."""
    if provider is not None:
        try:
            return provider.error_response(request, 500, "internal error")
        except Exception:  # the envelope itself failed: the control API's answer still goes out
            log.exception("the %s error envelope failed", provider.name)
    request_id = sim.ids.uuid("#errors")
    body = {"error": {"type": "internal_error", "message": "internal error", "request_id": request_id}}
    return JSONResponse(body, status_code=500, headers={"X-Request-Id": request_id})


def _request_id(response: Response) -> str | None:
    """The id a 500 carries, for the log line: a request-id header, or the envelope's id field."""
    for name in ("cko-request-id", "x-request-id"):
        if name in response.headers:
            return response.headers[name]
    try:
        body = json.loads(response.body)
    except ValueError:
        return None
    found = body.get("request_id") or body.get("correlationId") if isinstance(body, dict) else None
    return found if isinstance(found, str) else None


_ERROR_TYPES = {404: "not_found", 405: "method_not_allowed", 500: "internal_error"}


def _message(request: Request, status: int, detail: object) -> str:
    if status == 404:
        return f"no route for {request.method} {request.url.path}"
    if status == 405:
        return f"{request.method} is not allowed on {request.url.path}"
    return str(detail)
