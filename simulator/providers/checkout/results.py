"""What a finished check found, made with Faker: the document read, the verified identity, the face,
the address document, and the device the applicant used on the hosted flow.

Consistent with what the applicant declared (name, birth date) and with the country the
attempt pre-selected (or the declared address), so a client that cross-checks the verified
identity against its own data sees what a real approval looks like. A ``62401``
(declared identity mismatch) decline reads somebody else's name on purpose. :data:`BUILDERS`
and :data:`ANONYMIZERS` say, per product, what the lifecycle fills in and takes out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from simulator.engine.fakedata import passport_mrz
from simulator.providers.checkout import constants as c
from simulator.providers.checkout.state import State

ADDRESS_DOCUMENT_TYPES = ("Utility bill", "Bank statement", "Tax notice", "Phone bill")
MRZ_DOCUMENTS = ("Passport", "ID", "Residence Permit", "Travel Document")


def document_country(check: dict[str, Any], attempt: dict[str, Any] | None) -> str:
    info = (attempt or {}).get("client_information") or {}
    address = (check.get("declared_data") or {}).get("address") or {}
    country = (
        info.get("pre_selected_document_issuing_country")
        or info.get("pre_selected_residence_country")
        or address.get("country")
        or "GB"
    )
    return str(country).upper()


def declared_gender(fake: Any, first_names: str) -> str | None:
    """``M``/``F`` when the locale's name lists know the first name (so "Hannah" is not read as M)."""
    first = first_names.split()[0] if first_names else ""
    for female, male in _name_lists(fake):
        in_female, in_male = first in female, first in male
        if in_female != in_male:
            return "F" if in_female else "M"
    return None


@lru_cache(maxsize=64)  # one Faker per locale: looked up once, not on every check (a miss raises inside getattr)
def _name_lists(fake: Any) -> tuple[tuple[Any, Any], ...]:
    """The (female, male) first-name lists of each of ``fake``'s providers that has both."""
    found = []
    for provider in fake.providers:
        female = getattr(provider, "first_names_female", None)
        male = getattr(provider, "first_names_male", None)
        if female is not None and male is not None:
            found.append((female, male))
    return tuple(found)


def identity_results(state: State, check: dict, attempt: dict, result: str, codes: list[int]) -> None:
    """Fill ``documents``, ``face`` and ``verified_identity`` of an IDV whose checks just ended."""
    sim, tenant = state.sim, state.tenant
    declared = check.get("declared_data") or {}
    today = sim.clock.now(tenant).date()
    mismatch = 62401 in codes
    birth_date = None
    if declared.get("birth_date") and not mismatch:
        birth_date = date.fromisoformat(declared["birth_date"])
    country = document_country(check, attempt)
    person = sim.fake.person(
        country, tenant, name=None if mismatch else declared.get("name"), birth_date=birth_date, today=today
    )
    fake = sim.fake.faker(country, tenant)
    gender = declared_gender(fake, person.first_names)
    if gender is not None and gender != person.gender:
        person = replace(person, gender=gender)
    document_type = ((attempt.get("client_information") or {}).get("pre_selected_document_type")) or "Passport"
    number = sim.fake.document_number(tenant)
    issued = today - timedelta(days=fake.random_int(200, 3000))
    expiry = issued + timedelta(days=3652)
    if 62101 in codes:  # document_expired
        expiry = today - timedelta(days=fake.random_int(10, 400))
        issued = expiry - timedelta(days=3652)
    document: dict[str, Any] = {
        "document_type": document_type,
        "document_issuing_country": person.country,
        "full_name": f"{person.first_names} {person.last_name.upper()}",
        "first_names": person.first_names,
        "last_name": person.last_name.upper(),
        "birth_date": person.birth_date.isoformat(),
        "birth_place": person.birth_place,
        "nationality": person.country,
        "gender": person.gender,
        "document_number": number,
        "document_expiry_date": expiry.isoformat(),
        "document_issue_date": issued.isoformat(),
        "document_issue_place": fake.city(),
    }
    if document_type in MRZ_DOCUMENTS:
        document["document_mrz"] = "\n".join(passport_mrz(person, number, expiry))
    check["documents"] = [document]
    check["verified_identity"] = {
        "full_name": f"{person.first_names} {person.last_name}",
        "first_names": person.first_names,
        "last_name": person.last_name,
        "birth_date": person.birth_date.isoformat(),
        "birth_place": person.birth_place,
        "nationality": person.country,
        "gender": person.gender,
    }
    check["_media_token"] = attempt["_media_token"]
    check["_result_attempt_id"] = attempt["id"]
    if result not in (c.APPROVED, c.DECLINED):
        check["documents"] = []


