"""Benchmark: kycsim's fake data against Faker's own methods, in one process, on the same seeds.

    python benchmarks/fakedata.py [--rounds 5] [--calls 2000]

kycsim's generators (``simulator/engine/fakedata.py``) replace a few of Faker's methods with ones
that draw the same values from the same random stream (the tests compare them), and skip the
``Faker`` proxy. Printed for each call the flow mix makes: microseconds per call with Faker's own
generator (``Faker(locale)``, as before) and with kycsim's, best of the rounds, and the ratio; then
a check that both made the same values. In-process timings move with the machine's other load:
compare the two columns of one run, not runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from faker import Faker

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from simulator.engine import fakedata  # noqa: E402
from simulator.engine.fakedata import FakeData, passport_mrz  # noqa: E402
from simulator.engine.ids import Ids  # noqa: E402

SEED = 1
TODAY = date(2025, 6, 1)


def faker_own(seed: int) -> FakeData:
    """FakeData on Faker's own ``Faker(locale)``, as kycsim used it before."""
    data = FakeData(Ids(seed))
    kept = fakedata.generator
    fakedata.generator = Faker  # type: ignore[assignment]
    try:
        for country in ("GB", "US", "FR"):
            data.faker(country, "warm-up")
    finally:
        fakedata.generator = kept
    return data


CALLS = {
    "person (GB)": lambda data: data.person("GB", "t", today=TODAY),
    "person (US)": lambda data: data.person("US", "t", today=TODAY),
    "person (FR), declared name": lambda data: data.person("FR", "t", name="Anna Smith", today=TODAY),
    "ipv4_public": lambda data: data.faker("GB", "t").ipv4_public(),
    "city": lambda data: data.faker("GB", "t").city(),
    "street_address": lambda data: data.faker("GB", "t").street_address(),
    "msisdn": lambda data: data.faker("GB", "t").msisdn(),
    "faker() alone (reseed)": lambda data: data.faker("GB", "t"),
}


def best(data: FakeData, call, calls: int, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(calls):
            call(data)
        times.append((time.process_time() - started) / calls * 1e6)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    print(f"{'µs per call, best of ' + str(args.rounds):32}{'Faker':>9}{'kycsim':>9}{'ratio':>8}")
    for label, call in CALLS.items():
        before = best(faker_own(SEED), call, args.calls, args.rounds)
        after = best(FakeData(Ids(SEED)), call, args.calls, args.rounds)
        print(f"{label:32}{before:>9.1f}{after:>9.1f}{after / before:>8.2f}")
    person = FakeData(Ids(SEED)).person("GB", "t", today=TODAY)
    calls = args.calls * 5
    started = time.process_time()
    for _ in range(calls):
        passport_mrz(person, "123456789", TODAY)
    print(f"{'passport_mrz':32}{'':>9}{(time.process_time() - started) / calls * 1e6:>9.1f}")
    own, kept = faker_own(SEED), FakeData(Ids(SEED))
    values = [call for label, call in CALLS.items() if not label.startswith("faker()")]
    same = all(call(own) == call(kept) for call in values for _ in range(50))
    print("the same values from the same seed:", "yes" if same else "NO")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
