"""Checkout.com's error envelope, in one place: ``{"request_id", "error_type", "error_codes"}``.

Code raises a :class:`CheckoutError` subclass; the toolkit renders it through the hooks below.
Error codes follow the provider's ``{attribute}__{error}`` and ``{object}__{attribute}__{error}``
forms (``declared_data__name__required``). A 401 carries no body, as Checkout.com's gateway
answers; every response carries ``Cko-Request-Id``, the same id as the body's ``request_id``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from simulator.bodies import BodyError, BodyTooLarge, NotAnObject, UnsupportedMediaType
from simulator.providers.checkout import constants as c
from simulator.toolkit.errors import ProviderError

if TYPE_CHECKING:
    from jsonschema import ValidationError

    from simulator.toolkit.routes import Operation

# The applicant endpoints document only 400 for a body that breaks the schema; the rest 422.
ANSWER_400_TO_INVALID_BODIES = frozenset({"create_applicant", "update_applicant"})
# Attributes whose documented code for a bad value is ``__invalid`` even when a pattern decides it.
INVALID_NOT_FORMAT = frozenset({"user_journey_id"})


class CheckoutError(ProviderError):
    status = 500
    provider = "checkout"
    error_type = c.ERROR_SERVER

    def __init__(self, *error_codes: str, message: str = "") -> None:
        self.error_codes = list(error_codes)
        super().__init__(message or ", ".join(error_codes) or self.error_type)

    def envelope(self, error_id: str | None) -> dict[str, Any] | None:
        return {"request_id": error_id, "error_type": self.error_type, "error_codes": self.error_codes}

    @classmethod
    def error_id(cls, request: Request) -> str:
        """The call's request id (drawn once per call by the provider), or a new one."""
        state = request.scope.get("state") or {}
        return state.get("request_id") or new_request_id(request.app.state.sim, state.get("tenant"))

    @classmethod
    def headers(cls, error_id: str | None) -> dict[str, str]:
        return {c.REQUEST_ID_HEADER: error_id or ""}

    @classmethod
    def for_status(cls, status: int, message: str) -> CheckoutError:
        if status == 404:
            return NotFound("resource_not_found", message=message)
        if status == 405:
            return MethodNotAllowed("method_not_allowed", message=message)
        if status == 413:
            return PayloadTooLarge("request_body__too_large", message=message)
        if 400 <= status < 500:
            return InvalidRequest("request_body__invalid", message=message)
        return CheckoutError("internal_server_error", message=message)

    @classmethod
    def from_body(cls, error: BodyError, op: Operation | None = None) -> CheckoutError:
        """413 when too large; 400 for a wrong content type, a body that is no JSON object, or no JSON."""
        if isinstance(error, BodyTooLarge):
            return PayloadTooLarge("request_body__too_large", message=error.message)
        if isinstance(error, UnsupportedMediaType):
            return InvalidRequest("content_type__invalid", message=error.message)
        if isinstance(error, NotAnObject):
            return InvalidRequest("request_body__invalid", message=error.message)
        return InvalidRequest("request_body__invalid_json", message=error.message)

    @classmethod
    def invalid(cls, op: Operation | None, schema: str, errors: list[ValidationError]) -> CheckoutError:
        codes: list[str] = []
        for error in errors:
            for leaf in _leaves(error):
                codes.extend(code for code in error_code(leaf) if code not in codes)
        answer_400 = op is not None and op.name in ANSWER_400_TO_INVALID_BODIES
        return (InvalidRequest if answer_400 else ValidationFailed)(*codes)


class Unauthorized(CheckoutError):
    status = 401
    error_type = c.ERROR_UNAUTHORIZED

    def envelope(self, error_id: str | None) -> None:
        return None


class InvalidRequest(CheckoutError):
    """400: the body is not JSON, has the wrong content type, or (applicants) fails validation."""

    status = 400
    error_type = c.ERROR_INVALID_REQUEST


class ValidationFailed(CheckoutError):
    """422: the JSON body breaks the request schema."""

    status = 422
    error_type = c.ERROR_REQUEST_INVALID


class NotFound(CheckoutError):
    status = 404
    error_type = c.ERROR_NOT_FOUND


class Conflict(CheckoutError):
    """409: e.g. an attempt is not allowed in the check's current status."""

    status = 409
    error_type = c.ERROR_CONFLICT


class MethodNotAllowed(CheckoutError):
    status = 405
    error_type = c.ERROR_METHOD


class PayloadTooLarge(CheckoutError):
    """413: the body is over the route's cap (the gateway's answer is undocumented; this is the API's envelope)."""

    status = 413
    error_type = c.ERROR_TOO_LARGE


def not_found(resource: str) -> NotFound:
    """``applicant_not_found``-style error for an unknown id or another tenant's id."""
    return NotFound(f"{resource}_not_found")


def new_request_id(sim: Any, tenant: str | None) -> str:
    # Its own id stream, so request ids never shift the ids of the tenant's resources.
    return sim.ids.uuid(f"{tenant or ''}#requests")


# Schema violations -> error codes


def _leaves(error: ValidationError) -> list[ValidationError]:
    """The errors that explain an ``anyOf`` failure, skipping the 'or null' branch."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        useful = [e for e in error.context if not (e.validator == "type" and e.validator_value == "null")]
        found = [leaf for e in useful for leaf in _leaves(e)]
        return found or [error]
    return [error]


def error_code(error: ValidationError) -> list[str]:
    """``declared_data__name__required``-style codes for one schema violation."""
    path = [str(p) for p in error.absolute_path]
    if error.validator == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        names = error.validator_value if isinstance(error.validator_value, list) else []
        return ["__".join([*path, name, "required"]) for name in names if name not in instance]
    if not path:
        return ["request_body__invalid"]
    by_format = error.validator in ("pattern", "format") and path[-1] not in INVALID_NOT_FORMAT
    return ["__".join([*path, "invalid_format" if by_format else "invalid"])]
