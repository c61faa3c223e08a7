"""``/_sim/stories``: finding a verification and its whole story, on a real server with both providers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import httpx
import pytest

from simulator.server import ThreadedServer
from simulator.settings import Settings
from tests.control.schemas import assert_schema
from tests.providers.sumsub.support import SumsubAuth
from tests.webhook_support.receiver import Receiver

KEY = "sk_sbox_storytest_key_0001"
OTHER = "sk_sbox_storytest_key_0002"
MERCHANT = "https://merchant.example/back"


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def checkout_check(http: httpx.Client, key: str, email: str, external: str) -> dict[str, str]:
    applicant = http.post("/applicants", headers=bearer(key), json={"email": email, "external_applicant_id": external})
    body = {"applicant_id": applicant.json()["id"], "declared_data": {"name": "Hannah Bret"}}
    idv = http.post("/identity-verifications", headers=bearer(key), json=body).json()
    path = f"/identity-verifications/{idv['id']}/attempts"
    attempt = http.post(path, headers=bearer(key), json={"redirect_url": MERCHANT})
    return {"idv": idv["id"], "applicant": applicant.json()["id"], "attempt": attempt.json()["id"]}


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[httpx.Client, dict[str, str]]]:
    """A 62304 decline followed to its end, webhooks to a receiver failing the first attempt; a Sumsub
    applicant with no endpoint; another tenant with the same external id."""
    settings = Settings(seed=5, speed="manual", start_time="2025-01-01T00:00:00Z")
    with ThreadedServer(settings) as server, Receiver() as receiver, httpx.Client(base_url=server.url) as http:
        endpoint = {"provider": "checkout", "url": receiver.url, "tenant": KEY, "secret": "whsec_story"}
        endpoint["chaos"] = {"fail_first": 1}
        assert http.post("/_sim/webhooks/endpoints", json=endpoint).status_code == 201
        ids = checkout_check(http, KEY, "hannah+idv-declined-62304@example.com", "ext-1")
        checkout_check(http, KEY, "other@example.com", "ext-10")
        checkout_check(http, OTHER, "third@example.com", "ext-1")
        sumsub = http.post(
            "/resources/applicants?levelName=basic-kyc-level",
            json={"externalUserId": "user-7", "email": "s+red-final-forgery@example.com"},
            auth=SumsubAuth(),
        ).json()
        link = {"userId": "user-7", "levelName": "basic-kyc-level"}
        assert http.post("/resources/sdkIntegrations/levels/-/websdkLink", json=link, auth=SumsubAuth()).is_success
        for _ in range(6):
            http.post("/_sim/clock/advance", json={"seconds": 3600})
        yield http, {**ids, "sumsub": sumsub["id"]}


def search(http: httpx.Client, q: str, **params: str) -> list[dict]:
    response = http.get("/_sim/stories", params={"q": q, **params})
    assert response.status_code == 200, response.text
    assert_schema("stories.response", response.json())
    return response.json()["data"]


def test_a_verification_is_found_by_any_id_it_goes_by_email_tenant_or_scenario(live):
    http, ids = live
    for query in (ids["idv"], ids["applicant"], ids["attempt"], "hannah+idv-declined-62304@example.com"):
        found = search(http, query, tenant=KEY)
        assert [row["id"] for row in found] == [ids["idv"]], query
    row = search(http, "idv-declined-62304")[0]
    assert (row["id"], row["matched"], row["status"]) == (ids["idv"], "scenario", "declined")
    assert row["kind"] == "Identity Verification"
    assert row["facts"]["response_codes"] == ["62304 face_mismatch"]
    assert row["tenant"] == "sk_sbox_…0001" and KEY not in str(row)
    assert {r["id"] for r in search(http, "user-7")} == {ids["sumsub"]}
    assert {r["tenant"] for r in search(http, "sk_sbox_…0002")} == {"sk_sbox_…0002"}
    assert len(search(http, KEY)) == 2  # the tenant in full


def test_a_search_ranks_whole_values_first_and_tells_what_matched(live):
    http, _ = live
    found = search(http, "ext-1")
    assert [r["matched"] for r in found][:2] == ["external_applicant_id", "external_applicant_id"]
    assert {r["tenant"] for r in found[:2]} == {"sk_sbox_…0001", "sk_sbox_…0002"}
    assert found[2]["ids"]["external_applicant_id"] == "ext-10"  # a part of a value comes after
    assert search(http, "nothing-goes-by-this") == []
    assert len(search(http, "")) == 4  # no query: the newest verifications


def test_the_story_puts_requests_steps_statuses_and_webhooks_on_one_timeline(live):
    http, ids = live
    response = http.get("/_sim/stories/ext-1", params={"tenant": "sk_sbox_…0001"})
    assert response.status_code == 200, response.text
    story = response.json()
    assert_schema("story.response", story)
    assert (story["what"], story["tenant"], story["also_in"]) == ("external_applicant_id", "sk_sbox_…0001", [])
    subject = story["subjects"][0]
    assert subject["id"] == ids["idv"] and subject["status"] == "declined"
    assert subject["pages"][0]["url"].startswith("/verify/")
    kinds = [item["kind"] for item in story["timeline"]]
    requests = [i for i in story["timeline"] if i["kind"] == "request"]
    # The merchant's requests about this check only (not the other check of the same tenant), with bodies.
    assert [(r["method"], r["path"]) for r in requests][:3] == [
        ("POST", "/applicants"),
        ("POST", "/identity-verifications"),
        ("POST", f"/identity-verifications/{ids['idv']}/attempts"),
    ]
    assert "ext-10" not in str(requests) and '"ext-1"' in requests[0]["request_body"]
    assert requests[0]["operation"] == "checkout:create_applicant"  # the route table's name
    steps = [i["step"] for i in story["timeline"] if i["kind"] == "step"]
    assert steps == ["open_link", "complete_capture", "complete_checks", "create_report"]
    statuses = [i["status"] for i in story["timeline"] if i["kind"] == "status"]
    assert statuses[0] == "created" and "declined" in statuses
    hooks = [i for i in story["timeline"] if i["kind"] == "webhook"]
    assert hooks[0]["type"] == "identity_verification_created" and '"ext-1"' in hooks[0]["payload"]
    first = hooks[0]["deliveries"][0]["attempts"]
    assert [a["ok"] for a in first] == [False, True]  # chaos fail_first, then the retry delivered it
    assert first[0]["request_headers"]["Cko-Signature"].startswith("…")  # shown masked, never usable
    assert first[1]["response_excerpt"] and first[1]["status_code"] == 200
    # Virtual time orders the timeline; real time is beside it; the run started after the attempt was made.
    ats = [datetime.fromisoformat(i["at"].replace("Z", "+00:00")) for i in story["timeline"]]
    assert ats == sorted(ats)
    assert all(i.get("wall_at") for i in story["timeline"] if i["kind"] in ("request", "run", "step", "webhook"))
    assert kinds.index("run") > kinds.index("request")
    assert story["runs"][0]["script"][-1]["state"] == "done"


def test_events_show_even_when_no_endpoint_wants_them(live):
    http, ids = live
    story = http.get(f"/_sim/stories/{ids['sumsub']}").json()
    hooks = [i for i in story["timeline"] if i["kind"] == "webhook"]
    assert hooks and all(h["deliveries"] == [] for h in hooks)
    assert [i["status"] for i in story["timeline"] if i["kind"] == "status"][-1] == "completed"
    assert story["subjects"][0]["status"] == "completed (RED FINAL)"
    assert story["subjects"][0]["pages"][0]["url"].startswith("/websdk/p/")
    paths = [r["path"] for r in story["timeline"] if r["kind"] == "request"]
    assert "/resources/sdkIntegrations/levels/-/websdkLink" in paths
    assert "sbx:" not in str(story["tenant"]).replace("sbx:…", "")  # the app token shows masked


def test_a_story_is_reached_by_an_event_or_delivery_id_and_says_which_other_tenants_use_the_id(live):
    http, ids = live
    story = http.get("/_sim/stories/ext-1").json()
    assert story["also_in"] and story["tenant"] not in story["also_in"]
    event = next(i for i in http.get(f"/_sim/stories/{ids['idv']}").json()["timeline"] if i["kind"] == "webhook")
    assert http.get(f"/_sim/stories/{event['event_id']}").json()["subjects"][0]["id"] == ids["idv"]
    delivery = event["deliveries"][0]["id"]
    assert http.get(f"/_sim/stories/{delivery}").json()["subjects"][0]["id"] == ids["idv"]


def test_what_goes_by_nothing_is_a_404_and_bad_queries_are_400s(live):
    http, _ = live
    missing = http.get("/_sim/stories/idv_nothing")
    assert missing.status_code == 404 and "nothing goes by" in missing.json()["error"]["message"]
    assert http.get("/_sim/stories", params={"q": "x" * 201}).status_code == 400
    assert http.get("/_sim/stories", params={"provider": "nope"}).status_code == 400
    assert http.get("/_sim/stories", params={"tenant": "sk_sbox_…zzzz"}).status_code == 400
    assert http.get("/_sim/stories/" + "x" * 300).status_code == 400
