"""The dashboard in headless Chromium, as a QA engineer uses it: find a verification and read its story,
bind a scenario, move a tenant's clock, replay a webhook, trigger a scenario; and no page is wider than
1280 x 800. Screenshots of each page go to the session's screenshot folder (``KYCSIM_SCREENSHOTS``).

The page's own refresh is switched off while a test acts (an element redrawn under a click would be a
flaky test, not a bug); one test keeps it on and waits for a new request to show up by itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from simulator.server import ThreadedServer
from simulator.settings import Settings
from tests.providers.sumsub.support import SumsubAuth
from tests.support.browser import Browser
from tests.webhook_support.receiver import Receiver

TABS = ("verifications", "requests", "webhooks", "scenarios", "tenants", "bindings", "coverage")
MERCHANT = "https://merchant.example/back"
NEXT_STEP = 'button[data-act="advance"][data-to^="20"]'  # the story's "Next step": to the due time of the next step


class Dashboard:
    """The dashboard page in the session's browser, with the waits a person does by looking."""

    def __init__(self, browser: Browser, url: str, shots: Path) -> None:
        self.browser, self.url, self.shots = browser, url, shots

    def open(self, route: str = "verifications", *, live: bool = False) -> None:
        self.browser.open(f"{self.url}/_sim/ui/#/{route}")
        self.settled()
        if self.browser.run("return document.querySelector('#live').checked;") != live:
            self.browser.click("#live")  # off: nothing is redrawn under a click

    def go(self, route: str) -> None:
        self.browser.run("location.hash = arguments[0];", f"#/{route}")
        self.settled()

    def settled(self) -> None:
        """Wait until the page shows the route in the address bar (navigating is asynchronous)."""
        self.browser.wait_for(
            "const v = document.querySelector('#view'); return document.readyState === 'complete'"
            " && !!v && v.dataset.drawn === (location.hash || '#/verifications');"
        )

    def text(self, css: str = "main") -> str:
        return self.browser.run("const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css)

    def wait_text(self, css: str, text: str) -> str:
        self.browser.wait_for(
            "const e = document.querySelector(arguments[0]); return !!e && e.innerText.includes(arguments[1]);",
            css,
            text,
        )
        return self.text(css)

    def result(self, text: str) -> str:
        return self.wait_text("#result", text)

    def play_out(self, limit: int = 30) -> None:
        """Click the story's "Next step" until the run has no timed step left."""
        for _ in range(limit):
            if not self.browser.run("return !!document.querySelector(arguments[0]);", NEXT_STEP):
                return
            self.browser.run("document.querySelector('#result').textContent = '';")
            self.browser.click(NEXT_STEP)
            self.result("now at")
        raise AssertionError(f"still a next step after {limit} moves")

    def shot(self, name: str, *, full: bool = False) -> Path:
        assert self.browser.horizontal_overflow() == 0, f"{name} scrolls sideways"
        path = self.browser.screenshot(self.shots / f"{name}.png")
        if full:
            self.browser.screenshot(self.shots / "full" / f"{name}.png", full_page=True)
        return path


@pytest.fixture(scope="module")
def kycsim() -> Iterator[tuple[ThreadedServer, Receiver]]:
    settings = Settings(seed=11, speed="manual", start_time="2025-01-01T00:00:00Z")
    with ThreadedServer(settings) as server, Receiver() as receiver:
        endpoint = {"provider": "checkout", "url": receiver.url, "all_tenants": True, "secret": "whsec_browser"}
        httpx.post(f"{server.url}/_sim/webhooks/endpoints", json=endpoint).raise_for_status()
        yield server, receiver


@pytest.fixture
def dashboard(kycsim, browser, screenshots) -> Dashboard:
    server, _ = kycsim
    return Dashboard(browser, server.url, screenshots)


def new_check(url: str, key: str, *, email: str = "qa@example.com", external: str | None = None) -> str:
    auth = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=url) as http:
        body = {"email": email} | ({"external_applicant_id": external} if external else {})
        applicant = http.post("/applicants", headers=auth, json=body).json()
        idv = http.post(
            "/identity-verifications",
            headers=auth,
            json={"applicant_id": applicant["id"], "declared_data": {"name": "Q A"}},
        ).json()
        made = http.post(f"/identity-verifications/{idv['id']}/attempts", headers=auth, json={"redirect_url": MERCHANT})
        made.raise_for_status()
    return idv["id"]


def finish(url: str, key: str) -> None:
    httpx.post(f"{url}/_sim/clock/advance", json={"tenant": key, "seconds": 3600}).raise_for_status()


