import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from simulator.engine.clock import EARLIEST_START, MAX_ELAPSED, Clock, ClockError, civil, isoformat, parse_speed

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


# Mutation testing (benchmarks/mutation.py) found these behaviours unpinned.


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("fast", "speed must be 'instant', 'manual' or a positive number, not 'fast'"),
        ("0", "speed factor must be positive, not '0'"),
        ("-2", "speed factor must be positive, not '-2'"),
    ],
)
def test_parse_speed_says_what_is_wrong(bad, message):
    with pytest.raises(ValueError) as refused:
        parse_speed(bad)
    assert str(refused.value) == message


def test_parse_speed_reads_numbers_and_padded_text():
    assert parse_speed(" INSTANT ") == "instant"
    assert parse_speed(2) == 2.0 and isinstance(parse_speed(2), float)
    assert parse_speed("0.0001") == 0.0001 and parse_speed("1e6") == 1_000_000.0


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("0.00009", "speed factor must be between 0.0001 and 1e+06, not '0.00009'"),
        ("1000001", "speed factor must be between 0.0001 and 1e+06, not '1000001'"),
        ("inf", "speed factor must be positive, not 'inf'"),
        ("nan", "speed factor must be positive, not 'nan'"),
    ],
)
def test_parse_speed_bounds(bad, message):
    with pytest.raises(ValueError) as refused:
        parse_speed(bad)
    assert str(refused.value) == message


def test_moves_stay_finite_forward_and_within_a_century():
    clock = Clock(speed="manual", start=START)
    for bad in (True, "1", float("nan"), float("inf")):
        with pytest.raises(ClockError, match="finite number of seconds"):
            clock.advance(bad)
    century = MAX_ELAPSED
    clock.advance(100, "t")
    assert clock.room("t") == century - 100 and clock.room() == century - 100  # the base moves "t" too
    assert clock.room("u") == century
    with pytest.raises(ClockError, match="cannot move"):
        clock.advance(century - 99, "t")
    clock.jump_to(century * 2, "u")  # instant mode stops at the edge
    assert clock.seconds("u") == century and clock.room("u") == 0.0
    assert clock.check_move(5, "t") == 5.0 and isinstance(clock.check_move(5, "t"), float)
    with pytest.raises(ClockError, match="must start between 1900 and 9000"):
        Clock(speed="manual", start=datetime(1899, 12, 31, tzinfo=UTC))


def test_a_naive_start_is_utc_and_the_default_start_is_now_to_the_second():
    assert Clock(speed="manual", start=datetime(2025, 1, 1)).now() == START
    before = datetime.now(UTC).replace(microsecond=0)
    clock = Clock(speed="manual")
    assert clock.start.tzinfo is UTC and clock.start.microsecond == 0
    assert before <= clock.start <= datetime.now(UTC)


def test_advances_add_up_for_the_base_and_for_each_tenant():
    clock = Clock(speed="manual", start=START)
    clock.advance(0)  # allowed, changes nothing
    clock.advance(10)
    clock.advance(5)
    clock.advance(60, "a")
    clock.advance(30, "a")
    assert (clock.seconds(), clock.seconds("a"), clock.seconds("b")) == (15, 105, 15)
    assert clock.now("a") == datetime(2025, 1, 1, 0, 1, 45, tzinfo=UTC)
    clock.reset("a")  # one tenant's offset goes; the shared base stays
    assert (clock.seconds(), clock.seconds("a")) == (15, 15)
    clock.advance(30, "b")
    clock.reset()  # a global reset rewinds everything to the start
    assert (clock.seconds(), clock.seconds("a"), clock.seconds("b")) == (0, 0, 0)
    assert clock.now() == START


def test_a_global_reset_rewinds_a_running_clock_to_its_start():
    wall = FakeMonotonic()
    clock = Clock(speed=2.0, start=START, monotonic=wall)
    wall.now += 100
    clock.advance(10, "t")
    assert clock.seconds() == pytest.approx(50)
    clock.reset()
    assert clock.seconds() == 0 and clock.seconds("t") == 0
    wall.now += 4
    assert clock.seconds() == pytest.approx(2)


