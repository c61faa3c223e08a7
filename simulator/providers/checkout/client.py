"""Checkout.com's control calls in the Python client: ``kycsim.checkout.<call>`` (see ``control.py``)."""

from __future__ import annotations

from typing import Literal

from simulator.toolkit.client import ControlCalls, Items, Nothing, Obj, segment


class CheckoutCalls(ControlCalls[Obj, Items, Nothing]):
    """What a reviewer or ongoing monitoring does to an AML screening (``/_sim/checkout/...``).

    Each answers the screening as ``GET /aml-verifications/{id}`` shows it afterwards."""

    def aml_resolve(self, screening_id: str, decision: Literal["approved", "declined"]) -> Obj:
        """Close an AML screening's open case (``review_required``) as ``approved`` or ``declined``."""
        return self._object("POST", f"{_aml(screening_id)}/resolve", json={"decision": decision})

    def aml_update_status(self, screening_id: str, status: Literal["approved", "declined", "review_required"]) -> Obj:
        """Change a decided AML screening afterwards: ``review_required`` re-opens its review, ``approved`` /
        ``declined`` updates its decision (``aml_verification_status_changed``)."""
        return self._object("POST", f"{_aml(screening_id)}/status", json={"status": status})

    def aml_monitoring_alert(self, screening_id: str, alerts: int = 1) -> Obj:
        """Make ongoing monitoring of a monitored, approved screening raise ``alerts`` new alerts now."""
        return self._object("POST", f"{_aml(screening_id)}/monitoring-alert", json={"alerts": alerts})


def _aml(screening_id: str) -> str:
    return f"/checkout/aml-verifications/{segment(screening_id)}"


CLIENT = CheckoutCalls  # what the Python client finds through the provider registry
