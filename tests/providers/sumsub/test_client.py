"""Sumsub's part of the Python client and of the pytest plugin (providers/sumsub/client.py)."""

from __future__ import annotations

import hmac

import httpx
import pytest

from simulator.client import KycSim, KycSimError
from simulator.providers.sumsub import client
from simulator.server import ThreadedServer
from simulator.settings import Settings


@pytest.fixture(scope="module")
def kycsim():
    with ThreadedServer(Settings(seed=1, speed="manual")) as server, KycSim(server.url) as control:
        yield control


def test_a_test_tenant_is_a_registered_pair_whose_signature_kycsim_accepts(kycsim):
    secrets = iter(["a1b2", "c3d4", "e5f6", "0718"])
    part = client.kit_tenant(kycsim, lambda: next(secrets))
    assert part.tenant == part.exposed["sumsub_app_token"] == "sbx:kita1b2.c3d4"
    assert part.exposed["sumsub_secret_key"] == "e5f6" and part.webhook_secret == "0718"
    assert part.webhook_options == {"alg": "HMAC_SHA256_HEX"}
    api = httpx.Client(base_url=kycsim.url, auth=part.exposed["sumsub_auth"])
    made = api.post("/resources/applicants", params={"levelName": "basic-kyc-level"}, json={"externalUserId": "k-1"})
    assert made.status_code == 201, made.text
    assert api.get(f"/resources/applicants/{made.json()['id']}/one").json()["externalUserId"] == "k-1"
    files = {"content": ("Austria_Front_Approved.jpg", b"\xff\xd8\xff", "image/jpeg")}
    metadata = {"metadata": '{"idDocType": "PASSPORT", "country": "AUT"}'}
    upload = api.post(f"/resources/applicants/{made.json()['id']}/info/idDoc", files=files, data=metadata)
    assert upload.status_code == 200, upload.text  # multipart bodies are signed as sent
    forged = client.SumsubAuth(part.tenant, "not-its-secret")
    assert httpx.get(f"{kycsim.url}/resources/applicants/{made.json()['id']}/one", auth=forged).status_code == 401


def test_the_secret_of_a_registered_token_cannot_be_taken_over(kycsim):
    kycsim.sumsub.add_app_token("sbx:kit.owned", "first")
    with pytest.raises(KycSimError) as refused:
        kycsim.sumsub.add_app_token("sbx:kit.owned", "second")
    assert refused.value.status == 403
    assert kycsim.sumsub.add_app_token("sbx:kit.owned", "second", current_secret_key="first")["appToken"]


@pytest.mark.parametrize("alg", ["HMAC_SHA1_HEX", "HMAC_SHA256_HEX", "HMAC_SHA512_HEX"])
def test_verify_webhook_checks_the_payload_digest_by_its_algorithm(alg):
    body = b'{"type": "applicantReviewed"}'
    digest = hmac.new(b"hook", body, alg.split("_")[1].lower()).hexdigest()
    headers = {"X-Payload-Digest": digest, "X-Payload-Digest-Alg": alg}
    assert client.verify_webhook(headers, body, "hook")
    assert not client.verify_webhook(headers, body, "other") and not client.verify_webhook(headers, body + b"x", "hook")
    assert not client.verify_webhook({**headers, "X-Payload-Digest-Alg": "MD5"}, body, "hook")


def test_event_subject_is_the_action_then_the_applicant():
    assert client.event_subject({"applicantId": "a1", "applicantActionId": "act1"}) == "act1"
    assert client.event_subject({"applicantId": "a1"}) == "a1" and client.event_subject("x") is None
