"""Encoded response bodies, kept with the revisions of the documents they were rendered from.

A client polling a resource gets the same body until the resource changes, and rendering it and
encoding the JSON is most of what such a GET costs. Every stored document gets a new revision at
each put (:meth:`~simulator.engine.store.Store.revision`), so a body rendered from documents at
given revisions is the same body while those revisions hold: it is served again from here. The
key names the operation, the tenant, the base URL (links carry it) and the documents, so nothing
else may go into such a body. Entries are bounded; the oldest go first.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from simulator.web import encode_json

CAPACITY = 2048  # bodies kept (a poll's body is 1 to 2 KB)
VERIFY = False  # the tests set it: every hit is rendered again and compared (a change made without a put shows)


class StaleBody(AssertionError):
    """A kept body differs from a fresh rendering: some document changed without a put."""


class RenderedBodies:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._entries: dict[Hashable, tuple[tuple[int | None, ...], bytes]] = {}

    def body(self, key: Hashable, revisions: tuple[int | None, ...], render: Callable[[], Any]) -> bytes:
        """``render()`` encoded, or the body kept for ``key`` when it was made at these ``revisions``."""
        entries = self._entries
        kept = entries.get(key)
        if kept is not None and kept[0] == revisions:
            if VERIFY and encode_json(render()) != kept[1]:
                raise StaleBody(f"the body kept for {key} is stale: a document changed without a put")
            return kept[1]
        body = encode_json(render())
        if kept is None and len(entries) >= self.capacity:
            del entries[next(iter(entries))]
        entries[key] = (revisions, body)
        return body

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
