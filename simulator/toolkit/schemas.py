"""One JSON Schema registry per provider: its ``schemas/`` folder, compiled once, with format checks.

Every file of the folder is registered as ``https://kycsim.local/<provider>/<file>``, so schemas
refer to each other by file name (``"$ref": "common.json#/$defs/country"``). Validators are built
on first use and kept; ``jsonschema`` itself is imported then too, so start-up does not pay for it.
Requests are validated at run time by the pipeline; the tests validate every response.

A valid body is told apart first by the schema's compiled predicate (``toolkit/schema_check.py``),
about ten times cheaper than ``jsonschema``'s walk; only a body it refuses goes to ``jsonschema``,
whose errors (messages, order) are the ones a client sees.

The formats checked are the ones request bodies use: ``email``, ``date`` (``YYYY-MM-DD``) and
``uri``, which here means an absolute ``http``/``https`` URL: the only such request fields are
redirect URLs, where a ``javascript:`` URL would run in the merchant's name.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.toolkit.pages import is_http_url

if TYPE_CHECKING:
    from collections.abc import Callable

    import jsonschema
    from referencing import Registry

VERIFY = False  # the tests set it: every answer of the compiled predicate is checked against jsonschema's

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(_EMAIL.match(value))


def _is_date(value: object) -> bool:
    if isinstance(value, str):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return False
        date.fromisoformat(value)  # ValueError (a wrong day) fails the format too
    return True


def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or is_http_url(value)


@cache
def format_checker() -> jsonschema.FormatChecker:
    import jsonschema

    formats = jsonschema.FormatChecker(formats=())
    formats.checks("email")(_is_email)
    formats.checks("date", raises=ValueError)(_is_date)
    formats.checks("uri")(_is_uri)
    return formats


class SchemaRegistry:
    def __init__(self, folder: Path, provider: str) -> None:
        self.folder = folder
        self.base = f"https://kycsim.local/{provider}/"
        self._validators: dict[str, jsonschema.Draft202012Validator] = {}
        self._checks: dict[str, Callable[[Any], bool] | None] = {}
        self._registry: Registry | None = None

    def names(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob("*.json"))

    def schema(self, name: str) -> dict[str, Any]:
        return json.loads((self.folder / _file(name)).read_text())

    def validator(self, name: str) -> jsonschema.Draft202012Validator:
        found = self._validators.get(name)
        if found is None:
            import jsonschema

            registry = self.registry()
            found = jsonschema.Draft202012Validator(
                registry.contents(self.base + _file(name)), registry=registry, format_checker=format_checker()
            )
            self._validators[name] = found
        return found

    def registry(self) -> Registry:
        if self._registry is None:
            from referencing import Registry, Resource
            from referencing.jsonschema import DRAFT202012

            resources = []
            for path in sorted(self.folder.glob("*.json")):
                uri = self.base + path.name
                contents = {**json.loads(path.read_text()), "$id": uri}
                resources.append((uri, Resource.from_contents(contents, default_specification=DRAFT202012)))
            self._registry = Registry().with_resources(resources)
        return self._registry

    def check(self, name: str) -> Callable[[Any], bool] | None:
        """The compiled predicate of a schema, built on first use; None if it uses a keyword not compiled."""
        if name in self._checks:
            return self._checks[name]
        from simulator.toolkit.schema_check import Unsupported, compile_check

        validator = self.validator(name)  # its schema has an absolute $id: the resolver starts there
        try:
            found = compile_check(
                validator.schema, self.registry().resolver(), frozenset(validator.VALIDATORS), format_checker()
            )
        except Unsupported:
            found = None
        self._checks[name] = found
        return found

    def errors(self, name: str, instance: object) -> list[jsonschema.ValidationError]:
        """Every violation, sorted by where it is (the document order a client reads)."""
        check = self._checks[name] if name in self._checks else self.check(name)
        if check is not None and check(instance):
            if VERIFY:
                found = list(self.validator(name).iter_errors(instance))
                assert not found, f"{name}: the compiled check passed {instance!r}, jsonschema finds {found[0].message}"
            return []
        errors = sorted(self.validator(name).iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
        if VERIFY and check is not None:
            assert errors, f"{name}: the compiled check refused {instance!r}, which jsonschema accepts"
        return errors

    def first_error(self, name: str, instance: object) -> str | None:
        """``where: message`` for the first violation, or None when ``instance`` is valid."""
        errors = self.errors(name, instance)
        return describe(errors[0]) if errors else None

    def response_errors(self, name: str, body: object) -> list[str]:
        """Readable violations of a response schema (empty when the body conforms): what the tests assert."""
        return [
            f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
            for e in self.validator(name).iter_errors(body)
        ]


def describe(error: jsonschema.ValidationError) -> str:
    """``where: message`` for one violation (``where`` a dotted path, left out at the root)."""
    where = ".".join(str(p) for p in error.absolute_path)
    return f"{where}: {error.message}" if where else error.message


def _file(name: str) -> str:
    return name if name.endswith(".json") else f"{name}.json"
