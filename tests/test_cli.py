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


GOOD = """\
    name: idv-mine
    provider: checkout
    product: identity_verification
    description: Mine.
    steps:
      - do: open_link
        after: 1s
"""


def test_serve_skips_a_broken_scenario_file_and_says_so(tmp_path):
    """The README: a broken file is reported with its path and line, and nothing from it is used."""
    write(tmp_path, "broken.yaml", "name: broken\nprovider: checkout\n")
    write(tmp_path, "idv-mine.yaml", GOOD)
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--port", "0", "--scenarios", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first = proc.stdout.readline()
        url = re.search(r"listening on (http://\S+)", first).group(1)
        lines = [proc.stdout.readline() for _ in range(5)]
        assert "(1 broken file(s) skipped: see below)" in lines[1]
        assert "scenario file skipped: " in lines[4] and "broken.yaml:1: top level: 'product'" in lines[4]
        assert httpx.get(f"{url}/_sim/scenarios/idv-mine", timeout=5).status_code == 200
        assert httpx.get(f"{url}/_sim/scenarios/broken", timeout=5).status_code == 404
    finally:
        proc.terminate()
        proc.wait(10)


def test_serve_refuses_a_missing_scenario_folder(tmp_path):
    result = run_cli("serve", "--port", "0", "--scenarios", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert result.stderr == f"kycsim: {tmp_path / 'nope'}: scenario folder does not exist; nothing was started\n"


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


def test_options_may_come_between_a_command_and_its_arguments(server):
    url, _ = server
    shared = json.loads(run_cli("clock", "--url", url).stdout)["elapsed_seconds"]
    advanced = run_cli("clock", "advance", "--tenant", "sk_sbox_cli_k", "5m", "--url", url)
    assert advanced.returncode == 0, advanced.stderr
    assert json.loads(advanced.stdout)["elapsed_seconds"] == shared + 300


def test_a_closed_pipe_ends_the_command_quietly():
    """``kycsim scenarios list --json | head -1``: no BrokenPipeError traceback."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "scenarios", "list", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout.read(10) == b"[\n  {\n    "  # the reader takes a little of 280 kB and leaves
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(30) == 141 and "Traceback" not in stderr and "Error" not in stderr, stderr


def test_scenario_commands_read_the_folders_serve_reads(tmp_path, monkeypatch, capsys):
    write(tmp_path, "broken.yaml", "name: broken\nprovider: checkout\n")
    write(tmp_path, "idv-mine.yaml", GOOD)
    monkeypatch.setenv("KYCSIM_SCENARIOS", str(tmp_path))
    assert main(["scenarios", "validate"]) == 1
    out = capsys.readouterr().out
    assert f"error: {tmp_path / 'broken.yaml'}:1: top level: 'product' is a required property" in out
    assert "2 file(s) with errors" not in out and "1 file(s) with errors" in out and str(tmp_path) in out
    monkeypatch.delenv("KYCSIM_SCENARIOS")
    assert main(["scenarios", "validate", "--scenarios", str(tmp_path)]) == 1
    assert main(["scenarios", "list", "--scenarios", str(tmp_path), "--product", "identity_verification"]) == 0
    captured = capsys.readouterr()
    assert "idv-mine" in captured.out and f"kycsim: warning: skipped {tmp_path / 'broken.yaml'}:1:" in captured.err
    assert main(["scenarios", "validate", "--scenarios", str(tmp_path / "nope")]) == 1
    assert f"error: {tmp_path / 'nope'}: scenario folder does not exist" in capsys.readouterr().out


def test_unknown_names_get_did_you_mean(capsys):
    assert main(["scenarios", "list", "--provider", "chekout"]) == 2
    assert capsys.readouterr().err == (
        "kycsim: --provider: no such provider 'chekout' (did you mean 'checkout'?); known: checkout, sumsub\n"
    )
    assert main(["scenarios", "show", "idv-aproved"]) == 1
    assert "no scenario named 'idv-aproved' (did you mean 'idv-approved'" in capsys.readouterr().err
    assert main(["scenarios", "list", "--json", "--provider", "sumsub", "--product", "applicant_action"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {(r["provider"], r["product"]) for r in rows} == {("sumsub", "applicant_action")}


def test_remote_unknown_names_get_did_you_mean(server):
    url, _ = server
    result = run_cli("trigger", "idv-aproved", "--url", url)
    assert result.returncode == 1 and "no scenario named 'idv-aproved' (did you mean 'idv-approved'" in result.stdout
    result = run_cli("bindings", "add", "idv-declned-62304", "email=a@example.com", "--url", url)
    assert result.returncode == 1 and "(did you mean 'idv-declined-62304'" in result.stderr
    result = run_cli("requests", "--provider", "sumsb", "--url", url)
    assert result.returncode == 1 and "no provider 'sumsb' here (did you mean 'sumsub'?)" in result.stderr


def test_wait_exits_0_once_kycsim_answers_healthy(server, capsys):
    url, _ = server
    assert main(["wait", "--url", url, "--timeout", "10"]) == 0
    assert capsys.readouterr().out.startswith(f"kycsim 0.1.0 at {url} is healthy (speed manual)")


def test_wait_exits_1_with_one_line_when_nothing_answers_in_time(capsys):
    from tests.webhook_support.receiver import closed_port_url

    down = closed_port_url().removesuffix("/hooks")
    done = run_cli("wait", "--url", down, "--timeout", "0.3")
    assert done.returncode == 1 and done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and f"kycsim wait: {down} is not healthy after 0.3s" in done.stderr


def test_wait_gives_up_on_a_server_that_never_answers(capsys):
    """A port that accepts connections but never answers must not hold ``kycsim wait`` past its timeout."""
    import socket
    import time

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        started = time.monotonic()
        code = main(["wait", "--url", f"http://127.0.0.1:{silent.getsockname()[1]}", "--timeout", "1"])
        assert code == 1 and time.monotonic() - started < 8
    assert "not healthy after 1s" in capsys.readouterr().err


@pytest.mark.parametrize("timeout", ["-1", "nan", "soon", "1e9"])
def test_wait_refuses_a_timeout_that_is_no_number_of_seconds(timeout, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["wait", "--timeout", timeout])
    assert exit_.value.code == 2 and "a number of seconds" in capsys.readouterr().err


def test_wait_refuses_a_url_that_is_no_url(capsys):
    assert main(["wait", "--url", "localhost:8000", "--timeout", "0"]) == 1
    assert "must start with http:// or https://" in capsys.readouterr().err


def test_wait_needs_no_control_token_and_a_wrong_one_does_not_matter(monkeypatch, capsys):
    from simulator.server import ThreadedServer
    from simulator.settings import Settings

    with ThreadedServer(Settings(seed=1, control_token="the-real-one"), host="127.0.0.1") as guarded:
        assert httpx.get(f"{guarded.url}/_sim/runs").status_code == 401  # the control API wants the token
        monkeypatch.delenv("KYCSIM_CONTROL_TOKEN", raising=False)
        assert main(["wait", "--url", guarded.url, "--timeout", "5"]) == 0
        monkeypatch.setenv("KYCSIM_CONTROL_TOKEN", "a-wrong-one")
        assert main(["wait", "--url", guarded.url, "--timeout", "5"]) == 0
    assert capsys.readouterr().out.count("is healthy") == 2
