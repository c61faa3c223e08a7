"""The control API's one error envelope: ``{"error": {"type", "message"}}``."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from simulator.bodies import BodyError, body_limit, read_json

TRUE, FALSE = ("1", "true", "yes"), ("0", "false", "no")


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
    try:
        data = await read_json(request, body_limit(request))
    except BodyError as exc:
        raise ControlError(exc.status, "invalid_request", exc.message) from None
    if data is None:
        if required:
            raise bad_request("a JSON object body is required")
        return {}
    if not isinstance(data, dict):
        raise bad_request("the body must be a JSON object")
    return data


def optional_str(data: dict[str, Any], key: str, *, max_length: int = 1024) -> str | None:
    """``data[key]`` when it is a string (or absent/null); a 400 for any other type or an overlong one."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad_request(f"'{key}' must be a string, not {json.dumps(value)}")
    if len(value) > max_length:
        raise bad_request(f"'{key}' must be at most {max_length} characters")
    return value


def query_int(
    request: Request, name: str, default: int | None, *, minimum: int = 0, maximum: int = 100_000
) -> int | None:
    """A whole-number query parameter within ``minimum..maximum``; a 400 otherwise."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or not minimum <= int(raw) <= maximum:
        raise bad_request(f"'{name}' must be a whole number from {minimum} to {maximum}, not {raw!r}")
    return int(raw)


def query_flag(request: Request, name: str) -> bool | None:
    """A true/false query parameter (also 1/0, yes/no); None when absent; a 400 otherwise."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() in TRUE:
        return True
    if raw.lower() in FALSE:
        return False
    raise bad_request(f"'{name}' must be true or false, not {raw!r}")
