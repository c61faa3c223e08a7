"""Checkout.com's part of the Python client and of the pytest plugin (providers/checkout/client.py)."""

from __future__ import annotations

import hashlib
import hmac
import itertools

from simulator.providers.checkout import client
from simulator.server import ThreadedServer
from simulator.settings import Settings
from tests.providers.checkout.sdk_support import secret_key_sdk


def test_a_test_tenants_key_is_one_the_official_sdk_accepts_and_kycsim_serves():
    from checkout_sdk.identities.applicants.applicants import CreateApplicantRequest

    counter = itertools.count()
    part = client.kit_tenant(None, lambda: f"{next(counter):024x}")
    assert part.tenant == part.exposed["checkout_key"] and part.tenant.startswith("sk_sbox_")
    assert part.exposed["checkout_webhook_secret"] == part.webhook_secret
    with ThreadedServer(Settings(seed=1, speed="manual")) as server:
        request = CreateApplicantRequest()
        request.email = "kit@example.com"
        made = secret_key_sdk(server.url, part.tenant).applicants.create_applicant(request)  # the SDK checks the key
        assert made.id.startswith("aplt_") and server.sim.store.tenants() == [part.tenant]


def test_verify_webhook_checks_cko_signature_as_an_app_does():
    body = b'{"type": "identity_verification_created"}'
    good = hmac.new(b"whsec", body, hashlib.sha256).hexdigest()
    assert client.verify_webhook({"cko-signature": good}, body, "whsec")
    assert client.verify_webhook({"Cko-Signature": good}, body, "whsec")
    assert not client.verify_webhook({"Cko-Signature": good}, body + b" ", "whsec")
    assert not client.verify_webhook({"Cko-Signature": good}, body, "another")
    assert not client.verify_webhook({}, body, "whsec")


def test_event_subject_is_the_check_then_the_applicant():
    check = {"data": {"applicant_id": "aplt_1", "identity_verification_id": "idv_1", "user_journey_id": "usj_1"}}
    assert client.event_subject(check) == "idv_1"
    assert client.event_subject({"data": {"applicant_id": "aplt_1"}}) == "aplt_1"
    assert client.event_subject({"data": "?"}) is None and client.event_subject([]) is None
