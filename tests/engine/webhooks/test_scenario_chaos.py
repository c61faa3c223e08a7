"""Scenario files may ask for chaos: ``webhooks: {chaos: {...}}``, checked at load time."""

from __future__ import annotations

import pytest

from simulator.engine.scenarios.loader import ProviderCatalogue, ScenarioLoadError, load_file
from tests.webhook_support.providers import SCENARIOS, HookProvider

CATALOGUES = {"hooks": ProviderCatalogue(HookProvider.products, HookProvider().verbs())}


def test_the_loader_keeps_the_chaos_on_the_scenario():
    (scenario,) = load_file(SCENARIOS / "hooks" / "thing-reordered.yaml", CATALOGUES)
    assert scenario.webhooks == {"chaos": {"out_of_order": 300.0}}
    assert scenario.detail()["webhooks"] == {"chaos": {"out_of_order": 300.0}}
    (plain,) = load_file(SCENARIOS / "hooks" / "thing-happy.yaml", CATALOGUES)
    assert plain.webhooks == {} and "webhooks" not in plain.detail()


@pytest.mark.parametrize(
    ("chaos", "message"),
    [
        ("{duplicate: -1}", "webhooks.chaos.duplicate"),
        ("{explode: true}", "explode"),
        ("{delay: soon}", "chaos.delay: not a duration"),
    ],
)
def test_bad_chaos_is_an_error_with_file_and_line(tmp_path, chaos, message):
    path = tmp_path / "bad-chaos.yaml"
    path.write_text(
        f"name: bad-chaos\nprovider: hooks\nproduct: thing\ndescription: x\nwebhooks:\n  chaos: {chaos}\nsteps: []\n"
    )
    with pytest.raises(ScenarioLoadError) as caught:
        load_file(path, CATALOGUES)
    error = caught.value.errors[0]
    assert error.line == 6 and message in error.message, error
