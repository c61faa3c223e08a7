"""The hosted WebSDK page as a person meets it: what it offers, where its forms post, when it reloads."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from starlette.testclient import TestClient

from simulator.app import create_app
from tests.providers.sumsub.conftest import Flow, Signed, sumsub_settings

REFRESH = '<meta http-equiv="refresh"'


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
    assert REFRESH not in page  # a reload would lose the person's pick


def test_submitting_with_a_picked_outcome_plays_that_outcome(interactive):
    api, flow, path = _open(interactive, "picks-and-submits")
    sent = interactive.post(f"{path}/submit", data={"scenario": "red-final-forgery"}, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == path
    page = interactive.get(path).text
    assert "red-final-forgery" in page and "pending" in page
    assert REFRESH in page and "Submitted; this page follows the review." in page and "<form" not in page
    flow.advance(3600)
    applicant = api.get("/resources/applicants/-;externalUserId=picks-and-submits/one").json()
    assert applicant["review"]["reviewResult"]["rejectLabels"] == ["FORGERY"]
    done = interactive.get(path).text
    assert "completed" in done and "RED" in done and REFRESH not in done


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
    assert "RED" in page and REFRESH not in page
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
    assert REFRESH in page and "<form" not in page and "The scenario plays the applicant" in page
    flow.advance(3600)
    done = raw.get(path).text
    assert "completed" in done and REFRESH not in done


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
