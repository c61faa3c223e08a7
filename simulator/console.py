"""The console: one readable line per request and per webhook attempt, or JSON lines for CI.

Also records every provider request in the journal, and commits the request's writes to the
store just before the response starts. Pure ASGI middleware: it wraps ``receive`` and ``send``
and never buffers a response it does not need to.

The per-request and per-attempt lines are the hot path of logging, so :class:`Lines` writes them
itself once :func:`configure_logging` set the console up: the same text the logging formatter
would make, without a LogRecord per line (which walks the stack to find its caller) and without a
flush per line. They reach the stream in batches, at most ``FLUSH_SECONDS`` late; any other log
record flushes them first, so the console keeps its order.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import logging
import sys
import threading
import time
from time import perf_counter
from typing import TYPE_CHECKING, Any, TextIO

from simulator.engine.journal import latency_ms
from simulator.engine.masking import mask, mask_url
from simulator.engine.scenarios.model import REQUEST_STATE

if TYPE_CHECKING:
    from simulator.engine.webhooks.dispatcher import Attempt
    from simulator.simulator import Simulator

log = logging.getLogger("kycsim.console")
QUIET_PATHS = ("/_sim/health", "/_sim/events")  # never on the console
READS = ("GET", "HEAD")
FLUSH_SECONDS = 0.05  # how late a console line may reach the stream
MAX_PENDING = 256  # lines held at most before they are written anyway


class Lines:
    """Console lines formatted and batched here, written to ``stream`` (see the module docstring)."""

    def __init__(self, stream: TextIO, json_lines: bool) -> None:
        self.stream = stream
        self.json_lines = json_lines
        self._datefmt = "%Y-%m-%dT%H:%M:%S" if json_lines else "%H:%M:%S"
        self._second = -1
        self._stamp = ""
        self._pending: list[str] = []
        self._lock = threading.Lock()

    def write(self, level: int, message: str, fields: dict[str, Any]) -> None:
        if not self.json_lines:
            self.write_text(message)
            return
        self._stamp_now()
        name = logging.getLevelName(level).lower()
        data = {"time": self._stamp, "level": name, "logger": log.name, "message": message, **fields}
        self._add(json.dumps(data) + "\n")

    def write_text(self, message: str) -> None:
        """A text line: the time and ``message`` (the fields only go into JSON lines)."""
        if int(time.time()) != self._second:
            self._stamp_now()
        self._add(f"{self._stamp} {message}\n")

    def _stamp_now(self) -> None:
        """The timestamp changes once a second: it is formatted once a second."""
        now = int(time.time())
        if now != self._second:
            self._second, self._stamp = now, time.strftime(self._datefmt, time.localtime(now))

    def _add(self, line: str) -> None:
        with self._lock:
            self._pending.append(line)
            waiting = len(self._pending)
        if waiting >= MAX_PENDING:
            self.flush()
        elif waiting == 1:
            try:
                asyncio.get_running_loop().call_later(FLUSH_SECONDS, self.flush)
            except RuntimeError:  # no event loop in this thread: nothing would come back to flush
                self.flush()

    def flush(self) -> None:
        with self._lock:
            lines, self._pending = self._pending, []
            if lines:
                try:
                    self.stream.write("".join(lines))
                    self.stream.flush()
                except (OSError, ValueError):  # the console went away (closed pipe, closed file)
                    pass


class _ConsoleHandler(logging.StreamHandler):
    """The handler of every other log record: the batched lines go first, so the order is kept."""

    def __init__(self, lines: Lines) -> None:
        super().__init__(lines.stream)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.flush()
        super().emit(record)


_lines: Lines | None = None  # set by configure_logging; until then lines go through logging


def configure_logging(fmt: str = "text", level: str = "info", stream: TextIO | None = None) -> None:
    global _lines
    if _lines is not None:
        _lines.flush()
    _lines = Lines(stream or sys.stdout, fmt == "json")
    atexit.register(_lines.flush)
    handler = _ConsoleHandler(_lines)
    if fmt == "json":
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    root = logging.getLogger("kycsim")
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root.propagate = False


def flush() -> None:
    """Write the console lines still held back (the server is stopping)."""
    if _lines is not None:
        _lines.flush()


def _line(level: int, message: str, fields: dict[str, Any]) -> None:
    """One console line: straight to the stream once configured, else through logging (an embedding app's)."""
    if _lines is not None:
        _lines.write(level, message, fields)
    else:
        log.log(level, message, extra={"fields": fields})


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update(getattr(record, "fields", {}))
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data)


