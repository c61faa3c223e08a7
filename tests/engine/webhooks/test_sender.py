"""The webhook sender's HTTP/1.1 against scripted raw servers: what it reads, what it keeps open, what fails."""

from __future__ import annotations

import asyncio
import contextlib
import socket

import pytest

from simulator.engine.webhooks.delivery import Outcome, Sender, Target, post_and_drop


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


# What the sender writes and reads, byte by byte (RFC 9112), and every way an attempt can fail, each
# an Outcome that says what happened.

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"


async def raw_server(handle):
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/hooks"


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
    )
    return head + await reader.readexactly(length)


def answer_of(outcome) -> tuple:
    """An Outcome without its latency (real time)."""
    return (outcome.status_code, outcome.error, outcome.excerpt, outcome.ok)


def test_the_request_carries_the_host_and_length_it_is_sent_with_and_the_given_headers():
    async def scenario():
        seen: list[bytes] = []
        server, url, _ = await serve([OK], seen)
        port = url.split(":")[2].split("/")[0]
        headers = {
            "Host": "elsewhere.test",  # framing and routing are the sender's own: these four are left out
            "Content-Length": "1",
            "Connection": "close",
            "Transfer-Encoding": "chunked",
            "X-Sig": "abc",
            "Content-Type": "application/json",
        }
        async with server:
            sender = Sender(1)
            await sender.post(url, b'{"a":1}', headers, 2)
            sender.close()
        assert seen == [
            f"POST /hooks?x=1 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 7\r\n".encode()
            + b'X-Sig: abc\r\nContent-Type: application/json\r\n\r\n{"a":1}'
        ]

    run(scenario())


def test_a_request_that_cannot_be_written_is_not_sent():
    async def scenario():
        sender = Sender(1)
        url = "http://127.0.0.1:9/hooks"  # nothing is sent: no connection is tried
        outcomes = [
            await sender.post(url, b"{}", {name: value}, 2)
            for name, value in [("X-Evil", "a\rb"), ("X-Evil", "a\nb"), ("X-Evil\r", "a"), ("X-\nEvil", "a")]
        ]
        outcomes.append(await sender.post("ftp://example.com/", b"{}", {}, 2))
        outcomes.append(await sender.post("http:///no-host", b"{}", {}, 2))
        sender.close()
        assert [answer_of(o) for o in outcomes] == [
            (None, "cannot send: header 'X-Evil' holds a line break", "", False),
            (None, "cannot send: header 'X-Evil' holds a line break", "", False),
            (None, "cannot send: header 'X-Evil\\r' holds a line break", "", False),
            (None, "cannot send: header 'X-\\nEvil' holds a line break", "", False),
            (None, "cannot send: not an http(s) URL: 'ftp://example.com/'", "", False),
            (None, "cannot send: not an http(s) URL: 'http:///no-host'", "", False),
        ]

    run(scenario())


def test_a_url_is_read_as_http_reads_it():
    assert Target.parse("https://a.test") == Target(True, "a.test", 443, "a.test", "/")
    assert Target.parse("http://a.test") == Target(False, "a.test", 80, "a.test", "/")
    assert Target.parse("http://user@A.test:8080/p/q?x=1&y") == Target(
        False, "a.test", 8080, "user@A.test:8080", "/p/q?x=1&y"
    )
    assert Target.parse("https://a.test/p?") == Target(True, "a.test", 443, "a.test", "/p")
    with pytest.raises(ValueError, match=r"^not an http\(s\) URL: 'ws://a.test/'$"):
        Target.parse("ws://a.test/")


def test_only_a_2xx_answer_is_a_success():
    statuses = [None, 101, 199, 200, 204, 299, 300, 301, 404, 500]
    assert [s for s in statuses if Outcome(s, None, "", 0.0).ok] == [200, 204, 299]


def test_a_sender_allows_at_least_one_attempt_at_a_time():
    assert [Sender(n).limit for n in (0, 1, 2, 64)] == [1, 1, 2, 64]


def test_latency_is_in_milliseconds_to_the_hundredth(monkeypatch):
    from simulator.engine.webhooks import delivery

    monkeypatch.setattr(delivery.time, "perf_counter", lambda: 101.2345678)
    assert delivery._elapsed(100.0) == 1234.57


