"""Connection limits uvicorn does not enforce: header size, and how long a slow sender may take.

uvicorn's httptools protocol accepts request headers of any size and waits for a request's head
and body as long as the client likes. kycsim serves CI jobs that share one instance, so:

- the request line and headers together may be at most ``max_header_bytes``; past that the
  connection gets ``431 Request Header Fields Too Large`` and is closed;
- a request's head must arrive within ``header_timeout`` seconds of its first byte (and a new
  connection must start one within that time), and its body within ``body_timeout`` seconds of
  its head; past that the connection gets ``408 Request Timeout`` (when nothing was answered yet)
  and is closed.

Body size is the body reader's business (``simulator/bodies.py``): it knows each route's cap and
answers in the provider's envelope.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Limits:
    max_header_bytes: int
    header_timeout: float
    body_timeout: float


class Coalescing:
    """A transport whose writes made in one turn of the event loop go out as one.

    uvicorn writes a response's status line and headers, then its body, as two writes: two
    ``send`` system calls and, with ``TCP_NODELAY``, two packets, so the client wakes up twice
    for one response. Here the writes wait for the end of the current turn of the loop (the
    handler's task step, which sends both) and leave together; ``close`` sends them first.
    """

    __slots__ = ("transport", "_loop", "_pending")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self.transport = transport
        self._loop = loop
        self._pending: list[bytes] | None = None

    def write(self, data: bytes) -> None:
        pending = self._pending
        if pending is None:
            self._pending = [data]
            self._loop.call_soon(self.flush)
        else:
            pending.append(data)

    def flush(self) -> None:
        pending = self._pending
        if pending is not None:
            self._pending = None
            self.transport.write(pending[0] if len(pending) == 1 else b"".join(pending))

    def close(self) -> None:
        self.flush()
        self.transport.close()

    def is_closing(self) -> bool:
        return self.transport.is_closing()

    def pause_reading(self) -> None:
        self.transport.pause_reading()

    def resume_reading(self) -> None:
        self.transport.resume_reading()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self.transport.get_extra_info(name, default)

    def __getattr__(self, name: str) -> Any:  # anything else a protocol may ask of its transport
        return getattr(self.transport, name)


def protocol_class(limits: Limits) -> Any:
    """uvicorn's httptools protocol with ``limits``; its h11 protocol with the header cap if httptools is missing."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # pragma: no cover - uvicorn[standard] brings httptools
        return "h11"

    base = HttpToolsProtocol  # its parser callbacks, called directly: these run for every request and header

    class LimitedHttpToolsProtocol(HttpToolsProtocol):
        """One timer per connection, re-armed lazily: a request moves a deadline (a float), and the
        timer, when it fires, either finds that deadline passed or waits for it. Arming and cancelling
        a timer for every request and phase cost more than the rest of this class together."""

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(Coalescing(transport, self.loop))  # type: ignore[arg-type]
            self._head_bytes = 0
            self._refusal: tuple[int, bytes] | None = None
            self._timer: asyncio.TimerHandle | None = None
            self._deadline: float | None = None  # when the part awaited now must have arrived (loop time)
            self._awaiting_head = True
            self._expect(limits.header_timeout, head=True)

        def connection_lost(self, exc: Exception | None) -> None:
            self._deadline = None
            timer = getattr(self, "_timer", None)
            if timer is not None:
                timer.cancel()
                self._timer = None
            super().connection_lost(exc)

        def on_message_begin(self) -> None:
            base.on_message_begin(self)
            self._head_bytes = 0
            self._expect(limits.header_timeout, head=True)

        def on_url(self, url: bytes) -> None:
            self._head_bytes += len(url)
            if self._head_bytes > limits.max_header_bytes:
                self._refuse_head()
            base.on_url(self, url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._head_bytes += len(name) + len(value) + 4
            if self._head_bytes > limits.max_header_bytes:
                self._refuse_head()
            base.on_header(self, name, value)

        def on_headers_complete(self) -> None:
            self._expect(limits.body_timeout, head=False)
            base.on_headers_complete(self)

        def on_message_complete(self) -> None:
            self._deadline = None  # the timer, if armed, finds nothing to do when it fires
            base.on_message_complete(self)

        def send_400_response(self, msg: str) -> None:
            """uvicorn answers every parser failure with 400; a header cap we raised gets its own status."""
            if self._refusal is None:
                super().send_400_response(msg)
                return
            status, text = self._refusal
            self._close_with(status, text)

        # Private functions

        def _refuse_head(self) -> None:
            self._refusal = (431, f"request headers larger than {limits.max_header_bytes} bytes".encode())
            raise ValueError("request headers too large")  # stops the parser; see send_400_response

        def _expect(self, seconds: float, *, head: bool) -> None:
            """The part awaited now (the head, or the body after it) must arrive within ``seconds``."""
            deadline = self.loop.time() + seconds
            self._deadline = deadline
            self._awaiting_head = head
            timer = self._timer
            if timer is None or timer.when() > deadline:
                if timer is not None:
                    timer.cancel()
                self._timer = self.loop.call_at(deadline, self._check_deadline)

        def _check_deadline(self) -> None:
            self._timer = None
            deadline = self._deadline
            if deadline is None:
                return  # the request arrived in time; the next one arms the timer again
            if deadline > self.loop.time():
                self._timer = self.loop.call_at(deadline, self._check_deadline)
                return
            self._deadline = None
            self._expired(self._awaiting_head)

        def _expired(self, head: bool) -> None:
            if self.transport.is_closing():
                return
            cycle = None if head else self.cycle
            if cycle is not None and not cycle.response_complete:
                cycle.disconnected = True  # an app waiting for the rest of the body hears that the client left
                cycle.message_event.set()
            if cycle is not None and cycle.response_started:
                self.transport.close()  # answered already (say, a 413 without reading): nothing more to say
            else:
                what = b"head" if head else b"body"
                self._close_with(408, b"the request %s did not arrive in time" % what)

        def _close_with(self, status: int, text: bytes) -> None:
            phrase = {408: b"Request Timeout", 431: b"Request Header Fields Too Large"}[status]
            self.transport.write(
                b"HTTP/1.1 %d %s\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: %d\r\n"
                b"connection: close\r\n\r\n%s" % (status, phrase, len(text), text)
            )
            self.transport.close()

    return LimitedHttpToolsProtocol
