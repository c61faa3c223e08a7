"""Every error the API answers, in Checkout.com's envelope with a request id."""

from __future__ import annotations

import pytest

from simulator.providers.checkout.schemas import response_errors

KEY_HEADER = {"Authorization": "Bearer sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e"}


def test_malformed_json_is_400(client):
    response = client.post(
        "/identity-verifications",
        content=b'{"applicant_id": ',
        headers={**KEY_HEADER, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error_type"] == "invalid_request"
    assert response.json()["error_codes"] == ["request_body__invalid_json"]
    assert response.json()["request_id"] == response.headers["cko-request-id"]


def test_wrong_content_type_is_400(client):
    response = client.post(
        "/applicants",
        content=b"email=a@b.c",
        headers={**KEY_HEADER, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    assert response.json()["error_codes"] == ["content_type__invalid"]


def test_body_must_be_an_object(client):
    response = client.post("/identity-verifications", json=[1, 2], headers=KEY_HEADER)
    assert response.status_code == 400
    assert response.json()["error_codes"] == ["request_body__invalid"]


@pytest.mark.parametrize(
    ("body", "codes"),
    [
        ({}, ["applicant_id__required", "declared_data__required"]),
        (
            {"applicant_id": "nope", "declared_data": {"name": "A"}},
            ["applicant_id__invalid_format", "declared_data__name__invalid"],
        ),
        ({"applicant_id": "aplt_x", "declared_data": {"name": 12}}, ["declared_data__name__invalid"]),
        (
            {"applicant_id": "aplt_x", "declared_data": {"name": "Al Bo", "phone_number": {"country_code": "33"}}},
            [
                "declared_data__phone_number__number__required",
                "declared_data__phone_number__country_code__invalid_format",
            ],
        ),
        (
            {"applicant_id": "aplt_x", "declared_data": {"name": "Al Bo", "email": "nope"}},
            ["declared_data__email__invalid_format"],
        ),
        (
            {"applicant_id": "aplt_x", "declared_data": {"name": "Al Bo", "address": {"country": "FRA"}}},
            ["declared_data__address__country__invalid_format"],
        ),
        (
            {"applicant_id": "aplt_x", "declared_data": {"name": "Al Bo"}, "user_journey_id": "cnf_1"},
            ["user_journey_id__invalid"],
        ),  # the documented code, though a pattern decides it
    ],
)
def test_schema_violations_are_422(api, body, codes):
    response = api.call("POST", "/identity-verifications", json=body, status=422)
    assert response["error_type"] == "request_invalid"
    assert response["error_codes"] == codes


def test_attempt_validation(api):
    idv = api.idv()
    body = api.call(
        "POST",
        f"/identity-verifications/{idv['id']}/attempts",
        status=422,
        json={"client_information": {"pre_selected_document_type": "Library card"}},
    )
    assert body["error_codes"] == [
        "redirect_url__required",
        "client_information__pre_selected_document_type__invalid",
    ]
    body = api.call(
        "POST", f"/identity-verifications/{idv['id']}/attempts", status=422, json={"redirect_url": "not a url"}
    )
    assert body["error_codes"] == ["redirect_url__invalid_format"]


def test_create_and_open_validation(api):
    body = api.call("POST", "/create-and-open-idv", json={"declared_data": {"name": "Al Bo"}}, status=422)
    assert body["error_codes"] == ["redirect_url__required"]


def test_unknown_ids_are_404(api):
    idv = api.idv()
    for path in (
        "/identity-verifications/idv_tkoi5db4hryu5cei5vwoabr7we",
        "/identity-verifications/idv_tkoi5db4hryu5cei5vwoabr7we/attempts",
        f"/identity-verifications/{idv['id']}/attempts/iatp_tkoi5db4hryu5cei5vwoabrpoq",
        f"/identity-verifications/{idv['id']}/attempts/iatp_tkoi5db4hryu5cei5vwoabrpoq/assets",
        "/workflows/events/evt_tkoi5db4hryu5cei5vwoabr7we",
    ):
        api.call("GET", path, status=404)
    body = api.call("GET", f"/identity-verifications/{idv['id']}/attempts/iatp_x", status=404)
    assert body["error_codes"] == ["attempt_not_found"]


def test_unknown_route_and_method_use_the_envelope(api):
    assert api.call("GET", "/no-such-resource", status=404)["error_type"] == "resource_not_found"
    assert api.call("DELETE", "/applicants/aplt_x", status=405)["error_type"] == "method_not_allowed"


def test_conflict_envelope(api):
    idv = api.idv(scenario="idv-refused")
    api.attempt(idv["id"])
    api.advance(60)
    body = api.attempt(idv["id"], status=409)
    assert not response_errors("error.response", body)
    assert body["error_codes"] == ["identity_verification_status_invalid"]


def test_a_scenario_header_for_another_product_is_422(api):
    applicant = api.applicant()
    body = api.call(
        "POST",
        "/identity-verifications",
        status=422,
        headers={"X-KycSim-Scenario": "fa-approved"},
        json={"applicant_id": applicant["id"], "declared_data": {"name": "Al Bo"}},
    )
    assert body["error_codes"] == ["x_kycsim_scenario__invalid"]


def test_an_unknown_scenario_header_is_refused_by_kycsim_with_close_names(api):
    applicant = api.applicant()
    headers = {"X-KycSim-Scenario": "idv-aproved", "Authorization": f"Bearer {api.key}"}
    response = api.client.post("/identity-verifications", headers=headers, json={"applicant_id": applicant["id"]})
    body = response.json()
    assert response.status_code == 400 and body["error"]["type"] == "unknown_scenario"
    assert body["error"]["close_names"][0] == "idv-approved"
    assert "did you mean 'idv-approved'" in body["error"]["message"]
    journal = api.client.get("/_sim/requests", params={"path": "/identity-verifications"}).json()["data"]
    assert journal[0]["status"] == 400 and "did you mean 'idv-approved'" in journal[0]["warnings"][0]


def test_request_ids_differ_and_are_deterministic(make_api):
    def ids(api):
        return [
            api.client.get("/applicants/aplt_x", headers={"Authorization": f"Bearer {api.key}"}).headers[
                "cko-request-id"
            ]
            for _ in range(3)
        ]

    first, second = ids(make_api()), ids(make_api())
    assert len(set(first)) == 3
    assert first == second
