"""Provider registry: name -> provider class, imported on first use.

Adding a provider is its folder plus one line here. Everything else kycsim needs from it (settings,
CLI subcommands, banner line, bundled scenarios) comes through its class (``providers/base.py``), and
its part of the Python client and of the pytest plugin through its ``client.py`` (:func:`provider_part`),
so no other module names a provider (``tests/test_architecture.py``).

``KYCSIM_PROVIDERS`` adds registry lines at start-up without editing this file, for a provider that
lives elsewhere (the tests' demo provider): comma-separated ``name=package.module:Class``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.providers.base import Provider

PROVIDERS: dict[str, str] = {
    "checkout": "simulator.providers.checkout:CheckoutProvider",
    "sumsub": "simulator.providers.sumsub:SumsubProvider",
}

EXTRA_PROVIDERS_ENV = "KYCSIM_PROVIDERS"


class RegistryError(ValueError):
    """A ``KYCSIM_PROVIDERS`` line kycsim cannot use; the message says which and why."""


def registry(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """:data:`PROVIDERS` plus the lines ``KYCSIM_PROVIDERS`` adds."""
    lines = dict(PROVIDERS)
    raw = (os.environ if environ is None else environ).get(EXTRA_PROVIDERS_ENV, "")
    for entry in filter(None, (part.strip() for part in raw.split(","))):
        name, _, target = entry.partition("=")
        name, target = name.strip(), target.strip()
        if not name.isidentifier() or ":" not in target:
            raise RegistryError(f"{EXTRA_PROVIDERS_ENV}: {entry!r} is not name=package.module:Class")
        if name in lines:
            raise RegistryError(f"{EXTRA_PROVIDERS_ENV}: a provider named {name!r} is registered already")
        lines[name] = target
    return lines


@cache
def provider_classes() -> dict[str, type[Provider]]:
    """Every registered provider's class, by name (the environment's lines as at the first call)."""
    found = {}
    for name, target in registry().items():
        module, _, attr = target.partition(":")
        try:
            cls = getattr(import_module(module), attr)
        except (ImportError, AttributeError) as exc:
            raise RegistryError(f"the registry line {name}={target} names nothing importable: {exc}") from None
        if getattr(cls, "name", None) != name:
            raise RegistryError(f"the registry line {name}={target} names a provider whose name is {cls.name!r}")
        found[name] = cls
    return found


def load_providers() -> dict[str, Provider]:
    return {name: cls() for name, cls in provider_classes().items()}


def provider_part(name: str, part: str) -> ModuleType | None:
    """A provider's module ``part`` (next to its class: ``simulator.providers.<name>.<part>``, its ``client``
    for the Python client and the pytest plugin), or None when it has none. Imported by name, without the
    provider's class, so a remote command loads only the part it uses."""
    line = registry().get(name)
    if line is None:
        return None
    module = f"{line.partition(':')[0]}.{part}"
    try:
        return import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:  # the module is there, but something it imports is not
            raise
        return None
