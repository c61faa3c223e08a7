"""One HTTP attempt: post the body, or (chaos) cut the connection half-way through it.

Returns an :class:`Outcome` for every result, never raises: a refused connection, a timeout
or a reset is a failed attempt, logged as what it was.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

EXCERPT = 500


@dataclass
class Outcome:
    status_code: int | None
    error: str | None
    excerpt: str
    latency_ms: float

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _elapsed(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


async def post(client, url: str, body: bytes, headers: dict[str, str], timeout: float) -> Outcome:
    """POST ``body`` to ``url`` with ``client`` (an ``httpx.AsyncClient``)."""
    import httpx

    started = time.perf_counter()
    try:
        response = await client.post(url, content=body, headers=headers, timeout=timeout)
    except httpx.TimeoutException as exc:
        return Outcome(None, f"timeout after {timeout:g}s ({type(exc).__name__})", "", _elapsed(started))
    except Exception as exc:  # any transport failure is a failed attempt
        return Outcome(None, _describe(exc), "", _elapsed(started))
    return Outcome(response.status_code, None, response.text[:EXCERPT], _elapsed(started))


async def post_and_drop(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Outcome:
    """Send the request head and half the body, then close the connection (chaos ``drop_connection``)."""
    started = time.perf_counter()
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    head = [f"POST {target} HTTP/1.1", f"Host: {parts.netloc}", f"Content-Length: {len(body)}", "Connection: close"]
    head += [f"{k}: {v}" for k, v in headers.items() if k.lower() not in ("host", "content-length", "connection")]
    sent = len(body) // 2
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(parts.hostname, port, ssl=secure or None), timeout=timeout
        )
    except Exception as exc:
        error = f"timeout after {timeout:g}s connecting" if isinstance(exc, TimeoutError) else _describe(exc)
        return Outcome(None, error, "", _elapsed(started))
    try:
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body[:sent])
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
