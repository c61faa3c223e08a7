"""``GET /_sim/events``: the event stream a listener follows, over a real server."""

from __future__ import annotations

import httpx

from tests.webhook_support.providers import digest, hook_signature
from tests.webhook_support.server import event_stream, hook_server


def test_each_published_event_arrives_with_its_body_and_headers_signed_for_the_listener():
    with hook_server() as server, event_stream(server.url, headers={"X-KycSim-Listen-Secret": "listen"}) as frames:
        kind, ready, _ = next(frames)
        assert kind == "ready" and ready["providers"] == ["digest", "hooks"] and ready["signing"] == "listener secret"
        httpx.post(f"{server.url}/hooks/ping", headers={"Authorization": "Bearer t9"})
        kind, event, event_id = next(frames)
        assert kind == "webhook" and event["type"] == "ping" and event["tenant"] == "…" and event_id == event["id"]
        body = event["body"].encode()
        assert event["headers"]["X-Hook-Signature"] == hook_signature("listen", body)
        assert event["headers"]["Content-Type"] == "application/json"


def test_without_a_listener_secret_the_matching_endpoint_signs_and_filters_apply():
    with hook_server() as server:
        httpx.post(
            f"{server.url}/_sim/webhooks/endpoints",
            json={
                "provider": "digest",
                "url": "http://127.0.0.1:9/x",
                "secret": "ep",
                "options": {"alg": "HMAC_SHA1_HEX"},
                "all_tenants": True,
            },
        )
        with event_stream(server.url, provider="digest", events="applicant*") as frames:
            assert next(frames)[1]["providers"] == ["digest"]
            httpx.post(f"{server.url}/hooks/ping")  # another provider: filtered out
            httpx.post(f"{server.url}/digest/docs")
            kind, event, _ = next(frames)
            assert (kind, event["provider"], event["type"]) == ("webhook", "digest", "applicantReviewed")
            headers = event["headers"]
            assert headers["X-Payload-Digest-Alg"] == "HMAC_SHA1_HEX"
            assert headers["X-Payload-Digest"] == digest("ep", event["body"].encode(), "HMAC_SHA1_HEX")


def test_last_event_id_resumes_after_the_event_a_follower_saw():
    with hook_server() as server:
        for _ in range(3):
            httpx.post(f"{server.url}/hooks/ping")
        events = httpx.get(f"{server.url}/_sim/webhooks/events").json()["data"]
        with event_stream(server.url, headers={"Last-Event-ID": events[0]["id"]}) as frames:
            next(frames)  # ready
            assert [next(frames)[1]["id"] for _ in range(2)] == [events[1]["id"], events[2]["id"]]
        with event_stream(server.url, headers={"Last-Event-ID": events[1]["id"]}) as frames:
            next(frames)  # ready
            httpx.post(f"{server.url}/hooks/ping")  # a new event: it comes right after the one missed
            assert [next(frames)[1]["id"] for _ in range(2)][0] == events[2]["id"]


def test_attempts_can_be_streamed_too_and_bad_filters_are_refused():
    with hook_server() as server:
        assert httpx.get(f"{server.url}/_sim/events", params={"provider": "nobody"}).status_code == 400
        bad = httpx.get(f"{server.url}/_sim/events", headers={"X-KycSim-Listen-Options": "[1]"})
        assert bad.status_code == 400
        httpx.post(
            f"{server.url}/_sim/webhooks/endpoints",
            json={"provider": "hooks", "url": "http://127.0.0.1:9/nothing", "all_tenants": True},
        )
        with event_stream(server.url, attempts="true") as frames:
            next(frames)
            httpx.post(f"{server.url}/hooks/ping")
            httpx.post(f"{server.url}/_sim/clock/advance", json={"seconds": 0})
            kinds = {next(frames)[0], next(frames)[0]}
            assert kinds == {"webhook", "attempt"}
        with event_stream(server.url) as frames:  # attempts not asked for: webhooks only
            next(frames)
            httpx.post(f"{server.url}/hooks/ping")
            httpx.post(f"{server.url}/_sim/clock/advance", json={"seconds": 0})  # an attempt, not streamed
            httpx.post(f"{server.url}/hooks/ping")
            assert [next(frames)[0], next(frames)[0]] == ["webhook", "webhook"]


