"""HTTP for webhooks: one endpoint's sender, and the chaos that cuts a connection half-way.

A :class:`Sender` is one endpoint's way out: at most ``limit`` attempts in flight, each on a
keep-alive HTTP/1.1 connection of its own, so the connections it keeps are exactly as many as
the attempts it allows. An attempt first waits for a free slot, and only then starts: waiting
is never part of an attempt, so it can neither time out nor count as a failure however many
deliveries are queued. The client is a few dozen lines of asyncio rather than an HTTP library
because it runs for every attempt: a burst of thousands of events must cost the API little
(about 40 µs of CPU per attempt, against about 2 ms with httpx's pool under the same load).

Every result is an :class:`Outcome`, never an exception: a refused connection, a timeout or a
reset is a failed attempt, logged as what it was.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import urlsplit

EXCERPT = 500
MAX_HEAD = 64 * 1024  # response status line and headers
KEEP_BODY = 4 * EXCERPT  # what is kept of a response body to make the excerpt; the rest is read and dropped


@dataclass
class Outcome:
    status_code: int | None
    error: str | None
    excerpt: str
    latency_ms: float

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class ResponseError(Exception):
    """The receiver's answer is not HTTP/1.x kycsim can read."""


@dataclass(frozen=True)
class Target:
    secure: bool
    host: str
    port: int
    netloc: str
    path: str  # path and query, as the request line carries them

    @classmethod
    def parse(cls, url: str) -> Target:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        secure = parts.scheme == "https"
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return cls(secure, parts.hostname, parts.port or (443 if secure else 80), parts.netloc, path)


class Sender:
    def __init__(self, limit: int) -> None:
        self.limit = max(int(limit), 1)
        self.slot = asyncio.Semaphore(self.limit)  # ``async with sender.slot:`` around each attempt
        self.closed = False
        self._idle: dict[tuple[bool, str, int], list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]] = {}

    async def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> Outcome:
        """POST ``body`` to ``url``; call it holding :attr:`slot`. ``timeout`` covers connecting and the answer."""
        started = time.perf_counter()
        try:
            target = _target(url)
            request = _request(target, body, headers)
        except (ValueError, UnicodeError) as exc:
            return Outcome(None, f"cannot send: {exc}", "", _elapsed(started))
        stage = ["connecting"]
        try:
            async with asyncio.timeout(timeout):
                status, excerpt = await self._exchange(target, request, stage)
        except TimeoutError:
            return Outcome(None, f"timeout after {timeout:g}s {stage[0]}", "", _elapsed(started))
        except Exception as exc:  # any transport failure is a failed attempt
            return Outcome(None, _describe(exc), "", _elapsed(started))
        return Outcome(status, None, excerpt, _elapsed(started))

    def close(self) -> None:
        """Close the idle connections; those in use close when their attempt ends."""
        self.closed = True
        for connections in self._idle.values():
            for _, writer in connections:
                writer.close()
        self._idle.clear()

    # Private functions

    async def _exchange(self, target: Target, request: bytes, stage: list[str]) -> tuple[int, str]:
        origin = (target.secure, target.host, target.port)
        reused = self._reuse(origin)
        if reused is not None:
            try:
                return await self._round_trip(origin, *reused, request, stage)
            except _Stale:
                pass  # the receiver closed the idle connection: once more on a new one
        stage[0] = "connecting"
        reader, writer = await asyncio.open_connection(
            target.host, target.port, ssl=_tls() if target.secure else None, limit=MAX_HEAD
        )
        try:
            return await self._round_trip(origin, reader, writer, request, stage)
        except _Stale as exc:
            raise ConnectionResetError("the receiver closed the connection without answering") from exc.__cause__

    def _reuse(self, origin: tuple[bool, str, int]) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        connections = self._idle.get(origin)
        while connections:
            reader, writer = connections.pop()
            if not (reader.at_eof() or writer.is_closing()):
                return reader, writer
            writer.close()
        return None

    async def _round_trip(
        self,
        origin: tuple[bool, str, int],
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        request: bytes,
        stage: list[str],
    ) -> tuple[int, str]:
        keep = False
        try:
            stage[0] = "sending"
            try:
                writer.write(request)
                await writer.drain()
            except (ConnectionResetError, BrokenPipeError) as exc:
                raise _Stale from exc
            stage[0] = "waiting for the response"
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError as exc:
                if not exc.partial:
                    raise _Stale from exc
                raise ResponseError("the connection closed in the middle of the response head") from None
            except ConnectionResetError as exc:
                raise _Stale from exc
            except asyncio.LimitOverrunError:
                raise ResponseError(f"response head larger than {MAX_HEAD} bytes") from None
            version, status, fields = _parse_head(head)
            while 100 <= status < 200:  # 100 Continue and the like come before the real answer
                version, status, fields = _parse_head(await reader.readuntil(b"\r\n\r\n"))
            stage[0] = "reading the response body"
            data, until_close = await _read_body(reader, status, fields)
            connection = fields.get("connection", "").lower()
            keep = not until_close and (
                "keep-alive" in connection if version == "HTTP/1.0" else "close" not in connection
            )
            return status, data.decode("utf-8", "replace")[:EXCERPT]
        finally:
            if keep and not self.closed:
                self._idle.setdefault(origin, []).append((reader, writer))
            else:
                writer.close()


