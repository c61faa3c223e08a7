"""Which scenario a new check follows: the CONTRACT's rules, first match wins.

1. the ``X-KycSim-Scenario`` header on the creating request;
2. a binding made beforehand through ``/_sim/bindings``;
3. the provider's own sandbox conventions (magic values), through a provider hook;
4. a ``+tag`` in the applicant's email (``anyone+<scenario>@example.com``);
5. a person's choice on the hosted page, in interactive mode (the provider asks later);
6. the provider's default for the product.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simulator.engine.scenarios.loader import Catalogue
from simulator.engine.scenarios.model import Scenario

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
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def add(self, scenario: str, match: dict[str, Any], tenant: str | None = None, times: int | None = None) -> Binding:
        binding = Binding(f"bnd_{next(self._ids)}", scenario, match, tenant, times)
        self.items[binding.id] = binding
        return binding

    def find(self, tenant: str, facts: Mapping[str, Any]) -> Binding | None:
        # Newest first: a later binding is the more deliberate one.
        return next((b for b in reversed(self.items.values()) if b.matches(tenant, facts)), None)

    def reset(self, tenant: str | None = None) -> None:
        if tenant is None:
            self.items.clear()
        else:
            self.items = {k: b for k, b in self.items.items() if b.tenant != tenant}


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


def _fit(catalogue: Catalogue, name: str, provider: str, product: str, how: str) -> Scenario:
    scenario = catalogue.get(name)
    if scenario is None:
        raise SelectionError(
            f"{how} names scenario {name!r}, which is not in the catalogue{catalogue.did_you_mean(name)}"
            " (GET /_sim/scenarios)"
        )
    if scenario.provider != provider or scenario.product != product:
        raise SelectionError(
            f"{how} names scenario {name!r}, which is for {scenario.provider}/{scenario.product},"
            f" not {provider}/{product}"
        )
    return scenario


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
    if header:
        return Selection(_fit(catalogue, header.strip(), provider, product, "X-KycSim-Scenario"), HEADER)
    binding = bindings.find(tenant, facts)
    if binding is not None:
        scenario = catalogue.get(binding.scenario)
        if scenario is not None and scenario.provider == provider and scenario.product == product:
            binding.used += 1
            return Selection(scenario, BINDING)
    if convention is not None:
        found = convention(facts)
        if isinstance(found, str):
            found = _fit(catalogue, found, provider, product, "the sandbox convention")
        if found is not None:
            return Selection(found, CONVENTION)
    for key in ("email", "applicant_email"):
        match = EMAIL_TAG_RE.match(str(facts.get(key) or ""))
        if match:
            scenario = catalogue.get(match.group(1).lower())
            if scenario is not None and scenario.provider == provider and scenario.product == product:
                return Selection(scenario, EMAIL_TAG)
    return Selection(_fit(catalogue, default, provider, product, "the default"), DEFAULT)
