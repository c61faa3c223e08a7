"""The plugin's webhook receiver (simulator/testing/receiver.py): verified on arrival, one inbox per test,
and hostile deliveries refused with a status, never a crash."""

from __future__ import annotations

import hashlib
import hmac
import socket

import httpx
import pytest

from simulator.testing.receiver import Receiver


def verify(headers, body: bytes, secret: str) -> bool:
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers.get("X-Sig", ""))


def signed(body: bytes, secret: str = "s3cret") -> dict[str, str]:
    return {"X-Sig": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


@pytest.fixture
def receiver():
    running = Receiver().start()
    yield running
    running.stop()


def test_a_signed_event_is_kept_parsed_in_its_tests_inbox(receiver):
    inbox_id, inbox = receiver.open({"demo": ("s3cret", verify)})
    _, other = receiver.open({"demo": ("s3cret", verify)})
    body = b'{"type": "thing_done", "data": {"id": "thing_1"}}'
    answer = httpx.post(f"{receiver.url}/{inbox_id}/demo", content=body, headers=signed(body))
    assert answer.status_code == 200 and answer.json() == {"received": True, "detail": "ok"}
    [event] = inbox.events
    assert (event.provider, event.type, event["data"]["id"], event.raw) == ("demo", "thing_done", "thing_1", body)
    assert event.mentions("thing_1") and not event.mentions("thing_2") and other.events == []


@pytest.mark.parametrize(
    ("path", "body", "headers", "status"),
    [
        ("/{inbox}/demo", b'{"type": "x"}', {"X-Sig": "0" * 64}, 401),  # a wrong signature
        ("/{inbox}/demo", b"not json", "sign", 400),
        ("/{inbox}/other", b"{}", "sign", 404),  # a provider this test has no endpoint for
        ("/nobody/demo", b"{}", "sign", 404),  # a test that ended
        ("/{inbox}/demo/extra", b"{}", "sign", 404),
        ("/", b"{}", "sign", 404),
    ],
)
def test_a_delivery_that_does_not_check_out_is_refused(receiver, path, body, headers, status):
    inbox_id, inbox = receiver.open({"demo": ("s3cret", verify)})
    headers = signed(body) if headers == "sign" else headers
    answer = httpx.post(receiver.url + path.format(inbox=inbox_id), content=body, headers=headers)
    assert answer.status_code == status and answer.json()["received"] is False
    assert inbox.events == [] and len(inbox.rejected) == (1 if status in (400, 401) else 0)


def test_a_lying_content_length_is_refused_without_hanging(receiver):
    inbox_id, inbox = receiver.open({"demo": ("s3cret", verify)})
    for length, status in ((b"-5", b"413"), (b"999999999", b"413"), (b"ten", b"413"), (b"50", b"400")):
        with socket.create_connection(("127.0.0.1", receiver.port), timeout=10) as sock:
            sock.sendall(b"POST /" + inbox_id.encode() + b"/demo HTTP/1.1\r\nHost: x\r\nContent-Length: " + length)
            sock.sendall(b"\r\n\r\n{}")
            sock.shutdown(socket.SHUT_WR)  # the body ends short of what Content-Length says
            assert sock.recv(100).split(b" ")[1] == status, length
    assert inbox.events == []


def test_the_url_kycsim_posts_to_can_be_another_name_for_this_machine():
    receiver = Receiver("127.0.0.1", 0, "http://host.docker.internal:{port}/").start()
    try:
        assert receiver.url == f"http://host.docker.internal:{receiver.port}"
    finally:
        receiver.stop()
    assert Receiver("0.0.0.0", 8123).url == "http://127.0.0.1:8123"