class _Stale(Exception):
    """A connection died before any byte of the answer came."""


@lru_cache(maxsize=1024)  # an endpoint's URL, parsed once rather than for every attempt
def _target(url: str) -> Target:
    return Target.parse(url)


@cache
def _tls() -> ssl.SSLContext:
    return ssl.create_default_context()


def _request(target: Target, body: bytes, headers: dict[str, str], *, close: bool = False) -> bytes:
    """The request's bytes; ``close``: a ``Connection: close`` request (kycsim ends the connection)."""
    lines = [f"POST {target.path} HTTP/1.1", f"Host: {target.netloc}", f"Content-Length: {len(body)}"]
    lines += ["Connection: close"] * close
    for name, value in headers.items():
        if name.lower() in ("host", "content-length", "connection", "transfer-encoding"):
            continue
        if "\r" in value or "\n" in value or "\r" in name or "\n" in name:
            raise ValueError(f"header {name!r} holds a line break")
        lines.append(f"{name}: {value}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _parse_head(head: bytes) -> tuple[str, int, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise ResponseError(f"not an HTTP/1.x response: {lines[0][:80]!r}")
    fields: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip().lower()] = value.strip()
    return parts[0], int(parts[1]), fields


async def _read_body(reader: asyncio.StreamReader, status: int, fields: dict[str, str]) -> tuple[bytes, bool]:
    """The start of the body (the rest is read and dropped), and whether it ended with the connection."""
    if status in (204, 304):
        return b"", False
    kept = bytearray()

    def keep(chunk: bytes) -> None:
        if len(kept) < KEEP_BODY:
            kept.extend(chunk[: KEEP_BODY - len(kept)])

    if "chunked" in fields.get("transfer-encoding", "").lower():
        while True:
            size_line = await reader.readuntil(b"\r\n")
            try:
                size = int(size_line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise ResponseError(f"bad chunk size {size_line[:20]!r}") from None
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers, if any
                    pass
                return bytes(kept), False
            await _read_exactly(reader, size, keep)
            await reader.readexactly(2)
    if "content-length" in fields:
        try:
            length = int(fields["content-length"])
        except ValueError:
            raise ResponseError(f"bad Content-Length {fields['content-length']!r}") from None
        await _read_exactly(reader, length, keep)
        return bytes(kept), False
    while chunk := await reader.read(65536):  # no length given: the body ends with the connection
        keep(chunk)
    return bytes(kept), True


async def _read_exactly(reader: asyncio.StreamReader, size: int, keep: Callable[[bytes], None]) -> None:
    while size > 0:
        chunk = await reader.read(min(size, 65536))
        if not chunk:
            raise ResponseError(f"the connection closed {size} bytes before the end of the response body")
        keep(chunk)
        size -= len(chunk)


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _elapsed(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


async def post_and_drop(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Outcome:
    """Send the request head and half the body, then close the connection (chaos ``drop_connection``)."""
    started = time.perf_counter()
    try:
        target = Target.parse(url)
        request = _request(target, body, headers, close=True)
    except (ValueError, UnicodeError) as exc:
        return Outcome(None, f"cannot send: {exc}", "", _elapsed(started))
    sent = len(body) // 2
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(target.host, target.port, ssl=_tls() if target.secure else None), timeout=timeout
        )
    except Exception as exc:
        error = f"timeout after {timeout:g}s connecting" if isinstance(exc, TimeoutError) else _describe(exc)
        return Outcome(None, error, "", _elapsed(started))
    try:
        writer.write(request[: len(request) - len(body) + sent])
        await writer.drain()
    except Exception:  # the receiver went away first; the connection is dropped either way
        pass
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(writer.wait_closed(), timeout=1)
    return Outcome(
        None, f"connection dropped by kycsim after {sent} of {len(body)} body bytes (chaos)", "", _elapsed(started)
    )
