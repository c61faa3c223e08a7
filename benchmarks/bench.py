"""Benchmark: a GET of a verification on kycsim against a bare Starlette endpoint serving the same bytes.

kycsim runs twice side by side: with the default console log (``--log-level info``, one line per
request, written to a file as CI captures it) and with ``--log-level warning`` (no request lines).
The baseline is a bare Starlette app under uvicorn returning the same body, without an access log.
The goal: kycsim >= 0.5x the baseline's requests/s, with the default console log.

    python benchmarks/bench.py [--seconds 3] [--rounds 3] [--connections 16]

Also printed: each server's CPU time per request (from ``/proc``: the work itself, which the
machine's other load changes much less than requests/s, so the CPU ratio is the figure to compare on
a busy machine), start-up time (process spawn to a 200 on /_sim/health) and resident memory after
the load. Load comes from `wrk` when it is installed (apt-get install wrk), else from the asyncio
keep-alive client in ``common.py``; every server faces the same load generator, in alternating
rounds so that all meet the same background load, and medians are reported.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    KEY,
    Tally,
    cpu_seconds,
    exit_on_sigterm,
    free_port,
    load_conditions,
    rss_mb,
    start_kycsim,
    stop,
    wait_healthy,
)

BASELINE_APP = textwrap.dedent("""
    import sys
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route
    BODY = open(sys.argv[1], "rb").read()
    async def endpoint(request):
        return Response(BODY, media_type="application/json")
    app = Starlette(routes=[Route("/identity-verifications/{verification_id}", endpoint)])
