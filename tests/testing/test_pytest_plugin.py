"""The pytest plugin registered by the package: the ``kycsim`` fixture, each test its own tenant.

These tests use the fixture as a user's suite does (the repository's own session kycsim, manual
clock); the session-level behaviours (one server per session, ``KYCSIM_URL``, a kycsim that is
down, the marker's errors) run a small suite in a pytest of its own.
"""

from __future__ import annotations

import os
import re

import httpx
import pytest

from simulator.client import KycSimError

DECLARED = {"name": "Hannah Bret", "birth_date": "1994-10-15"}
LEVEL = {"levelName": "basic-kyc-level"}


def start_idv(kycsim, email: str = "hannah@example.com") -> tuple[httpx.Client, dict]:
    """What an app does: an applicant, an IDV and its first attempt, with the test's own key."""
    api = httpx.Client(base_url=kycsim.url, headers={"Authorization": f"Bearer {kycsim.checkout_key}"})
    applicant = api.post("/applicants", json={"email": email}).json()
    idv = api.post("/identity-verifications", json={"applicant_id": applicant["id"], "declared_data": DECLARED})
    api.post(f"/identity-verifications/{idv.json()['id']}/attempts", json={"redirect_url": "https://example.com/b"})
    return api, idv.json()


def start_sumsub(kycsim, user: str = "user-1") -> dict:
    """A Sumsub applicant handed to the (simulated) person with an access token, signed with the test's pair."""
    api = httpx.Client(base_url=kycsim.url, auth=kycsim.sumsub_auth)
    applicant = api.post("/resources/applicants", params=LEVEL, json={"externalUserId": user})
    assert applicant.status_code == 201, applicant.text
    api.post("/resources/accessTokens/sdk", json={"userId": user, **LEVEL}).raise_for_status()
    return applicant.json()


# Each test its own tenant


def test_each_test_gets_fresh_credentials_of_its_own(kycsim):
    assert re.fullmatch(r"sk_sbox_[a-z2-7]{27}", kycsim.checkout_key)  # what the official SDKs accept
    assert kycsim.checkout_webhook_secret and kycsim.sumsub_webhook_secret
    assert re.fullmatch(r"sbx:kit[0-9a-f]{24}\.[0-9a-f]{24}", kycsim.sumsub_app_token) and kycsim.sumsub_secret_key
    assert kycsim.tenants == {"checkout": kycsim.checkout_key, "sumsub": kycsim.sumsub_app_token}
    signed = httpx.get(f"{kycsim.url}/resources/applicants/-;externalUserId=nobody/one", auth=kycsim.sumsub_auth)
    assert signed.status_code == 404 and signed.json()["code"] == 404  # signed right: the applicant is missing
    health = kycsim.client.health()
    assert health["status"] == "ok" and health["speed"] == "manual"
    with pytest.raises(AttributeError, match="did you mean 'checkout_key'"):
        kycsim.checkout_kye  # noqa: B018


def test_a_test_ends_by_forgetting_only_its_own_tenant(kycsim, kycsim_session):
    from simulator.testing.kit import KycSimKit

    other = KycSimKit(kycsim_session.client, kycsim_session.receiver, manual=True, types=kycsim_session.types)
    start_idv(other)
    start_idv(kycsim)
    other.close()  # what the fixture does when a test ends
    assert kycsim.client.runs(other.checkout_key)["count"] == 0
    assert kycsim.client.webhook_endpoints(tenant=other.checkout_key) == []
    assert len(kycsim.runs()) == 1 and kycsim.client.webhook_endpoints(tenant=kycsim.checkout_key)
    assert kycsim.client.clock()["elapsed_seconds"] >= 0  # no global reset: the shared clock never rewound


# Webhooks: events, wait_for_event


