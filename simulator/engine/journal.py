"""The request journal: every request and response, newest last, bounded in memory.

Recording sits on every request's path, so an entry keeps raw values (the virtual clock's start
and seconds, byte chunks) and is turned into text only when somebody reads the journal.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from simulator.engine.clock import isoformat, wall_isoformat
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
    wall: float  # when the request ended, in real time (seconds since the epoch), formatted on read
    tenant: str | None
    provider: str | None
    scenario: str | None
    request_chunks: list[bytes]
    response_chunks: list[bytes]
    warnings: list[str] | None = None  # what did not go as asked (an email tag naming no scenario, ...)
    operation: str | None = None  # the route's name, "<provider>:<operation>"

    def as_json(self, body_limit: int) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": isoformat(self.start + timedelta(seconds=self.seconds)),
            "wall_at": wall_isoformat(self.wall - self.elapsed),
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
        wall: float = 0.0,
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
            wall,
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
    ) -> list[dict[str, Any]]:
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

    def mentioning(self, tenant: str, needles: Iterable[str], limit: int = 500) -> list[dict[str, Any]]:
        """``tenant``'s entries whose path, query or bodies hold one of ``needles`` (a verification's ids) as
        a whole word (``ext-1`` is not found in ``ext-10``), oldest first, the newest ``limit``. A scan of raw
        bytes: the journal is bounded, and nobody asks this on a request's path."""
        pattern = whole_words(needles)
        if pattern is None:
            return []
        found = []
        for entry in reversed(self._entries):
            if entry.tenant != tenant:
                continue
            raw = b" ".join([entry.path.encode(), entry.query, *entry.request_chunks, *entry.response_chunks])
            if pattern.search(raw):
                found.append(entry.as_json(self.body_limit))
                if len(found) >= limit:
                    break
        return found[::-1]

    def tenants(self) -> list[str]:
        """Every tenant with a request in the journal, oldest first."""
        return [t for t in dict.fromkeys(e.tenant for e in self._entries) if t]

    def reset(self, tenant: str | None = None) -> None:
        if tenant is None:
            self._entries.clear()
        else:
            kept = [e for e in self._entries if e.tenant != tenant]
            self._entries.clear()
            self._entries.extend(kept)


def whole_words(needles: Iterable[str]) -> re.Pattern[bytes] | None:
    """A pattern finding any of ``needles`` not glued to more of an id: no letter, digit, ``_``, ``-`` or
    ``.`` right before it, nor a letter, digit, ``_`` or ``-`` right after (a needle that starts or
    ends with another character, such as a path, is free on that side)."""
    parts = []
    for needle in sorted({n for n in needles if n}, key=len, reverse=True):
        raw = needle.encode()
        before = rb"(?<![\w.-])" if _WORD.match(raw[:1]) else b""
        after = rb"(?![\w-])" if _WORD.match(raw[-1:]) else b""
        parts.append(before + re.escape(raw) + after)
    return re.compile(b"|".join(parts)) if parts else None


_WORD = re.compile(rb"[\w.-]")


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
