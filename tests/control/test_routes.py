"""The control API through the demo provider."""

import pytest


def test_health(demo_client):
    body = demo_client.get("/_sim/health").json()
    assert body["status"] == "ok" and body["seed"] == 42 and body["providers"] == ["demo"]


def test_scenario_catalogue(demo_client):
    listed = demo_client.get("/_sim/scenarios").json()
    assert {s["name"] for s in listed["data"]} == {"widget-default", "widget-failed", "widget-opened"}
    assert listed["data"][0]["outcome"] == {"group": "other", "codes": []}  # a provider that groups nothing
    one = demo_client.get("/_sim/scenarios/widget-failed").json()
    assert one["steps"] == [{"after": 5.0, "do": "set_status", "with": {"status": "failed"}}]
    assert one["produces"] == {"widget.status": ["created", "failed"]}
    missing = demo_client.get("/_sim/scenarios/nope")
    assert missing.status_code == 404 and "no scenario named" in missing.json()["error"]["message"]


def test_bindings_lifecycle(demo_client):
    created = demo_client.post("/_sim/bindings", json={"scenario": "widget-failed", "match": {"external_id": "e1"}})
    assert created.status_code == 201
    widget = demo_client.post("/demo/widgets", json={"external_id": "e1"}, headers={"Authorization": "k"}).json()
    assert (widget["scenario"], widget["rule"]) == ("widget-failed", "binding")
    assert [b["id"] for b in demo_client.get("/_sim/bindings").json()["data"]] == [created.json()["id"]]
    assert demo_client.delete(f"/_sim/bindings/{created.json()['id']}").status_code == 204
    assert demo_client.delete(f"/_sim/bindings/{created.json()['id']}").status_code == 404


def test_a_binding_without_a_match_picks_the_scenario_of_the_next_checks_of_its_tenant(demo_client):
    bound = demo_client.post("/_sim/bindings", json={"scenario": "widget-failed", "tenant": "k", "times": 1})
    assert bound.status_code == 201 and bound.json()["match"] == {}
    other = demo_client.post("/demo/widgets", json={}, headers={"Authorization": "another"}).json()
    first = demo_client.post("/demo/widgets", json={}, headers={"Authorization": "k"}).json()
    second = demo_client.post("/demo/widgets", json={}, headers={"Authorization": "k"}).json()
    assert (first["scenario"], first["rule"]) == ("widget-failed", "binding")
    assert other["rule"] != "binding" and second["rule"] != "binding"  # another tenant's; used up


