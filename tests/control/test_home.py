"""``GET /`` and ``/_sim/``: links to the dashboard, the guides and the APIs; the guides themselves."""

from __future__ import annotations

import html.parser

import pytest
from starlette.testclient import TestClient

from simulator.app import create_app
from simulator.settings import Settings


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings(seed=1))) as client:
        yield client


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.hrefs += [value for name, value in attrs if tag == "a" and name == "href"]


def _links(page: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    return parser.hrefs


@pytest.mark.parametrize("path", ["/", "/_sim/"])
def test_the_home_page_links_the_dashboard_guides_and_apis_and_each_link_answers(client, path):
    page = client.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    hrefs = _links(page.text)
    assert "/_sim/ui/" in hrefs and "/_sim/docs/README.md" in hrefs and "/_sim/docs/checkout.md" in hrefs
    assert "https://docs.sumsub.com/reference" in hrefs and "/_sim/scenarios" in hrefs
    for href in (h for h in hrefs if h.startswith("/") and h != "/_sim/events"):  # the stream never ends
        assert client.get(href).status_code == 200, href


def test_a_client_asking_for_json_gets_the_links_as_json(client):
    body = client.get("/", headers={"Accept": "application/json"}).json()
    assert body["dashboard"] == "/_sim/ui/" and "/_sim/docs/webhooks.md" in body["docs"]
    checkout = next(p for p in body["providers"] if p["name"] == "checkout")
    assert checkout["title"] == "Checkout.com Identities" and "/applicants" in checkout["paths"]
    assert {"path": "/_sim/health", "what": "ready?"} in body["control_api"]


def test_guides_are_served_as_text_and_nothing_else_is(client):
    guide = client.get("/_sim/docs/webhooks.md")
    assert guide.headers["content-type"] == "text/plain; charset=utf-8" and guide.text.startswith("# Webhooks")
    for path in ("/_sim/docs/pyproject.toml", "/_sim/docs/..%2Fpyproject.toml", "/_sim/docs/%2Fetc%2Fpasswd"):
        assert client.get(path).status_code == 404, path
