"""Mutation testing of kycsim's core with mutmut: prints the score per module and the survivors.

    python benchmarks/mutation.py                 # every module below (hours on a shared 2-core machine)
    python benchmarks/mutation.py engine/clock.py providers/checkout/auth.py
    python benchmarks/mutation.py engine/webhooks/ # every module in a folder
    python benchmarks/mutation.py --list          # the modules and the tests run against each
    python benchmarks/mutation.py --named         # the four bugs issue 15 names, each must fail a test

Needs ``pip install 'mutmut==2.5.1'`` (not for ``--named``). mutmut makes the mutants (its operators,
``# pragma: no mutate`` honoured); this script runs them, because mutmut's own loop starts a fresh
pytest per mutant, and importing pytest's plugins, Hypothesis and Faker takes longer than most test
runs here. So those are imported once (:data:`PRELOAD`), and each mutant's tests run in a ``fork`` of
that process, which imports kycsim (mutated) and the tests afresh, with bytecode cached; servers the
tests start as subprocesses run the mutated file too. Everything happens in a scratch copy of the
working tree (tracked and untracked files, ignored ones left out), never in the tree itself.

A traced run of the module's tests first notes which tests run each line; a mutant runs those tests
(the whole set for a line run at import). It is killed when a test fails (``-x``: at the first
failure), when it breaks the import, or when the run takes over three times as long as unmutated
(tests that wait for something would otherwise wait out their generous timeouts). The score is the
literature's: killed / (all mutants - the equivalent ones); the raw killed / all is printed beside it.
Killed mutants are remembered by line (``.mutation-cache.json``): a run after new tests retests only
the survivors (``--fresh``: everything). A survivor is printed as the line
before and after; one listed in ``mutation_equivalents.yaml`` (next to this script) is printed with the
reason it behaves like the original, any other is "unexplained": kill it with a test that asserts a
provider fact or real behaviour, or explain it there. It does not run in CI (tests/test_mutation_map.py
only checks that the map below names real modules and tests); ``--named`` takes about 30 s.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import difflib
import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = Path(__file__).with_name("mutation_equivalents.yaml")
CACHE = ROOT / ".mutation-cache.json"
T = "tests/"
# module (under simulator/) -> the smallest set of tests that exercises it, fastest first (-x stops at
# the first failure, so most mutants die in the first file).
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
        f"{T}providers/test_snapshots.py",  # the same seed gives the same people, byte for byte
    ],
    # The webhooks package: each module against the tests of what it does, the quick ones first.
    "engine/webhooks/attempts.py": [
        f"{T}engine/webhooks/test_sender.py",
        f"{T}engine/webhooks/test_endpoints_lifecycle.py",
        f"{T}engine/webhooks/test_chaos.py",
        f"{T}engine/webhooks/test_delivery.py",
        f"{T}engine/webhooks/test_replay.py",
        f"{T}engine/webhooks/test_retry_timing.py",
    ],
    "engine/webhooks/chaos.py": [
        f"{T}engine/webhooks/test_chaos.py",
        f"{T}engine/webhooks/test_scenario_chaos.py",
        f"{T}engine/webhooks/test_replay.py",
    ],
    "engine/webhooks/delivery.py": [
        f"{T}engine/webhooks/test_sender.py",
        f"{T}engine/webhooks/test_delivery.py",
        f"{T}engine/webhooks/test_chaos.py",
    ],
    "engine/webhooks/dispatcher.py": [
        f"{T}engine/webhooks/test_delivery.py",
        f"{T}engine/webhooks/test_chaos.py",
        f"{T}engine/webhooks/test_replay.py",
        f"{T}engine/webhooks/test_outbox.py",
        f"{T}control/test_webhook_stream.py",
        f"{T}engine/webhooks/test_endpoints_lifecycle.py",
        f"{T}engine/webhooks/test_burst.py",
        f"{T}engine/webhooks/test_retry_timing.py",
        f"{T}providers/sumsub/test_webhooks.py",
    ],
    "engine/webhooks/endpoints.py": [
        f"{T}engine/webhooks/test_endpoints.py",
        f"{T}engine/webhooks/test_signing_and_endpoints.py",
        f"{T}engine/webhooks/test_replay.py",  # a replay's stand-in endpoint: the defaults it takes
        f"{T}engine/webhooks/test_endpoints_lifecycle.py",
        f"{T}engine/webhooks/test_delivery.py",
        f"{T}engine/webhooks/test_outbox.py",
    ],
    "engine/webhooks/lanes.py": [
        f"{T}engine/webhooks/test_delivery.py",
        f"{T}engine/webhooks/test_chaos.py",
        f"{T}engine/webhooks/test_endpoints_lifecycle.py",
        f"{T}engine/webhooks/test_outbox.py",
        f"{T}engine/webhooks/test_scenario_chaos.py",
    ],
    "engine/webhooks/log.py": [
        f"{T}engine/webhooks/test_log.py",
        f"{T}engine/webhooks/test_delivery.py",
        f"{T}engine/webhooks/test_endpoints_lifecycle.py",
        f"{T}engine/webhooks/test_outbox.py",
        f"{T}engine/webhooks/test_replay.py",
        f"{T}control/test_webhook_stream.py",
    ],
    "engine/webhooks/models.py": [
        f"{T}engine/webhooks/test_delivery.py",
        f"{T}engine/webhooks/test_outbox.py",
        f"{T}engine/webhooks/test_replay.py",
        f"{T}engine/webhooks/test_chaos.py",  # out_of_order: which event overtakes a held one
    ],
    "engine/webhooks/outbox.py": [
        f"{T}engine/webhooks/test_outbox.py",
        f"{T}engine/webhooks/test_burst.py",
        f"{T}engine/test_durability.py",
    ],
    "engine/webhooks/replay.py": [f"{T}engine/webhooks/test_replay.py"],
    "engine/webhooks/stream.py": [f"{T}engine/webhooks/test_stream.py", f"{T}control/test_webhook_stream.py"],
    "providers/checkout/auth.py": [f"{T}providers/checkout/test_auth.py", f"{T}providers/checkout/test_oauth.py"],
    "providers/checkout/errors.py": [
        f"{T}providers/checkout/test_errors.py",
        f"{T}providers/checkout/test_robustness.py",
        f"{T}providers/test_snapshots.py",  # request ids, byte for byte: each stream keeps its name
    ],
    "providers/checkout/lifecycle.py": [
        f"{T}providers/checkout/test_transition_facts.py",
        f"{T}providers/checkout/test_lifecycle.py",
        f"{T}providers/checkout/test_identity_verifications.py",
        f"{T}providers/checkout/test_document_verifications.py",
        f"{T}providers/checkout/test_face_authentications.py",
        f"{T}providers/checkout/test_response_code_facts.py",
        f"{T}providers/checkout/test_scenarios.py",
        f"{T}providers/test_snapshots.py",  # ids drawn in the same order, byte for byte
        f"{T}control/test_stories.py",  # the story's timeline is the checks' history
    ],
    "providers/checkout/transitions.py": [
        f"{T}providers/checkout/test_transition_facts.py",
        f"{T}providers/checkout/test_lifecycle.py",
        f"{T}providers/checkout/test_verbs.py",
        f"{T}providers/checkout/test_scenarios.py",  # the coverage report's effects come from the same rows
        f"{T}providers/checkout/test_response_code_facts.py",
    ],
    "providers/sumsub/auth.py": [f"{T}providers/sumsub/test_auth.py"],
    "providers/sumsub/errors.py": [
        f"{T}providers/sumsub/test_errors.py",
        f"{T}providers/sumsub/test_auth.py",
        f"{T}providers/sumsub/test_robustness.py",
    ],
    "providers/sumsub/lifecycle.py": [
        f"{T}providers/sumsub/test_lifecycle.py",
        f"{T}providers/sumsub/test_applicants.py",
        f"{T}providers/sumsub/test_applicant_actions.py",
        f"{T}providers/sumsub/test_handoff.py",
        f"{T}providers/sumsub/test_documents.py",
        f"{T}providers/sumsub/test_sandbox.py",
        f"{T}providers/sumsub/test_webhooks.py",
        f"{T}providers/sumsub/test_hosted.py",
        f"{T}providers/sumsub/test_facts.py",
    ],
    "providers/sumsub/transitions.py": [
        f"{T}providers/sumsub/test_applicants.py",
        f"{T}providers/sumsub/test_facts.py",
    ],
    "toolkit/errors.py": [
        f"{T}toolkit/test_errors.py",
        f"{T}toolkit/test_routes.py",
        f"{T}providers/checkout/test_errors.py",
        f"{T}providers/sumsub/test_robustness.py",
    ],
}


@dataclass(frozen=True)
class Named:
    """A realistic bug the issue names: ``old`` becomes ``new`` in ``module``; some test must fail."""

    bug: str
    module: str
    old: str
    new: str
    tests: list[str] = field(hash=False)


# Issue 15's four: each passed every test once; each must now fail at least one. ``module`` may be a
# folder: ``old`` must then occur once in one of its files (the code can move between modules).
NAMED = [
    Named(
        "MRZ expiry check digit computed over the birth date",
        "engine/fakedata.py",
        "{exp}{mrz_check_digit(exp)}{personal}",
        "{exp}{mrz_check_digit(birth)}{personal}",
        [f"{T}engine/test_mrz.py"],
    ),
    Named(
        "MRZ composite check digit leaving out the personal-number digit",
        "engine/fakedata.py",
        "mrz_check_digit(composite + mrz_check_digit(personal))",
        "mrz_check_digit(composite)",
        [f"{T}engine/test_mrz.py"],
    ),
    Named(
        "webhook retry counted from the failure instead of the attempt start",
        "engine/webhooks/",
        "due = started_at + schedule[retries_done]",
        "due = self.clock.seconds(d.event.tenant) + schedule[retries_done]",
        [f"{T}engine/webhooks/test_retry_timing.py"],
    ),
    Named(
        "Checkout.com response code 62102's summary renamed",
        "providers/checkout/response_codes.csv",
        "62102,document_not_accepted,",
        "62102,document_not_compliant,",
        [f"{T}providers/checkout/test_response_code_facts.py"],
    ),
]


# ---------------------------------------------------------------------------------------------------
# The scratch tree and the forked test runs


def scratch_copy() -> Path:
    """The working tree's files (tracked and untracked, not ignored) in a temporary folder."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True, capture_output=True
    )
    target = Path(tempfile.mkdtemp(prefix="kycsim-mutation-"))
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _ours(name: str) -> bool:
    return name.partition(".")[0] in ("simulator", "tests", "conftest", "__main__")


