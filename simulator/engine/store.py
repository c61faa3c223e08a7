"""Where state lives: JSON documents partitioned by tenant, provider and kind.

Providers keep their resources as plain JSON-compatible dicts; the store never interprets
them. Two backends share the interface: :class:`MemoryStore` (the default; a GET hands back
the stored dict itself, no copies) and :class:`SqliteStore` (``sqlite:///path.db``: state
survives restarts). Callers must :meth:`Store.put` a document after changing it, which is a
no-op cost in memory and the write in SQLite.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

Doc = dict[str, Any]


class Store(Protocol):
    def get(self, tenant: str, provider: str, kind: str, key: str) -> Doc | None: ...
    def put(self, tenant: str, provider: str, kind: str, key: str, doc: Doc) -> None: ...
    def delete(self, tenant: str, provider: str, kind: str, key: str) -> None: ...
    def list(self, tenant: str, provider: str, kind: str) -> list[Doc]: ...
    def tenants(self) -> list[str]: ...
    def reset(self, tenant: str | None = None) -> None: ...
    def close(self) -> None: ...


class MemoryStore:
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

    def list(self, tenant: str, provider: str, kind: str) -> list[Doc]:
        return list(self._data.get(tenant, {}).get((provider, kind), {}).values())

    def tenants(self) -> list[str]:
        return list(self._data)

    def reset(self, tenant: str | None = None) -> None:
        if tenant is None:
            self._data.clear()
        else:
            self._data.pop(tenant, None)

    def close(self) -> None:
        pass


class SqliteStore:
    """One table of JSON documents; a read cache keeps GETs off the disk."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS documents (tenant TEXT, provider TEXT, kind TEXT, key TEXT,"
            " seq INTEGER, body TEXT, PRIMARY KEY (tenant, provider, kind, key))"
        )
        self._cache: dict[tuple[str, str, str, str], Doc] = {}

    def get(self, tenant: str, provider: str, kind: str, key: str) -> Doc | None:
        ident = (tenant, provider, kind, key)
        doc = self._cache.get(ident)
        if doc is None:
            with self._lock:
                row = self._db.execute(
                    "SELECT body FROM documents WHERE tenant=? AND provider=? AND kind=? AND key=?", ident
                ).fetchone()
            if row is None:
                return None
            doc = self._cache[ident] = json.loads(row[0])
        return doc

    def put(self, tenant: str, provider: str, kind: str, key: str, doc: Doc) -> None:
        body = json.dumps(doc, separators=(",", ":"))
        with self._lock:
            self._db.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM documents), ?)"
                " ON CONFLICT (tenant, provider, kind, key) DO UPDATE SET body = excluded.body",
                (tenant, provider, kind, key, body),
            )
        self._cache[(tenant, provider, kind, key)] = doc

    def delete(self, tenant: str, provider: str, kind: str, key: str) -> None:
        with self._lock:
            self._db.execute(
                "DELETE FROM documents WHERE tenant=? AND provider=? AND kind=? AND key=?",
                (tenant, provider, kind, key),
            )
        self._cache.pop((tenant, provider, kind, key), None)

    def list(self, tenant: str, provider: str, kind: str) -> list[Doc]:
        with self._lock:
            rows = self._db.execute(
                "SELECT key, body FROM documents WHERE tenant=? AND provider=? AND kind=? ORDER BY seq",
                (tenant, provider, kind),
            ).fetchall()
        return [self._cache.setdefault((tenant, provider, kind, key), json.loads(body)) for key, body in rows]

    def tenants(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT DISTINCT tenant FROM documents ORDER BY tenant")]

    def reset(self, tenant: str | None = None) -> None:
        with self._lock:
            if tenant is None:
                self._db.execute("DELETE FROM documents")
                self._cache.clear()
            else:
                self._db.execute("DELETE FROM documents WHERE tenant=?", (tenant,))
                self._cache = {k: v for k, v in self._cache.items() if k[0] != tenant}

    def close(self) -> None:
        with self._lock:
            self._db.close()


def open_store(url: str) -> Store:
    """``memory`` or ``sqlite:///relative/or/absolute/path.db``."""
    if url in ("", "memory", "memory://"):
        return MemoryStore()
    if url.startswith("sqlite:///"):
        return SqliteStore(url.removeprefix("sqlite:///") or ":memory:")
    raise ValueError(f"unknown store {url!r}: use 'memory' or 'sqlite:///path.db'")


def iter_all(store: Store, provider: str, kind: str) -> Iterator[tuple[str, Doc]]:
    """Every (tenant, document) of one kind, across tenants."""
    for tenant in store.tenants():
        for doc in store.list(tenant, provider, kind):
            yield tenant, doc
