"""A tiny provider for engine and control tests: widgets with a status, driven by scenarios.

It exists so the engine can be tested without either real provider, the way Starlette's
tests build a tiny app inline.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from simulator.engine.clock import isoformat
from simulator.engine.scenarios.model import APPLICANT, StepContext, Verb
from simulator.engine.scenarios.selection import SelectionError, select
from simulator.providers.base import Provider

KIND = "widgets"


class DemoProfile:
    retry_schedule = (60.0, 600.0)
    timeout = 2.0

    def sign(self, body: bytes, endpoint) -> dict[str, str]:
        return {"X-Demo-Signature": hmac.new((endpoint.secret or "").encode(), body, hashlib.sha256).hexdigest()}


class DemoProvider(Provider):
    name = "demo"
    products = ("widget",)
    default_scenarios = {"widget": "widget-default"}

    def owns_path(self, path: str) -> bool:
        return path.startswith("/demo")

    def error_response(self, request: Request, status: int, message: str) -> Response:
        return JSONResponse({"demo_error": message}, status_code=status)

    def routes(self):
        return [
            Route("/demo/widgets", self.create_widget, methods=["POST"]),
            Route("/demo/widgets/{widget_id}", self.get_widget, methods=["GET"]),
        ]

    def verbs(self):
        return {
            "set_status": Verb(
                "set_status",
                self._set_status,
                "set the widget's status",
                schema={
                    "type": "object",
                    "required": ["status"],
                    "additionalProperties": False,
                    "properties": {"status": {"enum": ["started", "done", "failed"]}},
                },
            ),
            "open": Verb("open", self._open, "the applicant opens the widget", actor=APPLICANT),
        }

    def sandbox_convention(self, product, facts):
        return "widget-failed" if str(facts.get("external_id", "")).startswith("magic_fail") else None

    def webhook_profile(self):
        return DemoProfile()

    def coverage_targets(self):
        return {"widget.status": {"created", "started", "done", "failed"}}

    def produces(self, scenario):
        return {"widget.status": {"created"} | {s.args["status"] for s in scenario.steps if s.do == "set_status"}}

    # Handlers

    async def create_widget(self, request: Request) -> Response:
        sim = self.sim
        tenant = request.headers.get("authorization", "anonymous")
        request.state.tenant, request.state.provider = tenant, self.name
        body = json.loads(await request.body() or b"{}")
        widget_id = sim.ids.prefixed("wdg", tenant)
        facts = {"widget_id": widget_id, "external_id": body.get("external_id"), "email": body.get("email")}
        try:
            selection = select(
                sim.catalogue,
                sim.bindings,
                tenant=tenant,
                provider=self.name,
                product="widget",
                default=self.default_scenarios["widget"],
                facts=facts,
                header=request.headers.get("x-kycsim-scenario"),
                convention=lambda f: self.sandbox_convention("widget", f),
            )
        except SelectionError as exc:
            return JSONResponse({"demo_error": str(exc)}, status_code=422)
        person = sim.fake.person("FR", tenant)
        widget = {
            "id": widget_id,
            "status": "created",
            "created_on": isoformat(sim.clock.now(tenant)),
            "scenario": selection.scenario.name,
            "rule": selection.rule_name,
            "owner": person.full_name,
        }
        sim.store.put(tenant, self.name, KIND, widget_id, widget)
        request.state.scenario = selection.scenario.name
        sim.runner.start(tenant, selection.scenario, {"widget_id": widget_id}, run_id=widget_id)
        return JSONResponse(widget, status_code=201)

    async def get_widget(self, request: Request) -> Response:
        tenant = request.headers.get("authorization", "anonymous")
        widget = self.sim.store.get(tenant, self.name, KIND, request.path_params["widget_id"])
        if widget is None:
            return JSONResponse({"demo_error": "not found"}, status_code=404)
        return JSONResponse(widget)

    # Verbs

    async def _set_status(self, ctx: StepContext) -> None:
        sim = self.sim
        widget = sim.store.get(ctx.tenant, self.name, KIND, ctx.subject["widget_id"])
        widget["status"] = ctx.args["status"]
        widget["modified_on"] = isoformat(sim.clock.now(ctx.tenant))
        sim.store.put(ctx.tenant, self.name, KIND, widget["id"], widget)
        body = json.dumps({"type": f"widget_{widget['status']}", "id": widget["id"]}).encode()
        sim.dispatcher.publish(
            ctx.tenant,
            self.name,
            f"widget_{widget['status']}",
            body,
            event_id=sim.ids.prefixed("evt", ctx.tenant),
            resource=widget["id"],
        )

    async def _open(self, ctx: StepContext) -> None:
        widget = self.sim.store.get(ctx.tenant, self.name, KIND, ctx.subject["widget_id"])
        widget["opened"] = True
        self.sim.store.put(ctx.tenant, self.name, KIND, widget["id"], widget)


DEMO_SCENARIOS = Path(__file__).with_name("demo_scenarios")
