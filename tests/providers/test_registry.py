"""Adding a provider is its folder plus one registry line (docs/adding-a-provider.md).

The demo provider (tests/support/demo_provider/) is added with one line, ``KYCSIM_PROVIDERS``'s, to a
real ``kycsim`` process: it is served, its settings are flags and env, its banner line, scenarios and
CLI subcommand appear, and its webhooks go out. Nothing outside its folder names it
(tests/test_architecture.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from simulator.providers import RegistryError, registry
from tests.support.demo_provider import DEMO_SCENARIOS
from tests.support.doc_examples import stop
from tests.webhook_support.receiver import Receiver

ROOT = Path(__file__).resolve().parents[2]
DEMO_LINE = "demo=tests.support.demo_provider:DemoProvider"  # the one registry line


def kycsim_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "KYCSIM_PROVIDERS": DEMO_LINE,
        "PYTHONPATH": str(ROOT),  # where tests.support.demo_provider imports from
        "KYCSIM_CACHE_DIR": str(tmp_path / "cache"),
    }


def kycsim(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simulator", *args], env=env, capture_output=True, text=True)


def test_the_demo_provider_joins_with_one_registry_line(tmp_path):
    env = kycsim_env(tmp_path)
    with Receiver() as receiver:
        command = ["serve", "--port", "0", "--seed", "7", "--speed", "instant", "--demo-webhook-url", receiver.url]
        proc = subprocess.Popen(
            [sys.executable, "-m", "simulator", *command],
            env={**env, "KYCSIM_DEMO_WEBHOOK_SECRET": "demo-secret"},
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            banner = [proc.stdout.readline() for _ in range(5)]
            url = re.search(r"listening on (http://\S+)", banner[0]).group(1)
            assert str(DEMO_SCENARIOS) in banner[2], banner  # its bundled scenarios: its own folder
            assert banner[3].rstrip().endswith(" · Demo widgets at /demo/widgets"), banner

            # Served: its route table, its scenarios, its webhooks with its settings' endpoint and secret.
            widget = httpx.post(f"{url}/demo/widgets", json={}, headers={"Authorization": "t1"}).json()
            assert (widget["id"][:4], widget["scenario"]) == ("wdg_", "widget-default")
            events = [json.loads(r.body)["type"] for r in receiver.wait_for(2, timeout=30)]
            assert events == ["widget_started", "widget_done"]
            assert all(r.headers["X-Demo-Signature"] for r in receiver.requests)
            catalogue = httpx.get(f"{url}/_sim/scenarios", params={"provider": "demo"}).json()["data"]
            assert sorted(s["name"] for s in catalogue) == ["widget-default", "widget-failed", "widget-opened"]

            # Its CLI subcommands, against the running simulator, and in the help; one sends its client call.
            listed = kycsim(env, "widgets", "--url", url, "--json")
            assert listed.returncode == 0, listed.stderr
            assert [run["subject"]["widget_id"] for run in json.loads(listed.stdout)] == [widget["id"]]
            failed = kycsim(env, "widget-status", widget["id"], "failed", "--url", url)
            assert failed.returncode == 0 and json.loads(failed.stdout)["status"] == "failed", failed.stderr
            assert json.loads(receiver.wait_for(3, timeout=30)[2].body)["type"] == "widget_failed"
            assert "widget-status" in kycsim(env, "--help").stdout
        finally:
            stop([proc])


def test_the_python_client_finds_the_demo_calls_through_the_registry(monkeypatch, tmp_path):
    from starlette.testclient import TestClient

    from simulator.app import create_app
    from simulator.client import KycSim
    from tests.conftest import demo_settings
    from tests.support.demo_provider import DemoProvider

    with TestClient(create_app(demo_settings(), providers={"demo": DemoProvider()})) as app:
        widget = app.post("/demo/widgets", json={}).json()
        with KycSim("http://testserver", transport=app._transport) as client:
            with pytest.raises(AttributeError, match="no provider 'demo'"):
                client.demo  # noqa: B018  (not in the registry: no calls)
            monkeypatch.setenv("KYCSIM_PROVIDERS", DEMO_LINE)
            assert client.demo.set_widget_status(widget["id"], "done")["status"] == "done"
            with pytest.raises(Exception, match="status must be one of started, done, failed"):
                client.demo.set_widget_status(widget["id"], "exploded")


def test_the_demo_scenarios_are_in_the_catalogue_commands(tmp_path):
    listed = kycsim(kycsim_env(tmp_path), "scenarios", "list", "--provider", "demo", "--json")
    assert listed.returncode == 0, listed.stderr
    assert "widget-failed" in {s["name"] for s in json.loads(listed.stdout)}


def test_without_the_line_kycsim_knows_no_demo(tmp_path):
    env = {k: v for k, v in kycsim_env(tmp_path).items() if k != "KYCSIM_PROVIDERS"}
    assert "widgets" not in kycsim(env, "--help").stdout
    assert kycsim(env, "scenarios", "list", "--provider", "demo").returncode == 2


@pytest.mark.parametrize(
    "line,message",
    [
        ("demo", "is not name=package.module:Class"),
        ("checkout=tests.support.demo_provider:DemoProvider", "registered already"),
        ("demo tests.support.demo_provider:DemoProvider", "is not name=package.module:Class"),
    ],
)
def test_a_bad_registry_line_is_refused_with_a_clear_message(line, message):
    with pytest.raises(RegistryError, match=message):
        registry({"KYCSIM_PROVIDERS": line})


def test_registry_lines_are_comma_separated():
    lines = registry({"KYCSIM_PROVIDERS": f" {DEMO_LINE} , "})
    assert list(lines)[-1] == "demo" and lines["demo"] == DEMO_LINE.split("=")[1]


@pytest.mark.parametrize("line", ["demo=tests.support.nothing_here:Demo", "demo=tests.support.demo_provider:Nope"])
def test_a_registry_line_naming_nothing_stops_kycsim_with_one_line(tmp_path, line):
    result = kycsim({**kycsim_env(tmp_path), "KYCSIM_PROVIDERS": line}, "serve", "--port", "0")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"kycsim: the registry line {line} names nothing importable"), result.stderr
