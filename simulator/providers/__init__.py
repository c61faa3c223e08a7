"""Provider registry: name -> factory, imported lazily so start-up pays only for what it uses."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
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


def provider_part(name: str, part: str) -> ModuleType | None:
    """A provider's module ``part`` (``simulator.providers.<name>.<part>``: its ``client``...), or None when
    it has none: what the rest of kycsim finds a provider's pieces by, without naming the provider."""
    module = f"{PROVIDERS[name].partition(':')[0]}.{part}"
    try:
        return import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:  # the module is there, but something it imports is not
            raise
        return None
