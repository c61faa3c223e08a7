"""``kycsim listen --forward-to URL``: like ``stripe listen``, for kycsim's providers.

Follows ``GET /_sim/events`` (Server-Sent Events) on a running simulator and POSTs each event,
with the provider's signed headers, to a local URL; one line per delivery. When the stream
breaks it reconnects and resumes after the last event it forwarded (``Last-Event-ID``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx

from simulator.client import control_headers, sse_frames

FORWARD_TIMEOUT = 30.0
RECONNECT_DELAYS = (0.5, 1, 2, 5)


def _line(event: dict[str, Any], outcome: str) -> str:
    return f"{event['created_at']}  {event['provider']:<8} {event['type']:<40} {event['id']}  {outcome}"


def forward(http: httpx.Client, url: str, event: dict[str, Any]) -> str:
    """POST one event to ``url``; returns the readable outcome."""
    started = time.perf_counter()
    try:
        response = http.post(url, content=event["body"].encode(), headers=event["headers"])
    except httpx.HTTPError as exc:
        return f"-> ERROR {type(exc).__name__}: {exc or 'no answer'} (POST {url})"
    elapsed = (time.perf_counter() - started) * 1000
    return f"-> {response.status_code} POST {url} ({elapsed:.0f} ms)"


def listen(
    sim_url: str,
    forward_to: str,
    *,
    providers: list[str] | None = None,
    events: str | None = None,
    tenant: str | None = None,
    secret: str | None = None,
    options: dict[str, Any] | None = None,
    max_events: int | None = None,
    out: Callable[[str], None] | None = None,
    token: str | None = None,
) -> int:
    out = out or (lambda text: print(text, flush=True))
    sim_url = sim_url.rstrip("/")
    params = {k: v for k, v in (("provider", ",".join(providers or [])), ("events", events), ("tenant", tenant)) if v}
    headers = {"Accept": "text/event-stream", **control_headers(token)}
    if secret is not None:
        headers["X-KycSim-Listen-Secret"] = secret
    if options:
        headers["X-KycSim-Listen-Options"] = json.dumps(options)
    forwarded, last_id, failures = 0, None, 0
    with (
        httpx.Client(timeout=httpx.Timeout(10.0, read=None)) as stream_http,
        httpx.Client(timeout=FORWARD_TIMEOUT) as forward_http,
    ):
        while True:
            try:
                with stream_http.stream(
                    "GET",
                    f"{sim_url}/_sim/events",
                    params=params,
                    headers={**headers, **({"Last-Event-ID": last_id} if last_id else {})},
                ) as response:
                    if response.status_code != 200:
                        response.read()
                        out(f"kycsim listen: {sim_url} answered {response.status_code}: {response.text[:300]}")
                        return 1
                    for kind, data, event_id in sse_frames(response.iter_lines()):
                        failures = 0
                        if kind == "ready":
                            ready = json.loads(data)
                            out(
                                f"Ready! Forwarding {', '.join(ready['providers'])} events from {sim_url} to "
                                f"{forward_to} (signed with the {ready['signing']}; clock {ready['speed']})."
                                " Ctrl-C to stop."
                            )
                        elif kind == "webhook":
                            event = json.loads(data)
                            out(_line(event, forward(forward_http, forward_to, event)))
                            forwarded += 1
                            last_id = event_id or event["id"]
                            if max_events is not None and forwarded >= max_events:
                                return 0
                reason = "the simulator closed it"
            except httpx.HTTPError as exc:
                if last_id is None and failures == 0 and isinstance(exc, httpx.ConnectError):
                    out(f"kycsim listen: cannot reach kycsim at {sim_url}: {exc}")
                    return 1
                reason = type(exc).__name__
            delay = RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)]
            failures += 1
            out(f"kycsim listen: lost the event stream ({reason}); reconnecting in {delay:g}s")
            time.sleep(delay)
