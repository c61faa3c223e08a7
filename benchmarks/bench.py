"""Benchmark: kycsim against a bare Starlette endpoint serving the same body, in the same run.

Measures start-up time (process spawn to a 200 on /_sim/health), resident memory after load,
requests/s and latency percentiles for a GET of a stored resource (a Checkout.com applicant),
and the same numbers for a bare Starlette app returning the same bytes: the baseline. The goal
stated in the foundation issue is kycsim >= 0.5x the baseline's requests/s.

    python benchmarks/bench.py [--seconds 3] [--rounds 3] [--connections 16]

Load comes from `wrk` when it is installed (apt-get install wrk), else from a small asyncio
HTTP/1.1 keep-alive client in this file; both servers always face the same load generator.
Traffic stays on 127.0.0.1 and every loop is bounded in time.
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

KEY = "sk_sbox_benchmark_key_0000000000000000"
BASELINE_APP = textwrap.dedent("""
    import sys
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route
    BODY = open(sys.argv[1], "rb").read()
    async def endpoint(request):
        return Response(BODY, media_type="application/json")
    app = Starlette(routes=[Route("/applicants/{applicant_id}", endpoint)])
""")


def wait_healthy(url: str, path: str, deadline: float) -> None:
    while time.perf_counter() < deadline:
        try:
            if httpx.get(url + path, timeout=0.5).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.005)
    raise RuntimeError(f"{url}{path} did not come up")


def start_kycsim() -> tuple[subprocess.Popen, str, float]:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--port", "0", "--seed", "1", "--log-level", "warning"],
        stdout=subprocess.PIPE,
        text=True,
    )
    url = re.search(r"(http://[\d.]+:\d+)", proc.stdout.readline()).group(1)
    wait_healthy(url, "/_sim/health", started + 30)
    return proc, url, time.perf_counter() - started


def start_baseline(body_file: str) -> tuple[subprocess.Popen, str]:
    app_file = Path(tempfile.mkdtemp()) / "baseline_app.py"
    app_file.write_text(BASELINE_APP)
    port = free_port()
    code = (
        f"import sys, uvicorn; sys.argv = ['x', {body_file!r}]; sys.path.insert(0, {str(app_file.parent)!r}); "
        f"uvicorn.run('baseline_app:app', port={port}, log_level='warning')"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, "/applicants/x", time.perf_counter() + 30)
    return proc, url


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _client(host: str, port: int, request: bytes, stop_at: float, latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < stop_at:
            sent = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"content-length: (\d+)", head, re.I).group(1))
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - sent)
    finally:
        writer.close()


def load_python(url: str, path: str, headers: dict[str, str], seconds: float, connections: int) -> dict:
    host, port = url.removeprefix("http://").split(":")
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{head}\r\n".encode()
    latencies: list[float] = []

    async def run() -> None:
        stop_at = time.perf_counter() + seconds
        await asyncio.gather(*(_client(host, int(port), request, stop_at, latencies) for _ in range(connections)))

    started = time.perf_counter()
    asyncio.run(run())
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return {
        "requests": len(ordered),
        "rps": len(ordered) / elapsed,
        "p50_ms": pick(0.50),
        "p90_ms": pick(0.90),
        "p99_ms": pick(0.99),
        "mean_ms": statistics.fmean(ordered) * 1000,
        "tool": "asyncio client",
    }


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
        "mean_ms": ms("Latency"),
        "tool": "wrk",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per server, alternated; medians reported")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    load = load_wrk if shutil.which("wrk") else load_python
    auth = {"Authorization": f"Bearer {KEY}"}

    kycsim, url, startup = start_kycsim()
    baseline = None
    body_file = None
    try:
        created = httpx.post(
            f"{url}/applicants",
            headers=auth,
            json={"email": "bench@example.com", "external_applicant_name": "Bench Mark"},
        ).json()
        path = f"/applicants/{created['id']}"
        body = httpx.get(url + path, headers=auth).content
        with tempfile.NamedTemporaryFile(delete=False) as f:
            f.write(body)
            body_file = f.name
        baseline, base_url = start_baseline(body_file)
        load(url, path, auth, 1, args.connections)  # warm-up both
        load(base_url, path, {}, 1, args.connections)
        # Alternate rounds so both servers meet the same background load; report medians.
        rounds: dict[str, list[dict]] = {"kycsim": [], "baseline": []}
        for _ in range(args.rounds):
            rounds["kycsim"].append(load(url, path, auth, args.seconds, args.connections))
            rounds["baseline"].append(load(base_url, path, {}, args.seconds, args.connections))
        sim_rss, base_rss = rss_mb(kycsim.pid), rss_mb(baseline.pid)
    finally:
        for proc in (kycsim, baseline):
            if proc is not None:
                proc.terminate()
                proc.wait(10)
        if body_file:
            os.unlink(body_file)

    def median(results: list[dict]) -> dict:
        return {k: statistics.median(r[k] for r in results) for k in ("requests", "rps", "p50_ms", "p90_ms", "p99_ms")}

    sim_result, base_result = median(rounds["kycsim"]), median(rounds["baseline"])
    ratios = [k["rps"] / b["rps"] for k, b in zip(rounds["kycsim"], rounds["baseline"], strict=True)]
    ratio = sim_result["rps"] / base_result["rps"]
    print(
        f"load generator: {rounds['kycsim'][0]['tool']}, {args.connections} connections, {args.rounds} alternating "
        f"rounds of {args.seconds:.0f}s per server (medians), GET of a {len(body)}-byte applicant"
    )
    print(f"{'':22}{'req/s':>10}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'RSS MB':>9}")
    for name, r, rss in (("kycsim", sim_result, sim_rss), ("bare starlette", base_result, base_rss)):
        print(f"{name:22}{r['rps']:>10.0f}{r['p50_ms']:>9.2f}{r['p90_ms']:>9.2f}{r['p99_ms']:>9.2f}{rss:>9.1f}")
    print(f"kycsim start-up to healthy: {startup * 1000:.0f} ms")
    print(
        f"kycsim / baseline requests/s: {ratio:.2f} (per round: {', '.join(f'{r:.2f}' for r in ratios)}; "
        f"goal >= 0.50: {'met' if ratio >= 0.5 else 'NOT met'})"
    )
    print(
        json.dumps(
            {
                "kycsim": sim_result,
                "baseline": base_result,
                "startup_s": startup,
                "ratio": ratio,
                "round_ratios": ratios,
                "kycsim_rss_mb": sim_rss,
                "baseline_rss_mb": base_rss,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
