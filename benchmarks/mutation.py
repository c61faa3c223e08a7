"""Mutation testing of kycsim's core with mutmut: prints the score per module and the survivors.

    python benchmarks/mutation.py                 # every module below (long: run it before a release)
    python benchmarks/mutation.py engine/clock.py providers/checkout/auth.py
    python benchmarks/mutation.py --list          # the modules and the tests run against each

Needs ``pip install 'mutmut==2.5.1'`` (mutmut 2 mutates a file in place and runs a command, which
suits a package also started as a subprocess by the tests; mutmut 3's trampolines do not see those).
Each module is mutated in a scratch copy of the working tree (tracked and untracked files,
ignored ones left out), never in the tree itself. The tests run against a module are the ones
that exercise it (``-x``: a mutant is killed at the first failure). Score = killed / all mutants,
where killed includes mutmut's "suspicious" (killed, but the tests were slow) and "timeout" (the
tests hung: an infinite loop is caught too). Surviving mutants are printed as diffs, to kill with a test or to explain
as equivalent. It does not run in CI: a module takes minutes to tens of minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
T = "tests/"
# module (under simulator/) -> the tests that exercise it.
MODULES: dict[str, list[str]] = {
    "engine/clock.py": [
        f"{T}engine/test_clock.py",
        f"{T}engine/test_scheduler.py",
        f"{T}engine/webhooks/test_retry_timing.py",
        f"{T}control/test_routes.py",
    ],
    "engine/fakedata.py": [
        f"{T}engine/test_mrz.py",
        f"{T}engine/test_ids_and_fakedata.py",
        f"{T}providers/sumsub/test_documents.py",
        f"{T}providers/checkout/test_identity_verifications.py",
    ],
    "providers/checkout/auth.py": [f"{T}providers/checkout/test_auth.py", f"{T}providers/checkout/test_oauth.py"],
    "providers/checkout/errors.py": [
        f"{T}providers/checkout/test_errors.py",
        f"{T}providers/checkout/test_robustness.py",
    ],
    "providers/checkout/lifecycle.py": [
        f"{T}providers/checkout/test_lifecycle.py",
        f"{T}providers/checkout/test_identity_verifications.py",
        f"{T}providers/checkout/test_response_code_facts.py",
        f"{T}providers/checkout/test_scenarios.py",
    ],
    "providers/sumsub/auth.py": [f"{T}providers/sumsub/test_auth.py"],
    "providers/sumsub/errors.py": [f"{T}providers/sumsub/test_auth.py", f"{T}providers/sumsub/test_robustness.py"],
    "providers/sumsub/lifecycle.py": [
        f"{T}providers/sumsub/test_applicants.py",
        f"{T}providers/sumsub/test_applicant_actions.py",
        f"{T}providers/sumsub/test_facts.py",
        f"{T}providers/sumsub/test_webhooks.py",
    ],
    "engine/webhooks/": [f"{T}engine/webhooks/", f"{T}control/test_webhook_stream.py"],
}


def scratch_copy() -> Path:
    """The working tree's files (tracked and untracked, not ignored) in a temporary folder."""
    files = (
        subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True, capture_output=True
        )
        .stdout.decode()
        .split("\0")
    )
    target = Path(tempfile.mkdtemp(prefix="kycsim-mutation-"))
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def mutmut(tree: Path, *args: str, check: bool = False) -> str:
    done = subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=tree, capture_output=True, text=True)
    if check and done.returncode != 0:  # with --CI, only a fatal error (tests failing unmutated) exits non-zero
        raise RuntimeError(f"mutmut {args[0]} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done.stdout


def run_module(module: str, tests: list[str]) -> dict:
    tree = scratch_copy()
    try:
        # mutmut 2 counts only exit code 1 as "tests failed": a mutant that breaks the import makes
        # pytest exit 2 (collection error) and would pass for a survivor. Any failure is 1 here.
        pytest = f"{sys.executable} -m pytest -x -q -p no:cacheprovider {' '.join(tests)}"
        runner = f'bash -c "{pytest} || exit 1"'
        mutmut(
            tree,
            "run",
            "--paths-to-mutate",
            f"simulator/{module}",
            "--runner",
            runner,
            "--no-progress",
            "--simple-output",
            "--CI",
            check=True,
        )
        ids = {
            kind: _ids(mutmut(tree, "result-ids", kind))
            for kind in ("killed", "timeout", "suspicious", "survived", "skipped")
        }
        survivors = {i: mutmut(tree, "show", str(i)) for i in ids["survived"]}
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    total = sum(len(v) for v in ids.values()) - len(ids["skipped"])
    killed = len(ids["killed"]) + len(ids["timeout"]) + len(ids["suspicious"])
    return {"module": module, "total": total, "killed": killed, "survivors": survivors}


def _ids(text: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", text)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules under simulator/ (default: all)")
    parser.add_argument("--list", action="store_true", help="print the modules and their tests")
    args = parser.parse_args(argv)
    if args.list:
        for module, tests in MODULES.items():
            print(f"{module}: {' '.join(tests)}")
        return 0
    try:
        import mutmut  # noqa: F401
    except ImportError:
        print("mutmut is not installed: pip install 'mutmut==2.5.1'", file=sys.stderr)
        return 2
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown modules {unknown}; --list shows them")
    results = []
    for module in args.modules or list(MODULES):
        result = run_module(module, MODULES[module])
        results.append(result)
        score = 100 * result["killed"] / result["total"] if result["total"] else 100.0
        print(f"{module:40} {result['killed']:4}/{result['total']:<4} killed  {score:5.1f}%", flush=True)
        for number, diff in result["survivors"].items():
            lines = [line for line in diff.splitlines() if line.startswith(("---", "+", "-", "@@"))]
            print(f"    survived #{number}: " + " | ".join(lines[2:]), flush=True)
    killed, total = sum(r["killed"] for r in results), sum(r["total"] for r in results)
    print(f"{'all':40} {killed:4}/{total:<4} killed  {100 * killed / max(total, 1):5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
