"""A control plane that is safe to expose: the token, cross-site writes, masking, tenant filters, replays."""

from __future__ import annotations

import logging

import httpx
import pytest
from starlette.testclient import TestClient

from simulator.app import create_app
from simulator.control.client import ControlClient, ControlClientError
from simulator.engine.masking import mask, mask_text, mask_url
from simulator.server import ThreadedServer, banner
from simulator.settings import Settings, SettingsError
from tests.providers.sumsub.support import SumsubAuth
from tests.webhook_support.receiver import Receiver
from tests.webhook_support.server import event_stream, hook_server

KEY = "sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e"
START = "2025-01-01T00:00:00Z"


def settings(**overrides) -> Settings:
    return Settings(**{"seed": 5, "speed": "manual", "start_time": START, **overrides})


# The token


@pytest.fixture
def exposed():
    """The app as the Docker image runs it: bound to 0.0.0.0, so a token was generated."""
    app = create_app(settings(host="0.0.0.0"))
    with TestClient(app) as client:
        yield client, app.state.sim.control_token


def test_a_non_loopback_bind_generates_a_token_and_needs_it(exposed):
    client, token = exposed
    assert token and len(token) >= 24
    for method, path in [
        ("GET", "/_sim/requests"),
        ("GET", "/_sim/webhooks"),
        ("GET", "/_sim/ui/"),
        ("POST", "/_sim/reset"),
        ("GET", "/_sim/events"),
        ("GET", "/_sim/sumsub/app-tokens"),
        ("POST", "/_sim/checkout/aml-verifications/amlv_x/resolve"),
    ]:
        refused = client.request(method, path, json={})
        assert refused.status_code == 401, (method, path)
        assert refused.json()["error"]["type"] == "unauthorized"
        wrong = client.request(method, path, json={}, headers={"Authorization": "Bearer " + "x" * len(token)})
        assert wrong.status_code == 401
    allowed = client.get("/_sim/requests", headers={"Authorization": f"Bearer {token}"})
    assert allowed.status_code == 200
    assert client.get("/_sim/health").status_code == 200  # container health checks need no token
    provider = client.post("/applicants", json={}, headers={"Authorization": f"Bearer {KEY}"})
    assert provider.status_code == 201  # the providers' own routes are untouched


def test_the_dashboard_is_opened_once_with_the_token_and_then_uses_a_cookie(exposed):
    client, token = exposed
    assert client.get("/_sim/ui/?token=wrong-token-123", follow_redirects=False).status_code == 401
    login = client.get(f"/_sim/ui/?token={token}", follow_redirects=False)
    assert login.status_code == 303 and login.headers["location"] == "/_sim/ui/"
    cookie = login.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/_sim" in cookie
    assert client.get("/_sim/ui/").status_code == 200  # the client kept the cookie, as a browser does
    assert client.get("/_sim/requests").status_code == 200  # and the page's own fetches carry it


def test_loopback_stays_open_unless_a_token_is_configured():
    with TestClient(create_app(settings())) as client:
        assert client.get("/_sim/requests").status_code == 200
    configured = "my-team-control-token"
    with TestClient(create_app(settings(control_token=configured))) as client:
        assert client.get("/_sim/requests").status_code == 401
        assert client.get("/_sim/requests", headers={"Authorization": f"Bearer {configured}"}).status_code == 200
    with pytest.raises(SettingsError):
        settings(control_token="short")


def test_the_client_and_the_cli_send_the_token(monkeypatch, capsys):
    from simulator.cli import main

    token = "team-token-for-the-shared-instance"
    with ThreadedServer(settings(control_token=token)) as server:
        with pytest.raises(ControlClientError, match="401"):
            ControlClient(server.url).requests()
        assert ControlClient(server.url, token=token).requests() == []
        monkeypatch.setenv("KYCSIM_CONTROL_TOKEN", token)
        assert ControlClient(server.url).requests() == []
        assert main(["requests", "--url", server.url]) == 0
        monkeypatch.delenv("KYCSIM_CONTROL_TOKEN")
        assert main(["clock", "--url", server.url, "--token", token]) == 0
        assert main(["clock", "--url", server.url]) == 1
    assert "401" in capsys.readouterr().err


def test_the_banner_prints_a_generated_token_but_never_a_configured_one():
    generated = create_app(settings(host="0.0.0.0")).state.sim
    text = banner(settings(host="0.0.0.0"), 8000, generated)
    assert generated.control_token in text and f"/_sim/ui/?token={generated.control_token}" in text
    configured = settings(host="0.0.0.0", control_token="configured-token-value")
    assert "configured-token-value" not in banner(configured, 8000, create_app(configured).state.sim)
    assert "open: loopback" in banner(settings(), 8000, create_app(settings()).state.sim)


# Cross-site writes


