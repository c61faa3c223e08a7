"""The request journal: every request and response, newest last, bounded in memory.

Recording sits on every request's path, so an entry keeps raw values (the virtual clock's start
and seconds, byte chunks) and is turned into text only when somebody reads the journal.
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from simulator.engine.clock import isoformat
from simulator.engine.masking import mask, mask_text


@dataclass(slots=True)
class Entry:
    id: int
    start: datetime  # the clock's start (fixed for a run) ...
    seconds: float  # ... and the tenant's virtual seconds since then: ``at`` = start + seconds, built on read
    method: str
    path: str
    query: bytes
    status: int
    elapsed: float  # wall seconds; rounded to ``latency_ms`` on read (round() is slow for a hot path)
    tenant: str | None
    provider: str | None
    scenario: str | None
    request_chunks: list[bytes]
    response_chunks: list[bytes]
    warnings: list[str] | None = None  # what did not go as asked (an email tag naming no scenario, ...)
    operation: str | None = None  # the route's name, "<provider>:<operation>"

    def as_json(self, body_limit: int) -> dict:
        return {
            "id": self.id,
            "at": isoformat(self.start + timedelta(seconds=self.seconds)),
            "method": self.method,
            "path": self.path,
            "query": mask_text(self.query.decode("latin-1")),
            "status": self.status,
            "latency_ms": latency_ms(self.elapsed),
            "tenant": mask(self.tenant),  # credentials are masked where they are shown (engine/masking.py)
            "provider": self.provider,
            "operation": self.operation,
            "scenario": self.scenario,
            "request_body": mask_text(_text(self.request_chunks, body_limit)),
            "response_body": mask_text(_text(self.response_chunks, body_limit)),
            "warnings": list(self.warnings or ()),
        }


class Journal:
    def __init__(self, capacity: int = 5000, body_limit: int = 4096) -> None:
        self._entries: deque[Entry] = deque(maxlen=capacity)
        self._ids = itertools.count(1)
        self.body_limit = body_limit

    def record(
        self,
        *,
        start: datetime,
        seconds: float,
        method: str,
        path: str,
        query: bytes,
        status: int,
        elapsed: float,
        tenant: str | None,
        provider: str | None,
        scenario: str | None = None,
        request_chunks: list[bytes] | None = None,
        response_chunks: list[bytes] | None = None,
        warnings: list[str] | None = None,
        operation: str | None = None,
    ) -> Entry:
        entry = Entry(
            next(self._ids),
            start,
            seconds,
            method,
            path,
            query,
            status,
            elapsed,
            tenant,
            provider,
            scenario,
            request_chunks or [],
            response_chunks or [],
            warnings,
            operation,
        )
        self._entries.append(entry)
        return entry

    def query(
        self,
        *,
        method: str | None = None,
        path: str | None = None,
        tenant: str | None = None,
        provider: str | None = None,
        limit: int = 100,
    ) -> list[dict]:
        """Newest first; ``path`` matches as a prefix."""
        found = []
        for entry in reversed(self._entries):
            if method and entry.method != method.upper():
                continue
            if path and not entry.path.startswith(path):
                continue
            if tenant and entry.tenant != tenant:
                continue
            if provider and entry.provider != provider:
                continue
            found.append(entry.as_json(self.body_limit))
            if len(found) >= limit:
                break
        return found

    def reset(self, tenant: str | None = None) -> None:
        if tenant is None:
            self._entries.clear()
        else:
            kept = [e for e in self._entries if e.tenant != tenant]
            self._entries.clear()
            self._entries.extend(kept)


def latency_ms(elapsed: float) -> float:
    """Wall seconds as the journal and the console show them: milliseconds to 2 decimals."""
    return round(elapsed * 1000, 2)


def _text(chunks: list[bytes], limit: int) -> str | None:
    if not chunks:
        return None
    data = b"".join(chunks)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return f"<{len(data)} bytes of binary data>"
    return text if len(text) <= limit else text[:limit] + "..."
