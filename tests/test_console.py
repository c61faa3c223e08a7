"""The console: a line per request at ``info``, except polls and control-API reads (``debug`` only); written
in batches once ``kycsim serve`` set it up, yet in order with every other log line."""

from __future__ import annotations

import io
import json
import logging
import re
import time

import pytest
from starlette.testclient import TestClient

from simulator import console
from simulator.app import create_app
from simulator.settings import Settings
from tests.conftest import demo_settings
from tests.providers.sumsub.support import SumsubAuth
from tests.support.demo_provider import DemoProvider

KEY = {"Authorization": "Bearer sk_sbox_console_test"}


@pytest.fixture
def lines():
    """(level, message) of each console line, whatever the logging setup of earlier tests."""
    seen: list[tuple[int, str]] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append((record.levelno, record.getMessage()))

    logger = logging.getLogger("kycsim.console")
    handler, level = Collect(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield seen
    logger.removeHandler(handler)
    logger.setLevel(level)


def _level(lines: list[tuple[int, str]], start: str) -> int:
    found = [level for level, message in lines if message.startswith(start)]
    assert len(found) == 1, (start, lines)
    return found[0]


def test_polls_and_control_reads_show_at_debug_only(lines):
    app = create_app(Settings(seed=3, speed="manual", start_time="2025-01-01T00:00:00Z"))
    with TestClient(app) as client:
        applicant = client.post("/applicants", json={"email": "a@example.com"}, headers=KEY).json()
        idv = client.post(
            "/identity-verifications",
            json={"applicant_id": applicant["id"], "declared_data": {"name": "A B"}},
            headers=KEY,
        ).json()
        attempt = client.post(
            f"/identity-verifications/{idv['id']}/attempts", json={"redirect_url": "https://x.example/"}, headers=KEY
        ).json()
        page = attempt["_links"]["verification_url"]["href"].split("testserver")[1]
        client.get(page)  # a person opens the page
        client.get(f"{page}state")  # the page follows the flow
        client.get("/_sim/runs")
        client.post("/_sim/clock/advance", json={"seconds": 1})
        sumsub = SumsubAuth()
        client.post("/resources/applicants?levelName=basic-kyc-level", json={"externalUserId": "u1"}, auth=sumsub)
        token = client.post(
            "/resources/accessTokens/sdk", json={"userId": "u1", "levelName": "basic-kyc-level"}, auth=sumsub
        ).json()["token"]
        client.get(f"/websdk/t/{token}")  # a person opens the page
        client.get(f"/websdk/t/{token}?kycsim_poll=1")  # the page's own reload
    assert _level(lines, "POST /applicants ") == logging.INFO
    assert _level(lines, f"GET {page} ") == logging.INFO
    assert _level(lines, f"GET {page}state ") == logging.DEBUG
    assert _level(lines, "GET /_sim/runs ") == logging.DEBUG
    assert _level(lines, "POST /_sim/clock/advance ") == logging.INFO
    assert [level for level, message in lines if message.startswith("GET /websdk/t/")] == [
        logging.INFO,
        logging.DEBUG,
    ]


def test_a_pages_own_reload_and_the_websdk_state_endpoint_are_polls(lines):
    app = create_app(Settings(seed=3, speed="manual", start_time="2025-01-01T00:00:00Z"))
    with TestClient(app) as client:
        sumsub = SumsubAuth()
        link = client.post(
            "/resources/sdkIntegrations/levels/-/websdkLink", json={"userId": "u2", "levelName": "l"}, auth=sumsub
        ).json()["url"]
        page = link.split("testserver")[1]
        client.get(page)  # a person opens the page
        client.get(f"{page}/state")  # the page follows the review
        client.get(f"{page}?kycsim_poll=1")  # the page's script reloads it: the review moved
    assert [level for level, message in lines if message.startswith("GET /websdk/")] == [
        logging.INFO,
        logging.DEBUG,
        logging.DEBUG,
    ]


DEMO_KEY = "sk_sbox_console_console_console_cons"


@pytest.fixture
def stdout():
    """A string buffer for the console; the logging set-up is put back afterwards."""
    buffer = io.StringIO()
    root = logging.getLogger("kycsim")
    saved = root.handlers[:], root.level, root.propagate
    yield buffer
    console.flush()
    console._lines = None
    root.handlers[:], root.level, root.propagate = saved


def wait_for_lines(buffer: io.StringIO, count: int) -> list[str]:
    deadline = time.monotonic() + 10
    while len(lines := buffer.getvalue().splitlines()) < count:
        assert time.monotonic() < deadline, f"only {lines}"
        time.sleep(0.01)
    return lines


def serve_two_requests() -> None:
    app = create_app(demo_settings(), providers={"demo": DemoProvider()})
    with TestClient(app) as client:
        widget = client.post("/demo/widgets", json={}, headers={"Authorization": DEMO_KEY}).json()
        client.get(f"/demo/widgets/{widget['id']}", headers={"Authorization": DEMO_KEY})


def test_a_text_line_per_request_reaches_the_console_on_its_own(stdout):
    console.configure_logging("text", "info", stdout)
    serve_two_requests()
    lines = wait_for_lines(stdout, 2)
    created = r"\d\d:\d\d:\d\d POST /demo/widgets 201 \d+\.\dms tenant=sk_sbox_…cons scenario=widget-default"
    assert re.fullmatch(created, lines[0]), lines[0]
    # The pipeline tags every call with its tenant, a read too.
    read = r"\d\d:\d\d:\d\d GET /demo/widgets/wdg_\w+ 200 \d+\.\dms tenant=sk_sbox_…cons"
    assert re.fullmatch(read, lines[1]), lines[1]


def test_json_lines_carry_the_fields(stdout):
    console.configure_logging("json", "info", stdout)
    serve_two_requests()
    first = json.loads(wait_for_lines(stdout, 2)[0])
    assert first["time"] and (first["level"], first["logger"], first["kind"]) == ("info", "kycsim.console", "request")
    assert (first["method"], first["path"], first["status"], first["tenant"]) == (
        "POST",
        "/demo/widgets",
        201,
        "sk_sbox_…cons",
    )
    assert first["message"].startswith("POST /demo/widgets 201 ")
    assert first["operation"] == "demo:create_widget"  # the route's name


def test_other_log_lines_keep_their_place_and_warning_silences_requests(stdout):
    console.configure_logging("text", "info", stdout)
    console._line(logging.INFO, "first", {})
    logging.getLogger("kycsim.store").warning("second")
    console._line(logging.INFO, "third", {})
    console.flush()
    assert [line.split(" ", 1)[1] for line in stdout.getvalue().splitlines()] == ["first", "second", "third"]
    console.configure_logging("text", "warning", stdout)
    serve_two_requests()
    console.flush()
    assert len(stdout.getvalue().splitlines()) == 3
