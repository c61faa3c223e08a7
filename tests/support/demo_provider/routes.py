"""The demo's route table and its two handlers."""

from __future__ import annotations

from typing import Any

from simulator.engine.scenarios.selection import SelectionError, select
from simulator.toolkit.routes import Call, Operation
from tests.support.demo_provider.control import set_widget_status
from tests.support.demo_provider.errors import DemoError
from tests.support.demo_provider.state import PRODUCT


async def create_widget(call: Call) -> dict[str, Any]:
    state, sim = call.state, call.sim
    widget_id = state.prefixed("wdg")
    facts = {"widget_id": widget_id, "external_id": call.body.get("external_id"), "email": call.body.get("email")}
    try:
        selection = select(
            sim.catalogue,
            sim.bindings,
            tenant=call.tenant,
            provider="demo",
            product=PRODUCT,
            default=call.provider.default_scenarios[PRODUCT],
            facts=facts,
            header=call.request.headers.get("x-kycsim-scenario"),
            convention=lambda f: call.provider.sandbox_convention(PRODUCT, f),
        )
    except SelectionError as exc:
        raise DemoError(422, str(exc)) from None
    widget = {
        "id": widget_id,
        "status": "created",
        "created_on": state.timestamp(),
        "scenario": selection.scenario.name,
        "rule": selection.rule_name,
        "owner": state.person("FR").full_name,
    }
    state.save_widget(widget)
    call.mark_scenario(selection.scenario.name)
    sim.runner.start(call.tenant, selection.scenario, {"widget_id": widget_id}, run_id=widget_id)
    return widget


async def get_widget(call: Call) -> dict[str, Any]:
    widget = call.state.widget(call.params["widget_id"])
    if widget is None:
        raise DemoError(404, "not found")
    return widget


OPERATIONS = [
    Operation(
        "POST",
        "/demo/widgets",
        create_widget,
        "create_widget",
        request="widget.create.request",
        response="widget",
        status=201,
    ),
    Operation("GET", "/demo/widgets/{widget_id}", get_widget, "get_widget", response="widget"),
    # Its control call (control.py), under /_sim/demo/: outside the pipeline, behind the control guard
    Operation("POST", "/_sim/demo/widgets/{widget_id}/status", set_widget_status, "sim_set_widget_status", plain=True),
]
