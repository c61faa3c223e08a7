"""A JSON Schema compiled once into a plain Python predicate: is an instance valid, yes or no.

``jsonschema`` walks the schema on every call: a generator per keyword, a new validator per
subschema, each ``$ref`` looked up again in the registry. For a request body that is valid (nearly
all of them) none of that is needed to say so. :func:`compile_check` turns a schema, its ``$ref``
targets resolved once, into nested closures that answer exactly what ``jsonschema``'s
``is_valid`` answers for the keywords below, written after ``jsonschema/_keywords.py``. The
registry asks it first and runs ``jsonschema`` only for a body it refuses, so every error message
stays ``jsonschema``'s own. A schema using a validation keyword not handled here compiles to
None, and always goes the ``jsonschema`` way. The tests run both on every body they send
(``VERIFY`` in ``toolkit/schemas.py``) and on hostile instances of every schema.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

# Keywords with nothing to validate (``then``/``else`` are read by ``if``, ``$defs`` by ``$ref``).
_IGNORED = frozenset(
    ("$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default", "deprecated")
    + ("readOnly", "writeOnly", "then", "else")
)


class Unsupported(Exception):
    """The schema uses a keyword this module does not compile: the registry keeps to ``jsonschema``."""


def _number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


# jsonschema's Draft 2020-12 type checker, type by type.
_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "number": _number,
    "integer": lambda v: not isinstance(v, bool) and (isinstance(v, int) or (isinstance(v, float) and v.is_integer())),
}


def compile_check(schema: Any, resolver: Any, validates: frozenset[str], format_checker: Any) -> Check:
    """The predicate of ``schema`` (``resolver``: a ``referencing`` resolver at its base URI).

    ``validates``: every keyword ``jsonschema`` validates with (any other is ignored by both);
    raises :class:`Unsupported` for one of them not compiled here.
    """
    compiled: dict[int, Check] = {}

    def build(schema: Any, resolver: Any) -> Check:
        if schema is True:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, dict):
            raise Unsupported(f"a schema that is a {type(schema).__name__}")
        if "$id" in schema:  # as jsonschema does when it descends into a subschema with an id
            from referencing.jsonschema import DRAFT202012

            resolver = resolver.in_subresource(DRAFT202012.create_resource(schema))
        # A subschema's base URI follows from where it sits (its document, the ids above it), not
        # from the way it was reached: the dict itself is the key.
        key = id(schema)
        found = compiled.get(key)
        if found is not None:
            return found
        cell: list[Check] = []
        compiled[key] = lambda v: cell[0](v)  # a schema that refers to itself, while it is being built
        built = [keyword(name, value, schema, resolver) for name, value in schema.items()]
        checks = [c for c in built if c is not None]
        if len(checks) == 1:
            whole = checks[0]
        else:

            def whole(v: Any) -> bool:
                return all(c(v) for c in checks)

        cell.append(whole)
        compiled[key] = whole
        return whole

    def keyword(name: str, value: Any, schema: dict[str, Any], resolver: Any) -> Check | None:
        if name in _IGNORED or name not in validates:
            return None
        if name == "type":
            names = value if isinstance(value, list) else [value]
            unknown = [n for n in names if n not in _TYPES]
            if unknown:
                raise Unsupported(f"type {unknown[0]!r}")
            tests = [_TYPES[n] for n in names]
            if len(tests) == 1:
                return tests[0]
            return lambda v: any(t(v) for t in tests)
        if name == "properties":
            subs = [(prop, build(sub, resolver)) for prop, sub in value.items()]
            return lambda v: not isinstance(v, dict) or all(c(v[p]) for p, c in subs if p in v)
        if name == "required":
            needed = list(value)
            return lambda v: not isinstance(v, dict) or all(p in v for p in needed)
        if name == "additionalProperties":
            if "patternProperties" in schema:
                raise Unsupported("patternProperties")
            known = schema.get("properties", {})
            if isinstance(value, dict):
                extra = build(value, resolver)
                return lambda v: not isinstance(v, dict) or all(extra(v[p]) for p in v if p not in known)
            if value:
                return None
            return lambda v: not isinstance(v, dict) or all(p in known for p in v)
        if name == "enum":
            return _enum(list(value))
        if name == "const":
            return _enum([value])
        if name == "minLength":
            return lambda v: not isinstance(v, str) or len(v) >= value
        if name == "maxLength":
            return lambda v: not isinstance(v, str) or len(v) <= value
        if name == "pattern":
            search = re.compile(value).search
            return lambda v: not isinstance(v, str) or search(v) is not None
        if name == "format":
            if format_checker is None:
                return None
            conforms = format_checker.conforms
            return lambda v: conforms(v, value)
        if name == "minimum":
            return lambda v: not _number(v) or not v < value
        if name == "maximum":
            return lambda v: not _number(v) or not v > value
        if name == "items":
            if "prefixItems" in schema:
                raise Unsupported("prefixItems")
            item = build(value, resolver)
            return lambda v: not isinstance(v, list) or all(item(i) for i in v)
        if name == "minItems":
            return lambda v: not isinstance(v, list) or len(v) >= value
        if name == "maxItems":
            return lambda v: not isinstance(v, list) or len(v) <= value
        if name == "maxProperties":
            return lambda v: not isinstance(v, dict) or len(v) <= value
        if name == "propertyNames":
            key = build(value, resolver)
            return lambda v: not isinstance(v, dict) or all(key(p) for p in v)
        if name == "dependentRequired":
            pairs = [(prop, list(needs)) for prop, needs in value.items()]
            return lambda v: not isinstance(v, dict) or all(n in v for p, needs in pairs if p in v for n in needs)
        if name == "$ref":
            resolved = resolver.lookup(value)
            return build(resolved.contents, resolved.resolver)
        if name == "allOf":
            parts = [build(sub, resolver) for sub in value]
            return lambda v: all(c(v) for c in parts)
        if name == "anyOf":
            parts = [build(sub, resolver) for sub in value]
            return lambda v: any(c(v) for c in parts)
        if name == "not":
            negated = build(value, resolver)
            return lambda v: not negated(v)
        if name == "if":
            condition = build(value, resolver)
            then = build(schema["then"], resolver) if "then" in schema else None
            otherwise = build(schema["else"], resolver) if "else" in schema else None

            def if_then_else(v: Any) -> bool:
                chosen = then if condition(v) else otherwise
                return chosen is None or chosen(v)

            return if_then_else
        raise Unsupported(name)

    return build(schema, resolver)


def _enum(values: list[Any]) -> Check:
    """``jsonschema``'s ``equal`` against each value: a string equals only that string, and a
    number is never a boolean (``1`` is not ``true``), in lists and objects too."""
    from jsonschema._utils import equal

    strings = frozenset(v for v in values if isinstance(v, str))
    others = [v for v in values if not isinstance(v, str)]

    def check(v: Any) -> bool:
        if isinstance(v, str):
            return v in strings
        return any(equal(each, v) for each in others)

    return check