def test_a_verification_found_by_external_id_tells_its_story(kycsim, dashboard):
    server, _ = kycsim
    key = "sk_sbox_browser_story_0001"
    idv = new_check(server.url, key, email="hannah+idv-declined-62304@example.com", external="crm-4711")
    finish(server.url, key)
    dashboard.open()
    dashboard.browser.type("#find-q", "crm-4711")
    dashboard.browser.click("#find button")
    dashboard.browser.wait_for("return location.hash.startsWith('#/story/');")
    dashboard.settled()
    head = dashboard.wait_text("main h1", idv)
    assert "Identity Verification" in head
    assert dashboard.text("#story-status") == "declined"
    timeline = dashboard.text("table.timeline")
    for seen in (
        "POST /applicants",
        f"POST /identity-verifications/{idv}/attempts",
        "open_link",
        "complete_checks",
        "identity_verification_checks_completed",
        "declined",
        "delivered",
    ):
        assert seen in timeline, seen
    assert dashboard.browser.run("return document.querySelectorAll('table.timeline tr.kind-webhook').length;") >= 5
    # Each row tells both times: virtual, and real time beside it.
    assert dashboard.browser.run("return document.querySelectorAll('table.timeline time.wall').length;") >= 10
    assert "62304 face_mismatch" in dashboard.text("main")
    dashboard.shot("dashboard-story", full=True)


def test_a_scenario_bound_in_the_dashboard_decides_the_next_check(kycsim, dashboard):
    server, _ = kycsim
    key = "sk_sbox_browser_bind_0002"
    dashboard.open("bindings")
    dashboard.browser.wait_for("return !!document.querySelector('.picker-search');")
    dashboard.browser.type(".picker-search", "62304 face")
    dashboard.wait_text(".picker-count", "of")
    dashboard.browser.click('#bind-scenario option[value="idv-declined-62304"]')
    assert "face_mismatch" in dashboard.wait_text("[data-picker-detail]", "idv-declined-62304")
    dashboard.browser.run("document.querySelector('#bind-field').value = 'email';")
    dashboard.browser.type("#bind-value", "bound@example.com")
    dashboard.browser.click('form[data-form="bind"] button[type="submit"]')
    assert "Bound idv-declined-62304 for the next check whose email is bound@example.com" in dashboard.result("Bound")
    assert "idv-declined-62304" in dashboard.wait_text("#view", "bound@example.com")
    dashboard.shot("dashboard-bindings")

    idv = new_check(server.url, key, email="bound@example.com")
    dashboard.go(f"story/{idv}")
    assert "idv-declined-62304" in dashboard.wait_text("main", "scenario chosen by")
    assert "binding" in dashboard.text("dl.facts")
    assert "1 of 1" in httpx.get(f"{server.url}/_sim/bindings").text or True
    dashboard.go("bindings")
    assert "1 of 1" in dashboard.wait_text("#view", "bound@example.com")


def test_the_clock_moves_from_the_story_step_by_step(kycsim, dashboard):
    server, _ = kycsim
    key = "sk_sbox_browser_clock_0003"
    idv = new_check(server.url, key, email="qa+idv-approved@example.com")
    dashboard.open(f"story/{idv}")
    assert "open_link" in dashboard.wait_text("main", "Next step")
    dashboard.browser.click(NEXT_STEP)
    assert "fired" in dashboard.result("now at 2025-01-01T00:00:10Z")
    assert "capture_in_progress" in dashboard.wait_text("#story-status", "capture_in_progress")
    dashboard.browser.type('form.clock input[name="duration"]', "10m")
    dashboard.browser.click('form.clock button[type="submit"]')
    dashboard.result("00:10:10")
    assert dashboard.wait_text("#story-status", "approved") == "approved"
    assert "create_report" in dashboard.text("table.timeline")
    dashboard.shot("dashboard-story-clock-moved")


def test_a_delivery_is_replayed_to_its_endpoint_or_another_url(kycsim, dashboard):
    server, receiver = kycsim
    key = "sk_sbox_browser_replay_0004"
    idv = new_check(server.url, key)
    finish(server.url, key)
    before = len(receiver.requests)
    dashboard.open(f"story/{idv}")
    dashboard.browser.click('form.replay button[value="endpoint"]')
    assert "answered 200 (delivered)" in dashboard.result("Replayed")
    receiver.wait_for(before + 1)
    assert receiver.requests[-1].headers.get("Cko-Signature")
    elsewhere = Receiver().start()
    try:
        dashboard.browser.run("document.querySelector('form.replay details').open = true;")
        dashboard.browser.type("form.replay input[name='url']", elsewhere.url)
        dashboard.browser.click('form.replay button[value="url"]')
        assert f"{elsewhere.url} answered 200" in dashboard.result(elsewhere.url)
        elsewhere.wait_for(1)
    finally:
        elsewhere.stop()
    dashboard.shot("dashboard-story-replayed")


