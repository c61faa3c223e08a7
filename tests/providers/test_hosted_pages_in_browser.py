"""Both hosted pages in headless Chromium, in interactive mode: a person opens the page from the dashboard's
story, picks an outcome with the grouped, searchable picker, plays the flow and lands back on the
merchant's page (a real local HTTP server) with the provider's redirect parameters; the dashboard moves
the clock meanwhile and shows where the verification ended.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from simulator.server import ThreadedServer
from simulator.settings import Settings
from tests.dashboard.test_in_browser import Dashboard
from tests.providers.sumsub.support import SumsubAuth

KEY = "sk_sbox_browser_hosted_0001"


class Merchant:
    """The merchant's site: answers any GET with a small page, remembering the paths it was asked for."""

    def __init__(self) -> None:
        seen = self.seen = []

        class Page(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append(self.path)
                body = b"<!doctype html><title>merchant</title><h1>Back at the merchant</h1>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def kycsim() -> Iterator[tuple[ThreadedServer, Merchant]]:
    settings = Settings(seed=12, speed="manual", applicant="interactive", start_time="2025-01-01T00:00:00Z")
    merchant = Merchant()
    try:
        with ThreadedServer(settings) as server:
            yield server, merchant
    finally:
        merchant.close()


@pytest.fixture
def dashboard(kycsim, browser, screenshots) -> Dashboard:
    return Dashboard(browser, kycsim[0].url, screenshots)


def pick(dashboard: Dashboard, words: str, scenario: str) -> None:
    """Filter the hosted page's picker and choose ``scenario`` in it."""
    browser = dashboard.browser
    browser.wait_for("return !!document.querySelector('.picker-search');")
    browser.type(".picker-search", words)
    browser.click(f'.picker option[value="{scenario}"]')
    dashboard.wait_text("[data-picker-detail]", scenario)


def open_hosted_page(dashboard: Dashboard, story_id: str) -> str:
    """From the story in the dashboard to the hosted page it links (in this tab, as a person would follow it)."""
    dashboard.open(f"story/{story_id}")
    href = dashboard.browser.wait_for("const a = document.querySelector('ul.pages a'); return a && a.href;")
    dashboard.browser.open(href)
    dashboard.browser.wait_for("return document.readyState === 'complete' && !!document.querySelector('main h1');")
    return href


def test_an_interactive_checkout_flow_ends_at_the_merchant_with_the_chosen_outcome(kycsim, dashboard):
    server, merchant = kycsim
    back = f"{merchant.url}/checkout/back?order=42"
    auth = {"Authorization": f"Bearer {KEY}"}
    with httpx.Client(base_url=server.url) as http:
        applicant = http.post("/applicants", headers=auth, json={"email": "person@example.com"}).json()
        idv = http.post(
            "/identity-verifications",
            headers=auth,
            json={"applicant_id": applicant["id"], "declared_data": {"name": "Q A"}},
        ).json()
        made = http.post(f"/identity-verifications/{idv['id']}/attempts", headers=auth, json={"redirect_url": back})
        made.raise_for_status()
    browser = dashboard.browser
    open_hosted_page(dashboard, idv["id"])
    dashboard.shot("checkout-hosted-opened")
    browser.click("form input[value='start'] ~ button")
    browser.wait_for("return document.querySelector('#attempt-status').textContent === 'capture_in_progress';")
    pick(dashboard, "62304", "idv-declined-62304")
    assert "face_mismatch" in dashboard.text("[data-picker-detail]")
    dashboard.shot("checkout-hosted-picked")
    browser.click("form input[value='complete'] ~ .picker ~ button, form input[value='complete'] ~ button")
    browser.wait_for("return location.href.startsWith(arguments[0]);", back)
    query = parse_qs(urlsplit(browser.url).query)
    assert query["order"] == ["42"] and query["id"] == [idv["id"]]
    assert query["event"] == ["identity_verification_capture_completed"]
    assert [p for p in merchant.seen if p.startswith("/checkout/")][-1].startswith("/checkout/back?order=42&id=")

    # Back in the dashboard: the checks still run on the clock; move it until the verification ends.
    dashboard.open(f"story/{idv['id']}")
    assert "person" in dashboard.wait_text("dl.facts", "scenario chosen by")
    dashboard.play_out()
    assert dashboard.wait_text("#story-status", "declined") == "declined"
    assert "62304 face_mismatch" in dashboard.text("dl.facts")
    dashboard.shot("checkout-story-after-the-flow", full=True)


def test_an_interactive_sumsub_flow_ends_at_the_merchants_reject_url(kycsim, dashboard):
    server, merchant = kycsim
    browser = dashboard.browser
    redirect = {"successUrl": f"{merchant.url}/sumsub/ok", "rejectUrl": f"{merchant.url}/sumsub/rejected"}
    body = {"userId": "browser-person", "levelName": "basic-kyc-level", "redirect": redirect}
    link = httpx.post(f"{server.url}/resources/sdkIntegrations/levels/-/websdkLink", json=body, auth=SumsubAuth())
    link.raise_for_status()
    browser.open(link.json()["url"])  # the person opens the link first: that makes the applicant
    browser.wait_for("return !!document.querySelector('.picker-search');")
    found = httpx.get(f"{server.url}/_sim/stories", params={"q": "browser-person"}).json()["data"]
    assert len(found) == 1
    open_hosted_page(dashboard, found[0]["id"])
    dashboard.shot("sumsub-websdk-opened")
    pick(dashboard, "forgery final", "red-final-forgery")
    dashboard.shot("sumsub-websdk-picked")
    browser.click("form[action$='/submit'] button[type='submit']:not([formaction])")
    dashboard.wait_text("main", "Submitted")
    dashboard.shot("sumsub-websdk-submitted")

    dashboard.open(f"story/{found[0]['id']}")
    dashboard.play_out()
    assert "RED" in dashboard.wait_text("#story-status", "completed")
    dashboard.shot("sumsub-story-after-the-flow", full=True)

    open_hosted_page(dashboard, found[0]["id"])
    dashboard.wait_text("main", "Return to the merchant")
    dashboard.shot("sumsub-websdk-final")
    browser.click("a.button[href*='/sumsub/']")
    browser.wait_for("return location.href.startsWith(arguments[0]);", redirect["rejectUrl"])
    assert [p for p in merchant.seen if p.startswith("/sumsub/")] == ["/sumsub/rejected"]
