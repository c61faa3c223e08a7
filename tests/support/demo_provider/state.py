"""One tenant's widgets."""

from __future__ import annotations

from typing import Any

from simulator.engine.clock import isoformat
from simulator.toolkit.state import TenantState

PRODUCT = "widget"
KIND = "widgets"


class DemoState(TenantState):
    provider = "demo"
    __slots__ = ()

    def widget(self, widget_id: str) -> dict[str, Any] | None:
        return self.get(KIND, widget_id)

    def save_widget(self, widget: dict[str, Any]) -> dict[str, Any]:
        return self.put(KIND, widget)

    def timestamp(self) -> str:
        return isoformat(self.now)
