"""Fixtures: a bundled-scenario simulator on a manual clock, reached through signed clients."""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient

from simulator.app import create_app
from simulator.providers.sumsub.media import png
from simulator.providers.sumsub.routes import operations
from simulator.settings import Settings
from simulator.toolkit.routes import find
from tests.providers.sumsub.support import SumsubAuth, assert_valid


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


OPERATIONS = operations()


def assert_follows_its_schema(method: str, url: str, response) -> None:
    """A successful JSON answer matches the response schema its route declares."""
    op = find(OPERATIONS, method, url)
    if op is None or op.response is None or response.status_code >= 300:
        return
    if response.headers.get("content-type", "").startswith("application/json"):
        assert_valid(op.response, response.json())


class Signed:
    """The test client, signing each request like Sumsub's Python example (``raw`` stays unsigned).

    Every successful answer is checked against the response schema of its route."""

    def __init__(self, client: TestClient, auth: SumsubAuth | None = None) -> None:
        self.client = client
        self.auth = auth or SumsubAuth()
        self.app = client.app

    def request(self, method: str, url: str, **kwargs):
        response = self.client.request(method, url, auth=self.auth, **kwargs)
        assert_follows_its_schema(method, url, response)
        return response

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

    def hand_off(self, applicant: dict, action: dict | None = None) -> str:
        """Issue an access token for the applicant's user (and the action): the person has the flow, and
        in ``auto`` mode the scenario plays them."""
        body = {"userId": applicant["externalUserId"], "levelName": applicant["review"]["levelName"]}
        if action is not None:
            body.update(externalActionId=action["externalActionId"], levelName=action["review"]["levelName"])
        response = self.client.post("/resources/accessTokens/sdk", json=body)
        assert response.status_code == 200, response.text
        return response.json()["token"]

    def played_applicant(self, scenario: str | None = None, **body) -> dict:
        """An applicant made by API and handed to the simulated person at once."""
        applicant = self.applicant(scenario, **body)
        self.hand_off(applicant)
        return applicant

    def played_action(self, applicant: dict, scenario: str | None = None, **body) -> dict:
        action = self.action(applicant["id"], scenario, **body)
        self.hand_off(applicant, action)
        return action

    def upload(
        self, subject_id: str, id_doc_type: str, *, action: bool = False, file_name: str = "doc.png", **metadata
    ):
        """Upload a small real PNG (``metadata`` adds ``idDocSubType``, ``country``...); returns the response."""
        self.count += 1
        meta = json.dumps({"idDocType": id_doc_type, "country": "GBR", **metadata})
        files = {"metadata": (None, meta), "content": (file_name, png(self.count), "image/png")}
        url = (
            f"/resources/applicantActions/{subject_id}/images"
            if action
            else f"/resources/applicants/{subject_id}/info/idDoc"
        )
        return self.client.post(url, files=files)

    def documents(self, applicant_id: str, passport: str = "passport.png", selfie: str = "selfie.png") -> None:
        """What an API-only integration uploads before its request check: a passport and a selfie."""
        for id_doc_type, name in (("PASSPORT", passport), ("SELFIE", selfie)):
            response = self.upload(applicant_id, id_doc_type, file_name=name)
            assert response.status_code == 200, response.text

    def request_check(self, applicant_id: str) -> None:
        response = self.client.post(f"/resources/applicants/{applicant_id}/status/pending")
        assert response.status_code == 200 and response.json() == {"ok": 1}, response.text

    def advance(self, seconds: float) -> dict:
        response = self.client.client.post("/_sim/clock/advance", json={"seconds": seconds})
        assert response.status_code == 200, response.text
        return response.json()

    def events(self, sim, resource: str | None = None) -> list[str]:
        return [e.type for e in sim.dispatcher.events if resource is None or e.resource == resource]


@pytest.fixture
def flow(api) -> Flow:
    return Flow(api)
