"""Sumsub's one error envelope: ``{description, code, correlationId, errorCode?, errorName?}``.

Handlers raise :class:`SumsubError`; the toolkit renders it through the hooks below, the only
place that writes the body. Many real errors carry only description/code/correlationId; the coded
ones add errorCode/errorName.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from simulator.bodies import BodyError, BodyTooLarge, NotAnObject, UnsupportedMediaType
from simulator.providers.sumsub.constants import ERROR_CODES
from simulator.toolkit.errors import ProviderError
from simulator.toolkit.schemas import describe

if TYPE_CHECKING:
    from jsonschema import ValidationError

    from simulator.toolkit.routes import Operation

ROUTING_DESCRIPTIONS = {404: "Not found", 405: "Method not allowed"}


class SumsubError(ProviderError):
    provider = "sumsub"

    def __init__(self, status: int, description: str, error_code: int | None = None, error_name: str | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.error_code = error_code
        self.error_name = error_name

    @classmethod
    def coded(cls, error_code: int, description: str | None = None) -> SumsubError:
        name, status, default = ERROR_CODES[error_code]
        return cls(status, description or default, error_code, name)

    def envelope(self, error_id: str | None) -> dict[str, Any]:
        body: dict[str, Any] = {"description": self.description, "code": self.status, "correlationId": error_id}
        if self.error_code is not None:
            body["errorCode"] = self.error_code
            body["errorName"] = self.error_name
        return body

    @classmethod
    def error_id(cls, request: Request) -> str:
        """A fresh correlation id from the simulator's own stream."""
        return request.app.state.sim.ids.hex(32, None)

    @classmethod
    def for_status(cls, status: int, message: str) -> SumsubError:
        return cls(status, ROUTING_DESCRIPTIONS.get(status, message if status < 500 else "Error"))

    @classmethod
    def from_body(cls, error: BodyError, op: Operation | None = None) -> SumsubError:
        """Too large (1002 on uploads, else the gateway's 413), another content type (415), or unreadable."""
        if isinstance(error, BodyTooLarge):
            return cls.coded(1002) if op is not None and op.upload else cls(413, "HTTP 413 Request Entity Too Large")
        if isinstance(error, UnsupportedMediaType):  # a JSON endpoint sent something else
            return cls(415, "HTTP 415 Unsupported Media Type")
        if isinstance(error, NotAnObject):
            return bad_request("Request body must be a JSON object")
        detail = error.message.removeprefix("the body is not valid JSON: ")  # said once, not twice
        return bad_request(f"Request body is not valid JSON: {detail}")

    @classmethod
    def invalid(cls, op: Operation | None, schema: str, errors: list[ValidationError]) -> SumsubError:
        return bad_request(f"Invalid request: {describe(errors[0])}")

    @classmethod
    def empty_body(cls, op: Operation | None) -> SumsubError:
        return bad_request("Request body is empty: a JSON object is expected")


def bad_request(description: str) -> SumsubError:
    return SumsubError(400, description)


def not_found(description: str) -> SumsubError:
    return SumsubError(404, description)


def conflict(description: str) -> SumsubError:
    return SumsubError(409, description)


def invalid_id(value: str) -> SumsubError:
    # The documented wording for an id that is not a 24-hex object id.
    return SumsubError(400, f"Invalid id '{value}'")
