"""A real kycsim server on a free port with the fake providers, and event-stream helpers."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator

import httpx

from simulator.cli_listen import sse_frames
from simulator.server import ThreadedServer
from tests.webhook_support.providers import fake_providers, hook_settings


@contextlib.contextmanager
def hook_server(**settings) -> Iterator[ThreadedServer]:
    with ThreadedServer(hook_settings(**settings), providers=fake_providers()) as server:
        yield server


@contextlib.contextmanager
def event_stream(url: str, *, headers: dict | None = None, **params) -> Iterator[Iterator[tuple[str, dict, str]]]:
    """Frames of ``GET /_sim/events`` as ``(kind, data, id)``; a read waits at most 5 s."""
    with (
        httpx.Client(timeout=httpx.Timeout(5.0)) as http,
        http.stream("GET", f"{url}/_sim/events", params=params, headers=headers or {}) as response,
    ):
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        yield ((kind, json.loads(data), event_id) for kind, data, event_id in sse_frames(response.iter_lines()))
