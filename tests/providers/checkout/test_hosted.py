"""The hosted verification page: auto mode follows the scenario, interactive mode lets a person drive."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

from simulator.providers.checkout.products import IDENTITY_VERIFICATION
from simulator.providers.checkout.state import State
from tests.providers.checkout.conftest import KEY


def path_of(url: str) -> str:
    return urlsplit(url).path


def test_auto_mode_page_follows_the_scenario_and_redirects(api):
    idv = api.idv(scenario="idv-approved")
    attempt = api.attempt(idv["id"], redirect_url="https://merchant.example.com/back?order=42")
    page_path = path_of(attempt["_links"]["verification_url"]["href"])
    page = api.client.get(page_path)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert idv["id"] in page.text and "pending_redirection" in page.text
    assert "<form" not in page.text  # nobody acts in auto mode
    state = api.client.get(f"{page_path}state").json()
    assert (state["status"], state["attempt_status"], state["redirect"]) == ("pending", "pending_redirection", None)
    api.advance(70)
    state = api.client.get(f"{page_path}state").json()
    assert state["attempt_status"] == "checks_in_progress"
    target = urlsplit(state["redirect"])
    assert (target.netloc, target.path) == ("merchant.example.com", "/back")
    assert parse_qs(target.query) == {
        "order": ["42"],
        "id": [idv["id"]],
        "event": ["identity_verification_capture_completed"],
    }
    assert [h["event"] for h in state["history"]][-2:] == [
        "identity_verification_started",
        "identity_verification_capture_completed",
    ]


def test_unsuccessful_redirect_carries_the_response_code(api):
    idv = api.idv(scenario="idv-capture-aborted-61203")
    attempt = api.attempt(idv["id"])
    api.advance(40)
    state = api.client.get(f"{path_of(attempt['_links']['verification_url']['href'])}state").json()
    query = parse_qs(urlsplit(state["redirect"]).query)
    assert query == {"id": [idv["id"]], "event": ["identity_verification_capture_aborted"], "response_code": ["61203"]}


def test_unknown_link_is_404(api):
    assert api.client.get("/verify/zzzzzzzzzz/").status_code == 404
    assert api.client.get("/verify/zzzzzzzzzz/state").status_code == 404


def interactive(make_api, scenario: str | None = None, **attempt_fields):
    api = make_api(applicant="interactive")
    idv = api.idv(scenario=scenario)
    attempt = api.attempt(idv["id"], **attempt_fields)
    return api, idv, attempt, path_of(attempt["_links"]["verification_url"]["href"])


def test_interactive_person_starts_and_completes(make_api):
    api, idv, attempt, page = interactive(make_api)
    api.advance(3600)  # nothing happens until the person acts... except the link's own expiry rule
    assert api.get_idv(idv["id"])["status"] == "retry_required"

    api, idv, attempt, page = interactive(make_api)
    html = api.client.get(page).text
    assert 'value="start"' in html and 'name="scenario"' in html and 'value="refuse"' in html
    response = api.client.post(page, data={"action": "start"}, follow_redirects=False)
    assert response.status_code == 303
    assert api.get_idv(idv["id"])["status"] == "capture_in_progress"
    response = api.client.post(page, data={"action": "complete"}, follow_redirects=False)
    assert response.status_code == 303
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query == {"id": [idv["id"]], "event": ["identity_verification_capture_completed"]}
    assert api.get_idv(idv["id"])["status"] == "checks_in_progress"
    api.advance(30)
    assert api.get_idv(idv["id"])["status"] == "approved"


def test_interactive_person_chooses_an_outcome_from_the_catalogue(make_api):
    api, idv, attempt, page = interactive(make_api)
    api.client.post(page, data={"action": "start"})
    response = api.client.post(
        page, data={"action": "complete", "scenario": "idv-declined-62202"}, follow_redirects=False
    )
    assert response.status_code == 303
    api.advance(60)
    done = api.get_idv(idv["id"])
    assert (done["status"], done["response_codes"][0]["code"]) == ("declined", 62202)


def test_interactive_choice_can_be_an_applicant_outcome(make_api):
    api, idv, attempt, page = interactive(make_api)
    response = api.client.post(page, data={"action": "complete", "scenario": "idv-refused"}, follow_redirects=False)
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["event"] == ["identity_verification_capture_refused"] and query["response_code"] == ["63001"]
    assert api.get_idv(idv["id"])["status"] == "refused"


def test_a_header_fixes_the_outcome(make_api):
    api, idv, attempt, page = interactive(make_api, scenario="idv-declined-62101")
    html = api.client.get(page).text
    assert 'name="scenario"' not in html and "Outcome fixed by header" in html
    api.client.post(page, data={"action": "complete", "scenario": "idv-approved"})
    api.advance(60)
    assert api.get_idv(idv["id"])["response_codes"][0]["code"] == 62101


def test_interactive_abort_and_refuse(make_api):
    api, idv, attempt, page = interactive(make_api)
    response = api.client.post(page, data={"action": "abort", "code": "61113"}, follow_redirects=False)
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query == {"id": [idv["id"]], "event": ["identity_verification_capture_aborted"], "response_code": ["61113"]}
    assert api.get_attempt(idv["id"], attempt["id"])["status"] == "capture_aborted"
    second = api.attempt(idv["id"])
    second_page = path_of(second["_links"]["verification_url"]["href"])
    api.client.post(second_page, data={"action": "start"})
    response = api.client.post(second_page, data={"action": "refuse"}, follow_redirects=False)
    assert parse_qs(urlsplit(response.headers["location"]).query)["response_code"] == ["63001"]
    assert api.get_idv(idv["id"])["status"] == "refused"
    # The old page shows the end of its attempt, not the controls.
    assert 'value="start"' not in api.client.get(page).text


def test_expired_link_redirect(api):
    idv = api.idv(scenario="idv-link-expired")
    attempt = api.attempt(idv["id"])
    api.advance(15 * 60)
    page = path_of(attempt["_links"]["verification_url"]["href"])
    query = parse_qs(urlsplit(api.client.get(f"{page}state").json()["redirect"]).query)
    assert query["event"] == ["identity_verification_link_expired"] and query["response_code"] == ["61101"]


def test_the_page_shows_the_script_as_it_plays(api):
    idv = api.idv(scenario="idv-approved")
    attempt = api.attempt(idv["id"])
    page = path_of(attempt["_links"]["verification_url"]["href"])
    script = api.client.get(f"{page}state").json()["script"]
    assert [(s["step"], s["state"]) for s in script] == [
        ("open_link", "next"),
        ("complete_capture", "later"),
        ("complete_checks", "later"),
        ("create_report", "later"),
    ]
    api.advance(10)
    assert [s["state"] for s in api.client.get(f"{page}state").json()["script"]][:2] == ["done", "next"]
    assert "<h2>Script</h2>" in api.client.get(page).text


def test_page_requests_name_their_tenant_and_scenario_and_polls_stay_out_of_the_journal(api):
    idv = api.idv(scenario="idv-approved")
    page = path_of(api.attempt(idv["id"])["_links"]["verification_url"]["href"])
    api.client.get(page)
    for _ in range(3):
        api.client.get(f"{page}state")
    entries = api.client.get("/_sim/requests", params={"path": "/verify/"}).json()["data"]
    assert [(e["path"], e["provider"], e["scenario"]) for e in entries] == [(page, "checkout", "idv-approved")]
    assert entries[0]["tenant"] is not None
    assert '<link rel="icon" href="data:,">' in api.client.get(page).text  # no /favicon.ico 404 in the journal


def test_leaving_the_flow_offers_only_abort_reasons(make_api):
    api, idv, attempt, page = interactive(make_api)
    html = api.client.get(page).text
    offered = {int(code) for code in __import__("re").findall(r'<option value="(6\d{4})"', html)}
    assert 61113 in offered and 61203 in offered
    assert not {code for code in offered if code >= 61300}  # capture quality is checks_inconclusive, not an abort


def test_interactive_script_says_the_person_acts_and_a_replaced_attempt_says_so(make_api):
    api, idv, attempt, page = interactive(make_api)
    script = api.client.get(f"{page}state").json()["script"]
    assert script[0]["by_person"] and not script[-1]["by_person"]
    assert 'open_link <span class="muted">when you act' in api.client.get(page).text
    api.attempt(idv["id"])  # a new attempt replaces this one
    state = api.client.get(f"{page}state").json()
    assert state["replaced"] is True
    assert "replaced by a newer one" in api.client.get(page).text


# The page's scenario picker, state polling and redirect safety

DECLINED_62304 = "The applicant completes the capture and the verification is declined with 62304."


def _scenario_options(html: str) -> list[tuple[str, str]]:
    chooser = re.search(r'<select id="scenario" name="scenario"[^>]*>(.*?)</select>', html, re.S)
    assert chooser, html
    return re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', chooser[1])


def test_the_picker_groups_the_products_scenarios_by_outcome_with_each_codes_meaning(make_api):
    api, idv, attempt, page = interactive(make_api)
    html = api.client.get(page).text
    groups = [label.split(" (")[0] for label in re.findall(r'<optgroup label="([^"]+)"', html)]
    assert groups == ["approved", "retry_required", "declined", "refused", "inconclusive"]
    options = dict(_scenario_options(html))
    catalogue = api.sim.catalogue.for_product("checkout", "identity_verification")
    assert sorted(options) == sorted(s.name for s in catalogue)  # each offered once, nothing from elsewhere
    assert options["idv-declined-62304"] == "idv-declined-62304 · 62304 face_mismatch"
    assert (
        options["idv-capture-aborted-61113"]
        == "idv-capture-aborted-61113 · 61113 camera_access_refused, 10000 approved"
    )
    assert '<option value="idv-approved" selected>' in html  # what the check plays now
    details = json.loads(re.search(r"data-picker-details>(.*?)</script>", html, re.S)[1])
    assert details["idv-declined-62304"]["codes"] == [
        "62304 face_mismatch — The face does not match the document portrait."
    ]
    assert details["idv-declined-62304"]["group"] == "declined"


def test_the_control_api_lists_each_scenarios_outcome_for_other_pickers(api):
    listed = api.client.get("/_sim/scenarios", params={"provider": "checkout"}).json()["data"]
    (declined,) = [s for s in listed if s["name"] == "idv-declined-62304"]
    meaning = "The face does not match the document portrait."
    code = {"code": "62304", "summary": "face_mismatch", "meaning": meaning, "text": f"62304 face_mismatch — {meaning}"}
    assert declined["outcome"] == {"group": "declined", "codes": [code]}


def test_every_hosted_scenario_has_an_outcome_group_the_pickers_know(api):
    provider = api.sim.providers["checkout"]
    for scenario in api.sim.catalogue.scenarios.values():
        if scenario.provider == "checkout" and scenario.product != "aml_screening":
            assert provider.outcome(scenario).group in provider.outcome_groups[:-1], scenario.name  # never "other"


def test_the_page_follows_its_state_and_an_auto_played_applicant_leaves_for_the_merchant(api):
    idv = api.idv(scenario="idv-declined-62304")
    page = path_of(api.attempt(idv["id"])["_links"]["verification_url"]["href"])
    html = api.client.get(page).text
    state = api.client.get(f"{page}state").json()
    assert f'data-poll="{page}state" data-version="{state["version"]}"' in html
    assert state["leave"] is None
    api.advance(120)
    moved = api.client.get(f"{page}state").json()
    assert moved["version"] != state["version"] and moved["leave"] == moved["redirect"]
    assert "62304 face_mismatch — The face does not match the document portrait." in api.client.get(page).text


def test_a_person_is_never_sent_away_and_a_replaced_attempt_stops_following(make_api):
    api, idv, attempt, page = interactive(make_api)
    api.client.post(page, data={"action": "abort", "code": "61113"})
    state = api.client.get(f"{page}state").json()
    assert state["redirect"] and state["leave"] is None  # a person clicks "Return to the merchant"
    api.attempt(idv["id"])
    assert "data-poll" not in api.client.get(page).text


def test_a_stored_script_redirect_is_neither_rendered_nor_followed(api):
    idv = api.idv(scenario="idv-approved")
    attempt = api.attempt(idv["id"])
    page = path_of(attempt["_links"]["verification_url"]["href"])
    state = State(api.sim, KEY)
    stored = state.attempt(IDENTITY_VERIFICATION, attempt["id"])
    stored["redirect_url"] = "javascript:alert(document.cookie)"  # a record from before the input checks
    state.save_attempt(IDENTITY_VERIFICATION, stored)
    api.advance(120)
    snapshot = api.client.get(f"{page}state").json()
    assert snapshot["attempt_status"] == "completed" and snapshot["redirect"] is None and snapshot["leave"] is None
    html = api.client.get(page).text
    assert "javascript:" not in html and "Return to the merchant" not in html
