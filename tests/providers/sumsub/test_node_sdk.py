"""Compatibility: the npm package ``sumsub-node-sdk`` (axios, signs with its own interceptor)
drives a real kycsim server for every call of it the simulator serves.

The package is installed once into a cached temp folder (``tests/support/node.py``); the test
skips with the reason when Node.js/npm is missing or the registry cannot be reached.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.server import ThreadedServer
from tests.providers.sumsub.conftest import sumsub_settings
from tests.providers.sumsub.support import SECRET, TOKEN, assert_valid
from tests.support.node import node_modules, run_node

pytestmark = pytest.mark.node

DRIVER = Path(__file__).parent / "node" / "drive_sdk.js"


@pytest.fixture(scope="module")
def sdk_modules() -> Path:
    return node_modules("sumsub-node-sdk", ["sumsub-node-sdk@2", "axios@1"])


def test_sumsub_node_sdk_drives_the_api_only_flow_against_a_running_simulator(sdk_modules):
    with ThreadedServer(sumsub_settings(speed="manual")) as server:
        results = run_node(DRIVER, server.url, TOKEN, SECRET, node_modules=sdk_modules)
        events = [e.type for e in server.sim.dispatcher.events]
    assert results["getStatus"] == {"status": 200, "data": {"ok": 1}}
    assert results["bind"]["status"] == 201
    created = results["createApplicant"]
    assert created["status"] == 201, created
    assert_valid("applicant", created["data"])
    assert created["data"]["email"] == "node@example.com"
    assert results["createDuplicate"]["status"] == 409
    assert results["getApplicant"]["data"] == created["data"]
    assert results["getApplicantByExternalUserId"]["data"]["id"] == created["data"]["id"]
    assert results["resetApplicant"]["data"] == {"ok": 1}
    refused = results["requestCheckWithoutDocuments"]
    assert refused["status"] == 409 and refused["data"]["description"].startswith("Not all required documents")
    assert results["statusAfterAnIdleHour"]["data"]["reviewStatus"] == "init"  # nobody had the flow: nothing moved
    upload = results["addIdDocument"]
    assert upload["status"] == 200, upload  # the SDK signs the multipart buffer: accepted
    assert upload["data"]["data"] == {"idDocType": "PASSPORT", "country": "USA"} and upload["data"]["imageId"]
    assert results["addSelfie"]["status"] == 200, results["addSelfie"]
    assert results["getDocumentImage"] == {"status": 200, "data": {"length": 69}}
    steps = results["getRequiredIdDocsStatus"]["data"]
    assert steps["IDENTITY"]["imageIds"] == [int(upload["data"]["imageId"])]
    assert results["requestApplicantCheck"]["data"] == {"ok": 1}
    assert results["getReviewStatus"]["data"]["reviewStatus"] == "pending"
    assert results["requestCheckAgain"]["status"] == 409  # one submission, one attempt
    reviewed = results["reviewed"]["data"]
    assert reviewed["reviewStatus"] == "completed" and reviewed["attemptCnt"] == 1
    assert reviewed["reviewResult"]["rejectLabels"] == ["BAD_SELFIE"]  # the bound scenario
    assert events == [
        "applicantCreated",
        "applicantReset",
        "applicantPending",
        "applicantPrechecked",
        "applicantReviewed",
    ]
    token = results["generateAccessToken"]
    assert token["status"] == 200 and token["data"]["token"].startswith("_act-sbx-")
    assert results["generateWebSDKLink"]["data"]["url"].startswith(server.url + "/websdk/p/sbx_")
    wrong = results["wrongSecret"]
    assert wrong["status"] == 401 and wrong["data"]["errorCode"] == 4003
