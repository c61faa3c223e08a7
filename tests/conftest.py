"""Shared fixtures: tiny simulators built inline around the demo provider."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from simulator.app import create_app
from simulator.settings import Settings
from simulator.toolkit import rendered, schemas
from tests.support.demo_provider import DEMO_SCENARIOS, DemoProvider

# Every body served from the render cache is rendered again and compared: a document changed without
# a put (which would serve a stale body) fails the test that did it.
rendered.VERIFY = True
# Every request body a schema's compiled check judges is judged by jsonschema too: a disagreement fails.
schemas.VERIFY = True

# pytester drives pytest itself (tests/test_skip_policy.py); skip_policy fails CI runs that skip.
pytest_plugins = ["pytester", "tests.support.skip_policy"]


def demo_settings(**overrides) -> Settings:
    values = {
        "seed": 42,
        "speed": "manual",
        "bundled": False,
        "scenarios": [str(DEMO_SCENARIOS)],
        "start_time": "2025-01-01T00:00:00Z",
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def demo_app():
    return create_app(demo_settings(), providers={"demo": DemoProvider()})


@pytest.fixture
def demo_client(demo_app):
    with TestClient(demo_app) as client:
        yield client


# One headless Chromium for the whole session (tests/support/browser.py), and where screenshots go.


@pytest.fixture(scope="session")
def browser():
    from tests.support.browser import Browser, available

    if not available():
        pytest.skip("Chromium and chromedriver are not installed (Debian: apt-get install chromium chromium-driver)")
    with Browser() as session:
        yield session


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory):
    """``KYCSIM_SCREENSHOTS`` (``.ci/run`` sets it and prints it), else a temporary folder."""
    import os
    from pathlib import Path

    folder = os.environ.get("KYCSIM_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path
