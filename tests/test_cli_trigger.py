"""``kycsim trigger``: a scenario end to end on a real server, with an inline provider's trigger hook."""

from __future__ import annotations

import json

import httpx

from simulator.cli import main
from simulator.cli_trigger import scenario_from_detail, trigger
from tests.webhook_support.providers import fake_providers
from tests.webhook_support.receiver import Receiver
from tests.webhook_support.server import hook_server


def test_trigger_moves_a_manual_clock_step_by_step_and_prints_the_timeline():
    lines: list[str] = []
    with hook_server() as server, Receiver() as receiver:
        httpx.post(
            f"{server.url}/_sim/webhooks/endpoints",
            json={"provider": "hooks", "url": receiver.url, "all_tenants": True},
        )
        assert trigger(server.url, "thing-happy", providers=fake_providers(), out=lines.append) == 0
        assert len(receiver.wait_for(3)) == 3
    header, *timeline, summary = lines
    assert header.startswith("trigger thing-happy (hooks · thing)") and "tenant trigger-tenant" in header
    assert timeline[0] == "  2025-01-01T00:00:00Z  call     POST /hooks/things -> 201"
    assert "  2025-01-01T00:00:10Z  step     set_status status=processing" in timeline
    assert "  2025-01-01T00:00:30Z  step     set_status status=done" in timeline
    events = [line for line in timeline if " event " in line]
    assert [line.split()[2] for line in events] == ["thing.created", "thing.processing", "thing.done"]
    deliveries = [line for line in timeline if " delivery " in line]
    assert len(deliveries) == 3 and all(f"-> {receiver.url} 200 (attempt 1)" in line for line in deliveries)
    assert summary == (
        "run finished after 30s of virtual time: 1 call(s), 2 step(s), 3 event(s), 3 delivery attempt(s)"
    )


def test_trigger_waits_for_a_clock_that_runs_by_itself_and_prints_json():
    lines: list[str] = []
    with hook_server(speed="instant") as server:
        code = trigger(server.url, "thing-duplicates", providers=fake_providers(), as_json=True, out=lines.append)
    report = json.loads(lines[0])
    assert code == 0 and report["run"]["status"] == "finished" and report["speed"] == "instant"
    assert report["created"]["thing_id"].startswith("thg_")
    assert [i["kind"] for i in report["timeline"]] == ["call", "event", "step", "event"]


def test_trigger_errors_are_one_readable_line():
    lines: list[str] = []
    with hook_server() as server:
        assert trigger(server.url, "no-such-scenario", providers=fake_providers(), out=lines.append) == 1
        assert "no scenario named 'no-such-scenario'" in lines[-1]
        for hostile in ("../health", "thing-happy?x=1", "", "thing happy"):  # a name is one path segment
            assert trigger(server.url, hostile, providers=fake_providers(), out=lines.append) == 1
            assert lines[-1].startswith("kycsim trigger: ") and "\n" not in lines[-1], lines[-1]
        assert "(did you mean 'thing-happy'" in lines[-1]
        # The real providers do not include the fake "hooks" one.
        assert main(["trigger", "thing-happy", "--url", server.url]) == 1
        no_hook = fake_providers()
        no_hook["hooks"].trigger = lambda http, scenario, record: (_ for _ in ()).throw(NotImplementedError("later"))
        assert trigger(server.url, "thing-happy", providers=no_hook, out=lines.append) == 1
        assert lines[-1] == "kycsim trigger: later"


def test_a_scenario_detail_round_trips_into_a_scenario():
    detail = {
        "name": "x",
        "provider": "hooks",
        "product": "thing",
        "description": "d",
        "steps": [{"after": 5, "do": "set_status", "with": {"status": "a"}}, {"after": 0, "wait": "go"}],
        "webhooks": {"chaos": {"duplicate": 1}},
    }
    scenario = scenario_from_detail(detail)
    assert scenario.detail()["steps"] == detail["steps"] and scenario.webhooks == detail["webhooks"]