def test_the_factor_counts_from_when_the_clock_was_made():
    wall = FakeMonotonic()
    wall.now = 1000.0
    clock = Clock(speed=2.0, start=START, monotonic=wall)
    assert clock.seconds() == 0
    wall.now += 10
    clock.advance(7, "t")
    assert clock.seconds("t") == pytest.approx(12) and clock.seconds() == pytest.approx(5)


def test_wall_seconds_until_a_moment_per_mode():
    wall = FakeMonotonic()
    factor = Clock(speed=0.5, start=START, monotonic=wall)
    assert factor.wall_seconds_until(100, "t") == pytest.approx(50)
    wall.now += 60  # 120 virtual seconds later: already past
    assert factor.wall_seconds_until(100, "t") == 0.0
    manual = Clock(speed="manual", start=START)
    assert manual.wall_seconds_until(10, "t") is None
    assert manual.wall_seconds_until(0, "t") == 0.0
    manual.jump_to(10, "t")
    assert manual.seconds("t") == 10 and manual.seconds("u") == 0


def test_describe_and_isoformat():
    clock = Clock(speed="manual", start=START)
    clock.advance(1.2345678, "t")
    assert clock.describe("t") == {
        "now": "2025-01-01T00:00:01.234568Z",
        "speed": "manual",
        "elapsed_seconds": 1.234568,
        "tenant": "t",
    }
    assert clock.describe() == {
        "now": "2025-01-01T00:00:00Z",
        "speed": "manual",
        "elapsed_seconds": 0.0,
        "tenant": None,
    }
    paris = datetime.fromisoformat("2025-01-01T01:00:00+01:00")
    assert isoformat(paris) == "2025-01-01T00:00:00Z"


def test_defaults_run_in_real_time_on_the_real_clocks():
    clock = Clock()
    assert clock.speed == 1.0
    assert abs(clock.wall() - time.time()) < 5 and abs(clock.monotonic() - time.monotonic()) < 5


def test_the_start_must_fall_in_the_range_edges_included_as_documented():
    assert Clock(speed="manual", start=datetime(1900, 1, 1, tzinfo=UTC)).now().year == 1900
    assert Clock(speed="manual", start=datetime(8999, 12, 31, 23, 59, 59, tzinfo=UTC)).now().year == 8999
    for outside in (datetime(1899, 12, 31, 23, 59, 59, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)):
        with pytest.raises(ClockError) as refused:
            Clock(speed="manual", start=outside)
        assert str(refused.value) == f"the clock must start between 1900 and 9000, not {outside.isoformat()}"


def test_the_range_is_a_century_of_365_day_years():
    clock = Clock(speed="manual", start=START)
    assert clock.room() == 3_153_600_000
    with pytest.raises(ClockError) as refused:
        clock.advance(3_153_600_001)
    assert "within 3153600000 s (100 years) of its start, and 3.1536e+09 s are left" in str(refused.value)


@pytest.mark.parametrize(
    ("move", "message"),
    [
        (float("nan"), "a clock move must be a finite number of seconds, not nan"),
        ("15", "a clock move must be a finite number of seconds, not '15'"),
        (-1, "the clock cannot go backwards"),
    ],
)
def test_a_refused_move_says_why(move, message):
    with pytest.raises(ClockError) as refused:
        Clock(speed="manual", start=START).advance(move)
    assert str(refused.value) == message


def test_the_clock_can_go_right_up_to_the_end_of_its_range():
    clock = Clock(speed="manual", start=START)
    clock.advance(MAX_ELAPSED, "t")
    assert clock.seconds("t") == MAX_ELAPSED and clock.room("t") == 0.0


def test_instant_mode_jumps_to_a_moment_less_than_a_second_ahead():
    clock = Clock(speed="instant", start=START)
    clock.jump_to(0.25, "t")
    assert clock.seconds("t") == 0.25
    assert isoformat(clock.now("t")) == "2025-01-01T00:00:00.250000Z"


