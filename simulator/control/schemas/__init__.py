"""The control API's JSON Schemas (2020-12, as OpenAPI 3.1 uses them): one file per request or answer.

The route table names, per call, the schema of its JSON body and of its successful answer
(``control/table.py``); ``common.json`` holds what several share, under ``$defs``. The files refer
to each other by ``$id`` (``common#/$defs/...``). ``GET /_sim/openapi.json`` lists them all under
``components/schemas`` (:func:`components`); schemathesis checks every answer against them
(``tests/control/test_openapi.py``) and so do the tests of each call (``tests/control/schemas.py``).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # jsonschema is imported on first use: start-up does not need it
    from referencing import Registry

FOLDER = Path(__file__).parent


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


def closed_fields(name: str) -> frozenset[str] | None:
    """The fields a closed schema (``additionalProperties: false``) allows; None for an open one."""
    schema = schemas()[name]
    if schema.get("additionalProperties") is not False:
        return None
    return frozenset(schema.get("properties", {}))


def components() -> dict[str, dict[str, Any]]:
    """Every schema as an OpenAPI component named by its ``$id``, each ``$ref`` pointing into the document."""
    return {
        name: _in_document(name, {k: v for k, v in schema.items() if k != "$id"}) for name, schema in schemas().items()
    }


def ref(name: str) -> dict[str, str]:
    """A ``$ref`` to a schema by the name the route table uses (``binding.request``, ``common#/$defs/binding``)."""
    return {"$ref": _pointer("", name)}


def _in_document(name: str, node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _pointer(name, v) if k == "$ref" else _in_document(name, v) for k, v in node.items()}
    if isinstance(node, list):
        return [_in_document(name, item) for item in node]
    return node


def _pointer(current: str, target: str) -> str:
    """``common#/$defs/x`` (or ``#/$defs/x`` within ``current``) as ``#/components/schemas/common/$defs/x``."""
    file, _, fragment = target.partition("#")
    return f"#/components/schemas/{file or current}{fragment}"
