"""The store's interface, and the memory backend every store is built on.

Providers keep their resources as plain JSON-compatible dicts; the store never interprets them.
:class:`MemoryStore` (the default) hands back the stored dict itself, no copies; callers must
:meth:`Store.put` a document after changing it, which costs nothing here and marks it for the next
write transaction in SQLite (``sqlite.py``). Every put gives the document a new revision, never
handed out before in this process (:meth:`Store.revision`): what was made from a document at one
revision (a rendered response body, say) is still good while its revision is the same.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator
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
    def revision(self, tenant: str, provider: str, kind: str, key: str | None) -> int | None: ...
    def put(self, tenant: str, provider: str, kind: str, key: str, doc: Doc) -> None: ...
    def delete(self, tenant: str, provider: str, kind: str, key: str) -> None: ...
    def list(self, tenant: str, provider: str, kind: str) -> builtins.list[Doc]: ...
    def tenants(self) -> builtins.list[str]: ...
    def reset(self, tenant: str | None = None) -> None: ...
    def watch(self) -> builtins.list[bool] | None: ...
    def keep(self, name: str, snapshot: Callable[[], str], *, each_commit: bool = False) -> Any: ...
    def changed(self, name: str) -> None: ...
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
        self._revisions: dict[str, dict[tuple[str, str, str], int]] = {}  # tenant -> (provider, kind, key) -> revision
        self._last_revision = 0

    def _bucket(self, tenant: str, provider: str, kind: str) -> dict[str, Doc]:
        return self._data.setdefault(tenant, {}).setdefault((provider, kind), {})

    def get(self, tenant: str, provider: str, kind: str, key: str) -> Doc | None:
        return self._data.get(tenant, {}).get((provider, kind), {}).get(key)

    def revision(self, tenant: str, provider: str, kind: str, key: str | None) -> int | None:
        """The document's revision: new at each put; None while there is no such document."""
        revisions = self._revisions.get(tenant)
        if revisions is None or key is None:
            return None
        return revisions.get((provider, kind, key))

    def put(self, tenant: str, provider: str, kind: str, key: str, doc: Doc) -> None:
        self._bucket(tenant, provider, kind)[key] = doc
        self._last_revision += 1
        revisions = self._revisions.get(tenant)
        if revisions is None:
            revisions = self._revisions[tenant] = {}
        revisions[(provider, kind, key)] = self._last_revision

    def delete(self, tenant: str, provider: str, kind: str, key: str) -> None:
        self._data.get(tenant, {}).get((provider, kind), {}).pop(key, None)
        self._revisions.get(tenant, {}).pop((provider, kind, key), None)

    def list(self, tenant: str, provider: str, kind: str) -> builtins.list[Doc]:
        return list(self._data.get(tenant, {}).get((provider, kind), {}).values())

    def tenants(self) -> builtins.list[str]:
        return list(self._data)

    def reset(self, tenant: str | None = None) -> None:
        if tenant is None:
            self._data.clear()
            self._revisions.clear()
        else:
            self._data.pop(tenant, None)
            self._revisions.pop(tenant, None)

    def watch(self) -> builtins.list[bool] | None:
        return None

    def keep(self, name: str, snapshot: Callable[[], str], *, each_commit: bool = False) -> Any:
        """State kept beside the documents (the clock, bindings, endpoints), as JSON text that
        ``snapshot`` makes: a durable store asks for it after :meth:`changed` (or at every commit, with
        ``each_commit``: state that moves by itself) and writes it with the documents when it differs
        from what it wrote last. Returns what the last process wrote (parsed), or None. In memory
        nothing outlives the process: always None."""
        return None

    def changed(self, name: str) -> None:
        """The state kept as ``name`` changed: it goes in the next commit (even if no document changed),
        and the request that changed it waits for that commit, as for a document."""

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
