"""``kycsim trigger`` for Sumsub: the provider hook signs its calls and starts the scenario."""

from __future__ import annotations


def test_trigger_an_applicant_scenario(raw, sim):
    calls = []
    ids = sim.providers["sumsub"].trigger(raw, sim.catalogue.get("red-retry-screenshots"), lambda k, d: calls.append(d))
    assert [(c["path"].split("?")[0], c["status"]) for c in calls] == [
        ("/resources/applicants", 201),
        ("/resources/accessTokens/sdk", 200),  # the hand-off: the simulated person plays the scenario
    ]
    raw.post("/_sim/clock/advance", json={"seconds": 120})
    doc = sim.store.get(ids["appToken"], "sumsub", "applicants", ids["applicantId"])
    assert doc["_scenario"] == "red-retry-screenshots"
    assert doc["review"]["reviewResult"]["rejectLabels"] == ["SCREENSHOTS"]


def test_trigger_an_action_scenario_with_face_checks(raw, sim):
    calls = []
    ids = sim.providers["sumsub"].trigger(raw, sim.catalogue.get("action-face-mismatch"), lambda k, d: calls.append(d))
    assert calls[-1]["path"] == "/resources/accessTokens/sdk"
    raw.post("/_sim/clock/advance", json={"seconds": 120})
    action = sim.store.get(ids["appToken"], "sumsub", "applicant_actions", ids["actionId"])
    assert action["type"] == "selfieAuth"
    assert [(c["checkType"], c["answer"]) for c in action["checks"]] == [
        ("FACE_LIVELINESS", "GREEN"),
        ("FACE_MATCH", "RED"),
    ]


def test_kycsim_trigger_plays_a_sumsub_scenario_end_to_end():
    import json

    from simulator.cli_trigger import trigger
    from simulator.server import ThreadedServer
    from tests.providers.sumsub.conftest import sumsub_settings

    lines: list[str] = []
    with ThreadedServer(sumsub_settings()) as server:
        code = trigger(
            server.url, "action-payment-method-declined", providers=server.sim.providers, as_json=True, out=lines.append
        )
    report = json.loads(lines[0])
    assert code == 0 and report["run"]["status"] == "finished", report
    assert report["provider"] == "sumsub" and report["created"]["actionId"]
    events = [i for i in report["timeline"] if i["kind"] == "event"]
    assert any("applicantActionReviewed" in json.dumps(e) for e in events)
