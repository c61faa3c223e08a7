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
    journal = api.client.get("/_sim/requests", params={"path": "/identity-verifications"}).json()["data"]
    assert journal[0]["status"] == 422 and "fa-approved" in journal[0]["warnings"][0], "the journal says why"


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


# The status a body that breaks the schema gets, per endpoint, as the API reference lists them (fact
# sheet §3.0): the applicant endpoints document 400 only, the check endpoints 422.
@pytest.mark.parametrize(
    ("method", "path", "body", "status", "error_type", "codes"),
    [
        ("POST", "/applicants", {"email": 7}, 400, "invalid_request", ["email__invalid"]),
        ("PATCH", "/applicants/{applicant}", {"email": 7}, 400, "invalid_request", ["email__invalid"]),
        (
            "POST",
            "/identity-verifications/{idv}/attempts",
            {"redirect_url": 7},
            422,
            "request_invalid",
            ["redirect_url__invalid"],
        ),
    ],
)
def test_a_body_that_breaks_the_schema_gets_the_documented_status(api, method, path, body, status, error_type, codes):
    idv = api.idv()
    answer = api.call(method, path.format(applicant=idv["applicant_id"], idv=idv["id"]), json=body, status=status)
    assert (answer["error_type"], answer["error_codes"]) == (error_type, codes)


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        (
            "/identity-verifications/{idv}/attempts",
            {"redirect_url": "https://merchant.example.com/back", "phone_number": {"country_code": 33, "number": "6"}},
            "phone_number__country_code__invalid",
        ),
        (
            "/identity-verifications",
            {"declared_data": {"name": "Al Bo", "phone_number": {"country_code": 33, "number": "6"}}},
            "declared_data__phone_number__country_code__invalid",
        ),
    ],
)
def test_the_documented_phone_number_code(api, path, body, code):
    """``phone_number__country_code__invalid`` is one of the API standard's documented examples (fact sheet
    §2.4): a wrong value inside an object that may also be null names the field, not the whole object."""
    idv = api.idv()
    body = {"applicant_id": idv["applicant_id"], **body} if path == "/identity-verifications" else body
    answer = api.call("POST", path.format(idv=idv["id"]), json=body, status=422)
    assert answer["error_codes"] == [code]


class SdkResponse:
    """What ``checkout_sdk``'s ``CheckoutApiException`` reads of a ``requests`` response, from an httpx one."""

    def __init__(self, response) -> None:
        self.status_code, self.reason, self.headers = response.status_code, response.reason_phrase, response.headers
        self.text, self.json = response.text, response.json


def sdk_error(response):
    from checkout_sdk.exception import CheckoutApiException

    return CheckoutApiException(SdkResponse(response))


@pytest.mark.parametrize(
    ("method", "path", "headers", "body", "status", "error_type"),
    [
        ("POST", "/identity-verifications", KEY_HEADER, {}, 422, "request_invalid"),
        ("POST", "/applicants", KEY_HEADER, {"email": "nope"}, 400, "invalid_request"),
        ("GET", "/applicants/aplt_tkoi5db4hryu5cei5vwoabr7we", KEY_HEADER, None, 404, "resource_not_found"),
        ("DELETE", "/applicants/aplt_tkoi5db4hryu5cei5vwoabr7we", KEY_HEADER, None, 405, "method_not_allowed"),
        ("GET", "/applicants/aplt_tkoi5db4hryu5cei5vwoabr7we", {}, None, 401, None),
        ("GET", "/applicants/aplt_tkoi5db4hryu5cei5vwoabr7we", {"Authorization": "Bearer nope"}, None, 401, None),
    ],
)
def test_the_official_sdk_reads_every_error(client, method, path, headers, body, status, error_type):
    """The Python SDK takes ``request_id``, ``error_type`` and ``error_codes`` from the body and falls
    back to the ``Cko-Request-Id`` header (fact sheet §2.2): a 401 has no body, only the header."""
    response = client.request(method, path, headers=headers, json=body)
    error = sdk_error(response)
    assert error.http_metadata.status_code == status
    assert error.request_id and error.request_id == response.headers["cko-request-id"]
    assert error.error_type == error_type
    if status == 401:
        assert response.content == b"" and error.error_details is None
    else:
        assert error.error_details and error.error_details == response.json()["error_codes"]


def test_an_unexpected_failure_is_a_500_in_the_envelope(api, monkeypatch):
    """A bug in a handler answers 500 (a documented status) in Checkout.com's envelope with the call's
    request id, never a traceback, and the journal files it under Checkout.com."""
    from simulator.providers.checkout import applicants

    applicant = api.applicant()

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(applicants, "render", broken)
    response = api.client.get(f"/applicants/{applicant['id']}", headers=KEY_HEADER)
    assert response.status_code == 500
    body = response.json()
    assert body == {
        "request_id": response.headers["cko-request-id"],
        "error_type": "internal_server_error",
        "error_codes": ["internal_server_error"],
    }
    assert not response_errors("error.response", body)
    error = sdk_error(response)
    assert (error.http_metadata.status_code, error.error_type) == (500, "internal_server_error")
    journal = api.client.get("/_sim/requests", params={"path": f"/applicants/{applicant['id']}"}).json()["data"]
    assert journal[0]["status"] == 500 and journal[0]["provider"] == "checkout"


