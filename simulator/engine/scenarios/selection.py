"""Which scenario a new check follows: the CONTRACT's rules, first match wins.

1. the ``X-KycSim-Scenario`` header on the creating request;
2. a binding made beforehand through ``/_sim/bindings``;
3. the provider's own sandbox conventions (magic values), through a provider hook;
4. a ``+tag`` in the applicant's email (``anyone+<scenario>@example.com``);
5. a person's choice on the hosted page, in interactive mode (the provider asks later);
6. the provider's default for the product.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simulator.engine.scenarios.loader import Catalogue
from simulator.engine.scenarios.model import REQUEST_STATE, Scenario

log = logging.getLogger("kycsim.selection")

HEADER, BINDING, CONVENTION, EMAIL_TAG, PERSON, DEFAULT = 1, 2, 3, 4, 5, 6
RULE_NAMES = {
    HEADER: "header",
    BINDING: "binding",
    CONVENTION: "sandbox_convention",
    EMAIL_TAG: "email_tag",
    PERSON: "person",
    DEFAULT: "default",
}

Convention = Callable[[Mapping[str, Any]], "Scenario | str | None"]


class SelectionError(Exception):
    """The request named a scenario that does not exist or does not fit the product."""


@dataclass
class Binding:
    id: str
    scenario: str
    match: dict[str, Any]
    tenant: str | None = None
    times: int | None = None  # None: until deleted
    used: int = 0

    def matches(self, tenant: str, facts: Mapping[str, Any]) -> bool:
        if self.tenant is not None and self.tenant != tenant:
            return False
        if self.times is not None and self.used >= self.times:
            return False
        return all(facts.get(k) is not None and str(facts.get(k)) == str(v) for k, v in self.match.items())

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "scenario": self.scenario,
            "match": self.match,
            "tenant": self.tenant,
            "times": self.times,
            "used": self.used,
        }


@dataclass
class Bindings:
    items: dict[str, Binding] = field(default_factory=dict)
    _next: int = 1  # the number of the next binding's id
    # Told of every change: the store keeps the bindings (``snapshot``), so they outlive a restart.
    on_change: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    def add(self, scenario: str, match: dict[str, Any], tenant: str | None = None, times: int | None = None) -> Binding:
        binding = Binding(f"bnd_{self._next}", scenario, match, tenant, times)
        self._next += 1
        self.items[binding.id] = binding
        self._changed()
        return binding

    def remove(self, binding_id: str) -> Binding | None:
        binding = self.items.pop(binding_id, None)
        if binding is not None:
            self._changed()
        return binding

    def use(self, binding: Binding) -> None:
        """A new check took ``binding``'s scenario: one of its ``times`` is spent."""
        binding.used += 1
        self._changed()

    def find(self, tenant: str, facts: Mapping[str, Any]) -> Binding | None:
        # Newest first: a later binding is the more deliberate one.
        return next(iter(self.matching(tenant, facts)), None)

    def matching(self, tenant: str, facts: Mapping[str, Any]) -> list[Binding]:
        """Every binding that matches, newest first."""
        return [b for b in reversed(self.items.values()) if b.matches(tenant, facts)]

    def reset(self, tenant: str | None = None) -> None:
        if tenant is None:
            self.items.clear()
            self._next = 1  # a global reset starts over: the same calls give the same ids
        else:
            self.items = {k: b for k, b in self.items.items() if b.tenant != tenant}
        self._changed()

    def snapshot(self) -> str:
        return json.dumps({"next": self._next, "items": [b.as_json() for b in self.items.values()]})

    def restore(self, saved: Any) -> None:
        """The bindings a previous process left (:meth:`snapshot`); ids go on from where it stopped."""
        if not isinstance(saved, dict) or not isinstance(saved.get("items"), list):
            return
        for item in saved["items"]:
            try:
                binding = Binding(**item)
            except TypeError:
                continue
            self.items[binding.id] = binding
        if isinstance(saved.get("next"), int):
            self._next = max(self._next, saved["next"])

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()


@dataclass(frozen=True)
class Selection:
    scenario: Scenario
    rule: int

    @property
    def rule_name(self) -> str:
        return RULE_NAMES[self.rule]

    @property
    def person_may_choose(self) -> bool:
        """Only a scenario nobody asked for may be replaced by a person on the hosted page."""
        return self.rule >= PERSON


EMAIL_TAG_RE = re.compile(r"^[^@+]+\+([^@]+)@")


def warn(message: str) -> None:
    """A scenario choice that did not go as asked: a console warning, and a note on the request's journal entry."""
    log.warning("warning: %s", message)
    state = REQUEST_STATE.get()
    if state is not None:
        state.setdefault("warnings", []).append(message)


def _fit(catalogue: Catalogue, name: str, provider: str, product: str, how: str) -> Scenario:
    scenario = catalogue.get(name)
    if scenario is None:
        raise SelectionError(f"{how}: {catalogue.unknown_name(name, provider, product)} (GET /_sim/scenarios)")
    if scenario.provider != provider or scenario.product != product:
        raise SelectionError(
            f"{how} names scenario {name!r}, which is for {scenario.provider}/{scenario.product},"
            f" not {provider}/{product}"
        )
    return scenario


def _fits(scenario: Scenario | None, provider: str, product: str) -> bool:
    return scenario is not None and scenario.provider == provider and scenario.product == product


def select(
    catalogue: Catalogue,
    bindings: Bindings,
    *,
    tenant: str,
    provider: str,
    product: str,
    default: str,
    facts: Mapping[str, Any],
    header: str | None = None,
    convention: Convention | None = None,
) -> Selection:
    """The scenario of a new check. A name that matches nothing (an email tag, a binding for another
    product) is never passed over silently: it is :func:`warn`-ed, and the next rule applies."""
    if header:
        return Selection(_fit(catalogue, header.strip(), provider, product, "X-KycSim-Scenario"), HEADER)
    matched = bindings.matching(tenant, facts)
    binding = next((b for b in matched if _fits(catalogue.get(b.scenario), provider, product)), None)
    if binding is not None:
        bindings.use(binding)
        return Selection(catalogue.get(binding.scenario), BINDING)  # type: ignore[arg-type]
    if matched:
        other = matched[0]
        named = catalogue.get(other.scenario)
        kind = f"a {named.provider}/{named.product} scenario" if named else "no scenario in the catalogue"
        warn(
            f"binding {other.id} matches this {provider}/{product} check but names {other.scenario!r}, {kind}:"
            " it is skipped"
        )
    if convention is not None:
        found = convention(facts)
        if isinstance(found, str):
            found = _fit(catalogue, found, provider, product, "the sandbox convention")
        if found is not None:
            return Selection(found, CONVENTION)
    problems = []
    for key in ("email", "applicant_email"):
        match = EMAIL_TAG_RE.match(str(facts.get(key) or ""))
        if match:
            tag = match.group(1).lower()
            tagged = catalogue.get(tag)
            if _fits(tagged, provider, product):
                return Selection(tagged, EMAIL_TAG)  # type: ignore[arg-type]
            if tagged is not None:
                problems.append(f"+{tag} names a {tagged.provider}/{tagged.product} scenario, not {provider}/{product}")
            else:
                problems.append(f"+{tag} names no scenario{catalogue.did_you_mean(tag, provider, product)}")
    chosen = _fit(catalogue, default, provider, product, "the default")
    for problem in dict.fromkeys(problems):  # the same email twice: one warning
        warn(f"the email tag {problem}; this check follows the default, {chosen.name!r}")
    return Selection(chosen, DEFAULT)
