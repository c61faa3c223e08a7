"""Request and response JSON Schemas, loaded and compiled once.

Requests are validated at run time (:func:`validate_request` raises the provider's error with
``{attribute}__{error}`` codes); the tests validate every response with :func:`response_errors`.
Files reference each other by ``$id`` (``common.json#/$defs/...``).
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.providers.checkout.errors import CheckoutError, ValidationFailed
from simulator.toolkit.pages import is_http_url

if TYPE_CHECKING:  # jsonschema is imported on first use: start-up does not need it
    import jsonschema
    from referencing import Registry

FOLDER = Path(__file__).parent
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(_EMAIL.match(value))


def _is_date(value: object) -> bool:
    if isinstance(value, str):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return False
        date.fromisoformat(value)
    return True


def _is_uri(value: object) -> bool:
    """An absolute http(s) URL. The only request fields with ``format: uri`` are ``redirect_url``s, where the
    hosted page sends the applicant: a ``javascript:`` or ``data:`` URL there would run in the merchant's name."""
    if not isinstance(value, str):
        return True
    return is_http_url(value)


@cache
def _formats() -> jsonschema.FormatChecker:
    import jsonschema

    formats = jsonschema.FormatChecker(formats=())
    formats.checks("email")(_is_email)
    formats.checks("date", raises=ValueError)(_is_date)
    formats.checks("uri")(_is_uri)
    return formats


@cache
def _registry() -> Registry:
    from referencing import Registry, Resource

    resources = []
    for path in sorted(FOLDER.glob("*.json")):
        contents = json.loads(path.read_text())
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = _registry().contents(name if name.endswith(".json") else f"{name}.json")
    import jsonschema

    return jsonschema.Draft202012Validator(schema, registry=_registry(), format_checker=_formats())


def names() -> list[str]:
    return sorted(p.stem for p in FOLDER.glob("*.json"))


def _leaves(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    """The errors that explain an ``anyOf`` failure, skipping the 'or null' branch."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        useful = [e for e in error.context if not (e.validator == "type" and e.validator_value == "null")]
        found = [leaf for e in useful for leaf in _leaves(e)]
        return found or [error]
    return [error]


# Attributes whose documented code for a bad value is ``__invalid`` even when a pattern decides it.
INVALID_NOT_FORMAT = frozenset({"user_journey_id"})


def error_code(error: jsonschema.ValidationError) -> list[str]:
    """``declared_data__name__required``-style codes for one schema violation."""
    path = [str(p) for p in error.absolute_path]
    if error.validator == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        return ["__".join([*path, name, "required"]) for name in error.validator_value if name not in instance]
    if not path:
        return ["request_body__invalid"]
    by_format = error.validator in ("pattern", "format") and path[-1] not in INVALID_NOT_FORMAT
    return ["__".join([*path, "invalid_format" if by_format else "invalid"])]


def request_error_codes(name: str, body: Any) -> list[str]:
    codes: list[str] = []
    for error in sorted(validator(name).iter_errors(body), key=lambda e: [str(p) for p in e.absolute_path]):
        for leaf in _leaves(error):
            for code in error_code(leaf):
                if code not in codes:
                    codes.append(code)
    return codes


def validate_request(name: str, body: Any, invalid: type[CheckoutError] | None = None) -> None:
    codes = request_error_codes(name, body)
    if codes:
        raise (invalid or ValidationFailed)(*codes)


def response_errors(name: str, body: Any) -> list[str]:
    """Human-readable violations of a response schema (empty when the body conforms)."""
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator(name).iter_errors(body)
    ]
