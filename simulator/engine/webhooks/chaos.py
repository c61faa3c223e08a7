"""Chaos switches: ways a real provider misbehaves, turned on deliberately.

All switches are off by default. They come from an endpoint (settings, config file, control
API) or from the scenario that produced the event (``webhooks: {chaos: {...}}`` in its file);
the endpoint's switches win where both set the same one. Counts are exact, never random, so a
test can rely on them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulator.engine.durations import parse_duration
from simulator.engine.names import whole

DEFAULT_HOLD = 600.0  # out_of_order: how long an event waits for a later one to overtake it

SWITCHES = {
    "duplicate": "extra copies of each event, sent right after it (true = 1)",
    "out_of_order": "hold each event until the next one for the same resource has gone out"
    " (true, or the longest hold as a duration; default 10m)",
    "delay": "extra delay before the first attempt (seconds or a duration such as 30s)",
    "fail_first": "the first N attempts are sent but counted as failed, so the provider retries (true = 1)",
    "wrong_signature": "the first N attempts carry a signature made with the wrong secret (true = 1)",
    "drop_connection": "the first N attempts are cut off in the middle of the request body (true = 1)",
}


class ChaosError(ValueError):
    """A chaos switch has a value kycsim cannot use; the message says which and why."""


@dataclass(frozen=True)
class Chaos:
    duplicate: int = 0
    out_of_order: float = 0.0  # longest hold in virtual seconds; 0 = off
    delay: float = 0.0
    fail_first: int = 0
    wrong_signature: int = 0
    drop_connection: int = 0

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v}


NONE = Chaos()


def _count(name: str, value: Any) -> int:
    value = whole(value)
    if value is True:
        return 1
    if value is False or value is None:
        return 0
    if isinstance(value, int) and value >= 0:
        return value
    raise ChaosError(f"chaos.{name} must be true, false or a whole number >= 0, not {value!r}")


def _seconds(name: str, value: Any, *, on: float = 0.0) -> float:
    if value is True:
        return on
    if value is False or value is None:
        return 0.0
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise ChaosError(f"chaos.{name}: {exc}") from None


def normalize(data: Mapping[str, Any] | None) -> dict[str, Any]:
    """Check ``data`` and return it with canonical values (counts as ints, durations in seconds)."""
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ChaosError(f"chaos must be an object of switches ({', '.join(SWITCHES)}), not {data!r}")
    unknown = sorted(set(data) - set(SWITCHES))
    if unknown:
        raise ChaosError(f"unknown chaos switch(es) {', '.join(unknown)}; known: {', '.join(SWITCHES)}")
    clean: dict[str, Any] = {}
    for name, value in data.items():
        if name == "delay":
            clean[name] = _seconds(name, value)
        elif name == "out_of_order":
            clean[name] = _seconds(name, value, on=DEFAULT_HOLD)
        else:
            clean[name] = _count(name, value)
    return clean


def combine(*layers: Mapping[str, Any] | None) -> Chaos:
    """One :class:`Chaos` from normalized layers; later layers win switch by switch."""
    merged: dict[str, Any] = {}
    for layer in layers:
        merged.update(layer or {})
    return Chaos(**merged) if merged else NONE  # no switches at all, the usual case: one shared record