def test_routing_errors_are_filed_under_checkout(api):
    """An unknown path or method reaches no operation, yet the journal files it under Checkout.com, whose
    envelope answered it (the console and ``GET /_sim/requests?provider=`` group by it)."""
    api.call("GET", "/no-such-resource", status=404)
    api.call("DELETE", "/applicants/aplt_x", status=405)
    journal = api.client.get("/_sim/requests").json()["data"]
    assert [(e["status"], e["provider"]) for e in journal[:2]] == [(405, "checkout"), (404, "checkout")]


@pytest.mark.parametrize(
    ("status", "error_type", "codes", "answered"),
    [
        (404, "resource_not_found", ["resource_not_found"], 404),
        (405, "method_not_allowed", ["method_not_allowed"], 405),
        (413, "request_entity_too_large", ["request_body__too_large"], 413),
        (400, "invalid_request", ["request_body__invalid"], 400),
        (499, "invalid_request", ["request_body__invalid"], 400),
        (500, "internal_server_error", ["internal_server_error"], 500),
        (503, "internal_server_error", ["internal_server_error"], 500),
    ],
)
def test_every_status_the_server_may_raise_gets_the_envelope(status, error_type, codes, answered):
    """Starlette raises 404 and 405 for routing; any other 4xx it might raise (``HTTPException``) still
    answers in the envelope: a 413 exactly as an oversized body does (test_robustness), others as the
    400 ``invalid_request`` of a malformed request, anything else as a 500."""
    from simulator.providers.checkout.errors import CheckoutError

    error = CheckoutError.for_status(status, "from the server")
    assert error.status == answered
    assert error.envelope("rid") == {"request_id": "rid", "error_type": error_type, "error_codes": codes}


def test_a_tenants_request_ids_do_not_depend_on_other_traffic(make_api, monkeypatch):
    """Request ids flow from the seed, per tenant: another tenant's calls and anonymous ones (bad keys,
    unknown routes) in between change none of a tenant's ids, for answers, errors and even a hosted page
    that fails."""
    from simulator.providers.checkout import hosted
    from tests.providers.checkout.conftest import OTHER_KEY, Api

    def request_ids(noise: bool) -> list[str]:
        api = make_api()
        idv = api.idv()
        url = api.attempt(idv["id"])["_links"]["verification_url"]["href"]
        if noise:
            Api(api.client, OTHER_KEY).applicant()
            api.client.get("/no-such-resource")
            api.client.get("/applicants/aplt_x", headers={"Authorization": "Bearer nope"})
        answers = [
            api.client.get(f"/identity-verifications/{idv['id']}", headers=KEY_HEADER),
            api.client.get("/applicants/aplt_x", headers=KEY_HEADER),
        ]
        with monkeypatch.context() as patch:
            patch.setattr(hosted, "_snapshot", lambda *args: 1 / 0)
            answers.append(api.client.get(url.removeprefix("http://testserver")))
        assert [a.status_code for a in answers] == [200, 404, 500]
        return [a.headers["cko-request-id"] for a in answers]

    quiet = request_ids(noise=False)
    assert len(set(quiet)) == 3
    assert request_ids(noise=True) == quiet


def test_every_call_draws_one_request_id_whatever_its_answer(make_api):
    """A tenant's n-th call has the same request id whether the calls before it succeeded or failed: an
    error answers with the id its call drew, it draws no other."""

    def request_ids(second: tuple[str, str, dict | None]) -> list[str]:
        api = make_api()
        applicant = api.applicant()
        method, path, body = second
        calls = [
            (method, path.format(applicant=applicant["id"]), body),
            ("GET", f"/applicants/{applicant['id']}", None),
        ]
        return [api.client.request(m, p, json=b, headers=KEY_HEADER).headers["cko-request-id"] for m, p, b in calls]

    answered = request_ids(("GET", "/applicants/{applicant}", None))
    assert request_ids(("GET", "/applicants/aplt_x", None)) == answered  # 404
    assert request_ids(("POST", "/identity-verifications", {})) == answered  # 422
    assert request_ids(("PATCH", "/applicants/{applicant}", {"email": 7})) == answered  # 400


def test_a_body_that_is_no_object_gets_one_code_wherever_it_is_found():
    """The pipeline refuses a JSON body that is no object before validating it (``request_body__invalid``,
    test_body_must_be_an_object); a schema violation of the whole body gets that same code."""
    from simulator.providers.checkout.errors import CheckoutError
    from simulator.providers.checkout.schemas import REGISTRY

    errors = REGISTRY.errors("identity_verification.create.request", [1, 2])
    assert errors and CheckoutError.invalid(None, "identity_verification.create.request", errors).error_codes == [
        "request_body__invalid"
    ]