def run_tests(tests: list[str], timeout: float | None = None, trace: tuple[Path, Path] | None = None) -> str:
    """Run pytest on ``tests`` in a fork: "passed", "failed" or "timeout". With ``trace`` (a module's
    file, a report file), the fork writes to the report which tests ran each line of the module."""
    pid = os.fork()
    if pid == 0:  # the child: its own process group, so a timeout also ends the servers it started
        code = 3
        try:
            os.setpgid(0, 0)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            import pytest

            # Plugins imported up front (Faker's, Hypothesis') cannot have their asserts rewritten: fine.
            quiet = ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
            recorder = LineRecorder(trace[0]) if trace else None
            code = int(
                pytest.main(["-x", "-q", "-p", "no:cacheprovider", *quiet, *tests], plugins=[recorder] * bool(trace))
            )
            if recorder is not None and trace is not None:
                recorder.stop()
                trace[1].write_text(json.dumps(recorder.report()))
        except BaseException:
            import traceback

            traceback.print_exc(file=sys.__stderr__)
        finally:
            os._exit(code)
    deadline = None if timeout is None else time.monotonic() + timeout
    outcome = "timeout"
    while deadline is None or time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            outcome = "passed" if os.waitstatus_to_exitcode(status) == 0 else "failed"
            break
        time.sleep(0.02)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)  # the hung run, or servers a finished one left behind
    if outcome == "timeout":
        os.waitpid(pid, 0)
    return outcome


