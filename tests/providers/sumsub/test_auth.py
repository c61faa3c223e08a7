"""App-token signing: accepted the way Sumsub's examples sign, each failure with its own code."""

from __future__ import annotations

import json
import time

import pytest
from starlette.testclient import TestClient

from simulator.engine.masking import mask
from tests.providers.sumsub.support import SECRET, TOKEN, SumsubAuth, assert_error, sign

BODY = json.dumps({"externalUserId": "auth-user"}).encode()
PATH = "/resources/applicants?levelName=basic-kyc-level"


def headers(ts: str | None = None, token: str = TOKEN, secret: str = SECRET, path: str = PATH, body: bytes = BODY):
    ts = ts or str(int(time.time()))
    return {
        "Content-Type": "application/json",
        "X-App-Token": token,
        "X-App-Access-Ts": ts,
        "X-App-Access-Sig": sign(secret, ts, "POST", path.encode(), body),
    }


def test_a_request_signed_like_the_python_example_is_accepted(raw):
    response = raw.post(PATH, content=BODY, headers=headers())
    assert response.status_code == 201, response.text
    assert raw.app.state.sim.journal.query(path="/resources/applicants")[0]["tenant"] == mask(TOKEN)


def test_the_signature_covers_the_query_exactly_as_sent_even_with_a_repeated_parameter(raw):
    # The official Python example sends ?levelName=X&levelName=X and signs exactly that.
    path = "/resources/applicants?levelName=basic-kyc-level&levelName=basic-kyc-level"
    assert raw.post(path, content=BODY, headers=headers(path=path)).status_code == 201


def test_a_get_with_a_json_body_is_signed_over_that_body(api, raw):
    created = api.post(PATH, json={"externalUserId": "get-body"}).json()
    path = f"/resources/applicants/{created['id']}/one"
    ts = str(int(time.time()))
    signed = {
        "X-App-Token": TOKEN,
        "X-App-Access-Ts": ts,
        "X-App-Access-Sig": sign(SECRET, ts, "GET", path.encode(), b"{}"),
    }
    assert raw.request("GET", path, content=b"{}", headers=signed).status_code == 200
    # The same signature without the body it covers is a mismatch.
    assert_error(raw.request("GET", path, headers=signed), 401, 4003)


def test_a_wrong_signature_is_4003(raw):
    bad = headers()
    bad["X-App-Access-Sig"] = "0" * 64
    body = assert_error(raw.post(PATH, content=BODY, headers=bad), 401, 4003)
    assert body["description"] == "Request signature mismatch"
    assert body["errorName"] == "app-token-signature mismatch"


def test_a_body_changed_after_signing_is_4003(raw):
    assert_error(raw.post(PATH, content=BODY + b" ", headers=headers()), 401, 4003)


@pytest.mark.parametrize("offset", [-61, -3600, 120])
def test_a_timestamp_outside_one_minute_is_4004(raw, offset):
    ts = str(int(time.time()) + offset)
    body = assert_error(raw.post(PATH, content=BODY, headers=headers(ts=ts)), 401, 4004)
    assert body["errorName"] == "app-token-request-expired"


def test_the_window_is_checked_against_wall_time_not_the_virtual_clock(api, raw):
    raw.post("/_sim/clock/advance", json={"seconds": 86400})
    assert api.post(PATH, json={"externalUserId": "after-advance"}).status_code == 201


@pytest.mark.parametrize("missing", ["X-App-Token", "X-App-Access-Ts", "X-App-Access-Sig"])
def test_each_missing_header_is_4006(raw, missing):
    sent = headers()
    del sent[missing]
    body = assert_error(raw.post(PATH, content=BODY, headers=sent), 401, 4006)
    assert missing in body["description"]


def test_no_headers_at_all_is_4006(raw):
    assert_error(raw.get("/resources/applicants/0123456789abcdef01234567/one"), 401, 4006)


def test_a_malformed_token_is_4000(raw):
    assert_error(raw.post(PATH, content=BODY, headers=headers(token="not-a-token")), 401, 4000)


def test_an_unknown_token_is_4001(raw):
    assert_error(raw.post(PATH, content=BODY, headers=headers(token="sbx:Unknown123.Private456")), 401, 4001)


def test_a_known_public_part_with_another_private_part_is_4002(raw):
    token = TOKEN.split(".")[0] + ".SomethingElse"
    assert_error(raw.post(PATH, content=BODY, headers=headers(token=token)), 401, 4002)


def test_a_timestamp_that_is_not_a_number_is_4005(raw):
    sent = headers()
    sent["X-App-Access-Ts"] = "yesterday"
    assert_error(raw.post(PATH, content=BODY, headers=sent), 401, 4005)


def test_a_token_added_through_the_control_api_is_its_own_tenant(raw, api):
    token, secret = "sbx:SecondTenant01.PrivatePart01", "another-secret"
    added = raw.post("/_sim/sumsub/app-tokens", json={"appToken": token, "secretKey": secret})
    assert added.status_code == 201
    assert mask(token) in [t["appToken"] for t in raw.get("/_sim/sumsub/app-tokens").json()["data"]]
    mine = api.post(PATH, json={"externalUserId": "shared-name"}).json()
    other = SumsubAuth(token, secret)
    theirs = raw.post(PATH, json={"externalUserId": "shared-name"}, auth=other)
    assert theirs.status_code == 201  # no duplicate across tenants
    assert_error(raw.get(f"/resources/applicants/{mine['id']}/one", auth=other), 404)


