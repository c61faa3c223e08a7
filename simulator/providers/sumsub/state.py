"""One tenant's view of the Sumsub part of the simulator, with Sumsub's id formats.

Every resource is a JSON document under ``(tenant, "sumsub", kind, id)``: the wire JSON itself
plus private keys starting with ``_`` (run id, timestamps, image index) that :func:`public` strips.
The tenant is the app token; ``prd:`` tokens are production, anything else the sandbox.
"""

from __future__ import annotations

import string
from datetime import datetime
from typing import Any

from simulator.providers.sumsub import constants as c
from simulator.toolkit.state import TenantState


class SumsubState(TenantState):
    provider = c.PROVIDER
    __slots__ = ()

    @property
    def sandbox(self) -> bool:
        return not self.tenant.startswith(c.PRODUCTION_TOKEN_PREFIX)

    def object_id(self) -> str:
        """Applicant, action and inspection ids: 24 hex characters."""
        return self.hex(24)

    def short_id(self) -> str:
        """``reviewId`` and ``attemptId``: five letters."""
        return self.letters(5)

    def key(self) -> str:
        return self.chars(string.ascii_uppercase, 14)

    def image_id(self) -> str:
        return str(self.integer(100_000_000, 1_999_999_999))

    def correlation_id(self) -> str:
        return self.hex(32)


def public(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if not k.startswith("_")}


# Date formats (fact sheet section 0)


def fmt_created(moment: datetime) -> str:
    return moment.strftime(c.DATE_CREATED)


def fmt_review(moment: datetime) -> str:
    return moment.strftime(c.DATE_REVIEW)


def fmt_ms(moment: datetime) -> str:
    return moment.strftime(c.DATE_CREATED) + f".{moment.microsecond // 1000:03d}"
