"""Checkout.com's response codes (fact sheet section 5.1, the May 2025 codes page): each code with its
summary, the check status it comes with, its category, what it means, and the products it applies to.

Deprecated codes are kept (a client may still meet them); :func:`codes_for` says which codes a
product produces, :func:`upload_codes` which the uploaded-document products do.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from simulator.providers.checkout.constants import ADV, CERTIFIED_IDV, FA, FINAL_STATUSES, IDDV, IDV, RETRY_REQUIRED


@dataclass(frozen=True)
class ResponseCode:
    code: int
    summary: str
    status: str  # the check status it comes with
    category: str
    description: str
    applies_to: tuple[str, ...]  # products; empty for deprecated codes
    alt_summaries: tuple[str, ...] = ()
    deprecated: bool = False

    def as_json(self) -> dict:
        return {"code": self.code, "summary": self.summary}


def _load() -> tuple[ResponseCode, ...]:
    """The table in ``response_codes.csv`` (a data file: one code a row, comments kept)."""
    products = {"IDV": IDV, "CERTIFIED_IDV": CERTIFIED_IDV, "FA": FA, "IDDV": IDDV, "ADV": ADV, "website": "website"}
    with (Path(__file__).parent / "response_codes.csv").open(encoding="utf-8", newline="") as table:
        rows = list(csv.DictReader(line for line in table if not line.startswith("#")))
    if wrong := [row["code"] for row in rows if row["status"] not in (*FINAL_STATUSES, RETRY_REQUIRED)]:
        raise ValueError(f"response_codes.csv: codes {wrong} come with no check status")
    return tuple(
        ResponseCode(
            code=int(row["code"]),
            summary=row["summary"],
            status=row["status"],
            category=row["category"],
            description=row["description"],
            applies_to=tuple(products[name] for name in row["products"].split()),
            alt_summaries=tuple(row["older_summaries"].split()),
            deprecated=row["deprecated"] == "deprecated",
        )
        for row in rows
    )


_CODES = _load()
RESPONSE_CODES: dict[int, ResponseCode] = {c.code: c for c in _CODES}
APPROVED_CODE = 10000
REFUSAL_CODE = 63001
FORCIBLY_CLOSED_CODE = 64001
LINK_NEVER_OPENED_CODE = 61101


def response_code(code: int) -> dict:
    """``{"code": 61101, "summary": "applicant_never_started"}``; KeyError for a code that does not exist."""
    return RESPONSE_CODES[int(code)].as_json()


def codes_for(product: str, *, status: str | None = None, include_deprecated: bool = True) -> list[int]:
    """Codes that apply to ``product`` (certified IDV counts as IDV), optionally of one status."""
    products = {product, CERTIFIED_IDV} if product == IDV else {product}
    return [
        c.code
        for c in _CODES
        if (products & set(c.applies_to) or (include_deprecated and c.deprecated and product in (IDV, FA)))
        and (status is None or c.status == status)
    ]


def upload_codes(product: str) -> list[int]:
    """The codes an uploaded-document product (IDDV, ADV) produces: current ones only."""
    return codes_for(product, include_deprecated=False)


def is_retry_code(code: int) -> bool:
    return 61000 <= int(code) < 62000 and int(code) in RESPONSE_CODES
