"""``benchmarks/mutation.py`` names real modules and tests (cheap: nothing is mutated here).

The mutation run itself is long and not part of CI; this keeps its map true as modules move
(the webhooks package split, a provider's lifecycle data moving to ``transitions.py``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SIMULATOR = REPO / "simulator"
# The core issue 15 asks to mutation-test: every module of the webhooks package, and these.
CORE = [
    "engine/clock.py",
    "engine/fakedata.py",
    *(f"providers/{provider}/{module}.py" for provider in ("checkout", "sumsub") for module in ("auth", "errors")),
    *(
        f"providers/{provider}/{module}.py"
        for provider in ("checkout", "sumsub")
        for module in ("lifecycle", "transitions")
    ),
    "toolkit/errors.py",
]


@pytest.fixture(scope="module")
def mutation():
    spec = importlib.util.spec_from_file_location("kycsim_mutation", REPO / "benchmarks" / "mutation.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def test_every_mapped_module_and_test_exists(mutation):
    missing = [m for m in mutation.MODULES if not (SIMULATOR / m).is_file()]
    missing += [t for tests in mutation.MODULES.values() for t in tests if not (REPO / t).exists()]
    assert missing == []
    assert all(mutation.MODULES.values()), "every module is run against at least one test"


def test_the_core_is_mapped_whole(mutation):
    webhooks = [f"engine/webhooks/{p.name}" for p in sorted((SIMULATOR / "engine" / "webhooks").glob("*.py"))]
    expected = CORE + [m for m in webhooks if not m.endswith("__init__.py")]
    assert sorted(set(expected) - set(mutation.MODULES)) == []


def test_each_named_bug_still_applies_to_one_place(mutation):
    assert len(mutation.NAMED) == 4
    for bug in mutation.NAMED:
        assert bug.old != bug.new
        assert mutation.named_file(REPO, bug).is_file(), bug.bug  # exits when the code is not there once
        assert all((REPO / t).exists() for t in bug.tests), bug.bug


def test_explained_equivalents_name_mapped_modules_and_say_why(mutation):
    for (module, line, mutant), reasons in mutation.load_equivalents().items():
        assert module in mutation.MODULES, module
        assert line and line != mutant, (module, line)  # an empty mutant: mutmut deleted the line (a decorator)
        source = (SIMULATOR / module).read_text()
        # A mutant of several lines (a decorator mutmut deletes with the blank lines above it) reads "a | b".
        assert line in source or all(p.strip() in source for p in line.split("|")), f"{module} no longer has {line!r}"
        for _scope, why in reasons:
            assert len(why.split()) >= 4, (module, line, why)