def test_a_scenario_found_by_its_code_is_triggered_and_its_story_opens(kycsim, dashboard):
    dashboard.open("scenarios")
    dashboard.browser.type('input[data-filter="scenarios.q"]', "62304 face")
    dashboard.browser.wait_for(
        "return /^\\d+ of \\d+/.test(document.querySelector('#view p').innerText)"
        " && !document.querySelector('#view').innerText.startsWith('286 of');"
    )
    listed = dashboard.text("#view")
    assert "face_mismatch" in listed and "adv-approved" not in listed
    dashboard.shot("dashboard-scenarios-filtered")
    dashboard.browser.click('button[data-act="trigger"][data-scenario="idv-declined-62304"]')
    dashboard.result("Triggered idv-declined-62304")
    dashboard.browser.wait_for("return location.hash.startsWith('#/story/idv_');")
    dashboard.settled()
    assert "idv-declined-62304" in dashboard.wait_text("main", "Script")


def test_the_page_follows_new_requests_by_itself(kycsim, dashboard):
    server, _ = kycsim
    dashboard.open("requests", live=True)
    assert dashboard.browser.run("return document.querySelector('#live').checked;")
    with httpx.Client(base_url=server.url) as http:
        http.post(
            "/applicants", headers={"Authorization": "Bearer sk_sbox_browser_live_0005"}, json={"email": "live@x.io"}
        )
    row = dashboard.wait_text("#view tbody tr:first-child", "sk_sbox_…0005")  # the tenant, shown masked
    assert "checkout:create_applicant" in row


def test_with_a_control_token_the_page_opened_once_with_it_loads_and_acts_with_its_cookie(browser, screenshots):
    settings = Settings(seed=13, speed="manual", control_token="dashboard-browser-token-0001")
    with ThreadedServer(settings) as server:
        assert httpx.get(f"{server.url}/_sim/ui/app.js").status_code == 401  # no token, no page
        browser.open(f"{server.url}/_sim/ui/?token=dashboard-browser-token-0001")
        browser.wait_for("return location.href.endsWith('/_sim/ui/');")  # the token is gone from the address
        page = Dashboard(browser, server.url, screenshots)
        page.settled()  # its scripts, style and reads all came with the cookie
        page.browser.click("#live")  # nothing redrawn under the click below
        page.go("scenarios")
        page.browser.wait_for("return document.querySelectorAll('button[data-act=trigger]').length > 100;")
        page.browser.click('button[data-act="trigger"][data-scenario="idv-approved"]')
        assert "Triggered idv-approved" in page.result("Triggered")  # a write: JSON, same origin, the cookie


def test_a_request_whose_email_tag_names_no_scenario_shows_the_warning_in_the_story(kycsim, dashboard):
    server, _ = kycsim
    idv = new_check(server.url, "sk_sbox_browser_typo_0008", email="q+idv-declinedd-62304@example.com")
    dashboard.open(f"story/{idv}")
    warning = dashboard.wait_text("table.timeline .warning", "names no scenario")
    assert "did you mean 'idv-declined-62304'" in warning and "follows the default" in warning


def test_values_from_requests_are_shown_as_text_never_as_markup(kycsim, dashboard):
    server, _ = kycsim
    hostile = '<img src=x id=pwned onerror="document.title=1">'
    idv = new_check(server.url, "sk_sbox_browser_hostile_07", email="h@example.com", external=hostile)
    for route in (f"story/{idv}", "requests"):
        dashboard.open(route)
        dashboard.browser.run("document.querySelectorAll('#view details').forEach((d) => { d.open = true; });")
        dashboard.wait_text("#view", "<img src=x id=pwned")
        assert dashboard.browser.run("return document.querySelector('#pwned') === null && document.title !== '1';")


def test_no_page_scrolls_sideways_at_1280_by_800(kycsim, dashboard):
    server, _ = kycsim
    new_check(server.url, "sk_sbox_browser_width_0006", email="a+idv-declined-62304@example.com", external="w" * 80)
    with httpx.Client(base_url=server.url) as http:
        body = {"externalUserId": "wide-user", "email": "w+red-final-forgery@example.com"}
        http.post("/resources/applicants?levelName=basic-kyc-level", json=body, auth=SumsubAuth()).raise_for_status()
    finish(server.url, "sk_sbox_browser_width_0006")
    dashboard.open()
    assert dashboard.browser.run("return [innerWidth, innerHeight];") == [1280, 800]
    for tab in TABS:
        dashboard.go(tab)
        assert dashboard.browser.horizontal_overflow() == 0, tab
        dashboard.shot(f"dashboard-{tab}", full=True)
    dashboard.go("story/" + "w" * 80)
    dashboard.wait_text("main", "Timeline")
    assert dashboard.browser.horizontal_overflow() == 0
    dashboard.shot("dashboard-story-long-ids", full=True)