@pytest.fixture
def local():
    with TestClient(create_app(settings()), base_url="http://127.0.0.1:8000") as client:
        yield client


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example", "Content-Type": "application/json"},
        {"Origin": "null", "Content-Type": "application/json"},
        {"Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"},
        {"Content-Type": "text/plain"},  # what a page's simple form or fetch can send without a preflight
        {"Content-Type": "application/x-www-form-urlencoded"},
        {},
    ],
)
def test_a_cross_site_write_is_refused_and_changes_nothing(local, headers):
    local.post("/_sim/clock/advance", json={"seconds": 60})
    response = local.post("/_sim/reset", content=b"{}", headers=headers)
    assert response.status_code in (403, 415), response.text
    assert local.get("/_sim/clock").json()["elapsed_seconds"] == 60  # not reset
    endpoint = {"provider": "checkout", "url": "http://127.0.0.1:9/x", "all_tenants": True}
    assert local.post("/_sim/webhooks/endpoints", content=str(endpoint).encode(), headers=headers).status_code in (
        403,
        415,
    )
    assert local.get("/_sim/webhooks/endpoints").json()["count"] == 0


def test_same_origin_writes_work(local):
    same = {"Origin": "http://127.0.0.1:8000", "Sec-Fetch-Site": "same-origin"}
    assert local.post("/_sim/reset", json={}, headers=same).status_code == 200
    assert local.delete("/_sim/bindings/bnd_nothing", headers={"Origin": "https://evil.example"}).status_code == 403


# Masking


def test_the_mask_keeps_a_prefix_and_the_last_four():
    assert mask(KEY) == "sk_sbox_…xo4e"
    assert mask("sbx:uY0CgwELmgUAEyl4hNWxLngb.0WSeQeiYny4WEqmAALEAiK2qTC96fBad") == "sbx:…fBad"
    assert mask("Bearer static-secret-value") == "Bearer …alue"
    assert mask("abc") == "…" and mask(None) is None
    assert mask_url("https://user:hunter22@hooks.example/x") == "https://user:…er22@hooks.example/x"
    text = mask_text('client_secret=s3cr3t-value&grant_type=client_credentials {"access_token":"eyJ.abc.defgh"}')
    assert "s3cr3t-value" not in text and "eyJ.abc.defgh" not in text and "grant_type=client_credentials" in text


def test_secrets_are_masked_in_the_journal_the_delivery_log_and_the_endpoint_list(caplog):
    caplog.set_level(logging.INFO, logger="kycsim")
    authorization = "Bearer static-receiver-secret-0001"
    with ThreadedServer(settings()) as server, Receiver() as receiver, httpx.Client(base_url=server.url) as http:
        options = {"authorization": authorization, "headers": {"X-Api-Key": "api-key-value-7"}}
        endpoint = {
            "provider": "checkout",
            "url": receiver.url.replace("http://", "http://me:pass-word-9@"),
            "secret": "whsec_signing_secret_1",
            "tenant": KEY,
            "options": options,
        }
        assert http.post("/_sim/webhooks/endpoints", json=endpoint).status_code == 201
        auth = {"Authorization": f"Bearer {KEY}"}
        applicant = http.post("/applicants", json={"email": "a@example.com"}, headers=auth).json()
        http.post(
            "/identity-verifications",
            headers=auth,
            json={"applicant_id": applicant["id"], "declared_data": {"name": "Hannah Bret"}},
        )
        token = http.post(
            "/connect/token",
            data={"grant_type": "client_credentials", "client_id": "ack_c", "client_secret": "oauth-client-secret-1"},
        ).json()
        http.post("/_sim/clock/advance", json={"seconds": 0})
        assert receiver.wait_for(1)
        shown = " ".join(
            http.get(path).text
            for path in (
                "/_sim/requests",
                "/_sim/webhooks",
                "/_sim/webhooks/deliveries",
                "/_sim/webhooks/endpoints",
                "/_sim/webhooks/events",
                "/_sim/runs",
                f"/_sim/clock?tenant={KEY}",
            )
        )
        signature = receiver.requests[0].headers["Cko-Signature"]
    secrets = [
        KEY,
        "static-receiver-secret-0001",
        "api-key-value-7",
        "pass-word-9",
        "whsec_signing_secret_1",
        "oauth-client-secret-1",
        token["access_token"],
        signature,
    ]
    for secret in secrets:
        assert secret not in shown, secret
        assert secret not in caplog.text, secret  # the console
    assert mask(KEY) in shown and "Bearer …0001" in shown
    assert "…" in caplog.text


# Tenant filters


