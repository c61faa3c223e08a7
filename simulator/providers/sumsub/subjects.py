"""Applicants and applicant actions as documents: how one is made, which documents (steps) it
requires, and what Sumsub reads off the documents uploaded for it.

The wire JSON plus private keys starting with ``_`` (the run, the uploaded images, oldest
first); :func:`~simulator.providers.sumsub.state.public` strips those. Every id, date and fake
value comes from the tenant's state.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from simulator.engine.fakedata import alpha3, passport_mrz
from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub.review import new_review
from simulator.providers.sumsub.state import SumsubState, fmt_created

# Applicants

IDENTITY_TYPES = ["PASSPORT", "ID_CARD", "DRIVERS", "RESIDENCE_PERMIT"]
DOC_SET_OF = {
    **dict.fromkeys(IDENTITY_TYPES, c.DOC_SET_IDENTITY),
    "SELFIE": c.DOC_SET_SELFIE,
    "VIDEO_SELFIE": c.DOC_SET_SELFIE,
    "UTILITY_BILL": "PROOF_OF_RESIDENCE",
    "UTILITY_BILL2": "PROOF_OF_RESIDENCE",
    "PAYMENT_METHOD": c.DOC_SET_PAYMENT_METHODS,
    "PAYMENT_SOURCE": c.DOC_SET_PAYMENT_METHODS,
    "BANK_CARD": c.DOC_SET_PAYMENT_METHODS,
    "BANK_STATEMENT": c.DOC_SET_PAYMENT_METHODS,
}
ID_DOC_TYPES = (
    *IDENTITY_TYPES,
    "UTILITY_BILL",
    "UTILITY_BILL2",
    "SELFIE",
    "VIDEO_SELFIE",
    "PROFILE_IMAGE",
    "ID_DOC_PHOTO",
    "AGREEMENT",
    "CONTRACT",
    "DRIVERS_TRANSLATION",
    "INVESTOR_DOC",
    "VEHICLE_REGISTRATION_CERTIFICATE",
    "INCOME_SOURCE",
    "PAYMENT_METHOD",
    "PAYMENT_SOURCE",
    "BANK_CARD",
    "BANK_STATEMENT",
    "COVID_VACCINATION_FORM",
    "ARBITRARY_DOC",
    "COMPANY_DOC",
    "POWER_OF_ATTORNEY",
    "TAX_RETURN",
    "RENTAL_AGREEMENT",
    "TRAVEL_PASSPORT",
    "OTHER",
)
APPLICANT_DOC_SETS = [
    {"idDocSetType": c.DOC_SET_IDENTITY, "types": IDENTITY_TYPES},
    {"idDocSetType": c.DOC_SET_SELFIE, "types": ["SELFIE"], "videoRequired": "passiveLiveness"},
]


def new_applicant(ctx: SumsubState, body: dict[str, Any], level: str, platform: str = "API") -> dict[str, Any]:
    fixed = dict(body.get("fixedInfo") or {})
    doc: dict[str, Any] = {
        "id": ctx.object_id(),
        "createdAt": fmt_created(ctx.now),
        "key": ctx.key(),
        "clientId": c.CLIENT_ID,
        "inspectionId": ctx.object_id(),
        "externalUserId": body["externalUserId"],
    }
    if body.get("sourceKey"):
        doc["sourceKey"] = body["sourceKey"]
    if fixed:
        doc["info"] = dict(fixed)
        doc["fixedInfo"] = fixed
    for field in ("email", "phone"):
        if body.get(field):
            doc[field] = body[field]
    doc.update(
        {
            "applicantPlatform": platform,
            "requiredIdDocs": {"docSets": [dict(s) for s in APPLICANT_DOC_SETS]},
            "review": new_review(ctx, level),
            "lang": body.get("lang") or "en",
            "type": body.get("type") or "individual",
        }
    )
    if body.get("metadata"):
        doc["metadata"] = body["metadata"]
    doc["_images"] = []  # ids of uploaded images, oldest first
    return doc


def fill_recognised_info(ctx: SumsubState, applicant: dict[str, Any]) -> None:
    """What Sumsub would read off the documents: a Faker person consistent with the country (the
    client's ``fixedInfo`` wins), and one ``idDocs`` entry per uploaded identity document."""
    info = applicant.setdefault("info", {})
    if info.get("idDocs"):
        return
    country = info.get("country") or "GBR"
    birth = info.get("dob")
    person = ctx.sim.fake.person(
        country,
        ctx.tenant,
        name=f"{info['firstName']} {info['lastName']}" if info.get("firstName") and info.get("lastName") else None,
        birth_date=date.fromisoformat(birth) if isinstance(birth, str) and _is_day(birth) else None,
        today=ctx.now.date(),
    )
    info.setdefault("firstName", person.first_names)
    info.setdefault("firstNameEn", person.first_names)
    info.setdefault("lastName", person.last_name)
    info.setdefault("lastNameEn", person.last_name)
    info.setdefault("dob", person.birth_date.strftime(c.DATE_DAY))
    info.setdefault("country", alpha3(country))
    info.setdefault("gender", person.gender)
    docs: list[dict[str, Any]] = []
    for image_id in applicant.get("_images", []):
        image = ctx.get(c.KIND_IMAGE, image_id)
        if image is None or image["idDocType"] not in IDENTITY_TYPES:
            continue
        if any(d["idDocType"] == image["idDocType"] for d in docs):
            continue  # both sides of one document
        number = ctx.sim.fake.document_number(ctx.tenant)
        valid_until = ctx.now.date() + timedelta(days=7 * 365)
        doc = {
            "idDocType": image["idDocType"],
            "country": image["country"],
            "firstName": info["firstName"],
            "firstNameEn": info["firstNameEn"],
            "lastName": info["lastName"],
            "lastNameEn": info["lastNameEn"],
            "validUntil": valid_until.strftime(c.DATE_DAY),
            "number": number,
            "dob": info["dob"],
        }
        if image["idDocType"] == "PASSPORT":
            holder = replace(
                person,
                first_names=info["firstName"],
                last_name=info["lastName"],
                birth_date=date.fromisoformat(info["dob"]) if _is_day(str(info["dob"])) else person.birth_date,
                country=image["country"],
            )
            doc["mrzLine1"], doc["mrzLine2"] = passport_mrz(holder, number, valid_until)
        docs.append(doc)
    if docs:
        info["idDocs"] = docs


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


# Applicant actions


def action_shape(body: dict[str, Any], level: str, action_type: str | None = None) -> tuple[str, list[dict]]:
    """The action ``type`` and the docSets it requires, from the body and the level's name."""
    if body.get("paymentSource") is not None:
        return c.ACTION_PAYMENT_METHOD, [{"idDocSetType": c.DOC_SET_PAYMENT_METHODS, "types": ["PAYMENT_SOURCE"]}]
    if body.get("paymentMethod") is not None or action_type == c.ACTION_PAYMENT_METHOD:
        return c.ACTION_PAYMENT_METHOD, [{"idDocSetType": c.DOC_SET_PAYMENT_METHODS, "types": ["PAYMENT_METHOD"]}]
    lowered = level.lower()
    if action_type in ("faceAuth", c.ACTION_SELFIE) or any(w in lowered for w in ("selfie", "face", "liveness")):
        return c.ACTION_SELFIE, [{"idDocSetType": c.DOC_SET_SELFIE, "types": ["SELFIE"]}]
    if action_type in ("cryptoTransaction", c.ACTION_CRYPTO) or body.get("currency"):
        return c.ACTION_CRYPTO, [{"idDocSetType": "QUESTIONNAIRE", "types": ["QUESTIONNAIRE"]}]
    if body.get("questionnaires"):
        return c.ACTION_QUESTIONNAIRE, [{"idDocSetType": "QUESTIONNAIRE", "types": ["QUESTIONNAIRE"]}]
    if "pay" in lowered or "card" in lowered:
        return c.ACTION_PAYMENT_METHOD, [{"idDocSetType": c.DOC_SET_PAYMENT_METHODS, "types": ["PAYMENT_METHOD"]}]
    return c.ACTION_SELFIE, [{"idDocSetType": c.DOC_SET_SELFIE, "types": ["SELFIE"]}]


def new_action(
    ctx: SumsubState, applicant: dict[str, Any], body: dict[str, Any], level: str, action_type: str | None = None
) -> dict[str, Any]:
    kind, doc_sets = action_shape(body, level, action_type)
    review = new_review(ctx, level)
    review.pop("priority")  # the action examples carry neither
    review.pop("reprocessing")
    doc: dict[str, Any] = {
        "id": ctx.object_id(),
        "createdAt": fmt_created(ctx.now),
        "key": ctx.key(),
        "clientId": c.CLIENT_ID,
        "externalActionId": body["externalActionId"],
        "applicantId": applicant["id"],
        "type": kind,
        "review": review,
        "requiredIdDocs": {"docSets": doc_sets},
    }
    if body.get("paymentMethod") is not None:
        doc["paymentMethod"] = body["paymentMethod"]
    if body.get("paymentSource") is not None:
        doc["paymentSource"] = {"id": ctx.uuid(), "createdAt": fmt_created(ctx.now), **body["paymentSource"]}
    for field in ("email", "phone", "questionnaires"):
        if body.get(field) is not None:
            doc[field] = body[field]
    if kind == c.ACTION_CRYPTO:
        doc["cryptoSourceOfFunds"] = {
            k: body[k] for k in ("currency", "direction", "txn", "address", "tokenId") if k in body
        }
    doc["_images"] = []
    return doc


def default_check_types(action: dict[str, Any]) -> list[str]:
    types = [t for s in action["requiredIdDocs"]["docSets"] for t in s["types"]]
    if "PAYMENT_SOURCE" in types:
        return [c.CHECK_PAYMENT_SOURCE]
    if "PAYMENT_METHOD" in types:
        return [c.CHECK_PAYMENT_METHOD]
    if "SELFIE" in types:
        return [c.CHECK_FACE_LIVELINESS, c.CHECK_FACE_MATCH]
    return []
