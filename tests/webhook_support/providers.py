"""Two tiny providers for webhook tests, so the engine is tested without the real ones.

``hooks`` signs with hex HMAC-SHA256 in ``X-Hook-Signature`` and retries after 5m, 10m, 30m;
``digest`` signs Sumsub-style, the algorithm chosen by the endpoint's ``alg`` option.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from simulator.app import create_app
from simulator.engine.scenarios.model import StepContext, Verb
from simulator.providers.base import Provider
from simulator.settings import Settings

SCENARIOS = Path(__file__).with_name("scenarios")
HOOK_RETRIES = (300.0, 600.0, 1800.0)
ALGORITHMS = {"HMAC_SHA1_HEX": hashlib.sha1, "HMAC_SHA256_HEX": hashlib.sha256, "HMAC_SHA512_HEX": hashlib.sha512}


def hook_signature(secret: str | None, body: bytes) -> str:
    return hmac.new((secret or "").encode(), body, hashlib.sha256).hexdigest()


def digest(secret: str | None, body: bytes, alg: str) -> str:
    return hmac.new((secret or "").encode(), body, ALGORITHMS[alg]).hexdigest()


class HookProfile:
    retry_schedule = HOOK_RETRIES
    timeout = 2.0

    def sign(self, body: bytes, endpoint) -> dict[str, str]:
        return {"X-Hook-Signature": hook_signature(endpoint.secret, body)}


class DigestProfile:
    retry_schedule = (60.0,)
    timeout = 2.0

    def sign(self, body: bytes, endpoint) -> dict[str, str]:
        alg = endpoint.options.get("alg", "HMAC_SHA256_HEX")
        return {"X-Payload-Digest": digest(endpoint.secret, body, alg), "X-Payload-Digest-Alg": alg}


def _tenant(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    return auth.removeprefix("Bearer ").strip() or "t1"


class HookProvider(Provider):
    name = "hooks"
    products = ("thing",)
    default_scenarios = {"thing": "thing-happy"}

    def owns_path(self, path: str) -> bool:
        return path.startswith("/hooks")

    def error_response(self, request: Request, status: int, message: str) -> Response:
        return JSONResponse({"hooks_error": message}, status_code=status)

    def webhook_profile(self) -> HookProfile:
        return HookProfile()

    def routes(self):
        return [
            Route("/hooks/things", self.create_thing, methods=["POST"]),
            Route("/hooks/things/{thing_id}", self.get_thing, methods=["GET"]),
            Route("/hooks/ping", self.ping, methods=["POST"]),
        ]

    def verbs(self):
        return {
            "set_status": Verb(
                "set_status",
                self.set_status,
                "the thing moves to a status and an event says so",
                schema={
                    "type": "object",
                    "required": ["status"],
                    "properties": {"status": {"type": "string"}},
                    "additionalProperties": False,
                },
            )
        }

    # Handlers

    async def create_thing(self, request: Request) -> Response:
        sim = self.sim
        tenant = _tenant(request)
        request.state.tenant, request.state.provider = tenant, self.name
        name = request.headers.get("x-kycsim-scenario") or self.default_scenarios["thing"]
        scenario = sim.catalogue.get(name)
        if scenario is None:
            return JSONResponse({"hooks_error": f"no scenario {name}"}, status_code=422)
        request.state.scenario = scenario.name
        thing = {"id": sim.ids.prefixed("thg", tenant), "status": "created"}
        sim.store.put(tenant, self.name, "things", thing["id"], thing)
        self.emit(tenant, thing, "thing.created", scenario=None)  # request.state.scenario says which
        sim.runner.start(tenant, scenario, {"thing_id": thing["id"]})
        return JSONResponse(thing, status_code=201)

    async def get_thing(self, request: Request) -> Response:
        thing = self.sim.store.get(_tenant(request), self.name, "things", request.path_params["thing_id"])
        return JSONResponse(thing) if thing else JSONResponse({"hooks_error": "not found"}, status_code=404)

    async def ping(self, request: Request) -> Response:
        tenant = _tenant(request)
        body = json.dumps({"id": self.sim.ids.prefixed("evt", tenant), "type": "ping"}).encode()
        self.sim.dispatcher.publish(tenant, self.name, "ping", body, event_id=json.loads(body)["id"])
        return JSONResponse({"ok": True}, status_code=202)

    # Verbs and events

    async def set_status(self, ctx: StepContext) -> None:
        thing = self.sim.store.get(ctx.tenant, self.name, "things", ctx.subject["thing_id"])
        thing["status"] = ctx.args["status"]
        self.sim.store.put(ctx.tenant, self.name, "things", thing["id"], thing)
        # No scenario= here: the dispatcher knows which scenario's step is running.
        self.emit(ctx.tenant, thing, f"thing.{thing['status']}", scenario=None)

    def emit(self, tenant: str, thing: dict, event_type: str, *, scenario) -> None:
        event_id = self.sim.ids.prefixed("evt", tenant)
        body = json.dumps({"id": event_id, "type": event_type, "data": dict(thing)}).encode()
        self.sim.dispatcher.publish(
            tenant, self.name, event_type, body, event_id=event_id, resource=thing["id"], scenario=scenario
        )

    # kycsim trigger

    def trigger(self, http, scenario, record):
        tenant = "trigger-tenant"
        response = http.post(
            "/hooks/things", headers={"Authorization": f"Bearer {tenant}", "X-KycSim-Scenario": scenario.name}
        )
        record("call", f"POST /hooks/things -> {response.status_code}")
        return {"thing_id": response.json()["id"], "tenant": tenant}


class DigestProvider(Provider):
    name = "digest"
    products = ("doc",)

    def owns_path(self, path: str) -> bool:
        return path.startswith("/digest")

    def error_response(self, request: Request, status: int, message: str) -> Response:
        return JSONResponse({"digest_error": message}, status_code=status)

    def webhook_profile(self) -> DigestProfile:
        return DigestProfile()

    def routes(self):
        return [Route("/digest/docs", self.create_doc, methods=["POST"])]

    async def create_doc(self, request: Request) -> Response:
        tenant = _tenant(request)
        doc_id = self.sim.ids.hex(24, tenant)
        body = json.dumps({"applicantId": doc_id, "type": "applicantReviewed"}).encode()
        self.sim.dispatcher.publish(tenant, self.name, "applicantReviewed", body, event_id=doc_id, resource=doc_id)
        return JSONResponse({"id": doc_id}, status_code=201)


def hook_settings(**overrides) -> Settings:
    values = {
        "seed": 7,
        "speed": "manual",
        "bundled": False,
        "scenarios": [str(SCENARIOS)],
        "start_time": "2025-01-01T00:00:00Z",
    }
    values.update(overrides)
    return Settings(**values)


def fake_providers() -> dict[str, Provider]:
    return {"hooks": HookProvider(), "digest": DigestProvider()}


def hook_app(**overrides):
    return create_app(hook_settings(**overrides), providers=fake_providers())
