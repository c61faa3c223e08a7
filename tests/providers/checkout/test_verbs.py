"""Scenario files are checked against each verb's arguments, with the file and line."""

from __future__ import annotations

from simulator.engine.scenarios.loader import Catalogue, ProviderCatalogue


def load(api, tmp_path, steps: str):
    (tmp_path / "mine.yaml").write_text(
        "name: mine\nprovider: checkout\nproduct: identity_verification\ndescription: test\nsteps:\n" + steps
    )
    provider = api.sim.providers["checkout"]
    return Catalogue.load([tmp_path], {"checkout": ProviderCatalogue(tuple(provider.products), provider.verbs())})


def test_a_valid_file_loads(api, tmp_path):
    catalogue = load(api, tmp_path, "  - {do: complete_checks, with: {result: declined, codes: [62304]}}\n")
    assert not catalogue.errors and "mine" in catalogue.scenarios


def test_declined_needs_decline_codes(api, tmp_path):
    catalogue = load(api, tmp_path, "  - {do: complete_checks, with: {result: declined}}\n")
    assert (
        catalogue.errors and "codes" in str(catalogue.errors[0]) and ":6:" in str(catalogue.errors[0])
    )  # the step's line
    catalogue = load(api, tmp_path, "  - {do: complete_checks, with: {result: approved, codes: [62304]}}\n")
    assert catalogue.errors


def test_abort_takes_only_retry_codes(api, tmp_path):
    assert load(api, tmp_path, "  - {do: abort_capture, with: {code: 62101}}\n").errors
    assert not load(api, tmp_path, "  - {do: abort_capture, with: {code: 61205}}\n").errors


def test_unknown_verb(api, tmp_path):
    errors = load(api, tmp_path, "  - {do: teleport}\n").errors
    assert "unknown verb 'teleport'" in str(errors[0])