def test_wait_for_event_moves_the_clock_only_as_far_as_the_event(kycsim):
    api, idv = start_idv(kycsim)
    event = kycsim.wait_for_event("identity_verification_checks_completed", subject=idv["id"])
    assert event["data"]["identity_verification_id"] == idv["id"] and event["data"]["status"] == "approved"
    assert kycsim.client.clock(kycsim.checkout_key)["elapsed_seconds"] == 100  # 10s + 1m + 30s: not the report's 5s
    assert kycsim.events("identity_verification_report_created") == []
    assert api.get(f"/identity-verifications/{idv['id']}").json()["status"] == "approved"
    assert kycsim.wait_for_event("identity_verification_report_created").type == "identity_verification_report_created"


def test_events_are_verified_parsed_and_filtered(kycsim):
    _, first = start_idv(kycsim, "a@example.com")
    _, second = start_idv(kycsim, "b@example.com")
    kycsim.settle()
    types = [e.type for e in kycsim.events(subject=first["id"])]
    assert types[0] == "identity_verification_created" and "identity_verification_checks_completed" in types
    assert all(e.mentions(first["id"]) and not e.mentions(second["id"]) for e in kycsim.events(subject=first["id"]))
    created = kycsim.events("identity_verification_created")
    assert [e["data"]["identity_verification_id"] for e in created] == [first["id"], second["id"]]  # oldest first
    assert all(e.provider == "checkout" and "Cko-Signature" in e.headers for e in kycsim.events())
    assert kycsim.rejected == []


def test_a_webhook_whose_signature_is_wrong_is_refused_and_comes_again(kycsim):
    endpoint = kycsim.client.webhook_endpoints(tenant=kycsim.checkout_key)[0]
    kycsim.client.update_webhook_endpoint(endpoint["id"], chaos={"wrong_signature": 1})
    _, idv = start_idv(kycsim)
    created = kycsim.wait_for_event("identity_verification_created", subject=idv["id"])  # the retry, 5m later
    assert (
        created["data"]["identity_verification_id"] == idv["id"]
        and kycsim.client.clock(kycsim.checkout_key)["elapsed_seconds"] == 300
    )
    refused = kycsim.client.webhooks(tenant=kycsim.checkout_key, ok=False)
    assert refused and {a["status_code"] for a in refused} == {401}  # each event's first attempt
    assert kycsim.rejected == [("checkout", "the signature does not verify with this test's secret")] * len(refused)


def test_waiting_for_an_event_that_never_comes_names_what_did(kycsim):
    _, idv = start_idv(kycsim)
    with pytest.raises(TimeoutError) as nothing:
        kycsim.wait_for_event("identity_verification_capture_aborted", subject=idv["id"], timeout=0.5)
    message = str(nothing.value)
    assert message.startswith(f"no identity_verification_capture_aborted event about {idv['id']} arrived within 0.5s")
    assert re.search(r"; the clock moved \d+s and nothing more is scheduled;", message)
    assert f"identity_verification_report_created ({idv['id']})" in message


def test_an_event_type_no_provider_sends_is_an_error_at_once(kycsim):
    with pytest.raises(
        ValueError, match=r"no provider sends 'applicantReviewd' events \(did you mean 'applicantReviewed'"
    ):
        kycsim.wait_for_event("applicantReviewd")
    with pytest.raises(ValueError, match="no provider sends 'identity_verification_aproved'"):
        kycsim.events("identity_verification_aproved")


# Time: settle


def test_settle_answers_what_the_runs_wait_for(kycsim):
    kycsim.use_scenario("idv-capture-aborted-61203")
    api, idv = start_idv(kycsim)
    assert kycsim.settle() == ["new_attempt"]
    assert kycsim.events("identity_verification_capture_aborted", subject=idv["id"])
    api.post(f"/identity-verifications/{idv['id']}/attempts", json={"redirect_url": "https://example.com/b"})
    assert kycsim.settle() == []
    assert api.get(f"/identity-verifications/{idv['id']}").json()["status"] == "approved"


