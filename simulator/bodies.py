"""One strict reader for every request body kycsim parses: both providers and the control API.

Bodies come from clients under test, so anything may arrive. Everything that reads a body goes
through here, which keeps the same limits on every route:

- size: the route's cap (``max_body_bytes``, or ``max_upload_bytes`` on upload routes), checked
  against ``Content-Length`` before reading and again while reading (chunked bodies);
- text: strict UTF-8, no byte-order mark; a JSON escape for a lone surrogate (``"\\ud800"``) is
  refused, since such a string could be stored but never written out again;
- numbers: integers within 64 bits, finite floats (no ``NaN``, ``Infinity``, ``1e999``), and no
  number longer than ``MAX_NUMBER_CHARS`` characters;
- structure: at most ``MAX_DEPTH`` nested arrays and objects.

A problem raises :class:`BodyError` (or :class:`BodyTooLarge`) with a message a client can act
on; each caller turns it into its own envelope. Values are still range-checked by the handler
that uses them: the reader only guarantees that whatever it returns can be stored, compared and
written back out.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect, Request

MAX_DEPTH = 32
MAX_NUMBER_CHARS = 64
INT_RANGE = (-(2**63), 2**63 - 1)

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


class BodyError(ValueError):
    """The body cannot be used. ``status`` is the HTTP status it calls for (400 unless said)."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BodyTooLarge(BodyError):
    status = 413

    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body is larger than {limit} bytes, the most this route accepts")
        self.limit = limit


class UnsupportedMediaType(BodyError):
    """A body sent with a ``Content-Type`` the route does not read as JSON (``media_type``: as sent, lowercased)."""

    status = 415

    def __init__(self, media_type: str) -> None:
        super().__init__(f"expected application/json, got {media_type!r}")
        self.media_type = media_type


class NotAnObject(BodyError):
    """Valid JSON, but not the object the route expects."""

    def __init__(self) -> None:
        super().__init__("the body must be a JSON object")


class _Refused(ValueError):
    """Raised from the JSON parser's hooks: a value the parser saw but kycsim does not take."""


def _parse_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(f"the number {text[:20]}... is too long (at most {MAX_NUMBER_CHARS} characters)")
    value = int(text)
    if not INT_RANGE[0] <= value <= INT_RANGE[1]:
        raise _Refused(f"the integer {text} is out of range (integers must fit in 64 bits)")
    return value


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(f"the number {text[:20]}... is too long (at most {MAX_NUMBER_CHARS} characters)")
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text} is out of range (numbers must be finite)")
    return value


def _parse_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON number (numbers must be finite)")


def parse_json(raw: bytes | str) -> Any:
    """The JSON value in ``raw``, within the limits above; raises :class:`BodyError`."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BodyError(f"the body is not valid UTF-8 (byte {exc.start})") from None
    else:
        text = raw
    try:
        value = json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)
    except _Refused as exc:
        raise BodyError(str(exc)) from None
    except RecursionError:
        raise BodyError(f"the JSON is nested too deeply (at most {MAX_DEPTH} levels)") from None
    except ValueError as exc:  # JSONDecodeError, and int() past Python's digit limit
        raise BodyError(f"the body is not valid JSON: {exc}") from None
    _check_structure(value, strings=bool(_SURROGATE_ESCAPE.search(text)))
    return value


def _check_structure(value: Any, *, strings: bool) -> None:
    """Depth, and (only when the text escapes a surrogate) every string and key encodes as UTF-8."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if depth > MAX_DEPTH:
                raise BodyError(f"the JSON is nested too deeply (at most {MAX_DEPTH} levels)")
            for key, inner in item.items():
                if strings:
                    check_text(key)
                stack.append((inner, depth + 1))
        elif isinstance(item, list):
            if depth > MAX_DEPTH:
                raise BodyError(f"the JSON is nested too deeply (at most {MAX_DEPTH} levels)")
            stack.extend((inner, depth + 1) for inner in item)
        elif strings and isinstance(item, str):
            check_text(item)


def check_text(text: str) -> str:
    """``text`` if it can be written out as UTF-8 (no lone surrogate); raises :class:`BodyError`."""
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise BodyError("a string holds an unpaired UTF-16 surrogate (such as \\ud800): not text") from None
    return text


def declared_length(request: Request) -> int | None:
    raw = request.headers.get("content-length")
    return int(raw) if raw is not None and raw.isdigit() and len(raw) < 20 else None


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body, at most ``limit`` bytes; cached on the request like ``request.body()``.

    Starlette keeps a body it has read in ``request._body``, where ``request.body()``,
    ``request.form()`` and ``request.stream()`` look first; the body read here goes there too,
    so later readers (a signature check, a form parser) see the same bytes.
    """
    cached = getattr(request, "_body", None)
    if cached is not None:
        if len(cached) > limit:
            raise BodyTooLarge(limit)
        return cached
    declared = declared_length(request)
    if declared is not None and declared > limit:
        raise BodyTooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge(limit)
            chunks.append(chunk)
    except ClientDisconnect:
        raise BodyError("the client went away before the body was complete") from None
    body = b"".join(chunks)
    request._body = body
    return body


async def read_json(request: Request, limit: int) -> Any:
    """The JSON value of the body, or None when the body is empty (or only whitespace)."""
    raw = await read_body(request, limit)
    if not raw.strip():
        return None
    return parse_json(raw)


async def read_form(request: Request, limit: int, *, max_fields: int = 1000, max_files: int = 10) -> FormData:
    """An urlencoded or multipart form, at most ``limit`` bytes; raises :class:`BodyError`."""
    await read_body(request, limit)
    try:
        return await request.form(max_files=max_files, max_fields=max_fields, max_part_size=limit)
    except (HTTPException, MultiPartException, ValueError, KeyError) as exc:
        # Starlette turns a malformed multipart body into a 400 HTTPException inside an app.
        detail = getattr(exc, "detail", None) or str(exc) or type(exc).__name__
        raise BodyError(f"the form body could not be parsed: {detail}") from None


def body_limit(request: Request, *, upload: bool = False) -> int:
    """The body cap of this simulator's settings: ``max_upload_bytes`` on upload routes, else ``max_body_bytes``."""
    app = request.scope.get("app")
    settings = getattr(getattr(getattr(app, "state", None), "sim", None), "settings", None)
    if settings is not None:
        return settings.max_upload_bytes if upload else settings.max_body_bytes
    # An app without a simulator. Imported here, not at the top: the settings import every provider.
    from simulator.settings import DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_UPLOAD_BYTES

    return DEFAULT_MAX_UPLOAD_BYTES if upload else DEFAULT_MAX_BODY_BYTES
