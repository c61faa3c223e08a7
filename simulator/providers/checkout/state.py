"""Where the provider's documents live in the store, and how to find them.

Every resource is a JSON document under ``(tenant, "checkout", kind, id)``. Tokens of hosted
pages and media URLs carry no credential, so a small global index (tenant ``_links``) maps each
token to the tenant and documents it opens.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from simulator.engine.clock import civil
from simulator.providers.checkout import constants as c
from simulator.toolkit.state import TenantState

if TYPE_CHECKING:
    from simulator.providers.checkout.products import Product
    from simulator.simulator import Simulator

PROVIDER = "checkout"
APPLICANTS = "applicants"
LINKS_TENANT = "_links"
LINKS = "links"
SETTINGS = "tenant_settings"


class State(TenantState):
    """One tenant's view of the Checkout.com part of the store."""

    provider = PROVIDER
    __slots__ = ()

    def timestamp(self) -> str:
        """``created_on``/``modified_on`` as the API writes them: :func:`rfc3339` of the tenant's time."""
        return rfc3339(self.now)

    # Applicants

    def applicant(self, applicant_id: str) -> dict[str, Any] | None:
        return self.get(APPLICANTS, applicant_id)

    def save_applicant(self, applicant: dict[str, Any]) -> dict[str, Any]:
        return self.put(APPLICANTS, applicant)

    # Checks and attempts

    def check(self, product: Product, check_id: str) -> dict[str, Any] | None:
        return self.get(product.kind, check_id)

    def save_check(self, product: Product, check: dict[str, Any]) -> dict[str, Any]:
        return self.put(product.kind, check)

    def attempt(self, product: Product, attempt_id: str) -> dict[str, Any] | None:
        return self.get(product.attempt_kind, attempt_id)

    def save_attempt(self, product: Product, attempt: dict[str, Any]) -> dict[str, Any]:
        return self.put(product.attempt_kind, attempt)

    def attempts(self, product: Product, check: dict[str, Any]) -> list[dict[str, Any]]:
        """Oldest first."""
        found = (self.attempt(product, a) for a in check.get("_attempt_ids", []))
        return [a for a in found if a is not None]

    def latest_attempt(self, product: Product, check: dict[str, Any]) -> dict[str, Any] | None:
        ids = check.get("_attempt_ids") or []
        return self.attempt(product, ids[-1]) if ids else None

    # The tenant's default configuration id (a real account has one per product)

    def user_journey_id(self, product: Product) -> str:
        settings = self.get(SETTINGS, "defaults") or {"id": "defaults", "user_journeys": {}}
        journeys = settings.setdefault("user_journeys", {})
        if product.name not in journeys:
            journeys[product.name] = self.prefixed(c.PREFIX_USER_JOURNEY)
            self.put(SETTINGS, settings)
        return journeys[product.name]

    # Tokens for hosted pages and media

    def new_token(self, purpose: str, length: int, **target: Any) -> str:
        token = self.base32(length)
        self.sim.store.put(
            LINKS_TENANT, PROVIDER, LINKS, token, {"id": token, "purpose": purpose, "tenant": self.tenant, **target}
        )
        return token


def resolve_token(sim: Simulator, token: str, purpose: str) -> dict[str, Any] | None:
    link = sim.store.get(LINKS_TENANT, PROVIDER, LINKS, token)
    return link if link is not None and link.get("purpose") == purpose else None


def rfc3339(moment: datetime) -> str:
    """Go's RFC 3339 with nanoseconds, which the API and its webhooks use: the fraction loses its
    trailing zeros and disappears when zero (``2025-07-21T17:32:28Z``, ``2024-12-05T18:32:39.39415Z``)."""
    fraction = f"{moment.microsecond:06d}".rstrip("0")
    return civil(moment) + (f".{fraction}" if fraction else "") + "Z"
