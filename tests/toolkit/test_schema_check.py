"""The compiled schema check: the same yes or no as jsonschema, on every provider schema, for hostile bodies too."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from simulator.providers.checkout.schemas import REGISTRY as CHECKOUT
from simulator.providers.sumsub.schemas import REGISTRY as SUMSUB
from simulator.toolkit import schemas
from simulator.toolkit.schema_check import Unsupported, compile_check
from simulator.toolkit.schemas import SchemaRegistry

REGISTRIES = [CHECKOUT, SUMSUB]

# Values that break or pass most keywords: types next to each other (a bool is not an integer, 1.0 is),
# lengths at the edges, dates and URLs a format refuses, ids the patterns look for.
PALETTE: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    1.0,
    1.5,
    10000,
    99999,
    100000,
    2**63 - 1,
    -(2**63),
    "",
    "a",
    "ab",
    " ",
    "x" * 256,
    "é" * 255,
    "ab\n",
    "2000-01-31",
    "2000-02-31",
    "20000131",
    "a@b.co",
    "nope",
    "a@b",
    "https://example.com/r",
    "http://",
    "javascript:alert(1)",
    "//evil.example",
    "aplt_abc123",
    "aplt_",
    "idv_abc",
    "usj_" + "a" * 26,
    "usj_" + "a" * 25 + "1",
    "US",
    "usa",
    "U1",
    "+44",
    "44",
    "12345",
    "1" * 15,
    "en",
    "en-GB",
    "2025-01-01T00:00:00Z",
    "2025-01-01T00:00:00.123Z",
    "2025-01-01 00:00:00",
    [],
    [1],
    ["a"],
    [None],
    {},
    {"a": 1},
    {"name": "Bo"},
]


def names(registry: SchemaRegistry) -> list[str]:
    return [name for name in registry.names() if name != "common"]


def _strings(value: Any, found: set[str]) -> None:
    """Every string an ``enum`` or ``const`` names: values a body may well carry."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in ("enum", "const"):
                found.update(v for v in (inner if isinstance(inner, list) else [inner]) if isinstance(v, str))
            _strings(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _strings(inner, found)


class Bodies:
    """Bodies shaped like a schema: its properties, nested, with values now right, now wrong."""

    def __init__(self, registry: SchemaRegistry, seed: int) -> None:
        self.registry = registry
        self.random = random.Random(seed)
        known: set[str] = set()
        for name in registry.names():
            _strings(registry.schema(name), known)
        self.palette = PALETTE + sorted(known)

    def make(self, schema: Any, resolver: Any, depth: int = 0) -> Any:
        pick = self.random.random
        if not isinstance(schema, dict) or depth > 6 or pick() < 0.15:
            return self.random.choice(self.palette)
        if "$ref" in schema and pick() < 0.9:
            resolved = resolver.lookup(schema["$ref"])
            return self.make(resolved.contents, resolved.resolver, depth + 1)
        for key in ("anyOf", "allOf"):
            if key in schema and pick() < 0.9:
                return self.make(self.random.choice(schema[key]), resolver, depth + 1)
        for key in ("enum", "const"):
            if key in schema and pick() < 0.8:
                return self.random.choice(schema["enum"]) if key == "enum" else schema["const"]
        if "items" in schema and pick() < 0.8:
            return [self.make(schema["items"], resolver, depth + 1) for _ in range(self.random.randrange(4))]
        properties = schema.get("properties")
        if properties and pick() < 0.9:
            required = set(schema.get("required", []))
            body = {
                prop: self.make(sub, resolver, depth + 1)
                for prop, sub in properties.items()
                if (prop in required and pick() < 0.95) or pick() < 0.4
            }
            if pick() < 0.1:
                body["unexpected"] = self.random.choice(self.palette)
            return body
        return self.random.choice(self.palette)


def jsonschema_says(registry: SchemaRegistry, name: str, body: Any) -> bool:
    return not any(True for _ in registry.validator(name).iter_errors(body))


@pytest.mark.parametrize("registry", REGISTRIES, ids=lambda r: r.base)
def test_every_provider_schema_compiles(registry):
    """A new keyword in a schema would quietly send every body of it the slow way: compile it here."""
    assert [name for name in registry.names() if registry.check(name) is None] == []


@pytest.mark.parametrize("registry", REGISTRIES, ids=lambda r: r.base)
def test_the_check_agrees_with_jsonschema_on_bodies_right_and_wrong(registry):
    verdicts = {True: 0, False: 0}
    resolver = registry.registry().resolver()
    for name in names(registry):
        uri = registry.base + name + ".json"
        root = resolver.lookup(uri)
        bodies = Bodies(registry, seed=len(name))
        check = registry.check(name)
        for _ in range(150):
            body = bodies.make(root.contents, root.resolver)
            expected = jsonschema_says(registry, name, body)
            assert check(body) is expected, f"{name}: {json.dumps(body)[:300]}"
            verdicts[expected] += 1
    assert min(verdicts.values()) > 200, verdicts  # both answers were put to the test, many times


@pytest.mark.parametrize(
    ("schema", "valid", "invalid"),
    [
        ({"type": "integer"}, [1, 1.0, -(2**70)], [True, 1.5, "1", None]),
        ({"type": "number", "minimum": 0, "maximum": 1}, [0, 0.5, 1], [-0.1, 1.01, False]),
        ({"enum": [1, "a", None]}, [1, 1.0, "a", None], [True, "1", 2, [1]]),
        ({"const": [1, {"a": False}]}, [[1, {"a": False}], [1.0, {"a": False}]], [[True, {"a": 0}], [1]]),
        ({"not": {"type": "string"}}, [1, None], ["x"]),
        ({"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"type": "null"}}, ["ab", None], ["a", 3]),
        ({"additionalProperties": {"type": "string"}, "properties": {"n": {}}}, [{"n": 1, "x": "y"}], [{"x": 1}]),
        (
            {"propertyNames": {"maxLength": 1}, "maxProperties": 2},
            [{"a": 1, "b": 2}],
            [{"ab": 1}, {"a": 1, "b": 2, "c": 3}],
        ),
        ({"dependentRequired": {"a": ["b"]}}, [{"b": 1}, {"a": 1, "b": 2}, "x"], [{"a": 1}]),
        ({"items": {"type": "integer"}, "minItems": 1, "maxItems": 2}, [[1], [1, 2]], [[], [1, 2, 3], ["a"]]),
        ({"pattern": "^a", "format": "email"}, ["a@b.co", 5], ["b@c.de", "abc"]),
        ({"unknownKeyword": 1, "title": "ignored by both"}, [1], []),
        ({"properties": {"yes": True, "no": False}}, [{"yes": 1}], [{"no": 1}]),
    ],
)
def test_keywords_as_jsonschema_reads_them(tmp_path, schema, valid, invalid):
    (tmp_path / "s.json").write_text(json.dumps(schema))
    registry = SchemaRegistry(tmp_path, "test")
    check = registry.check("s")
    for body in valid:
        assert check(body) and jsonschema_says(registry, "s", body), body
    for body in invalid:
        assert not check(body) and not jsonschema_says(registry, "s", body), body


def test_a_schema_that_refers_to_itself(tmp_path):
    tree = {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#"}}}}
    (tmp_path / "tree.json").write_text(json.dumps(tree))
    check = SchemaRegistry(tmp_path, "test").check("tree")
    assert check({"children": [{"children": []}, {}]})
    assert not check({"children": [{"children": [1]}]})


def test_a_keyword_not_compiled_leaves_the_schema_to_jsonschema(tmp_path, monkeypatch):
    (tmp_path / "s.json").write_text(json.dumps({"type": "array", "uniqueItems": True}))
    registry = SchemaRegistry(tmp_path, "test")
    assert registry.check("s") is None
    monkeypatch.setattr(schemas, "VERIFY", False)
    assert [e.message for e in registry.errors("s", [1, 1])] == ["[1, 1] has non-unique elements"]
    with pytest.raises(Unsupported):
        compile_check({"prefixItems": [{}], "items": {}}, None, frozenset({"items", "prefixItems"}), None)


def test_the_tests_compare_both_ways(tmp_path, monkeypatch):
    """With VERIFY on (tests/conftest.py), a compiled check that disagrees with jsonschema fails loudly."""
    (tmp_path / "s.json").write_text(json.dumps({"type": "string", "minLength": 2}))
    registry = SchemaRegistry(tmp_path, "test")
    registry._checks["s"] = lambda body: True  # a broken check: says yes to everything
    with pytest.raises(AssertionError, match="jsonschema finds"):
        registry.errors("s", "a")
    registry._checks["s"] = lambda body: False
    with pytest.raises(AssertionError, match="which jsonschema accepts"):
        registry.errors("s", "ab")
    monkeypatch.setattr(schemas, "VERIFY", False)
    assert registry.errors("s", "ab") == []
