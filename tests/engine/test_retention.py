"""Retention: finished runs kept per tenant, idle tenants forgotten, the journal and the delivery log bounded."""

from __future__ import annotations

from starlette.testclient import TestClient

from simulator.app import create_app
from simulator.engine.retention import Limits, Retention
from tests.conftest import demo_settings
from tests.support.demo_provider import DemoProvider


def test_beyond_the_limit_the_oldest_finished_run_of_the_tenant_is_forgotten():
    forgotten = []
    retention = Retention(Limits(keep_finished=2), monotonic=lambda: 0.0, forget_run=lambda *r: forgotten.append(r))
    for n in range(4):
        retention.finished("a", "p", f"run_a{n}")
    retention.finished("b", "p", "run_b0")
    assert forgotten == [("a", "p", "run_a0"), ("a", "p", "run_a1")], "per tenant, oldest first"
    unlimited = Retention(Limits(keep_finished=0), monotonic=lambda: 0.0, forget_run=lambda *r: forgotten.append(r))
    for n in range(5):
        unlimited.finished("a", "p", f"run_{n}")
    assert len(forgotten) == 2


def test_a_tenant_is_idle_once_it_sent_no_request_for_the_limit():
    now = [0.0]
    retention = Retention(Limits(tenant_idle=60), monotonic=lambda: now[0], forget_run=lambda *r: None)
    retention.seen("a")
    retention.seen("_links")  # kycsim's own: never idle
    now[0] = 30
    retention.seen("b")
    now[0] = 61
    assert retention.idle() == ["a"]
    assert Retention(Limits(tenant_idle=0), monotonic=lambda: 1e9, forget_run=lambda *r: None).idle() == []


def widgets(client: TestClient, tenant: str, count: int) -> list[str]:
    auth = {"Authorization": tenant}
    return [client.post("/demo/widgets", json={}, headers=auth).json()["id"] for _ in range(count)]


def test_finished_runs_beyond_the_limit_leave_the_store():
    app = create_app(demo_settings(keep_finished=2), providers={"demo": DemoProvider()})
    with TestClient(app) as client:
        made = widgets(client, "k", 3)
        client.post("/_sim/clock/advance", json={"seconds": 60})
        kept = [run["id"] for run in client.get("/_sim/runs", params={"tenant": "k"}).json()["data"]]
        assert kept == made[1:], "the first finished run went (the demo provider keeps its widgets)"


def test_an_idle_tenant_is_forgotten_and_the_others_stay():
    app = create_app(demo_settings(tenant_idle="10m"), providers={"demo": DemoProvider()})
    sim = app.state.sim
    now = [1000.0]
    sim.clock.monotonic = lambda: now[0]  # the wall clock retention reads
    with TestClient(app) as client:
        quiet = widgets(client, "quiet", 1)[0]
        now[0] += 400
        busy = widgets(client, "busy", 1)[0]
        now[0] += 201
        assert client.portal.call(sim.drop_idle_tenants) == ["quiet"]
        assert client.get(f"/demo/widgets/{quiet}", headers={"Authorization": "quiet"}).status_code == 404
        assert client.get(f"/demo/widgets/{busy}", headers={"Authorization": "busy"}).status_code == 200


def test_the_journal_keeps_its_size():
    app = create_app(demo_settings(journal_size=3), providers={"demo": DemoProvider()})
    with TestClient(app) as client:
        made = widgets(client, "k", 5)
        paths = [e["path"] for e in client.get("/_sim/requests").json()["data"]]
        assert len(paths) == 3 and paths[0] == "/demo/widgets" and len(made) == 5


def test_a_full_reset_leaves_nothing_behind(tmp_path):
    app = create_app(demo_settings(store=f"sqlite:///{tmp_path / 'state.db'}"), providers={"demo": DemoProvider()})
    sim = app.state.sim
    with TestClient(app) as client:
        widgets(client, "k", 3)
        client.post("/_sim/clock/advance", json={"seconds": 15})
        assert client.post("/_sim/reset", json={}).status_code == 200
        assert sim.store.tenants() == [] and sim.scheduler.pending() == [] and sim.journal.query() == []
        assert sim.retention.idle() == [] and not sim.runner._overrides
    import sqlite3

    with sqlite3.connect(tmp_path / "state.db") as db:
        assert db.execute("SELECT COUNT(*) FROM documents").fetchone() == (0,)
