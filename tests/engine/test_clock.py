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


# No value can break the clock: every move is checked before anything changes.

BAD_MOVES = [float("nan"), float("inf"), -float("inf"), -1, 1e12, 1e300, 10**30, True, "15", None, [1]]


@pytest.mark.parametrize("move", BAD_MOVES, ids=repr)
@pytest.mark.parametrize("tenant", [None, "sk_sbox_a"])
def test_no_value_breaks_the_clock(move, tenant):
    from simulator.engine.clock import ClockError

    clock = Clock(speed="manual", start=START)
    clock.advance(60, "sk_sbox_b")
    with pytest.raises(ClockError):
        clock.advance(move, tenant)
    # Still a valid date for everybody, and still movable.
    assert isoformat(clock.now("sk_sbox_a")) == "2025-01-01T00:00:00Z"
    assert isoformat(clock.now("sk_sbox_b")) == "2025-01-01T00:01:00Z"
    clock.advance(30, tenant)
    assert clock.seconds(tenant) == 30 + (60 if tenant == "sk_sbox_b" else 0)


def test_the_clock_stops_at_the_end_of_its_range_and_says_so():
    from simulator.engine.clock import MAX_ELAPSED, ClockError

    clock = Clock(speed="manual", start=START)
    clock.advance(MAX_ELAPSED - 10, "sk_sbox_a")
    with pytest.raises(ClockError, match="10 s are left"):
        clock.advance(11, "sk_sbox_a")
    with pytest.raises(ClockError):  # the shared base would carry that tenant past the end too
        clock.advance(11)
    clock.jump_to(MAX_ELAPSED * 5, "sk_sbox_a")  # instant mode clamps instead of failing
    assert clock.seconds("sk_sbox_a") == MAX_ELAPSED
    assert clock.now("sk_sbox_a").year == 2124


@pytest.mark.parametrize("start", [datetime(9999, 12, 31, tzinfo=UTC), datetime(1, 1, 1, tzinfo=UTC)])
def test_a_start_out_of_range_is_refused(start):
    from simulator.engine.clock import ClockError

    with pytest.raises(ClockError):
        Clock(speed="manual", start=start)


@pytest.mark.parametrize("speed", ["0", "-1", "nan", "inf", "1e-300", "1e300"])
def test_speed_factors_are_bounded(speed):
    with pytest.raises(ValueError):
        parse_speed(speed)