def test_the_stream_masks_credentials_but_keeps_the_signature_a_forwarder_needs():
    key = "sk_sbox_streamsecret4e9x"
    with hook_server() as server:
        httpx.post(
            f"{server.url}/_sim/webhooks/endpoints",
            json={
                "provider": "hooks",
                "url": "http://user:hunter22@127.0.0.1:9/nothing",
                "secret": "whsec_endpointsecret",
                "options": {"authorization": "Bearer static-merchant-secret"},
                "all_tenants": True,
            },
        )
        with event_stream(server.url, tenant=key, attempts="true") as frames:
            kind, ready, _ = next(frames)
            assert kind == "ready" and ready["tenant"] == "sk_sbox_…4e9x"
            httpx.post(f"{server.url}/hooks/ping", headers={"Authorization": f"Bearer {key}"})
            httpx.post(f"{server.url}/_sim/clock/advance", json={"seconds": 0, "tenant": key})
            seen = dict(next(frames)[:2] for _ in range(2))
    webhook, attempt = seen["webhook"], seen["attempt"]
    assert webhook["tenant"] == attempt["tenant"] == "sk_sbox_…4e9x"
    # the webhook frame is signed for the follower: whole, so a forwarded copy verifies
    assert webhook["headers"]["X-Hook-Signature"] == hook_signature("whsec_endpointsecret", webhook["body"].encode())
    # the attempt frame is a record of what went to the merchant's endpoint: its secrets masked
    assert attempt["url"] == "http://user:…er22@127.0.0.1:9/nothing"
    shown = " ".join(attempt["request_headers"].values())
    assert "static-merchant-secret" not in shown and "whsec_endpointsecret" not in shown
    assert key not in str(seen) and "hunter22" not in str(seen)


def test_the_stream_and_the_endpoint_list_take_a_tenant_as_shown_masked():
    key = "sk_sbox_maskedfilter0001"
    with hook_server() as server, httpx.Client(base_url=server.url) as http:
        for tenant in (key, "sk_sbox_someoneelse0002"):
            http.post(
                "/_sim/webhooks/endpoints", json={"provider": "hooks", "url": "http://127.0.0.1:9/", "tenant": tenant}
            )
        listed = http.get("/_sim/webhooks/endpoints", params={"tenant": "sk_sbox_…0001"}).json()["data"]
        assert [e["tenant"] for e in listed] == ["sk_sbox_…0001"]
        with event_stream(server.url, tenant="sk_sbox_…0001") as frames:
            assert next(frames)[1]["tenant"] == "sk_sbox_…0001"
            http.post("/hooks/ping", headers={"Authorization": "Bearer sk_sbox_someoneelse0002"})
            http.post("/hooks/ping", headers={"Authorization": f"Bearer {key}"})
            kind, event, _ = next(frames)
        assert (kind, event["tenant"]) == ("webhook", "sk_sbox_…0001")


def test_the_server_stops_promptly_while_a_listener_follows_the_stream():
    import threading
    import time

    from simulator.cli_listen import listen

    lines: list[str] = []
    ready = threading.Event()

    def out(text: str) -> None:
        lines.append(text)
        ready.set()

    with hook_server() as server:
        threading.Thread(
            target=listen, args=(server.url, "http://127.0.0.1:9/"), kwargs={"out": out}, daemon=True
        ).start()
        assert ready.wait(5)
        started = time.perf_counter()
    assert time.perf_counter() - started < 3, "uvicorn waited for the open event stream"
