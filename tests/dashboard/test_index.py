"""The QA dashboard (``/_sim/ui/``): one static, read-only page whose views read fields that exist.

No browser here: the page's script is checked as text against the JSON the control API really
answers on a live server with a Checkout.com verification, a chaos endpoint, a failing endpoint
and a binding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import httpx
import pytest

from simulator.dashboard.routes import PAGE
from simulator.server import ThreadedServer
from simulator.settings import Settings
from tests.webhook_support.receiver import Receiver, closed_port_url

HTML = PAGE.read_text(encoding="utf-8")
SCRIPT = HTML.split("<script>", 1)[1].split("</script>", 1)[0]
KEY = {"Authorization": "Bearer sk_sbox_dashboardtest"}


def view(name: str) -> str:
    """The source of one ``views`` entry (up to the next one)."""
    start = SCRIPT.index(f"  async {name}() {{")
    following = re.search(r"\n  async \w+\(\) \{|\n\};\n", SCRIPT[start + 1 :])
    return SCRIPT[start : start + 1 + following.start()]


def fields(source: str, var: str) -> set[str]:
    return set(re.findall(rf"\b{var}\.([a-z_]+)\b", source)) - {"length", "slice", "map", "join", "filter", "includes"}


class _Controls(HTMLParser):
    """Tabs, and form controls with whether a <label> encloses them."""

    def __init__(self) -> None:
        super().__init__()
        self.tabs: list[dict[str, str | None]] = []
        self.unlabelled: list[str] = []
        self._labels = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "label":
            self._labels += 1
        elif tag in ("input", "select") and not self._labels:
            self.unlabelled.append(str(a))
        elif tag == "button" and a.get("role") == "tab":
            self.tabs.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._labels -= 1


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[str, dict]]:
    """A real server with one Checkout.com verification played to the end and its webhooks sent."""
    settings = Settings(seed=3, speed="manual", start_time="2025-01-01T00:00:00Z")
    with ThreadedServer(settings) as server, Receiver() as receiver, httpx.Client(base_url=server.url) as http:
        chaos = {"provider": "checkout", "url": receiver.url, "chaos": {"fail_first": 1}, "all_tenants": True}
        assert http.post("/_sim/webhooks/endpoints", json=chaos).status_code == 201
        failing = {"provider": "checkout", "url": closed_port_url(), "all_tenants": True}
        assert http.post("/_sim/webhooks/endpoints", json=failing).status_code == 201
        binding = {"scenario": "idv-refused", "match": {"email": "bound@example.com"}}
        assert http.post("/_sim/bindings", json=binding).status_code == 201
        applicant = http.post("/applicants", headers=KEY, json={"email": "qa@example.com"}).json()
        idv = http.post(
            "/identity-verifications",
            headers=KEY,
            json={"applicant_id": applicant["id"], "declared_data": {"name": "Q A"}},
        ).json()
        attempt = http.post(
            f"/identity-verifications/{idv['id']}/attempts", headers=KEY, json={"redirect_url": "https://app.test/back"}
        )
        assert attempt.status_code == 201, attempt.text
        for _ in range(4):
            http.post("/_sim/clock/advance", json={"seconds": 120})
        yield server.url, {"idv": idv["id"]}


def test_the_page_is_one_static_file_with_nothing_to_download():
    assert "<script src" not in HTML and 'rel="stylesheet"' not in HTML
    assert not re.search(r"""(src|href)=["']?https?://""", HTML)
    assert '<link rel="icon" href="data:,">' in HTML  # no /favicon.ico request landing in the request log


def test_the_page_only_reads():
    assert SCRIPT.count("fetch(") == 1
    call = SCRIPT[SCRIPT.index("fetch(") : SCRIPT.index(")", SCRIPT.index("fetch("))]
    assert "method" not in call
    assert "<form" not in HTML


def test_tabs_are_accessible_and_each_has_a_view():
    controls = _Controls()
    controls.feed(HTML)
    names = [t["data-tab"] for t in controls.tabs]
    assert names == ["requests", "webhooks", "runs", "scenarios", "coverage", "bindings"]
    assert all(t["aria-controls"] == "view" and t["aria-selected"] in ("true", "false") for t in controls.tabs)
    assert [t["aria-selected"] for t in controls.tabs].count("true") == 1
    for name in names:
        assert f"  async {name}() {{" in SCRIPT
    assert 'role="tablist"' in HTML and 'role="tabpanel"' in HTML and '<html lang="en">' in HTML
    assert controls.unlabelled == []
    # Controls drawn by the views are labelled too.
    for control in re.findall(r"<(?:input|select)[^>]*>", SCRIPT):
        before = SCRIPT[: SCRIPT.index(control)]
        assert before.rfind("<label") > before.rfind("</label>"), control