def full_backlog() -> tuple[socket.socket, list[socket.socket], int]:
    """A port that listens but never accepts, its queue full: a connection to it hangs while connecting."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    return listener, fillers, port


def test_a_timeout_says_at_which_stage_it_waited():
    async def scenario():
        sender = Sender(1)
        listener, fillers, port = full_backlog()
        try:
            connecting = await sender.post(f"http://127.0.0.1:{port}/", b"{}", {}, 0.2)
        finally:
            for s in [listener, *fillers]:
                s.close()

        release = asyncio.Event()

        async def never_reads(reader, writer):
            await release.wait()
            writer.close()

        server, url = await raw_server(never_reads)
        async with server:
            sending = await sender.post(url, b"x" * 64_000_000, {}, 0.2)  # more than the sockets' buffers hold
            release.set()

        async def half_a_body(reader, writer):
            await read_request(reader)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf")
            await release.wait()
            writer.close()

        release.clear()
        server, url = await raw_server(half_a_body)
        async with server:
            reading = await sender.post(url, b"{}", {}, 0.2)
            release.set()
        sender.close()
        assert [answer_of(o) for o in (connecting, sending, reading)] == [
            (None, "timeout after 0.2s connecting", "", False),
            (None, "timeout after 0.2s sending", "", False),
            (None, "timeout after 0.2s reading the response body", "", False),
        ]

    run(scenario())


def test_a_kept_connection_closed_under_a_request_is_replaced_and_a_new_one_that_hangs_is_a_connect_timeout():
    async def scenario():
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        listener.setblocking(False)
        port = listener.getsockname()[1]
        loop = asyncio.get_running_loop()
        fillers: list[socket.socket] = []

        async def serve_one_then_close_under_the_next():
            connection, _ = await loop.sock_accept(listener)
            reader, writer = await asyncio.open_connection(sock=connection)
            await read_request(reader)
            writer.write(OK)
            await writer.drain()
            await read_request(reader)
            for _ in range(3):  # the queue fills: the sender's next connection hangs
                filler = socket.socket()
                filler.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    filler.connect(("127.0.0.1", port))
                fillers.append(filler)
            writer.close()  # without answering the second request

        serving = asyncio.create_task(serve_one_then_close_under_the_next())
        sender = Sender(1)
        try:
            first = await sender.post(f"http://127.0.0.1:{port}/", b"{}", {}, 2)
            second = await sender.post(f"http://127.0.0.1:{port}/", b"{}", {}, 0.5)
            await serving
        finally:
            sender.close()
            for s in [listener, *fillers]:
                s.close()
        assert answer_of(first) == (200, None, "", True)
        assert answer_of(second) == (None, "timeout after 0.5s connecting", "", False)

    run(scenario())


def test_a_new_connection_closed_without_an_answer_is_a_failed_attempt():
    async def scenario():
        async def hang_up(reader, writer):
            await read_request(reader)
            writer.close()

        server, url = await raw_server(hang_up)
        async with server:
            sender = Sender(1)
            outcome = await sender.post(url, b"{}", {}, 2)
            sender.close()
        assert answer_of(outcome) == (
            None,
            "ConnectionResetError: the receiver closed the connection without answering",
            "",
            False,
        )

    run(scenario())


def test_a_connection_the_receiver_half_closed_is_not_used_again():
    """It could still read a request but not answer it: the request would arrive twice."""

    async def scenario():
        requests: list[int] = []
        connections: list[int] = []

        async def answer_then_half_close(reader, writer):
            connections.append(len(connections))
            with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
                while True:
                    await read_request(reader)
                    requests.append(connections[-1])
                    writer.write(OK)
                    await writer.drain()
                    writer.write_eof()

        server, url = await raw_server(answer_then_half_close)
        async with server:
            sender = Sender(1)
            first = await sender.post(url, b"{}", {}, 2)
            for _ in range(100_000):  # a condition, not a wait: the half-close reaches the sender's reader
                if all(r.at_eof() for kept in sender._idle.values() for r, _ in kept):
                    break
                await asyncio.sleep(0)
            second = await sender.post(url, b"{}", {}, 2)
            sender.close()
        assert (first.status_code, second.status_code) == (200, 200)
        assert requests == [0, 1], "each request sent once, the second on a new connection"

    run(scenario())


def exchange(answers: list[bytes], closed: list[bool] | None = None) -> tuple[list, int]:
    """POST once per answer with one Sender to a server that answers each request with the next answer and
    keeps reading: the outcomes and how many connections it took. ``closed``: for each connection, whether
    the sender closes it once answered (the server reads the end of the stream) or keeps it."""

    count = len(answers)

    async def scenario():
        connections: list[asyncio.Event] = []

        async def handle(reader, writer):
            closed = asyncio.Event()
            connections.append(closed)
            try:
                while answers:
                    await read_request(reader)
                    writer.write(answers.pop(0))
                    await writer.drain()
                await reader.read()  # the sender's end of the stream
                closed.set()
            except (asyncio.IncompleteReadError, ConnectionError):
                closed.set()
            writer.close()

        server, url = await raw_server(handle)
        async with server:
            sender = Sender(1)
            outcomes = [await sender.post(url, b"{}", {}, 2) for _ in range(count)]
            if closed is not None:
                assert len(connections) == len(closed)
                for ended, expected in zip(connections, closed, strict=True):
                    if expected:
                        await asyncio.wait_for(ended.wait(), 5)
                assert [ended.is_set() for ended in connections] == closed  # the others: only kycsim closes them
            sender.close()
            for ended in connections:
                await asyncio.wait_for(ended.wait(), 5)
        return outcomes, len(connections)

    return run(scenario())


def test_keep_alive_follows_the_http_version_and_the_connection_header():
    # HTTP/1.1 keeps the connection unless the answer says close; HTTP/1.0 closes it unless it says keep-alive.
    assert exchange([b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", OK], [True, False])[1] == 2
    close = b"HTTP/1.1 200 OK\r\nConnection: Keep-Alive, Close\r\nContent-Length: 0\r\n\r\n"
    assert exchange([close, OK], [True, False])[1] == 2
    assert exchange([b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", OK], [True, False])[1] == 2
    assert exchange([b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", OK], [False])[1] == 1


def test_answers_without_a_body_leave_the_connection_ready():
    no_content = b"HTTP/1.1 204 No Content\r\n\r\n"
    not_modified = b"HTTP/1.1 304 Not Modified\r\n\r\n"
    outcomes, count = exchange([no_content, not_modified, b"HTTP/1.1 204\r\n\r\n", OK], [False])
    assert [answer_of(o) for o in outcomes] == [
        (204, None, "", True),
        (304, None, "", False),
        (204, None, "", True),  # no reason phrase: read as curl and browsers read it
        (200, None, "", True),
    ]
    assert count == 1


def test_bodies_are_read_to_their_end_so_the_connection_carries_on():
    chunked = (
        b"HTTP/1.1 500 Oops\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
        b"10\r\n0123456789abcdef\r\n1;name=value\r\n!\r\n0\r\nX-Trailer: a\r\nX-Other: b\r\n\r\n"
    )
    one_byte = b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nA"
    invalid_utf8 = b"HTTP/1.1 400 Bad\r\nContent-Length: 4\r\n\r\nok\xff!"
    outcomes, count = exchange([chunked, one_byte, invalid_utf8, OK], [False])
    assert [answer_of(o) for o in outcomes] == [
        (500, None, "0123456789abcdef!", False),
        (200, None, "A", True),
        (400, None, "ok\ufffd!", False),
        (200, None, "", True),
    ]
    assert count == 1


def test_an_answer_kycsim_cannot_read_is_a_failed_attempt_that_says_why():
    long_line = b"X" * 100
    cases = [
        (b"garbage\r\n\r\n", "ResponseError: not an HTTP/1.x response: 'garbage'"),
        (b"ICY 200 OK\r\n\r\n", "ResponseError: not an HTTP/1.x response: 'ICY 200 OK'"),
        (b"HTTP/2 200 OK\r\n\r\n", "ResponseError: not an HTTP/1.x response: 'HTTP/2 200 OK'"),
        (b"HTTP/1.1 OK 200\r\n\r\n", "ResponseError: not an HTTP/1.x response: 'HTTP/1.1 OK 200'"),
        (long_line + b"\r\n\r\n", f"ResponseError: not an HTTP/1.x response: {'X' * 80!r}"),
        (
            b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n",
            "ResponseError: response head larger than 65536 bytes",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz" + b"z" * 30 + b"\r\n",
            f"ResponseError: bad chunk size {b'zz' + b'z' * 18!r}",
        ),
        (b"HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n", "ResponseError: bad Content-Length 'ten'"),
    ]
    # Each connection that answered nonsense is closed by kycsim, not used again.
    outcomes, count = exchange([answer for answer, _ in cases], [True] * len(cases))
    assert [answer_of(o) for o in outcomes] == [(None, error, "", False) for _, error in cases]


def test_an_answer_cut_short_is_a_failed_attempt_that_says_where():
    async def scenario(answer: bytes):
        async def cut(reader, writer):
            await read_request(reader)
            writer.write(answer)
            await writer.drain()
            writer.close()

        server, url = await raw_server(cut)
        async with server:
            sender = Sender(1)
            outcome = await sender.post(url, b"{}", {}, 2)
            sender.close()
        return answer_of(outcome)

    assert run(scenario(b"HTTP/1.1 200 OK\r\nContent-")) == (
        None,
        "ResponseError: the connection closed in the middle of the response head",
        "",
        False,
    )
    assert run(scenario(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf")) == (
        None,
        "ResponseError: the connection closed 6 bytes before the end of the response body",
        "",
        False,
    )


def test_connections_are_kept_per_origin():
    async def scenario():
        seen_a: list[bytes] = []
        seen_b: list[bytes] = []
        server_a, url_a, _ = await serve([OK, OK], seen_a)
        server_b, url_b, _ = await serve([OK, OK], seen_b)
        async with server_a, server_b:
            sender = Sender(1)
            for url in (url_a, url_b, url_a, url_b):
                assert (await sender.post(url, b"{}", {}, 2)).ok
            sender.close()
        port_a, port_b = (u.split(":")[2].split("/")[0] for u in (url_a, url_b))
        assert [h.split(b"\r\n")[1] for h in seen_a] == [f"Host: 127.0.0.1:{port_a}".encode()] * 2
        assert [h.split(b"\r\n")[1] for h in seen_b] == [f"Host: 127.0.0.1:{port_b}".encode()] * 2

    run(scenario())


def test_a_dropped_connection_sends_the_head_and_half_the_body_then_closes():
    async def scenario():
        received: list[bytes] = []
        done = asyncio.Event()

        async def record(reader, writer):
            received.append(await reader.read())  # everything until kycsim closes
            done.set()
            writer.close()

        server, url = await raw_server(record)
        port = url.split(":")[2].split("/")[0]
        async with server:
            dropped = await post_and_drop(url + "?x=1", b"0123456789", {"Connection": "keep-alive", "X-Sig": "s"}, 2)
            await asyncio.wait_for(done.wait(), 5)
        refused = await post_and_drop(url, b"{}", {}, 2)  # the server is gone
        bad = await post_and_drop("http://127.0.0.1:9/", b"{}", {"X-Evil": "a\r\nb"}, 2)
        listener, fillers, full = full_backlog()
        try:
            hanging = await post_and_drop(f"http://127.0.0.1:{full}/", b"{}", {}, 0.2)
        finally:
            for s in [listener, *fillers]:
                s.close()
        assert received == [
            f"POST /hooks?x=1 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 10\r\n".encode()
            + b"Connection: close\r\nX-Sig: s\r\n\r\n01234"
        ]
        assert answer_of(dropped) == (
            None,
            "connection dropped by kycsim after 5 of 10 body bytes (chaos)",
            "",
            False,
        )
        assert refused.error.startswith("ConnectionRefusedError") and answer_of(refused)[2:] == ("", False)
        assert answer_of(bad) == (None, "cannot send: header 'X-Evil' holds a line break", "", False)
        assert answer_of(hanging) == (None, "timeout after 0.2s connecting", "", False)

    run(scenario())
