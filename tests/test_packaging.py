"""A non-editable install (the Docker image's ``pip install .``) carries what each provider ships.

Bundled scenarios are package data in each provider's folder, so nothing in ``pyproject.toml`` names
a provider: built and installed as a wheel, kycsim finds every registered provider's scenarios in
the installed package and loads the same catalogue as from the repository.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

REPORT = """
import json
from simulator.providers import load_providers
from simulator.settings import Settings
from simulator.simulator import build_simulator
sim = build_simulator(Settings(seed=1))
print(json.dumps({
    "folders": {n: str(p.bundled_scenarios()) for n, p in sim.providers.items()},
    "scenarios": sorted(sim.catalogue.scenarios),
}))
"""


def report(env: dict[str, str], cwd: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", REPORT], env=env, cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_wheel_install_carries_every_providers_scenarios(tmp_path):
    source = tmp_path / "source"  # a copy, so the build leaves nothing in the repository
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("simulator", "docs"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    pip = [sys.executable, "-m", "pip", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(tmp_path / "wheel"), str(source)], check=True, timeout=600)
    site = tmp_path / "site"
    wheel = next((tmp_path / "wheel").glob("kycsim-*.whl"))
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True, timeout=600)

    env = {**os.environ, "KYCSIM_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("KYCSIM_PROVIDERS", None)
    installed = report({**env, "PYTHONPATH": str(site)}, tmp_path)
    in_tree = report(env, ROOT)
    assert installed["folders"].keys() == in_tree["folders"].keys() and installed["folders"]
    for folder in installed["folders"].values():
        assert Path(folder).is_relative_to(site), folder  # the installed copy, not the repository's
    assert installed["scenarios"] == in_tree["scenarios"] and len(installed["scenarios"]) > 50
