"""Where state lives: JSON documents partitioned by tenant, provider and kind.

Two backends share one interface (``memory.py``: :class:`Store`): :class:`MemoryStore`, the default,
and :class:`SqliteStore` (``sqlite.py``), the same in memory plus a durable copy in a file that
survives restarts. ``location.py`` reads the ``--store`` setting and opens the store it names.
"""

from simulator.engine.store.location import StoreUrlError, open_store, store_path
from simulator.engine.store.memory import Doc, MemoryStore, Store, StoreError, iter_all
from simulator.engine.store.sqlite import SqliteStore

__all__ = [
    "Doc",
    "MemoryStore",
    "SqliteStore",
    "Store",
    "StoreError",
    "StoreUrlError",
    "iter_all",
    "open_store",
    "store_path",
]
