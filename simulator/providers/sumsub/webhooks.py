"""Sumsub webhooks: the payload of section 4.2 and the ``X-Payload-Digest`` signature of 4.3.

The digest is the hex HMAC of the raw body keyed with the *webhook* secret (not the app-token
secret); the algorithm is the endpoint's ``alg`` option (``HMAC_SHA256_HEX`` by default) and is
named in ``X-Payload-Digest-Alg``. Retries follow Sumsub: 5 min, 1 h, 5 h, 18 h; 5 s timeout.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from simulator.engine.webhooks.dispatcher import Endpoint
from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub.state import SumsubState, fmt_ms


def digest(body: bytes, secret: str, alg: str = c.DEFAULT_DIGEST_ALG) -> str:
    return hmac.new(secret.encode(), body, getattr(hashlib, c.DIGEST_ALGS[alg])).hexdigest()


class SumsubWebhookProfile:
    retry_schedule = c.WEBHOOK_RETRY_SCHEDULE
    timeout = c.WEBHOOK_TIMEOUT

    def sign(self, body: bytes, endpoint: Endpoint) -> dict[str, str]:
        alg = endpoint.options.get("alg") or c.DEFAULT_DIGEST_ALG
        if alg not in c.DIGEST_ALGS:
            alg = c.DEFAULT_DIGEST_ALG  # an endpoint added with an unknown alg: sign as Sumsub's default
        if not endpoint.secret:
            return {}
        return {c.HEADER_PAYLOAD_DIGEST: digest(body, endpoint.secret, alg), c.HEADER_PAYLOAD_DIGEST_ALG: alg}


def payload(
    ctx: SumsubState,
    event_type: str,
    applicant: dict[str, Any],
    action: dict[str, Any] | None = None,
    *,
    correlation_id: str,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The body in the field order of Sumsub's examples; no personal data, as in the real payloads."""
    subject = action or applicant
    review = subject["review"]
    body: dict[str, Any] = {"applicantId": applicant["id"], "inspectionId": applicant["inspectionId"]}
    if action is not None:
        body["applicantActionId"] = action["id"]
        body["externalApplicantActionId"] = action["externalActionId"]
    body.update(
        {
            "correlationId": correlation_id,
            "levelName": review["levelName"],
            "externalUserId": applicant["externalUserId"],
            "type": event_type,
            "sandboxMode": ctx.sandbox,
            "reviewStatus": review["reviewStatus"],
            "createdAtMs": fmt_ms(ctx.now),
            "applicantType": applicant.get("type", "individual"),
        }
    )
    if review["reviewStatus"] == c.COMPLETED and review.get("reviewResult"):
        body["reviewResult"] = review["reviewResult"]
    body.update(extra or {})
    body["clientId"] = applicant.get("clientId", c.CLIENT_ID)
    return body


def publish(
    ctx: SumsubState,
    event_type: str,
    applicant: dict[str, Any],
    action: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    correlation_id = ctx.correlation_id()
    body = payload(ctx, event_type, applicant, action, correlation_id=correlation_id, extra=extra)
    ctx.sim.dispatcher.publish(
        ctx.tenant,
        c.PROVIDER,
        event_type,
        json.dumps(body, separators=(",", ":")).encode(),
        event_id=correlation_id,
        resource=(action or applicant)["id"],
    )
    return body
