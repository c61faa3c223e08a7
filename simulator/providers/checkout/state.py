"""Where the provider's documents live in the store, and how to find them.

Every resource is a JSON document under ``(tenant, "checkout", kind, id)``. Tokens of hosted
pages and media URLs carry no credential, so a small global index (tenant ``_links``) maps each
token to the tenant and documents it opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.app import Simulator
    from simulator.providers.checkout.products import Product

PROVIDER = "checkout"
APPLICANTS = "applicants"
LINKS_TENANT = "_links"
LINKS = "links"
SETTINGS = "tenant_settings"


class State:
    """One tenant's view of the store."""

    def __init__(self, sim: Simulator, tenant: str) -> None:
        self.sim = sim
        self.tenant = tenant

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        return self.sim.store.get(self.tenant, PROVIDER, kind, key)

    def put(self, kind: str, doc: dict[str, Any]) -> dict[str, Any]:
        self.sim.store.put(self.tenant, PROVIDER, kind, doc["id"], doc)
        return doc

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
            journeys[product.name] = self.sim.ids.prefixed("usj", self.tenant)
            self.put(SETTINGS, settings)
        return journeys[product.name]

    # Tokens for hosted pages and media

    def new_token(self, purpose: str, length: int, **target: Any) -> str:
        token = self.sim.ids.base32(length, self.tenant)
        self.sim.store.put(
            LINKS_TENANT, PROVIDER, LINKS, token, {"id": token, "purpose": purpose, "tenant": self.tenant, **target}
        )
        return token


def resolve_token(sim: Simulator, token: str, purpose: str) -> dict[str, Any] | None:
    link = sim.store.get(LINKS_TENANT, PROVIDER, LINKS, token)
    return link if link is not None and link.get("purpose") == purpose else None
