"""The demo's scenario verbs, each with its effects."""

from __future__ import annotations

from typing import Any

from simulator.engine.scenarios.model import APPLICANT, EffectContext, StepContext
from simulator.toolkit.verbs import VerbTable
from tests.support.demo_provider import webhooks
from tests.support.demo_provider.state import DemoState

VERBS = VerbTable()
STATUSES = ("started", "done", "failed")


def status_effects(ctx: EffectContext) -> dict[str, set[str]]:
    return {"widget.status": {ctx.args["status"]}}


@VERBS.verb(
    "set_status",
    "set the widget's status",
    schema={
        "type": "object",
        "required": ["status"],
        "additionalProperties": False,
        "properties": {"status": {"enum": list(STATUSES)}},
    },
    effects=status_effects,
)
async def set_status(state: DemoState, step: StepContext) -> None:
    widget = state.widget(step.subject["widget_id"])
    assert widget is not None
    change_status(state, widget, step.args["status"])


def change_status(state: DemoState, widget: dict[str, Any], status: str) -> None:
    """The one way a widget's status moves (a scenario step, or the control call): saved, then its event."""
    widget["status"] = status
    widget["modified_on"] = state.timestamp()
    state.save_widget(widget)
    webhooks.publish(state, widget)


@VERBS.verb("open", "the applicant opens the widget", actor=APPLICANT)
async def open_widget(state: DemoState, step: StepContext) -> None:
    widget = state.widget(step.subject["widget_id"])
    assert widget is not None
    widget["opened"] = True
    state.save_widget(widget)