def test_the_event_stream_and_the_lists_filter_by_tenant():
    with hook_server() as server, httpx.Client(base_url=server.url) as http:
        http.post(
            "/_sim/webhooks/endpoints", json={"provider": "hooks", "url": "http://127.0.0.1:9/x", "all_tenants": True}
        )
        http.post("/hooks/ping", headers={"Authorization": "Bearer tenant-b-key"})
        first_b = http.get("/_sim/webhooks/events").json()["data"][0]["id"]
        with event_stream(server.url, tenant="tenant-a-key", attempts="true") as frames:
            assert next(frames)[0] == "ready"
            http.post("/hooks/ping", headers={"Authorization": "Bearer tenant-b-key"})
            http.post("/hooks/ping", headers={"Authorization": "Bearer tenant-a-key"})
            http.post("/_sim/clock/advance", json={"seconds": 0})
            seen = [next(frames) for _ in range(2)]
        assert [(kind, data["tenant"]) for kind, data, _ in seen] == [
            ("webhook", mask("tenant-a-key")),
            ("attempt", mask("tenant-a-key")),
        ]
        with event_stream(server.url, tenant="tenant-a-key", headers={"Last-Event-ID": first_b}) as frames:
            next(frames)  # ready, then the backlog after first_b: only tenant a's
            kind, data, _ = next(frames)
            assert (kind, data["tenant"]) == ("webhook", mask("tenant-a-key"))
        for path in (
            "/_sim/webhooks/events",
            "/_sim/webhooks",
            "/_sim/webhooks/deliveries",
            "/_sim/requests",
            "/_sim/bindings",
            "/_sim/webhooks/endpoints",
            "/_sim/runs",
        ):
            items = http.get(path, params={"tenant": "tenant-a-key"}).json()["data"]
            assert all(item["tenant"] == mask("tenant-a-key") for item in items), path


# Replays elsewhere


def test_a_replay_to_another_url_reports_the_status_only():
    with hook_server() as server, Receiver() as own, Receiver() as other, httpx.Client(base_url=server.url) as http:
        http.post("/_sim/webhooks/endpoints", json={"provider": "hooks", "url": own.url, "all_tenants": True})
        http.post("/hooks/ping")
        http.post("/_sim/clock/advance", json={"seconds": 0})
        delivery = http.get("/_sim/webhooks").json()["data"][0]["delivery_id"]
        again = http.post(f"/_sim/webhooks/{delivery}/replay", json={}).json()
        assert again["status_code"] == 200 and again["response_excerpt"] == '{"received": true}'
        other.default_status = 401
        elsewhere = http.post(f"/_sim/webhooks/{delivery}/replay", json={"url": other.url}).json()
        assert elsewhere["status_code"] == 401 and elsewhere["response_excerpt"] == ""
        logged = http.get("/_sim/webhooks", params={"delivery_id": elsewhere["delivery_id"]}).json()["data"]
        assert logged[0]["response_excerpt"] == ""


# Redirect URLs


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "data:text/html,<script>x</script>",
        "JaVaScRiPt:alert(1)",
        "//evil.example/x",
        "http://",
        "vbscript:x",
    ],
)
def test_a_redirect_url_that_is_not_http_is_refused(url):
    with TestClient(create_app(settings())) as client:
        auth = {"Authorization": f"Bearer {KEY}"}
        created = client.post(
            "/create-and-open-idv", headers=auth, json={"declared_data": {"name": "Hannah Bret"}, "redirect_url": url}
        )
        assert created.status_code == 422
        assert created.json()["error_codes"] == ["redirect_url__invalid_format"]
        link = client.post(
            "/resources/sdkIntegrations/levels/-/websdkLink",
            json={"levelName": "basic-kyc-level", "userId": "u1", "redirect": {"successUrl": url}},
            auth=SumsubAuth(),
        )
        assert link.status_code == 400 and "successUrl" in link.json()["description"]


def test_a_stored_script_url_is_never_followed():
    from simulator.providers.checkout.hosted import redirect_target

    attempt = {"_outcome": {"event": "verification_approved"}, "redirect_url": "javascript:alert(1)"}
    assert redirect_target({"id": "idv_x"}, attempt) is None
    attempt["redirect_url"] = "https://example.com/done?a=1"
    assert (
        redirect_target({"id": "idv_x"}, attempt) == "https://example.com/done?a=1&id=idv_x&event=verification_approved"
    )


# Size caps


def test_a_50_mb_body_gets_each_providers_413():
    fifty_mb = b'{"email": "' + b"x" * (50 * 1024 * 1024) + b'"}'
    with TestClient(create_app(settings())) as client:
        json_type = {"Content-Type": "application/json"}
        checkout = client.post("/applicants", content=fifty_mb, headers={"Authorization": f"Bearer {KEY}", **json_type})
        assert checkout.status_code == 413
        assert checkout.json()["error_type"] == "request_entity_too_large"
        sumsub = client.post(
            "/resources/applicants?levelName=basic-kyc-level",
            content=fifty_mb,
            headers={"Content-Type": "application/json"},
            auth=SumsubAuth(),
        )
        assert sumsub.status_code == 413 and sumsub.json()["description"] == "HTTP 413 Request Entity Too Large"
        control = client.post("/_sim/bindings", content=fifty_mb, headers={"Content-Type": "application/json"})
        assert control.status_code == 413