def test_webhook_commands_print_json_with_json(capsys):
    with hook_server() as server, Receiver() as receiver:
        base = ["--url", server.url]
        assert (
            main(
                [
                    "webhooks",
                    "endpoints",
                    "add",
                    "hooks",
                    receiver.url,
                    "--secret",
                    "s",
                    "--chaos",
                    "duplicate=1",
                    "--all-tenants",
                    *base,
                ]
            )
            == 0
        )
        endpoint = json.loads(capsys.readouterr().out)
        assert endpoint["chaos"] == {"duplicate": 1} and endpoint["secret"] == "set"
        httpx.post(f"{server.url}/hooks/ping")
        httpx.post(f"{server.url}/_sim/clock/advance", json={"seconds": 0})
        assert main(["webhooks", "list", "--json", *base]) == 0
        attempts = json.loads(capsys.readouterr().out)
        assert len(attempts) == 2
        with Receiver() as other:
            assert main(["webhooks", "replay", attempts[0]["delivery_id"], "--to", other.url, *base]) == 0
            assert json.loads(capsys.readouterr().out)["url"] == other.url
        assert main(["webhooks", "endpoints", "chaos", endpoint["id"], "duplicate=0", *base]) == 0
        assert json.loads(capsys.readouterr().out)["chaos"] == {"duplicate": 0}
        assert main(["webhooks", "events", "--json", *base]) == 0
        assert json.loads(capsys.readouterr().out)[0]["type"] == "ping"
        assert main(["webhooks", "endpoints", "delete", endpoint["id"], *base]) == 0
        assert json.loads(capsys.readouterr().out) == {"deleted": endpoint["id"]}
        assert main(["webhooks", "endpoints", "--json", *base]) == 0
        assert json.loads(capsys.readouterr().out) == []


def test_webhook_lists_print_tables_without_json(capsys):
    with hook_server() as server, Receiver() as receiver:
        base = ["--url", server.url]
        assert main(["webhooks", "endpoints", "add", "hooks", receiver.url, "--all-tenants", *base]) == 0
        capsys.readouterr()
        httpx.post(f"{server.url}/hooks/ping")
        httpx.post(f"{server.url}/_sim/clock/advance", json={"seconds": 0})
        assert main(["webhooks", "list", *base]) == 0
        header, row = capsys.readouterr().out.splitlines()
        assert header.split() == ["AT", "DELIVERY", "#", "EVENT", "OUTCOME", "MS", "NEXT", "RETRY", "URL"]
        assert row.startswith("2025-01-01T00:00:00Z  dlv_") and " ping " in row and row.endswith(receiver.url)
        assert main(["webhooks", "events", *base]) == 0
        out = capsys.readouterr()
        assert out.out.splitlines()[0].split()[:3] == ["CREATED", "ID", "PROVIDER"] and out.err == "1 events\n"
        assert main(["webhooks", "endpoints", *base]) == 0
        assert "we_1  hooks     all tenants  all" in capsys.readouterr().out
        assert main(["webhooks", "list", "--provider", "hoks", *base]) == 1
        assert "no provider 'hoks' here (did you mean 'hooks'?)" in capsys.readouterr().err


def test_triggering_twice_follows_the_new_run_each_time():
    with hook_server() as server:
        first: list[str] = []
        second: list[str] = []
        assert trigger(server.url, "thing-happy", providers=fake_providers(), out=first.append) == 0
        assert trigger(server.url, "thing-happy", providers=fake_providers(), out=second.append) == 0
    assert second[-1].startswith("run finished after 30s of virtual time: 1 call(s), 2 step(s), 3 event(s)")
    assert (
        "2025-01-01T00:00:30Z  call" in second[1]
        and "  2025-01-01T00:01:00Z  step     set_status status=done" in second
    )


def test_trigger_waits_at_a_speed_factor_until_deliveries_settle():
    lines: list[str] = []
    with hook_server(speed="0.001") as server, Receiver() as receiver:  # 30 s of scenario in 30 ms
        httpx.post(
            f"{server.url}/_sim/webhooks/endpoints",
            json={"provider": "hooks", "url": receiver.url, "all_tenants": True},
        )
        assert trigger(server.url, "thing-happy", providers=fake_providers(), timeout=10, out=lines.append) == 0
    assert lines[-1].endswith("2 step(s), 3 event(s), 3 delivery attempt(s)")


def test_the_cli_triggers_a_bundled_scenario_of_a_real_provider(capsys):
    """The command as users run it: the provider hook bound to this process's settings."""
    from simulator.server import ThreadedServer
    from simulator.settings import Settings

    with ThreadedServer(Settings(seed=5, speed="manual", start_time="2025-01-01T00:00:00Z")) as server:
        names = {
            s["name"] for s in httpx.get(f"{server.url}/_sim/scenarios", params={"provider": "sumsub"}).json()["data"]
        }
        assert "applicant-approved" in names, "the bundled Sumsub scenario this test triggers was renamed"
        assert main(["trigger", "applicant-approved", "--url", server.url]) == 0
    out = capsys.readouterr().out
    assert "call     POST /resources/applicants" in out and out.rstrip().splitlines()[-1].startswith("run finished")


def test_trigger_stops_at_a_step_that_waits_for_someone_and_says_so():
    lines: list[str] = []
    with hook_server() as server:
        assert trigger(server.url, "thing-waits", providers=fake_providers(), out=lines.append) == 1
    assert "  2025-01-01T00:00:05Z  step     set_status status=processing" in lines
    assert lines[-1].startswith("run waiting for approval after 5s of virtual time")
    assert lines[-1].endswith("; nothing a client does moves it on: a person or a control call must")
