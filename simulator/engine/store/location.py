"""Which store a setting names: ``memory``, or a SQLite file checked before it is opened."""

from __future__ import annotations

import os
from pathlib import Path

from simulator.engine.store.memory import MemoryStore, Store, StoreError
from simulator.engine.store.sqlite import SqliteStore

SQLITE = "sqlite:///"
STORE_FORMS = "'memory', 'sqlite:///relative/path.db' or 'sqlite:////absolute/path.db'"


class StoreUrlError(StoreError, ValueError):
    """The store setting is not a form kycsim knows; the message shows the forms."""


def store_path(url: str) -> Path | None:
    """The SQLite file a store URL names (None for ``memory``), read as SQLAlchemy reads it: after
    ``sqlite:///`` comes the path, so ``sqlite:///data/x.db`` is ``data/x.db`` in the working folder
    and ``sqlite:////data/x.db`` (four slashes) is ``/data/x.db``."""
    if url in ("", "memory", "memory://"):
        return None
    if url.startswith(SQLITE) and url != SQLITE:
        return Path(url.removeprefix(SQLITE))
    if url.startswith("sqlite:"):
        rest = url.removeprefix("sqlite:").lstrip("/")
        example = f"; for the file {rest} write sqlite:///{rest} (relative) or sqlite:////{rest} (absolute)"
        raise StoreUrlError(f"the store {url!r} names no file: use {STORE_FORMS}{example if rest else ''}")
    raise StoreUrlError(f"unknown store {url!r}: use {STORE_FORMS}")


def open_store(url: str) -> Store:
    """``memory`` or ``sqlite:///relative/path.db`` / ``sqlite:////absolute/path.db`` (see :func:`store_path`)."""
    path = store_path(url)
    if path is None:
        return MemoryStore()
    _check_place(url, path)
    return SqliteStore(path)


def _sqlite_or_empty(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            head = file.read(16)
    except OSError:
        return True  # opening it will say what is wrong
    return head in (b"", b"SQLite format 3\x00")


def _check_place(url: str, path: Path) -> None:
    """Refuse, with what to do instead, a file that cannot be made: the folder is missing (kycsim
    does not make folders: ``sqlite:///data/x.db`` is most often meant as ``/data/x.db``), is not
    writable (SQLite keeps ``-wal`` and ``-shm`` files next to the database, kycsim a ``.lock``),
    or the path is a folder."""
    folder = path.absolute().parent
    if path.is_dir():
        raise StoreError(f"cannot use the store {url}: {path.absolute()} is a folder, not a database file")
    if not folder.is_dir():
        hint = (
            f" (three slashes make {path} relative to the working folder; for /{path} write sqlite:////{path})"
            if not path.is_absolute()
            else ""
        )
        raise StoreError(f"cannot open the store {url}: the folder {folder} does not exist{hint}")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise StoreError(f"cannot open the store {url}: {path.absolute()} is not readable and writable")
    if path.exists() and not _sqlite_or_empty(path):
        raise StoreError(
            f"cannot use the store {url}: {path.absolute()} is not a SQLite database (kycsim leaves it be)"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(
            f"cannot open the store {url}: the folder {folder} is not writable (SQLite and kycsim keep files"
            " next to the database)"
        )
