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

import json
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

MANUAL = "manual"
INSTANT = "instant"
# Virtual time stays within a century of the start: every timestamp it makes (plus any TTL or
# retry delay on top) stays a valid date, whatever a client asks for. Speed factors are bounded
# so that a clock running by itself takes months to get anywhere near that.
MAX_ELAPSED = 100 * 365 * 86400
MIN_SPEED, MAX_SPEED = 0.0001, 1_000_000.0
EARLIEST_START, LATEST_START = datetime(1900, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)


class ClockError(ValueError):
    """A clock move that would break time for everybody (not finite, backwards, past the range)."""


def parse_speed(value: str | float | int) -> str | float:
    """``manual``, ``instant`` or a positive float factor."""
    text = str(value).strip().lower()
    if text in (MANUAL, INSTANT):
        return text
    try:
        factor = float(text)
    except ValueError:
        raise ValueError(f"speed must be 'instant', 'manual' or a positive number, not {value!r}") from None
    if not math.isfinite(factor) or factor <= 0:
        raise ValueError(f"speed factor must be positive, not {value!r}")
    if not MIN_SPEED <= factor <= MAX_SPEED:
        raise ValueError(f"speed factor must be between {MIN_SPEED:g} and {MAX_SPEED:g}, not {value!r}")
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
    # The last moment each of now_iso and wall_now formatted, and its text: events and webhook
    # attempts ask for the same moment many times (virtual time stands still at ``instant`` and
    # ``manual`` speed, and many attempts share a millisecond of wall time).
    _iso_memo: tuple[float, datetime | None, str] = field(default=(math.nan, None, ""), init=False)
    _wall_memo: tuple[float, str] = field(default=(math.nan, ""), init=False)
    # Told of every move and reset, with the tenant whose clock it was (None: the shared base): a durable
    # store keeps the clock with the documents, so a restart carries on from where time was.
    on_change: Callable[[str | None], None] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.speed = parse_speed(self.speed)
        if self.start.tzinfo is None:
            self.start = self.start.replace(tzinfo=UTC)
        if not EARLIEST_START <= self.start < LATEST_START:
            years = f"{EARLIEST_START.year} and {LATEST_START.year}"
            raise ClockError(f"the clock must start between {years}, not {self.start.isoformat()}")
        self._origin = self.monotonic()

    def seconds(self, tenant: str | None = None) -> float:
        """Virtual seconds elapsed since :attr:`start` for ``tenant`` (or the shared base)."""
        elapsed = self._global_offset + (self._offsets.get(tenant, 0.0) if tenant else 0.0)
        if isinstance(self.speed, float):
            elapsed += (self.monotonic() - self._origin) / self.speed
        return elapsed

    def now(self, tenant: str | None = None) -> datetime:
        return self.start + timedelta(seconds=self.seconds(tenant))

    def now_iso(self, tenant: str | None = None) -> str:
        """``isoformat(self.now(tenant))``."""
        seconds = self.seconds(tenant)
        memo = self._iso_memo
        if memo[0] == seconds and memo[1] is self.start:
            return memo[2]
        text = isoformat(self.start + timedelta(seconds=seconds))
        self._iso_memo = (seconds, self.start, text)
        return text

    def advance(self, seconds: float, tenant: str | None = None) -> None:
        """Move ``tenant``'s clock (or the shared base) forward; raises :class:`ClockError` for a move
        that is not a finite, non-negative number or that would pass :data:`MAX_ELAPSED`."""
        self._move(self.check_move(seconds, tenant), tenant)

    def _move(self, seconds: float, tenant: str | None) -> None:
        if tenant is None:
            self._global_offset += seconds
        else:
            self._offsets[tenant] = self._offsets.get(tenant, 0.0) + seconds
        if self.on_change is not None:
            self.on_change(tenant)

    def room(self, tenant: str | None = None) -> float:
        """How far ``tenant``'s clock (or the shared base, which moves every tenant) may still move."""
        furthest = self.seconds(tenant)
        if tenant is None and self._offsets:
            furthest = max(furthest, *(self.seconds(t) for t in self._offsets))
        return max(MAX_ELAPSED - furthest, 0.0)

    def check_move(self, seconds: object, tenant: str | None = None) -> float:
        """``seconds`` as a float if :meth:`advance` would take it; raises :class:`ClockError` otherwise."""
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not math.isfinite(seconds):
            raise ClockError(f"a clock move must be a finite number of seconds, not {seconds!r}")
        if seconds < 0:
            raise ClockError("the clock cannot go backwards")
        room = self.room(tenant)
        if seconds > room:
            raise ClockError(
                f"the clock cannot move {seconds:g} s: virtual time stays within {MAX_ELAPSED} s (100 years) of its"
                f" start, and {room:g} s are left"
            )
        return float(seconds)

    def jump_to(self, seconds: float, tenant: str | None) -> None:
        """Move ``tenant``'s clock forward to ``seconds`` (never back, never past the range); used by instant mode."""
        gap = min(seconds - self.seconds(tenant), self.room(tenant))
        if gap > 0:
            self._move(gap, tenant)

    def wall_seconds_until(self, seconds: float, tenant: str | None) -> float | None:
        """How long to sleep in wall time until ``tenant`` reaches ``seconds``; None if never by itself."""
        gap = seconds - self.seconds(tenant)
        if gap <= 0:
            return 0.0
        if isinstance(self.speed, float):
            return gap * self.speed
        return 0.0 if self.speed == INSTANT else None

    def wall_now(self) -> str:
        """Real time, as the dashboard's timelines show it beside virtual time (when it happened for you)."""
        seconds = round(self.wall(), 3)
        memo = self._wall_memo
        if memo[0] == seconds:
            return memo[1]
        text = wall_isoformat(seconds)
        self._wall_memo = (seconds, text)
        return text

    def reset(self, tenant: str | None = None) -> None:
        """Forget ``tenant``'s offset; with no tenant, rewind to :attr:`start` (every offset, the shared
        base and, for a speed factor, the wall time counted so far), so the same calls give the same bodies."""
        if tenant is None:
            self._offsets.clear()
            self._global_offset = 0.0
            self._origin = self.monotonic()
        else:
            self._offsets.pop(tenant, None)
        if self.on_change is not None:
            self.on_change(tenant)

    def offset(self, tenant: str) -> float | None:
        """How far ``tenant``'s clock is ahead of the shared base; None when it never moved on its own."""
        return self._offsets.get(tenant)

    def snapshot(self) -> str:
        """Where the shared base is, as JSON: the start and the seconds since it (tenants' offsets: :meth:`offset`)."""
        return json.dumps({"start": isoformat(self.start), "base": self.seconds()})

    def restore(self, saved: Any, offsets: Mapping[str, Any]) -> None:
        """Carry on from a :meth:`snapshot` and the tenants' offsets a previous process left: no clock goes
        back across a restart.

        The shared base and each tenant move forward to where they were (with the same ``--start-time``,
        all the way; with the default start, now, only as far as they were ahead of it). Anything that
        does not read as a snapshot or an offset is left out.
        """
        then = 0.0  # no snapshot: the offsets count from the start
        if isinstance(saved, dict):
            try:
                start = datetime.fromisoformat(str(saved["start"]).replace("Z", "+00:00"))
                base = float(saved["base"])
            except (KeyError, TypeError, ValueError):
                return
            if start.tzinfo is None:
                start = start.replace(tzinfo=UTC)
            then = (start - self.start).total_seconds() + base  # the saved base, in seconds since this start
        if not math.isfinite(then):
            return
        self.jump_to(then, None)
        for tenant, offset in offsets.items():
            if isinstance(offset, int | float) and not isinstance(offset, bool) and math.isfinite(offset):
                self.jump_to(then + offset, tenant)

    def describe(self, tenant: str | None = None) -> dict[str, Any]:
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


def civil(moment: datetime) -> str:
    """``2025-07-21T17:32:28``: ``moment.strftime("%Y-%m-%dT%H:%M:%S")`` at half its cost (strftime
    runs for every resource timestamp and event). The clock stays between 1900 and 9100, where ``%Y``
    has four digits."""
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )


def wall_isoformat(seconds: float) -> str:
    """A wall-clock timestamp (``time.time()``) as ``2025-07-21T17:32:28.123Z``: milliseconds tell apart
    the steps one clock move fires."""
    return isoformat(datetime.fromtimestamp(round(seconds, 3), UTC)).replace("000Z", "Z")
