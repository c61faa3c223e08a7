"""The CI recipes in examples/ci/: the plain one runs here for real; the container ones (no Docker engine
on this machine) are parsed, checked for what they rely on, and their health checks run against a real kycsim.

The example app (examples/pytest-app) runs in .ci/run, three ways (in-process, pytest-xdist against one
shared kycsim, KYCSIM_URL with a control token)."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from simulator.server import ThreadedServer
from simulator.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CI = ROOT / "examples" / "ci"
PLUGIN_SETTINGS = {"KYCSIM_URL", "KYCSIM_CONTROL_TOKEN", "KYCSIM_RECEIVER_HOST", "KYCSIM_RECEIVER_URL"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def env_with_kycsim_on_path(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KYCSIM_")}
    return {**env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}", **values}


@pytest.fixture(scope="module")
def kycsim():
    with ThreadedServer(Settings(seed=1, speed="manual")) as server:
        yield server


def health_check_runs(command: list[str], kycsim: ThreadedServer) -> None:
    """A container's health check, run here: healthy against a real kycsim, unhealthy against nothing."""
    assert command[:2] == ["kycsim", "wait"] and "http://127.0.0.1:8000" in command
    for url, status in ((kycsim.url, 0), (f"http://127.0.0.1:{free_port()}", 1)):
        args = [url if word == "http://127.0.0.1:8000" else word for word in command]
        done = subprocess.run(args, env=env_with_kycsim_on_path(), capture_output=True, text=True, timeout=60)
        assert done.returncode == status, done.stdout + done.stderr


def test_the_plain_recipe_serves_runs_the_command_and_stops(tmp_path):
    port = free_port()
    env = env_with_kycsim_on_path(KYCSIM_PORT=str(port))
    script = str(CI / "kycsim-serve.sh")
    done = subprocess.run([script, "kycsim", "health"], env=env, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr
    assert f"kycsim 0.1.0 at http://127.0.0.1:{port} is healthy (speed manual)" in done.stdout
    assert '"status": "ok"' in done.stdout  # `kycsim health` found it through KYCSIM_URL
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))  # free again: kycsim was stopped
    failed = subprocess.run([script, "false"], env=env, capture_output=True, text=True, timeout=90)
    assert failed.returncode == 1  # the tests' exit status is the job's


def test_the_compose_file_waits_for_a_healthy_kycsim(kycsim):
    compose = yaml.safe_load((CI / "docker-compose.yml").read_text())
    service, tests = compose["services"]["kycsim"], compose["services"]["tests"]
    assert (CI / service["build"] / "Dockerfile").is_file() and "8000:8000" in service["ports"]
    assert service["environment"]["KYCSIM_SPEED"] == "manual"
    health_check_runs(service["healthcheck"]["test"][1:], kycsim)
    assert tests["depends_on"]["kycsim"]["condition"] == "service_healthy"
    assert set(tests["environment"]) >= PLUGIN_SETTINGS
    assert tests["environment"]["KYCSIM_URL"] == "http://kycsim:8000"
    assert tests["environment"]["KYCSIM_RECEIVER_URL"] == "http://tests:{port}"
    assert (ROOT / "examples" / "pytest-app" / "tests").is_dir() and tests["working_dir"].endswith("/pytest-app")
    assert "pytest -q -n 4" in tests["command"][-1]


def test_the_github_actions_job_uses_kycsim_as_a_service_container(kycsim):
    workflow = yaml.safe_load((CI / "github-actions.yml").read_text())
    assert {"name", True, "jobs"} <= set(workflow)  # YAML 1.1 reads the key `on` as True
    job = workflow["jobs"]["test"]
    assert job["runs-on"] and all(("uses" in step) != ("run" in step) for step in job["steps"])
    service = job["services"]["kycsim"]
    assert "8000:8000" in service["ports"]
    assert service["env"]["KYCSIM_CONTROL_TOKEN"] == job["env"]["KYCSIM_CONTROL_TOKEN"]
    options = shlex.split(service["options"])
    health_check_runs(shlex.split(options[options.index("--health-cmd") + 1]), kycsim)
    assert options[options.index("--add-host") + 1] == "host.docker.internal:host-gateway"
    assert set(job["env"]) >= PLUGIN_SETTINGS and job["env"]["KYCSIM_URL"] == "http://127.0.0.1:8000"
    assert job["env"]["KYCSIM_RECEIVER_URL"] == "http://host.docker.internal:{port}"
    assert job["steps"][-1]["run"] == "pytest -n 4"


def test_the_settings_the_recipes_use_are_the_plugins():
    from simulator.testing import pytest_plugin, receiver

    documented = (pytest_plugin.__doc__ or "") + (receiver.__doc__ or "")
    assert all(name in documented for name in PLUGIN_SETTINGS)
