"""The fuzz suite: hostile requests on every route of both providers and the control API.

About 2,500 requests made by hypothesis (derandomized: the same requests in every CI run) against
a real server, then every stored record is read again. Nothing may answer 5xx, no traceback may be
logged, and what was stored must stay readable, on the SQLite store after a restart too.
``python benchmarks/fuzz.py`` is the long run.
"""

from __future__ import annotations

import logging

import httpx
import pytest

from simulator.server import ThreadedServer
from simulator.settings import Settings
from tests.support import fuzz

EXAMPLES = 2000


@pytest.fixture(scope="module")
def server():
    settings = Settings(seed=11, speed="manual", start_time="2025-01-01T00:00:00Z", log_level="warning")
    with ThreadedServer(settings) as running:
        yield running


def test_no_input_gets_a_500_and_every_record_stays_readable(server, caplog):
    caplog.set_level(logging.WARNING)
    table = fuzz.routes(server.app)
    outcome = fuzz.Outcome()
    with httpx.Client(base_url=server.url, timeout=30) as http:
        world = fuzz.seed_world(http, outcome)
        assert not outcome.failures, outcome.failures
        fuzzed = fuzz.run(http, table, world, EXAMPLES, seed=0)
        fuzz.readback(http, table, world, outcome)
    failures = fuzzed.failures + outcome.failures
    assert not failures, "\n".join(failures[:30])
    tracebacks = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not tracebacks, "\n".join(r.getMessage() for r in tracebacks[:10])
    missed = sorted(set(table) - fuzzed.routes)
    assert len(missed) <= len(table) // 20, missed  # nearly every route got hostile requests
    assert fuzzed.requests >= EXAMPLES


def test_every_record_reads_the_same_after_a_restart_on_the_sqlite_store(tmp_path):
    """What hostile requests leave in the file loads again, and every record answers as it did."""
    settings = Settings(
        seed=12,
        speed="manual",
        start_time="2025-01-01T00:00:00Z",
        log_level="warning",
        store=f"sqlite:///{tmp_path / 'fuzz.db'}",
    )
    outcome = fuzz.Outcome()
    with ThreadedServer(settings) as running, httpx.Client(base_url=running.url, timeout=30) as http:
        table = fuzz.routes(running.app)
        world = fuzz.seed_world(http, outcome)
        fuzz.run(http, table, world, EXAMPLES // 4, seed=1)
        before = fuzz.readback(http, table, world, outcome)
    with ThreadedServer(settings) as running, httpx.Client(base_url=running.url, timeout=30) as http:
        after = fuzz.readback(http, table, world, outcome)
    assert not outcome.failures, "\n".join(outcome.failures[:30])
    changed = {path: (status, after.get(path)) for path, status in before.items() if after.get(path) != status}
    assert not changed, changed
    assert sum(1 for status in before.values() if status == 200) >= 50, "records were read, not only refusals"
