"""Provider registry: name -> factory, imported lazily so start-up pays only for what it uses."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.providers.base import Provider

PROVIDERS: dict[str, str] = {
    "checkout": "simulator.providers.checkout:CheckoutProvider",
    "sumsub": "simulator.providers.sumsub:SumsubProvider",
}


def load_providers() -> dict[str, Provider]:
    found = {}
    for name, target in PROVIDERS.items():
        module, _, attr = target.partition(":")
        found[name] = getattr(import_module(module), attr)()
    return found
