"""Compatibility: the npm package ``sumsub-node-sdk`` (axios, signs with its own interceptor)
drives a real kycsim server for every call of it the simulator serves.

The package is installed once into a cached temp folder (``npm install --no-audit --no-fund``);
the test skips with the reason when Node.js/npm is missing or the registry cannot be reached.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from simulator.server import ThreadedServer
from tests.providers.sumsub.conftest import sumsub_settings
from tests.providers.sumsub.support import SECRET, TOKEN, assert_valid

pytestmark = pytest.mark.node

PACKAGES = ["sumsub-node-sdk@2", "axios@1"]
CACHE = Path(tempfile.gettempdir()) / "kycsim-npm-cache" / "sumsub-node-sdk"
DRIVER = Path(__file__).parent / "node" / "drive_sdk.js"


@pytest.fixture(scope="module")
def node_modules() -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm are needed to drive sumsub-node-sdk; they are not installed here")
    if not (CACHE / "node_modules" / "sumsub-node-sdk" / "package.json").exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        (CACHE / "package.json").write_text('{"name": "kycsim-sdk-cache", "private": true}')
        try:
            done = subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", *PACKAGES],
                cwd=CACHE,
                capture_output=True,
                text=True,
                timeout=240,
            )
        except subprocess.TimeoutExpired:
            pytest.skip("npm install of sumsub-node-sdk timed out: the npm registry is unreachable")
        if done.returncode != 0:
            pytest.skip(f"npm install of sumsub-node-sdk failed (registry unreachable?): {done.stderr[-300:]}")
    return CACHE / "node_modules"


def test_sumsub_node_sdk_against_a_running_simulator(node_modules):
    with ThreadedServer(sumsub_settings(speed="manual")) as server:
        done = subprocess.run(
            ["node", str(DRIVER), server.url, TOKEN, SECRET],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "NODE_PATH": str(node_modules)},
        )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert results["getStatus"] == {"status": 200, "data": {"ok": 1}}
    created = results["createApplicant"]
    assert created["status"] == 201, created
    assert_valid("applicant", created["data"])
    assert created["data"]["email"] == "node@example.com"
    assert results["createDuplicate"]["status"] == 409
    assert results["getApplicant"]["data"] == created["data"]
    assert results["getApplicantByExternalUserId"]["data"]["id"] == created["data"]["id"]
    assert results["resetApplicant"]["data"] == {"ok": 1}
    upload = results["addIdDocument"]
    assert upload["status"] == 200, upload  # the SDK signs the multipart buffer: accepted
    assert upload["data"]["data"] == {"idDocType": "PASSPORT", "country": "USA"} and upload["data"]["imageId"]
    assert results["getDocumentImage"] == {"status": 200, "data": {"length": 69}}
    steps = results["getRequiredIdDocsStatus"]["data"]
    assert steps["IDENTITY"]["imageIds"] == [int(upload["data"]["imageId"])]
    assert results["requestApplicantCheck"]["data"] == {"ok": 1}
    assert results["getReviewStatus"]["data"]["reviewStatus"] == "pending"
    token = results["generateAccessToken"]
    assert token["status"] == 200 and token["data"]["token"].startswith("_act-sbx-")
    assert results["generateWebSDKLink"]["data"]["url"].startswith(server.url + "/websdk/p/sbx_")
    wrong = results["wrongSecret"]
    assert wrong["status"] == 401 and wrong["data"]["errorCode"] == 4003
