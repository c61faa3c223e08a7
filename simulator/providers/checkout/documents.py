"""Faker-made results of a finished check: the document read, the verified identity, the face.

Consistent with what the applicant declared (name, birth date) and with the country the
attempt pre-selected (or the declared address), so a client that cross-checks the verified
identity against its own data sees what a real approval looks like. A ``62401``
(declared identity mismatch) decline reads somebody else's name on purpose.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from simulator.engine.fakedata import passport_mrz
from simulator.providers.checkout import constants as c
from simulator.providers.checkout.state import State

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
    for provider in fake.providers:
        female = getattr(provider, "first_names_female", None)
        male = getattr(provider, "first_names_male", None)
        if female is None or male is None:
            continue
        in_female, in_male = first in female, first in male
        if in_female != in_male:
            return "F" if in_female else "M"
    return None


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