def test_every_endpoint_the_page_reads_answers_json(live):
    url, _ = live
    paths = set(re.findall(r'api\((?:withProvider\()?"(/[^"]+)"', SCRIPT))
    assert {"/health", "/clock", "/runs", "/webhooks/deliveries", "/webhooks/endpoints", "/coverage"} <= {
        p.split("?")[0] for p in paths
    }
    for path in paths:
        for provider in ("", "checkout"):
            sep = "&" if "?" in path else "?"
            response = httpx.get(f"{url}/_sim{path}" + (f"{sep}provider={provider}" if provider else ""))
            assert response.status_code == 200, (path, response.text)
            assert isinstance(response.json(), dict)


def test_the_webhooks_view_judges_attempts_by_ok_and_shows_their_chaos(live):
    url, _ = live
    source = view("webhooks")
    attempts = httpx.get(f"{url}/_sim/webhooks").json()["data"]
    assert fields(source, "a") <= set(attempts[0]), fields(source, "a") - set(attempts[0])
    assert {"ok", "chaos", "error", "status_code"} <= fields(source, "a")
    assert "statusClass" not in source  # colour comes from `ok`, not from the status code
    assert 'a.ok ? "ok" : "bad"' in source and "a.chaos" in source
    # What the live server produced: a 2xx failed by chaos, a delivered retry, a receiver that is down.
    chaos_failed = [a for a in attempts if a["status_code"] == 200 and not a["ok"]]
    assert chaos_failed and all(a["chaos"] for a in chaos_failed)
    assert any(a["ok"] for a in attempts)
    assert any(a["status_code"] is None and a["error"] for a in attempts)
    deliveries = httpx.get(f"{url}/_sim/webhooks/deliveries").json()["data"]
    assert fields(source, "d") <= set(deliveries[0])
    endpoints = httpx.get(f"{url}/_sim/webhooks/endpoints").json()["data"]
    assert fields(source, "e") <= set(endpoints[0])


def test_the_runs_view_shows_scenario_and_status_of_real_runs(live):
    url, ids = live
    source = view("runs")
    runs = httpx.get(f"{url}/_sim/runs").json()["data"]
    run = next(r for r in runs if r["subject"].get("check_id") == ids["idv"])
    assert run["scenario"] == "idv-approved" and run["status"] == "finished"
    assert {"scenario", "status", "waiting_for", "history"} <= fields(source, "r") <= set(run)
    assert "h[h.length - 1].step" in source and "h[h.length - 1].at" in source
    assert {"step", "at"} <= set(run["history"][-1])


def test_the_other_views_read_fields_that_exist(live):
    url, _ = live
    entries = httpx.get(f"{url}/_sim/requests?limit=5").json()["data"]
    assert fields(view("requests"), "e") <= set(entries[0])
    scenarios = httpx.get(f"{url}/_sim/scenarios").json()["data"]
    assert fields(view("scenarios"), "s") <= set(scenarios[0])
    bindings = httpx.get(f"{url}/_sim/bindings").json()["data"]
    assert fields(view("bindings"), "b") <= set(bindings[0])
    coverage = httpx.get(f"{url}/_sim/coverage").json()
    assert "report.providers" in view("coverage") and coverage["providers"]["checkout"]
    health = httpx.get(f"{url}/_sim/health").json()
    assert fields(SCRIPT[SCRIPT.index("async function render") :], "health") <= set(health)


def test_a_refresh_keeps_what_the_person_opened_or_typed():
    assert 'addEventListener("toggle"' in SCRIPT and "state.open.has(" in view("requests")
    assert "data-key=" in view("requests")
    assert "if (force || !busy())" in SCRIPT  # no redraw while a filter has focus or text is selected


def test_every_view_says_when_it_has_nothing_to_show():
    for name in ("requests", "webhooks", "runs", "scenarios", "bindings"):
        assert "table(" in view(name), name  # table() draws the empty message when there are no rows
    assert "rows.length" in SCRIPT and "const empty" in SCRIPT


def test_the_hosted_page_polling_can_be_hidden_and_nothing_else_is(live):
    url, _ = live
    pattern = re.search(r"const isPagePoll = \(e\) => e\.method === \"GET\" && /(.+)/\.test\(e\.path\);", SCRIPT)
    assert pattern, "the requests view filters the hosted page's polling by path"
    poll = re.compile(pattern.group(1).replace("\\/", "/"))
    token = httpx.get(f"{url}/_sim/requests?path=/identity-verifications").json()["data"]
    links = [e["response_body"] for e in token if "/attempts" in e["path"] and e["method"] == "POST"]
    verify_path = "/verify/" + re.search(r"/verify/([^/\"]+)/", links[0]).group(1)
    assert poll.fullmatch(f"{verify_path}/state")
    assert not poll.fullmatch(f"{verify_path}/") and not poll.fullmatch("/identity-verifications/idv_x/state")
    assert "hidePolls: true" in SCRIPT  # on by default, with a labelled checkbox to turn it off
