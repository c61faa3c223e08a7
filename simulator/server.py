"""Running the app under uvicorn: the ``kycsim serve`` command and a threaded server for tests."""

from __future__ import annotations

import argparse
import logging
import socket
import sys
import threading
from typing import Any


def _server(app: Any) -> Any:
    """A uvicorn server that ends the simulator's event streams first when it shuts down.

    Open ``/_sim/events`` streams (``kycsim listen``) never end by themselves, and uvicorn
    waits for every response to finish before it stops.
    """
    import uvicorn

    from simulator.limits import Limits, protocol_class

    class Server(uvicorn.Server):
        async def shutdown(self, sockets: Any = None) -> None:
            app.state.sim.dispatcher.stream.close()
            await super().shutdown(sockets)

    settings = app.state.sim.settings
    limits = Limits(settings.max_header_bytes, settings.header_timeout, settings.body_timeout)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        http=protocol_class(limits),
        h11_max_incomplete_event_size=settings.max_header_bytes,  # the cap, should uvicorn fall back to h11
    )
    return Server(config)


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind before uvicorn starts, so ``--port 0`` can print the port it got."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)  # connections queue from now on, so the printed address is usable at once
    sock.set_inheritable(True)
    return sock


def banner(settings, port: int, sim) -> str:
    folders = ", ".join(sim.catalogue.folders) or "none"
    seed_note = " (random; pass --seed to repeat)" if settings.seed_was_random else ""
    return (
        f"kycsim {sim.version} listening on http://{settings.host}:{port}\n"
        f"  seed {settings.seed}{seed_note} · speed {settings.speed} · applicant {settings.applicant}"
        f" · store {_store(settings.store)}\n"
        f"  scenarios: {len(sim.catalogue.scenarios)} from {folders}{_skipped(sim)}\n"
        f"  {' · '.join(p.banner_line() for p in sim.providers.values())}\n"
        f"  control API at /_sim/ · dashboard at /_sim/ui/{_token_note(settings, port, sim)}"
    )


def _browsable(host: str) -> str:
    """A wildcard bind address is no address to open in a browser: the local machine is."""
    return "localhost" if host in ("0.0.0.0", "::", "[::]", "") else host


def _skipped(sim) -> str:
    broken = len({e.path for e in sim.catalogue.errors})
    return f" ({broken} broken file(s) skipped: see below)" if broken else ""


def _store(url: str) -> str:
    """The store setting, with the file it names when that is relative (``sqlite:///x.db`` is ``./x.db``)."""
    from simulator.engine.store import store_path

    path = store_path(url)
    return f"{url} (the file {path.absolute()})" if path is not None and not path.is_absolute() else url


def _token_note(settings, port: int, sim) -> str:
    """Where the control token stands: printed when kycsim made it up, never when it was configured."""
    if sim.control_token is None:
        return " (open: loopback bind)"
    if settings.control_token:
        return "\n  the control API needs KYCSIM_CONTROL_TOKEN (Authorization: Bearer ...)"
    return (
        f"\n  control token {sim.control_token} (generated for this non-loopback bind; set KYCSIM_CONTROL_TOKEN to"
        f" choose one)\n  send it as Authorization: Bearer ..., or open the dashboard at"
        f" http://{_browsable(settings.host)}:{port}/_sim/ui/?token={sim.control_token}"
    )


def serve(args: argparse.Namespace) -> int:
    from simulator.console import configure_logging
    from simulator.engine.scenarios.loader import ScenarioLoadError
    from simulator.engine.store import StoreError
    from simulator.settings import PROVIDER_SETTINGS, SettingsError, load_settings

    flags = {
        k: getattr(args, k, None)
        for k in (
            "host",
            "port",
            "seed",
            "speed",
            "applicant",
            "scenarios",
            "store",
            "config",
            "start_time",
            "log_format",
            "log_level",
            *(s.name for s in PROVIDER_SETTINGS.values() if s.flag),
        )
    }
    try:
        settings = load_settings(flags)
    except SettingsError as exc:
        print(f"kycsim: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_format, settings.log_level)
    try:
        from simulator.app import create_app

        app = create_app(settings, skip_broken_files=True)  # the README: a broken file is skipped, said so
    except ScenarioLoadError as exc:
        print(f"kycsim: {exc}; nothing was started", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"kycsim: {exc}", file=sys.stderr)
        return 2
    try:
        sock = bind_socket(settings.host, settings.port)
    except OSError as exc:
        print(f"kycsim: cannot listen on {settings.host}:{settings.port}: {exc.strerror}", file=sys.stderr)
        return 2
    port = sock.getsockname()[1]
    sim = app.state.sim
    generated = sim.control_token is not None and not settings.control_token
    if settings.log_format == "json":
        import json

        print(
            json.dumps(
                {
                    "message": "started",
                    "url": f"http://{settings.host}:{port}",
                    "version": sim.version,
                    "seed": settings.seed,
                    "speed": settings.speed,
                    "applicant": settings.applicant,
                    "store": settings.store,
                    "scenarios": len(sim.catalogue.scenarios),
                    "scenario_folders": sim.catalogue.folders,
                    "control": "open" if sim.control_token is None else "token",
                    **({"control_token": sim.control_token} if generated else {}),
                }
            ),
            flush=True,
        )
    else:
        print(banner(settings, port, sim), flush=True)
    for error in sim.catalogue.errors:  # after the start-up line, which scripts wait for
        logging.getLogger("kycsim").warning("scenario file skipped: %s", error)

    # What start-up built lives as long as the process: keep it out of every later garbage collection,
    # whose pauses would otherwise grow with the scenario catalogue, the schemas and Faker.
    import gc

    gc.collect()
    gc.freeze()
    # A request allocates a few hundred short-lived objects: the default (a young collection every 700
    # allocations) spends its time finding nothing to free and promotes what was about to die anyway,
    # which then costs full collections of a heap that grows with the state kept.
    gc.set_threshold(10_000, 20, 50)
    _server(app).run(sockets=[sock])
    return 0


class ThreadedServer:
    """The simulator on a free port in a daemon thread (moto's ``ThreadedMotoServer`` role)."""

    def __init__(self, settings: Any = None, host: str = "127.0.0.1", port: int = 0, *, providers: Any = None) -> None:
        import dataclasses

        from simulator.app import create_app
        from simulator.settings import Settings

        # The bind address decides whether the control API needs a token, so the settings must know it.
        settings = dataclasses.replace(settings or Settings(), host=host)
        self.app = create_app(settings, providers=providers)
        self.sim = self.app.state.sim
        self._sock = bind_socket(host, port)
        self.host, self.port = host, self._sock.getsockname()[1]
        self._server = _server(self.app)
        self._server.install_signal_handlers = lambda: None
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> ThreadedServer:
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("kycsim server thread died during start-up")
            self._thread.join(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._sock.close()

    def __enter__(self) -> ThreadedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
