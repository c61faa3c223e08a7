"""The schema registry: files by name, references between them, the formats request bodies use."""

from __future__ import annotations

import json

import pytest

from simulator.toolkit.schemas import SchemaRegistry, is_http_url


@pytest.fixture
def registry(tmp_path):
    (tmp_path / "common.json").write_text(json.dumps({"$defs": {"day": {"type": "string", "format": "date"}}}))
    (tmp_path / "person.json").write_text(
        json.dumps(
            {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "born": {"$ref": "common.json#/$defs/day"},
                    "email": {"type": "string", "format": "email"},
                    "home": {"type": "string", "format": "uri"},
                },
            }
        )
    )
    return SchemaRegistry(tmp_path, "test")


def test_references_resolve_by_file_name_and_formats_are_checked(registry):
    assert registry.names() == ["common", "person"]
    assert registry.first_error("person", {"name": "A", "born": "2000-01-31"}) is None
    assert registry.first_error("person", {"name": "A", "born": "2000-02-31"}) == "born: '2000-02-31' is not a 'date'"
    assert registry.first_error("person", {"name": "A", "email": "nope"}) == "email: 'nope' is not a 'email'"
    assert registry.first_error("person", {}) == "'name' is a required property"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//evil.example", "http://", "http://a b"])
def test_a_uri_is_an_absolute_http_url(registry, url):
    assert not is_http_url(url)
    assert registry.errors("person", {"name": "A", "home": url})


def test_errors_come_in_document_order_and_responses_read_as_paths(registry):
    errors = registry.errors("person", {"name": 1, "born": 2})
    assert [list(e.absolute_path) for e in errors] == [["born"], ["name"]]
    assert registry.response_errors("person", {"name": 1}) == ["name: 1 is not of type 'string'"]
    assert registry.validator("person") is registry.validator("person")  # compiled once
