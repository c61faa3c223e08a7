"""The store's interface, and the memory backend every store is built on.

Providers keep their resources as plain JSON-compatible dicts; the store never interprets them.
:class:`MemoryStore` (the default) hands back the stored dict itself, no copies; callers must
:meth:`Store.put` a document after changing it, which costs nothing here and marks it for the next
write transaction in SQLite (``sqlite.py``).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import Any, Protocol

Doc = dict[str, Any]
Ident = tuple[str, str, str, str]  # tenant, provider, kind, key


class StoreError(RuntimeError):
    """The store cannot be opened; the message says why and what to do."""


class Store(Protocol):
    # How many times this store was opened before: 0 for a fresh one. Ids mix it into their
    # streams, so a restart on the same file never hands out an id it handed out before.
    epoch: int
    durable: bool  # outlives the process (what only matters after a restart is kept only then)

    def get(self, tenant: str, provider: str, kind: str, key: str) -> Doc | None: ...
    def put(self, tenant: str, provider: str, kind: str, key: str, doc: Doc) -> None: ...
    def delete(self, tenant: str, provider: str, kind: str, key: str) -> None: ...
    def list(self, tenant: str, provider: str, kind: str) -> builtins.list[Doc]: ...
    def tenants(self) -> builtins.list[str]: ...
    def reset(self, tenant: str | None = None) -> None: ...
    def watch(self) -> builtins.list[bool] | None: ...
    def commit(self) -> None: ...
    def commit_soon(self) -> None: ...
    async def committed(self) -> None: ...
    def close(self) -> None: ...


class MemoryStore:
    epoch = 0
    durable = False

    def __init__(self) -> None:
        # tenant -> (provider, kind) -> key -> doc; dicts keep insertion order, so lists are oldest first.
        self._data: dict[str, dict[tuple[str, str], dict[str, Doc]]] = {}

    def _bucket(self, tenant: str, provider: str, kind: str) -> dict[str, Doc]:
        return self._data.setdefault(tenant, {}).setdefault((provider, kind), {})

    def get(self, tenant: str, provider: str, kind: str, key: str) -> Doc | None:
        return self._data.get(tenant, {}).get((provider, kind), {}).get(key)

    def put(self, tenant: str, provider: str, kind: str, key: str, doc: Doc) -> None:
        self._bucket(tenant, provider, kind)[key] = doc

    def delete(self, tenant: str, provider: str, kind: str, key: str) -> None:
        self._data.get(tenant, {}).get((provider, kind), {}).pop(key, None)

    def list(self, tenant: str, provider: str, kind: str) -> builtins.list[Doc]:
        return list(self._data.get(tenant, {}).get((provider, kind), {}).values())

    def tenants(self) -> builtins.list[str]:
        return list(self._data)

    def reset(self, tenant: str | None = None) -> None:
        if tenant is None:
            self._data.clear()
        else:
            self._data.pop(tenant, None)

    def watch(self) -> builtins.list[bool] | None:
        return None

    def commit(self) -> None:
        pass

    def commit_soon(self) -> None:
        pass

    async def committed(self) -> None:
        pass

    def close(self) -> None:
        pass


def iter_all(store: Store, provider: str, kind: str) -> Iterator[tuple[str, Doc]]:
    """Every (tenant, document) of one kind, across tenants."""
    for tenant in store.tenants():
        for doc in store.list(tenant, provider, kind):
            yield tenant, doc
