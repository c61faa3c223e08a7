"""The pytest plugin's webhook receiver: one HTTP server per test session (per xdist worker), one inbox per test.

kycsim delivers each test's events to ``<base>/<inbox>/<provider>``, signed with that test's secret.
The receiver checks the signature on arrival, as the app would (the provider's ``verify_webhook``):
a good one is parsed and kept in the inbox, oldest first (answer ``200``); a bad one is kept apart
in ``inbox.rejected`` and answered ``401``, so kycsim retries it as the provider would. A path that
names no open inbox (a test that ended) gets ``404``.

Where it listens: ``KYCSIM_RECEIVER_HOST`` (default ``127.0.0.1``; ``0.0.0.0`` to be reachable from
a container) and ``KYCSIM_RECEIVER_PORT`` (default ``0``, a free port; under pytest-xdist each worker
adds its number). The URL kycsim posts to is ``KYCSIM_RECEIVER_URL`` (``{port}`` stands for the port
it got), by default ``http://<host>:<port>``: set it when kycsim reaches this machine by another name
(``http://host.docker.internal:{port}``, ``http://172.17.0.1:{port}``).
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MAX_BODY = 16 * 1024 * 1024  # a webhook body is a few kilobytes; a larger one is refused, not read

Verify = Callable[[Mapping[str, str], bytes, str], bool]


@dataclass(frozen=True)
class ReceivedEvent:
    """A webhook the receiver accepted: its provider, ``type``, parsed ``body``, and the ``headers`` it came with."""

    provider: str
    type: str
    body: Any
    headers: Mapping[str, str]
    raw: bytes = b""

    def __getitem__(self, key: str) -> Any:
        """``event["data"]``: a field of the body."""
        return self.body[key]

    def mentions(self, subject: str) -> bool:
        """Whether ``subject`` (a verification, applicant or action id...) is a value anywhere in the body."""
        return _mentions(self.body, subject)


def _mentions(value: Any, subject: str) -> bool:
    if isinstance(value, dict):
        return any(_mentions(v, subject) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, subject) for v in value)
    return value == subject


@dataclass
class Inbox:
    """One test's webhooks: ``events`` accepted, oldest first, and ``rejected`` ones (a wrong signature...)."""

    secrets: dict[str, tuple[str, Verify]]  # provider -> (its webhook secret, its verify_webhook)
    events: list[ReceivedEvent] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (provider, why)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def accept(self, provider: str, headers: Mapping[str, str], body: bytes) -> tuple[int, str]:
        """Check and keep one delivery; answers its status and a word on it."""
        secret, verify = self.secrets[provider]
        with self.changed:
            if not verify(headers, body, secret):
                self.rejected.append((provider, "the signature does not verify with this test's secret"))
                self.changed.notify_all()
                return 401, "bad signature"
            try:
                parsed = json.loads(body)
            except ValueError:
                self.rejected.append((provider, "the body is not JSON"))
                self.changed.notify_all()
                return 400, "not JSON"
            kind = parsed.get("type") if isinstance(parsed, dict) else None
            self.events.append(ReceivedEvent(provider, str(kind), parsed, dict(headers), body))
            self.changed.notify_all()
        return 200, "ok"

    def wait(self, ready: Callable[[], bool], timeout: float) -> bool:
        """Wait (real time, at most ``timeout`` seconds) until ``ready()``; whether it is."""
        with self.changed:
            return self.changed.wait_for(ready, timeout)


class Receiver:
    """The HTTP server holding every open inbox; :meth:`open` gives a test its own."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, public_url: str | None = None) -> None:
        self.host, self._port, self._public = host, port, public_url
        self.inboxes: dict[str, Inbox] = {}
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                status, word = receiver._deliver(self)
                payload = json.dumps({"received": status == 200, "detail": word}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the sender went away first: what it sent is kept all the same
                    self.close_connection = True

        self._server = ThreadingHTTPServer((self.host, self._port), Handler)
        self._server.daemon_threads = True
        self._port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        """The base URL kycsim posts to."""
        if self._public:
            return self._public.replace("{port}", str(self._port)).rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self._port}"

    def open(self, verifiers: Mapping[str, tuple[str, Verify]]) -> tuple[str, Inbox]:
        """A new inbox for ``{provider: (secret, verify_webhook)}``; returns its id (a path segment) and it."""
        inbox_id = secrets.token_hex(8)
        self.inboxes[inbox_id] = inbox = Inbox(dict(verifiers))
        return inbox_id, inbox

    def close(self, inbox_id: str) -> None:
        self.inboxes.pop(inbox_id, None)

    def _deliver(self, request: BaseHTTPRequestHandler) -> tuple[int, str]:
        parts = request.path.split("?")[0].strip("/").split("/")
        inbox = self.inboxes.get(parts[0]) if len(parts) == 2 else None
        if inbox is None or parts[1] not in inbox.secrets:
            return 404, "no test is waiting here (it ended)"
        try:
            length = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            request.close_connection = True
            return 413, "no body, or too large"
        try:
            body = request.rfile.read(length)
        except OSError:
            body = b""
        if len(body) < length:
            request.close_connection = True
            return 400, "the body ended early"
        return inbox.accept(parts[1], dict(request.headers.items()), body)
