"""Checkout.com's response codes, checked against an independent copy of the provider's table.

``tests/facts/checkout_response_codes.csv`` is copied from Checkout.com's (ubble's) documents, not
from ``simulator/``. Every code in it is checked three ways: kycsim's table has it with the same
summary, status and products; every scenario of every product is played through the HTTP API and
each ``{"code", "summary"}`` kycsim renders (check bodies, attempt bodies, webhooks) is compared
with the table, together with the check status it comes with; and the sandbox's magic
``external_applicant_id`` values lead to the documented status for every code they accept.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from starlette.testclient import TestClient

from simulator.providers.checkout import constants as c
from simulator.providers.checkout import response_codes as rc
from tests.facts import checkout_response_codes
from tests.providers.checkout.conftest import Api, make_app
from tests.providers.checkout.products_helpers import (
    JPEG,
    PATHS,
    create_document_check,
    create_fa,
    data_url,
    fa_attempt,
    verified_applicant,
)

FACTS = checkout_response_codes()
# Rows of Checkout.com's May 2025 codes page whose number and summary were lost; kycsim numbers
# them by position. Each must stay deprecated (no product's normal flow produces it).
UNNUMBERED_ROWS = {61204: "The applicant switched tabs or applications during the flow."}
# kycsim product -> the table's column(s) for it; the certified IDV column counts for IDV.
COLUMNS = {c.IDV: {"idv", "cidv"}, c.FA: {"fa"}, c.IDDV: {"iddv"}}
KYCSIM_PRODUCT_OF_COLUMN = {"idv": c.IDV, "cidv": c.CERTIFIED_IDV, "fa": c.FA, "iddv": c.IDDV, "wbv": "website"}
PATH_OF = {c.IDV: "/identity-verifications", c.FA: "/face-authentications", **PATHS}
UPLOAD_FIELD = {c.IDDV: "document_front", c.ADV: "document"}


def documented_for(product: str, *, either_table: bool = True) -> set[int]:
    """Codes the provider's table gives ``product`` (ADV has no column: it may use IDDV's document codes)."""
    columns = COLUMNS[c.IDDV if product == c.ADV else product]
    return {
        code
        for code, fact in FACTS.items()
        if columns & (fact.any_products if either_table else fact.products) and not fact.deprecated
    }


# 1. kycsim's code table against the provider's


def test_kycsim_knows_every_documented_code_and_no_other():
    assert set(rc.RESPONSE_CODES) - set(UNNUMBERED_ROWS) == set(FACTS)
    for code, description in UNNUMBERED_ROWS.items():
        assert code not in FACTS
        assert rc.RESPONSE_CODES[code].deprecated and rc.RESPONSE_CODES[code].description == description


@pytest.mark.parametrize("code", sorted(FACTS))
def test_each_code_has_the_documented_summary_status_and_products(code):
    fact, mine = FACTS[code], rc.RESPONSE_CODES[code]
    assert mine.as_json() == fact.as_json() == rc.response_code(code)
    assert mine.status in fact.statuses
    assert set(mine.alt_summaries) == ({fact.summary_2025} if fact.summary_2025 else set())
    assert mine.deprecated == fact.deprecated
    # Every product the newest table ticks, and none that neither table ticks. kycsim has no
    # website verification: a shared code (10000) need not list it.
    required = {KYCSIM_PRODUCT_OF_COLUMN[p] for p in fact.products}
    if fact.products != {"wbv"}:
        required.discard("website")
    kycsim_products = set(mine.applies_to) - {c.ADV}
    assert required <= kycsim_products <= {KYCSIM_PRODUCT_OF_COLUMN[p] for p in fact.any_products}, code


def test_address_documents_use_only_codes_documented_for_identity_documents():
    # The table has no column for address document verification; kycsim borrows IDDV's codes.
    assert set(rc.upload_codes(c.ADV)) <= documented_for(c.ADV)


# 2. What kycsim renders, played through the API


def _new_attempt(api: Api, product: str, check_id: str) -> None:
    if product == c.IDV:
        api.attempt(check_id)
    elif product == c.FA:
        fa_attempt(api, check_id)
    else:
        headers = {"Authorization": f"Bearer {api.key}"}
        body = {UPLOAD_FIELD[product]: data_url(JPEG)}
        response = api.client.post(f"{PATH_OF[product]}/{check_id}/attempts", json=body, headers=headers)
        assert response.status_code == 201, response.text


def _create(api: Api, product: str, name: str, applicant_id: str) -> dict:
    if product == c.IDV:
        return api.idv(applicant_id, scenario=name)
    if product == c.FA:
        return create_fa(api, applicant_id, scenario=name)
    return create_document_check(api, product, applicant_id, scenario=name)


def _play(api: Api, product: str, name: str, applicant_id: str) -> list[tuple[str, str, dict]]:
    """(where, check status or None, code object) for every code rendered while ``name`` plays."""
    check = _create(api, product, name, applicant_id)
    path = f"{PATH_OF[product]}/{check['id']}"
    seen: list[tuple[str, str | None, dict]] = []

    def look() -> dict:
        body = api.call("GET", path)
        seen.extend(("check body", body["status"], rc) for rc in body["response_codes"])
        return body

    _new_attempt(api, product, check["id"])
    for _ in range(4):
        api.advance(2 * 86400)
        body = look()
        attempts = api.call("GET", f"{path}/attempts?limit=100")["data"]
        if body["status"] != c.RETRY_REQUIRED or len(attempts) > 1:
            break
        _new_attempt(api, product, check["id"])
    api.advance(2 * 86400)
    look()
    for attempt in api.call("GET", f"{path}/attempts?limit=100")["data"]:
        seen.extend(("attempt body", None, rc) for rc in attempt["response_codes"])
    events = api.client.get("/_sim/webhooks/events", params={"resource": check["id"]}).json()["data"]
    for event in events:
        data = json.loads(event["body"])["data"]
        seen.extend((f"webhook {event['type']}", data["status"], rc) for rc in data.get("response_codes", []))
    return seen


@pytest.fixture(scope="module")
def rendered() -> dict[str, dict[int, list[tuple[str, str, str | None, dict]]]]:
    """product -> code -> (scenario, where, status, code object) for every code every scenario rendered."""
    out: dict[str, dict[int, list]] = {}
    with TestClient(make_app()) as client:
        api = Api(client)
        applicant_id = verified_applicant(api)
        catalogue = api.sim.catalogue
        for product in (c.IDV, c.FA, c.IDDV, c.ADV):
            by_code: dict[int, list] = defaultdict(list)
            for scenario in sorted(s.name for s in catalogue.for_product("checkout", product)):
                for where, status, shown in _play(api, product, scenario, applicant_id):
                    by_code[shown["code"]].append((scenario, where, status, shown))
            out[product] = dict(by_code)
    return out


@pytest.mark.parametrize("product", [c.IDV, c.FA, c.IDDV, c.ADV])
def test_every_rendered_code_has_the_documented_summary_and_status(rendered, product):
    for code, sightings in rendered[product].items():
        assert code in FACTS or code in UNNUMBERED_ROWS, f"{product} renders {code}, which no document lists"
        for scenario, where, status, shown in sightings:
            context = f"{product} {scenario}: {where}"
            if code in UNNUMBERED_ROWS:
                assert shown == {"code": code, "summary": rc.RESPONSE_CODES[code].summary}, context
                continue
            assert shown == FACTS[code].as_json(), context
            assert status is None or status in FACTS[code].statuses, f"{context}: {code} with status {status}"


@pytest.mark.parametrize("product", [c.IDV, c.FA, c.IDDV, c.ADV])
def test_every_documented_code_of_a_product_is_rendered_by_a_scenario(rendered, product):
    # ADV has no column in the table: its codes are kycsim's choice, each an IDDV code (checked above).
    expected = set(rc.upload_codes(c.ADV)) if product == c.ADV else documented_for(product, either_table=False)
    assert expected - set(rendered[product]) == set(), "documented codes no scenario renders"
    deprecated = {code for code, fact in FACTS.items() if fact.deprecated} | set(UNNUMBERED_ROWS)
    assert set(rendered[product]) - deprecated <= documented_for(product), "codes the table does not give this product"


def test_deprecated_codes_are_still_rendered_for_integrations_that_handle_them(rendered):
    deprecated = {code for code, fact in FACTS.items() if fact.deprecated}
    assert deprecated == {61205, 61315, 61414}
    assert deprecated <= set(rendered[c.IDV])


# 3. The sandbox's magic values lead to the documented status


def _magic(code_text: str) -> str:
    return f"eaplt_{code_text}".ljust(32, "0")


@pytest.fixture(scope="module")
def sandbox() -> Api:
    with TestClient(make_app()) as client:
        yield Api(client)


def _play_magic(api: Api, external_applicant_id: str) -> list[dict]:
    applicant = api.applicant(external_applicant_id=external_applicant_id)
    idv = api.idv(applicant["id"])
    api.attempt(idv["id"])
    api.advance(3600)
    first = api.get_idv(idv["id"])
    results = [first]
    if first["status"] == c.RETRY_REQUIRED:
        api.attempt(idv["id"])
        api.advance(3600)
        results.append(api.get_idv(idv["id"]))
    return results


FINAL_CODES = sorted(
    code
    for code, fact in FACTS.items()
    if fact.statuses & {c.APPROVED, c.DECLINED} and fact.any_products & {"idv", "cidv"}
)
RETRY_CODES = sorted(
    code
    for code, fact in FACTS.items()
    if fact.statuses == {c.RETRY_REQUIRED} and fact.any_products & {"idv", "cidv"} and 61000 <= code < 62000
)


@pytest.mark.parametrize("code", FINAL_CODES)
def test_a_magic_final_code_ends_in_its_documented_status(sandbox, code):
    (result,) = _play_magic(sandbox, _magic(str(code)))
    assert result["status"] in FACTS[code].statuses
    assert result["response_codes"] == [FACTS[code].as_json()]


@pytest.mark.parametrize("code", RETRY_CODES)
@pytest.mark.parametrize("how", ["A", "I"])
def test_a_magic_retry_code_asks_for_a_retry_then_approves(sandbox, code, how):
    first, second = _play_magic(sandbox, _magic(f"{code}{how}10000"))
    assert first["status"] in FACTS[code].statuses
    assert first["response_codes"] == [FACTS[code].as_json()]
    assert second["status"] == c.APPROVED and second["response_codes"] == [FACTS[10000].as_json()]
