"""``POST /_sim/reset``: a global reset starts over (the clock rewinds); a tenant's reset touches only it."""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from simulator.app import create_app
from simulator.settings import Settings

KEY = {"Authorization": "Bearer sk_sbox_resetresetresetresetresetre"}
OTHER = {"Authorization": "Bearer sk_sbox_otherotherotherotherotherot"}


def _story(client: TestClient) -> list[dict]:
    """The same calls each time: an applicant, an IDV played for a while, a binding, an endpoint."""
    applicant = client.post("/applicants", json={"email": "ann+idv-approved@example.com"}, headers=KEY).json()
    idv = client.post(
        "/identity-verifications",
        json={"applicant_id": applicant["id"], "declared_data": {"name": "Ann Lee"}},
        headers=KEY,
    ).json()
    attempt = {"redirect_url": "https://app.example.com/done"}
    client.post(f"/identity-verifications/{idv['id']}/attempts", json=attempt, headers=KEY)
    advanced = client.post("/_sim/clock/advance", json={"seconds": 600}).json()
    binding = client.post("/_sim/bindings", json={"scenario": "idv-approved", "match": {"email": "x@example.com"}})
    endpoint = client.post(
        "/_sim/webhooks/endpoints", json={"provider": "checkout", "url": "http://127.0.0.1:9/h", "all_tenants": True}
    )
    events = client.get("/_sim/webhooks/events").json()["data"]
    return [
        applicant,
        client.get(f"/identity-verifications/{idv['id']}", headers=KEY).json(),
        advanced,
        binding.json(),
        endpoint.json(),
        [(e["type"], e["created_at"], e["body"]) for e in events],
    ]


def test_a_global_reset_rewinds_the_clock_so_the_same_calls_give_the_same_bodies():
    app = create_app(Settings(seed=7, speed="manual"))
    with TestClient(app) as client:
        first = _story(client)
        assert first[1]["status"] == "approved"
        assert client.post("/_sim/reset", json={}).json() == {"reset": "all"}
        assert client.get("/_sim/clock").json()["elapsed_seconds"] == 0
        assert _story(client) == first


def test_a_tenant_reset_leaves_the_shared_clock_and_other_tenants_alone():
    app = create_app(Settings(seed=7, speed="manual"))
    with TestClient(app) as client:
        client.post("/_sim/clock/advance", json={"seconds": 100})
        client.post("/_sim/clock/advance", json={"seconds": 50, "tenant": OTHER["Authorization"][7:]})
        mine = client.post("/applicants", json={"email": "a@example.com"}, headers=KEY).json()
        client.post("/_sim/reset", json={"tenant": KEY["Authorization"][7:]})
        assert client.get(f"/applicants/{mine['id']}", headers=KEY).status_code == 404
        assert client.get("/_sim/clock").json()["elapsed_seconds"] == 100
        assert client.get("/_sim/clock", params={"tenant": OTHER["Authorization"][7:]}).json()["elapsed_seconds"] == 150


def test_a_tenants_reset_forgets_its_clock_across_a_restart_too(tmp_path):
    settings = Settings(
        seed=3, speed="manual", start_time="2025-01-01T00:00:00Z", store=f"sqlite:///{tmp_path / 'k.db'}"
    )
    reset, kept = KEY["Authorization"].removeprefix("Bearer "), OTHER["Authorization"].removeprefix("Bearer ")
    with TestClient(create_app(settings)) as client:
        for tenant in (reset, kept):
            client.post("/_sim/clock/advance", json={"seconds": 3600, "tenant": tenant})
        client.post("/_sim/reset", json={"tenant": reset})
        tenants = client.get("/_sim/tenants").json()["data"]
    assert len(tenants) == 1, "a clock that moved is state of its tenant; a reset one is none"
    with TestClient(create_app(settings)) as client:
        assert client.get("/_sim/clock", params={"tenant": reset}).json()["elapsed_seconds"] == 0
        assert client.get("/_sim/clock", params={"tenant": kept}).json()["elapsed_seconds"] == 3600
        assert client.get("/_sim/tenants").json()["data"] == tenants
