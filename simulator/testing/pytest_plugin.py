"""pytest plugin (entry point ``kycsim``): fixtures that hand out a running simulator.

- ``kycsim_server``: a real server on a free port for the whole session (manual clock by
  default, so tests decide when time moves); reset between tests by ``kycsim``.
- ``kycsim``: the control client of that server (``.url``, ``.advance()``, ``.bind()``,
  ``.webhooks()``, ``.reset()``, ...), reset before each test.

Settings come from ``KYCSIM_*`` environment variables, with ``speed=manual`` unless set.
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def kycsim_server():
    from simulator.server import ThreadedServer
    from simulator.settings import load_settings

    env = {"KYCSIM_SPEED": "manual", **os.environ}
    server = ThreadedServer(load_settings({}, env)).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def kycsim(kycsim_server):
    from simulator.control.client import ControlClient

    client = ControlClient(kycsim_server.url, token=kycsim_server.sim.control_token)
    client.url = kycsim_server.url
    client.reset()
    try:
        yield client
    finally:
        client.close()
