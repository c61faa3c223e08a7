"""A small merchant app that verifies its users' identity, written as it would be against the real providers.

- Checkout.com Identities through the official SDK (``checkout-sdk`` on PyPI): an applicant, an
  identity verification and its attempt (the hosted page's link for the user); a retry is a new attempt.
- Sumsub through signed HTTP calls (``X-App-Token`` / ``X-App-Access-Ts`` / ``X-App-Access-Sig``): an
  applicant, then an access token for the WebSDK that hands the flow to the user.
- Both providers' webhooks: the signature is checked, then the user's status is updated.

Nothing here knows kycsim: the tests (``tests/``) point the base URLs and keys at it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import warnings
from dataclasses import dataclass, field

import httpx
from checkout_sdk.checkout_sdk import CheckoutSdk
from checkout_sdk.environment import Environment
from checkout_sdk.identities.applicants.applicants import CreateApplicantRequest
from checkout_sdk.identities.identityverification.identityverification import (
    DeclaredData,
    IdentityVerificationAttemptRequest,
    IdentityVerificationRequest,
)

SUMSUB_LEVEL = "basic-kyc-level"
SUMSUB_DIGESTS = {"HMAC_SHA1_HEX": hashlib.sha1, "HMAC_SHA256_HEX": hashlib.sha256, "HMAC_SHA512_HEX": hashlib.sha512}


class BadSignature(Exception):
    """A webhook whose signature does not check out: answer 401 and drop it."""


@dataclass
class Config:
    checkout_url: str  # https://api.checkout.com/ in production
    checkout_secret_key: str
    checkout_webhook_secret: str
    sumsub_url: str  # https://api.sumsub.com in production
    sumsub_app_token: str
    sumsub_secret_key: str
    sumsub_webhook_secret: str


@dataclass
class User:
    id: str
    email: str
    name: str
    birth_date: str
    status: str = "new"  # new, pending, approved, declined, retry, resubmission_requested, rejected
    check_id: str | None = None  # the IDV or the Sumsub applicant
    codes: list[int] = field(default_factory=list)  # Checkout.com response codes of the last decision
    labels: list[str] = field(default_factory=list)  # Sumsub reject labels of the last review


class KycApp:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.users: dict[str, User] = {}
        base = config.checkout_url.rstrip("/") + "/"
        environment = Environment(
            base_uri=base,
            authorization_uri=base + "connect/token",
            files_uri=base,
            transfers_uri=base,
            balances_uri=base,
            forward_uri=base,
            identity_uri=base,
            is_sandbox=True,
        )
        with warnings.catch_warnings():  # the SDK warns about its own deprecated clients while building
            warnings.simplefilter("ignore", DeprecationWarning)
            builder = CheckoutSdk.builder().secret_key(config.checkout_secret_key).environment(environment)
            self.checkout = builder.environment_subdomain("kycapp").build()
        self.sumsub = httpx.Client(base_url=config.sumsub_url, timeout=30)

    def close(self) -> None:
        self.sumsub.close()

    def sign_up(self, user_id: str, email: str, name: str, birth_date: str) -> User:
        self.users[user_id] = user = User(user_id, email, name, birth_date)
        return user

    # Checkout.com Identities, with the official SDK

    def start_identity_verification(self, user_id: str) -> str:
        """Create the applicant and the IDV, and the attempt whose link the user opens; returns the link."""
        user = self.users[user_id]
        applicant = CreateApplicantRequest()
        applicant.email = user.email
        applicant.external_applicant_id = user.id
        applicant.external_applicant_name = user.name
        applicant_id = self.checkout.applicants.create_applicant(applicant).id
        request = IdentityVerificationRequest()
        request.applicant_id = applicant_id
        request.declared_data = DeclaredData()
        request.declared_data.name = user.name
        request.declared_data.birth_date = user.birth_date
        user.check_id = self.checkout.identity_verification.create_identity_verification(request).id
        user.status = "pending"
        return self._new_attempt(user)

    def retry_identity_verification(self, user_id: str) -> str:
        """A new attempt after the user left the capture (the check asks for a retry); returns its link."""
        user = self.users[user_id]
        user.status = "pending"
        return self._new_attempt(user)

    def _new_attempt(self, user: User) -> str:
        attempt = IdentityVerificationAttemptRequest()
        attempt.redirect_url = f"https://kycapp.example.com/verified/{user.id}"
        made = self.checkout.identity_verification.create_identity_verification_attempt(user.check_id, attempt)
        return made._links.verification_url.href

    def on_checkout_webhook(self, body: bytes, headers: dict[str, str]) -> User | None:
        """``POST /webhooks/checkout``: check ``Cko-Signature``, then read the verification's state back."""
        expected = hmac.new(self.config.checkout_webhook_secret.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, _header(headers, "Cko-Signature")):
            raise BadSignature("Cko-Signature does not match")
        event = json.loads(body)
        check_id = event["data"].get("identity_verification_id")
        user = next((u for u in self.users.values() if u.check_id == check_id), None)
        if user is None:
            return None
        if event["type"] == "identity_verification_capture_aborted":
            user.status = "retry"
        elif event["type"] == "identity_verification_checks_completed":
            idv = self.checkout.identity_verification.get_identity_verification(check_id)
            user.status = idv.status  # approved, declined, retry_required...
            user.codes = [code.code for code in idv.response_codes]
        return user

    # Sumsub, with signed calls

    def start_sumsub_verification(self, user_id: str) -> str:
        """Create the applicant and an access token for the WebSDK (the user takes over); returns the token."""
        user = self.users[user_id]
        made = self._sumsub("POST", f"/resources/applicants?levelName={SUMSUB_LEVEL}", {"externalUserId": user.id})
        user.check_id, user.status = made["id"], "pending"
        grant = {"userId": user.id, "levelName": SUMSUB_LEVEL}
        return self._sumsub("POST", "/resources/accessTokens/sdk", grant)["token"]

    def on_sumsub_webhook(self, body: bytes, headers: dict[str, str]) -> User | None:
        """``POST /webhooks/sumsub``: check ``X-Payload-Digest``, then follow ``applicantReviewed``."""
        digest = SUMSUB_DIGESTS.get(_header(headers, "X-Payload-Digest-Alg"))
        expected = hmac.new(self.config.sumsub_webhook_secret.encode(), body, digest).hexdigest() if digest else ""
        if not expected or not hmac.compare_digest(expected, _header(headers, "X-Payload-Digest")):
            raise BadSignature("X-Payload-Digest does not match")
        event = json.loads(body)
        user = self.users.get(event.get("externalUserId", ""))
        if user is None or event["type"] != "applicantReviewed":
            return user
        result = event["reviewResult"]
        if result["reviewAnswer"] == "GREEN":
            user.status = "approved"
        else:
            user.status = "resubmission_requested" if result.get("reviewRejectType") == "RETRY" else "rejected"
        user.labels = result.get("rejectLabels", [])
        return user

    def _sumsub(self, method: str, path: str, body: dict) -> dict:
        content = json.dumps(body).encode()
        ts = str(int(time.time()))
        signature = hmac.new(
            self.config.sumsub_secret_key.encode(), ts.encode() + method.encode() + path.encode() + content, hashlib.sha256
        ).hexdigest()
        headers = {
            "X-App-Token": self.config.sumsub_app_token,
            "X-App-Access-Ts": ts,
            "X-App-Access-Sig": signature,
            "Content-Type": "application/json",
        }
        response = self.sumsub.request(method, path, content=content, headers=headers)
        response.raise_for_status()
        return response.json()


def _header(headers: dict[str, str], name: str) -> str:
    return next((v for k, v in headers.items() if k.lower() == name.lower()), "")
