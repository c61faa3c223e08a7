"""Shortcuts for the FA, IDDV, ADV and AML tests, on top of the conftest's ``Api``."""

from __future__ import annotations

import base64
from typing import Any

from simulator.providers.checkout.schemas import response_errors

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(64))
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
GIF = b"GIF89a" + bytes(range(32))
PATHS = {
    "id_document_verification": "/id-document-verifications",
    "address_document_verification": "/address-document-verifications",
}


def data_url(data: bytes, media: str = "image/jpeg") -> str:
    return f"data:{media};base64,{base64.b64encode(data).decode()}"


def verified_applicant(api: Any, **fields: Any) -> str:
    """An applicant approved by an identity verification (IDV happy path on the manual clock)."""
    applicant = api.applicant(**({"email": "hannah.bret@example.com"} | fields))
    idv = api.idv(applicant["id"], scenario="idv-approved")
    api.attempt(idv["id"])
    api.advance(600)
    assert api.get_idv(idv["id"])["status"] == "approved"
    return applicant["id"]


def scenario_header(scenario: str | None) -> dict[str, str] | None:
    return {"X-KycSim-Scenario": scenario} if scenario else None


def create_fa(api: Any, applicant_id: str, scenario: str | None = None, status: int = 201, **fields: Any) -> dict:
    body = {"applicant_id": applicant_id, "user_journey_id": "usj_tkoi5db4hryu5cei5vwoabr7we", **fields}
    schema = "face_authentication.response" if status == 201 else None
    return api.call(
        "POST", "/face-authentications", json=body, status=status, schema=schema, headers=scenario_header(scenario)
    )


def fa_attempt(api: Any, fa_id: str, status: int = 201, **fields: Any) -> dict:
    body = {"redirect_url": "https://merchant.example.com/back", **fields}
    schema = "face_authentication.attempt.response" if status == 201 else None
    return api.call("POST", f"/face-authentications/{fa_id}/attempts", json=body, status=status, schema=schema)


def get_fa(api: Any, fa_id: str) -> dict:
    return api.call("GET", f"/face-authentications/{fa_id}", schema="face_authentication.response")


def create_document_check(
    api: Any, product: str, applicant_id: str | None = None, scenario: str | None = None, **fields: Any
) -> dict:
    applicant_id = applicant_id or api.applicant()["id"]
    body = {
        "applicant_id": applicant_id,
        "user_journey_id": "usj_tkoi5db4hryu5cei5vwoabr7we",
        "declared_data": {"name": "Hannah Bret", "birth_date": "1994-10-15"},
        **fields,
    }
    return api.call(
        "POST", PATHS[product], json=body, status=201, schema=f"{product}.response", headers=scenario_header(scenario)
    )


def get_document_check(api: Any, product: str, check_id: str) -> dict:
    return api.call("GET", f"{PATHS[product]}/{check_id}", schema=f"{product}.response")


def upload(api: Any, product: str, check_id: str, *, status: int = 201, **kwargs: Any) -> Any:
    """POST an attempt with ``json=`` or ``files=``/``data=``; checks the status and the body's schema."""
    response = api.client.post(
        f"{PATHS[product]}/{check_id}/attempts", headers={"Authorization": f"Bearer {api.key}"}, **kwargs
    )
    assert response.status_code == status, response.text
    body = response.json()
    if status == 201:
        assert not response_errors(f"{product}.attempt.response", body)
    else:
        assert not response_errors("error.response", body)
    return body


def create_aml(api: Any, applicant_id: str, scenario: str | None = None, status: int = 201, **fields: Any) -> dict:
    body = {
        "applicant_id": applicant_id,
        "search_parameters": {"configuration_identifier": "011e5c14-2222-738c-8852-dfdbbe53f233"},
        **fields,
    }
    schema = "aml_screening.response" if status == 201 else None
    return api.call(
        "POST", "/aml-verifications", json=body, status=status, schema=schema, headers=scenario_header(scenario)
    )


def get_aml(api: Any, aml_id: str) -> dict:
    return api.call("GET", f"/aml-verifications/{aml_id}", schema="aml_screening.response")
