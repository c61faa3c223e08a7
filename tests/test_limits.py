"""Connection limits on a real server: header size, slow senders, and a 50 MB body refused before it is read."""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from simulator.server import ThreadedServer
from simulator.settings import Settings

KEY = "sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e"


@pytest.fixture(scope="module")
def server():
    settings = Settings(
        seed=1,
        speed="manual",
        start_time="2025-01-01T00:00:00Z",
        max_header_bytes=4096,
        header_timeout=0.5,
        body_timeout=0.5,
    )
    with ThreadedServer(settings) as running:
        yield running


def _connect(server) -> socket.socket:
    sock = socket.create_connection((server.host, server.port), timeout=10)
    return sock


def _read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (the socket timeout bounds the wait)."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_headers_over_the_cap_get_431_and_the_server_carries_on(server):
    with _connect(server) as sock:
        sock.sendall(b"GET /_sim/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 8000 + b"\r\n\r\n")
        answer = _read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 431 ") and b"larger than 4096 bytes" in answer
    with _connect(server) as sock:  # many small headers count too
        sock.sendall(b"GET /_sim/health HTTP/1.1\r\n" + b"X-Many: aaaaaaaaaa\r\n" * 400 + b"\r\n")
        assert _read_until_closed(sock).startswith(b"HTTP/1.1 431 ")
    assert httpx.get(f"{server.url}/_sim/health").status_code == 200


@pytest.mark.parametrize(
    "sent",
    [b"", b"GET /_sim/health HTTP/1.1\r\nHost: x\r\n", b"GET /_sim/hea"],
    ids=["silent", "headers-never-end", "request-line-never-ends"],
)
def test_a_slow_head_gets_408_and_is_closed(server, sent):
    with _connect(server) as sock:
        sock.sendall(sent)
        answer = _read_until_closed(sock)  # the server closes; nothing here sleeps
    assert answer.startswith(b"HTTP/1.1 408 ") and b"head did not arrive in time" in answer


def test_a_slow_head_after_requests_served_in_time_gets_408(server):
    """One timer per connection follows the deadline of the request under way, not the first one's."""
    with _connect(server) as sock:
        sock.sendall(b"GET /_sim/health HTTP/1.1\r\nHost: x\r\n\r\n" * 3 + b"GET /_sim/hea")
        answer = _read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 200 ") and answer.count(b"HTTP/1.1 200 ") == 3
    assert b"HTTP/1.1 408 " in answer and answer.endswith(b"the request head did not arrive in time")


def test_a_slow_body_gets_408_and_is_closed(server):
    with _connect(server) as sock:
        sock.sendall(
            b"POST /applicants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + KEY.encode()
            + b'\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email": '
        )
        answer = _read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 408 ") and b"body did not arrive in time" in answer
    assert server.sim.store.list(KEY, "checkout", "applicants") == []


def test_keep_alive_requests_within_the_limits_are_served(server):
    with httpx.Client(base_url=server.url) as http:
        for _ in range(5):
            assert http.get("/_sim/health", headers={"X-Fine": "a" * 2000}).status_code == 200


def test_a_declared_50_mb_body_gets_413_before_it_is_sent(server):
    with _connect(server) as sock:
        sock.sendall(
            b"POST /applicants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + KEY.encode()
            + b"\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n"
        )
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(
            next(line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")).split(b":")[1]
        )
        while len(body) < length:
            body += sock.recv(65536)
    assert head.startswith(b"HTTP/1.1 413 ")
    assert json.loads(body)["error_type"] == "request_entity_too_large"