class LineRecorder:
    """A pytest plugin that notes which test runs each line of one file (in every thread): a mutant
    of a line then runs only those tests first. Lines run outside a test (at import) belong to all."""

    def __init__(self, path: Path) -> None:
        self.path, self.current, self.order = str(path), "", []
        self.lines: dict[int, set[str]] = {}
        self.seconds: dict[str, float] = {}
        sys.settrace(self._call)
        threading.settrace(self._call)

    def _call(self, frame: Any, event: str, arg: Any) -> Any:
        return self._line if frame.f_code.co_filename == self.path else None

    def _line(self, frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            self.lines.setdefault(frame.f_lineno, set()).add(self.current)
        return self._line

    def pytest_runtest_protocol(self, item: Any, nextitem: Any) -> None:
        self.current = item.nodeid
        self.order.append(item.nodeid)

    def pytest_runtest_logreport(self, report: Any) -> None:
        self.seconds[report.nodeid] = self.seconds.get(report.nodeid, 0.0) + report.duration

    def stop(self) -> None:
        sys.settrace(None)
        threading.settrace(None)  # type: ignore[arg-type]

    def report(self) -> dict[str, Any]:
        lines = {str(k): sorted(v) for k, v in self.lines.items()}
        return {"order": self.order, "lines": lines, "seconds": self.seconds}


@dataclass
class Coverage:
    """Which of a module's tests run each line (from :class:`LineRecorder`)."""

    order: list[str]
    lines: dict[int, set[str]]
    seconds: dict[str, float]  # how long each test took, traced (so slower than it runs)

    def timeout(self, tests: list[str]) -> float:
        """A run of ``tests`` that takes longer than this has changed behaviour: killed (as mutmut counts
        timeouts). Tests that wait for something with a generous timeout would otherwise take minutes."""
        return 10 + 3 * sum(self.seconds.get(t, 0.0) for t in tests)

    def tests_for(self, line: int) -> list[str] | None:
        """The tests that run ``line`` and the covered line before it (a statement over several lines
        may report only its first); None (all of them) for a line run at import or never run."""
        before = max((n for n in self.lines if n < line), default=None)
        chosen = self.lines.get(line, set()) | (self.lines.get(before, set()) if before is not None else set())
        if not chosen or "" in chosen:
            return None
        return [t for t in self.order if t in chosen]


# Imported once, before the forks: the slow imports of a test run (pytest's plugins, Hypothesis, Faker's
# locales, Starlette, httpx). Only these: importing every module a run used breaks asyncio timeouts in
# the forks, and some modules start processes when imported.
PRELOAD = [
    "_pytest.pytester",
    "hypothesis",
    "hypothesis.strategies",
    "_hypothesis_pytestplugin",
    "faker",
    "faker.providers",
    "jsonschema",
    "yaml",
    "httpx",
    "starlette.applications",
    "starlette.testclient",
]


def warm_up(tests: list[str], module: Path | None = None) -> tuple[float, Coverage | None]:
    """Import :data:`PRELOAD` and run ``tests`` unmutated in a fork (they must pass): how long the run
    took and, for a ``module``, which tests run each of its lines."""
    with warnings.catch_warnings():  # each fork's pytest reports warnings, not this process
        warnings.simplefilter("ignore")
        for name in PRELOAD:
            importlib.import_module(name)
    stray = [name for name in sys.modules if _ours(name) and name != "__main__"]
    assert not stray, f"kycsim must be imported by each fork, not up front: {stray[:5]}"
    report = Path(tempfile.mkstemp(prefix="kycsim-lines-")[1])
    try:
        if module is not None and run_tests(tests, trace=(module, report)) != "passed":
            raise SystemExit(f"the tests fail without any mutation (traced): {' '.join(tests)}")
        started = time.monotonic()
        if run_tests(tests) != "passed":
            raise SystemExit(f"the tests fail without any mutation: {' '.join(tests)}")
        took = time.monotonic() - started
        if module is None:
            return took, None
        data = json.loads(report.read_text())
    finally:
        report.unlink()
    return took, Coverage(data["order"], {int(k): set(v) for k, v in data["lines"].items()}, data["seconds"])


def write(path: Path, source: str) -> None:
    """Write ``path`` and drop its cached bytecode: a cache is keyed by the file's size and mtime in whole
    seconds, which two mutants written in the same second can share."""
    path.write_text(source)
    for cached in (path.parent / "__pycache__").glob(f"{path.stem}.*.pyc"):
        cached.unlink()


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    tree = scratch_copy()
    here, path = os.getcwd(), list(sys.path)
    # Bytecode cached in the scratch tree: otherwise each fork compiles (and pytest rewrites) every module.
    sys.dont_write_bytecode = False
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.chdir(tree)
    # The forks import kycsim and its tests from the scratch tree, never from this one (nor its benchmarks).
    sys.path[:] = [str(tree)] + [p for p in path if Path(p or here).resolve() not in (ROOT, ROOT / "benchmarks")]
    try:
        yield tree
    finally:
        sys.path[:] = path
        os.chdir(here)
        shutil.rmtree(tree, ignore_errors=True)


# ---------------------------------------------------------------------------------------------------
# Mutants


@dataclass
class Mutant:
    number: int
    line_number: int
    before: str
    after: str
    same: int = 0  # how many mutants before this one made the same change to the same line text
    scope: str = ""  # the function (or class) the line is in: tells apart equal lines in two places

    def key(self) -> tuple[str, str]:
        return (self.before.strip(), self.after.strip())

    def key_text(self) -> str:
        """How the cache knows this mutant (see :class:`Killed`)."""
        return f"{self.before.strip()} => {self.after.strip()} #{self.same}"


def mutants(path: Path) -> Iterator[tuple[Mutant, str]]:
    """Each of mutmut's mutants of ``path``: what changed, and the mutated source."""
    from mutmut import Context, list_mutations, mutate

    source = path.read_text()
    scopes = sorted(
        (node.end_lineno - node.lineno, node.lineno, node.end_lineno, node.name)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.end_lineno
    )
    seen: dict[tuple[str, str], int] = {}
    for number, mutation in enumerate(list_mutations(Context(source=source, filename=str(path))), 1):
        mutated, _ = mutate(Context(source=source, mutation_id=mutation, filename=str(path)))
        diff = list(difflib.unified_diff(source.splitlines(), mutated.splitlines(), lineterm="", n=0))
        before = " | ".join(line[1:] for line in diff[3:] if line.startswith("-"))
        after = " | ".join(line[1:] for line in diff[3:] if line.startswith("+"))
        line = mutation.line_number + 1
        scope = next((name for _, first, last, name in scopes if first <= line <= last), "")
        mutant = Mutant(number, line, before, after, scope=scope)
        mutant.same = seen.get(mutant.key(), 0)
        seen[mutant.key()] = mutant.same + 1
        yield mutant, mutated


def load_equivalents() -> dict[tuple[str, str, str], list[tuple[str, str]]]:
    """``mutation_equivalents.yaml``: (module, line, mutated line) -> [(function or "", why)]. An entry may
    name the function (``in``) its line is in, where the same line is written in two places."""
    entries = yaml.safe_load(EQUIVALENTS.read_text()) or []
    found: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for e in entries:
        found.setdefault((e["module"], e["line"].strip(), e["mutant"].strip()), []).append((e.get("in", ""), e["why"]))
    return found


def why_equivalent(equivalents: dict[tuple[str, str, str], list[tuple[str, str]]], module: str, m: Mutant) -> str:
    """The reason the YAML gives for ``m``, or ""."""
    for scope, why in equivalents.get((module, *m.key()), []):
        if not scope or scope == m.scope:
            return why
    return ""


@dataclass
class Result:
    module: str
    total: int = 0
    killed: int = 0
    survivors: list[Mutant] = field(default_factory=list)
    seconds: float = 0.0
    cached: int = 0  # killed in an earlier run (Killed)
    equivalent: int = 0  # survivors mutation_equivalents.yaml explains


class Killed:
    """Mutants already killed, per module (``.mutation-cache.json`` at the repository's root, ignored by
    git), so that a run after new tests retests only the survivors: tests only get added, and a mutant
    one of them failed stays killed. As in mutmut's own cache, a mutant is known by its line, before and
    after (and which of the same pair it is), so it keeps its result while other lines change."""

    def __init__(self, path: Path = CACHE) -> None:
        self.path = path

    def _read(self) -> dict[str, list[str]]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def of(self, module: str) -> set[str]:
        return set(self._read().get(module, []))

    def save(self, module: str, killed: set[str]) -> None:
        """Write ``module``'s entry, leaving the others as the file has them now."""
        data = self._read()
        data[module] = sorted(killed | set(data.get(module, [])))
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, indent=1) + "\n")
        temporary.replace(self.path)


