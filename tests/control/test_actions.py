"""What the dashboard does through the control API: tenants shown masked and acted on as shown, clock moves
to the next job or a time, triggers and the client's part of a waiting run."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from simulator.server import ThreadedServer
from simulator.settings import Settings
from tests.control.schemas import assert_schema

KEY = "sk_sbox_actiontest_key_0001"
AUTH = {"Authorization": f"Bearer {KEY}"}
SHOWN = "sk_sbox_…0001"


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    settings = Settings(seed=9, speed="manual", start_time="2025-01-01T00:00:00Z")
    with ThreadedServer(settings) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def start_check(http: httpx.Client, scenario: str) -> str:
    applicant = http.post("/applicants", headers=AUTH, json={"email": "qa@example.com"}).json()
    body = {"applicant_id": applicant["id"], "declared_data": {"name": "Q A"}}
    idv = http.post("/identity-verifications", headers={**AUTH, "X-KycSim-Scenario": scenario}, json=body).json()
    http.post(
        f"/identity-verifications/{idv['id']}/attempts", headers=AUTH, json={"redirect_url": "https://m.example/"}
    )
    return idv["id"]


def test_tenants_are_listed_masked_with_their_clock_and_next_job(http):
    start_check(http, "idv-approved")
    listing = http.get("/_sim/tenants").json()
    assert_schema("tenants.response", listing)
    row = next(t for t in listing["data"] if t["tenant"] == SHOWN)
    assert (row["providers"], row["verifications"], row["running"]) == (["checkout"], 1, 1)
    assert row["next_job_at"] == "2025-01-01T00:00:10Z" and "open_link" in row["next_job"]
    assert KEY not in str(listing) and not any(t["tenant"].startswith("_") for t in listing["data"])


def test_the_clock_moves_to_the_next_job_or_a_time_for_a_tenant_given_as_shown(http):
    idv = start_check(http, "idv-approved")
    moved = http.post("/_sim/clock/advance", json={"tenant": SHOWN, "to": "next"})
    assert moved.status_code == 200, moved.text
    assert (moved.json()["now"], moved.json()["fired"], moved.json()["tenant"]) == ("2025-01-01T00:00:10Z", 1, SHOWN)
    http.post("/_sim/clock/advance", json={"tenant": SHOWN, "to": "2025-01-01T00:01:10Z"})
    story = http.get(f"/_sim/stories/{idv}").json()
    assert [s["state"] for s in story["runs"][0]["script"]] == ["done", "done", "next", "later"]
    assert story["runs"][0]["next_step_at"] == "2025-01-01T00:01:40Z"
    assert story["timeline"][-1]["kind"] == "next" and story["timeline"][-1]["step"] == "complete_checks"
    # The past is not a move; nothing scheduled is a clear 409 (the state, not the request, is in the way).
    assert http.post("/_sim/clock/advance", json={"tenant": SHOWN, "to": "2024-01-01T00:00:00Z"}).json()["fired"] == 0
    http.post("/_sim/clock/advance", json={"tenant": SHOWN, "seconds": 3600})
    nothing = http.post("/_sim/clock/advance", json={"tenant": SHOWN, "to": "next"})
    assert nothing.status_code == 409 and "nothing is scheduled" in nothing.json()["error"]["message"]
    for bad in ("soon", 5, "2025-13-01T00:00:00Z"):
        refused = http.post("/_sim/clock/advance", json={"tenant": SHOWN, "to": bad})
        assert refused.status_code == 400 and "'to'" in refused.json()["error"]["message"], bad


def test_a_masked_tenant_stands_for_the_one_tenant_it_masks_and_nothing_else(http):
    start_check(http, "idv-approved")
    unknown = http.post("/_sim/reset", json={"tenant": "sk_sbox_…zzzz"})
    assert unknown.status_code == 400 and "no tenant shows as" in unknown.json()["error"]["message"]
    assert http.get("/_sim/requests", params={"tenant": SHOWN}).json()["count"] == 3
    # Two credentials ending alike are told apart only in full.
    http.post("/applicants", headers={"Authorization": "Bearer sk_sbox_another_one_0001"}, json={})
    ambiguous = http.post("/_sim/bindings", json={"scenario": "idv-approved", "tenant": SHOWN})
    assert ambiguous.status_code == 400 and "2 tenants" in ambiguous.json()["error"]["message"]
    assert http.post("/_sim/reset", json={"tenant": KEY}).json() == {"reset": SHOWN}
    assert http.get("/_sim/requests", params={"tenant": KEY}).json()["count"] == 0


def test_a_binding_for_a_tenant_given_as_shown_decides_its_next_check(http):
    start_check(http, "idv-approved")
    bound = http.post("/_sim/bindings", json={"scenario": "idv-declined-62304", "tenant": SHOWN, "times": 1})
    assert bound.status_code == 201 and bound.json()["tenant"] == SHOWN
    applicant = http.post("/applicants", headers=AUTH, json={}).json()
    body = {"applicant_id": applicant["id"], "declared_data": {"name": "Q A"}}
    idv = http.post("/identity-verifications", headers=AUTH, json=body).json()
    assert http.get(f"/_sim/stories/{idv['id']}").status_code == 404  # the run starts with the first attempt
    http.post(
        f"/identity-verifications/{idv['id']}/attempts", headers=AUTH, json={"redirect_url": "https://m.example/"}
    )
    assert http.get(f"/_sim/stories/{idv['id']}").json()["runs"][0]["scenario"] == "idv-declined-62304"


def test_a_trigger_makes_the_clients_calls_and_names_the_story_to_follow(http):
    made = http.post("/_sim/trigger", json={"scenario": "idv-declined-62304", "tenant": KEY})
    assert made.status_code == 201, made.text
    body = made.json()
    assert_schema("trigger.response", body)
    assert body["tenant"] == SHOWN and [c["status"] for c in body["calls"]] == [201, 201, 201]
    assert body["created"]["verification_url"].startswith(str(http.base_url).rstrip("/") + "/verify/")
    story = http.get(f"/_sim/stories/{body['story']}").json()
    assert story["runs"][0]["scenario"] == "idv-declined-62304"
    sumsub = http.post("/_sim/trigger", json={"scenario": "red-final-forgery"}).json()
    assert sumsub["tenant"].startswith("sbx:…") and "sbx:" not in str(sumsub["created"]).replace("sbx:…", "")
    assert http.get(f"/_sim/stories/{sumsub['story']}").json()["provider"] == "sumsub"
    for bad, message in (({"scenario": "nope"}, "must name a scenario"), ({}, "must name a scenario")):
        refused = http.post("/_sim/trigger", json=bad)
        assert refused.status_code == 400 and message in refused.json()["error"]["message"]


def test_the_clients_part_of_a_waiting_run_is_played_on_request(http):
    idv = start_check(http, "idv-checks-inconclusive-61911")
    for _ in range(3):
        http.post("/_sim/clock/advance", json={"tenant": KEY, "to": "next"})
    run = http.get(f"/_sim/stories/{idv}").json()["runs"][0]
    assert run["waiting_for"] == "new_attempt"
    resumed = http.post(f"/_sim/runs/{run['id']}/resume", json={})
    assert resumed.status_code == 200, resumed.text
    assert_schema("resume.response", resumed.json())
    assert "new attempt" in resumed.json()["done"]
    after = http.get(f"/_sim/stories/{idv}").json()
    assert after["runs"][0]["waiting_for"] is None
    assert [k for k in after["subjects"][0]["ids"] if "attempt" in k] == ["attempt 1", "attempt 2"]
    again = http.post(f"/_sim/runs/{run['id']}/resume", json={})
    assert again.status_code == 400 and "waits for nothing" in again.json()["error"]["message"]
    assert http.post("/_sim/runs/run_nothing/resume", json={}).status_code == 404


def test_control_writes_from_another_site_are_refused(http):
    for path, body in (("/_sim/trigger", {"scenario": "idv-approved"}), ("/_sim/runs/run_x/resume", {})):
        refused = http.post(path, json=body, headers={"Origin": "https://evil.example"})
        assert refused.status_code == 403
        plain = http.post(path, content=b"{}", headers={"Content-Type": "text/plain"})
        assert plain.status_code == 415
    assert http.get("/_sim/requests").json()["count"] == 0  # nothing was triggered
