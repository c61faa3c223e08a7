"""``kycsim trigger``: the calls a Sumsub client makes to start a scenario, signed like Sumsub's
published examples (with real time: the simulator checks signatures against wall time).

The client creates the applicant (and the action) with the scenario header, then hands the flow to
the person with an access token, as an app launching the WebSDK does: in ``auto`` mode the scenario
then plays the person from the first submission to the last step."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

from simulator.engine.scenarios.model import Scenario
from simulator.providers.sumsub import constants as c


def signed_headers(
    token: str, secret: str, method: str, path: str, body: bytes = b"", *, wall: Callable[[], float]
) -> dict[str, str]:
    ts = str(int(wall()))
    sig = hmac.new(secret.encode(), ts.encode() + method.encode() + path.encode() + body, hashlib.sha256).hexdigest()
    return {c.HEADER_APP_TOKEN: token, c.HEADER_ACCESS_TS: ts, c.HEADER_ACCESS_SIG: sig}


def trigger(http: Any, scenario: Scenario, record: Any, settings: Any, wall: Callable[[], float]) -> dict[str, Any]:
    """``wall`` is the simulator clock's wall time: a client signs with real time."""
    token, secret = settings.sumsub_app_token, settings.sumsub_secret_key

    def call(method: str, path: str, body: dict | None = None, scenario_name: str | None = None) -> dict:
        raw = json.dumps(body).encode() if body is not None else b""
        headers = {"Content-Type": "application/json", **signed_headers(token, secret, method, path, raw, wall=wall)}
        if scenario_name:
            headers[c.SCENARIO_HEADER] = scenario_name
        response = http.request(method, path, content=raw, headers=headers)
        record("request", {"method": method, "path": path, "status": response.status_code})
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path} -> {response.status_code}: {response.text}")
        return response.json()

    stamp = int(wall() * 1000)
    is_action = scenario.product == c.APPLICANT_ACTION
    applicant = call(
        "POST",
        f"/resources/applicants?levelName={c.DEFAULT_LEVEL}",
        {"externalUserId": f"trigger-{scenario.name}-{stamp}"},
        None if is_action else scenario.name,
    )
    ids: dict[str, Any] = {"applicantId": applicant["id"], "appToken": token, "tenant": token}
    user = applicant["externalUserId"]
    if not is_action:
        call("POST", "/resources/accessTokens/sdk", {"userId": user, "levelName": c.DEFAULT_LEVEL})
        return ids
    checks = {str(e.get("type")) for s in scenario.steps for e in s.args.get("checks", []) if isinstance(e, dict)}
    if checks & {c.CHECK_FACE_LIVELINESS, c.CHECK_FACE_MATCH}:
        level, body = "selfie-action-level", {"externalActionId": f"trigger-{stamp}", "email": "applicant@example.com"}
    elif c.CHECK_PAYMENT_SOURCE in checks:
        level = "payment-source-level"
        body = {
            "externalActionId": f"trigger-{stamp}",
            "paymentSource": {
                "fixedInfo": {"type": "bankCard", "fullName": "John Doe", "accountIdentifier": "120834387"}
            },
        }
    else:
        level = "payment-method-level"
        body = {
            "externalActionId": f"trigger-{stamp}",
            "paymentMethod": {
                "type": "bankCard",
                "subType": "VISA",
                "data": {"requiredIdDoc": {"firstName": "John", "lastName": "Doe", "txnAmount": "100"}},
            },
        }
    action = call(
        "POST", f"/resources/applicantActions/-/forApplicant/{applicant['id']}?levelName={level}", body, scenario.name
    )
    grant = {"userId": user, "levelName": level, "externalActionId": action["externalActionId"]}
    call("POST", "/resources/accessTokens/sdk", grant)
    ids["actionId"] = action["id"]
    return ids
