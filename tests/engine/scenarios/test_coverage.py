"""Coverage derived by the engine from the effects verbs declare."""

from __future__ import annotations

from simulator.engine.scenarios.coverage import produced
from simulator.engine.scenarios.model import EffectContext, Scenario, Step, Verb


async def _nothing(step) -> None:
    pass


def _counting(ctx: EffectContext) -> dict[str, set[str]]:
    """Effects that depend on what came before in the same scenario (the scratch model)."""
    ctx.model["n"] = ctx.model.get("n", 0) + 1
    return {"count": {str(ctx.model["n"])}, f"{ctx.product}.status": {ctx.args.get("to", "moved")}}


VERBS = {
    "move": Verb("move", _nothing, "moves", effects=_counting),
    "noop": Verb("noop", _nothing, "declares nothing"),
}


def scenario(*steps: Step, product: str = "widget") -> Scenario:
    return Scenario("s", "demo", product, "", tuple(steps))


def test_creation_steps_and_signals_merge_in_order():
    played = scenario(
        Step(0, do="move", args={"to": "a"}), Step(0, wait="poke"), Step(0, do="noop"), Step(0, do="move")
    )
    result = produced(
        played,
        VERBS,
        created=lambda ctx: {f"{ctx.product}.status": {"created"}, "empty": set()},
        signals={"poke": lambda ctx: {"signal": {"poked"}}},
    )
    assert result == {
        "widget.status": {"created", "a", "moved"},
        "empty": set(),
        "count": {"1", "2"},
        "signal": {"poked"},
    }


def test_the_scratch_model_is_one_scenarios_own():
    one = produced(scenario(Step(0, do="move")), VERBS)
    assert produced(scenario(Step(0, do="move")), VERBS) == one == {"count": {"1"}, "widget.status": {"moved"}}


def test_values_are_wire_strings_and_unknown_waits_produce_nothing():
    codes = {"code": Verb("code", _nothing, "", effects=lambda ctx: {"codes": {10000, 62304}})}
    assert produced(scenario(Step(0, do="code"), Step(0, wait="never")), codes) == {"codes": {"10000", "62304"}}
