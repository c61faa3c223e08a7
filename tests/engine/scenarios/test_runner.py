"""The runner through the demo provider's HTTP API, on the manual clock."""

import json


def advance(client, seconds, tenant=None):
    body = {"seconds": seconds, **({"tenant": tenant} if tenant else {})}
    response = client.post("/_sim/clock/advance", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_steps_fire_in_order_when_the_clock_reaches_them(demo_client):
    widget = demo_client.post("/demo/widgets", json={}, headers={"Authorization": "k1"}).json()
    assert widget["status"] == "created" and widget["scenario"] == "widget-default"
    get = lambda: demo_client.get(f"/demo/widgets/{widget['id']}", headers={"Authorization": "k1"}).json()  # noqa: E731
    advance(demo_client, 9, "k1")
    assert get()["status"] == "created"
    advance(demo_client, 1, "k1")
    assert get()["status"] == "started"
    assert get()["modified_on"] == "2025-01-01T00:00:10Z"
    advance(demo_client, 20, "k1")
    assert get()["status"] == "done"
    assert get()["modified_on"] == "2025-01-01T00:00:30Z"


def test_a_wait_step_pauses_until_signalled(demo_client, demo_app):
    sim = demo_app.state.sim
    widget = demo_client.post(
        "/demo/widgets", json={}, headers={"Authorization": "k1", "X-KycSim-Scenario": "widget-opened"}
    ).json()
    advance(demo_client, 3600, "k1")
    stored = sim.store.get("k1", "demo", "widgets", widget["id"])
    assert stored["opened"] is True and stored["status"] == "created"
    assert sim.runner.get("k1", "demo", widget["id"])["waiting_for"] == "poke"
    assert sim.runner.signal("k1", "demo", widget["id"], "poke")
    advance(demo_client, 60, "k1")
    assert sim.store.get("k1", "demo", "widgets", widget["id"])["status"] == "done"


def test_interactive_mode_waits_for_the_applicant(demo_client, demo_app):
    sim = demo_app.state.sim
    sim.runner.applicant_mode = "interactive"
    widget = demo_client.post(
        "/demo/widgets", json={}, headers={"Authorization": "k1", "X-KycSim-Scenario": "widget-opened"}
    ).json()
    advance(demo_client, 3600, "k1")
    assert "opened" not in sim.store.get("k1", "demo", "widgets", widget["id"])
    assert sim.runner.get("k1", "demo", widget["id"])["waiting_for"] == "open"
    # The person opened it on the hosted page; the run moves on to the scenario's next step.
    assert sim.runner.signal("k1", "demo", widget["id"], "open")
    assert sim.runner.get("k1", "demo", widget["id"])["waiting_for"] == "poke"
    assert not sim.runner.signal("k1", "demo", widget["id"], "open")  # not waiting for that any more


def _second_run(demo_client, sim, *, handed_off):
    """A widget whose own run is done, and a ``widget-opened`` run on it started by the test."""
    widget = demo_client.post("/demo/widgets", json={}, headers={"Authorization": "k1"}).json()
    advance(demo_client, 60, "k1")
    scenario = sim.catalogue.get("widget-opened")
    sim.runner.start("k1", scenario, {"widget_id": widget["id"]}, run_id="r2", handed_off=handed_off)
    return lambda: sim.store.get("k1", "demo", "widgets", widget["id"])


def test_applicant_steps_wait_until_the_flow_is_handed_off_then_play_after_their_delay(demo_client, demo_app):
    sim = demo_app.state.sim
    widget = _second_run(demo_client, sim, handed_off=False)
    jobs = len(sim.scheduler.pending("k1"))
    advance(demo_client, 3600, "k1")
    assert "opened" not in widget() and sim.runner.get("k1", "demo", "r2")["waiting_for"] == "open"
    assert len(sim.scheduler.pending("k1")) == jobs  # nothing armed while nobody has the flow
    assert sim.runner.hand_off("k1", "demo", "r2")
    assert not sim.runner.hand_off("k1", "demo", "r2")  # once
    advance(demo_client, 0.5, "k1")
    assert "opened" not in widget()
    advance(demo_client, 0.5, "k1")  # the step's 1 s, counted from the hand-off
    assert widget()["opened"] is True and sim.runner.get("k1", "demo", "r2")["waiting_for"] == "poke"


def test_a_hand_off_in_interactive_mode_still_waits_for_the_person(demo_client, demo_app):
    sim = demo_app.state.sim
    sim.runner.applicant_mode = "interactive"
    widget = _second_run(demo_client, sim, handed_off=False)
    assert sim.runner.hand_off("k1", "demo", "r2")
    advance(demo_client, 3600, "k1")
    assert "opened" not in widget() and sim.runner.get("k1", "demo", "r2")["waiting_for"] == "open"


def test_a_step_performed_outside_the_run_moves_past_it_and_voids_its_timer(demo_client, demo_app):
    sim = demo_app.state.sim
    widget = _second_run(demo_client, sim, handed_off=True)  # "open" is armed for 1 s from now
    assert not sim.runner.performed("k1", "demo", "r2", "poke")  # not the step the run is at
    assert sim.runner.performed("k1", "demo", "r2", "open")
    assert sim.runner.get("k1", "demo", "r2")["waiting_for"] == "poke"
    advance(demo_client, 60, "k1")
    assert "opened" not in widget()  # the armed step found it done and did nothing
    run = sim.runner.get("k1", "demo", "r2")
    assert [h["step"] for h in run["history"]] == ["open"] and run["cursor"] == 1


def test_a_step_performed_before_any_hand_off_plays_the_rest_from_now(demo_client, demo_app):
    sim = demo_app.state.sim
    _second_run(demo_client, sim, handed_off=False)
    advance(demo_client, 600, "k1")
    assert sim.runner.performed("k1", "demo", "r2", "open")
    assert sim.runner.signal("k1", "demo", "r2", "poke")
    advance(demo_client, 60, "k1")
    assert sim.runner.get("k1", "demo", "r2")["status"] == "finished"


def test_same_seed_and_calls_give_identical_bodies(demo_app):
    from starlette.testclient import TestClient

    from simulator.app import create_app
    from tests.conftest import demo_settings
    from tests.support.demo_provider import DemoProvider

    bodies = []
    for _ in range(2):
        with TestClient(create_app(demo_settings(), providers={"demo": DemoProvider()})) as client:
            created = client.post("/demo/widgets", json={}, headers={"Authorization": "k"}).content
            client.post("/_sim/clock/advance", json={"seconds": 30})
            fetched = client.get(
                f"/demo/widgets/{client.app.state.sim.store.list('k', 'demo', 'widgets')[0]['id']}",
                headers={"Authorization": "k"},
            ).content
            bodies.append((created, fetched))
    assert bodies[0] == bodies[1]


def test_reset_of_one_tenant_cancels_its_runs(demo_client, demo_app):
    sim = demo_app.state.sim
    a = demo_client.post("/demo/widgets", json={}, headers={"Authorization": "a"}).json()
    b = demo_client.post("/demo/widgets", json={}, headers={"Authorization": "b"}).json()
    assert demo_client.post("/_sim/reset", json={"tenant": "a"}).json() == {"reset": "…"}  # masked
    advance(demo_client, 60)
    assert sim.store.get("a", "demo", "widgets", a["id"]) is None
    assert sim.store.get("b", "demo", "widgets", b["id"])["status"] == "done"


def test_runs_resume_after_a_restart_with_the_sqlite_store(tmp_path):
    from starlette.testclient import TestClient

    from simulator.app import create_app
    from tests.conftest import demo_settings
    from tests.support.demo_provider import DemoProvider

    settings = dict(store=f"sqlite:///{tmp_path / 'state.db'}")
    with TestClient(create_app(demo_settings(**settings), providers={"demo": DemoProvider()})) as first:
        widget = first.post("/demo/widgets", json={}, headers={"Authorization": "k"}).json()
        first.post("/_sim/clock/advance", json={"seconds": 10})
        assert first.get(f"/demo/widgets/{widget['id']}", headers={"Authorization": "k"}).json()["status"] == "started"
    with TestClient(create_app(demo_settings(**settings), providers={"demo": DemoProvider()})) as second:
        assert second.get(f"/demo/widgets/{widget['id']}", headers={"Authorization": "k"}).json()["status"] == "started"
        second.post("/_sim/clock/advance", json={"seconds": 30})
        assert second.get(f"/demo/widgets/{widget['id']}", headers={"Authorization": "k"}).json()["status"] == "done"


def test_a_step_commits_with_its_done_mark_and_a_crash_before_the_commit_replays_it(tmp_path):
    """The step's effects and the run's cursor reach the file together, or neither does."""
    import sqlite3

    from starlette.testclient import TestClient

    from simulator.app import create_app
    from tests.conftest import demo_settings
    from tests.support.demo_provider import DemoProvider

    path = tmp_path / "state.db"

    def on_disk(kind: str, key: str) -> dict:
        with sqlite3.connect(path) as db:
            row = db.execute("SELECT body FROM documents WHERE kind=? AND key=?", (kind, key)).fetchone()
        return json.loads(row[0])

    settings = dict(store=f"sqlite:///{path}")
    app = create_app(demo_settings(**settings), providers={"demo": DemoProvider()})
    first = TestClient(app)  # no lifespan: nothing runs at the end, as when the process is killed
    widget = first.post("/demo/widgets", json={}, headers={"Authorization": "k"}).json()
    advance(first, 10)
    assert on_disk("widgets", widget["id"])["status"] == "started"
    assert on_disk("_runs", widget["id"])["cursor"] == 1
    sim = app.state.sim

    async def never() -> None:
        pass

    sim.scheduler.after_job = sim.store.commit_soon = lambda: None  # the process dies before the next commit ...
    sim.store.committed = never
    advance(first, 20)
    assert first.get(f"/demo/widgets/{widget['id']}", headers={"Authorization": "k"}).json()["status"] == "done"
    assert (on_disk("widgets", widget["id"])["status"], on_disk("_runs", widget["id"])["cursor"]) == ("started", 1)
    sim.store._writer.shutdown()
    sim.store._db.close()  # ... so nothing more reaches the file
    sim.store._release()

    with TestClient(create_app(demo_settings(**settings), providers={"demo": DemoProvider()})) as second:
        get = lambda: second.get(f"/demo/widgets/{widget['id']}", headers={"Authorization": "k"}).json()  # noqa: E731
        assert get()["status"] == "started"
        advance(second, 30)  # the lost step plays again, once
        assert get()["status"] == "done"
        runs = second.get("/_sim/runs").json()["data"]
        assert [h["step"] for h in runs[0]["history"]] == ["set_status", "set_status"]
