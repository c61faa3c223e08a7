"""Screenshots of both hosted pages in each state, at 1280 x 800, with their horizontal overflow.

    .venv/bin/python -m tests.support.page_shots /tmp/kycsim-shots

Starts kycsim twice (``auto`` and ``interactive`` applicant, manual clock), walks a Checkout.com
and a Sumsub flow through their states in headless Chromium (:mod:`tests.support.browser`), writes
one PNG per state and prints each page's overflow (0: nothing scrolls sideways). A tool for looking
at the pages, not a test: nothing here asserts.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import httpx

from simulator.server import ThreadedServer
from simulator.settings import Settings
from tests.providers.sumsub.support import SumsubAuth
from tests.support.browser import Browser

KEY = {"Authorization": "Bearer sk_sbox_page_shots"}
MERCHANT = "https://merchant.example.com/back?order=42"


class Shots:
    def __init__(self, browser: Browser, out: Path) -> None:
        self.browser, self.out, self.taken = browser, out, []

    def take(self, name: str, url: str | None = None, *, settle: str | None = None) -> None:
        if url is not None:
            self.browser.open(url)
        self.browser.wait_for("return document.readyState === 'complete';")
        if settle:
            self.browser.wait_for(settle)
        overflow = self.browser.horizontal_overflow()
        path = self.browser.screenshot(self.out / f"{name}.png")
        self.browser.screenshot(self.out / "full" / f"{name}.png", full_page=True)
        self.taken.append((path, overflow))
        print(f"{overflow:>4}px overflow  {path}")

    def take_frozen(self, name: str, html: str) -> None:
        """A page as served, opened from a file: its script cannot poll, so it stays (an auto-mode page
        that reached its redirect would otherwise leave for the merchant at once)."""
        copy = self.out / f"{name}.html"
        copy.write_text(html)
        self.take(name, copy.as_uri())

    def filter(self, text: str) -> None:
        self.browser.run("const s = document.querySelector('.picker-search'); s.value = ''; s.focus();")
        self.browser.type(".picker-search", text)


def advance(http: httpx.Client, seconds: float, tenant: str | None = None) -> None:
    body: dict[str, Any] = {"seconds": seconds} | ({"tenant": tenant} if tenant else {})
    http.post("/_sim/clock/advance", json=body).raise_for_status()


def checkout_attempt(http: httpx.Client, scenario: str | None, **attempt: Any) -> tuple[str, str]:
    headers = KEY | ({"X-KycSim-Scenario": scenario} if scenario else {})
    applicant = http.post("/applicants", headers=KEY, json={"email": "hannah.bret@example.com"}).json()
    body = {"applicant_id": applicant["id"], "declared_data": {"name": "Hannah Bret"}}
    idv = http.post("/identity-verifications", headers=headers, json=body).json()
    made = http.post(f"/identity-verifications/{idv['id']}/attempts", headers=KEY, json=attempt).json()
    return idv["id"], made["_links"]["verification_url"]["href"]


def sumsub_link(http: httpx.Client, user: str, **extra: Any) -> str:
    body = {"userId": user, "levelName": "basic-kyc-level", "ttlInSecs": 7200, **extra}
    response = http.post("/resources/sdkIntegrations/levels/-/websdkLink", json=body, auth=SumsubAuth())
    return response.json()["url"]


def auto(shots: Shots) -> None:
    settings = Settings(seed=1, speed="manual", applicant="auto", start_time="2025-01-01T00:00:00Z")
    with ThreadedServer(settings) as server, httpx.Client(base_url=server.url) as http:
        _, page = checkout_attempt(http, "idv-declined-62304", redirect_url=MERCHANT)
        shots.take("checkout-auto-1-opened", page)
        advance(http, 10)
        shots.take("checkout-auto-2-capturing", page, settle="return document.querySelector('#status')")
        advance(http, 120)
        shots.take_frozen("checkout-auto-3-declined", http.get(page).text)
        shots.take("checkout-link-not-found", f"{server.url}/verify/nothing/")

        url = sumsub_link(http, "auto-person", applicantIdentifiers={"email": "auto-person+red-final-forgery@x.io"})
        shots.take("sumsub-auto-1-opened", url)
        advance(http, 12)
        shots.take("sumsub-auto-2-pending", url)
        advance(http, 3600)
        shots.take("sumsub-auto-3-red-final", url)
        shots.take("sumsub-link-unknown", f"{server.url}/websdk/p/sbx_nothing")


def interactive(shots: Shots) -> None:
    settings = Settings(seed=1, speed="manual", applicant="interactive", start_time="2025-01-01T00:00:00Z")
    with ThreadedServer(settings) as server, httpx.Client(base_url=server.url) as http:
        idv_id, page = checkout_attempt(http, None, redirect_url=MERCHANT)
        shots.take("checkout-interactive-1-picker", page)
        shots.filter("62304")
        shots.take("checkout-interactive-2-filter-62304")
        shots.filter("face")
        shots.take("checkout-interactive-3-filter-face")
        shots.browser.run(
            "document.querySelector('.picker select').value = 'idv-declined-62304';"
            "document.querySelector('.picker select').dispatchEvent(new Event('change'));"
        )
        shots.take("checkout-interactive-4-picked")
        shots.browser.click("form button[type=submit]")  # Start the capture
        shots.take("checkout-interactive-5-started", settle="return !!document.querySelector('#status')")
        http.post(page, data={"action": "complete", "scenario": "idv-declined-62304"}).status_code  # noqa: B018
        advance(http, 60)
        shots.take("checkout-interactive-6-done", page)
        idv_id, left = checkout_attempt(http, None, redirect_url=MERCHANT)
        http.post(left, data={"action": "abort", "code": "61113"})  # retry_required: a new attempt may follow
        http.post(f"/identity-verifications/{idv_id}/attempts", headers=KEY, json={"redirect_url": MERCHANT})
        shots.take("checkout-interactive-7-replaced", left)

        url = sumsub_link(http, "person", redirect={"successUrl": MERCHANT, "rejectUrl": MERCHANT})
        shots.take("sumsub-interactive-1-picker", url)
        shots.filter("selfie")
        shots.take("sumsub-interactive-2-filter-selfie")
        path = url.split(server.url, 1)[1]
        http.post(f"{path}/submit", data={"scenario": "red-retry-bad_selfie"})
        shots.take("sumsub-interactive-3-submitted", url)
        advance(http, 3600)
        shots.take("sumsub-interactive-4-retry", url)
        http.post(f"{path}/submit", data={"scenario": "red-final-forgery"})
        advance(http, 3600)
        shots.take("sumsub-interactive-5-final", url)
        action = sumsub_link(http, "person-2", levelName="selfie-level", externalActionId="act-1")
        shots.take("sumsub-interactive-6-action", action)


def main(out: str = "/tmp/kycsim-shots") -> int:
    with Browser() as browser:
        shots = Shots(browser, Path(out))
        auto(shots)
        interactive(shots)
    return 1 if any(overflow for _, overflow in shots.taken) else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
