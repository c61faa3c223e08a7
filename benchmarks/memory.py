"""Benchmark: kycsim's memory over a long run with the default retention, and after a reset.

The flow mix of ``flows.py`` (an applicant, a verification, its attempt, three polls, with a
webhook receiver attached) played by concurrent users until ``--flows`` flows have finished,
at ``--speed instant`` so that every flow also runs its scenario to the end. kycsim's resident
memory (RSS) is sampled every ``--every`` flows; then ``POST /_sim/reset`` forgets everything and
a tenth as many flows again show whether the memory was given back for reuse.

    python benchmarks/memory.py [--flows 100000] [--every 10000] [--users 32] [--stores memory,sqlite]

Printed for each store: RSS and flows/s at each sample, RSS growth per 1,000 finished flows
(over the whole run and over its second half, once retention is at work), RSS after the reset
and after the flows that follow it. The baseline, in the same run: RSS right after start-up.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Receiver, Tally, exit_on_sigterm, load_conditions, rss_mb, start_kycsim, stop  # noqa: E402
from flows import user  # noqa: E402


def play_flows(url: str, count: int, users: int, pid: int, every: int, label: str) -> list[dict]:
    """Play ``count`` flows; a sample (flows, RSS, flows/s since the last one) every ``every`` flows."""
    finished: list[float] = []
    samples: list[dict] = []

    async def run() -> None:
        stop_at = time.perf_counter() + 24 * 3600  # the users stop once enough flows are done, not on time
        tally = Tally()
        tasks = [asyncio.create_task(user(url, stop_at, tally, finished, n)) for n in range(users)]
        last_count, last_time = 0, time.perf_counter()
        while len(finished) < count:
            await asyncio.sleep(0.2)
            if all(task.done() for task in tasks):  # every user failed: say why rather than wait forever
                for task in tasks:
                    task.result()
                raise RuntimeError(f"the users stopped after {len(finished)} flows")
            if len(finished) - last_count >= every or len(finished) >= count:
                now = time.perf_counter()
                rate = (len(finished) - last_count) / (now - last_time)
                samples.append({"flows": len(finished), "rss_mb": rss_mb(pid), "flows_per_s": rate})
                print(
                    f"  {label}: {len(finished):>7} flows  RSS {samples[-1]['rss_mb']:7.1f} MB  {rate:7.0f} flows/s",
                    flush=True,
                )
                last_count, last_time = len(finished), now
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(run())
    return samples


def per_thousand(samples: list[dict], start_flows: int, start_rss: float) -> float:
    end = samples[-1]
    return (end["rss_mb"] - start_rss) / max(end["flows"] - start_flows, 1) * 1000


def run_store(store: str, flows: int, every: int, users: int) -> dict:
    receiver = Receiver()
    flags = ["--seed", "1", "--speed", "instant", "--log-level", "warning"]
    if store == "sqlite":
        flags += ["--store", f"sqlite:///{tempfile.mkdtemp()}/memory-bench.db"]
    proc, url, _ = start_kycsim(*flags, env={"KYCSIM_CHECKOUT_WEBHOOK_URL": receiver.url})
    try:
        started_rss = rss_mb(proc.pid)
        samples = play_flows(url, flows, users, proc.pid, every, store)
        middle = samples[len(samples) // 2 - 1] if len(samples) >= 2 else {"flows": 0, "rss_mb": started_rss}
        result = {
            "store": store,
            "rss_start_mb": started_rss,
            "samples": samples,
            "rss_end_mb": samples[-1]["rss_mb"],
            "mb_per_1000_flows": per_thousand(samples, 0, started_rss),
            "mb_per_1000_flows_second_half": per_thousand(samples, middle["flows"], middle["rss_mb"]),
        }
        httpx.post(f"{url}/_sim/reset", json={}, timeout=60).raise_for_status()
        result["rss_after_reset_mb"] = rss_mb(proc.pid)
        again = play_flows(url, max(flows // 10, 1), users, proc.pid, every, f"{store} after reset")
        result["rss_after_reset_and_flows_mb"] = again[-1]["rss_mb"]
    finally:
        stop(proc)
        receiver.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=100_000)
    parser.add_argument("--every", type=int, default=10_000, help="flows between two samples")
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--stores", default="memory,sqlite")
    args = parser.parse_args()
    exit_on_sigterm()
    print(f"machine: {load_conditions()}")
    print(
        f"load: {args.users} users, {args.flows} flows per run (3 creates + 3 polls each), --speed instant, "
        "a webhook receiver attached, default retention"
    )
    results = [run_store(store, args.flows, args.every, args.users) for store in args.stores.split(",")]
    print(
        f"\n{'':10}{'RSS start':>11}{'RSS end':>10}{'MB/1k flows':>13}{'2nd half':>10}{'after reset':>13}"
        f"{'+ flows again':>15}"
    )
    for r in results:
        print(
            f"{r['store']:10}{r['rss_start_mb']:>11.0f}{r['rss_end_mb']:>10.0f}{r['mb_per_1000_flows']:>13.2f}"
            f"{r['mb_per_1000_flows_second_half']:>10.2f}{r['rss_after_reset_mb']:>13.0f}"
            f"{r['rss_after_reset_and_flows_mb']:>15.0f}"
        )
    for r in results:
        goal = "met" if r["rss_end_mb"] < 500 else "NOT met"
        print(
            f"{r['store']}: RSS after {r['samples'][-1]['flows']} finished flows {r['rss_end_mb']:.0f} MB "
            f"(goal < 500 MB after 100,000: {goal}); flows/s per sample "
            f"{[round(s['flows_per_s']) for s in r['samples']]}"
        )
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
