"""pytest plugin (entry point ``kycsim``): the ``kycsim`` fixture, each test its own tenant (docs/testing.md).

- ``KYCSIM_URL`` set: the tests use that running kycsim (a CI service container, one ``kycsim serve``
  shared by pytest-xdist workers), with the control token ``KYCSIM_CONTROL_TOKEN`` when it needs one,
  once it answers healthy (within ``KYCSIM_WAIT_TIMEOUT`` seconds, default 30).
  Otherwise one kycsim starts in-process on a free port, once per session (per xdist worker), at
  ``--speed manual`` unless ``KYCSIM_SPEED`` says otherwise (the other ``KYCSIM_*`` settings apply too).
- ``kycsim``: a :class:`~simulator.testing.kit.KycSimKit` for this test: fresh credentials (a tenant of
  its own, so tests never see each other's state and need no global reset), its webhooks delivered to
  the session's receiver and verified on arrival (``receiver.py``: ``KYCSIM_RECEIVER_HOST``,
  ``KYCSIM_RECEIVER_PORT``, ``KYCSIM_RECEIVER_URL``), and only that tenant reset when the test ends.
- ``@pytest.mark.kycsim(scenario="idv-declined-62304", email=...)``: ``kycsim.use_scenario(...)`` before the test.
- ``kycsim_server``: the in-process server (``.url``, ``.sim``), or the remote one's ``.url``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest

MARKER = "kycsim(scenario=None, **match): bind a kycsim scenario to this test's next check (kycsim.use_scenario)"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER)


@pytest.fixture(scope="session")
def kycsim_server() -> Iterator[Any]:
    """The kycsim the session's tests use: ``KYCSIM_URL``'s, or one started here on a free port."""
    url = os.environ.get("KYCSIM_URL")
    if url:
        yield SimpleNamespace(url=url.rstrip("/"), sim=None)
        return
    from simulator.server import ThreadedServer
    from simulator.settings import SettingsError, load_settings

    try:
        settings = load_settings({}, {"KYCSIM_SPEED": "manual", **os.environ})
    except SettingsError as exc:
        pytest.fail(f"kycsim: {exc}", pytrace=False)
    server = ThreadedServer(settings).start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Session:
    """What every test of the session (of one xdist worker) shares: the client, the receiver, the clock's speed."""

    client: Any
    receiver: Any
    manual: bool
    types: dict[str, str]


@pytest.fixture(scope="session")
def kycsim_session(kycsim_server: Any) -> Iterator[Session]:
    from simulator.client import KycSim, KycSimError
    from simulator.testing.kit import event_types
    from simulator.testing.receiver import Receiver

    sim = getattr(kycsim_server, "sim", None)  # in-process: its token, if its settings gave it one
    client = KycSim(kycsim_server.url, token=sim.control_token if sim is not None else None)
    text = os.environ.get("KYCSIM_WAIT_TIMEOUT") or "30"
    try:
        wait = float(text)
    except ValueError:
        wait = -1.0
    if not 0 <= wait <= 3600:
        pytest.fail(f"KYCSIM_WAIT_TIMEOUT must be a number of seconds (0 to 3600), not {text!r}", pytrace=False)
    try:
        health = client.wait_healthy(timeout=wait)
        types = event_types(client)
    except KycSimError as exc:
        where = " (KYCSIM_URL)" if os.environ.get("KYCSIM_URL") else ""
        pytest.fail(f"kycsim at {kycsim_server.url}{where} is not usable: {exc}", pytrace=False)
    receiver = Receiver(*_receiver_address()).start()
    try:
        yield Session(client, receiver, health.get("speed") == "manual", types)
    finally:
        receiver.stop()
        client.close()


def _receiver_address() -> tuple[str, int, str | None]:
    """``KYCSIM_RECEIVER_HOST`` / ``_PORT`` (plus the xdist worker's number, so workers never collide) / ``_URL``."""
    host = os.environ.get("KYCSIM_RECEIVER_HOST") or "127.0.0.1"
    text = os.environ.get("KYCSIM_RECEIVER_PORT") or "0"
    if not text.isdigit() or int(text) > 65535:
        pytest.fail(f"KYCSIM_RECEIVER_PORT must be a port number (0: a free one), not {text!r}", pytrace=False)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    port = int(text) + (int(worker) if int(text) and worker.isdigit() else 0)
    return host, port, os.environ.get("KYCSIM_RECEIVER_URL") or None


@pytest.fixture
def kycsim(kycsim_session: Session, request: pytest.FixtureRequest) -> Iterator[Any]:
    """This test's own tenant on kycsim (see :class:`simulator.testing.kit.KycSimKit`)."""
    from simulator.testing.kit import KycSimKit

    session = kycsim_session
    kit = KycSimKit(session.client, session.receiver, manual=session.manual, types=session.types)
    try:
        marker = request.node.get_closest_marker("kycsim")  # a test's own marker wins over its class's
        if marker is not None:
            match = dict(marker.kwargs)
            scenario = match.pop("scenario", None) or (marker.args[0] if marker.args else None)
            if not isinstance(scenario, str):
                pytest.fail("@pytest.mark.kycsim needs scenario=<a scenario name>", pytrace=False)
            kit.use_scenario(scenario, **match)
        yield kit
    finally:
        kit.close()