def test_bad_control_bodies_get_clear_json_errors(demo_client):
    cases = [
        ("/_sim/bindings", {"scenario": "nope", "match": {"a": 1}}, "must name a scenario"),
        ("/_sim/bindings", {"scenario": "widget-failed", "match": ["e1"]}, "'match' must be an object"),
        ("/_sim/clock/advance", {"seconds": "soon"}, "'seconds' must be a number"),
        ("/_sim/clock/advance", {"seconds": -5}, "at least 0"),
    ]
    for path, body, message in cases:
        response = demo_client.post(path, json=body)
        assert response.status_code == 400 and message in response.json()["error"]["message"], response.text
    response = demo_client.post("/_sim/reset", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400 and "not valid JSON" in response.json()["error"]["message"]


def test_unknown_routes_and_methods(demo_client):
    assert demo_client.get("/_sim/nothing").json()["error"]["type"] == "not_found"
    assert demo_client.delete("/_sim/health").status_code == 405
    provider_404 = demo_client.get("/demo/nothing")
    assert provider_404.status_code == 404 and "demo_error" in provider_404.json()


def test_clock_read_and_advance_by_duration(demo_client):
    assert demo_client.get("/_sim/clock").json()["now"] == "2025-01-01T00:00:00Z"
    moved = demo_client.post("/_sim/clock/advance", json={"duration": "15m"}).json()
    assert moved["now"] == "2025-01-01T00:15:00Z"
    tenant = demo_client.post("/_sim/clock/advance", json={"seconds": 60, "tenant": "k"}).json()
    assert tenant["now"] == "2025-01-01T00:16:00Z"
    assert demo_client.get("/_sim/clock").json()["now"] == "2025-01-01T00:15:00Z"


def test_request_journal_records_provider_calls(demo_client):
    demo_client.post("/demo/widgets", json={"external_id": "x"}, headers={"Authorization": "tenant-a"})
    demo_client.get("/demo/widgets/nope", headers={"Authorization": "tenant-b"})
    entries = demo_client.get("/_sim/requests").json()["data"]
    assert [(e["method"], e["status"]) for e in entries] == [("GET", 404), ("POST", 201)]
    assert entries[1]["scenario"] == "widget-default" and '"external_id":"x"' in entries[1]["request_body"]
    only_a = demo_client.get("/_sim/requests", params={"tenant": "tenant-a"}).json()["data"]
    assert len(only_a) == 1 and only_a[0]["tenant"] == "…nt-a"  # credentials are masked where shown


def test_webhook_attempts_are_logged_and_replayable(demo_app, demo_client):
    import http.server
    import threading

    received = []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            received.append((self.headers["X-Demo-Signature"], self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        demo_app.state.sim.dispatcher.add_endpoint("demo", f"http://127.0.0.1:{server.server_port}/", secret="s")
        demo_client.post("/demo/widgets", json={}, headers={"Authorization": "k", "X-KycSim-Scenario": "widget-failed"})
        demo_client.post("/_sim/clock/advance", json={"seconds": 5})
        attempts = demo_client.get("/_sim/webhooks").json()["data"]
        assert [(a["event_type"], a["status_code"]) for a in attempts] == [("widget_failed", 200)]
        replay = demo_client.post(f"/_sim/webhooks/{attempts[0]['delivery_id']}/replay", json={})
        assert replay.status_code == 201 and replay.json()["replay"] is True
        assert len(received) == 2 and received[0] == received[1]
    finally:
        server.shutdown()


def test_dashboard_is_served(demo_client):
    page = demo_client.get("/_sim/ui/")
    assert page.status_code == 200 and "<title>kycsim dashboard</title>" in page.text
    assert demo_client.get("/_sim/ui", follow_redirects=False).status_code == 307


def test_unmatched_paths_get_the_envelope_of_the_provider_that_owns_the_prefix():
    from starlette.testclient import TestClient

    from simulator.app import create_app
    from simulator.settings import Settings

    with TestClient(create_app(Settings(seed=1, speed="manual"))) as client:
        sumsub = client.get("/websdk/no-such-page")
        assert sumsub.status_code == 404 and "correlationId" in sumsub.json()
        checkout = client.get("/no-such-resource", headers={"Authorization": "Bearer sk_sbox_x"})
        assert checkout.status_code == 404 and "correlationId" not in checkout.text
        assert client.get("/_sim/nothing").json()["error"]["type"] == "not_found"


@pytest.mark.parametrize(
    "body",
    [
        b'{"seconds": NaN}',
        b'{"seconds": Infinity}',
        b'{"seconds": -Infinity}',
        b'{"seconds": 1e12}',
        b'{"seconds": 1e308}',
        b'{"seconds": 99999999999999999999}',
        b'{"seconds": -1}',
        b'{"seconds": "1"}',
        b'{"seconds": true}',
        b'{"seconds": [60]}',
        b'{"duration": "99999999999d"}',
        b'{"duration": "1e400"}',
        b'{"duration": {"s": 1}}',
        b'{"seconds": 60, "tenant": ["a"]}',
        b'{"seconds": 60, "tenant": {"a": 1}}',
        b'{"seconds": 1e12, "tenant": "k"}',
    ],
)
def test_no_clock_move_breaks_the_clock(demo_client, body):
    before = demo_client.get("/_sim/clock").json()
    response = demo_client.post("/_sim/clock/advance", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["type"] == "invalid_request"
    assert demo_client.get("/_sim/clock").json() == before
    widget = demo_client.post("/demo/widgets", json={"external_id": "w"}, headers={"Authorization": "k"})
    assert widget.status_code == 201  # every tenant still gets answers
    assert demo_client.post("/_sim/clock/advance", json={"seconds": 60}).status_code == 200


def test_a_refused_binding_leaves_the_list_readable(demo_client):
    for body in (
        b'{"scenario": "widget-failed", "match": {"external_id": NaN}}',
        b'{"scenario": "widget-failed", "match": {"external_id": "\\ud800"}}',
        b'{"scenario": "widget-failed", "match": {"external_id": {"a": [1]}}}',
        b'{"scenario": "widget-failed", "match": {"external_id": "e"}, "times": 1e300}',
        b'{"scenario": "widget-failed", "match": {"external_id": "e"}, "tenant": 5}',
    ):
        response = demo_client.post("/_sim/bindings", content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 400, (body, response.text)
    listed = demo_client.get("/_sim/bindings")
    assert listed.status_code == 200 and listed.json()["count"] == 0
