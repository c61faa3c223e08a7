"""What a scenario produces, derived from the effects its verbs declare.

Nothing here knows a provider: each verb carries its own ``effects`` (see ``model.Verb``), and a
provider adds what the creation of a subject produces and what each signal a run waits for does
(a new attempt, a resolved case). Walking a scenario's steps in order and merging their effects
gives every status, code, label and event it can produce; the coverage report compares that with
what the provider's constants say must be produced.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from simulator.engine.scenarios.model import EffectContext, Effects, Scenario, Verb


def produced(
    scenario: Scenario,
    verbs: Mapping[str, Verb],
    created: Effects | None = None,
    signals: Mapping[str, Effects] | None = None,
) -> dict[str, set[str]]:
    """``{category: {value, ...}}`` for ``scenario``: its subject's creation, then each step."""
    out: dict[str, set[str]] = {}
    model: dict[str, Any] = {}
    if created is not None:
        _merge(out, created(EffectContext(scenario.product, {}, model)))
    for step in scenario.steps:
        verb = verbs.get(step.do) if step.do else None
        effects = verb.effects if verb is not None else (signals or {}).get(step.wait or "")
        if effects is not None:
            _merge(out, effects(EffectContext(scenario.product, dict(step.args), model)))
    return out


def _merge(out: dict[str, set[str]], effects: Mapping[str, Iterable[Any]]) -> None:
    for category, values in effects.items():
        out.setdefault(category, set()).update(str(v) for v in values)
