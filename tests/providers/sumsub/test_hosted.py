"""The hosted WebSDK page as a person meets it: what it offers, where its forms post, when it reloads."""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import re
from base64 import urlsafe_b64decode
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from simulator.app import create_app
from simulator.providers.sumsub import hosted
from tests.providers.sumsub.conftest import Flow, Signed, sumsub_settings
from tests.providers.sumsub.support import assert_error

# The page follows the review by polling its state endpoint (kept out of the journal): it names it here.
FOLLOWS = "data-poll="


class _Forms(HTMLParser):
    """Each form's action and the names, formactions and labels of what it holds."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.labels_for: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"method": a.get("method"), "action": a.get("action"), "fields": [], "buttons": []})
        elif tag == "label" and a.get("for"):
            self.labels_for.add(a["for"])
        elif tag in ("select", "input") and self.forms:
            self.forms[-1]["fields"].append(a)
        elif tag == "button" and self.forms:
            self.forms[-1]["buttons"].append(a)


def forms_of(page: str) -> _Forms:
    parser = _Forms()
    parser.feed(page)
    return parser


@pytest.fixture
def interactive():
    with TestClient(create_app(sumsub_settings(applicant="interactive"))) as client:
        yield client


def _open(client: TestClient, user: str, **extra) -> tuple[Signed, Flow, str]:
    api = Signed(client)
    body = {"userId": user, "levelName": "basic-kyc-level", "ttlInSecs": 7200, **extra}
    url = api.post("/resources/sdkIntegrations/levels/-/websdkLink", json=body).json()["url"]
    return api, Flow(api), url.split("testserver", 1)[1]


def test_the_interactive_page_is_one_form_posting_the_outcome_with_either_button(interactive):
    _, _, path = _open(interactive, "one-form")
    page = interactive.get(path).text
    parsed = forms_of(page)
    assert len(parsed.forms) == 1
    (form,) = parsed.forms
    assert form["method"] == "post" and form["action"] == f"{path}/submit"
    (select,) = form["fields"]
    assert select["name"] == "scenario" and select["id"] in parsed.labels_for
    assert [b.get("formaction") for b in form["buttons"]] == [f"{path}/scenario", None]
    assert "Submit verification" in page and "Use this scenario" in page
    assert FOLLOWS not in page  # a reload would lose the person's pick


def test_submitting_with_a_picked_outcome_plays_that_outcome(interactive):
    api, flow, path = _open(interactive, "picks-and-submits")
    sent = interactive.post(f"{path}/submit", data={"scenario": "red-final-forgery"}, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == path
    page = interactive.get(path).text
    assert "red-final-forgery" in page and "pending" in page
    assert FOLLOWS in page and "Submitted; this page follows the review." in page and "<form" not in page
    flow.advance(3600)
    applicant = api.get("/resources/applicants/-;externalUserId=picks-and-submits/one").json()
    assert applicant["review"]["reviewResult"]["rejectLabels"] == ["FORGERY"]
    done = interactive.get(path).text
    assert "completed" in done and "RED" in done and FOLLOWS not in done


def test_an_unknown_outcome_is_refused_and_nothing_is_submitted(interactive):
    api, _, path = _open(interactive, "bad-pick")
    answer = interactive.post(f"{path}/submit", data={"scenario": "idv-approved"})  # a Checkout.com scenario
    assert answer.status_code == 400 and "Unknown scenario for this flow." in answer.text
    assert api.get("/resources/applicants/-;externalUserId=bad-pick/one").json()["review"]["reviewStatus"] == "init"


def test_the_outcome_cannot_change_once_submitted(interactive):
    api, flow, path = _open(interactive, "too-late")
    interactive.post(f"{path}/submit")
    interactive.post(f"{path}/scenario", data={"scenario": "red-final-forgery"})
    flow.advance(3600)
    applicant = api.get("/resources/applicants/-;externalUserId=too-late/one").json()
    assert applicant["review"]["reviewResult"]["reviewAnswer"] == "GREEN"


def test_a_retry_asks_the_person_to_submit_again(interactive):
    api, flow, path = _open(interactive, "retries")
    interactive.post(f"{path}/submit", data={"scenario": "applicant-retry-then-approved"})
    flow.advance(3600)
    page = interactive.get(path).text
    assert "RED" in page and FOLLOWS not in page
    assert [f["action"] for f in forms_of(page).forms] == [f"{path}/submit"]
    interactive.post(f"{path}/submit")
    flow.advance(3600)
    assert "GREEN" in interactive.get(path).text


def test_a_scenario_fixed_beforehand_offers_only_submit(interactive):
    _, _, path = _open(interactive, "fixed+red-final-spam", applicantIdentifiers={"email": "fixed+red-final-spam@x.io"})
    page = interactive.get(path).text
    assert "<select" not in page and "red-final-spam" in page
    assert [f["action"] for f in forms_of(page).forms] == [f"{path}/submit"]


def test_the_auto_page_follows_the_review_without_forms(raw, api, flow):
    url = api.post(
        "/resources/sdkIntegrations/levels/-/websdkLink", json={"levelName": "l", "userId": "auto", "ttlInSecs": 7200}
    )
    path = url.json()["url"].split("testserver", 1)[1]
    page = raw.get(path).text
    assert FOLLOWS in page and "<form" not in page and "The scenario plays the applicant" in page
    flow.advance(3600)
    done = raw.get(path).text
    assert "completed" in done and FOLLOWS not in done


def test_pages_are_whole_documents_even_when_the_link_is_wrong(raw, api, flow):
    unknown = raw.get("/websdk/p/sbx_nothing")
    assert unknown.status_code == 404
    body = {"levelName": "basic-kyc-level", "userId": "late", "ttlInSecs": 60}
    path = api.post("/resources/sdkIntegrations/levels/-/websdkLink", json=body).json()["url"].split("testserver")[1]
    flow.advance(120)
    expired = raw.get(path)
    assert expired.status_code == 410
    for page, message in ((unknown.text, "is unknown"), (expired.text, "has expired")):
        assert page.startswith("<!doctype html>") and '<html lang="en">' in page and message in page
        assert re.search(r"<title>[^<]+</title>", page) and '<link rel="icon" href="data:,">' in page


# Resubmission after RETRY


def _applicant(api: Signed, user: str) -> dict:
    return api.get(f"/resources/applicants/-;externalUserId={user}/one").json()


def test_a_retry_lets_the_person_resubmit_a_new_attempt_with_new_webhooks(interactive):
    api, flow, path = _open(interactive, "resubmits")
    sim = interactive.app.state.sim
    interactive.post(f"{path}/submit", data={"scenario": "red-retry-bad_selfie"})
    flow.advance(3600)
    first = _applicant(api, "resubmits")
    assert first["review"]["reviewResult"]["reviewRejectType"] == "RETRY" and first["review"]["attemptCnt"] == 1
    page = interactive.get(path).text
    assert "Resubmission requested: Please upload your documents again." in page and FOLLOWS not in page
    (form,) = forms_of(page).forms
    assert form["action"] == f"{path}/submit" and [b.get("formaction") for b in form["buttons"]] == [None]
    assert "Submit again" in page and "Use this scenario" not in page
    assert '<option value="applicant-approved" selected>' in page  # the new attempt's default outcome

    sent = interactive.post(f"{path}/submit", follow_redirects=False)  # no pick: the default (GREEN)
    assert sent.status_code == 303
    pending = _applicant(api, "resubmits")["review"]
    assert pending["reviewStatus"] == "pending" and pending["attemptCnt"] == 2
    assert pending["attemptId"] != first["review"]["attemptId"] and pending["reviewId"] == first["review"]["reviewId"]
    assert "reviewResult" not in pending
    assert FOLLOWS in interactive.get(path).text
    flow.advance(3600)
    second = _applicant(api, "resubmits")
    assert second["review"]["reviewResult"] == {"reviewAnswer": "GREEN"} and second["review"]["attemptCnt"] == 2
    events = flow.events(sim, first["id"])
    reviewed = events.index("applicantReviewed")
    assert events[reviewed + 1 :] == ["applicantPending", "applicantPrechecked", "applicantReviewed"]
    done = interactive.get(path).text
    assert "applicant-approved" in done and "<form" not in done


def test_the_person_picks_the_outcome_of_the_new_attempt(interactive):
    api, flow, path = _open(interactive, "repicks")
    interactive.post(f"{path}/submit", data={"scenario": "red-retry-bad_selfie"})
    flow.advance(3600)
    interactive.post(f"{path}/submit", data={"scenario": "red-final-forgery"})
    flow.advance(3600)
    review = _applicant(api, "repicks")["review"]
    assert review["attemptCnt"] == 2 and review["reviewResult"]["rejectLabels"] == ["FORGERY"]
    bad = interactive.post(f"{path}/submit", data={"scenario": "action-approved"})  # only applicant outcomes
    assert bad.status_code == 400


def test_a_final_rejection_refuses_resubmission(interactive):
    api, flow, path = _open(interactive, "final")
    sim = interactive.app.state.sim
    interactive.post(f"{path}/submit", data={"scenario": "red-final-forgery"})
    flow.advance(3600)
    before = _applicant(api, "final")
    page = interactive.get(path).text
    assert "This rejection is final" in page and "<form" not in page and FOLLOWS not in page
    interactive.post(f"{path}/submit", data={"scenario": "applicant-approved"})
    interactive.post("/_sim/sumsub/submit", json={"applicantId": before["id"]})
    flow.advance(3600)
    after = _applicant(api, "final")
    assert after["review"] == before["review"]
    assert flow.events(sim, before["id"]).count("applicantPending") == 1


def test_a_scenario_fixed_beforehand_resubmits_to_the_default(interactive):
    user = "fixed+red-retry-bad_selfie"
    api, flow, path = _open(interactive, user, applicantIdentifiers={"email": f"{user}@x.io"})
    interactive.post(f"{path}/submit")
    flow.advance(3600)
    page = interactive.get(path).text
    assert "Resubmission requested" in page and "<select" not in page and "Submit again" in page
    interactive.post(f"{path}/submit", data={"scenario": "red-final-forgery"})  # no choice was offered
    flow.advance(3600)
    review = _applicant(api, user)["review"]
    assert review["attemptCnt"] == 2 and review["reviewResult"] == {"reviewAnswer": "GREEN"}


def test_a_scripted_resubmission_still_plays_in_auto_mode(raw, api, flow, sim):
    applicant = flow.played_applicant("applicant-retry-then-approved")
    flow.advance(45)
    # The client resubmits before the simulated person would: that is the scripted resubmission, no new run.
    assert api.post(f"/resources/applicants/{applicant['id']}/status/pending").status_code == 200
    flow.advance(3600)
    review = api.get(f"/resources/applicants/{applicant['id']}/status").json()
    assert review["attemptCnt"] == 2 and review["reviewResult"] == {"reviewAnswer": "GREEN"}
    assert flow.events(sim, applicant["id"]).count("applicantReviewed") == 2


def test_an_action_that_got_retry_is_retried_on_the_page(interactive):
    api, flow, path = _open(interactive, "action-retry", levelName="selfie-level", externalActionId="act-1")
    sim = interactive.app.state.sim
    interactive.post(f"{path}/submit", data={"scenario": "action-payment-source-mismatch"})
    flow.advance(3600)
    applicant = _applicant(api, "action-retry")
    (action,) = api.get(f"/resources/applicantActions/-;applicantId={applicant['id']}").json()["items"]
    assert action["review"]["reviewResult"]["reviewRejectType"] == "RETRY"
    page = interactive.get(path).text
    assert '<option value="action-approved" selected>' in page and "Submit again" in page
    interactive.post(f"{path}/submit", data={"scenario": "action-selfie-approved"})
    flow.advance(3600)
    again = api.get(f"/resources/applicantActions/{action['id']}/one").json()
    assert again["review"]["attemptCnt"] == 2 and again["review"]["attemptId"] != action["review"]["attemptId"]
    assert again["review"]["reviewResult"]["reviewAnswer"] == "GREEN"
    events = flow.events(sim, action["id"])
    assert events == ["applicantActionPending", "applicantActionReviewed"] * 2


# Redirects (the link's ``redirect``)

REDIRECT = {
    "successUrl": "https://shop.example/kyc;done?status=ok",
    "rejectUrl": "https://shop.example/kyc/rejected?status=reject",
}


def _target(page: str) -> str:
    found = re.search(r'<a class="button" href="([^"]+)">Return to the merchant</a>', page)
    assert found, page
    return html.unescape(found.group(1))


def test_auto_mode_leaves_for_the_success_url_once_approved(raw, api, flow):
    body = {"levelName": "basic-kyc-level", "userId": "to-success", "ttlInSecs": 7200, "redirect": REDIRECT}
    path = api.post("/resources/sdkIntegrations/levels/-/websdkLink", json=body).json()["url"].split("testserver")[1]
    assert "Return to the merchant" not in raw.get(path).text  # nothing to leave for before the result
    flow.advance(3600)
    page = raw.get(path).text
    assert _target(page) == REDIRECT["successUrl"]
    assert f'<meta http-equiv="refresh" content="2;url={html.escape(REDIRECT["successUrl"])}">' in page


def test_a_red_review_leads_to_the_reject_url_with_allowed_params_and_a_signed_jwt(interactive):
    redirect = {**REDIRECT, "signKey": "1", "allowedQueryParams": ["ref", "lang"]}
    api, flow, path = _open(interactive, "to-reject", redirect=redirect)
    interactive.get(f"{path}?ref=order-7&other=dropped")
    interactive.post(f"{path}/submit", data={"scenario": "red-final-forgery"})
    flow.advance(3600)
    page = interactive.get(path).text
    assert "2;url=" not in page  # a person clicks; only the auto-played applicant is sent on
    target = urlsplit(_target(page))
    assert f"{target.scheme}://{target.netloc}{target.path}" == "https://shop.example/kyc/rejected"
    query = parse_qs(target.query)
    assert query["status"] == ["reject"] and query["ref"] == ["order-7"] and "other" not in query
    header, payload, signature = query["jwt"][0].split(".")
    assert json.loads(_unb64(header)) == {"alg": "HS256"}
    claims = json.loads(_unb64(payload))
    now = int(datetime(2025, 1, 1, 2, tzinfo=UTC).timestamp())
    assert claims == {"iat": claims["iat"], "exp": claims["iat"] + 604800, "sub": "to-reject", "aud": "kycsim"}
    assert now - 7200 <= claims["iat"] <= now + 7200
    expected = hmac.new(b"1", f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert _unb64(signature) == expected


def test_the_jwt_matches_sumsubs_documented_example():
    token = hosted.redirect_jwt("1", "userId_8", 1620052527)
    assert (
        token.split(".")[1]
        == "eyJpYXQiOjE2MjAwNTI1MjcsImV4cCI6MTYyMDY1NzMyNywic3ViIjoidXNlcklkXzgiLCJhdWQiOiJreWNzaW0ifQ"
    )
    documented = (
        "eyJhbGciOiJIUzI1NiJ9.eyJpYXQiOjE2MjAwNTI1MjcsImV4cCI6MTYyMDY1NzMyNywic3ViIjoidXNlcklkXzgiLCJhdWQiOiJzdW1zdWIifQ"
        ".qCR-4VMfC_zOAN1hCtbjj9DJxmB6c0sEg7XD5Y8ZvvM"
    )
    header, payload, signature = documented.split(".")
    mine = hmac.new(b"1", f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert token.split(".")[0] == header and hosted._b64(mine) == signature


def test_a_retry_offers_the_reject_url_beside_resubmission(interactive):
    api, flow, path = _open(interactive, "retry-leaves", redirect=REDIRECT)
    interactive.post(f"{path}/submit", data={"scenario": "red-retry-bad_selfie"})
    flow.advance(3600)
    page = interactive.get(path).text
    assert "Submit again" in page and _target(page) == REDIRECT["rejectUrl"]


def test_a_scripted_retry_is_not_final_so_auto_mode_waits_for_the_second_answer(raw, api, flow):
    email = "scripted+applicant-retry-then-approved@x.io"
    body = {
        "levelName": "basic-kyc-level",
        "userId": "scripted",
        "ttlInSecs": 7200,
        "redirect": REDIRECT,
        "applicantIdentifiers": {"email": email},
    }
    path = api.post("/resources/sdkIntegrations/levels/-/websdkLink", json=body).json()["url"].split("testserver")[1]
    raw.get(path)
    flow.advance(60)
    page = raw.get(path).text
    assert "RED" in page and "Return to the merchant" not in page and FOLLOWS in page
    flow.advance(3600)
    assert _target(raw.get(path).text) == REDIRECT["successUrl"]


def test_a_bad_redirect_object_is_a_400(api):
    body = {"levelName": "l", "userId": "u", "redirect": {"successUrl": 5}}
    assert_error(api.post("/resources/sdkIntegrations/levels/-/websdkLink", json=body), 400)


def _unb64(text: str) -> bytes:
    return urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_the_redirect_follows_the_answer_not_the_profile_events_after_it(raw, api, flow):
    email = "events+applicant-profile-events@x.io"
    body = {"levelName": "l", "userId": "events", "redirect": REDIRECT, "applicantIdentifiers": {"email": email}}
    path = api.post("/resources/sdkIntegrations/levels/-/websdkLink", json=body).json()["url"].split("testserver")[1]
    raw.get(path)
    flow.advance(120)
    page = raw.get(path).text
    assert "GREEN" in page and _target(page) == REDIRECT["successUrl"]


# Following the review: a state endpoint instead of a reload, kept out of the journal


def test_the_page_polls_a_state_endpoint_that_stays_out_of_the_journal(raw, api, flow):
    body = {"levelName": "basic-kyc-level", "userId": "polled", "ttlInSecs": 7200, "redirect": REDIRECT}
    path = api.post("/resources/sdkIntegrations/levels/-/websdkLink", json=body).json()["url"].split("testserver")[1]
    page = raw.get(path).text
    state = raw.get(f"{path}/state").json()
    assert f'data-poll="{path}/state" data-version="{state["version"]}"' in page
    assert (state["review_status"], state["attempt"], state["leave"], state["redirect"]) == ("init", 0, None, None)
    for _ in range(5):
        raw.get(f"{path}/state")
    journal = raw.get("/_sim/requests", params={"path": "/websdk/"}).json()["data"]
    assert [(e["path"], e["provider"]) for e in journal] == [(path, "sumsub")] and journal[0]["tenant"]
    flow.advance(3600)
    done = raw.get(f"{path}/state").json()
    assert done["version"] != state["version"] and done["answer"] == "GREEN" and done["settled"] is True
    assert done["leave"] == done["redirect"] == REDIRECT["successUrl"]  # the auto-played person leaves
    assert [row["event"] for row in done["history"]] == [
        "applicantCreated",
        "applicantPending",
        "applicantPrechecked",
        "applicantReviewed",
    ]
    assert [step["state"] for step in done["script"]] == ["done"] * len(done["script"])


def test_polling_is_read_only_and_says_why_it_has_nothing(raw, api, flow, sim):
    body = {"levelName": "basic-kyc-level", "userId": "not-yet", "ttlInSecs": 60}
    path = api.post("/resources/sdkIntegrations/levels/-/websdkLink", json=body).json()["url"].split("testserver")[1]
    before = raw.get(f"{path}/state")
    assert before.status_code == 404 and "not been opened" in before.json()["error"]
    assert raw.get("/resources/applicants/-;externalUserId=not-yet/one", auth=api.auth).status_code == 404
    assert raw.get("/websdk/p/sbx_nothing/state").status_code == 404
    flow.advance(120)
    assert raw.get(f"{path}/state").status_code == 410


def test_a_person_choosing_is_not_polled_and_is_never_sent_away(interactive):
    api, flow, path = _open(interactive, "chooses", redirect=REDIRECT)
    assert FOLLOWS not in interactive.get(path).text
    interactive.post(f"{path}/submit", data={"scenario": "red-final-forgery"})
    assert f'data-poll="{path}/state"' in interactive.get(path).text
    flow.advance(3600)
    state = interactive.get(f"{path}/state").json()
    assert state["redirect"] and state["leave"] is None


def test_the_picker_groups_by_answer_and_shows_each_labels_meaning(interactive):
    _, _, path = _open(interactive, "groups")
    page = interactive.get(path).text
    groups = [label.split(" (")[0] for label in re.findall(r'<optgroup label="([^"]+)"', page)]
    assert groups == ["GREEN", "RED · RETRY", "RED · FINAL", "no answer"]
    option = "red-retry-bad_selfie · BAD_SELFIE — The selfie is unusable"
    assert f'<option value="red-retry-bad_selfie">{option}</option>' in page
    details = json.loads(re.search(r"data-picker-details>(.*?)</script>", page, re.S)[1])
    assert details["red-final-forgery"]["codes"] == ["FORGERY — Forgery attempt: a forged or falsified document"]
    assert details["red-final-forgery"]["group"] == "RED · FINAL"


def test_reject_labels_on_the_page_carry_their_meaning(interactive):
    api, flow, path = _open(interactive, "labelled")
    interactive.post(f"{path}/submit", data={"scenario": "red-retry-bad_selfie"})
    flow.advance(3600)
    assert "BAD_SELFIE — The selfie is unusable" in interactive.get(path).text


def test_every_label_has_a_meaning_and_every_scenario_a_known_group(sim):
    from simulator.providers.sumsub import constants as c

    assert set(c.LABEL_MEANINGS) == set(c.REJECT_LABELS) and all(c.LABEL_MEANINGS.values())
    provider = sim.providers["sumsub"]
    groups = {provider.outcome(s).group for s in sim.catalogue.scenarios.values() if s.provider == "sumsub"}
    assert groups == set(c.OUTCOME_GROUPS)


def test_a_stored_script_redirect_is_neither_rendered_nor_followed(raw, api, flow, sim):
    body = {"levelName": "basic-kyc-level", "userId": "scripted-url", "ttlInSecs": 7200, "redirect": REDIRECT}
    url = api.post("/resources/sdkIntegrations/levels/-/websdkLink", json=body).json()["url"]
    path = url.split("testserver")[1]
    tenant = sim.settings.sumsub_app_token
    link = sim.store.get(tenant, "sumsub", "websdk_links", path.rsplit("/", 1)[1])
    link["redirect"]["successUrl"] = "javascript:alert(document.cookie)"  # a record from before the input checks
    sim.store.put(tenant, "sumsub", "websdk_links", link["id"], link)
    raw.get(path)
    flow.advance(3600)
    page = raw.get(path).text
    assert "GREEN" in page and "javascript:" not in page and "Return to the merchant" not in page
    state = raw.get(f"{path}/state").json()
    assert state["redirect"] is None and state["leave"] is None
