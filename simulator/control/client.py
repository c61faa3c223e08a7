"""The control client under its first name: :class:`ControlClient` is :class:`simulator.client.KycSim`
(kept importable for code written against it), with the Checkout.com AML calls it had before they
moved to ``KycSim.checkout``."""

from __future__ import annotations

from typing import Any

from simulator.client import DEFAULT_URL, KycSim, KycSimError, control_headers

__all__ = ["DEFAULT_URL", "ControlClient", "ControlClientError", "control_headers"]

ControlClientError = KycSimError


class ControlClient(KycSim):
    """:class:`simulator.client.KycSim`, plus ``aml_*`` shortcuts to ``self.checkout``."""

    def aml_resolve(self, screening_id: str, decision: Any) -> dict[str, Any]:
        """``self.checkout.aml_resolve``: close an AML screening's open case."""
        return self.provider("checkout").aml_resolve(screening_id, decision)

    def aml_update_status(self, screening_id: str, status: Any) -> dict[str, Any]:
        """``self.checkout.aml_update_status``: change a decided AML screening afterwards."""
        return self.provider("checkout").aml_update_status(screening_id, status)

    def aml_monitoring_alert(self, screening_id: str, alerts: int = 1) -> dict[str, Any]:
        """``self.checkout.aml_monitoring_alert``: raise new monitoring alerts now."""
        return self.provider("checkout").aml_monitoring_alert(screening_id, alerts)
