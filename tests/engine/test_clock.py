from datetime import UTC, datetime

import pytest

from simulator.engine.clock import Clock, isoformat, parse_speed

START = datetime(2025, 1, 1, tzinfo=UTC)


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_manual_clock_moves_only_when_advanced():
    wall = FakeMonotonic()
    clock = Clock(speed="manual", start=START, monotonic=wall)
    wall.now += 3600
    assert clock.now() == START
    clock.advance(90)
    assert isoformat(clock.now()) == "2025-01-01T00:01:30Z"


def test_speed_factor_scales_wall_time():
    wall = FakeMonotonic()
    clock = Clock(speed=0.1, start=START, monotonic=wall)
    wall.now += 3  # three wall seconds at ten times faster
    assert clock.seconds() == pytest.approx(30)
    assert clock.wall_seconds_until(60, None) == pytest.approx(3)


def test_real_time_is_factor_one():
    wall = FakeMonotonic()
    clock = Clock(speed="1", start=START, monotonic=wall)
    wall.now += 5
    assert clock.seconds() == pytest.approx(5)


def test_tenant_offsets_are_independent():
    clock = Clock(speed="manual", start=START)
    clock.advance(60, tenant="a")
    clock.advance(10)
    assert clock.seconds("a") == 70
    assert clock.seconds("b") == 10
    clock.reset("a")
    assert clock.seconds("a") == 10


def test_instant_clock_never_waits():
    clock = Clock(speed="instant", start=START)
    assert clock.wall_seconds_until(1e6, "t") == 0.0
    clock.jump_to(500, "t")
    assert clock.seconds("t") == 500
    clock.jump_to(100, "t")  # never backwards
    assert clock.seconds("t") == 500


def test_clock_refuses_to_go_back():
    with pytest.raises(ValueError):
        Clock(speed="manual").advance(-1)


@pytest.mark.parametrize("bad", ["fast", "0", "-2", ""])
def test_parse_speed_rejects_nonsense(bad):
    with pytest.raises(ValueError):
        parse_speed(bad)


def test_parse_speed_accepts_modes_and_factors():
    assert parse_speed("Manual") == "manual"
    assert parse_speed("instant") == "instant"
    assert parse_speed("0.5") == 0.5
