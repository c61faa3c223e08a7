"""Fixtures for the Checkout.com provider tests: an in-process app on the manual clock."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest

with warnings.catch_warnings():
    # Starlette warns at import that its TestClient still runs on httpx; not what these tests check.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from simulator.app import create_app
from simulator.providers.checkout.routes import operations
from simulator.providers.checkout.schemas import response_errors
from simulator.settings import Settings
from simulator.toolkit.routes import find

KEY = "sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e"
OTHER_KEY = "sk_sbox_otherotherotherotherotherothe"
START = "2025-01-01T00:00:00Z"


# Every successful response is checked against the response schema its route declares.
OPERATIONS = operations()


def schema_for(method: str, path: str) -> str | None:
    op = find(OPERATIONS, method, path)
    return op.response if op is not None else None


class Api:
    """A client speaking to the simulator the way an integration does, checking every response."""

    def __init__(self, client: TestClient, key: str = KEY) -> None:
        self.client = client
        self.key = key

    @property
    def sim(self) -> Any:
        return self.client.app.state.sim

    def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        status: int = 200,
        schema: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        sent = {"Authorization": f"Bearer {self.key}", **(headers or {})}
        response = self.client.request(method, path, json=json, headers=sent)
        assert response.status_code == status, response.text
        assert response.headers.get("cko-request-id"), "every response carries Cko-Request-Id"
        body = response.json() if response.content else None
        if status >= 400 and status != 401:
            assert not response_errors("error.response", body), body
            assert body["request_id"] == response.headers["cko-request-id"]
        else:
            schema = schema or schema_for(method, path)
            assert schema is not None, f"no response schema known for {method} {path}"
            assert not response_errors(schema, body), response_errors(schema, body)
        return body

    def applicant(self, **fields: Any) -> dict:
        return self.call("POST", "/applicants", json=fields, status=201, schema="applicant.response")

    def idv(self, applicant_id: str | None = None, *, scenario: str | None = None, **fields: Any) -> dict:
        applicant_id = applicant_id or self.applicant(email="hannah.bret@example.com")["id"]
        body = {"applicant_id": applicant_id, "declared_data": {"name": "Hannah Bret", "birth_date": "1994-10-15"}}
        body.update(fields)
        headers = {"X-KycSim-Scenario": scenario} if scenario else None
        return self.call(
            "POST",
            "/identity-verifications",
            json=body,
            status=201,
            schema="identity_verification.response",
            headers=headers,
        )

    def attempt(self, idv_id: str, status: int = 201, **fields: Any) -> dict:
        body = {"redirect_url": "https://merchant.example.com/back", **fields}
        schema = "attempt.response" if status == 201 else None
        return self.call("POST", f"/identity-verifications/{idv_id}/attempts", json=body, status=status, schema=schema)

    def get_idv(self, idv_id: str) -> dict:
        return self.call("GET", f"/identity-verifications/{idv_id}", schema="identity_verification.response")

    def get_attempt(self, idv_id: str, attempt_id: str) -> dict:
        return self.call("GET", f"/identity-verifications/{idv_id}/attempts/{attempt_id}", schema="attempt.response")

    def advance(self, seconds: float) -> None:
        response = self.client.post("/_sim/clock/advance", json={"seconds": seconds})
        assert response.status_code == 200, response.text

    def events(self, resource: str | None = None) -> list[str]:
        return [e.type for e in self.sim.dispatcher.events if resource is None or e.resource == resource]


def make_app(**settings: Any) -> Any:
    return create_app(Settings(**{"seed": 1, "speed": "manual", "start_time": START, **settings}))


@pytest.fixture
def make_api() -> Iterator[Any]:
    """``make_api(applicant="interactive")``: an Api on a fresh app with other settings."""
    opened: list[TestClient] = []

    def factory(key: str = KEY, **settings: Any) -> Api:
        test_client = TestClient(make_app(**settings))
        test_client.__enter__()
        opened.append(test_client)
        return Api(test_client, key)

    yield factory
    for test_client in opened:
        test_client.__exit__(None, None, None)


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(make_app()) as test_client:
        yield test_client


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


@pytest.fixture
def other(client: TestClient) -> Api:
    return Api(client, OTHER_KEY)


@pytest.fixture(scope="session")
def checkout_sdk_node():
    """``node_modules`` holding the official ``checkout-sdk-node`` (skips where Node.js or npm is missing)."""
    from tests.support.node import node_modules

    return node_modules("checkout-sdk-node", ["checkout-sdk-node@5"])
