"""The console lines: their text and JSON forms, written in batches yet in order with every other log line."""

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
from tests.conftest import demo_settings
from tests.support.demo_provider import DemoProvider

KEY = "sk_sbox_console_console_console_cons"


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
        widget = client.post("/demo/widgets", json={}, headers={"Authorization": KEY}).json()
        client.get(f"/demo/widgets/{widget['id']}", headers={"Authorization": KEY})


def test_a_text_line_per_request_reaches_the_console_on_its_own(stdout):
    console.configure_logging("text", "info", stdout)
    serve_two_requests()
    lines = wait_for_lines(stdout, 2)
    created = r"\d\d:\d\d:\d\d POST /demo/widgets 201 \d+\.\dms tenant=sk_sbox_…cons scenario=widget-default"
    assert re.fullmatch(created, lines[0]), lines[0]
    assert re.fullmatch(r"\d\d:\d\d:\d\d GET /demo/widgets/wdg_\w+ 200 \d+\.\dms", lines[1]), lines[1]


def test_json_lines_carry_the_fields(stdout):
    console.configure_logging("json", "info", stdout)
    serve_two_requests()
    first = json.loads(wait_for_lines(stdout, 2)[0])
    assert first["time"] and (first["level"], first["logger"], first["kind"]) == ("info", "kycsim.console", "request")
    assert (first["method"], first["path"], first["status"], first["tenant"]) == ("POST", "/demo/widgets", 201,
                                                                                 "sk_sbox_…cons")  # fmt: skip
    assert first["message"].startswith("POST /demo/widgets 201 ")


def test_other_log_lines_keep_their_place_and_warning_silences_requests(stdout):
    console.configure_logging("text", "info", stdout)
    console._info("first", {})
    logging.getLogger("kycsim.store").warning("second")
    console._info("third", {})
    console.flush()
    assert [line.split(" ", 1)[1] for line in stdout.getvalue().splitlines()] == ["first", "second", "third"]
    console.configure_logging("text", "warning", stdout)
    serve_two_requests()
    console.flush()
    assert len(stdout.getvalue().splitlines()) == 3
