"""The dashboard's files as kycsim serves them (``/_sim/ui/...``), checked as text against a live server.

The browser drives the page in ``test_in_browser.py``; here: every file is kycsim's own, served with
its type and a policy that allows nothing from elsewhere, and every control call the scripts make
exists and answers JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from simulator.dashboard.routes import ASSETS, HERE, PAGE
from simulator.server import ThreadedServer
from simulator.settings import Settings

SCRIPTS = {path.name: path.read_text(encoding="utf-8") for path in sorted(HERE.glob("*.js"))}
HTML = PAGE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    settings = Settings(seed=3, speed="manual", start_time="2025-01-01T00:00:00Z")
    with ThreadedServer(settings) as server:
        key = {"Authorization": "Bearer sk_sbox_dashboard_page_0001"}
        applicant = httpx.post(f"{server.url}/applicants", headers=key, json={"email": "qa@example.com"}).json()
        body = {"applicant_id": applicant["id"], "declared_data": {"name": "Q A"}}
        idv = httpx.post(f"{server.url}/identity-verifications", headers=key, json=body).json()
        httpx.post(
            f"{server.url}/identity-verifications/{idv['id']}/attempts",
            headers=key,
            json={"redirect_url": "https://m.example/"},
        ).raise_for_status()
        yield server.url


def test_every_file_is_served_with_its_type_and_a_policy_that_allows_nothing_from_elsewhere(url):
    page = httpx.get(f"{url}/_sim/ui/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    for name in ("app.js", "lib.js", "views.js", "story.js", "actions.js", "scenarios.js", "picker.js"):
        served = httpx.get(f"{url}/_sim/ui/{name}")
        assert served.status_code == 200 and served.headers["content-type"].startswith("text/javascript"), name
        assert served.headers["x-content-type-options"] == "nosniff"
    for name in ("dashboard.css", "picker.css"):
        assert httpx.get(f"{url}/_sim/ui/{name}").headers["content-type"].startswith("text/css")
    for name in ("routes.py", "../app.py", "__init__.py", "nothing.js", "%2e%2e%2fapp.py"):
        assert httpx.get(f"{url}/_sim/ui/{name}").status_code == 404, name
    assert set(ASSETS) >= {"picker.js", "picker.css", "dashboard.css", *SCRIPTS}


def test_nothing_comes_from_anywhere_but_kycsim():
    for name, text in {**SCRIPTS, "index.html": HTML, "dashboard.css": (HERE / "dashboard.css").read_text()}.items():
        assert not re.search(r"""(src|href|url)\s*[=(]\s*["']?(https?:)?//""", text), name
        assert "import(" not in text and "eval(" not in text and "new Function" not in text, name
    assert '<link rel="icon" href="data:,">' in HTML  # no /favicon.ico request landing in the request log


def test_every_call_the_scripts_make_answers_json(url):
    reads = set()
    for text in SCRIPTS.values():
        reads |= set(re.findall(r'api\(`?"?(/[a-z/]+)', text))
    assert {
        "/stories",
        "/requests",
        "/webhooks",
        "/webhooks/deliveries",
        "/webhooks/endpoints",
        "/scenarios",
        "/tenants",
        "/bindings",
        "/coverage",
        "/health",
        "/clock",
    } <= reads
    story = httpx.get(f"{url}/_sim/stories").json()["data"][0]["id"]
    for path in reads:
        answer = httpx.get(f"{url}/_sim{path}{story if path.endswith('/') else ''}")
        assert answer.status_code == 200 and isinstance(answer.json(), dict), (path, answer.text)


def test_every_change_goes_through_one_control_call_sent_as_json():
    actions = SCRIPTS["actions.js"]
    writes = set(re.findall(r'(post|del)\(`?"?(/[a-z/]+)', actions))
    assert {w[1] for w in writes} >= {"/clock/advance", "/runs/", "/trigger", "/reset", "/bindings", "/webhooks/"}
    assert "fetch(" not in actions  # through lib.js, which sends JSON with its Content-Type
    lib = SCRIPTS["lib.js"]
    assert '"Content-Type"] = "application/json"' in lib and "JSON.stringify(body)" in lib
    assert sum(text.count("fetch(") for text in SCRIPTS.values()) == 1


def test_the_hosted_pages_polling_box_is_gone_and_the_tabs_are_links():
    assert "hidePolls" not in "".join(SCRIPTS.values()) and "hide the hosted page" not in HTML
    tabs = re.findall(r'<a href="#/(\w+)" data-tab="(\w+)"', HTML)
    assert [t[1] for t in tabs] == [
        "verifications",
        "requests",
        "webhooks",
        "scenarios",
        "tenants",
        "bindings",
        "coverage",
    ]
    assert all(a == b for a, b in tabs)
    assert 'role="search"' in HTML and 'aria-live="polite"' in HTML
