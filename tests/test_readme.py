"""README.md and docs/ are copied literally by newcomers: every fenced example in them runs here.

Each block is classified in ``KINDS`` (a new block fails ``test_every_example_is_classified`` until it
is), then run by the test of its kind: shell examples in bash against a real kycsim (see
``tests/support/doc_examples.py`` for the only changes made to them: the port, receivers, ids a
reader would copy), Python and JavaScript examples as programs, scenario and config files through
kycsim, and output samples against what kycsim really prints.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import yaml

from simulator.server import ThreadedServer
from simulator.settings import Settings
from tests.providers.sumsub.support import SumsubAuth
from tests.support.doc_examples import ROOT, Block, Shell, blocks, parse_cli, stop
from tests.webhook_support.receiver import Receiver

CHECKOUT_KEY = {"Authorization": "Bearer sk_sbox_docs_examples"}
DECLARED = {"name": "Hannah Bret", "birth_date": "1994-10-15"}

# (file, how the block's first line starts) -> kind; the kinds are the tests below.
KINDS: dict[tuple[str, str], str] = {
    ("README.md", "python3 -m venv .venv && .venv/bin/pip install -e "): "install",
    ("README.md", "python3 -m venv .venv && .venv/bin/pip install -q "): "install",
    ("README.md", "kycsim 0.1.0 listening on"): "banner",
    ("README.md", ". .venv/bin/activate"): "shell",
    ("README.md", "docker build"): "docker",
    ("README.md", "docker run"): "docker",
    ("README.md", "name: idv-declined-face-mismatch"): "scenario",
    ("README.md", "kycsim scenarios list"): "shell",
    ("README.md", "kycsim webhooks endpoints add"): "shell",
    ("README.md", "kycsim listen --forward-to"): "shell",
    ("README.md", "kycsim health"): "shell",
    ("README.md", "import httpx"): "pytest",
    ("README.md", "simulator/ "): "layout",
    ("architecture.md", "client (app under test"): "picture",
    ("checkout-products.md", "curl -X POST http://127.0.0.1:8000/id-document-verifications"): "shell",
    ("checkout-products.md", "AML=http://127.0.0.1:8000/_sim/checkout/aml-verifications/"): "shell",
    ("checkout.md", "from checkout_sdk.checkout_sdk import CheckoutSdk"): "python-sdk",
    ("checkout.md", 'KEY="Authorization: Bearer sk_sbox_test"'): "shell",
    ("checkout.md", '{"request_id": '): "error-sample",
    ("checkout.md", "name: idv-blurry-then-declined"): "scenario",
    ("checkout.md", "https://your.app/back?id="): "redirect-sample",
    ("checkout.md", '{"id": "evt_'): "webhook-sample",
    ("checkout.md", "expected = hmac.new("): "signature-check",
    ("checkout.md", 'import { Checkout } from "checkout-sdk-node";'): "node-sdk",
    ("sumsub.md", "kycsim serve --speed 0.1"): "shell",
    ("sumsub.md", "import hashlib, hmac, json, time"): "sumsub-python",
    ("sumsub.md", 'other = signed("POST"'): "sumsub-python",
    ("sumsub.md", "curl -X POST localhost:8000/_sim/sumsub/app-tokens"): "shell",
    ("sumsub.md", '"redirect": {'): "redirect-fragment",
    ("sumsub.md", "POST /resources/applicants/{id}/status/testCompleted"): "sumsub-http",
    ("sumsub.md", "curl -X POST localhost:8000/_sim/sumsub/webhooks"): "shell",
    ("webhooks.md", "webhooks:"): "config",
    ("webhooks.md", "$ curl -X POST localhost:8000/_sim/webhooks/endpoints"): "shell",
    ("webhooks.md", "$ curl 'localhost:8000/_sim/webhooks?ok=false'"): "shell",
    ("webhooks.md", "$ kycsim webhooks replay"): "shell",
    ("webhooks.md", "name: idv-approved-duplicated-webhooks"): "scenario",
    ("webhooks.md", "event: ready"): "stream-sample",
    ("webhooks.md", "$ kycsim listen --forward-to"): "shell",
    ("webhooks.md", "$ kycsim trigger idv-approved"): "shell",
    ("webhooks.md", "profile = provider.webhook_profile()"): "provider-author",
    ("testing.md", "import httpx"): "testing-pytest",
    ("testing.md", "def test_"): "testing-pytest",
    ("testing.md", "@pytest.mark.kycsim"): "testing-pytest",
    ("testing.md", "kycsim wait --url"): "shell",
    ("testing.md", 'port="${KYCSIM_PORT'): "ci-excerpt",
    ("testing.md", "services:"): "ci-excerpt",
    ("testing.md", "from simulator.client import KycSim, KycSimError"): "python-client",
    ("testing.md", "import asyncio"): "python-client",
    ("adding-a-provider.md", "tests/support/demo_provider/"): "provider-tree",
    ("adding-a-provider.md", "PROVIDERS: dict[str, str] = {"): "quoted-source",
    ("adding-a-provider.md", "$ PYTHONPATH=. KYCSIM_PROVIDERS="): "registry-line",
    ("adding-a-provider.md", "class DemoProvider(Provider):"): "quoted-source",
    ("adding-a-provider.md", '"""The demo\'s settings'): "quoted-source",
    ("adding-a-provider.md", '"""The demo\'s ``kycsim`` subcommand'): "quoted-source",
    ("adding-a-provider.md", "name: widget-default"): "quoted-source",
    ("adding-a-provider.md", 'Operation("POST", "/_sim/demo/widgets/'): "quoted-source",
    ("adding-a-provider.md", "class DemoCalls(ControlCalls"): "quoted-source",
}


