"""The ``checks[]`` of a reviewed applicant action (section 3.3), with Faker-made card data.

Rule kept from the docs: when liveness fails, face match is not performed, so a non-GREEN
FACE_LIVELINESS check drops any FACE_MATCH check.
"""

from __future__ import annotations

from typing import Any

from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub.state import SumsubState, fmt_created
from simulator.providers.sumsub.subjects import default_check_types

BRANDS = ("VISA", "MASTERCARD", "AMEX", "MAESTRO")


def planned_checks(action: dict[str, Any], answer: str, explicit: list[dict[str, Any]] | None) -> list[tuple[str, str]]:
    """(checkType, answer) pairs: the scenario's own, or the action type's defaults."""
    if explicit:
        return explicit_checks(answer, explicit)
    pairs = [(t, _default_answer(answer)) for t in default_check_types(action)]
    if answer == c.RED and pairs[:1] and pairs[0][0] == c.CHECK_FACE_LIVELINESS and len(pairs) > 1:
        pairs = [(c.CHECK_FACE_LIVELINESS, c.GREEN), (c.CHECK_FACE_MATCH, c.RED)]
    return _liveness_rule(pairs)


def explicit_checks(answer: str, explicit: list[dict[str, Any]] | None) -> list[tuple[str, str]]:
    """The checks a review step names, each answered as it says (else as the review), after the liveness rule."""
    return _liveness_rule([(str(e["type"]), str(e.get("answer", _default_answer(answer)))) for e in explicit or ()])


def _default_answer(answer: str) -> str:
    return {c.GREEN: c.GREEN, c.RED: c.RED}.get(answer, c.ERROR)


def _liveness_rule(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A failed liveness check means no face match is performed."""
    liveness = dict(pairs).get(c.CHECK_FACE_LIVELINESS)
    if liveness is not None and liveness != c.GREEN:
        return [p for p in pairs if p[0] != c.CHECK_FACE_MATCH]
    return pairs


def bin_info(ctx: SumsubState, country: str, brand: str | None = None) -> dict[str, Any]:
    fake = ctx.sim.fake.faker("GB", ctx.tenant)
    return {
        "brand": brand or fake.random_element(BRANDS),
        "issuer": f"{fake.last_name()} Bank",
        "type": fake.random_element(("debit", "credit")),
        "country": country,
        "virtual": fake.boolean(chance_of_getting_true=10),
        "prepaid": fake.boolean(chance_of_getting_true=15),
    }


def risk_info(ctx: SumsubState, answer: str, country: str, brand: str | None = None) -> dict[str, Any]:
    rng = ctx.sim.ids.rng(ctx.tenant)
    score = rng.uniform(0.01, 0.3) if answer == c.GREEN else rng.uniform(0.6, 0.99)
    return {"riskScore": round(score, 2), "binInfo": bin_info(ctx, country, brand)}


def build_checks(
    ctx: SumsubState, action: dict[str, Any], applicant: dict[str, Any], pairs: list[tuple[str, str]]
) -> None:
    """Write ``checks`` (and the per-source details) onto ``action``."""
    now = fmt_created(ctx.now)
    attempt = action["review"]["attemptId"]
    country = (applicant.get("info") or {}).get("country") or "GBR"
    images = [int(i) for i in action.get("_images", []) if str(i).isdigit()] or [
        ctx.sim.ids.integer(10**8, 2 * 10**9, ctx.tenant)
    ]
    checks = []
    for check_type, answer in pairs:
        check: dict[str, Any] = {
            "answer": answer,
            "checkType": check_type,
            "createdAt": now,
            "id": ctx.uuid(),
            "attemptId": attempt,
        }
        if check_type == c.CHECK_FACE_LIVELINESS:
            check["livenessInfo"] = {
                "livenessData": {"sessionId": ctx.uuid(), "images": [{"imageId": images[0]}]},
                "livenessResult": {"answer": answer},
            }
        elif check_type == c.CHECK_FACE_MATCH:
            check["faceMatchInfo"] = {"answer": answer}
            check["imageIds"] = images[:2] if len(images) > 1 else [images[0], images[0] + 1]
        elif check_type == c.CHECK_PAYMENT_METHOD:
            method = action.setdefault("paymentMethod", {"type": "bankCard"})
            brand = method.get("subType")
            method["checks"] = [
                {
                    "id": ctx.uuid(),
                    "checkType": "bankCardRiskScore",
                    "answer": answer,
                    "createdAt": now,
                    "bankCardRiskScoreInfo": risk_info(ctx, answer, country, brand),
                }
            ]
        elif check_type == c.CHECK_PAYMENT_SOURCE:
            source = action.setdefault("paymentSource", {"id": ctx.uuid(), "createdAt": now})
            fixed = source.get("fixedInfo") or {}
            matched = c.GREEN if answer == c.GREEN else c.RED
            source["info"] = {"type": fixed.get("type", "bankCard"), **{k: v for k, v in fixed.items() if k != "type"}}
            source["checks"] = [
                {
                    "id": ctx.uuid(),
                    "createdAt": now,
                    "answer": answer,
                    "unexpired": c.GREEN,
                    "typeMatched": c.GREEN,
                    "fixedInfoMatched": matched,
                    "applicantInfoMatched": matched,
                    "unmatchedFields": [] if answer == c.GREEN else ["fullName"],
                    "bankCardRiskScoreInfo": risk_info(ctx, answer, country),
                }
            ]
        checks.append(check)
    action["checks"] = checks
    for image in action.get("images", []):
        image["answer"] = pairs[0][1] if pairs else c.GREEN
        image["reviewResult"] = {"reviewAnswer": image["answer"]}
