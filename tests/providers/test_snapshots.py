"""Request/response snapshots: one bundled scenario per product, played through the API.

Each script runs on a fresh simulator with a fixed seed, start time and manual clock, and records
every request, its status, headers and response bytes, then every webhook body (with the signature
the provider's profile puts on it). The files in ``snapshots/`` were recorded before the providers
moved onto the shared toolkit; a refactor must keep them byte for byte. A change of behaviour that
is meant updates them on purpose: ``KYCSIM_UPDATE_SNAPSHOTS=1 pytest tests/providers/test_snapshots.py``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from simulator.app import create_app
from simulator.engine.webhooks.endpoints import Endpoint
from simulator.settings import Settings
from tests.providers.sumsub.support import SumsubAuth

FOLDER = Path(__file__).with_name("snapshots")
UPDATE = os.environ.get("KYCSIM_UPDATE_SNAPSHOTS") == "1"
KEY = "sk_sbox_snapshotsnapshotsnapshotsnaps"
OTHER = "sk_sbox_othersnapshotothersnapshototh"
JOURNEY = "usj_tkoi5db4hryu5cei5vwoabr7we"
TEXT_TYPES = ("application/json", "text/", "application/problem+json")
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


class Recorder:
    """A client that writes down every exchange as it happens."""

    def __init__(self, client: TestClient, headers: dict[str, str] | None = None, auth: Any = None) -> None:
        self.client, self.headers, self.auth = client, headers or {}, auth
        self.log: list[dict[str, Any]] = []

    @property
    def sim(self) -> Any:
        return self.client.app.state.sim

    def __call__(self, method: str, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        sent = {**self.headers, **(headers or {})}
        extra = {"auth": self.auth} if self.auth is not None else {}
        response = self.client.request(method, path, headers=sent, **extra, **kwargs)
        entry: dict[str, Any] = {"request": f"{method} {path}"}
        shown = {k: v for k, v in (headers or {}).items() if k.lower() != "authorization"}
        if shown:
            entry["request_headers"] = shown
        for key in ("json", "content", "data"):
            if key in kwargs:
                entry[f"request_{key}"] = _shown(kwargs[key])
        if "files" in kwargs:
            entry["request_files"] = sorted(kwargs["files"])
        entry["status"] = response.status_code
        entry["headers"] = [[k, v] for k, v in response.headers.multi_items()]
        entry["body"] = _body(response)
        self.log.append(entry)
        try:
            return response.json()
        except ValueError:
            return None

    def advance(self, seconds: float, tenant: str | None = None) -> None:
        body: dict[str, Any] = {"seconds": seconds, **({"tenant": tenant} if tenant else {})}
        response = self.client.post("/_sim/clock/advance", json=body)
        assert response.status_code == 200, response.text
        self.log.append({"advance": seconds, **({"tenant": tenant} if tenant else {})})


def _shown(value: Any) -> Any:
    if isinstance(value, bytes):
        return _digest(value) if len(value) > 200 else value.decode("latin-1")
    return value


def _digest(data: bytes) -> str:
    return f"sha256:{hashlib.sha256(data).hexdigest()} ({len(data)} bytes)"


def _body(response: httpx.Response) -> str:
    content_type = response.headers.get("content-type", "")
    if not response.content:
        return ""
    if content_type.startswith(TEXT_TYPES):
        return response.content.decode("utf-8")
    return _digest(response.content)


def webhooks(sim: Any) -> list[dict[str, Any]]:
    found = []
    for event in sim.dispatcher.events:
        profile = sim.dispatcher.profiles[event.provider]
        options = {"alg": "HMAC_SHA256_HEX"} if event.provider == "sumsub" else {"authorization": "Bearer hook"}
        endpoint = Endpoint(
            id="snapshot", provider=event.provider, url="http://receiver.invalid/", secret="s3cret", options=options
        )
        found.append(
            {
                "id": event.id,
                "type": event.type,
                "tenant": event.tenant,
                "resource": event.resource,
                "scenario": event.scenario,
                "created_at": event.created_at,
                "signature": profile.sign(event.body, endpoint),
                "body": event.body.decode(),
            }
        )
    return found


def make_client() -> TestClient:
    settings = Settings(seed=20250101, speed="manual", start_time="2025-01-01T00:00:00Z")
    return TestClient(create_app(settings))


# Checkout.com


def checkout(client: TestClient) -> Recorder:
    return Recorder(client, {"Authorization": f"Bearer {KEY}"})


def approved_applicant(api: Recorder) -> str:
    """An applicant with an approved identity verification (what FA and AML need)."""
    applicant = api("POST", "/applicants", json={"email": "hannah@example.com", "external_applicant_name": "Hannah"})
    body = {"applicant_id": applicant["id"], "declared_data": {"name": "Hannah Bret", "birth_date": "1994-10-15"}}
    idv = api("POST", "/identity-verifications", json=body, headers={"X-KycSim-Scenario": "idv-approved"})
    api("POST", f"/identity-verifications/{idv['id']}/attempts", json={"redirect_url": "https://example.com/back"})
    api.advance(600)
    return applicant["id"]


def script_checkout_idv(client: TestClient) -> Recorder:
    api = checkout(client)
    applicant = api(
        "POST",
        "/applicants",
        json={
            "email": "hannah+idv@example.com",
            "external_applicant_name": "Hannah Bret",
            "external_applicant_id": "ext_123",
        },
    )
    aid = applicant["id"]
    api("GET", f"/applicants/{aid}")
    api("PATCH", f"/applicants/{aid}", json={"email": "hannah.bret@example.com"})
    body = {"applicant_id": aid, "declared_data": {"name": "Hannah Bret", "birth_date": "1994-10-15"}}
    idv = api("POST", "/identity-verifications", json=body, headers={"X-KycSim-Scenario": "idv-approved"})
    path = f"/identity-verifications/{idv['id']}"
    attempt = api(
        "POST",
        f"{path}/attempts",
        json={"redirect_url": "https://example.com/back", "client_information": {"pre_selected_document_type": "ID"}},
    )
    api("POST", f"{path}/attempts", json={"redirect_url": "javascript:alert(1)"})
    api("GET", path)
    api.advance(10)
    api("GET", f"{path}/attempts/{attempt['id']}")
    api.advance(60)
    api.advance(30)
    api("GET", path)
    api("GET", f"{path}/attempts")
    api("GET", f"{path}/attempts?skip=0&limit=1")
    api("GET", f"{path}/attempts?limit=1000")
    assets = api("GET", f"{path}/attempts/{attempt['id']}/assets")
    api("GET", f"{path}/pdf-report")
    api.advance(5)
    report = api("GET", f"{path}/pdf-report")
    api("GET", report["pdf_report"].removeprefix("http://testserver"))
    api("GET", assets["data"][0]["_links"]["asset_url"]["href"].removeprefix("http://testserver"))
    api("POST", f"{path}/attempts", json={"redirect_url": "https://example.com/back"})
    first_event = api.sim.dispatcher.events[0].id
    api("GET", f"/workflows/events/{first_event}")
    api("POST", f"{path}/anonymize")
    api("GET", path)
    api("POST", f"/applicants/{aid}/anonymize")
    api("PATCH", f"/applicants/{aid}", json={"email": "again@example.com"})
    opened = api(
        "POST",
        "/create-and-open-idv",
        json={"declared_data": {"name": "Ada Lovelace"}, "redirect_url": "https://example.com/done"},
    )
    api("GET", f"/identity-verifications/{opened['id']}")
    # Errors: routing, auth, bodies, validation, unknown ids, other tenants.
    api("GET", "/applicants/aplt_doesnotexist")
    api("GET", f"/applicants/{aid}", headers={"Authorization": f"Bearer {OTHER}"})
    api("GET", f"/applicants/{aid}", headers={"Authorization": "Bearer pk_sbox_public"})
    api("GET", f"/applicants/{aid}", headers={"Authorization": ""})
    api("DELETE", f"/applicants/{aid}")
    api("GET", "/no/such/path")
    api("POST", "/applicants", content=b"email=x", headers={"Content-Type": "application/x-www-form-urlencoded"})
    api("POST", "/applicants", content=b"{not json", headers={"Content-Type": "application/json"})
    api("POST", "/applicants", content=b"[1, 2]", headers={"Content-Type": "application/json"})
    api("POST", "/applicants", json={"email": "not-an-email", "external_applicant_name": 5})
    api("POST", "/applicants", content=b'{"a": ' * 40 + b"1" + b"}" * 40, headers={"Content-Type": "application/json"})
    api(
        "POST",
        "/applicants",
        content=b'{"email": "' + b"x" * 1_100_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    api("POST", "/identity-verifications", json={"applicant_id": aid})
    api("POST", "/identity-verifications", json={"applicant_id": "aplt_unknown", "declared_data": {"name": "A"}})
    api(
        "POST",
        "/identity-verifications",
        json={"applicant_id": aid, "declared_data": {"name": "A"}, "user_journey_id": "usj_bad"},
    )
    api("GET", "/identity-verifications/idv_unknown/attempts/iatp_unknown")
    api("GET", f"{path}/attempts?skip=-1")
    api("POST", "/connect/token", data={"grant_type": "client_credentials", "client_id": "ck", "client_secret": "s"})
    api("POST", "/connect/token", data={"grant_type": "password"})
    return api


def script_checkout_fa(client: TestClient) -> Recorder:
    api = checkout(client)
    applicant_id = approved_applicant(api)
    api("POST", "/face-authentications", json={"applicant_id": applicant_id})
    check = api(
        "POST",
        "/face-authentications",
        json={"applicant_id": applicant_id, "user_journey_id": JOURNEY},
        headers={"X-KycSim-Scenario": "fa-approved"},
    )
    path = f"/face-authentications/{check['id']}"
    attempt = api("POST", f"{path}/attempts", json={"redirect_url": "https://example.com/fa"})
    api.advance(10)
    api("GET", f"{path}/attempts/{attempt['id']}")
    api.advance(30)
    api.advance(20)
    api("GET", path)
    api("GET", f"{path}/attempts")
    api("GET", f"{path}/attempts/{attempt['id']}/assets")
    api("POST", f"{path}/anonymize")
    api("GET", path)
    fresh = api("POST", "/applicants", json={"email": "nobody@example.com"})
    api("POST", "/face-authentications", json={"applicant_id": fresh["id"], "user_journey_id": JOURNEY})
    return api


def _document_script(client: TestClient, collection: str, scenario: str, field: str) -> Recorder:
    api = checkout(client)
    applicant = api("POST", "/applicants", json={"email": "doc@example.com"})
    body = {
        "applicant_id": applicant["id"],
        "user_journey_id": JOURNEY,
        "declared_data": {"name": "Hannah Bret", "birth_date": "1994-10-15"},
    }
    check = api("POST", collection, json=body, headers={"X-KycSim-Scenario": scenario})
    path = f"{collection}/{check['id']}"
    api("POST", f"{path}/attempts", json={})
    api("POST", f"{path}/attempts", json={field: "data:image/gif;base64,R0lGODlh"})
    attempt = api("POST", f"{path}/attempts", files={field: ("front.png", PNG, "image/png")})
    api("GET", path)
    api.advance(5)
    api("GET", f"{path}/attempts/{attempt['id']}")
    api.advance(30)
    api.advance(5)
    api("GET", path)
    api("GET", f"{path}/attempts")
    assets = api("GET", f"{path}/attempts/{attempt['id']}/assets")
    api("GET", assets["data"][0]["_links"]["asset_url"]["href"].removeprefix("http://testserver"))
    report = api("GET", f"{path}/pdf-report")
    api("GET", report["pdf_report"].removeprefix("http://testserver"))
    api("POST", f"{path}/attempts", json={field: "data:image/png;base64," + base64.b64encode(PNG).decode()})
    api("POST", f"{path}/anonymize")
    api("GET", path)
    return api


def script_checkout_iddv(client: TestClient) -> Recorder:
    return _document_script(client, "/id-document-verifications", "iddv-approved", "document_front")


def script_checkout_adv(client: TestClient) -> Recorder:
    return _document_script(client, "/address-document-verifications", "adv-approved", "document")


def script_checkout_aml(client: TestClient) -> Recorder:
    api = checkout(client)
    applicant_id = approved_applicant(api)
    body = {"applicant_id": applicant_id, "monitored": True, "search_parameters": {"configuration_identifier": "cfg"}}
    api("POST", "/aml-verifications", json={"applicant_id": applicant_id})
    screening = api("POST", "/aml-verifications", json=body, headers={"X-KycSim-Scenario": "aml-review-approved"})
    path = f"/aml-verifications/{screening['id']}"
    api("GET", path)
    api.advance(5)
    api.advance(60)
    api("GET", path)
    api("POST", f"/_sim/checkout{path}/resolve", json={"decision": "maybe"})
    api("POST", f"/_sim/checkout{path}/resolve", json={"decision": "declined"})
    api("GET", path)
    api("POST", f"/_sim/checkout{path}/status", json={"status": "approved"})
    api("POST", f"/_sim/checkout{path}/monitoring-alert", json={"alerts": 2})
    api("POST", f"/_sim/checkout{path}/monitoring-alert", json={"alerts": 0})
    api("POST", "/_sim/checkout/aml-verifications/amlv_unknown/resolve", json={"decision": "approved"})
    api.advance(86400)
    api("GET", path)
    api("GET", "/aml-verifications/amlv_unknown")
    return api


# Sumsub


def sumsub(client: TestClient) -> Recorder:
    return Recorder(client, auth=SumsubAuth())


def _upload(api: Recorder, path: str, id_doc_type: str, name: str, data: bytes = PNG, **meta: Any) -> Any:
    metadata = json.dumps({"idDocType": id_doc_type, "country": "GBR", **meta})
    return api("POST", path, files={"metadata": (None, metadata), "content": (name, data, "image/png")})


def script_sumsub_applicant(client: TestClient) -> Recorder:
    api = sumsub(client)
    body = {"externalUserId": "user-1", "email": "user@example.com", "fixedInfo": {"country": "GBR"}}
    applicant = api(
        "POST",
        "/resources/applicants?levelName=basic-kyc-level",
        json=body,
        headers={"X-KycSim-Scenario": "applicant-approved"},
    )
    aid = applicant["id"]
    api("POST", f"/resources/applicants/{aid}/status/pending")
    _upload(api, f"/resources/applicants/{aid}/info/idDoc", "PASSPORT", "passport.png")
    _upload(api, f"/resources/applicants/{aid}/info/idDoc", "PASSPORT", "passport-again.png")
    _upload(api, f"/resources/applicants/{aid}/info/idDoc", "SELFIE", "selfie.png", data=PNG + b"\0")
    _upload(api, f"/resources/applicants/{aid}/info/idDoc", "SELFIE", "bad.bin", data=b"not an image")
    api("GET", f"/resources/applicants/{aid}/requiredIdDocsStatus")
    api("POST", f"/resources/applicants/{aid}/status/pending?reason=docs")
    api("POST", f"/resources/applicants/{aid}/status/pending")
    api("GET", f"/resources/applicants/{aid}/status")
    api.advance(10)
    api.advance(5)
    api.advance(5)
    api.advance(30)
    one = api("GET", f"/resources/applicants/{aid}/one")
    api("GET", "/resources/applicants/-;externalUserId=user-1/one")
    api("GET", f"/resources/applicants/{aid}/status")
    api("GET", f"/resources/applicants/{aid}/requiredIdDocsStatus")
    image = next(v for e in api.log for k, v in e.get("headers", ()) if k == "x-image-id")
    api("GET", f"/resources/inspections/{one['inspectionId']}/resources/{image}")
    api(
        "POST",
        f"/resources/applicants/{aid}/status/testCompleted",
        json={"reviewAnswer": "RED", "rejectLabels": ["FORGERY"]},
    )
    api("POST", f"/resources/applicants/{aid}/reset")
    api("GET", f"/resources/applicants/{aid}/one")
    api("POST", "/resources/accessTokens/sdk", json={"userId": "user-1", "levelName": "basic-kyc-level"})
    api("POST", "/resources/accessTokens?userId=user-2&levelName=basic-kyc-level&ttlInSecs=600")
    api(
        "POST",
        "/resources/sdkIntegrations/levels/-/websdkLink",
        json={"levelName": "basic-kyc-level", "userId": "user-3"},
    )
    api("POST", "/resources/sdkIntegrations/levels/basic-kyc-level/websdkLink?externalUserId=user-4", json={})
    # Errors: auth, bodies, validation, unknown ids.
    api("POST", "/resources/applicants?levelName=basic-kyc-level", json={"externalUserId": "user-1"})
    api("POST", "/resources/applicants", json={"externalUserId": "user-5"})
    api("POST", "/resources/applicants?levelName=x", json={"email": "no-user-id@example.com"})
    api("POST", "/resources/applicants?levelName=x", content=b"a=b", headers={"Content-Type": "text/plain"})
    api("POST", "/resources/applicants?levelName=x", content=b"{oops", headers={"Content-Type": "application/json"})
    api("POST", "/resources/applicants?levelName=x", content=b"[]", headers={"Content-Type": "application/json"})
    api("POST", "/resources/applicants?levelName=x", content=b"", headers={"Content-Type": "application/json"})
    api("GET", "/resources/applicants/not-an-id/one")
    api("GET", "/resources/applicants/0123456789abcdef01234567/one")
    api("GET", "/resources/applicants/-;nobody=1/one")
    api("DELETE", f"/resources/applicants/{aid}/one")
    api("GET", "/resources/nothing-here")
    unsigned = Recorder(client)
    unsigned("GET", f"/resources/applicants/{aid}/one")
    unsigned(
        "GET",
        f"/resources/applicants/{aid}/one",
        headers={"X-App-Token": "sbx:unknown.token", "X-App-Access-Ts": "1", "X-App-Access-Sig": "x"},
    )
    unsigned("GET", "/resources/status/api")
    api.log.extend(unsigned.log)
    return api


def script_sumsub_action(client: TestClient) -> Recorder:
    api = sumsub(client)
    applicant = api("POST", "/resources/applicants?levelName=basic-kyc-level", json={"externalUserId": "buyer"})
    aid = applicant["id"]
    payment = {
        "type": "bankCard",
        "subType": "VISA",
        "data": {"requiredIdDoc": {"firstName": "John", "lastName": "Doe", "txnAmount": "100"}},
    }
    base = f"/resources/applicantActions/-/forApplicant/{aid}"
    api("POST", f"{base}?levelName=payment-method-level", json={"externalActionId": "a-0"})
    action = api(
        "POST",
        f"{base}?levelName=payment-method-level",
        json={"externalActionId": "a-1", "paymentMethod": payment},
        headers={"X-KycSim-Scenario": "action-approved"},
    )
    api("POST", f"{base}?levelName=payment-method-level", json={"externalActionId": "a-1", "paymentMethod": payment})
    act = action["id"]
    api("POST", f"/resources/applicantActions/{act}/review/status/pending")
    _upload(api, f"/resources/applicantActions/{act}/images", "PAYMENT_METHOD", "card.png")
    api("POST", f"/resources/applicantActions/{act}/paymentMethod", json=payment)
    api("POST", f"/resources/applicantActions/{act}/review/status/pending")
    api.advance(5)
    api.advance(5)
    api.advance(20)
    done = api("GET", f"/resources/applicantActions/{act}/one")
    api("GET", f"/resources/applicantActions/{act}/images/{done['images'][0]['imageId']}")
    api("GET", f"/resources/applicantActions/-;applicantId={aid}")
    api("GET", f"/resources/applicantActions/-;applicantId={aid}?limit=1&offset=0&order=-createdAt")
    api("GET", f"/resources/api/applicantActions/{act}/checks/latest")
    api("GET", f"/resources/api/applicantActions/{act}/checks/latest?type=PAYMENT_METHOD")
    api("GET", f"/resources/api/applicantActions/{act}/checks/latest?type=NOPE")
    api(
        "POST",
        f"{base}/paymentMethod",
        json={"type": "bankCard", "subType": "VISA"},
        headers={"X-External-Action-Id": "a-2"},
    )
    api("POST", f"{base}/", json={"externalActionId": "a-3", "paymentSource": {"fixedInfo": {"type": "bankCard"}}})
    api("POST", f"{base}/unknownType", json={}, headers={"X-External-Action-Id": "a-4"})
    api("GET", "/resources/applicantActions/0123456789abcdef01234567/one")
    api("GET", "/resources/applicantActions/-;applicantId=")
    api("GET", f"/resources/applicantActions/-;applicantId={aid}?limit=x")
    return api


SCRIPTS: dict[str, Callable[[TestClient], Recorder]] = {
    "checkout-identity_verification": script_checkout_idv,
    "checkout-face_authentication": script_checkout_fa,
    "checkout-id_document_verification": script_checkout_iddv,
    "checkout-address_document_verification": script_checkout_adv,
    "checkout-aml_screening": script_checkout_aml,
    "sumsub-applicant": script_sumsub_applicant,
    "sumsub-applicant_action": script_sumsub_action,
}


def played(name: str) -> dict[str, Any]:
    with make_client() as client:
        api = SCRIPTS[name](client)
        return {"exchanges": api.log, "webhooks": webhooks(api.sim)}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_the_api_answers_byte_for_byte_as_recorded(name):
    path = FOLDER / f"{name}.json"
    got = json.dumps(played(name), indent=1, ensure_ascii=False) + "\n"
    if UPDATE or not path.exists():
        FOLDER.mkdir(exist_ok=True)
        path.write_text(got)
        if not UPDATE:
            pytest.fail(f"{path.name} did not exist: recorded it; run again")
    expected = path.read_text()
    if got != expected:  # the first differing exchange, readable, instead of a wall of JSON
        want, have = json.loads(expected), json.loads(got)
        for section in ("exchanges", "webhooks"):
            for i, (a, b) in enumerate(zip(want[section], have[section], strict=False)):
                assert b == a, f"{section}[{i}] differs"
            assert len(have[section]) == len(want[section]), f"{section}: {len(have[section])} != {len(want[section])}"
    assert got == expected


def test_a_script_played_twice_gives_the_same_bytes():
    """The snapshots are only worth something if the recording itself is deterministic."""
    assert played("checkout-aml_screening") == played("checkout-aml_screening")
    assert played("sumsub-applicant_action") == played("sumsub-applicant_action")