def kind(block: Block) -> str | None:
    return next((k for (file, start), k in KINDS.items() if block.file == file and block.first.startswith(start)), None)


ALL = blocks()


def of_kind(name: str) -> list[Block]:
    return [b for b in ALL if kind(b) == name]


def one(name: str, file: str | None = None) -> Block:
    found = [b for b in of_kind(name) if file is None or b.file == file]
    assert len(found) == 1, (name, found)
    return found[0]


def test_every_example_is_classified():
    unclassified = [f"{b} {b.first[:60]!r}" for b in ALL if kind(b) is None]
    assert not unclassified, (
        "fenced blocks no test runs: add each to KINDS in tests/test_readme.py (a new kind needs a test)"
        f" {unclassified}"
    )
    assert len(ALL) > 35 and not [key for key in KINDS if not any(kind(b) for b in ALL if b.file == key[0])]


# Servers and receivers


@contextmanager
def kycsim(speed: str = "instant", **settings) -> Iterator[ThreadedServer]:
    with ThreadedServer(Settings(seed=3, speed=speed, start_time="2025-01-01T00:00:00Z", **settings)) as server:
        yield server


@contextmanager
def receivers() -> Iterator[tuple[Receiver, Receiver]]:
    with Receiver() as first, Receiver() as second:
        yield first, second


def idv(url: str, scenario: str = "idv-approved", headers: dict | None = None) -> dict:
    """An IDV with its first attempt (the flow started), as a client makes it."""
    api = httpx.Client(base_url=url, headers={**CHECKOUT_KEY, **(headers or {})})
    applicant = api.post("/applicants", json={"email": "a@example.com"}).json()
    check = api.post(
        "/identity-verifications",
        json={"applicant_id": applicant["id"], "declared_data": DECLARED},
        headers={"X-KycSim-Scenario": scenario},
    ).json()
    api.post(f"/identity-verifications/{check['id']}/attempts", json={"redirect_url": "https://example.com/back"})
    return check


# Shell examples: setups (what the example assumes exists) and checks (what it must have done)

ERROR = re.compile(r'"error_type"|"error"\s*:\s*\{|"errorCode"|"code"\s*:\s*[45]\d\d|Traceback|kycsim: ')


def _iddv_with_pictures(server: ThreadedServer, shell: Shell, _: tuple) -> None:
    from simulator.providers.checkout.media import document_png

    api = httpx.Client(base_url=server.url, headers={"Authorization": "Bearer sk_sbox_test"})  # the example's key
    applicant = api.post("/applicants", json={"email": "a@example.com"}).json()
    body = {
        "applicant_id": applicant["id"],
        "user_journey_id": "usj_docsexamplesdocsexamplesab",
        "declared_data": DECLARED,
    }
    shell.seen["iddv"] = api.post("/id-document-verifications", json=body).json()["id"]
    for side in ("front", "back"):
        (shell.cwd / f"{side}.jpg").write_bytes(document_png({"last_name": "BRET"}, side, shell.seen["iddv"]))


