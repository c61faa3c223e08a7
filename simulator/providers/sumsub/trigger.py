"""``kycsim trigger``: the calls a Sumsub client makes to start a scenario, signed like Sumsub's
published examples (with real time: the simulator checks signatures against wall time).

The client creates the applicant (and the action) with the scenario header, then hands the flow to
the person with an access token, as an app launching the WebSDK does: in ``auto`` mode the scenario
then plays the person from the first submission to the last step."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from typing import Any

from simulator.engine.scenarios.model import Scenario
from simulator.providers.sumsub import constants as c


def signed_headers(
    token: str, secret: str, method: str, path: str, body: bytes = b"", *, wall: Callable[[], float]
) -> dict[str, str]:
    ts = str(int(wall()))
    sig = hmac.new(secret.encode(), ts.encode() + method.encode() + path.encode() + body, hashlib.sha256).hexdigest()
    return {c.HEADER_APP_TOKEN: token, c.HEADER_ACCESS_TS: ts, c.HEADER_ACCESS_SIG: sig}


def trigger(
    http: Any, scenario: Scenario, record: Any, token: str, secret: str, wall: Callable[[], float]
) -> dict[str, Any]:
    """``wall`` is the simulator clock's wall time: a client signs with real time."""
    call = _signed_caller(http, record, token, secret, wall)
    stamp = int(wall() * 1000)
    is_action = scenario.product == c.APPLICANT_ACTION
    applicant = call(
        "POST",
        f"/resources/applicants?levelName={c.DEFAULT_LEVEL}",
        {"externalUserId": f"trigger-{scenario.name}-{stamp}"},
        None if is_action else scenario.name,
    )
    ids: dict[str, Any] = {"applicantId": applicant["id"], "appToken": token, "tenant": token}
    grant: dict[str, Any] = {"userId": applicant["externalUserId"], "levelName": c.DEFAULT_LEVEL}
    if is_action:
        level, body = _action_request(scenario, f"trigger-{stamp}")
        action = call(
            "POST",
            f"/resources/applicantActions/-/forApplicant/{applicant['id']}?levelName={level}",
            body,
            scenario.name,
        )
        grant = {
            "userId": applicant["externalUserId"],
            "levelName": level,
            "externalActionId": action["externalActionId"],
        }
        ids["actionId"] = action["id"]
    call("POST", "/resources/accessTokens/sdk", grant)  # the hand-off: the person plays the scenario from here
    ids["grant"] = grant
    return ids


def resume(
    http: Any, run: Mapping[str, Any], created: Mapping[str, Any], record: Any, secret: str, wall: Callable[[], float]
) -> str | None:
    """A run whose person steps wait because nobody has the flow (the grant expired, or was never made):
    hand it over again with an access token. A person's own steps in ``interactive`` mode are not the
    client's part."""
    if run.get("handed_off", True) or not created.get("grant"):
        return None
    call = _signed_caller(http, record, created["tenant"], secret, wall)
    call("POST", "/resources/accessTokens/sdk", created["grant"])
    return f"handed the flow to the person again: an access token for {created['grant']['userId']}"


def _signed_caller(http: Any, record: Any, token: str, secret: str, wall: Callable[[], float]) -> Callable[..., dict]:
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

    return call


def _action_request(scenario: Scenario, external_action_id: str) -> tuple[str, dict[str, Any]]:
    """The level and body of the action the scenario's checks need (selfie, payment source or method)."""
    checks = {str(e.get("type")) for s in scenario.steps for e in s.args.get("checks", []) if isinstance(e, dict)}
    if checks & {c.CHECK_FACE_LIVELINESS, c.CHECK_FACE_MATCH}:
        return "selfie-action-level", {"externalActionId": external_action_id, "email": "applicant@example.com"}
    if c.CHECK_PAYMENT_SOURCE in checks:
        return "payment-source-level", {
            "externalActionId": external_action_id,
            "paymentSource": {
                "fixedInfo": {"type": "bankCard", "fullName": "John Doe", "accountIdentifier": "120834387"}
            },
        }
    return "payment-method-level", {
        "externalActionId": external_action_id,
        "paymentMethod": {
            "type": "bankCard",
            "subType": "VISA",
            "data": {"requiredIdDoc": {"firstName": "John", "lastName": "Doe", "txnAmount": "100"}},
        },
    }
