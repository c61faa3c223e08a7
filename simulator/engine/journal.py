"""The request journal: every request and response, newest last, bounded in memory."""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import asdict, dataclass, field


@dataclass
class Entry:
    id: int
    at: str
    method: str
    path: str
    query: str
    status: int
    latency_ms: float
    tenant: str | None
    provider: str | None
    scenario: str | None = None
    request_body: str | None = None
    response_body: str | None = None
    extra: dict = field(default_factory=dict)


class Journal:
    def __init__(self, capacity: int = 5000, body_limit: int = 4096) -> None:
        self._entries: deque[Entry] = deque(maxlen=capacity)
        self._ids = itertools.count(1)
        self.body_limit = body_limit

    def record(self, **fields) -> Entry:
        for key in ("request_body", "response_body"):
            if fields.get(key) is not None and len(fields[key]) > self.body_limit:
                fields[key] = fields[key][: self.body_limit] + "..."
        entry = Entry(id=next(self._ids), **fields)
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
            found.append(asdict(entry))
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