def _aml_case_open(server: ThreadedServer, shell: Shell, _: tuple) -> None:
    from simulator.providers.checkout import trigger

    with httpx.Client(base_url=server.url) as http:
        ids = trigger.start(http, server.sim.catalogue.get("aml-review-required"), lambda *a: None, "sk_sbox_aml")
        http.post("/_sim/clock/advance", json={"seconds": 3600, "tenant": "sk_sbox_aml"})
    shell.seen["amlv"] = ids["aml_verification_id"]


def _a_failed_delivery(server: ThreadedServer, shell: Shell, hooks: tuple) -> None:
    hooks[0].statuses.extend([500] * 20)
    endpoint = {"provider": "checkout", "url": f"http://127.0.0.1:{hooks[0].port}/hooks", "all_tenants": True}
    httpx.post(f"{server.url}/_sim/webhooks/endpoints", json=endpoint)
    idv(server.url)
    hooks[0].wait_for(1)


def _a_delivery(server: ThreadedServer, shell: Shell, hooks: tuple) -> None:
    endpoint = {"provider": "checkout", "url": f"http://127.0.0.1:{hooks[0].port}/hooks", "all_tenants": True}
    httpx.post(f"{server.url}/_sim/webhooks/endpoints", json=endpoint)
    idv(server.url)
    hooks[0].wait_for(1)
    delivery = httpx.get(f"{server.url}/_sim/webhooks", params={"limit": 1}).json()["data"][0]
    shell.seen.update(dlv=delivery["delivery_id"], evt=delivery["event_id"])


def _events_are_forwarded(server: ThreadedServer, run, hooks: tuple) -> None:
    idv(server.url)  # something to forward, should the example not have made anything
    assert hooks[0].wait_for(1)[0].headers.get("Cko-Signature")


def _the_sumsub_endpoint_receives(server: ThreadedServer, run, hooks: tuple) -> None:
    body = {"externalUserId": "docs-example"}
    created = httpx.post(f"{server.url}/resources/applicants?levelName=basic-kyc-level", json=body, auth=SumsubAuth())
    assert created.status_code == 201
    got = hooks[0].wait_for(1)[0]
    assert (
        json.loads(got.body)["type"] == "applicantCreated" and got.headers["X-Payload-Digest-Alg"] == "HMAC_SHA512_HEX"
    )


def _replayed_elsewhere(server: ThreadedServer, run, hooks: tuple) -> None:
    assert len(hooks[1].wait_for(1)) >= 1  # --to http://localhost:4000/hooks


def _screening_reopened(server: ThreadedServer, run, hooks: tuple) -> None:
    statuses = [json.loads(out)["status"] for _, _, out, _ in run.results if out.startswith("{")]
    assert statuses == ["approved", "review_required", "declined", "review_required"], run.results


def _endpoint_managed(server: ThreadedServer, run, hooks: tuple) -> None:
    endpoints = httpx.get(f"{server.url}/_sim/webhooks/endpoints").json()["data"]
    assert [(e["id"], e["tenant"]) for e in endpoints] == [("we_1", "sk_sbox_…ob_1")], endpoints


def _serving(server: ThreadedServer, run, hooks: tuple) -> None:
    banner = stop(run.background)[0]
    assert "listening on http://127.0.0.1:" in banner and "speed 0.1" in banner


SETUPS: dict[str, Callable] = {
    "curl -X POST http://127.0.0.1:8000/id-document-verifications": _iddv_with_pictures,
    "AML=": _aml_case_open,
    "$ curl 'localhost:8000/_sim/webhooks?ok=false'": _a_failed_delivery,
    "$ kycsim webhooks replay": _a_delivery,
}
CHECKS: dict[str, Callable] = {
    "kycsim listen --forward-to": _events_are_forwarded,
    "$ kycsim listen --forward-to": _events_are_forwarded,
    "curl -X POST localhost:8000/_sim/sumsub/webhooks": _the_sumsub_endpoint_receives,
    "$ kycsim webhooks replay": _replayed_elsewhere,
    "AML=": _screening_reopened,
    "$ curl -X POST localhost:8000/_sim/webhooks/endpoints": _endpoint_managed,
    "kycsim serve --speed 0.1": _serving,
}


