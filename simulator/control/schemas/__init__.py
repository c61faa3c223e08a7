"""JSON Schemas of the control calls the dashboard added: what each takes and answers.

``ROUTES`` names, per route (by its name), the schema of its JSON body and of its successful
answer; the files reference each other by ``$id`` (``common#/$defs/...``). The tests validate every
answer of these routes against its schema (``tests/control/schemas.py``), so the files stay true.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # jsonschema is imported on first use: start-up does not need it
    from referencing import Registry

FOLDER = Path(__file__).parent

# route name -> (request body schema, response schema)
ROUTES: dict[str, tuple[str | None, str | None]] = {
    "sim:search_stories": (None, "stories.response"),
    "sim:get_story": (None, "story.response"),
    "sim:list_tenants": (None, "tenants.response"),
    "sim:trigger": ("trigger.request", "trigger.response"),
    "sim:resume_run": (None, "resume.response"),
    "sim:advance_clock": ("clock_advance.request", None),
    "sim:create_binding": ("binding.request", None),
}


@cache
def schemas() -> dict[str, dict[str, Any]]:
    return {path.name.removesuffix(".json"): json.loads(path.read_text()) for path in FOLDER.glob("*.json")}


@cache
def registry() -> Registry:
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    return Registry().with_resources((name, DRAFT202012.create_resource(s)) for name, s in schemas().items())


def errors(name: str, instance: Any) -> list[str]:
    """What is wrong with ``instance`` under the schema ``name`` (nothing: an empty list)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schemas()[name], registry=registry())
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(instance)]
