"""One tenant's view of the simulator, for one provider: store, clock, ids and fake data.

Handlers get one through their :class:`~simulator.toolkit.routes.Call`, scenario verbs through
the step they run, control calls build one for the tenant they act on. A provider subclasses it
to name its own resources (``CheckoutState.applicant(id)``) and id formats
(``SumsubState.object_id()``); everything it draws comes from the tenant's seeded streams.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from faker import Faker

    from simulator.engine.fakedata import Person
    from simulator.simulator import Simulator


class TenantState:
    provider: ClassVar[str] = ""  # set by each provider's subclass: its partition of the store

    __slots__ = ("sim", "tenant")

    def __init__(self, sim: Simulator, tenant: str) -> None:
        self.sim = sim
        self.tenant = tenant

    # Time

    @property
    def now(self) -> datetime:
        """The tenant's virtual time."""
        return self.sim.clock.now(self.tenant)

    # Store: JSON documents by (tenant, provider, kind, key)

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        return self.sim.store.get(self.tenant, self.provider, kind, key)

    def put(self, kind: str, doc: dict[str, Any], key: str | None = None) -> dict[str, Any]:
        self.sim.store.put(self.tenant, self.provider, kind, doc["id"] if key is None else key, doc)
        return doc

    def list(self, kind: str) -> list[dict[str, Any]]:
        return self.sim.store.list(self.tenant, self.provider, kind)

    def delete(self, kind: str, key: str) -> None:
        self.sim.store.delete(self.tenant, self.provider, kind, key)

    # Ids from the tenant's stream

    def prefixed(self, prefix: str, length: int = 26) -> str:
        """``aplt_tkoi5db4hryu5cei5vwoabr7we``-style ids."""
        return self.sim.ids.prefixed(prefix, self.tenant, length)

    def base32(self, length: int = 26) -> str:
        return self.sim.ids.base32(length, self.tenant)

    def hex(self, length: int) -> str:
        return self.sim.ids.hex(length, self.tenant)

    def letters(self, length: int) -> str:
        return self.sim.ids.letters(length, self.tenant)

    def chars(self, alphabet: str, length: int) -> str:
        return self.sim.ids.chars(alphabet, length, self.tenant)

    def uuid(self) -> str:
        return self.sim.ids.uuid(self.tenant)

    def integer(self, low: int, high: int) -> int:
        return self.sim.ids.integer(low, high, self.tenant)

    # Fake data, reseeded from the tenant's stream

    def faker(self, country: str = "GB") -> Faker:
        return self.sim.fake.faker(country, self.tenant)

    def person(self, country: str, **details: Any) -> Person:
        return self.sim.fake.person(country, self.tenant, **details)

    def document_number(self) -> str:
        return self.sim.fake.document_number(self.tenant)
