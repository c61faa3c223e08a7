"""The command line, including a real server process on a free port."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from simulator.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def server():
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "serve",
            "--port",
            "0",
            "--seed",
            "11",
            "--speed",
            "manual",
            "--start-time",
            "2025-01-01T00:00:00Z",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first = proc.stdout.readline()
        match = re.search(r"listening on (http://127\.0\.0\.1:(\d+))", first)
        assert match, f"unexpected start-up line: {first!r}"
        banner = [first] + [proc.stdout.readline() for _ in range(4)]
        yield match.group(1), "".join(banner)
    finally:
        proc.terminate()
        proc.wait(10)


def test_real_server_answers_health_scenarios_and_clock(server):
    url, banner = server
    assert "seed 11" in banner and "speed manual" in banner and "scenarios:" in banner
    health = httpx.get(f"{url}/_sim/health", timeout=5)
    assert health.status_code == 200 and health.json()["status"] == "ok"
    scenarios = httpx.get(f"{url}/_sim/scenarios", timeout=5).json()
    assert scenarios["count"] == len(scenarios["data"])
    assert httpx.get(f"{url}/_sim/clock", timeout=5).json()["now"] == "2025-01-01T00:00:00Z"


def test_remote_commands_drive_a_running_server(server):
    url, _ = server
    advanced = run_cli("clock", "advance", "15m", "--url", url)
    assert advanced.returncode == 0, advanced.stderr
    assert json.loads(advanced.stdout)["now"] == "2025-01-01T00:15:00Z"
    assert json.loads(run_cli("clock", "--url", url).stdout)["now"] == "2025-01-01T00:15:00Z"
    assert json.loads(run_cli("reset", "--url", url).stdout) == {"reset": "all"}
    assert json.loads(run_cli("health", "--url", url).stdout)["status"] == "ok"


def test_remote_command_without_a_server_says_so():
    result = run_cli("health", "--url", "http://127.0.0.1:9")
    assert result.returncode == 1 and "cannot reach kycsim" in result.stderr


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_validate_rejects_an_unknown_verb_with_an_actionable_message(tmp_path, capsys):
    path = write(
        tmp_path,
        "typo-verb.yaml",
        """\
        name: typo-verb
        provider: checkout
        product: identity_verification
        description: a QA engineer mistyped a verb
        steps:
          - do: aprove_everything
            after: 5s
        """,
    )
    assert main(["scenarios", "validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:6:" in out and "unknown verb 'aprove_everything'" in out and "1 file(s) with errors" in out


def test_validate_rejects_a_missing_field(tmp_path, capsys):
    path = write(
        tmp_path,
        "no-steps.yaml",
        "name: no-steps\nprovider: checkout\nproduct: identity_verification\ndescription: forgot the steps\n",
    )
    assert main(["scenarios", "validate", str(path)]) == 1
    assert "'steps' is a required property" in capsys.readouterr().out


def test_validate_accepts_the_bundled_catalogue(capsys):
    assert main(["scenarios", "validate"]) == 0
    assert "0 file(s) with errors" in capsys.readouterr().out


def test_serve_refuses_bad_settings_before_starting():
    result = run_cli("serve", "--speed", "warp")
    assert result.returncode == 2 and "--speed" in result.stderr


def test_serve_refuses_a_broken_scenario_folder(tmp_path):
    write(tmp_path, "broken.yaml", "name: broken\nprovider: checkout\n")
    result = run_cli("serve", "--port", "0", "--scenarios", str(tmp_path))
    assert result.returncode == 2 and "broken.yaml" in result.stderr and "nothing was started" in result.stderr


def test_version():
    assert run_cli("--version").stdout.startswith("kycsim ")


def test_json_log_format_starts_with_a_json_line():
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--port", "0", "--log-format", "json"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        started = json.loads(proc.stdout.readline())
        assert started["message"] == "started" and started["url"].startswith("http://127.0.0.1:")
        httpx.get(f"{started['url']}/applicants/x", headers={"Authorization": "Bearer sk_sbox_cli"}, timeout=5)
        line = json.loads(proc.stdout.readline())
        assert (line["kind"], line["method"], line["path"], line["status"]) == ("request", "GET", "/applicants/x", 404)
    finally:
        proc.terminate()
        proc.wait(10)