def anonymize_identity(check: dict[str, Any]) -> None:
    for key in ("declared_data", "verified_identity"):
        check.pop(key, None)
    check["documents"] = []
    check.pop("_media_token", None)


def face_results(state: State, check: dict, attempt: dict, result: str, codes: list[int]) -> None:
    """The new face the applicant recorded (kept even when declined, as the API shows it)."""
    check["_media_token"] = attempt["_media_token"]
    check["_result_attempt_id"] = attempt["id"]


def anonymize_face(check: dict[str, Any]) -> None:
    check.pop("_media_token", None)


def id_document_results(state: State, check: dict, attempt: dict, result: str, codes: list[int]) -> None:
    """The single ``document`` read from the upload, consistent with the declared data."""
    two_sided = "document_back_image" in (attempt.get("_assets") or {})
    country = attempt.get("_document_issuing_country") or document_country(check, None)
    proxy = {
        **attempt,
        "client_information": {
            "pre_selected_document_type": attempt.get("_document_type") or ("ID" if two_sided else "Passport"),
            "pre_selected_document_issuing_country": str(country).upper(),
        },
    }
    identity_results(state, check, proxy, result, codes)
    read = check.pop("documents", None) or []
    check.pop("verified_identity", None)
    if read:
        check["document"] = read[0]


def address_document_results(state: State, check: dict, attempt: dict, result: str, codes: list[int]) -> None:
    """The ``address_document`` read from the upload: issuer, names, issue date, address."""
    sim, tenant = state.sim, state.tenant
    declared = check.get("declared_data") or {}
    country = document_country(check, None)
    fake = sim.fake.faker(country, tenant)
    name = declared.get("name") if 62401 not in codes else None
    if not name:
        name = sim.fake.person(country, tenant, today=sim.clock.now(tenant).date()).full_name
    today = sim.clock.now(tenant).date()
    issued = today - timedelta(days=fake.random_int(5, 80))
    if 62101 in codes:  # too old to prove a current address
        issued = today - timedelta(days=fake.random_int(400, 900))
    check["address_document"] = {
        "document_type": ADDRESS_DOCUMENT_TYPES[fake.random_int(0, len(ADDRESS_DOCUMENT_TYPES) - 1)],
        "issuer": fake.company()[:100],
        "full_names": [name],
        "issue_date": issued.isoformat(),
        "address": {
            "address_line1": fake.street_address()[:250],
            "city": fake.city()[:50],
            "zip": fake.postcode()[:50],
            "country": country,
        },
    }
    check["_media_token"] = attempt["_media_token"]
    check["_result_attempt_id"] = attempt["id"]


def anonymize_document(check: dict[str, Any]) -> None:
    for key in ("declared_data", "document", "address_document", "_media_token"):
        check.pop(key, None)


def session_information(state: State, attempt: dict) -> dict[str, Any]:
    """What the hosted flow learns about the applicant's device when the link is opened."""
    fake = state.faker("GB")
    info = attempt.get("client_information") or {}
    selected = {
        "country": info.get("pre_selected_document_issuing_country")
        or info.get("pre_selected_residence_country")
        or "GB",
        "document_type": info.get("pre_selected_document_type") or "Passport",
    }
    session = {
        "ip_address": fake.ipv4_public(),
        "number_of_sessions": 1,
        "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Mobile Safari/537.36",
        "initial_device": "mobile",
        "selected_documents": [selected],
    }
    if attempt.get("_product") == c.FA:  # a face authentication shows no document
        del session["selected_documents"]
    return session


# product -> fn(state, check, attempt, result, codes): fills documents, face, ... when the checks end
BUILDERS: dict[str, Callable[[State, dict, dict, str, list[int]], None]] = {
    c.IDV: identity_results,
    c.FA: face_results,
    c.IDDV: id_document_results,
    c.ADV: address_document_results,
}
# product -> fn(check): removes the personal data the check holds
ANONYMIZERS: dict[str, Callable[[dict], None]] = {
    c.IDV: anonymize_identity,
    c.FA: anonymize_face,
    c.IDDV: anonymize_document,
    c.ADV: anonymize_document,
}
