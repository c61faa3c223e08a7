"""Virtual time.

Every timestamp the simulator writes and every timed step it fires reads this clock, never
the wall clock. Each tenant has its own offset on top of a shared base, so one CI job can
fast-forward its own verifications without moving anybody else's.

Modes (``--speed``):
- ``manual``: time moves only through :meth:`Clock.advance`.
- ``instant``: time moves only when the scheduler fires a job; it then jumps to the job's
  due time, so nominal delays still show in timestamps but nobody waits for them.
- a positive factor: virtual time runs ``1/factor`` times as fast as wall time
  (``0.1`` = ten times faster); ``1`` is real time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

MANUAL = "manual"
INSTANT = "instant"


def parse_speed(value: str | float | int) -> str | float:
    """``manual``, ``instant`` or a positive float factor."""
    text = str(value).strip().lower()
    if text in (MANUAL, INSTANT):
        return text
    try:
        factor = float(text)
    except ValueError:
        raise ValueError(f"speed must be 'instant', 'manual' or a positive number, not {value!r}") from None
    if factor <= 0:
        raise ValueError(f"speed factor must be positive, not {value!r}")
    return factor


@dataclass
class Clock:
    speed: str | float = 1.0
    start: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    # Injected so tests can drive "wall" time too; the only place allowed to read real time.
    monotonic: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    _origin: float = field(init=False)
    _global_offset: float = field(default=0.0, init=False)
    _offsets: dict[str, float] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.speed = parse_speed(self.speed)
        if self.start.tzinfo is None:
            self.start = self.start.replace(tzinfo=UTC)
        self._origin = self.monotonic()

    @property
    def runs_by_itself(self) -> bool:
        return isinstance(self.speed, float)

    def seconds(self, tenant: str | None = None) -> float:
        """Virtual seconds elapsed since :attr:`start` for ``tenant`` (or the shared base)."""
        elapsed = self._global_offset + (self._offsets.get(tenant, 0.0) if tenant else 0.0)
        if isinstance(self.speed, float):
            elapsed += (self.monotonic() - self._origin) / self.speed
        return elapsed

    def now(self, tenant: str | None = None) -> datetime:
        return self.start + timedelta(seconds=self.seconds(tenant))

    def advance(self, seconds: float, tenant: str | None = None) -> None:
        if seconds < 0:
            raise ValueError("the clock cannot go backwards")
        if tenant is None:
            self._global_offset += seconds
        else:
            self._offsets[tenant] = self._offsets.get(tenant, 0.0) + seconds

    def jump_to(self, seconds: float, tenant: str | None) -> None:
        """Move ``tenant``'s clock forward to ``seconds`` (never back); used by instant mode."""
        gap = seconds - self.seconds(tenant)
        if gap > 0:
            self.advance(gap, tenant)

    def wall_seconds_until(self, seconds: float, tenant: str | None) -> float | None:
        """How long to sleep in wall time until ``tenant`` reaches ``seconds``; None if never by itself."""
        gap = seconds - self.seconds(tenant)
        if gap <= 0:
            return 0.0
        if isinstance(self.speed, float):
            return gap * self.speed
        return 0.0 if self.speed == INSTANT else None

    def reset(self, tenant: str | None = None) -> None:
        if tenant is None:
            self._offsets.clear()
        else:
            self._offsets.pop(tenant, None)

    def describe(self, tenant: str | None = None) -> dict:
        return {
            "now": isoformat(self.now(tenant)),
            "speed": self.speed,
            "elapsed_seconds": round(self.seconds(tenant), 6),
            "tenant": tenant,
        }


def isoformat(moment: datetime) -> str:
    """``2025-07-21T17:32:28Z`` (microseconds only when present)."""
    text = moment.astimezone(UTC).isoformat()
    return text.replace("+00:00", "Z")
