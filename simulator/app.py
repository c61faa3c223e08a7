"""``create_app(settings)``: wires the engine, the providers and the control API together.

The CLI, the pytest plugin and the threaded test server all build the app here. Every
component lives on one :class:`~simulator.simulator.Simulator` holder (``app.state.sim``). This is
the top of the package: only the CLI, the server and the pytest plugin import it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette._utils import is_async_callable
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from simulator.providers.base import Provider
from simulator.routing import SegmentRouter
from simulator.settings import Settings
from simulator.simulator import Simulator, build_simulator
from simulator.toolkit import errors as provider_errors
from simulator.toolkit.errors import ProviderError

log = logging.getLogger("kycsim")


def create_app(
    settings: Settings | None = None, *, providers: dict[str, Provider] | None = None, skip_broken_files: bool = False
) -> Starlette:
    from simulator.console import RequestLogMiddleware, log_attempt
    from simulator.console import flush as flush_console
    from simulator.control.api import control_routes
    from simulator.control.guard import ControlGuard
    from simulator.control.home import home
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
    controls = [r for r in provider_routes if isinstance(r, Route) and r.path.startswith("/_sim/")]
    mounted = [
        Route(r.path.removeprefix("/_sim"), r.endpoint, methods=sorted((r.methods or set()) - {"HEAD"}), name=r.name)
        for r in controls
    ]
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
        middleware=[Middleware(RequestLogMiddleware, sim=sim)],
        # A provider's errors become its envelope in one place; anything else is a routing error or a 500.
        exception_handlers={ProviderError: provider_errors.handle, HTTPException: http_error, Exception: http_error},
        lifespan=lifespan,
    )
    # The scenario header is checked before routing, inside the request log (its warning goes on the entry).
    app.router = SegmentRouter(app.router, gates=[ScenarioHeaderCheck(sim)])  # type: ignore[assignment]
    app.state.sim = sim
    return app


class _App(Starlette):
    """Starlette, with its two exception layers written for a request path that runs on every call.

    Starlette's ``ServerErrorMiddleware`` sends the handler's response and then raises the
    exception again so that the server can log it; uvicorn then logs a second traceback and
    closes the connection, and a keep-alive client's next pooled request fails. ``http_error``
    has logged it (with the request id the 500 carries), so here the exception stops with the
    complete 500 its handler sent, and the connection stays usable. (A response that had already
    started cannot be completed: uvicorn closes that connection, as it must.)

    Starlette's ``ExceptionMiddleware`` builds a ``Request`` and two closures for every call, to
    have them should an exception come; :class:`_Handled` builds them only then. Otherwise the
    stack is Starlette's: the 500 handler outermost, the app's middleware, the other handlers
    innermost, then the router.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.state = _AppState()

    def build_middleware_stack(self) -> ASGIApp:
        error_handler = None
        handlers: dict[Any, Any] = {}
        for key, value in self.exception_handlers.items():
            if key in (500, Exception):
                error_handler = value
            else:
                handlers[key] = value
        app: ASGIApp = _Handled(self.router, handlers=handlers, debug=self.debug)
        for cls, args, kwargs in reversed(self.user_middleware):
            app = cls(app, *args, **kwargs)
        return _ServerErrors(app, handler=error_handler, debug=self.debug)


class _AppState(State):
    """``app.state``, whose values Python's own attribute lookup finds.

    Starlette's ``State`` keeps them in a dict behind ``__getattr__``, which Python calls only once
    its normal lookup has failed and raised an ``AttributeError`` (its message formatted, then
    dropped): some 4 k instructions for each ``app.state.sim``, which every request reads. Here
    each value is an instance attribute as well, kept in step by every way of setting or deleting one.
    """

    def __setattr__(self, key: Any, value: Any) -> None:
        super().__setattr__(key, value)
        self.__dict__[key] = value

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self.__dict__[key] = value

    def __delattr__(self, key: Any) -> None:
        super().__delattr__(key)
        del self.__dict__[key]

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        del self.__dict__[key]


class _Tracked:
    """``send``, noting whether the response has started (an error after that can only be logged)."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self.send(message)


class _ServerErrors(ServerErrorMiddleware):
    """``ServerErrorMiddleware``, where an HTTP request's exception ends with the 500 sent (see ``_App``)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)  # lifespan failures must reach the server
            return
        tracked = _Tracked(send)
        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            request = Request(scope)
            handler: Any = self.handler  # (request, exc) -> response, async or not, as Starlette takes it
            response: Any
            if self.debug:
                response = await run_in_threadpool(self.debug_response, request, exc)
            elif handler is None:
                response = self.error_response(request, exc)
            elif is_async_callable(handler):
                response = await handler(request, exc)
            else:
                response = await run_in_threadpool(handler, request, exc)
            if not tracked.started:
                await response(scope, receive, send)


class _Handled(ExceptionMiddleware):
    """``ExceptionMiddleware`` whose ``Request`` (what a handler is given) is built when an exception comes."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        handlers = self._exception_handlers
        scope["starlette.exception_handlers"] = (handlers, self._status_handlers)  # plain endpoints read them
        tracked = _Tracked(send)
        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            handler: Any = self._status_handlers.get(exc.status_code) if isinstance(exc, HTTPException) else None
            if handler is None:
                handler = next((handlers[cls] for cls in type(exc).__mro__ if cls in handlers), None)
            if handler is None:
                raise
            if tracked.started:
                raise RuntimeError("Caught handled exception, but response already started.") from exc
            request = Request(scope, receive, send)
            if is_async_callable(handler):
                response = await handler(request, exc)
            else:
                response = await run_in_threadpool(handler, request, exc)
            if response is not None:
                await response(scope, receive, tracked)
            exc.__traceback__ = None  # a reused exception instance would gather tracebacks across requests


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
        body = json.loads(bytes(response.body))
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
