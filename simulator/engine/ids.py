"""Seeded identifiers.

Each tenant draws from its own random stream, derived from the seed and the tenant name, so a
tenant's ids depend only on the seed and on that tenant's own calls, not on what parallel
tenants do. The formats are generic; providers compose them into their own (``aplt_`` +
26 base-32 characters, 24 hex characters, ...).

The store's epoch (how many times its file was opened before) is mixed into every stream after
the first opening: a restart on the same SQLite file draws fresh streams, so it never hands out
an id again (whatever the seed), while the same seed on a fresh store still gives the same ids.
"""

from __future__ import annotations

import hashlib
import random
import string

BASE32_LOWER = "abcdefghijklmnopqrstuvwxyz234567"
# What uuid.UUID(version=4) clears and sets: the variant bits (0b10) and the version nibble (4).
_UUID4_KEEP = ~((0xC000 << 48) | (0xF000 << 64))
_UUID4_SET = (0x8000 << 48) | (4 << 76)


class Ids:
    def __init__(self, seed: int, epoch: int = 0) -> None:
        self.seed = seed
        self.epoch = epoch
        self._streams: dict[str, random.Random] = {}
        self._prefix = f"{seed}:" if epoch == 0 else f"{seed}:{epoch}:"

    def rng(self, tenant: str | None = None) -> random.Random:
        """The random stream of ``tenant`` (``None``: the simulator's own)."""
        key = tenant or ""
        stream = self._streams.get(key)
        if stream is None:
            digest = hashlib.sha256(f"{self._prefix}{key}".encode()).digest()
            stream = self._streams[key] = random.Random(int.from_bytes(digest[:8], "big"))
        return stream

    def reset(self, tenant: str | None = None) -> None:
        if tenant is None:
            self._streams.clear()
        else:
            self._streams.pop(tenant, None)

    def chars(self, alphabet: str, length: int, tenant: str | None = None) -> str:
        """``length`` characters of ``alphabet``, each what ``rng.choice(alphabet)`` would draw.

        ``choice`` draws ``k`` bits (``k``: the bit length of the alphabet's size) until they are below
        the size; this loop does the same on the same stream (so the same ids) without the two Python
        calls per character ``choice`` costs: ids were a tenth of the CPU time of a flow.
        """
        getrandbits = self.rng(tenant).getrandbits
        size = len(alphabet)
        bits = size.bit_length()
        drawn = []
        for _ in range(length):
            index = getrandbits(bits)
            while index >= size:
                index = getrandbits(bits)
            drawn.append(alphabet[index])
        return "".join(drawn)

    def base32(self, length: int = 26, tenant: str | None = None) -> str:
        return self.chars(BASE32_LOWER, length, tenant)

    def prefixed(self, prefix: str, tenant: str | None = None, length: int = 26) -> str:
        """``aplt_tkoi5db4hryu5cei5vwoabr7we``-style ids."""
        return f"{prefix}_{self.base32(length, tenant)}"

    def hex(self, length: int = 24, tenant: str | None = None) -> str:
        return self.chars("0123456789abcdef", length, tenant)

    def letters(self, length: int = 5, tenant: str | None = None) -> str:
        return self.chars(string.ascii_letters, length, tenant)

    def uuid(self, tenant: str | None = None) -> str:
        """A version-4 UUID string from 128 random bits: ``str(uuid.UUID(int=bits, version=4))``.

        Formatted by hand because this runs on every Checkout.com call (its request id) and building
        a ``uuid.UUID`` costs twice as much; the masks below are the ones ``UUID(version=4)`` applies
        (variant RFC 4122, version 4), so the strings are the same.
        """
        bits = self.rng(tenant).getrandbits(128) & _UUID4_KEEP | _UUID4_SET
        text = f"{bits:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def integer(self, low: int, high: int, tenant: str | None = None) -> int:
        return self.rng(tenant).randint(low, high)
