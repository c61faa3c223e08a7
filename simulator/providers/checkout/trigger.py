"""``kycsim trigger`` for Checkout.com: the calls a client makes to start a scenario of any product, and
the merchant's part where a scenario waits for it (a new attempt, an AML case resolved).

Face Authentication and AML Screening need an applicant approved by an identity verification first:
the trigger makes one (``idv-approved``) and moves its own tenant's clock until it is approved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from simulator.engine.scenarios.model import Scenario
from simulator.providers.checkout import constants as c
from simulator.providers.checkout.aml_screenings import CASE_RESOLVED_SIGNAL
from simulator.providers.checkout.lifecycle import NEW_ATTEMPT_SIGNAL
from simulator.providers.checkout.media import document_png
from simulator.providers.checkout.uploads import Upload

KEY = "sk_sbox_kycsimtriggerkycsimtriggerkycs"  # the tenant triggers use unless told another
DECLARED = {"name": "Hannah Bret", "birth_date": "1994-10-15"}
REDIRECT = "https://example.com/done"
USER_JOURNEY = "usj_kycsimtriggerkycsimtrigger"  # FA, IDDV and ADV require a configuration id
PATHS = {
    c.IDV: "/identity-verifications",
    c.FA: "/face-authentications",
    c.IDDV: "/id-document-verifications",
    c.ADV: "/address-document-verifications",
    c.AML: "/aml-verifications",
}
UPLOAD_FIELD = {c.IDDV: "document_front", c.ADV: "document"}
CASE_DECISION = "approved"  # how the trigger resolves an AML case a scenario waits on


class _Client:
    """The simulator, as a merchant with secret key ``key``; each call is recorded for the timeline."""

    def __init__(self, http: Any, key: str, record: Callable[[str, Any], None]) -> None:
        self.http, self.key, self.record = http, key, record

    def call(self, method: str, path: str, body: dict, scenario: str | None = None) -> dict:
        headers = {"Authorization": f"Bearer {self.key}"}
        if scenario:
            headers[c.SCENARIO_HEADER] = scenario
        response = self.http.request(method, path, json=body, headers=headers)
        self.record(f"{method} {path}", {"status": response.status_code, "body": response.json()})
        response.raise_for_status()
        return response.json()

    def control(self, path: str, body: dict) -> dict:
        """A ``/_sim`` call (the http client carries the control token, if any)."""
        response = self.http.post(path, json=body)
        self.record(f"POST {path}", {"status": response.status_code, "body": response.json()})
        response.raise_for_status()
        return response.json()


def start(http: Any, scenario: Scenario, record: Any, key: str | None = None) -> dict[str, Any]:
    """Create the applicant, the check playing ``scenario`` and its first attempt; returns their ids."""
    if scenario.product not in PATHS:
        raise NotImplementedError(f"checkout cannot trigger {scenario.product} scenarios")
    client = _Client(http, key or KEY, record)
    applicant = client.call(
        "POST", "/applicants", {"email": "trigger@example.com", "external_applicant_name": "Hannah Bret"}
    )
    ids: dict[str, Any] = {"tenant": client.key, "applicant_id": applicant["id"]}
    product, path = scenario.product, PATHS[scenario.product]
    if product in (c.FA, c.AML):
        _approve_identity(client, applicant["id"])
    if product == c.AML:
        screening = {
            "applicant_id": applicant["id"],
            "monitored": True,
            "search_parameters": {"configuration_identifier": "kycsim-trigger"},
        }
        ids["aml_verification_id"] = client.call("POST", path, screening, scenario.name)["id"]
        return ids
    body: dict[str, Any] = {"applicant_id": applicant["id"]}
    if product != c.FA:
        body["declared_data"] = DECLARED
    if product != c.IDV:
        body["user_journey_id"] = USER_JOURNEY
    check = client.call("POST", path, body, scenario.name)
    attempt = _new_attempt(client, product, check["id"])
    ids.update({f"{product}_id": check["id"], "attempt_id": attempt["id"]})
    if "_links" in attempt and "verification_url" in attempt["_links"]:
        ids["verification_url"] = attempt["_links"]["verification_url"]["href"]
    return ids


def resume(http: Any, run: Mapping[str, Any], created: Mapping[str, Any], record: Any) -> str | None:
    """The merchant's part the run waits for, done; returns what was done, or None if it is not the merchant's."""
    subject = run.get("subject") or {}
    product, check_id = subject.get("product"), subject.get("check_id")
    if product not in PATHS or not check_id:
        return None
    client = _Client(http, created.get("tenant") or KEY, record)
    if run.get("waiting_for") == NEW_ATTEMPT_SIGNAL and product != c.AML:
        attempt = _new_attempt(client, product, check_id)
        return f"created a new attempt {attempt['id']} (POST {PATHS[product]}/{check_id}/attempts)"
    if run.get("waiting_for") == CASE_RESOLVED_SIGNAL and product == c.AML:
        client.control(f"/_sim/checkout/aml-verifications/{check_id}/resolve", {"decision": CASE_DECISION})
        return f"resolved the AML case as {CASE_DECISION} (POST /_sim/checkout/aml-verifications/{check_id}/resolve)"
    return None


def _new_attempt(client: _Client, product: str, check_id: str) -> dict:
    """An attempt as the client makes one: a redirect for the hosted flows, an upload for the document checks."""
    path = f"{PATHS[product]}/{check_id}/attempts"
    if product in UPLOAD_FIELD:
        image = Upload("document", "image/png", document_png({"last_name": "BRET"}, "front", check_id))
        return client.call("POST", path, {UPLOAD_FIELD[product]: image.data_url()})
    return client.call("POST", path, {"redirect_url": REDIRECT})


def _approve_identity(client: _Client, applicant_id: str) -> None:
    """The prerequisite: an approved identity verification, ten virtual minutes on this tenant's clock."""
    body = {"applicant_id": applicant_id, "declared_data": DECLARED}
    idv = client.call("POST", PATHS[c.IDV], body, "idv-approved")
    _new_attempt(client, c.IDV, idv["id"])
    client.control("/_sim/clock/advance", {"seconds": 600, "tenant": client.key})
