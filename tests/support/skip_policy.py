"""No silent skips in CI: with ``KYCSIM_NO_SKIPS=1`` (``.ci/run`` sets it) a skipped test fails the run.

A skip hides a test that did not run (Node.js missing, a bundled scenario renamed, a package
not installed). Tests skipped on purpose are listed in :data:`ALLOWED_SKIPS`, by node id prefix,
each with the reason; any other skip is reported at the end and the run exits 1.
"""

from __future__ import annotations

import os

import pytest

ENV = "KYCSIM_NO_SKIPS"
# node id prefix -> why it may be skipped in CI. Empty: every test runs in CI.
ALLOWED_SKIPS: dict[str, str] = {}


def _strict() -> bool:
    return os.environ.get(ENV) == "1"


def _unexpected(config: pytest.Config) -> list:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    return [r for r in skipped if not any(r.nodeid.startswith(prefix) for prefix in ALLOWED_SKIPS)]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _strict() and exitstatus == pytest.ExitCode.OK and _unexpected(session.config):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if not _strict() or not (unexpected := _unexpected(config)):
        return
    terminalreporter.section(f"unexpected skips ({ENV}=1; allowed ones are listed in tests/support/skip_policy.py)")
    for report in unexpected:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        terminalreporter.line(f"{report.nodeid}: {reason}", red=True)
    terminalreporter.line(f"{len(unexpected)} test(s) skipped without being allowed to: the run fails", red=True)
