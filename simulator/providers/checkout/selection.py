"""Which scenario a Checkout.com check plays: chosen at creation, looked up for each attempt.

Selection rules 1-4 and 6 (CONTRACT): the ``X-KycSim-Scenario`` header, a binding, the
sandbox's magic ``external_applicant_id`` values (IDV only, :mod:`sandbox`), an email tag,
else the product's default. The choice is kept on the check (``_scenario``); a magic value's
scenario is built again from the kept value rather than stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from simulator.engine.scenarios.model import Scenario
from simulator.engine.scenarios.selection import SelectionError, select, warn
from simulator.providers.checkout import constants as c
from simulator.providers.checkout import sandbox
from simulator.providers.checkout.errors import ValidationFailed
from simulator.providers.checkout.state import State

if TYPE_CHECKING:
    from simulator.providers.checkout.products import Product

DEFAULT_SCENARIOS = {
    c.IDV: "idv-approved",
    c.FA: "fa-approved",
    c.IDDV: "iddv-approved",
    c.ADV: "adv-approved",
    c.AML: "aml-approved",
}


def sandbox_convention(product: str, facts: Mapping[str, Any]) -> Scenario | None:
    """Selection rule 3: the sandbox's magic values, documented for IDV only."""
    return sandbox.scenario_for(facts.get("external_applicant_id")) if product == c.IDV else None


def choose(
    state: State, product: Product, applicant: dict, declared_email: str | None, header: str | None
) -> dict[str, Any]:
    """The scenario a new check plays, and why (the rule), as kept on the check."""
    facts = {
        "applicant_id": applicant["id"],
        "external_applicant_id": applicant.get("external_applicant_id"),
        "email": applicant.get("email") or declared_email,
        "applicant_email": declared_email,
    }
    try:
        selection = select(
            state.sim.catalogue,
            state.sim.bindings,
            tenant=state.tenant,
            provider=state.provider,
            product=product.name,
            default=DEFAULT_SCENARIOS.get(product.name, ""),
            facts=facts,
            header=header,
            convention=lambda f: sandbox_convention(product.name, f),
        )
    except SelectionError as exc:
        # Checkout's error body has no room for a message: the console and the journal entry say why.
        warn(str(exc))
        raise ValidationFailed("x_kycsim_scenario__invalid", message=str(exc)) from None
    scenario = selection.scenario
    return {
        "name": scenario.name,
        "rule": selection.rule_name,
        "person_may_choose": selection.person_may_choose,
        "inline": state.sim.catalogue.get(scenario.name) is not scenario,
        "facts": {"external_applicant_id": facts["external_applicant_id"]},
    }


def scenario_for(state: State, product: Product, check: dict) -> Scenario:
    """The scenario ``check`` plays: the one chosen at creation, or the product's default."""
    info = check.get("_scenario") or {}
    catalogue = state.sim.catalogue
    found: Scenario | None = None
    if info.get("inline"):
        found = sandbox_convention(product.name, info.get("facts") or {})
    elif info.get("name"):
        found = catalogue.get(info["name"])
    if found is None:
        found = catalogue.get(DEFAULT_SCENARIOS[product.name])
    if found is None:
        raise LookupError(f"no scenario for {product.name}: is the bundled catalogue loaded?")
    return found
