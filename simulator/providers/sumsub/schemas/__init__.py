"""JSON Schemas of Sumsub requests and responses, compiled once.

Request schemas validate bodies at run time (a failure is Sumsub's 400); response schemas are
used by the tests to validate every body the simulator returns. Schemas refer to each other by
file name (``"$ref": "review.json"``).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # jsonschema is imported on first use: start-up does not need it
    import jsonschema
    from referencing import Registry

FOLDER = Path(__file__).parent
BASE = "https://kycsim.local/sumsub/"


@cache
def schema(name: str) -> dict:
    return json.loads((FOLDER / f"{name}.json").read_text())


@cache
def _registry() -> Registry:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    return Registry().with_resources(
        (BASE + p.name, Resource.from_contents(json.loads(p.read_text()), default_specification=DRAFT202012))
        for p in FOLDER.glob("*.json")
    )


@cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    import jsonschema

    return jsonschema.Draft202012Validator({"$id": BASE + f"{name}.json", **schema(name)}, registry=_registry())


def first_error(name: str, instance: object) -> str | None:
    """A readable message for the first problem, or None when ``instance`` is valid."""
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return None
    error = errors[0]
    where = ".".join(str(p) for p in error.absolute_path)
    return f"{where}: {error.message}" if where else error.message
