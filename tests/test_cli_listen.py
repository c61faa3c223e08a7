"""``kycsim listen``: follows a real server's event stream and forwards each event, signed."""

from __future__ import annotations

import threading

import httpx

from simulator.cli import main
from simulator.cli_listen import listen, sse_frames
from tests.webhook_support.providers import hook_signature
from tests.webhook_support.receiver import Receiver, closed_port_url
from tests.webhook_support.server import hook_server


class Lines:
    """Collects printed lines; ``ready`` is set once the listener is following the stream."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.ready = threading.Event()

    def __call__(self, text: str) -> None:
        self.lines.append(text)
        if text.startswith("Ready!"):
            self.ready.set()


def start(target, *args, **kwargs) -> tuple[threading.Thread, list]:
    result: list = []
    thread = threading.Thread(target=lambda: result.append(target(*args, **kwargs)), daemon=True)
    thread.start()
    return thread, result


def test_listen_forwards_each_event_signed_and_prints_a_line_per_delivery():
    with hook_server() as server, Receiver() as receiver:
        out = Lines()
        thread, result = start(
            listen, server.url, receiver.url, providers=["hooks"], secret="whsec_local", max_events=2, out=out
        )
        assert out.ready.wait(5), out.lines
        httpx.post(f"{server.url}/hooks/things", headers={"X-KycSim-Scenario": "thing-happy"})
        httpx.post(f"{server.url}/_sim/clock/advance", json={"seconds": 10})
        thread.join(5)
        assert result == [0]
        received = receiver.wait_for(2)
        assert [r.headers["X-Hook-Signature"] for r in received] == [
            hook_signature("whsec_local", r.body) for r in received
        ]
        assert b'"thing.created"' in received[0].body and b'"thing.processing"' in received[1].body
        deliveries = out.lines[1:]
        assert len(deliveries) == 2
        assert "thing.created" in deliveries[0] and f"-> 200 POST {receiver.url}" in deliveries[0]
        assert deliveries[1].startswith("2025-01-01T00:00:10Z  hooks")


def test_listen_reports_a_receiver_that_is_down_and_keeps_going():
    with hook_server() as server:
        out = Lines()
        thread, result = start(listen, server.url, closed_port_url(), max_events=1, out=out)
        assert out.ready.wait(5)
        httpx.post(f"{server.url}/hooks/ping")
        thread.join(5)
        assert result == [0] and "-> ERROR ConnectError" in out.lines[-1]


def test_listen_without_a_simulator_says_so():
    out = Lines()
    assert listen(closed_port_url().removesuffix("/hooks"), "http://127.0.0.1:9/", out=out) == 1
    assert "cannot reach kycsim" in out.lines[0]


def test_the_cli_command_is_wired(capsys):
    with hook_server() as server, Receiver() as receiver:
        argv = ["listen", "--url", server.url, "--forward-to", receiver.url, "--events", "ping", "--max-events", "1"]
        thread, result = start(main, argv)
        server_sim = server.sim
        # The subscription shows up on the server once the CLI follows the stream.
        for _ in range(500):
            if server_sim.dispatcher.stream.subscriptions:
                break
            thread.join(0.01)
        httpx.post(f"{server.url}/hooks/things")  # thing.created: filtered out by --events
        httpx.post(f"{server.url}/hooks/ping")
        thread.join(5)
        assert result == [0]
        assert len(receiver.wait_for(1)) == 1 and b'"ping"' in receiver.requests[0].body
    assert "ping" in capsys.readouterr().out


def test_sse_frames_parse_the_wire_format():
    lines = [": comment", "id: e1", "event: webhook", 'data: {"a":', "data: 1}", "", "data: x", ""]
    assert list(sse_frames(lines)) == [("webhook", '{"a":\n1}', "e1"), ("message", "x", None)]
