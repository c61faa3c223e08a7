"""Sumsub's one error envelope: ``{description, code, correlationId, errorCode?, errorName?}``.

Handlers raise :class:`SumsubError`; ``render`` is the only place that writes the body. Many
real errors carry only description/code/correlationId; the coded ones add errorCode/errorName.
"""

from __future__ import annotations

from starlette.responses import JSONResponse

from simulator.bodies import BodyError, BodyTooLarge
from simulator.providers.sumsub.constants import ERROR_CODES


class SumsubError(Exception):
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

    def body(self, correlation_id: str) -> dict:
        body: dict = {"description": self.description, "code": self.status, "correlationId": correlation_id}
        if self.error_code is not None:
            body["errorCode"] = self.error_code
            body["errorName"] = self.error_name
        return body


def bad_request(description: str) -> SumsubError:
    return SumsubError(400, description)


def not_found(description: str) -> SumsubError:
    return SumsubError(404, description)


def conflict(description: str) -> SumsubError:
    return SumsubError(409, description)


def invalid_id(value: str) -> SumsubError:
    # The documented wording for an id that is not a 24-hex object id.
    return SumsubError(400, f"Invalid id '{value}'")


def body_error(error: BodyError, *, upload: bool = False) -> SumsubError:
    """A body the shared reader refused: too large (1002 on uploads, else the gateway's 413), or unreadable."""
    if isinstance(error, BodyTooLarge):
        return SumsubError.coded(1002) if upload else SumsubError(413, "HTTP 413 Request Entity Too Large")
    return bad_request(f"Request body is not valid JSON: {error.message}")


def render(error: SumsubError, correlation_id: str) -> JSONResponse:
    return JSONResponse(error.body(correlation_id), status_code=error.status)
