"""Fixtures: a bundled-scenario simulator on a manual clock, reached through signed clients."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from simulator.app import create_app
from simulator.settings import Settings
from tests.providers.sumsub.support import SumsubAuth


def sumsub_settings(**overrides) -> Settings:
    values = {"seed": 7, "speed": "manual", "start_time": "2025-01-01T00:00:00Z"}
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings() -> Settings:
    return sumsub_settings()


@pytest.fixture
def app(settings):
    return create_app(settings)


@pytest.fixture
def sim(app):
    return app.state.sim


@pytest.fixture
def raw(app):
    """An unsigned client (for auth failure tests and the control API)."""
    with TestClient(app, raise_server_exceptions=True) as client:
        yield client


class Signed:
    """The test client, signing each request like Sumsub's Python example (``raw`` stays unsigned)."""

    def __init__(self, client: TestClient, auth: SumsubAuth | None = None) -> None:
        self.client = client
        self.auth = auth or SumsubAuth()
        self.app = client.app

    def request(self, method: str, url: str, **kwargs):
        return self.client.request(method, url, auth=self.auth, **kwargs)

    def get(self, url: str, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs):
        return self.request("POST", url, **kwargs)


@pytest.fixture
def api(raw) -> Signed:
    return Signed(raw)


class Flow:
    """Small verbs over the API for tests that need an applicant or an action first."""

    def __init__(self, client: Signed) -> None:
        self.client = client
        self.count = 0

    def applicant(self, scenario: str | None = None, level: str = "basic-kyc-level", **body) -> dict:
        self.count += 1
        body.setdefault("externalUserId", f"user-{self.count}")
        headers = {"X-KycSim-Scenario": scenario} if scenario else {}
        response = self.client.post(f"/resources/applicants?levelName={level}", json=body, headers=headers)
        assert response.status_code == 201, response.text
        return response.json()

    def action(
        self, applicant_id: str, scenario: str | None = None, level: str = "payment-method-level", **body
    ) -> dict:
        self.count += 1
        body.setdefault("externalActionId", f"action-{self.count}")
        if len(body) == 1:
            body["paymentMethod"] = {
                "type": "bankCard",
                "subType": "VISA",
                "data": {"requiredIdDoc": {"firstName": "John", "lastName": "Doe", "txnAmount": "100"}},
            }
        headers = {"X-KycSim-Scenario": scenario} if scenario else {}
        response = self.client.post(
            f"/resources/applicantActions/-/forApplicant/{applicant_id}?levelName={level}", json=body, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    def advance(self, seconds: float) -> dict:
        response = self.client.client.post("/_sim/clock/advance", json={"seconds": seconds})
        assert response.status_code == 200, response.text
        return response.json()

    def events(self, sim, resource: str | None = None) -> list[str]:
        return [e.type for e in sim.dispatcher.events if resource is None or e.resource == resource]


@pytest.fixture
def flow(api) -> Flow:
    return Flow(api)
