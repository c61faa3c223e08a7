"""What ``create_app`` wires around every route: a 500, if one still happens, is complete and logged."""

from __future__ import annotations

import json
import logging
import socket

import pytest
from starlette.responses import StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from simulator.app import create_app
from simulator.server import ThreadedServer
from tests.conftest import demo_settings
from tests.support.demo_provider import DemoProvider


class CrashingProvider(DemoProvider):
    """The demo provider with one route that fails the way a bug would."""

    def routes(self):
        async def crash(request):
            raise RuntimeError("a bug")

        async def crash_midway(request):
            async def chunks():
                yield b"the start"
                raise RuntimeError("a bug midway")

            return StreamingResponse(chunks())

        return [
            *super().routes(),
            Route("/demo/crash", crash, methods=["GET"]),
            Route("/demo/crash-midway", crash_midway, methods=["GET"]),
        ]


@pytest.fixture(scope="module")
def server():
    with ThreadedServer(demo_settings(), providers={"demo": CrashingProvider()}) as running:
        yield running


def _exchange(sock: socket.socket, path: str) -> tuple[int, dict[str, str], bytes]:
    """One keep-alive request on ``sock`` and its whole response."""
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: kycsim\r\nAuthorization: k\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    while len(body) < int(headers["content-length"]):
        body += sock.recv(65536)
    return int(lines[0].split()[1]), headers, body


def test_a_500_is_complete_logged_once_and_the_connection_stays_usable(server, caplog):
    caplog.set_level(logging.INFO)
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        status, headers, body = _exchange(sock, "/demo/crash")
        assert status == 500
        assert headers.get("connection") != "close"
        assert json.loads(body) == {"demo_error": "internal error"}
        status, _, _ = _exchange(sock, "/_sim/health")  # same connection, next request
        assert status == 200
    failures = [r for r in caplog.records if r.exc_info]
    assert len(failures) == 1, [r.getMessage() for r in failures]
    assert "unhandled error on GET /demo/crash" in failures[0].getMessage()
    assert "RuntimeError: a bug" in caplog.text


def test_a_control_500_carries_a_request_id(server, caplog, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the catalogue")

    monkeypatch.setattr(server.sim.catalogue, "get", broken)
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        status, headers, body = _exchange(sock, "/_sim/scenarios/widget-failed")
        assert status == 500
        error = json.loads(body)["error"]
        assert error["type"] == "internal_error" and error["request_id"] == headers["x-request-id"]
        assert _exchange(sock, "/_sim/health")[0] == 200
    assert f"request id {error['request_id']}" in caplog.text


def test_a_failure_after_the_response_started_sends_no_500_on_top(caplog):
    """The answer under way cannot become a 500: it stops where it was; the failure is logged once."""
    app = create_app(demo_settings(), providers={"demo": CrashingProvider()})
    with TestClient(app) as client:
        response = client.get("/demo/crash-midway")
        assert (response.status_code, response.content) == (200, b"the start")
        assert client.get("/_sim/health").status_code == 200
    failures = [r for r in caplog.records if r.exc_info]
    assert [r.getMessage().split(" (")[0] for r in failures] == ["unhandled error on GET /demo/crash-midway"]


def test_app_state_values_are_plain_attributes_kept_in_step_with_starlettes_state():
    app = create_app(demo_settings(), providers={"demo": CrashingProvider()})
    state = app.state
    assert state.sim is state["sim"] and vars(state)["sim"] is state.sim  # found without State.__getattr__
    state.one = 1
    state["two"] = 2
    assert (state.one, state["one"], state.two, state["two"]) == (1, 1, 2, 2)
    assert vars(state)["one"] == 1 and vars(state)["two"] == 2
    del state.one
    del state["two"]
    assert sorted(state) == ["sim"]
    for name in ("one", "two"):
        assert not hasattr(state, name) and name not in vars(state)
