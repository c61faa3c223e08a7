"""``X-KycSim-Scenario`` is kycsim's own header, so kycsim answers for it: a name the catalogue lacks is
refused here, before any provider sees the request, with the names that look close.

A ``400`` in the control API's envelope (``{"error": {"type": "unknown_scenario", "message", "close_names"}}``),
noted as a warning on the console and on the request's journal entry. A header naming a scenario of
another product is the provider's to refuse, in its own envelope, when it picks the scenario.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse
from starlette.types import Scope

from simulator.engine.scenarios.selection import warn

HEADER = b"x-kycsim-scenario"


class ScenarioHeaderCheck:
    """A gate of the router (``routing.py``): every HTTP request passes it before it is routed."""

    def __init__(self, sim: Any) -> None:
        self.sim = sim

    def __call__(self, scope: Scope) -> JSONResponse | None:
        """The refusal to send for this request's header, or None (no header, a known name, a control call)."""
        if not scope["path"].startswith("/_sim"):
            for key, value in scope["headers"]:
                if key == HEADER:
                    return self.check(scope, value.decode("latin-1").strip())
        return None

    def check(self, scope: Scope, name: str) -> JSONResponse | None:
        catalogue = self.sim.catalogue
        if not name or catalogue.get(name) is not None:
            return None
        provider = self.sim.provider_for_path(scope["path"])
        owner = provider.name if provider is not None else None
        scope.setdefault("state", {})["provider"] = owner
        close = catalogue.close_names(name, owner)
        message = f"X-KycSim-Scenario: {catalogue.unknown_name(name, owner)}"
        warn(message)  # on this request's journal entry: RequestLogMiddleware, outside this one, set its state
        body = {"type": "unknown_scenario", "message": f"{message} (GET /_sim/scenarios lists them)"}
        return JSONResponse({"error": {**body, "close_names": close}}, status_code=400)
