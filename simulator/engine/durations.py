"""Durations as scenario files write them: ``90``, ``2s``, ``15m``, ``1h30m``, ``1d``."""

from __future__ import annotations

import math
import re

_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_SECONDS = 100 * 365 * 86400  # a century: the virtual clock's whole range (engine/clock.py)


def parse_duration(value: str | int | float) -> float:
    """Seconds in ``value``; raises ValueError with a message a scenario author can act on."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        return _bounded(float(value), value)
    text = str(value).strip().replace(" ", "")
    if len(text) > 64:
        raise ValueError(f"not a duration: {text[:20]!r}... is too long")
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return _bounded(float(text), value)
    parts = _PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"not a duration: {value!r} (use e.g. 30s, 15m, 1h30m, 2d)")
    return _bounded(sum(float(n) * _UNIT_SECONDS[u] for n, u in parts), value)


def _bounded(seconds: float, value: object) -> float:
    if not math.isfinite(seconds):
        raise ValueError(f"not a duration: {value!r} (not a finite number)")
    if seconds < 0:
        raise ValueError(f"a duration cannot be negative: {value!r}")
    if seconds > MAX_SECONDS:
        raise ValueError(f"a duration can be at most 100 years ({MAX_SECONDS} s), not {value!r}")
    return seconds
