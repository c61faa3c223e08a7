"""The request pipeline on a tiny provider built inline: auth, body, schema, handler, envelope."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.testclient import TestClient

from simulator.app import create_app
from simulator.bodies import BodyError, BodyTooLarge, NotAnObject, UnsupportedMediaType
from simulator.providers.base import Provider
from simulator.settings import Settings
from simulator.toolkit.errors import ProviderError
from simulator.toolkit.routes import Call, Operation, build_routes, find
from simulator.toolkit.schemas import SchemaRegistry
from simulator.toolkit.state import TenantState


class TinyError(ProviderError):
    provider = "tiny"

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status

    def envelope(self, error_id: str | None) -> Any:
        return None if self.status == 401 else {"oops": self.message, "id": error_id}

    @classmethod
    def error_id(cls, request: Request) -> str:
        return "err-1"

    @classmethod
    def headers(cls, error_id: str | None) -> dict[str, str]:
        return {"X-Tiny-Error": error_id or ""}

    @classmethod
    def for_status(cls, status: int, message: str) -> TinyError:
        return cls(status, f"routing: {message}")

    @classmethod
    def from_body(cls, error: BodyError, op: Operation | None = None) -> TinyError:
        kind = type(error).__name__
        return cls(error.status, f"{kind}{' upload' if op is not None and op.upload else ''}")

    @classmethod
    def invalid(cls, op: Operation | None, schema: str, errors: list) -> TinyError:
        return cls(422, f"{schema}: " + "; ".join(e.message for e in errors))

    @classmethod
    def empty_body(cls, op: Operation | None) -> TinyError:
        return cls(400, "empty")


class TinyState(TenantState):
    provider = "tiny"
    __slots__ = ()


async def create(call: Call) -> dict[str, Any]:
    thing = call.state.put("things", {"id": call.state.prefixed("thg"), **call.body})
    return thing


async def get(call: Call) -> dict[str, Any]:
    found = call.state.get("things", call.params["thing_id"])
    if found is None:
        raise TinyError(404, "no such thing")
    return found


async def deferred(call: Call) -> dict[str, Any]:
    if call.query.get("first") != "yes":
        raise TinyError(400, "first things first")
    return {"read": await call.json()}


async def whoami(call: Call) -> Response:
    return PlainTextResponse(call.tenant)


async def plain(request: Request) -> Response:
    return PlainTextResponse(json.dumps(request.scope["state"], sort_keys=True))


class Tiny(Provider):
    name = "tiny"
    error = TinyError
    state_class = TinyState
    json_required = True

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.schemas = SchemaRegistry(folder, "tiny")

    def operations(self) -> list[Operation]:
        return [
            Operation("POST", "/tiny/things", create, "create_thing", request="thing", status=201),
            Operation("GET", "/tiny/things/{thing_id}", get, "get_thing", response="thing"),
            Operation("POST", "/tiny/deferred", deferred, "deferred", request="thing", deferred=True),
            Operation("POST", "/tiny/upload", deferred, "upload", upload=True, deferred=True),
            Operation("GET", "/tiny/open", whoami, "open", auth=False),
            Operation("GET", "/tiny/plain", plain, "plain", plain=True),
        ]

    async def authenticate(self, request: Request, op: Operation) -> str:
        key = request.headers.get("x-key")
        if not key:
            raise TinyError(401, "who are you")
        return key

    def owns_path(self, path: str) -> bool:
        return path.startswith("/tiny")


@pytest.fixture
def client(tmp_path):
    (tmp_path / "thing.json").write_text(
        json.dumps(
            {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
            }
        )
    )
    settings = Settings(seed=3, speed="manual", bundled=False, start_time="2025-01-01T00:00:00Z")
    with TestClient(create_app(settings, providers={"tiny": Tiny(tmp_path)})) as test_client:
        test_client.headers["x-key"] = "k1"
        yield test_client


def test_a_valid_call_runs_the_handler_in_the_tenants_state(client):
    created = client.post("/tiny/things", json={"name": "a"})
    assert created.status_code == 201 and created.json()["id"].startswith("thg_")
    assert client.get(f"/tiny/things/{created.json()['id']}").json() == created.json()
    assert client.get(f"/tiny/things/{created.json()['id']}", headers={"x-key": "k2"}).status_code == 404


def test_errors_are_the_providers_envelope_with_its_id_and_headers(client):
    missing = client.get("/tiny/things/nope")
    assert (missing.status_code, missing.json(), missing.headers["x-tiny-error"]) == (
        404,
        {"oops": "no such thing", "id": "err-1"},
        "err-1",
    )
    unauthorised = client.get("/tiny/things/nope", headers={"x-key": ""})
    assert unauthorised.status_code == 401 and unauthorised.content == b""
    assert client.get("/tiny/nowhere").json()["oops"].startswith("routing: ")


@pytest.mark.parametrize(
    ("content", "content_type", "status", "oops"),
    [
        (b"", "application/json", 400, "empty"),
        (b"{", "application/json", 400, "BodyError"),
        (b"[1]", "application/json", 400, "NotAnObject"),
        (b"name=a", "application/x-www-form-urlencoded", 415, "UnsupportedMediaType"),
        (b'{"name": 1}', "application/json", 422, "thing: 1 is not of type 'string'"),
        (b'{"name": "a", "url": "javascript:x"}', "application/json", 422, "thing: 'javascript:x' is not"),
    ],
)
def test_the_body_is_read_strictly_and_checked_against_the_schema(client, content, content_type, status, oops):
    response = client.post("/tiny/things", content=content, headers={"content-type": content_type})
    assert response.status_code == status and response.json()["oops"].startswith(oops)


def test_auth_comes_before_the_body_and_a_deferred_body_after_the_handlers_own_checks(client):
    assert client.post("/tiny/things", content=b"{", headers={"x-key": ""}).status_code == 401
    assert client.post("/tiny/deferred", content=b"{").json()["oops"] == "first things first"
    assert client.post("/tiny/deferred?first=yes", content=b"{").json()["oops"] == "BodyError"
    assert client.post("/tiny/deferred?first=yes", json={"name": "x"}).json() == {"read": {"name": "x"}}


def test_a_body_over_the_routes_cap_is_refused_before_it_is_read(client):
    client.app.state.sim.settings.max_body_bytes = 10
    response = client.post("/tiny/things", json={"name": "a" * 20})
    assert (response.status_code, response.json()["oops"]) == (413, "BodyTooLarge")
    upload = client.post("/tiny/upload?first=yes", json={"name": "a" * 20})
    assert upload.json()["read"] == {"name": "a" * 20}  # uploads have their own, larger cap


def test_operations_without_auth_and_plain_ones(client):
    assert client.get("/tiny/open", headers={"x-key": ""}).text == "tiny:anonymous"
    tags = json.loads(client.get("/tiny/plain").text)
    assert tags == {"operation": "tiny:plain", "provider": "tiny"}


def test_every_call_is_tagged_with_its_operation(client):
    client.post("/tiny/things", json={"name": "a"})
    entry = client.get("/_sim/requests").json()["data"][0]
    assert (entry["provider"], entry["operation"], entry["path"]) == ("tiny", "tiny:create_thing", "/tiny/things")


def test_operation_names_are_unique(tmp_path):
    op = Operation("GET", "/a", get, "same")
    with pytest.raises(ValueError, match="same"):
        build_routes(Tiny(tmp_path), [op, Operation("GET", "/b", get, "same")])


def test_find_routes_a_method_and_path_as_starlette_would(tmp_path):
    ops = Tiny(tmp_path).operations()
    assert find(ops, "GET", "/tiny/things/x?y=1").name == "get_thing"
    assert find(ops, "POST", "/tiny/things/x") is None


def test_body_errors_say_what_is_wrong():
    assert UnsupportedMediaType("text/plain").status == 415
    assert "text/plain" in UnsupportedMediaType("text/plain").message
    assert NotAnObject().status == 400 and BodyTooLarge(5).status == 413
