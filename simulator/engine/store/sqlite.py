"""The SQLite store: the memory store plus a durable copy in a file (``sqlite:///path.db``).

Writes are grouped: :meth:`SqliteStore.commit` makes everything put or deleted since the last commit
durable in one transaction. A request that changed anything waits for :meth:`SqliteStore.committed`
before its response starts (so an acknowledged write is on disk). A thread of its own writes one
transaction at a time while the event loop serves others; whatever changes meanwhile waits, and
goes in the next one (group commit: under load, one transaction holds many requests' changes), and
the scheduler commits after its jobs (so a scenario step's effects, the webhooks it queued and its
"done" mark land together, or not at all; a webhook goes out only once its event is on disk).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from simulator.engine.store.lock import claim
from simulator.engine.store.memory import Doc, Ident, MemoryStore, StoreError

log = logging.getLogger("kycsim.store")
RETRY_SECONDS = 1.0  # after a failed write (a full disk, say), the changes are written again this much later
CACHE_KIB = 32 * 1024  # SQLite's page cache: upserts find their pages without reading them again
_encode = json.JSONEncoder(separators=(",", ":"), check_circular=False).encode  # one encoder, made once


class SqliteStore(MemoryStore):
    """The memory store, plus a SQLite file that holds a durable copy of it.

    Reads never touch the disk: the file is loaded at open and every change is kept in memory
    too. Puts and deletes only mark a document; :meth:`commit` writes the marked ones in one
    transaction (WAL, ``synchronous=NORMAL``: a killed process loses nothing committed; a power
    cut may lose the last transactions, never corrupt the file). One process per file: a
    second one is refused at open, since each would serve its own copy of the state.
    """

    durable = True

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = str(path)
        self._lock = threading.Lock()
        self._dirty: dict[Ident, None] = {}  # changed since the last commit, in first-change order
        self._deleted: set[Ident] = set()  # deleted since the last commit (a re-put gets a new position)
        self._resets: list[str | None] = []
        self._kept: dict[str, Callable[[], str]] = {}  # state beside the documents (keep): its snapshots
        self._kept_written: dict[str, str] = {}  # ... as last written (or loaded): unchanged is not written again
        self._each_commit: set[str] = set()  # kept state that moves by itself: snapshot with every batch
        self._due: set[str] = set()  # kept state that changed (changed): in the next batch, even with no document
        self._commit_scheduled = False
        self._waiters: list[asyncio.Future[None]] = []  # requests waiting for the next commit
        self._submitted: dict[_Batch, Future[None]] = {}  # handed to the writer thread, oldest first, not yet written
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kycsim-sqlite")
        self._owner: IO[str] | None = None
        if self.path != ":memory:":
            self._owner = claim(self.path)
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            self._db.executescript(
                "CREATE TABLE IF NOT EXISTS documents (tenant TEXT, provider TEXT, kind TEXT, key TEXT,"
                " seq INTEGER, body TEXT, PRIMARY KEY (tenant, provider, kind, key));"
                "CREATE INDEX IF NOT EXISTS documents_seq ON documents (seq);"
                "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER);"
                "CREATE TABLE IF NOT EXISTS kept (name TEXT PRIMARY KEY, body TEXT);"
            )
            self._saved = dict(self._db.execute("SELECT name, body FROM kept"))
            self.epoch = self._next_epoch()
            self._seq = self._load()
        except (sqlite3.DatabaseError, OSError) as exc:
            self._release()
            raise StoreError(f"cannot open {self.path} as a kycsim SQLite store: {exc}") from None

    def put(self, tenant: str, provider: str, kind: str, key: str, doc: Doc) -> None:
        super().put(tenant, provider, kind, key, doc)
        self._dirty[(tenant, provider, kind, key)] = None
        _wrote()

    def delete(self, tenant: str, provider: str, kind: str, key: str) -> None:
        super().delete(tenant, provider, kind, key)
        ident = (tenant, provider, kind, key)
        self._dirty[ident] = None
        self._deleted.add(ident)
        _wrote()

    def reset(self, tenant: str | None = None) -> None:
        super().reset(tenant)
        self._resets.append(tenant)
        _wrote()

    def watch(self) -> list[bool]:
        """A flag that turns true when the current task (a request) changes anything: only then does
        it need to wait for :meth:`committed`; a read never waits for other requests' writes."""
        flag = [False]
        _WRITES.set(flag)
        return flag

    def keep(self, name: str, snapshot: Callable[[], str], *, each_commit: bool = False) -> Any:
        self._kept[name] = snapshot
        self._due.add(name)  # written once as it is now, unless that is what the file holds
        if each_commit:
            self._each_commit.add(name)
        saved = self._saved.pop(name, None)
        if saved is None:
            return None
        self._kept_written[name] = saved
        try:
            return json.loads(saved)
        except ValueError:
            log.warning("the saved %s in %s is not JSON; it starts afresh", name, self.path)
            return None

    def changed(self, name: str) -> None:
        self._due.add(name)
        _wrote()

    def commit(self) -> None:
        """Write every change so far in one transaction, now (after the batches still being written)."""
        for waiting, written in list(self._submitted.items()):
            try:
                written.result()
            except Exception:
                self._restore(waiting)  # it failed: its changes go again, with these
        batch = self._take()
        if batch is not None:
            try:
                self._write(batch)
            except BaseException:
                self._restore(batch)
                raise
            self._settle(batch, None)

    def commit_soon(self) -> None:
        """Commit in the background once the event loop has run what is ready now: changes made meanwhile
        (other requests finishing, other outcomes) share the transaction. Without a running loop, at once."""
        if self._commit_scheduled or not (self._dirty or self._resets or self._due or self._waiters):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.commit()
            return
        self._commit_scheduled = True
        loop.call_soon(self._commit_now)

    async def committed(self) -> None:
        """Wait until everything changed so far is durable (a request, before its response starts)."""
        if not (self._dirty or self._resets or self._due):
            if not self._submitted:
                return
            await asyncio.wrap_future(
                next(reversed(self._submitted.values()))
            )  # what is being written holds our changes
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        self.commit_soon()
        await waiter

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self._writer.shutdown(wait=True)
            with self._lock:
                self._db.close()
            self._release()

    # Writing

    def _commit_now(self) -> None:
        """On the event loop: hand the changes so far to the writer thread, unless it is writing a batch still.

        Then they wait for it to finish (:meth:`_written` commits again): one batch at a time, holding
        everything that changed while the last one was written, makes few large transactions instead
        of one per request, and SQLite's cost is mostly per transaction.
        """
        self._commit_scheduled = False
        if self._submitted:
            return
        batch = self._take()
        if batch is None:
            self._settle(_Batch([], [], [], [], set(), [], self._drain_waiters()), None)
            return
        written = self._submitted[batch] = self._writer.submit(self._write, batch)
        loop = asyncio.get_running_loop()
        written.add_done_callback(lambda f: loop.call_soon_threadsafe(self._written, batch, f))

    def _written(self, batch: _Batch, written: Future[None]) -> None:
        self._submitted.pop(batch, None)
        error = written.exception()
        if error is not None:
            self._restore(batch)
            log.error("writing to %s failed (%s); the changes are kept for the next commit", self.path, error)
            asyncio.get_running_loop().call_later(RETRY_SECONDS, self.commit_soon)
        self._settle(batch, error)
        if error is None:
            self.commit_soon()  # what changed while this batch was written

    def _take(self) -> _Batch | None:
        """The changes since the last batch, serialized now (the documents keep changing meanwhile)."""
        if not (self._dirty or self._resets or self._due):
            return None
        gone, rows = [], []
        for ident in self._dirty:
            doc = self.get(*ident)
            if doc is None or ident in self._deleted:
                gone.append(ident)
            if doc is not None:
                try:
                    body = _encode(doc)
                except (TypeError, ValueError):  # a provider bug; it must not hold up everybody's writes
                    log.exception("document %s cannot be stored as JSON; kept in memory only", ident)
                    continue
                self._seq += 1
                rows.append((*ident, self._seq, body))
        batch = _Batch(
            self._resets, gone, rows, list(self._dirty), self._deleted, self._kept_rows(), self._drain_waiters()
        )
        self._dirty, self._deleted, self._resets, self._due = {}, set(), [], set()
        return batch

    def _kept_rows(self) -> list[tuple[str, str]]:
        """Each kept state that changed (or moves by itself), when its snapshot differs from what was
        written last: it goes with the documents. The others are not even asked (a snapshot may be large)."""
        rows = []
        for name in self._due | self._each_commit:
            try:
                text = self._kept[name]()
            except Exception:  # a bug in its owner; it must not hold up everybody's writes
                log.exception("the state %s cannot be saved; kept in memory only", name)
                continue
            if text != self._kept_written.get(name):
                rows.append((name, text))
                self._kept_written[name] = text
        return rows

    def _write(self, batch: _Batch) -> None:
        """One transaction (on the writer thread, or the caller's for :meth:`commit`)."""
        with self._lock:
            db = self._db
            db.execute("BEGIN")
            try:
                for tenant in batch.resets:
                    if tenant is None:
                        db.execute("DELETE FROM documents")
                    else:
                        db.execute("DELETE FROM documents WHERE tenant=?", (tenant,))
                db.executemany("DELETE FROM documents WHERE tenant=? AND provider=? AND kind=? AND key=?", batch.gone)
                # A new key takes the next position; an existing one keeps its place in lists.
                db.executemany(
                    "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (tenant, provider, kind, key) DO UPDATE SET body = excluded.body",
                    batch.rows,
                )
                db.executemany("INSERT OR REPLACE INTO kept VALUES (?, ?)", batch.kept)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def _restore(self, batch: _Batch) -> None:
        """A batch that was not written: its changes are marked again (memory holds their current state).

        A reset in it runs again, so every document of that tenant is written again after it: later
        batches may have written some of them already.
        """
        if batch.restored:
            return
        batch.restored = True
        self._resets = batch.resets + self._resets
        again = dict.fromkeys(batch.idents)
        for tenant in batch.resets:
            for name in list(self._data) if tenant is None else [tenant]:
                for (provider, kind), docs in self._data.get(name, {}).items():
                    again.update(dict.fromkeys((name, provider, kind, key) for key in docs))
        self._dirty = {**again, **self._dirty}
        self._deleted |= batch.deleted
        for name, _ in batch.kept:  # written again, as they are by then
            self._due.add(name)
            self._kept_written.pop(name, None)

    def _drain_waiters(self) -> list[asyncio.Future[None]]:
        waiters, self._waiters = self._waiters, []
        return waiters

    @staticmethod
    def _settle(batch: _Batch, error: BaseException | None) -> None:
        try:
            here = asyncio.get_running_loop()
        except RuntimeError:
            here = None
        for waiter in batch.waiters:
            if waiter.get_loop() is here:
                _resolve(waiter, error)
            else:  # a commit() from another thread
                waiter.get_loop().call_soon_threadsafe(_resolve, waiter, error)

    # Private functions

    def _next_epoch(self) -> int:
        """How many times the file was opened before (a file from before this counter counts as opened once)."""
        row = self._db.execute("SELECT value FROM meta WHERE name='opens'").fetchone()
        if row is not None:
            epoch = int(row[0])
        else:
            epoch = 1 if self._db.execute("SELECT 1 FROM documents LIMIT 1").fetchone() else 0
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('opens', ?)", (epoch + 1,))
        return epoch

    def _load(self) -> int:
        seq = 0
        for tenant, provider, kind, key, position, body in self._db.execute(
            "SELECT tenant, provider, kind, key, seq, body FROM documents ORDER BY seq"
        ):
            MemoryStore.put(self, tenant, provider, kind, key, json.loads(body))
            seq = max(seq, position or 0)
        return seq

    def _release(self) -> None:
        if self._owner is not None:
            self._owner.close()  # closing the file drops the lock
            self._owner = None


@dataclass(eq=False)
class _Batch:
    """One transaction's worth of changes, serialized, and the requests waiting for it."""

    resets: list[str | None]
    gone: list[Ident]
    rows: list[tuple[str, str, str, str, int, str]]
    idents: list[Ident]
    deleted: set[Ident]
    kept: list[tuple[str, str]]  # (name, JSON text) of each kept state that changed
    waiters: list[asyncio.Future[None]]
    restored: bool = False


_WRITES: ContextVar[list[bool] | None] = ContextVar("kycsim_store_writes", default=None)


def _wrote() -> None:
    flag = _WRITES.get()
    if flag is not None:
        flag[0] = True


def _resolve(waiter: asyncio.Future[None], error: BaseException | None) -> None:
    if not waiter.done():
        if error is None:
            waiter.set_result(None)
        else:
            waiter.set_exception(error)
