"""One kycsim process per SQLite file: a lock on ``<file>.lock`` held while the store is open."""

from __future__ import annotations

import os
import sys
from typing import IO

from simulator.engine.store.memory import StoreError


def claim(path: str) -> IO[str]:
    """Hold an exclusive lock on ``<path>.lock`` while the store is open; refuse if another process holds it.

    The operating system drops the lock when the process ends, however it ends (``kill -9``
    included), so a restart after a crash is never refused.
    """
    try:
        owner = open(f"{path}.lock", "a+")  # noqa: SIM115 - held open for the store's lifetime
    except OSError as exc:
        raise StoreError(f"cannot open {path}.lock next to the store: {exc.strerror or exc}") from None
    try:
        _lock_exclusive(owner)
    except OSError:
        owner.seek(0)
        pid = owner.read().strip()
        owner.close()
        by = f"kycsim process {pid}" if pid and pid != str(os.getpid()) else "another kycsim"
        raise StoreError(
            f"{path} is in use by {by}: one kycsim process per SQLite file (each would serve its own copy"
            " of the state). Stop the other process, or give this one another --store file."
        ) from None
    owner.seek(0)
    owner.truncate()
    owner.write(str(os.getpid()))
    owner.flush()
    return owner


def _lock_exclusive(file: IO[str]) -> None:
    if sys.platform == "win32":
        import msvcrt

        file.seek(0)
        msvcrt.locking(file.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
