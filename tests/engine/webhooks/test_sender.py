"""The webhook sender's HTTP/1.1 against scripted raw servers: what it reads, what it keeps open, what fails."""

from __future__ import annotations

import asyncio

from simulator.engine.webhooks.delivery import Sender


async def serve(answers: list[bytes], seen: list[bytes], *, close_after: int | None = None):
    """A raw server: for each request (head + Content-Length body), the next scripted answer."""
    connections = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer)
        served = 0
        try:
            while answers:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                )
                seen.append(head + await reader.readexactly(length))
                writer.write(answers.pop(0))
                await writer.drain()
                served += 1
                if close_after is not None and served >= close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}/hooks?x=1", connections


def run(coro):
    return asyncio.run(coro)


def test_a_post_carries_the_body_and_headers_and_reads_the_answer():
    async def scenario():
        seen: list[bytes] = []
        server, url, _ = await serve([b"HTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\nhello"], seen)
        async with server:
            sender = Sender(2)
            outcome = await sender.post(url, b'{"a":1}', {"X-Sig": "abc", "Content-Type": "application/json"}, 2)
            sender.close()
        assert (outcome.status_code, outcome.error, outcome.excerpt, outcome.ok) == (201, None, "hello", True)
        head, _, body = seen[0].partition(b"\r\n\r\n")
        assert head.startswith(b"POST /hooks?x=1 HTTP/1.1\r\n") and b"\r\nX-Sig: abc" in head
        assert b"Content-Length: 7" in head and body == b'{"a":1}'

    run(scenario())


def test_one_connection_is_kept_and_reused_and_a_closed_one_is_replaced():
    async def scenario():
        seen: list[bytes] = []
        ok = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
        server, url, connections = await serve([ok, ok, ok], seen, close_after=2)
        async with server:
            sender = Sender(1)
            outcomes = [await sender.post(url, b"{}", {}, 2) for _ in range(3)]
            sender.close()
        assert [o.status_code for o in outcomes] == [200, 200, 200]
        # Two requests on the first connection; the server closed it, so the third opened another.
        assert len(connections) == 2

    run(scenario())


def test_chunked_bodies_and_bodies_until_close_and_interim_answers_are_read():
    async def scenario():
        answers = [
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nX-Trailer: y\r\n\r\n",
            b"HTTP/1.0 202 Accepted\r\n\r\nuntil the end",
        ]
        server, url, connections = await serve(answers, [], close_after=2)
        async with server:
            sender = Sender(1)
            first = await sender.post(url, b"{}", {}, 2)
            server_side = connections[0]
            server_side.close()  # HTTP/1.0 without a length: the body ends when the connection does
            second = await sender.post(url, b"{}", {}, 2)
            sender.close()
        assert (first.status_code, first.excerpt) == (200, "abcde")
        assert second.status_code == 202

    run(scenario())


def test_failures_are_outcomes_with_what_happened():
    async def scenario():
        sender = Sender(1)
        server, url, _ = await serve([b"garbage\r\n\r\n"], [])
        async with server:
            garbage = await sender.post(url, b"{}", {}, 2)
        server.close()
        await server.wait_closed()
        refused = await sender.post(url, b"{}", {}, 2)
        injected = await sender.post(url, b"{}", {"X-Evil": "a\r\nX-Other: b"}, 2)
        not_http = await sender.post("ftp://example.com/", b"{}", {}, 2)
        sender.close()
        assert garbage.status_code is None and "not an HTTP/1.x response" in garbage.error
        assert refused.status_code is None and "Connect" in refused.error
        assert "line break" in injected.error and "not an http(s) URL" in not_http.error

    run(scenario())


def test_a_slow_answer_is_a_timeout_that_says_where_it_waited():
    async def scenario():
        async def silent(reader, writer):
            await reader.readuntil(b"\r\n\r\n")
            await asyncio.sleep(5)

        server = await asyncio.start_server(silent, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        async with server:
            sender = Sender(1)
            outcome = await sender.post(url, b"{}", {}, 0.2)
            sender.close()
        assert outcome.status_code is None and outcome.error == "timeout after 0.2s waiting for the response"

    run(scenario())


def test_only_the_start_of_a_large_body_is_kept():
    async def scenario():
        body = b"x" * 100_000
        answer = b"HTTP/1.1 500 Oops\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
        ok = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
        server, url, connections = await serve([answer, ok], [])
        async with server:
            sender = Sender(1)
            big = await sender.post(url, b"{}", {}, 2)
            after = await sender.post(url, b"{}", {}, 2)
            sender.close()
        assert big.status_code == 500 and big.excerpt == "x" * 500
        assert after.status_code == 200 and len(connections) == 1, (
            "the whole body was read: the connection stays usable"
        )

    run(scenario())


def test_each_endpoint_keeps_one_sender_of_its_size_until_it_is_closed():
    from simulator.engine.webhooks.attempts import Senders
    from simulator.engine.webhooks.endpoints import Endpoint

    senders = Senders()
    first, second = Endpoint("we_1", "hooks", "http://x/", concurrency=2), Endpoint("we_2", "hooks", "http://y/")
    one = senders.get(first)
    assert senders.get(first) is one and one.limit == 2 and senders.get(second) is not one
    senders.close("we_1")
    assert one.closed and senders.get(first) is not one  # its connections closed; the next attempt opens new ones
    others = senders.get(second)
    senders.close_all()
    assert others.closed