def run_module(tree: Path, module: str, tests: list[str], confirm: bool = False, cache: Killed | None = None) -> Result:
    """Each mutant runs the tests that run its line (:class:`Coverage`), or the module's whole test set
    for a line run at import or by no test; with ``confirm``, a survivor runs the whole set too. Either
    way a mutant counted as killed failed a test; without ``confirm`` the score can only be too low.
    Mutants the ``cache`` says were killed are counted as killed without a run."""
    path = tree / "simulator" / module
    original = path.read_text()
    result = Result(module)
    started = time.monotonic()
    killed = cache.of(module) if cache else set()
    baseline, lines = warm_up(tests, path)
    timeout = 10 + 3 * baseline
    try:
        for mutant, mutated in mutants(path):
            result.total += 1
            if mutant.key_text() in killed:
                result.killed += 1
                result.cached += 1
                continue
            write(path, mutated)
            first = lines.tests_for(mutant.line_number) if lines else None
            survived = run_tests(first or tests, lines.timeout(first) if first and lines else timeout) == "passed"
            if survived and first and confirm:
                survived = run_tests(tests, timeout) == "passed"
            if survived:
                result.survivors.append(mutant)
            else:
                result.killed += 1
                killed.add(mutant.key_text())
                if cache:
                    cache.save(module, killed)
            # progress on stderr: a dot per killed mutant, a line per survivor
            note = f"\n  survived #{mutant.number} line {mutant.line_number}: {mutant.after.strip()}\n"
            print(note if survived else ".", end="", file=sys.stderr, flush=True)
    finally:
        write(path, original)
    result.seconds = time.monotonic() - started
    print(file=sys.stderr)
    return result


