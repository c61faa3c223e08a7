"""The validated scenario catalogue, cached between starts so an unchanged one is not parsed again.

The cache is plain JSON, never code: a file anyone can write to must not be able to run anything
in kycsim. It carries the fingerprint of everything the catalogue was built from (the loader
works it out) and a digest of its own contents; a file that does not match both, or that does not
decode into well-formed scenarios, is ignored and rebuilt from the scenario files.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from simulator.engine.durations import parse_duration
from simulator.engine.scenarios.model import Scenario, Step

CACHE_FORMAT = 1


def write(cache_file: Path, fingerprint: str, folders: list[str], scenarios: dict[str, Scenario]) -> None:
    payload = {"folders": folders, "scenarios": [_scenario_json(s) for s in scenarios.values()]}
    try:
        if _catalogue_from(payload)[1] != scenarios:
            return  # something in a file (a YAML date, say) would not come back the same: no cache
    except (ValueError, TypeError, KeyError):
        return
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    document = {"format": CACHE_FORMAT, "fingerprint": fingerprint, "digest": _digest(body), "catalogue": payload}
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache_file.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
        temporary.replace(cache_file)
    except (OSError, TypeError, ValueError):
        pass  # a read-only home (or a value JSON cannot hold) is no reason not to start


def read(cache_file: Path, fingerprint: str) -> tuple[list[str], dict[str, Scenario]] | None:
    """The folders and scenarios of a catalogue cached with ``fingerprint``, or None."""
    try:
        document = json.loads(cache_file.read_text(encoding="utf-8"))
        if document.get("format") != CACHE_FORMAT or document.get("fingerprint") != fingerprint:
            return None
        payload = document["catalogue"]
        if document.get("digest") != _digest(json.dumps(payload, sort_keys=True, separators=(",", ":"))):
            return None
        return _catalogue_from(payload)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _scenario_json(scenario: Scenario) -> dict[str, Any]:
    return {
        "name": scenario.name,
        "provider": scenario.provider,
        "product": scenario.product,
        "description": scenario.description,
        "steps": [
            {"after": s.after, "do": s.do, "wait": s.wait, "args": s.args, "line": s.line} for s in scenario.steps
        ],
        "aliases": list(scenario.aliases),
        "tags": list(scenario.tags),
        "params": scenario.params,
        "source": scenario.source,
        "family": scenario.family,
        "webhooks": scenario.webhooks,
    }


def _catalogue_from(payload: dict[str, Any]) -> tuple[list[str], dict[str, Scenario]]:
    """Folders and scenarios from cached JSON; ValueError/TypeError/KeyError for anything not shaped as written."""
    folders = [_text(f) for f in payload["folders"]]
    scenarios: dict[str, Scenario] = {}
    for data in payload["scenarios"]:
        steps = tuple(
            Step(
                after=_number(s["after"]),
                do=_text(s["do"], optional=True),
                wait=_text(s["wait"], optional=True),
                args=_mapping(s["args"]),
                line=int(s["line"]),
            )
            for s in data["steps"]
        )
        scenario = Scenario(
            name=_text(data["name"]),
            provider=_text(data["provider"]),
            product=_text(data["product"]),
            description=_text(data["description"]),
            steps=steps,
            aliases=tuple(_text(a) for a in data["aliases"]),
            tags=tuple(_text(t) for t in data["tags"]),
            params=_mapping(data["params"]),
            source=_text(data["source"]),
            family=_text(data["family"], optional=True),
            webhooks=_mapping(data["webhooks"]),
        )
        scenarios[scenario.name] = scenario
    return folders, scenarios


def _text(value: Any, *, optional: bool = False) -> Any:
    if (value is None and optional) or isinstance(value, str):
        return value
    raise TypeError(f"expected text, not {type(value).__name__}")


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, not {type(value).__name__}")
    return float(parse_duration(value))


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, not {type(value).__name__}")
    return value
