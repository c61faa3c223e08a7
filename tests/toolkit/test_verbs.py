"""Verbs declared with the toolkit: handed the tenant's state, declared once, effects kept."""

from __future__ import annotations

import asyncio

import pytest

from simulator.engine.scenarios.model import APPLICANT, Scenario, Step, StepContext
from simulator.toolkit.verbs import NO_ARGS, VerbTable


class Source:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def state(self, tenant: str) -> str:
        self.asked.append(tenant)
        return f"state of {tenant}"


def test_a_bound_verb_hands_its_handler_the_tenants_state_and_the_step():
    table, seen = VerbTable(), []

    @table.verb("poke", "pokes", actor=APPLICANT, effects=lambda ctx: {"poked": {"yes"}})
    async def poke(state: str, step: StepContext) -> None:
        seen.append((state, step.args))

    source = Source()
    verbs = table.bind(source)
    assert (verbs["poke"].actor, verbs["poke"].schema, verbs["poke"].description) == (APPLICANT, NO_ARGS, "pokes")
    assert verbs["poke"].effects is not None
    step = Step(0, do="poke", args={"hard": True})
    context = StepContext("t1", {"subject": {}}, step, Scenario("s", "p", "x", "", (step,)))
    asyncio.run(verbs["poke"].handler(context))
    assert seen == [("state of t1", {"hard": True})] and source.asked == ["t1"]


def test_a_verb_is_declared_once():
    table = VerbTable()
    table.verb("once", "")(poke_nothing)
    with pytest.raises(ValueError, match="once"):
        table.verb("once", "")(poke_nothing)


async def poke_nothing(state: object, step: StepContext) -> None:
    pass
