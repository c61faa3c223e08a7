"""``X-KycSim-Scenario`` is kycsim's own header, so kycsim answers for it: a name the catalogue lacks is
refused here, before any provider sees the request, with the names that look close.

A ``400`` in the control API's envelope (``{"error": {"type": "unknown_scenario", "message", "close_names"}}``),
noted as a warning on the console and on the request's journal entry. A header naming a scenario of
another product is the provider's to refuse, in its own envelope, when it picks the scenario.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from simulator.engine.scenarios.selection import warn

HEADER = b"x-kycsim-scenario"


class ScenarioHeaderCheck:
    def __init__(self, app: ASGIApp, sim: Any) -> None:
        self.app = app
        self.sim = sim

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/_sim"):
            for key, value in scope["headers"]:
                if key == HEADER:
                    refusal = self.check(scope, value.decode("latin-1").strip())
                    if refusal is not None:
                        await refusal(scope, receive, send)
                        return
                    break
        await self.app(scope, receive, send)

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
