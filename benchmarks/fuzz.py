"""The long fuzz run: hostile requests on every route of ``kycsim serve``, then every record read back.

The CI suite (tests/test_fuzz.py) sends about 2,000 requests in-process; this sends many more to
a real ``kycsim serve`` process and counts what its log says, the way an operator would see it:

    python benchmarks/fuzz.py [--requests 10000] [--seed 0] [--speed manual] [--store sqlite]

Prints requests sent, answers by status, 5xx answers and tracebacks in the server's output, and
exits 1 when there is any 5xx or traceback. With ``--store sqlite`` the server keeps its state in a
SQLite file, and once the run is over it is started again on that file and every record is read
back once more: whatever the hostile requests left in the store must load and read after a restart.
Outbound URLs only point at a closed local port, so a run never reaches the network.
"""

from __future__ import annotations

import argparse
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import fuzz  # noqa: E402  (the request generator the CI suite uses)

RAW_REQUESTS = [
    b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GARBAGE\r\n\r\n",
    b"GET /applicants HTTP/9.9\r\nHost: x\r\n\r\n",
    b"POST /applicants HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    b"POST /applicants HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
    b"POST /applicants HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"POST /_sim/reset HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n{}",
    b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /applicants/%ZZ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk_sbox_x\r\n\r\n",
    b"GET /_sim/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n",
    b"GET /_sim/health HTTP/1.1\r\n" + b"X-Many: a\r\n" * 5000 + b"\r\n",
    b"GET " + b"/a" * 50_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
]


def start(speed: str, log: Path, store: list[str]) -> tuple[subprocess.Popen, str]:
    command = [
        sys.executable,
        "-m",
        "simulator",
        "serve",
        "--port",
        "0",
        "--seed",
        "1",
        "--speed",
        speed,
        "--start-time",
        "2025-01-01T00:00:00Z",
        *store,
    ]
    handle = log.open("wb")
    proc = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = re.search(r"listening on (http://\S+)", log.read_text(errors="replace"))
        if found:
            url = found.group(1)
            httpx.get(f"{url}/_sim/health", timeout=5).raise_for_status()
            return proc, url
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    raise SystemExit(f"kycsim did not start:\n{log.read_text(errors='replace')}")


def raw(url: str) -> list[str]:
    """Malformed HTTP on raw sockets: the server answers or closes, and keeps serving."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    problems = []
    for payload in RAW_REQUESTS:
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            try:
                sock.sendall(payload)
                answer = sock.recv(200)
            except OSError:
                answer = b""
        if re.match(rb"HTTP/1\.[01] 5\d\d", answer):
            problems.append(f"raw {payload[:40]!r}: {answer[:60]!r}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--speed", default="manual", help="the server's --speed (manual, instant or a factor)")
    parser.add_argument("--store", choices=("memory", "sqlite"), default="memory")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "kycsim.log"
        store = ["--store", f"sqlite:///{Path(tmp) / 'fuzz.db'}"] if args.store == "sqlite" else []
        proc, url = start(args.speed, log, store)
        started = time.perf_counter()
        try:
            outcome = fuzz.Outcome()
            with httpx.Client(base_url=url, timeout=30) as http:
                world = fuzz.seed_world(http, outcome)
                table = fuzz.routes(_app())
                fuzzed = fuzz.run(http, table, world, args.requests, seed=args.seed)
                read = fuzz.readback(http, table, world, outcome)
            raw_problems = raw(url)
            healthy = httpx.get(f"{url}/_sim/health", timeout=5).status_code == 200
        finally:
            proc.terminate()
            proc.wait(10)
        output = log.read_text(errors="replace")
        if store:  # the same file again: everything the run stored loads, and every record still reads
            again = Path(tmp) / "kycsim-restarted.log"
            proc, url = start(args.speed, again, store)
            try:
                with httpx.Client(base_url=url, timeout=30) as http:
                    read_again = fuzz.readback(http, table, world, outcome)
                raw_problems += [  # a record that read before the restart reads the same way after it
                    f"after the restart GET {path}: {read_again.get(path)} (was {status})"
                    for path, status in read.items()
                    if read_again.get(path) != status
                ]
                healthy = healthy and httpx.get(f"{url}/_sim/health", timeout=5).status_code == 200
            finally:
                proc.terminate()
                proc.wait(10)
            output += again.read_text(errors="replace")
        elapsed = time.perf_counter() - started

    tracebacks = output.count("Traceback (most recent call last)")
    requests = fuzzed.requests + outcome.requests + len(RAW_REQUESTS)
    errors = fuzzed.server_errors + outcome.server_errors
    statuses = dict(outcome.statuses)
    for status, count in fuzzed.statuses.items():
        statuses[status] = statuses.get(status, 0) + count
    print(
        f"requests sent      {requests}  ({fuzzed.requests} fuzzed, {outcome.requests} seeding and read-back,"
        f" {len(RAW_REQUESTS)} raw)"
    )
    print(f"routes covered     {len(fuzzed.routes)} of {len(table)}")
    print(f"answers by status  {dict(sorted(statuses.items()))}")
    print(f"5xx answers        {errors}")
    print(f"tracebacks logged  {tracebacks}")
    print(f"other problems     {len(fuzzed.failures) + len(outcome.failures) - errors + len(raw_problems)}")
    print(f"healthy afterwards {healthy}")
    print(f"time               {elapsed:.1f} s ({requests / elapsed:.0f} requests/s)")
    for line in (fuzzed.failures + outcome.failures + raw_problems)[:20]:
        print("  ", line[:300])
    return 0 if not errors and not tracebacks and not raw_problems and healthy else 1


def _app():
    from simulator.app import create_app
    from simulator.settings import Settings

    return create_app(Settings(seed=1))


if __name__ == "__main__":
    sys.exit(main())
