"""The demo's control calls in the Python client: ``kycsim.demo.set_widget_status(id, status)``."""

from __future__ import annotations

from simulator.toolkit.client import ControlCalls, Items, Nothing, Obj, segment


class DemoCalls(ControlCalls[Obj, Items, Nothing]):
    def set_widget_status(self, widget_id: str, status: str) -> Obj:
        """Set a widget's status now (``started``, ``done`` or ``failed``); its event goes out."""
        return self._object("POST", f"/demo/widgets/{segment(widget_id)}/status", json={"status": status})


CLIENT = DemoCalls  # what the Python client finds through the provider registry
