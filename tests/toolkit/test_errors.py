"""One error base, rendered in one place: each provider's envelope, and the base's defaults.

A routing error (no route, another method) is rendered outside any operation, so the error class
is what says whose answer it is: the request journal files it under that provider. Checked on
the demo provider and on both real ones, against their documented envelopes (Checkout.com:
``request_id`` in the body and in ``Cko-Request-Id``; Sumsub: ``description``, ``code``,
``correlationId``). Then the base's defaults, on an error class that sets nothing but its body.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from simulator.app import create_app
from simulator.toolkit.errors import ProviderError
from simulator.toolkit.routes import Call, Operation
from tests.conftest import demo_settings
from tests.providers.checkout.conftest import KEY, make_app
from tests.providers.sumsub.conftest import sumsub_settings
from tests.support.demo_provider import DemoProvider, routes


def journalled(client: TestClient, path: str) -> list[tuple[int, str | None]]:
    return [(r["status"], r["provider"]) for r in client.get("/_sim/requests", params={"path": path}).json()["data"]]


def test_a_demo_routing_error_is_the_demos_envelope_filed_under_demo():
    with TestClient(create_app(demo_settings(), providers={"demo": DemoProvider()})) as client:
        response = client.get("/demo/nowhere")
        assert (response.status_code, response.json()) == (404, {"demo_error": "Not Found"})
        assert journalled(client, "/demo/nowhere") == [(404, "demo")]


def test_a_checkout_routing_error_carries_its_request_id_in_the_body_and_the_header():
    with TestClient(make_app()) as client:
        response = client.get("/identity-verifications/nowhere/at/all", headers={"Authorization": f"Bearer {KEY}"})
        body = response.json()
        assert response.status_code == 404
        assert set(body) == {"request_id", "error_type", "error_codes"}
        assert body["error_type"] == "resource_not_found"
        assert response.headers["Cko-Request-Id"] == body["request_id"]
        assert journalled(client, "/identity-verifications/nowhere") == [(404, "checkout")]


def test_a_sumsub_routing_error_is_sumsubs_envelope_filed_under_sumsub():
    with TestClient(create_app(sumsub_settings())) as client:
        response = client.request("DELETE", "/resources/applicants")
        body = response.json()
        assert response.status_code == 405
        assert list(body) == ["description", "code", "correlationId"] and body["code"] == 405
        assert journalled(client, "/resources/applicants") == [(405, "sumsub")]


# The base's defaults: a provider error class that sets only its body.


class BareError(ProviderError):
    """Names no provider and no status, draws no id, adds no header."""

    def envelope(self, error_id: str | None) -> dict[str, Any]:
        return {"bare": self.message, "id": error_id}

    @classmethod
    def for_status(cls, status: int, message: str) -> BareError:
        error = cls(message)
        error.status = status
        return error


async def fail_bare(call: Call) -> dict[str, Any]:
    raise BareError()


class BareProvider(DemoProvider):
    error = BareError

    def operations(self) -> list[Operation]:
        return [*routes.OPERATIONS, Operation("GET", "/demo/bare", fail_bare, "bare")]


@pytest.fixture
def bare() -> TestClient:
    with TestClient(create_app(demo_settings(), providers={"demo": BareProvider()})) as client:
        yield client


def test_an_error_that_says_no_status_is_a_500_with_an_empty_message_no_id_and_no_extra_header(bare):
    response = bare.get("/demo/bare")
    assert (response.status_code, response.json()) == (500, {"bare": "", "id": None})
    assert set(response.headers) == {"content-length", "content-type"}


def test_a_routing_error_of_a_class_that_names_no_provider_is_filed_under_none(bare):
    response = bare.get("/demo/nowhere")
    assert (response.status_code, response.json()) == (404, {"bare": "Not Found", "id": None})
    assert journalled(bare, "/demo/nowhere") == [(404, None)]
    bare.get("/demo/bare")  # inside an operation the pipeline has named the provider already
    assert journalled(bare, "/demo/bare") == [(500, "demo")]
