from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.webhook_support.providers import hook_app
from tests.webhook_support.receiver import Receiver

SECRET = "whsec_test"


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


@pytest.fixture
def make_client():
    clients = []

    def make(**settings) -> TestClient:
        client = TestClient(hook_app(**settings))
        clients.append(client)
        return client.__enter__()

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client):
    return make_client()


def _whose(fields: dict) -> dict:
    """Every tenant's events unless the test names one (the control API wants that said explicitly)."""
    return fields if "tenant" in fields or "all_tenants" in fields else {**fields, "all_tenants": True}


class Sim:
    """Short calls on the control API, so tests read as what they check."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def endpoint(self, url: str, provider: str = "hooks", **fields) -> dict:
        response = self.client.post(
            "/_sim/webhooks/endpoints", json={"provider": provider, "url": url, "secret": SECRET, **_whose(fields)}
        )
        assert response.status_code == 201, response.text
        return response.json()

    def advance(self, seconds: float, tenant: str | None = None) -> dict:
        body = {"seconds": seconds, **({"tenant": tenant} if tenant else {})}
        response = self.client.post("/_sim/clock/advance", json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def attempts(self, **filters) -> list[dict]:
        return self.client.get("/_sim/webhooks", params=filters).json()["data"]

    def deliveries(self, **filters) -> list[dict]:
        return self.client.get("/_sim/webhooks/deliveries", params=filters).json()["data"]

    def thing(self, scenario: str = "thing-happy", tenant: str = "t1") -> dict:
        response = self.client.post(
            "/hooks/things", headers={"Authorization": f"Bearer {tenant}", "X-KycSim-Scenario": scenario}
        )
        assert response.status_code == 201, response.text
        return response.json()

    def ping(self, tenant: str = "t1") -> None:
        assert self.client.post("/hooks/ping", headers={"Authorization": f"Bearer {tenant}"}).status_code == 202


@pytest.fixture
def sim(client) -> Sim:
    return Sim(client)