def test_settle_with_nothing_started_is_a_no_op(kycsim):
    assert kycsim.settle() == [] and kycsim.events() == []


# Scenarios: use_scenario and the marker


def test_use_scenario_binds_for_this_tenant_only(kycsim):
    binding = kycsim.use_scenario("idv-declined-62304", email="d@example.com")
    assert binding["scenario"] == "idv-declined-62304" and binding["match"] == {"email": "d@example.com"}
    assert binding["tenant"].startswith("sk_sbox_")
    _, declined = start_idv(kycsim, "d@example.com")
    _, other = start_idv(kycsim, "e@example.com")
    assert (
        kycsim.wait_for_event("identity_verification_checks_completed", declined["id"])["data"]["status"] == "declined"
    )
    assert kycsim.wait_for_event("identity_verification_checks_completed", other["id"])["data"]["status"] == "approved"


def test_an_unknown_scenario_fails_at_once_with_close_names(kycsim):
    with pytest.raises(KycSimError, match=r"no scenario named 'idv-declned-62304' \(did you mean 'idv-declined-62304'"):
        kycsim.use_scenario("idv-declned-62304")
    assert kycsim.client.bindings(tenant=kycsim.checkout_key) == []


@pytest.mark.kycsim(scenario="red-retry-bad_selfie")
def test_the_marker_binds_a_scenario_before_the_test(kycsim):
    applicant = start_sumsub(kycsim)
    reviewed = kycsim.wait_for_event("applicantReviewed", subject=applicant["id"])
    assert reviewed["reviewResult"]["reviewAnswer"] == "RED" and reviewed["reviewResult"]["reviewRejectType"] == "RETRY"
    assert reviewed["reviewResult"]["rejectLabels"] == ["BAD_SELFIE"] and reviewed.provider == "sumsub"


# The request journal


def test_requests_and_assert_requested_see_this_tests_calls(kycsim):
    _, idv = start_idv(kycsim)
    start_sumsub(kycsim)
    made = kycsim.requests()
    assert [(r["method"], r["path"]) for r in made][:3] == [
        ("POST", "/applicants"),
        ("POST", "/identity-verifications"),
        ("POST", f"/identity-verifications/{idv['id']}/attempts"),
    ]
    assert made[-1]["path"] == "/resources/accessTokens/sdk"  # both tenants, oldest first
    assert [r["path"] for r in kycsim.requests("POST", "/identity-verifications")] == ["/identity-verifications"]
    assert len(kycsim.assert_requested("POST", "/identity-verifications/*/attempts", times=1)) == 1
    kycsim.assert_requested("post", "/resources/applicants")
    with pytest.raises(AssertionError, match=r"expected POST /identity-verifications 2 time\(s\), got 1; the app sent"):
        kycsim.assert_requested("POST", "/identity-verifications", times=2)
    with pytest.raises(AssertionError, match="expected GET /applicants at least once, got 0"):
        kycsim.assert_requested("GET", "/applicants")


def test_advance_moves_only_this_tests_clocks(kycsim):
    moved = kycsim.advance("15m")
    assert [m["elapsed_seconds"] for m in moved] == [900, 900]
    assert kycsim.client.clock(kycsim.sumsub_app_token)["elapsed_seconds"] == 900


# The plugin in a pytest of its own

SUITE = """
import httpx, pytest

def test_one(kycsim):
    print("KEY", kycsim.checkout_key, kycsim.url)
    api = httpx.Client(base_url=kycsim.url, headers={"Authorization": f"Bearer {kycsim.checkout_key}"})
    api.post("/applicants", json={"email": "a@example.com"}).raise_for_status()

def test_two(kycsim):
    print("KEY", kycsim.checkout_key, kycsim.url)
    assert kycsim.requests() == []  # test_one's calls are its tenant's, not this one's
"""