def log_attempt(attempt: Attempt) -> None:
    if not log.isEnabledFor(logging.INFO):
        return
    outcome = str(attempt.status_code) if attempt.status_code is not None else (attempt.error or "error")
    if attempt.status_code is not None and attempt.error:  # e.g. a 200 counted as failed by chaos fail_first
        outcome += f" ({attempt.error})"
    retry = f" next retry {attempt.next_retry_at}" if attempt.next_retry_at else ""
    retry += f" chaos: {'; '.join(attempt.chaos)}" if getattr(attempt, "chaos", None) else ""
    tenant, url = mask(attempt.tenant), mask_url(attempt.url)
    _line(
        logging.INFO,
        f"webhook {attempt.event_type} -> {url} {outcome} {attempt.latency_ms:.1f}ms tenant={tenant}"
        f" attempt={attempt.number:d}{retry}",
        {
            "kind": "webhook",
            "event_type": attempt.event_type,
            "url": url,
            "status": attempt.status_code,
            "error": attempt.error,
            "latency_ms": attempt.latency_ms,
            "tenant": tenant,
            "attempt": attempt.number,
            "chaos": getattr(attempt, "chaos", []),
        },
    )


class RequestLogMiddleware:
    def __init__(self, app, sim: Simulator) -> None:
        self.app = app
        self.sim = sim

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # This runs on every request: plain locals and counters, no per-chunk sums.
        started = perf_counter()
        state = scope.setdefault("state", {})
        limit = self.sim.journal.body_limit
        request_chunks: list[bytes] = []
        response_chunks: list[bytes] = []
        request_size = response_size = 0
        status = 500
        store = self.sim.store
        wrote = store.watch()  # did this request change anything? (None: nothing to commit, ever)
        committed = False

        async def receive_logged():
            nonlocal request_size
            message = await receive()
            if message["type"] == "http.request" and request_size < limit:
                chunk = message.get("body", b"")
                request_chunks.append(chunk)
                request_size += len(chunk)
            return message

        async def send_logged(message) -> None:
            nonlocal status, response_size, committed
            kind = message["type"]
            if kind == "http.response.body":
                if response_size < limit:
                    chunk = message.get("body", b"")
                    response_chunks.append(chunk)
                    response_size += len(chunk)
            elif kind == "http.response.start":
                status = message["status"]
                if not committed:  # the request's writes are durable before the client hears of them
                    committed = True
                    if wrote and wrote[0]:
                        await store.committed()
            await send(message)

        serving = REQUEST_STATE.set(state)  # what handlers put on request.state (tenant, scenario)
        try:
            await self.app(scope, receive_logged, send_logged)
        finally:
            REQUEST_STATE.reset(serving)
            if not committed and wrote and wrote[0]:  # no response went out (the client left, an error escaped)
                store.commit_soon()
            self._record(scope, state, status, started, request_chunks, response_chunks)

    def _record(self, scope, state, status, started, request_chunks, response_chunks) -> None:
        path = scope["path"]
        elapsed = perf_counter() - started
        tenant, provider, scenario = state.get("tenant"), state.get("provider"), state.get("scenario")
        if tenant:
            self.sim.retention.seen(tenant)  # an idle tenant is forgotten after a while
        if not path.startswith("/_sim") and state.get("journal", True):
            clock = self.sim.clock
            self.sim.journal.record(
                start=clock.start,  # with seconds, what clock.now(tenant) would give, formatted on read
                seconds=clock.seconds(tenant),
                method=scope["method"],
                path=path,
                query=scope.get("query_string", b""),
                status=status,
                elapsed=elapsed,
                tenant=tenant,
                provider=provider,
                scenario=scenario,
                wall=clock.wall(),
                request_chunks=request_chunks,
                response_chunks=response_chunks,
                warnings=state.get("warnings"),
                operation=state.get("operation"),
            )
        # Polls (a hosted page following its flow) and reads of the control API (the dashboard, `kycsim
        # trigger`) are most of the traffic: at info they would hide the real requests.
        method = scope["method"]
        quiet = state.get("poll") or (path.startswith("/_sim") and method in READS)
        level = logging.DEBUG if quiet else logging.INFO
        if path.startswith(QUIET_PATHS) or not log.isEnabledFor(level):
            return
        shown = mask(tenant)
        extras = (f" tenant={shown}" if shown else "") + (f" scenario={scenario}" if scenario else "")
        # Rounded once, by the format: the journal's two-decimal rounding (round(), which formats the
        # number too) is for the JSON line's field only.
        message = f"{method} {path} {status:d} {elapsed * 1000:.1f}ms{extras}"
        lines = _lines
        if lines is not None and not lines.json_lines:  # the default console: the text is all it needs
            lines.write_text(message)
            return
        latency = latency_ms(elapsed)
        _line(
            level,
            message,
            {
                "kind": "request",
                "method": method,
                "path": path,
                "status": status,
                "latency_ms": latency,
                "tenant": shown,
                "scenario": scenario,
                "operation": state.get("operation"),
            },
        )
