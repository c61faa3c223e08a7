"""A webhook receiver for the benchmarks: answers 200 at once, counts what it got.

    python benchmarks/receiver.py PORT

Raw asyncio (keep-alive HTTP/1.1, Content-Length bodies), so it keeps up with kycsim without
taking much of the machine. ``GET /stats`` answers with the counts: requests, distinct event ids,
and when the first and the last event came.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time

LENGTH = re.compile(rb"content-length:\s*(\d+)", re.I)
OK = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"


class Counts:
    def __init__(self) -> None:
        self.requests = 0
        self.ids: set[bytes] = set()
        self.first: float | None = None
        self.last: float | None = None

    def event(self, body: bytes) -> None:
        now = time.time()
        self.requests += 1
        self.first = self.first or now
        self.last = now
        match = re.search(rb'"id":"([^"]+)"', body)  # the envelope's own id comes first
        if match:
            self.ids.add(match.group(1))

    def as_json(self) -> bytes:
        data = {"requests": self.requests, "distinct": len(self.ids), "first": self.first, "last": self.last}
        body = json.dumps(data).encode()
        return b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body)


async def serve(port: int) -> None:
    counts = Counts()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                match = LENGTH.search(head)
                body = await reader.readexactly(int(match.group(1))) if match else b""
                if head.startswith(b"GET /stats"):
                    writer.write(counts.as_json())
                else:
                    counts.event(body)
                    writer.write(OK)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=2048)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1])))
