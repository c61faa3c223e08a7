"""The README is copied literally by newcomers: what it shows must work."""

import re
import tomllib
from pathlib import Path

import yaml

from simulator.cli import build_parser
from simulator.engine.scenarios.loader import ProviderCatalogue, load_file
from simulator.providers import load_providers

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def test_the_scenario_example_is_a_valid_scenario_file(tmp_path):
    providers = load_providers()
    catalogues = {n: ProviderCatalogue(tuple(p.products), dict(p.verbs())) for n, p in providers.items()}
    examples = [b for b in blocks("yaml") if "steps:" in b]
    assert examples
    for text in examples:
        path = tmp_path / f"{yaml.safe_load(text)['name']}.yaml"
        path.write_text(text)
        assert load_file(path, catalogues)


def test_the_quick_start_commands_match_ci_and_the_package():
    commands = [line for block in blocks("sh") for line in block.splitlines() if line.startswith("python3 -m venv")]
    assert len(commands) == 2
    install_and_run, install_and_test = commands
    assert install_and_run.endswith(".venv/bin/kycsim serve")
    assert install_and_test in (ROOT / ".ci" / "run").read_text()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["kycsim"] == "simulator.cli:main" and "test" in project["optional-dependencies"]


def test_every_kycsim_command_shown_parses():
    parser = build_parser()
    shown = [
        line.split("#")[0].strip()
        for block in blocks("sh")
        for line in block.splitlines()
        if line.startswith("kycsim ")
    ]
    assert len(shown) > 10
    for line in shown:
        args = [a for a in line.split()[1:] if not re.fullmatch(r"\[.*\]|\[.*|.*\]", a)]
        parser.parse_args(args)  # argparse exits on anything it does not know


def test_scenario_names_in_the_readme_exist():
    from simulator.app import build_simulator
    from simulator.settings import Settings

    catalogue = build_simulator(Settings(seed=1)).catalogue
    for name in set(re.findall(r"\b(idv-[a-z0-9-]*[a-z0-9])\b(?!-?\{)", README)) - {"idv-declined-face-mismatch"}:
        assert catalogue.get(name) is not None, name
