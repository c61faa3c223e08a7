"""Driving official Node.js SDKs from tests: npm packages installed once into a cached temp folder.

``node_modules(cache, packages)`` returns a ``node_modules`` folder holding the packages
(``npm install --no-audit --no-fund`` on first use) and skips the test, with the reason, when
Node.js/npm is missing or the registry cannot be reached. In CI (``KYCSIM_NO_SKIPS=1``, see
``skip_policy.py``) such a skip fails the run: ``.ci/run`` installs Node.js where it is missing.
``run_node(script, *args, node_modules=...)`` runs a driver script with that folder on
``NODE_PATH`` and returns what it printed, as JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

CACHE_ROOT = Path(tempfile.gettempdir()) / "kycsim-npm-cache"


def package_name(spec: str) -> str:
    """``axios@1`` -> ``axios``; ``@scope/name@2`` -> ``@scope/name``."""
    at = spec.rfind("@")
    return spec[:at] if at > 0 else spec


def node_modules(cache: str, packages: list[str]) -> Path:
    folder = CACHE_ROOT / cache
    name = package_name(packages[0])
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip(f"Node.js and npm are needed to drive {name}; they are not installed here")
    installed = all((folder / "node_modules" / package_name(spec) / "package.json").exists() for spec in packages)
    if not installed:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "package.json").write_text('{"name": "kycsim-sdk-cache", "private": true}')
        try:
            done = subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", *packages],
                cwd=folder,
                capture_output=True,
                text=True,
                timeout=240,
            )
        except subprocess.TimeoutExpired:
            pytest.skip(f"npm install of {name} timed out: the npm registry is unreachable")
        if done.returncode != 0:
            pytest.skip(f"npm install of {name} failed (registry unreachable?): {done.stderr[-300:]}")
    return folder / "node_modules"


def run_node(script: Path, *args: str, node_modules: Path, timeout: float = 60) -> Any:
    done = subprocess.run(
        ["node", str(script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NODE_PATH": str(node_modules)},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