def _run(pytester, env: dict[str, str], *args: str):
    for name in [n for n in os.environ if n.startswith("KYCSIM_")]:
        pytester._monkeypatch.delenv(name)  # the suite sees only what the test gives it
    for name, value in env.items():
        pytester._monkeypatch.setenv(name, value)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-s", *args, timeout=120)


def test_one_server_per_session_and_a_tenant_per_test(pytester):
    pytester.makepyfile(SUITE)
    result = _run(pytester, {})
    result.assert_outcomes(passed=2)
    keys = re.findall(r"KEY (\S+) (\S+)", result.stdout.str())
    assert len({key for key, _ in keys}) == 2 and len({url for _, url in keys}) == 1


def test_kycsim_url_points_the_suite_at_a_running_kycsim(pytester, kycsim_server):
    pytester.makepyfile(SUITE)
    result = _run(pytester, {"KYCSIM_URL": kycsim_server.url})
    result.assert_outcomes(passed=2)
    assert {url for _, url in re.findall(r"KEY (\S+) (\S+)", result.stdout.str())} == {kycsim_server.url}


def test_a_kycsim_url_nobody_answers_fails_the_tests_in_one_line(pytester):
    from tests.webhook_support.receiver import closed_port_url

    pytester.makepyfile(SUITE)
    down = closed_port_url().removesuffix("/hooks")
    result = _run(pytester, {"KYCSIM_URL": down, "KYCSIM_WAIT_TIMEOUT": "0.5"})
    result.assert_outcomes(errors=2)
    assert f"kycsim at {down} (KYCSIM_URL) is not usable: cannot reach kycsim" in result.stdout.str()
    assert "Traceback" not in result.stdout.str()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KYCSIM_RECEIVER_PORT": "eighty"}, "KYCSIM_RECEIVER_PORT must be a port number"),
        ({"KYCSIM_SPEED": "warp"}, "kycsim: "),
        ({"KYCSIM_URL": "http://127.0.0.1:1", "KYCSIM_WAIT_TIMEOUT": "soon"}, "KYCSIM_WAIT_TIMEOUT must be a number"),
    ],
)
def test_bad_settings_fail_the_session_with_a_clear_line(pytester, env, message):
    pytester.makepyfile(SUITE)
    result = _run(pytester, env)
    result.assert_outcomes(errors=2)
    assert message in result.stdout.str() and "Traceback" not in result.stdout.str()


def test_a_marker_without_a_scenario_name_is_a_clear_error(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.kycsim(email="x@example.com")
        def test_marked(kycsim):
            pass
        """
    )
    result = _run(pytester, {})
    result.assert_outcomes(errors=1)
    assert "@pytest.mark.kycsim needs scenario=<a scenario name>" in result.stdout.str()


def test_wrong_types_are_refused_with_a_clear_message(kycsim):
    with pytest.raises(TypeError, match="an event type is a string"):
        kycsim.wait_for_event(123)
    with pytest.raises(TypeError, match="an event type is a string"):
        kycsim.events(type=["applicantReviewed"])
    with pytest.raises(TypeError, match=r"timeout must be a number of seconds \(at least 0\), not '5'"):
        kycsim.wait_for_event("applicantReviewed", timeout="5")
    with pytest.raises(TypeError, match="a scenario name is a string"):
        kycsim.use_scenario(None)
    with pytest.raises(TypeError, match=r"assert_requested\(method, path\) takes two strings"):
        kycsim.assert_requested("POST", None)
    with pytest.raises(KycSimError, match="'seconds' must be at least 0"):
        kycsim.advance(-5)


def test_events_makes_the_deliveries_due_now_without_moving_the_clock(kycsim):
    _, idv = start_idv(kycsim)
    assert [e.type for e in kycsim.events(subject=idv["id"])][:1] == ["identity_verification_created"]
    assert kycsim.client.clock(kycsim.checkout_key)["elapsed_seconds"] == 0