def expand(names: list[str]) -> list[str]:
    chosen: list[str] = []
    for name in names:
        matches = [m for m in MODULES if m == name or (name.endswith("/") and m.startswith(name))]
        if not matches:
            raise SystemExit(f"unknown module {name!r}; --list shows them")
        chosen += [m for m in matches if m not in chosen]
    return chosen


def score(killed: int, total: int, equivalent: int) -> str:
    """The mutation score as the literature defines it: killed / (mutants - equivalent ones)."""
    return f"{100 * killed / (total - equivalent) if total > equivalent else 100.0:5.1f}%"


def print_result(result: Result, equivalents: dict[tuple[str, str, str], list[tuple[str, str]]]) -> int:
    reasons = [why_equivalent(equivalents, result.module, m) for m in result.survivors]
    result.equivalent = sum(1 for why in reasons if why)
    print(
        f"{result.module:36} score {score(result.killed, result.total, result.equivalent)}"
        f"  {result.killed:4}/{result.total:<4} killed, {result.equivalent} equivalent,"
        f" {len(result.survivors) - result.equivalent} unexplained"
        f"  ({result.seconds:.0f} s, {result.cached} killed in earlier runs)",
        flush=True,
    )
    for mutant, why in zip(result.survivors, reasons, strict=True):
        label = f"equivalent: {why}" if why else "UNEXPLAINED"
        where = f" in {mutant.scope}" if mutant.scope else ""
        print(f"    #{mutant.number} line {mutant.line_number}{where}: {label}", flush=True)
        print(f"        - {mutant.before.strip()}\n        + {mutant.after.strip()}", flush=True)
    return len(result.survivors) - result.equivalent