def _folder_with_the_install(tmp_path: Path) -> Path:
    """Where examples run: a folder holding the README's ``.venv`` (the test's own Python, when the tests
    do not run from the repository's ``.venv``)."""
    if Path(sys.prefix) == ROOT / ".venv":
        (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    else:
        activate = tmp_path / ".venv" / "bin" / "activate"
        activate.parent.mkdir(parents=True)
        activate.write_text(f'export PATH="{Path(sys.executable).parent}:$PATH"\n')
    return tmp_path


def _for(table: dict[str, Callable], block: Block) -> Callable | None:
    return next(
        (
            f
            for start, f in table.items()
            if block.first.startswith(start.removeprefix("$ ").strip()) or block.text.lstrip().startswith(start)
        ),
        None,
    )


@pytest.mark.parametrize("block", of_kind("shell"), ids=str)
def test_shell_examples_run_as_written(block, tmp_path):
    with kycsim() as server, receivers() as hooks:
        addresses = {"localhost:3000": f"127.0.0.1:{hooks[0].port}", "localhost:4000": f"127.0.0.1:{hooks[1].port}"}
        shell = Shell(server.url, addresses, _folder_with_the_install(tmp_path), parse_only=parse_cli)
        setup = _for(SETUPS, block)
        if setup:
            setup(server, shell, hooks)
        run = shell.run(block)
        try:
            for command, status, out, err in run.results:
                assert status == 0 and not ERROR.search(out + err), f"{block}: {command!r} -> {status}: {out}{err}"
            assert run.results or run.background, f"{block}: nothing ran"
            check = _for(CHECKS, block)
            if check:
                check(server, run, hooks)
        finally:
            stop(run.background)


# The quick start, Docker and pictures


def test_the_quick_start_commands_are_what_ci_runs_and_the_package_provides():
    install_and_run, install_and_test = (b.first for b in of_kind("install"))
    assert install_and_run.endswith(".venv/bin/kycsim serve")
    assert install_and_test in (ROOT / ".ci" / "run").read_text()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["kycsim"] == "simulator.cli:main" and "test" in project["optional-dependencies"]


def test_the_banner_sample_is_what_serve_prints():
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve"],
        env={**os.environ, "KYCSIM_PORT": "0"},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        real = [proc.stdout.readline() for _ in range(3)]
    finally:
        stop([proc])
    for sample, line in zip(one("banner").text.splitlines(), real, strict=True):
        pattern = re.escape(sample).replace(r"\.\.\.", ".*").replace("8000", r"\d+").replace("1512906614", r"\d+")
        assert re.fullmatch(pattern, line.rstrip("\n")), (sample, line)


def test_the_docker_examples_match_the_image():
    """No Docker engine here: the image's settings the examples rely on are checked in the Dockerfile."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    for block in of_kind("docker"):
        assert "-p 8000:8000" in block.text and "EXPOSE 8000" in dockerfile and "KYCSIM_PORT=8000" in dockerfile
        if "-v kycsim-data:/data" in block.text:
            assert "KYCSIM_STORE=sqlite:////data/kycsim.db" in block.text  # four slashes: the absolute /data
            assert "VOLUME /data" in dockerfile and "chown kycsim /data" in dockerfile
    for copied in ("simulator", "docs", "README.md", "pyproject.toml"):  # the scenarios are in simulator/
        assert re.search(rf"^COPY .*\b{re.escape(copied)}\b", dockerfile, re.M), copied
    assert "USER kycsim" in dockerfile and "/_sim/health" in dockerfile


def test_the_layout_names_folders_that_exist():
    names = re.findall(r"^\s*([\w<>/]+/)\s", one("layout").text, re.M)
    assert len(names) >= 6
    parents: list[str] = []
    for line in one("layout").text.splitlines():
        depth = (len(line) - len(line.lstrip())) // 2
        folder = line.split()[0] if line.strip() else ""
        if not folder.endswith("/"):
            continue
        parents[depth:] = [folder.replace("<name>", "checkout")]
        assert (ROOT / "".join(parents)).is_dir(), "".join(parents)


def test_pictures_are_not_code():
    assert [b.file for b in of_kind("picture")] == ["architecture.md"]


# Scenario and config files


@pytest.mark.parametrize("block", of_kind("scenario"), ids=str)
def test_scenario_examples_load_and_play_to_their_last_step(block, tmp_path):
    from simulator.cli_trigger import trigger

    name = yaml.safe_load(block.text)["name"]
    (tmp_path / f"{name}.yaml").write_text(block.text)
    report: list[str] = []
    with kycsim(scenarios=[str(tmp_path)]) as server:
        assert server.sim.catalogue.get(name) is not None
        code = trigger(server.url, name, providers=server.sim.providers, out=report.append, progress=lambda _: None)
    assert code == 0 and report[-1].startswith("run finished"), report


def test_the_config_file_example_declares_its_endpoints(tmp_path):
    from simulator.settings import load_settings
    from simulator.simulator import build_simulator

    config = tmp_path / "kycsim.yaml"
    config.write_text(one("config").text)
    sim = build_simulator(load_settings({"config": str(config), "store": "memory"}, {}))
    endpoints = sorted((e.provider, e.url, e.chaos.get("duplicate", 0)) for e in sim.dispatcher.endpoints.values())
    assert endpoints == [
        ("checkout", "http://localhost:3000/webhooks/checkout", 0),
        ("sumsub", "http://localhost:3000/webhooks/sumsub", 1),
    ]


# Python and JavaScript


def _python(code: str, *, cwd: Path, url: str) -> str:
    code = code.replace("http://127.0.0.1:8000", url)
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_pytest_example_passes_with_the_plugin(tmp_path):
    (tmp_path / "test_example.py").write_text(one("pytest").text)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_example.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if not k.startswith("KYCSIM_")},
    )
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout + done.stderr


def test_the_testing_guides_tests_pass_with_the_plugin(tmp_path):
    """docs/testing.md's test blocks, in order, as one test file (later blocks use the first one's helper)."""
    code = "\n\n".join(block.text for block in of_kind("testing-pytest"))
    (tmp_path / "test_testing_guide.py").write_text(code)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_testing_guide.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={k: v for k, v in os.environ.items() if not k.startswith("KYCSIM_")},
    )
    tests = len(re.findall(r"^def test_", code, re.M))
    assert tests >= 8 and done.returncode == 0 and f"{tests} passed" in done.stdout, done.stdout + done.stderr


def test_the_testing_guides_ci_excerpts_are_the_recipes():
    plain, workflow = (ROOT / "examples" / "ci" / name for name in ("kycsim-serve.sh", "github-actions.yml"))
    for block in of_kind("ci-excerpt"):
        if block.lang == "sh":
            assert block.text in plain.read_text(), block
        else:
            job = yaml.safe_load(workflow.read_text())["jobs"]["test"]
            assert yaml.safe_load(block.text) == {"services": job["services"], "env": job["env"]}, block


def test_the_typed_client_examples_print_what_they_say():
    with kycsim(speed="manual") as server:
        printed = [_python(block.text, cwd=ROOT, url=server.url) for block in of_kind("python-client")]
    assert printed == ["['finished']\n404 not_found\n", "1\n"]


def test_the_python_sdk_example_creates_an_applicant(tmp_path):
    with kycsim() as server:
        out = _python(one("python-sdk").text, cwd=tmp_path, url=server.url)
    assert re.fullmatch(r"aplt_[a-z0-9]{26}\n", out), out


def test_the_sumsub_python_examples_run_in_order(tmp_path):
    code = "\n".join(b.text for b in of_kind("sumsub-python"))
    with kycsim() as server:
        out = _python(code, cwd=tmp_path, url=server.url)
        assert out == "{'ok': 1}\n"
        applicants = {a["externalUserId"]: a for a in _sumsub_applicants(server)}
    assert applicants["user-1"]["review"]["reviewResult"]["rejectLabels"] == ["BAD_SELFIE"]  # the header's scenario
    assert applicants["user-2"]["review"]["reviewResult"]["reviewAnswer"] == "GREEN"  # the person, after the token


def _sumsub_applicants(server: ThreadedServer) -> list[dict]:
    from simulator.providers.sumsub.settings import DEFAULT_APP_TOKEN as DEFAULT_SUMSUB_APP_TOKEN

    return server.sim.store.list(DEFAULT_SUMSUB_APP_TOKEN, "sumsub", "applicants")


def test_the_signature_check_accepts_a_real_webhook():
    with kycsim(checkout_webhook_secret="whsec_docs") as server, Receiver() as receiver:
        endpoint = {"provider": "checkout", "url": receiver.url, "secret": "whsec_docs", "all_tenants": True}
        httpx.post(f"{server.url}/_sim/webhooks/endpoints", json=endpoint)
        idv(server.url)
        got = receiver.wait_for(1)[0]
    request = type("Request", (), {"headers": got.headers})
    scope = {"secret": "whsec_docs", "raw_body": got.body, "request": request}
    exec("import hashlib, hmac\n" + textwrap.dedent(one("signature-check").text), scope)
    assert scope["ok"] is True


def test_the_provider_author_example_publishes_an_event():
    with kycsim() as server:
        sim = server.sim
        scope = {
            "provider": sim.providers["checkout"],
            "sim": sim,
            "tenant": "sk_sbox_author",
            "body_bytes": b'{"id": "evt_docs"}',
            "event_id": "evt_docs",
            "idv_id": "idv_docs",
        }
        exec(one("provider-author").text, scope)
        events = httpx.get(f"{server.url}/_sim/webhooks/events", params={"resource": "idv_docs"}).json()["data"]
    assert scope["profile"].retry_schedule and [e["id"] for e in events] == ["evt_docs"]


@pytest.mark.node
def test_the_node_sdk_example_creates_an_idv_playing_its_scenario():
    from tests.support.node import node_modules

    modules = node_modules("checkout-sdk-node", ["checkout-sdk-node@5"])
    script = modules.parent / "docs_example.mjs"  # next to node_modules, where an ES module finds packages
    with kycsim() as server:
        script.write_text(one("node-sdk").text.replace("http://127.0.0.1:8000", server.url))
        done = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        checks = [
            c
            for t in server.sim.store.tenants()
            for c in server.sim.store.list(t, "checkout", "identity_verifications")
        ]
    assert [c["_scenario"]["name"] for c in checks] == ["idv-declined-62304"]


# Samples of what kycsim answers


def test_the_error_sample_has_the_real_envelope():
    sample = json.loads(one("error-sample").text)
    with kycsim() as server:
        real = httpx.post(f"{server.url}/identity-verifications", json={"applicant_id": "aplt_x"}, headers=CHECKOUT_KEY)
    assert real.status_code == 422 and set(real.json()) == set(sample)
    assert sample["error_type"] == real.json()["error_type"] == "request_invalid"


def test_the_webhook_sample_has_the_real_envelope():
    sample = json.loads(one("webhook-sample").text)
    with kycsim() as server:
        api = httpx.Client(base_url=server.url, headers=CHECKOUT_KEY)
        applicant = api.post("/applicants", json={"external_applicant_id": "eaplt_10000000000000000000000000"}).json()
        check = api.post("/identity-verifications", json={"applicant_id": applicant["id"], "declared_data": DECLARED})
        api.post(f"/identity-verifications/{check.json()['id']}/attempts", json={"redirect_url": "https://x.example/"})
        events = httpx.get(f"{server.url}/_sim/webhooks/events", params={"type": sample["type"]}).json()["data"]
    real = json.loads(events[0]["body"])
    assert set(real) == set(sample) and set(real["data"]) == set(sample["data"])
    assert real["data"]["status"] == sample["data"]["status"] == "approved"


def test_the_redirect_samples_have_the_real_parameters():
    with kycsim(applicant="auto") as server:
        check = idv(server.url, "idv-capture-aborted-61203")
        attempt = httpx.get(f"{server.url}/identity-verifications/{check['id']}/attempts", headers=CHECKOUT_KEY)
        page = attempt.json()["data"][-1]["_links"]["verification_url"]["href"]
        real = httpx.get(f"{page}state").json()["redirect"]
    for sample in one("redirect-sample").text.split():
        assert urlsplit(sample).path == "/back"
    aborted = parse_qs(urlsplit(one("redirect-sample").text.split()[1]).query)
    assert parse_qs(urlsplit(real).query).keys() == aborted.keys() and aborted["response_code"] == ["61203"]


def test_the_stream_sample_has_the_real_fields():
    sample = one("stream-sample").text
    ready = json.loads(re.search(r"^data: (\{.*?), \.\.\.\}$", sample, re.M)[1] + "}")
    with kycsim() as server, httpx.stream("GET", f"{server.url}/_sim/events", timeout=10) as stream:
        lines = stream.iter_lines()
        assert next(lines) == "event: ready"
        real = json.loads(next(lines).removeprefix("data: "))
    assert set(ready) <= set(real) and real["providers"] == ready["providers"]


def test_the_redirect_fragment_makes_a_link():
    fragment = json.loads("{" + one("redirect-fragment").text + "}")
    body = {"levelName": "basic-kyc-level", "userId": "docs-redirect", **fragment}
    with kycsim() as server:
        made = httpx.post(f"{server.url}/resources/sdkIntegrations/levels/-/websdkLink", json=body, auth=SumsubAuth())
    assert made.status_code == 200 and "/websdk/p/" in made.json()["url"]


def test_the_test_completed_request_completes_the_review():
    lines = one("sumsub-http").text.splitlines()
    method, path = lines[0].split()
    body = json.loads("\n".join(lines[1:]))
    with kycsim() as server:
        made = {"externalUserId": "docs-test-completed"}
        applicant = httpx.post(
            f"{server.url}/resources/applicants?levelName=basic-kyc-level", json=made, auth=SumsubAuth()
        ).json()
        done = httpx.request(method, server.url + path.replace("{id}", applicant["id"]), json=body, auth=SumsubAuth())
        status = httpx.get(f"{server.url}/resources/applicants/{applicant['id']}/one", auth=SumsubAuth()).json()
    assert done.status_code == 200 and done.json() == {"ok": 1}
    assert status["review"]["reviewResult"]["rejectLabels"] == ["FORGERY"]


def test_scenario_names_in_the_readme_exist():
    from simulator.simulator import build_simulator

    catalogue = build_simulator(Settings(seed=1)).catalogue
    readme = (ROOT / "README.md").read_text()
    for name in set(re.findall(r"\b(idv-[a-z0-9-]*[a-z0-9])\b(?!-?\{)", readme)) - {"idv-declined-face-mismatch"}:
        assert catalogue.get(name) is not None, name


# docs/adding-a-provider.md: the demo provider's files, quoted as they are, and its registry line run

DEMO = ROOT / "tests" / "support" / "demo_provider"


@pytest.mark.parametrize("block", of_kind("quoted-source"), ids=str)
def test_quoted_source_is_the_source(block):
    sources = [ROOT / "simulator" / "providers" / "__init__.py", *DEMO.rglob("*.py"), *DEMO.rglob("*.yaml")]
    assert [s for s in sources if block.text in s.read_text()], f"{block} quotes no file as it is"


def test_the_provider_tree_is_the_demo_folder():
    root, *entries = one("provider-tree").text.splitlines()
    assert ROOT / root.strip() == DEMO
    listed = {line.split()[0] for line in entries if line.strip()}
    actual = {p.name + ("/" if p.is_dir() else "") for p in DEMO.iterdir() if p.name != "__pycache__"}
    assert listed == actual


def test_the_registry_line_example_serves_the_demo(tmp_path):
    block = one("registry-line")
    env = {
        **os.environ,
        "KYCSIM_PORT": "0",
        "KYCSIM_CACHE_DIR": str(tmp_path),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.pop("KYCSIM_CONTROL_TOKEN", None)
    samples = block.text.splitlines()[1:]
    command = block.first.removeprefix("$ ")
    proc = subprocess.Popen(["bash", "-c", command], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        real = [proc.stdout.readline() for _ in samples]
    finally:
        stop([proc])
    for sample, line in zip(samples, real, strict=True):
        pattern = re.escape(sample).replace(r"\.\.\.", ".*").replace("8000", r"\d+")
        assert re.fullmatch(pattern, line.rstrip("\n")), (sample, line)
