"""A real HTTP receiver on 127.0.0.1 for webhook tests: records requests, answers as told.

It can answer with chosen status codes, slowly, hang until released, go down (port closed) and come
back on the same port. Tests wait on its condition variable for requests to arrive; they never
sleep to pass.
"""

from __future__ import annotations

import socket
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    complete: bool  # False when the sender cut the connection before the whole body came
    peer: tuple[str, int] = ("", 0)  # the sender's address: one per connection it opened


class Receiver:
    def __init__(self, port: int = 0) -> None:
        self.requests: list[Received] = []
        self.statuses: deque[int] = deque()  # answers to give, in order; 200 once empty
        self.default_status = 200
        self.delays: deque[float] = deque()  # real seconds to wait before each answer, in order (a slow receiver)
        self.hang = threading.Event()  # set: the handler waits for release before answering
        self._release = threading.Event()
        self._cond = threading.Condition()
        self._port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # Lifecycle

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = b""
                try:
                    while len(body) < length:
                        chunk = self.rfile.read(length - len(body))
                        if not chunk:
                            break
                        body += chunk
                except OSError:
                    pass
                received = Received(
                    self.path, dict(self.headers.items()), body, len(body) == length, self.client_address
                )
                receiver._record(received)
                if len(body) < length:
                    self.close_connection = True
                    return
                if receiver.hang.is_set():
                    receiver._release.wait(30)
                delay = receiver._next_delay()
                if delay:
                    receiver._release.wait(delay)  # answers late (released early only by stop())
                status = receiver._next_status()
                payload = b'{"received": true}' if status < 300 else b'{"error": "receiver says no"}'
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        self._server.daemon_threads = True
        self._port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the port: senders get 'connection refused' until :meth:`start` again."""
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self._release.clear()

    def release(self) -> None:
        self.hang.clear()
        self._release.set()

    def __enter__(self) -> Receiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # Inspection

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}/hooks"

    @property
    def port(self) -> int:
        return self._port

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        with self._cond:
            self._cond.wait_for(lambda: len(self.requests) >= count, timeout)
            return list(self.requests)

    def bodies(self) -> list[bytes]:
        return [r.body for r in self.requests if r.complete]

    # Private functions

    def _record(self, received: Received) -> None:
        with self._cond:
            self.requests.append(received)
            self._cond.notify_all()

    def _next_delay(self) -> float:
        with self._cond:
            return self.delays.popleft() if self.delays else 0.0

    def _next_status(self) -> int:
        with self._cond:
            return self.statuses.popleft() if self.statuses else self.default_status


def closed_port_url() -> str:
    """A URL on a port nobody listens on (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks"
