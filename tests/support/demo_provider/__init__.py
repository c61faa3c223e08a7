"""A tiny provider for engine and control tests, built on the toolkit the way a real one is.

Widgets with a status, driven by scenarios: one folder with the same layout as
``simulator/providers/checkout`` and ``sumsub`` (routes, errors, state, verbs, webhooks, schemas/,
scenarios/), small enough to read in one sitting. It exists so the engine can be tested without
either real provider, the way Starlette's tests build a tiny app inline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from starlette.requests import Request

from simulator.engine.scenarios.model import EffectContext, Scenario, Verb
from simulator.providers.base import Provider
from simulator.toolkit.routes import Operation
from tests.support.demo_provider import routes, verbs
from tests.support.demo_provider.errors import DemoError
from tests.support.demo_provider.schemas import REGISTRY
from tests.support.demo_provider.settings import SETTINGS
from tests.support.demo_provider.state import PRODUCT, DemoState
from tests.support.demo_provider.webhooks import DemoProfile

DEMO_SCENARIOS = Path(__file__).with_name("scenarios")


class DemoProvider(Provider):
    """Widgets at ``/demo/widgets``.

    LIMITATIONS: everything; it imitates no real service. Any ``Authorization`` header is a tenant
    (``anonymous`` without one).
    """

    name = "demo"
    products = (PRODUCT,)
    default_scenarios = {PRODUCT: "widget-default"}
    title = "Demo widgets"
    sample_paths = ("/demo/widgets",)
    settings_fields = SETTINGS  # KYCSIM_DEMO_WEBHOOK_URL, --demo-webhook-url; its scenarios/ folder is found as is

    @classmethod
    def add_cli(cls, command: Any) -> None:
        from tests.support.demo_provider.cli import add_cli

        add_cli(command)

    error = DemoError
    state_class = DemoState
    schemas = REGISTRY

    def operations(self) -> list[Operation]:
        return routes.OPERATIONS

    def authenticate(self, request: Request, op: Operation) -> str:
        return request.headers.get("authorization", "anonymous")

    def owns_path(self, path: str) -> bool:
        return path.startswith("/demo")

    def verbs(self) -> Mapping[str, Verb]:
        return verbs.VERBS.bind(self)

    def creation_effects(self, ctx: EffectContext) -> Mapping[str, Iterable[str]]:
        return {"widget.status": {"created"}}

    def coverage_targets(self) -> dict[str, set[str]]:
        return {"widget.status": {"created", *verbs.STATUSES}}

    def sandbox_convention(self, product: str, facts: Mapping[str, Any]) -> Scenario | str | None:
        """Selection rule 3: an ``external_id`` starting with ``magic_fail`` fails."""
        return "widget-failed" if str(facts.get("external_id", "")).startswith("magic_fail") else None

    def webhook_profile(self) -> DemoProfile:
        return DemoProfile()