""")


def start_baseline(body_file: str) -> tuple[subprocess.Popen, str]:
    app_file = Path(tempfile.mkdtemp()) / "baseline_app.py"
    app_file.write_text(BASELINE_APP)
    port = free_port()
    code = (
        f"import sys, uvicorn; sys.argv = ['x', {body_file!r}]; sys.path.insert(0, {str(app_file.parent)!r}); "
        f"uvicorn.run('baseline_app:app', port={port}, log_level='warning', access_log=False)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, "/identity-verifications/x", time.perf_counter() + 30)
    return proc, url


async def _client(host: str, port: int, request: bytes, stop_at: float, tally: Tally) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < stop_at:
            sent = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"content-length: (\d+)", head, re.I).group(1))
            await reader.readexactly(length)
            tally.add(time.perf_counter() - sent, int(head[9:12]))
    finally:
        writer.close()


def load_python(url: str, path: str, headers: dict[str, str], seconds: float, connections: int) -> dict:
    host, port = url.removeprefix("http://").split(":")
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{head}\r\n".encode()
    tally = Tally()

    async def run() -> None:
        stop_at = time.perf_counter() + seconds
        await asyncio.gather(*(_client(host, int(port), request, stop_at, tally) for _ in range(connections)))

    started = time.perf_counter()
    asyncio.run(run())
    return {**tally.summary(time.perf_counter() - started), "tool": "asyncio client"}


def load_wrk(url: str, path: str, headers: dict[str, str], seconds: float, connections: int) -> dict:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, int(seconds))}s", "--latency"]
    for k, v in headers.items():
        args += ["-H", f"{k}: {v}"]
    out = subprocess.run([*args, url + path], capture_output=True, text=True, check=True).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": ms("50%"),
        "p90_ms": ms("90%"),
        "p99_ms": ms("99%"),
        "tool": "wrk",
    }


def verification(url: str, auth: dict[str, str]) -> str:
    """A played identity verification (seed 1, instant speed: the same body on every kycsim)."""
    applicant = httpx.post(f"{url}/applicants", headers=auth, json={"email": "bench@example.com"}).json()
    idv = httpx.post(
        f"{url}/identity-verifications",
        headers=auth,
        json={"applicant_id": applicant["id"], "declared_data": {"name": "Bench Mark"}},
    ).json()
    httpx.post(
        f"{url}/identity-verifications/{idv['id']}/attempts", headers=auth, json={"redirect_url": "https://e.x/"}
    )
    path = f"/identity-verifications/{idv['id']}"
    deadline = time.perf_counter() + 30
    while httpx.get(url + path, headers=auth).json()["status"] != "approved":
        if time.perf_counter() > deadline:
            raise RuntimeError("the verification did not finish")
        time.sleep(0.05)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per server, alternated; medians reported")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    exit_on_sigterm()
    load = load_wrk if shutil.which("wrk") else load_python
    auth = {"Authorization": f"Bearer {KEY}"}
    print(f"machine: {load_conditions()}")

    log_file = Path(tempfile.mkdtemp()) / "console.log"
    flags = ("--seed", "1", "--speed", "instant")
    servers: dict[str, tuple[subprocess.Popen, str, dict]] = {}
    body_file = None
    try:
        proc, url, startup = start_kycsim(*flags, log_to=log_file)  # the default console: info, text
        servers["kycsim, default console log"] = (proc, url, auth)
        proc, url, _ = start_kycsim(*flags, "--log-level", "warning")
        servers["kycsim, --log-level warning"] = (proc, url, auth)
        paths = {verification(url, auth) for _, url, auth in servers.values()}
        assert len(paths) == 1, "both kycsims made the same verification"
        path = paths.pop()
        body = httpx.get(url + path, headers=auth).content
        with tempfile.NamedTemporaryFile(delete=False) as f:
            f.write(body)
            body_file = f.name
        proc, url = start_baseline(body_file)
        servers["bare starlette"] = (proc, url, {})
        for _, url, headers in servers.values():
            load(url, path, headers, 1, args.connections)  # warm-up
        rounds: dict[str, list[dict]] = {name: [] for name in servers}
        for _ in range(args.rounds):  # alternated, so that all meet the same background load
            for name, (proc, url, headers) in servers.items():
                cpu = cpu_seconds(proc.pid)
                result = load(url, path, headers, args.seconds, args.connections)
                result["cpu_us"] = (cpu_seconds(proc.pid) - cpu) / max(result["requests"], 1) * 1e6
                rounds[name].append(result)
        rss = {name: rss_mb(proc.pid) for name, (proc, _, _) in servers.items()}
        console_lines = sum(1 for _ in log_file.open())
    finally:
        for proc, _, _ in servers.values():
            stop(proc)
        if body_file:
            os.unlink(body_file)

    def median(results: list[dict]) -> dict:
        keys = ("requests", "rps", "p50_ms", "p90_ms", "p99_ms", "cpu_us")
        return {k: statistics.median(r[k] for r in results) for k in keys}

    results = {name: median(r) for name, r in rounds.items()}
    base = results["bare starlette"]["rps"]
    first = next(iter(rounds.values()))[0]
    print(
        f"load generator: {first['tool']}, {args.connections} connections, {args.rounds} alternating rounds of "
        f"{args.seconds:.0f}s per server (medians), GET of a {len(body)}-byte identity verification"
    )
    base_cpu = results["bare starlette"]["cpu_us"]
    print(
        f"{'':32}{'req/s':>10}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'RSS MB':>9}{'ratio':>7}"
        f"{'CPU us/req':>12}{'CPU ratio':>10}"
    )
    for name, r in results.items():
        ratio = r["rps"] / base
        print(
            f"{name:32}{r['rps']:>10.0f}{r['p50_ms']:>9.2f}{r['p90_ms']:>9.2f}{r['p99_ms']:>9.2f}"
            f"{rss[name]:>9.1f}{ratio:>7.2f}{r['cpu_us']:>12.1f}{base_cpu / r['cpu_us']:>10.2f}"
        )
    ratio = results["kycsim, default console log"]["rps"] / base
    per_round = [
        k["rps"] / b["rps"]
        for k, b in zip(rounds["kycsim, default console log"], rounds["bare starlette"], strict=True)
    ]
    print(f"kycsim start-up to healthy: {startup * 1000:.0f} ms; console lines written: {console_lines}")
    cpu_ratio = base_cpu / results["kycsim, default console log"]["cpu_us"]
    print(
        f"baseline / kycsim (default console log) CPU time per request: {cpu_ratio:.2f} (the requests/s one core"
        " gives each, compared: what the ratio below comes to when the load generator does not share the cores)"
    )
    print(
        f"kycsim (default console log) / baseline requests/s: {ratio:.2f} (per round: "
        f"{', '.join(f'{r:.2f}' for r in per_round)}; goal >= 0.50: {'met' if ratio >= 0.5 else 'NOT met'})"
    )
    print(json.dumps({"results": results, "rss_mb": rss, "startup_s": startup, "ratio": ratio, "cpu_ratio": cpu_ratio}))
    print(f"machine after the run: {load_conditions().replace(' before this run', '')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
