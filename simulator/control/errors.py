"""The control API's one error envelope: ``{"error": {"type", "message"}}``."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse


class ControlError(Exception):
    def __init__(self, status: int, type_: str, message: str) -> None:
        super().__init__(message)
        self.status, self.type, self.message = status, type_, message

    def response(self) -> JSONResponse:
        return JSONResponse({"error": {"type": self.type, "message": self.message}}, status_code=self.status)


def bad_request(message: str) -> ControlError:
    return ControlError(400, "invalid_request", message)


def not_found(message: str) -> ControlError:
    return ControlError(404, "not_found", message)


async def json_body(request: Request, *, required: bool = False) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        if required:
            raise bad_request("a JSON object body is required")
        return {}
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise bad_request(f"the body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise bad_request("the body must be a JSON object")
    return data


def number(data: dict[str, Any], key: str, *, minimum: float = 0) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise bad_request(f"'{key}' must be a number, not {json.dumps(value)}")
    if value < minimum:
        raise bad_request(f"'{key}' must be at least {minimum}")
    return float(value)
