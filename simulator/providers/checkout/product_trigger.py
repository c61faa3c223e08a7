"""``kycsim trigger`` for Face Authentication, ID/Address Document Verification and AML Screening.

The calls a client makes to start a scenario of these products. Face authentication and AML
screening need an applicant approved by an identity verification first: the trigger makes one
(``idv-approved``) and moves its own tenant's clock until it is approved.
"""

from __future__ import annotations

from typing import Any

from simulator.engine.scenarios.model import Scenario
from simulator.providers.checkout import constants as c
from simulator.providers.checkout.media import document_png
from simulator.providers.checkout.uploads import Upload

DECLARED = {"name": "Hannah Bret", "birth_date": "1994-10-15"}
REDIRECT = "https://example.com/done"
USER_JOURNEY = "usj_kycsimtriggerkycsimtrigger"  # FA, IDDV and ADV require a configuration id
PATHS = {c.IDDV: "/id-document-verifications", c.ADV: "/address-document-verifications"}
UPLOAD_FIELD = {c.IDDV: "document_front", c.ADV: "document"}


def trigger(http: Any, scenario: Scenario, record: Any, key: str) -> dict[str, Any]:
    if scenario.product not in (c.FA, c.IDDV, c.ADV, c.AML):
        raise NotImplementedError(f"checkout cannot trigger {scenario.product} scenarios")
    headers = {"Authorization": f"Bearer {key}"}
    chosen = {c.SCENARIO_HEADER: scenario.name}

    def call(method: str, path: str, body: dict, extra: dict | None = None) -> dict:
        response = http.request(method, path, json=body, headers={**headers, **(extra or {})})
        record(f"{method} {path}", {"status": response.status_code, "body": response.json()})
        response.raise_for_status()
        return response.json()

    applicant = call("POST", "/applicants", {"email": "trigger@example.com", "external_applicant_name": "Hannah Bret"})
    ids: dict[str, Any] = {"tenant": key, "applicant_id": applicant["id"]}
    if scenario.product in (c.FA, c.AML):
        _approve_identity(http, call, applicant["id"], key, record)
    if scenario.product == c.FA:
        check = call(
            "POST", "/face-authentications", {"applicant_id": applicant["id"], "user_journey_id": USER_JOURNEY}, chosen
        )
        attempt = call("POST", f"/face-authentications/{check['id']}/attempts", {"redirect_url": REDIRECT})
        ids.update(face_authentication_id=check["id"], attempt_id=attempt["id"],
                   verification_url=attempt["_links"]["verification_url"]["href"])  # fmt: skip
    elif scenario.product == c.AML:
        body = {"applicant_id": applicant["id"], "monitored": True,
                "search_parameters": {"configuration_identifier": "kycsim-trigger"}}  # fmt: skip
        ids["aml_verification_id"] = call("POST", "/aml-verifications", body, chosen)["id"]
    else:
        path = PATHS[scenario.product]
        body = {"applicant_id": applicant["id"], "user_journey_id": USER_JOURNEY, "declared_data": DECLARED}
        check = call("POST", path, body, chosen)
        image = Upload("document", "image/png", document_png({"last_name": "BRET"}, "front", check["id"]))
        attempt = call("POST", f"{path}/{check['id']}/attempts", {UPLOAD_FIELD[scenario.product]: image.data_url()})
        ids.update({f"{scenario.product}_id": check["id"], "attempt_id": attempt["id"]})
    return ids


def _approve_identity(http: Any, call: Any, applicant_id: str, key: str, record: Any) -> None:
    """The prerequisite: an approved identity verification, ten virtual minutes on this tenant's clock."""
    body = {"applicant_id": applicant_id, "declared_data": DECLARED}
    idv = call("POST", "/identity-verifications", body, {c.SCENARIO_HEADER: "idv-approved"})
    call("POST", f"/identity-verifications/{idv['id']}/attempts", {"redirect_url": REDIRECT})
    response = http.post("/_sim/clock/advance", json={"seconds": 600, "tenant": key})
    record("POST /_sim/clock/advance", {"status": response.status_code, "body": response.json()})
    response.raise_for_status()
