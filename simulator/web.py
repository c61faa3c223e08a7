"""Small HTTP helpers shared by providers (no provider logic here)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.responses import JSONResponse as StarletteJSONResponse
from starlette.responses import Response


def base_url(scope: Mapping[str, Any]) -> str:
    """``scheme://host[:port][root_path]`` as the client reached the simulator, without a trailing slash.

    Read straight from the ASGI scope: building Starlette's ``URL`` for this costs more than
    the rest of a GET, and links in every response need it.
    """
    host = next((value.decode("latin-1") for key, value in scope["headers"] if key == b"host"), None)
    if not host:
        server = scope.get("server")
        host = f"{server[0]}:{server[1]}" if server else "localhost"
    return f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}".rstrip("/")


# Starlette's JSONResponse calls json.dumps with non-default arguments, which builds a new
# JSONEncoder for every response; one shared encoder with the same settings gives the same bytes.
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))


def encode_json(content: Any) -> bytes:
    """The bytes :class:`JSONResponse` sends for ``content``."""
    return _ENCODER.encode(content).encode("utf-8")


class JSONResponse(StarletteJSONResponse):
    def render(self, content: Any) -> bytes:
        return encode_json(content)


class EncodedJSONResponse(Response):
    """A JSON body encoded already (by :func:`encode_json`): the same headers as :class:`JSONResponse`."""

    media_type = "application/json"