def test_changing_a_registered_tokens_secret_needs_the_current_one(raw, api):
    from tests.providers.sumsub.support import SECRET, TOKEN

    token = "sbx:TeamA0001Public.TeamA0001Private"
    assert (
        raw.post("/_sim/sumsub/app-tokens", json={"appToken": token, "secretKey": "team-a-secret"}).status_code == 201
    )
    for taken in (token, TOKEN):  # another tenant's token, or the settings' own
        hijack = raw.post("/_sim/sumsub/app-tokens", json={"appToken": taken, "secretKey": "attacker"})
        assert hijack.status_code == 403 and "currentSecretKey" in hijack.json()["error"]["message"]
        wrong = raw.post(
            "/_sim/sumsub/app-tokens", json={"appToken": taken, "secretKey": "attacker", "currentSecretKey": "guess"}
        )
        assert wrong.status_code == 403
    assert api.post(PATH, json={"externalUserId": "still-mine"}).status_code == 201  # the default secret still signs
    same = raw.post("/_sim/sumsub/app-tokens", json={"appToken": TOKEN, "secretKey": SECRET})
    assert same.status_code == 201  # registering the same pair again is harmless
    rotated = raw.post(
        "/_sim/sumsub/app-tokens",
        json={"appToken": token, "secretKey": "team-a-new", "currentSecretKey": "team-a-secret"},
    )
    assert rotated.status_code == 201
    signed = raw.post(PATH, json={"externalUserId": "rotated"}, auth=SumsubAuth(token, "team-a-new"))
    assert signed.status_code == 201


def test_the_control_api_refuses_a_malformed_token(raw):
    assert raw.post("/_sim/sumsub/app-tokens", json={"appToken": "abc", "secretKey": "x"}).status_code == 400


def test_exactly_sixty_seconds_old_is_still_fresh(app, raw):
    sim = app.state.sim
    frozen = 1_750_000_000.0
    sim.clock.wall = lambda: frozen  # the server's view of real time, pinned for the test
    assert raw.post(PATH, content=BODY, headers=headers(ts=str(int(frozen) - 60))).status_code == 201
    assert_error(raw.post(PATH, content=BODY, headers=headers(ts=str(int(frozen) - 61))), 401, 4004)


# Found unpinned by mutation testing (benchmarks/mutation.py).


def test_missing_headers_are_all_named_in_order(raw):
    body = assert_error(raw.get("/resources/applicants/0123456789abcdef01234567/one"), 401, 4006)
    assert body["description"] == (
        "Not all required authorization headers were provided: X-App-Token, X-App-Access-Ts, X-App-Access-Sig"
    )


def test_the_signature_covers_the_path_as_sent_percent_encoding_included(raw):
    path = "/resources/applicants/-;externalUserId=user%20one/one"
    ts = str(int(time.time()))
    sent = {
        "X-App-Token": TOKEN,
        "X-App-Access-Ts": ts,
        "X-App-Access-Sig": sign(SECRET, ts, "GET", path.encode(), b""),
    }
    assert raw.get(path, headers=sent).status_code == 404  # signed right; no such applicant
    decoded = sign(SECRET, ts, "GET", path.replace("%20", " ").encode(), b"")
    assert_error(raw.get(path, headers={**sent, "X-App-Access-Sig": decoded}), 401, 4003)


def test_a_timestamp_that_is_not_unix_seconds_says_so(raw):
    body = assert_error(raw.post(PATH, content=BODY, headers=headers(ts="2024-07-09")), 401, 4005)
    assert body["description"] == "Invalid X-App-Access-Ts value: it must be Unix time in seconds"


def test_a_server_that_passes_no_raw_path_gets_the_signature_checked_over_the_path(app):
    # raw_path is optional in ASGI (uvicorn sends it; other servers may not): the path then stands for it.
    async def without_raw_path(scope, receive, send):
        scope = {k: v for k, v in scope.items() if k != "raw_path"}
        await app(scope, receive, send)

    path = "/resources/applicants/0123456789abcdef01234567/one"
    ts = str(int(time.time()))
    sent = {
        "X-App-Token": TOKEN,
        "X-App-Access-Ts": ts,
        "X-App-Access-Sig": sign(SECRET, ts, "GET", path.encode(), b""),
    }
    with TestClient(without_raw_path) as client:
        assert_error(client.get(path, headers=sent), 404)  # signed right; no such applicant
        assert_error(client.get(path, headers={**sent, "X-App-Access-Sig": "0" * 64}), 401, 4003)


def test_app_tokens_added_at_run_time_come_back_from_their_snapshot_and_the_settings_pair_wins():
    import json

    from simulator.providers.sumsub.auth import Credentials

    credentials, told = Credentials(), []
    credentials.configure("sbx:settings.pair", "from-settings")
    credentials.on_change = lambda: told.append(1)
    credentials.add("sbx:added.one", "one")
    credentials.add("sbx:settings.pair", "changed-at-run-time")
    saved = json.loads(credentials.snapshot())
    assert saved == {"sbx:added.one": "one"} and told == [1, 1], "the settings' token is the configuration's"

    again = Credentials()
    again.configure("sbx:settings.pair", "from-settings")
    again.restore({**saved, "sbx:settings.pair": "stale", "sbx:bad.value": 5})
    assert again.secret_for("sbx:added.one") == "one" and again.secret_for("sbx:settings.pair") == "from-settings"
    assert again.secret_for("sbx:bad.value") is None
