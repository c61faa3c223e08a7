"""The hosted pages' shared parts: safe redirects, the scenario picker, rendering with autoescaping."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route
from starlette.testclient import TestClient

from simulator.engine.scenarios.model import Scenario
from simulator.toolkit import pages
from simulator.toolkit.pages import Code, Outcome

HOSTILE = '<script>alert("x")</script>&'


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "\tjavascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example/x",
        "/relative/path",
        "http://",
        "https:///no-host",
        " https://merchant.example.com/",
        "https://merchant.example.com/a b",
        "https://merchant.example.com/\njavascript:alert(1)",
        "http://[::1",
        "",
        None,
        42,
        ["https://merchant.example.com/"],
    ],
)
def test_only_http_urls_are_ever_a_redirect(url):
    assert not pages.is_http_url(url)
    assert pages.safe_redirect(url) is None
    assert pages.safe_redirect(url, [("id", "idv_1")]) is None


def test_a_redirect_keeps_its_own_query_and_fragment_and_appends_parameters():
    assert pages.safe_redirect("https://shop.example/kyc;done?status=ok") == "https://shop.example/kyc;done?status=ok"
    assert (
        pages.safe_redirect("HTTPS://shop.example/back?order=42#top", [("id", "idv 1"), ("event", "a&b")])
        == "https://shop.example/back?order=42&id=idv+1&event=a%26b#top"
    )
    assert (
        pages.safe_redirect("http://127.0.0.1:3000/done", [("jwt", "x.y.z")]) == "http://127.0.0.1:3000/done?jwt=x.y.z"
    )


def test_codes_read_as_the_providers_tables_write_them():
    declined = Code("62304", "face_mismatch", "The face does not match the document portrait.")
    assert declined.text == "62304 face_mismatch"
    assert declined.detail == "62304 face_mismatch — The face does not match the document portrait."
    label = Code("BAD_SELFIE", meaning="The selfie is unusable")
    assert label.text == label.detail == "BAD_SELFIE — The selfie is unusable"
    assert Code("OK").text == "OK"


class _Provider:
    outcome_groups = ("good", "bad")

    def outcome(self, scenario: Scenario) -> Outcome:
        if scenario.name.startswith("bad"):
            return Outcome("bad", (Code("6", "six", "Six of them."),))
        return Outcome("good" if scenario.name.startswith("good") else "odd")


def _scenario(name: str, description: str = "does things") -> Scenario:
    return Scenario(name=name, provider="p", product="x", description=description, steps=())


def test_the_picker_groups_by_outcome_in_the_providers_order_with_codes_and_meanings():
    scenarios = [_scenario(n) for n in ("zeta-odd", "bad-2", "good-1", "bad-1")]
    picked = pages.picker(_Provider(), scenarios, "bad-2")
    assert [(g["label"], [c["name"] for c in g["choices"]]) for g in picked.groups] == [
        ("good", ["good-1"]),
        ("bad", ["bad-1", "bad-2"]),
        ("odd", ["zeta-odd"]),  # a group the provider did not list comes last
    ]
    assert picked.groups[1]["choices"][0]["text"] == "bad-1 · 6 six"
    assert picked.details["bad-2"] == {"description": "does things", "group": "bad", "codes": ["6 six — Six of them."]}
    assert picked.selected == "bad-2"
    assert pages.picker(_Provider(), scenarios, "not-offered").selected is None


def test_names_break_between_words_and_everything_is_escaped_first():
    assert str(pages.breakable("identity_verification_opened")) == "identity_<wbr>verification_<wbr>opened"
    assert str(pages.breakable("applicantActionReviewed")) == "applicant<wbr>Action<wbr>Reviewed"
    assert str(pages.breakable('<b a="X">_')) == "&lt;b a=&#34;X&#34;&gt;_<wbr>"
    assert pages.moment("2025-01-01T00:01:40.250Z") == "2025-01-01 00:01:40"
    assert pages.moment("not a time") == "not a time"


def _render(context: dict, templates: Path) -> str:
    renderer = pages.Pages(templates)

    async def page(request: Request):
        return renderer.render(request, "sample.html", context)

    with TestClient(Starlette(routes=[Route("/", page)])) as client:
        response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    return response.text


def test_every_value_is_escaped_the_picker_details_included(tmp_path):
    (tmp_path / "sample.html").write_text(
        '{% extends "kycsim/page.html" %}{% from "kycsim/picker.html" import scenario_picker %}'
        '{% from "kycsim/parts.html" import facts, timeline %}'
        "{% block content %}{{ scenario_picker(p) }}{{ facts([('Name', value)]) }}"
        "{{ timeline([{'at': value, 'event': value}], [('at', 'at'), ('event', 'event')]) }}{% endblock %}"
    )
    scenarios = [_scenario("bad-1", HOSTILE)]
    context = {"title": HOSTILE, "flow": "Test flow", "value": HOSTILE, "p": pages.picker(_Provider(), scenarios, None)}
    html = _render(context, tmp_path)
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;" in html
    details = re.search(r"<script type=\"application/json\" data-picker-details>(.*?)</script>", html, re.S)
    assert "<" not in details[1] and json.loads(details[1])["bad-1"]["description"] == HOSTILE
    assert html.startswith("<!doctype html>") and '<link rel="icon" href="data:,">' in html


def test_a_page_never_refreshes_towards_another_scheme(tmp_path):
    (tmp_path / "sample.html").write_text('{% extends "kycsim/page.html" %}')
    base = {"title": "t", "flow": "f"}
    assert '<meta http-equiv="refresh"' not in _render({**base, "leave_to": "javascript:alert(1)"}, tmp_path)
    page = _render({**base, "leave_to": "https://shop.example/ok?a=1&b=2"}, tmp_path)
    assert '<meta http-equiv="refresh" content="2;url=https://shop.example/ok?a=1&amp;b=2">' in page


def test_a_followed_page_names_its_state_endpoint_and_version(tmp_path):
    (tmp_path / "sample.html").write_text('{% extends "kycsim/page.html" %}')
    page = _render({"title": "t", "flow": "f", "follow": pages.Follow("/verify/x/state", 'a"b')}, tmp_path)
    assert '<main data-poll="/verify/x/state" data-version="a&#34;b">' in page and "fetch(url" in page
    assert f'searchParams.set("{pages.POLL_PARAM}", "1")' in page  # its reloads read as polls on the console
    assert "data-poll" not in _render({"title": "t", "flow": "f"}, tmp_path)
