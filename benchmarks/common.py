"""What the benchmarks share: starting kycsim, a keep-alive HTTP/1.1 load client, a webhook receiver, RSS.

The load client is a few lines of asyncio on raw sockets (no HTTP library in the measured path),
so one Python process can drive kycsim at several thousand requests/s; the receiver runs in a
process of its own (``receiver.py``) so counting webhooks never competes with the load client.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
KEY = "sk_sbox_benchmark_key_0000000000000000"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used so far: per request, it shows the cost of the
    work itself, which the machine's other load changes much less than requests/s."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_healthy(url: str, path: str, deadline: float) -> None:
    while time.perf_counter() < deadline:
        try:
            if httpx.get(url + path, timeout=0.5).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.005)
    raise RuntimeError(f"{url}{path} did not come up")


def start_kycsim(*flags: str, env: dict[str, str] | None = None, log_to: Path | None = None):
    """``kycsim serve`` on a free port with ``flags``; returns (process, url, seconds to healthy).

    The console goes straight to ``log_to`` (a file, as CI captures it) or nowhere: never through
    a pipe to this process, where reading it would compete with the load client.
    """
    started = time.perf_counter()
    port = free_port()
    out = log_to.open("w") if log_to is not None else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--port", str(port), *flags],
        stdout=out,
        stderr=subprocess.STDOUT if log_to is not None else subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, "/_sim/health", started + 60)
    return proc, url, time.perf_counter() - started


def exit_on_sigterm() -> None:
    """A benchmark stopped with SIGTERM still stops the servers it started (its ``finally`` blocks run)."""
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def stop(proc: subprocess.Popen | None) -> None:
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def load_conditions() -> str:
    """What else the machine was doing: the benchmarks share it, so numbers mean little without this."""
    load1, load5, _ = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {load1:.2f} (1 min) {load5:.2f} (5 min) before this run"


class Receiver:
    """``receiver.py`` in its own process: answers 200 to every POST, counts requests and distinct event ids."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen([sys.executable, str(HERE / "receiver.py"), str(self.port)])
        self.url = f"http://127.0.0.1:{self.port}/hooks"
        wait_healthy(f"http://127.0.0.1:{self.port}", "/stats", time.perf_counter() + 30)

    def stats(self) -> dict:
        return httpx.get(f"http://127.0.0.1:{self.port}/stats", timeout=10).json()

    def close(self) -> None:
        stop(self.proc)


# The load client


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    def add(self, seconds: float, status: int) -> None:
        self.latencies.append(seconds)
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def summary(self, elapsed: float) -> dict:
        ordered = sorted(self.latencies)
        return {
            "requests": len(ordered),
            "rps": len(ordered) / elapsed if elapsed else 0.0,
            "p50_ms": percentile(ordered, 0.50),
            "p90_ms": percentile(ordered, 0.90),
            "p99_ms": percentile(ordered, 0.99),
            "max_ms": ordered[-1] * 1000 if ordered else float("nan"),
            "errors": self.errors,
            "statuses": self.statuses,
        }


def percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


class Connection:
    """One keep-alive HTTP/1.1 connection; ``request`` returns (status, body bytes)."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.host, self.port = host, int(port)
        self.head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": f"{host}:{port}", **headers}.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        payload = json.dumps(body).encode() if body is not None else b""
        extra = f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n" if body is not None else ""
        self.writer.write(f"{method} {path} HTTP/1.1\r\n{self.head}{extra}\r\n".encode() + payload)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        match = re.search(rb"content-length: (\d+)", head, re.I)
        data = await self.reader.readexactly(int(match.group(1))) if match else b""
        if re.search(rb"connection: close", head, re.I):
            self.close()
        return status, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
