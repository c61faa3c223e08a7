"""The control client under its first name: :class:`ControlClient` is :class:`simulator.client.KycSim`, kept
importable for code written against it (a provider's calls, such as Checkout.com's AML ones, are under the
provider's name: ``client.provider("...")``, or ``client.<provider>``)."""

from __future__ import annotations

from simulator.client import DEFAULT_URL, KycSim, KycSimError, control_headers

__all__ = ["DEFAULT_URL", "ControlClient", "ControlClientError", "control_headers"]

ControlClientError = KycSimError


class ControlClient(KycSim):
    """:class:`simulator.client.KycSim` under its first name."""