def test_a_factor_waits_for_moments_less_than_a_second_ahead_too():
    wall = FakeMonotonic()
    clock = Clock(speed=1.0, start=START, monotonic=wall)
    assert clock.wall_seconds_until(0.5, "t") == pytest.approx(0.5)
    assert Clock(speed=0.1, start=START, monotonic=wall).wall_seconds_until(1, "t") == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (1735689600.0, "2025-01-01T00:00:00Z"),
        (1735689600.123, "2025-01-01T00:00:00.123Z"),  # milliseconds, not microseconds
        (1735689600.12345, "2025-01-01T00:00:00.123Z"),  # rounded to the millisecond
        (1735689600.5, "2025-01-01T00:00:00.500Z"),
    ],
)
def test_wall_time_is_shown_to_the_millisecond(seconds, shown):
    from simulator.engine.clock import wall_isoformat

    assert wall_isoformat(seconds) == shown
    assert Clock(speed="manual", start=START, wall=lambda: seconds).wall_now() == shown


def test_civil_time_is_what_strftime_writes_wherever_the_clock_can_be():
    latest = datetime(8999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC) + timedelta(seconds=MAX_ELAPSED)
    moments = [EARLIEST_START + timedelta(seconds=s) for s in (0, 59, 86399, 86400 * 365.5, 12345678.901234)]
    for moment in [*moments, latest, datetime(2025, 1, 2, 3, 4, 5)]:
        assert civil(moment) == moment.strftime("%Y-%m-%dT%H:%M:%S")


def restarted(clock: Clock, **kwargs) -> Clock:
    """A new process's clock, carrying on from what ``clock`` saved (through JSON, as the store keeps it)."""
    again = Clock(**kwargs)
    offsets = {tenant: clock.offset(tenant) for tenant in ("t1", "t2", "ahead", "behind", "other")}
    again.restore(json.loads(clock.snapshot()), {t: o for t, o in offsets.items() if o is not None})
    return again


def test_a_restart_with_the_same_start_carries_on_where_every_clock_was():
    clock = Clock(speed="manual", start=START)
    clock.advance(60)
    clock.advance(3600, "t1")
    clock.advance(5, "t2")
    again = restarted(clock, speed="manual", start=START)
    assert again.now() == clock.now() and again.now("t1") == clock.now("t1") and again.now("t2") == clock.now("t2")
    assert again.now("other") == clock.now("other"), "a tenant that never moved follows the base"


def test_a_restart_with_a_running_clock_keeps_the_time_it_ran():
    wall = FakeMonotonic()
    clock = Clock(speed=0.5, start=START, monotonic=wall)
    wall.now += 100  # 200 virtual seconds
    again = restarted(clock, speed=0.5, start=START, monotonic=wall)
    assert again.seconds() == pytest.approx(200), "not back to the start"
    wall.now += 10
    assert again.seconds() == pytest.approx(220), "and it runs on from there"


def test_a_restart_with_a_later_start_moves_a_clock_only_as_far_as_it_was_ahead():
    clock = Clock(speed="manual", start=START)
    clock.advance(3600, "ahead")
    clock.advance(60, "behind")
    later = START + timedelta(minutes=10)  # the default start is "now": the new process starts later
    again = restarted(clock, speed="manual", start=later)
    assert again.now() == later, "the base was behind the new start: it stays"
    assert again.now("ahead") == clock.now("ahead"), "an hour ahead of the old start is still that moment"
    assert again.now("behind") == later, "never back to where it was"


@pytest.mark.parametrize(
    ("saved", "offsets"),
    [
        (None, {}),
        ([], {"t": "x"}),
        ({}, {"t": 5.0}),
        ({"start": "x", "base": 0}, {"t": 5.0}),
        ({"start": START.isoformat(), "base": "NaN"}, {"t": 5.0}),
        ({"start": START.isoformat(), "base": 0}, {"t": None, "u": True, "v": float("inf")}),
    ],
)
def test_a_snapshot_or_offset_that_does_not_read_changes_nothing(saved, offsets):
    clock = Clock(speed="manual", start=START)
    clock.restore(saved, offsets)
    assert clock.seconds() == 0 and all(clock.offset(t) is None for t in "tuv")


def test_the_clock_tells_of_every_move_and_reset():
    clock = Clock(speed="manual", start=START)
    told = []
    clock.on_change = lambda tenant: told.append((tenant, clock.offset("t")))
    clock.advance(5, "t")
    clock.jump_to(10, "t")
    clock.advance(1)
    clock.reset("t")
    clock.reset()
    assert told == [("t", 5), ("t", 10), (None, 10), ("t", None), (None, None)]