def named_file(tree: Path, bug: Named) -> Path:
    """The one file of ``bug.module`` (a file or a folder) that holds ``bug.old`` exactly once."""
    place = tree / "simulator" / bug.module
    files = sorted(place.glob("*.py")) if place.is_dir() else [place]
    holders = [f for f in files if f.read_text().count(bug.old) == 1]
    if len(holders) != 1 or sum(f.read_text().count(bug.old) for f in files) != 1:
        raise SystemExit(f"{bug.module} does not hold {bug.old!r} exactly once: update NAMED")
    return holders[0]


def run_named() -> int:
    """Apply each bug :data:`NAMED` lists and run its tests: each must make one fail."""
    caught = 0
    with scratch() as tree:
        warm_up(sorted({t for bug in NAMED for t in bug.tests}))
        for bug in NAMED:
            path = named_file(tree, bug)
            original = path.read_text()
            write(path, original.replace(bug.old, bug.new))
            try:
                outcome = run_tests(bug.tests, timeout=600)
            finally:
                write(path, original)
            caught += outcome != "passed"
            print(f"{'caught' if outcome != 'passed' else 'MISSED':7} {bug.bug} ({bug.module})", flush=True)
    print(f"{caught}/{len(NAMED)} named bugs fail a test")
    return 0 if caught == len(NAMED) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules (or folders, ending in /) under simulator/; default: all")
    parser.add_argument("--list", action="store_true", help="print the modules and their tests")
    parser.add_argument("--named", action="store_true", help="check that the bugs issue 15 names fail a test")
    parser.add_argument("--confirm", action="store_true", help="run each survivor against the whole test set too")
    parser.add_argument("--fresh", action="store_true", help="run every mutant, not only those not yet killed")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # a stopped run still cleans its scratch tree up
    if args.list:
        for module, tests in MODULES.items():
            print(f"{module}: {' '.join(tests)}")
        return 0
    if args.named:
        return run_named()
    try:
        import mutmut  # noqa: F401
    except ImportError:
        print("mutmut is not installed: pip install 'mutmut==2.5.1'", file=sys.stderr)
        return 2
    equivalents = load_equivalents()
    results, unexplained = [], 0
    with scratch() as tree:
        for module in expand(args.modules or list(MODULES)):
            cache = None if args.fresh else Killed()
            results.append(run_module(tree, module, MODULES[module], args.confirm, cache))
            unexplained += print_result(results[-1], equivalents)
    killed, total = sum(r.killed for r in results), sum(r.total for r in results)
    equivalent = sum(r.equivalent for r in results)
    print(
        f"{'all':36} score {score(killed, total, equivalent)}  {killed:4}/{total:<4} killed, {equivalent} equivalent,"
        f" {unexplained} unexplained"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
