"""``KYCSIM_NO_SKIPS=1`` (set by ``.ci/run``) turns an unexpected skip into a failed run."""

from __future__ import annotations

import pytest

from tests.support import skip_policy

SKIPPING = """
import pytest

def test_runs():
    assert True

def test_skips():
    pytest.skip("Node.js is not installed here")
"""
PLUGIN = ["-p", "tests.support.skip_policy", "-p", "no:kycsim", "-p", "no:faker", "-p", "no:hypothesispytest"]


def test_a_skip_fails_the_run_when_no_skips_are_allowed(pytester, monkeypatch):
    monkeypatch.setenv(skip_policy.ENV, "1")
    pytester.makepyfile(test_sample=SKIPPING)
    result = pytester.runpytest_inprocess(*PLUGIN)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*unexpected skips*", "*test_sample.py::test_skips: *Node.js is not installed here*"])


def test_an_allowed_skip_and_a_run_outside_ci_pass(pytester, monkeypatch):
    pytester.makepyfile(test_sample=SKIPPING)
    monkeypatch.delenv(skip_policy.ENV, raising=False)
    assert pytester.runpytest_inprocess(*PLUGIN).ret == pytest.ExitCode.OK
    monkeypatch.setenv(skip_policy.ENV, "1")
    monkeypatch.setitem(skip_policy.ALLOWED_SKIPS, "test_sample.py::test_skips", "on purpose, for this test")
    assert pytester.runpytest_inprocess(*PLUGIN).ret == pytest.ExitCode.OK


def test_a_skip_at_collection_counts_too(pytester, monkeypatch):
    monkeypatch.setenv(skip_policy.ENV, "1")
    pytester.makepyfile(test_sample='import pytest\npytest.importorskip("no_such_package_kycsim")\n')
    result = pytester.runpytest_inprocess(*PLUGIN)
    assert result.ret != pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*test_sample.py: *no_such_package_kycsim*"])
