"""Which scenario produces which wire value, and which values nothing produces."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.engine.scenarios.loader import Catalogue
from simulator.providers.base import Provider


def coverage_report(catalogue: Catalogue, providers: Mapping[str, Provider]) -> dict[str, Any]:
    """``{provider: {category: {value: [scenario, ...]}}}`` plus what is missing."""
    report: dict[str, Any] = {"providers": {}, "missing": {}}
    for name, provider in providers.items():
        targets = provider.coverage_targets()
        produced: dict[str, dict[str, list[str]]] = {
            cat: {v: [] for v in sorted(vals)} for cat, vals in targets.items()
        }
        for scenario in catalogue.scenarios.values():
            if scenario.provider != name:
                continue
            for category, values in provider.produces(scenario).items():
                bucket = produced.setdefault(category, {})
                for value in values:
                    bucket.setdefault(value, []).append(scenario.name)
        report["providers"][name] = produced
        missing = {cat: sorted(v for v in vals if not produced[cat].get(v)) for cat, vals in targets.items()}
        report["missing"][name] = {cat: vals for cat, vals in missing.items() if vals}
    return report
