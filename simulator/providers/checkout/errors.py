"""Checkout.com's error envelope, in one place: ``{"request_id", "error_type", "error_codes"}``.

Code raises a :class:`CheckoutError` subclass; :func:`error_response` turns it into the body
Checkout.com sends. Error codes follow the provider's ``{attribute}__{error}`` and
``{object}__{attribute}__{error}`` forms (``declared_data__name__required``). A 401 carries
no body, as Checkout.com's gateway answers; every response carries ``Cko-Request-Id``.
"""

from __future__ import annotations

from starlette.responses import JSONResponse, Response

from simulator.bodies import BodyError, BodyTooLarge
from simulator.providers.checkout import constants as c


class CheckoutError(Exception):
    status = 500
    error_type = c.ERROR_SERVER

    def __init__(self, *error_codes: str, message: str = "") -> None:
        self.error_codes = list(error_codes)
        self.message = message or ", ".join(error_codes) or self.error_type
        super().__init__(self.message)

    def body(self, request_id: str) -> dict | None:
        return {"request_id": request_id, "error_type": self.error_type, "error_codes": self.error_codes}


class Unauthorized(CheckoutError):
    status = 401
    error_type = c.ERROR_UNAUTHORIZED

    def body(self, request_id: str) -> dict | None:
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


def body_error(error: BodyError) -> CheckoutError:
    """The envelope for a body the shared reader refused: 413 when too large, else a 400."""
    if isinstance(error, BodyTooLarge):
        return PayloadTooLarge("request_body__too_large", message=error.message)
    return InvalidRequest("request_body__invalid_json", message=error.message)


def error_response(error: CheckoutError, request_id: str) -> Response:
    body = error.body(request_id)
    headers = {c.REQUEST_ID_HEADER: request_id}
    if body is None:
        return Response(status_code=error.status, headers=headers)
    return JSONResponse(body, status_code=error.status, headers=headers)


def for_status(status: int, message: str = "") -> CheckoutError:
    """The error for a routing failure or an unexpected exception (the engine's 404/405/500)."""
    if status == 404:
        return NotFound("resource_not_found", message=message)
    if status == 405:
        return MethodNotAllowed("method_not_allowed", message=message)
    if status == 413:
        return PayloadTooLarge("request_body__too_large", message=message)
    if 400 <= status < 500:
        return InvalidRequest("request_body__invalid", message=message)
    return CheckoutError("internal_server_error", message=message)
