"""What ``kycsim trigger`` reports: the timeline of calls, steps, events and delivery attempts.

:func:`timeline` puts what the trigger saw in virtual-time order; :func:`render` prints it, with a
summary line (``--json`` prints the report itself instead).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from simulator.engine.scenarios.model import Scenario


def estimate(scenario: Scenario, speed: Any) -> str:
    """How long the scenario's timed steps take, in virtual time and (at a speed factor) wall time."""
    total = sum(step.after for step in scenario.steps if not step.wait)
    if not total:
        return ""
    wall = f", about {duration(total * speed)} of wall time" if isinstance(speed, int | float) else ""
    return f" · timed steps take {duration(total)} of virtual time{wall}"


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.3g}s"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            whole, rest = divmod(round(seconds), size)
            smaller = {"d": ("h", 3600), "h": ("m", 60), "m": ("s", 1)}[unit]
            part = rest // smaller[1]
            return f"{whole}{unit}{f'{part}{smaller[0]}' if part else ''}"
    return f"{seconds:g}s"


def span(run: Mapping[str, Any]) -> float:
    """Virtual seconds from the run's start to its last step."""
    moments = [m for m in (run.get("started_at"), *(h["at"] for h in run.get("history", []))) if m]
    parsed = [datetime.fromisoformat(m.replace("Z", "+00:00")) for m in moments]
    return round((max(parsed) - min(parsed)).total_seconds(), 3) if parsed else 0.0


def numbered_steps(detail: Mapping[str, Any], run: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The run's history, each step with its number in the script and the arguments the scenario gave it."""
    script = list(detail.get("steps", []))
    cursor, found = 0, []
    for entry in run.get("history", []):
        text = entry["step"]
        while (
            cursor < len(script) and script[cursor].get("do") != text and f"signal:{script[cursor].get('wait')}" != text
        ):
            cursor += 1
        args = script[cursor].get("with", {}) if cursor < len(script) else {}
        number = cursor + 1 if cursor < len(script) else None
        cursor += 1
        shown = " ".join(f"{k}={short(v, 40)}" for k, v in args.items())
        found.append(
            {"at": entry["at"], "kind": "step", "number": number, "text": short(f"{text} {shown}".strip(), 160)}
        )
    return found


def timeline(detail, run, calls, events, attempts) -> list[dict[str, Any]]:
    items = [{"at": r["at"], "kind": "call", "text": f"{r['method']} {r['path']} -> {r['status']}"} for r in calls]
    items += [{k: v for k, v in s.items() if k != "number"} for s in numbered_steps(detail, run)]
    items += [{"at": e["created_at"], "kind": "event", "text": f"{e['type']} {e['id']}"} for e in events]
    for a in attempts:
        outcome = a["status_code"] if a["status_code"] is not None else a["error"]
        extra = f" next retry {a['next_retry_at']}" if a.get("next_retry_at") else ""
        chaos = f" [{'; '.join(a['chaos'])}]" if a.get("chaos") else ""
        items.append(
            {
                "at": a["at"],
                "kind": "delivery",
                "text": f"{a['event_type']} -> {a['url']} {outcome} (attempt {a['number']}){extra}{chaos}",
            }
        )
    order = {"call": 0, "step": 1, "event": 2, "delivery": 3}
    return sorted(items, key=lambda i: (i["at"], order[i["kind"]]))


def render(report: Mapping[str, Any]) -> list[str]:
    run = report["run"]
    lines = [
        f"trigger {report['scenario']} ({report['provider']} · {report['product']}) on {report['url']}"
        f" · tenant {report['tenant']} · clock {report['speed']}"
    ]
    if not any(item["kind"] == "call" for item in report["timeline"]):  # the journal missed them: say what we know
        lines += [f"  note     {n['kind']}: {short(n['detail'])}" for n in report["notes"]]
    lines += [f"  {item['at']}  {item['kind']:<8} {item['text']}" for item in report["timeline"]]
    counts = {kind: sum(1 for i in report["timeline"] if i["kind"] == kind) for kind in ("call", "step", "event")}
    delivered = sum(1 for i in report["timeline"] if i["kind"] == "delivery")
    status = run.get("status", "unknown")
    if run.get("waiting_for") and status == "running":
        status = f"waiting for {run['waiting_for']}"
    elif status == "running":
        status = "still running"
    why = f"; {report['why']}" if report.get("why") else ""
    lines.append(
        f"run {status} after {report['virtual_seconds']:g}s of virtual time: {counts['call']} call(s),"
        f" {counts['step']} step(s), {counts['event']} event(s), {delivered} delivery attempt(s){why}"
    )
    return lines


def short(value: Any, width: int = 120) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= width else text[: width - 1] + "…"
