"""The console: one readable line per request and per webhook attempt, or JSON lines for CI.

Also records every provider request in the journal, and commits the request's writes to the
store just before the response starts. Pure ASGI middleware: it wraps ``receive`` and ``send``
and never buffers a response it does not need to.
"""

from __future__ import annotations

import json
import logging
import sys
from time import perf_counter
from typing import TYPE_CHECKING

from simulator.engine.journal import latency_ms
from simulator.engine.masking import mask, mask_url
from simulator.engine.scenarios.model import REQUEST_STATE

if TYPE_CHECKING:
    from simulator.app import Simulator
    from simulator.engine.webhooks.dispatcher import Attempt

log = logging.getLogger("kycsim.console")
QUIET_PATHS = ("/_sim/health", "/_sim/events")  # never on the console
READS = ("GET", "HEAD")


def configure_logging(fmt: str = "text", level: str = "info") -> None:
    handler = logging.StreamHandler(sys.stdout)
    if fmt == "json":
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    root = logging.getLogger("kycsim")
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root.propagate = False


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
    outcome = str(attempt.status_code) if attempt.status_code is not None else (attempt.error or "error")
    if attempt.status_code is not None and attempt.error:  # e.g. a 200 counted as failed by chaos fail_first
        outcome += f" ({attempt.error})"
    retry = f" next retry {attempt.next_retry_at}" if attempt.next_retry_at else ""
    retry += f" chaos: {'; '.join(attempt.chaos)}" if getattr(attempt, "chaos", None) else ""
    log.info(
        "webhook %s -> %s %s %.1fms tenant=%s attempt=%d%s",
        attempt.event_type,
        mask_url(attempt.url),
        outcome,
        attempt.latency_ms,
        mask(attempt.tenant),
        attempt.number,
        retry,
        extra={
            "fields": {
                "kind": "webhook",
                "event_type": attempt.event_type,
                "url": mask_url(attempt.url),
                "status": attempt.status_code,
                "error": attempt.error,
                "latency_ms": attempt.latency_ms,
                "tenant": mask(attempt.tenant),
                "attempt": attempt.number,
                "chaos": getattr(attempt, "chaos", []),
            }
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
                    store.commit()
            await send(message)

        serving = REQUEST_STATE.set(state)  # what handlers put on request.state (tenant, scenario)
        try:
            await self.app(scope, receive_logged, send_logged)
        finally:
            REQUEST_STATE.reset(serving)
            if not committed:  # no response went out (the client left, or an error escaped)
                store.commit()
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
                request_chunks=request_chunks,
                response_chunks=response_chunks,
            )
        # Polls (a hosted page following its flow) and reads of the control API (the dashboard, `kycsim
        # trigger`) are most of the traffic: at info they would hide the real requests.
        quiet = state.get("poll") or (path.startswith("/_sim") and scope["method"] in READS)
        level = logging.DEBUG if quiet else logging.INFO
        if path.startswith(QUIET_PATHS) or not log.isEnabledFor(level):
            return
        latency = latency_ms(elapsed)
        extras = "".join(f" {k}={v}" for k, v in (("tenant", mask(tenant)), ("scenario", scenario)) if v)
        log.log(
            level,
            "%s %s %d %.1fms%s",
            scope["method"],
            path,
            status,
            latency,
            extras,
            extra={
                "fields": {
                    "kind": "request",
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "latency_ms": latency,
                    "tenant": mask(tenant),
                    "scenario": scenario,
                }
            },
        )
