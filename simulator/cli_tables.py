"""Readable tables for the CLI's list commands (``--json`` prints the API's JSON instead)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Column = tuple[str, Callable[[Mapping[str, Any]], Any]]
MAX_WIDTH = 60  # a cell wider than this is cut, so one long URL does not push the rest off screen


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column]) -> list[str]:
    """Left-aligned columns under a header; the last column is never cut or padded."""
    cells = [[_text(get(row)) for _, get in columns] for row in rows]
    last = len(columns) - 1
    widths = [
        min(max([len(name), *(len(r[i]) for r in cells)]), MAX_WIDTH) if i < last else 0
        for i, (name, _) in enumerate(columns)
    ]

    def line(values: Sequence[str]) -> str:
        shown = [_cut(v, widths[i]).ljust(widths[i]) if i < last else v for i, v in enumerate(values)]
        return "  ".join(shown).rstrip()

    return [line([name for name, _ in columns]), *(line(r) for r in cells)]


def _text(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "-"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _outcome(attempt: Mapping[str, Any]) -> str:
    if attempt.get("status_code") is None:
        return str(attempt.get("error") or "error")
    return f"{attempt['status_code']}" + ("" if attempt.get("ok", True) else " (failed)")


# The columns of each list, by what it lists.
COLUMNS: dict[str, list[Column]] = {
    "scenarios": [
        ("NAME", lambda r: r["name"]),
        ("PROVIDER", lambda r: r["provider"]),
        ("PRODUCT", lambda r: r["product"]),
        ("DESCRIPTION", lambda r: r.get("description")),
    ],
    "requests": [
        ("ID", lambda r: r["id"]),
        ("AT", lambda r: r["at"]),
        ("METHOD", lambda r: r["method"]),
        ("STATUS", lambda r: r["status"]),
        ("MS", lambda r: r.get("latency_ms")),
        ("TENANT", lambda r: r.get("tenant")),
        ("SCENARIO", lambda r: r.get("scenario")),
        ("PATH", lambda r: r["path"] + (f"?{r['query']}" if r.get("query") else "")),
    ],
    "attempts": [
        ("AT", lambda r: r["at"]),
        ("DELIVERY", lambda r: r["delivery_id"]),
        ("#", lambda r: r["number"]),
        ("EVENT", lambda r: r["event_type"]),
        ("OUTCOME", _outcome),
        ("MS", lambda r: r.get("latency_ms")),
        ("NEXT RETRY", lambda r: r.get("next_retry_at")),
        ("URL", lambda r: r["url"] + (f"  [{'; '.join(r['chaos'])}]" if r.get("chaos") else "")),
    ],
    "events": [
        ("CREATED", lambda r: r["created_at"]),
        ("ID", lambda r: r["id"]),
        ("PROVIDER", lambda r: r["provider"]),
        ("RESOURCE", lambda r: r.get("resource")),
        ("DELIVERIES", lambda r: ", ".join(f"{d['id']} {d['state']}" for d in r.get("deliveries", []))),
        ("TYPE", lambda r: r["type"]),
    ],
    "deliveries": [
        ("ID", lambda r: r["id"]),
        ("STATE", lambda r: r["state"]),
        ("ATTEMPTS", lambda r: len(r.get("attempts", []))),
        ("EVENT", lambda r: r["event_type"]),
        ("ENDPOINT", lambda r: r.get("endpoint_id")),
        ("URL", lambda r: r["url"]),
    ],
    "endpoints": [
        ("ID", lambda r: r["id"]),
        ("PROVIDER", lambda r: r["provider"]),
        ("TENANT", lambda r: "all tenants" if r.get("all_tenants") or not r.get("tenant") else r["tenant"]),
        ("EVENTS", lambda r: ",".join(r["events"]) if r.get("events") else "all"),
        ("CHAOS", lambda r: " ".join(f"{k}={v}" for k, v in (r.get("chaos") or {}).items())),
        ("SOURCE", lambda r: r.get("source")),
        ("URL", lambda r: r["url"]),
    ],
    "bindings": [
        ("ID", lambda r: r["id"]),
        ("SCENARIO", lambda r: r["scenario"]),
        ("TENANT", lambda r: r.get("tenant") or "all tenants"),
        ("USED", lambda r: f"{r.get('used', 0)}/{r['times']}" if r.get("times") else r.get("used", 0)),
        ("MATCH", lambda r: " ".join(f"{k}={v}" for k, v in r["match"].items())),
    ],
}
