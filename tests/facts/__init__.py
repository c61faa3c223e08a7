"""The providers' facts, copied by hand from their documents into plain data files.

Each file names its sources in its header. Nothing here is read from ``simulator/``: the tests
compare what kycsim renders with these tables, so a wrong summary, status or label in kycsim's
constants fails a test instead of being compared with itself.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent


@dataclass(frozen=True)
class ResponseCode:
    """One row of Checkout.com's response-code table."""

    code: int
    summary: str
    statuses: frozenset[str]  # the check statuses it may come with
    products: frozenset[str]  # ticked in the newest table: idv, cidv, fa, iddv, wbv
    products_2025: frozenset[str]  # ticked in the 2025 table: idv, fa, iddv
    deprecated: bool
    summary_2025: str | None

    @property
    def any_products(self) -> frozenset[str]:
        """Products either table ticks (the two disagree on a few; kycsim may follow either)."""
        return self.products | self.products_2025

    def as_json(self) -> dict:
        return {"code": self.code, "summary": self.summary}


def _rows(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines))


@cache
def checkout_response_codes() -> dict[int, ResponseCode]:
    codes = {}
    for row in _rows(HERE / "checkout_response_codes.csv"):
        ticked = frozenset(p for p in ("idv", "cidv", "fa", "iddv", "wbv") if row[p] == "x")
        ticked_2025 = frozenset(p for p in ("idv", "fa", "iddv") if row[f"{p}_2025"] == "x")
        code = int(row["code"])
        codes[code] = ResponseCode(
            code=code,
            summary=row["summary"],
            statuses=frozenset(row["status"].split("|")),
            products=ticked,
            products_2025=ticked_2025,
            deprecated=row["deprecated"] == "deprecated",
            summary_2025=row["summary_2025"] or None,
        )
    return codes


@cache
def sumsub() -> dict:
    """Sumsub's enums, reject labels and webhook types (``sumsub.yaml``)."""
    return yaml.safe_load((HERE / "sumsub.yaml").read_text())


def sumsub_action_example() -> dict:
    """The response example of Sumsub's "Get action check results" page, as printed (``sumsub_action_example.txt``).

    Copied from docs.sumsub.com/reference/get-applicant-action (shared/reference/seeds/004_*.txt).
    The page prints a trailing comma inside ``docSets``; JSON has none, so it is dropped here and
    nowhere else.
    """
    text = (HERE / "sumsub_action_example.txt").read_text()
    return json.loads(text.replace('"types": [ "PAYMENT_METHOD" ],\n', '"types": [ "PAYMENT_METHOD" ]\n'))
