"""Scenario verbs: what a scenario file may make the applicant or Checkout.com do, each with its effects.

Verbs of the hosted and uploaded-document products act on the check the run belongs to and its
newest attempt, through the lifecycle, and declare their effects from the lifecycle's transition
table; AML verbs go through the AML decisions and declare theirs by playing those decisions on a
scratch screening. The coverage report is derived from these declarations by the engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from simulator.engine.scenarios.model import APPLICANT, PROVIDER, EffectContext, Effects, StepContext
from simulator.providers.checkout import aml_lifecycle as aml
from simulator.providers.checkout import constants as c
from simulator.providers.checkout import lifecycle
from simulator.providers.checkout import response_codes as rc
from simulator.providers.checkout.aml_screenings import KIND as AML_KIND
from simulator.providers.checkout.aml_screenings import transition
from simulator.providers.checkout.lifecycle import NEW_ATTEMPT_SIGNAL
from simulator.providers.checkout.products import PRODUCTS, Product
from simulator.providers.checkout.results import session_information
from simulator.providers.checkout.state import State
from simulator.providers.checkout.transitions import TRANSITIONS
from simulator.toolkit.verbs import VerbTable

log = logging.getLogger("kycsim.checkout")
VERBS = VerbTable()

RETRY_CODES = [code for code, e in rc.RESPONSE_CODES.items() if e.status == c.RETRY_REQUIRED and code != 64001]
DECLINE_CODES = [code for code, e in rc.RESPONSE_CODES.items() if e.status == c.DECLINED and 62000 <= code < 63000]
_RISK_LABELS = {"type": "array", "items": {"enum": list(c.RISK_LABELS)}, "uniqueItems": True}
_CODE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"code": {"type": "integer", "enum": RETRY_CODES}},
}
_RESULT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["result"],
    "properties": {
        "result": {"enum": [c.APPROVED, c.DECLINED]},
        "codes": {"type": "array", "items": {"type": "integer", "enum": [rc.APPROVED_CODE, *DECLINE_CODES]}},
        "risk_labels": _RISK_LABELS,
    },
    "if": {"properties": {"result": {"const": c.DECLINED}}},
    "then": {"required": ["codes"], "properties": {"codes": {"minItems": 1, "items": {"enum": DECLINE_CODES}}}},
    "else": {"properties": {"codes": {"items": {"const": rc.APPROVED_CODE}}}},
}


# Effects, read from the lifecycle's transition table


def categories(product: Product) -> dict[str, set[str]]:
    """The coverage categories of a hosted or uploaded-document product, empty."""
    keys = ("status", "attempt_status", "response_code", "event", *(("risk_label",) if product.has_risk_labels else ()))
    return {f"{product.name}.{key}": set() for key in keys}


def row_effects(product: Product, trigger: str, args: dict[str, Any]) -> dict[str, set[str]]:
    """What row ``trigger`` produces on ``product``, with the step's ``args`` for the values it gives."""
    row, name = TRANSITIONS[trigger], product.name
    out = categories(product)
    status = row.status_for(args)
    out[f"{name}.status"] |= {status} if status else set()
    out[f"{name}.attempt_status"] |= {s for s in (row.attempt, row.ends) if s}
    out[f"{name}.response_code"] |= {str(code) for code in row.codes_for(args) or ()}
    if row.event and product.has_event(row.event):
        out[f"{name}.event"].add(product.event(row.event))
    if row.labels is not None and product.has_risk_labels:
        out[f"{name}.risk_label"] |= set(row.labels(args))
    return out


def moves(*triggers: str) -> Callable[[EffectContext], dict[str, set[str]]]:
    """The effects of the lifecycle's rows ``triggers``, for the product the scenario plays."""

    def effects(ctx: EffectContext) -> dict[str, set[str]]:
        product = PRODUCTS.get(ctx.product)
        out: dict[str, set[str]] = {}
        if product is None:
            return out
        for trigger in triggers:
            for category, values in row_effects(product, trigger, ctx.args).items():
                out.setdefault(category, set()).update(values)
        return out

    return effects


def created(ctx: EffectContext) -> dict[str, set[str]]:
    """What creating the check produces: ``created``, then its first attempt (hosted) or upload."""
    if ctx.product == c.AML:
        ctx.model["aml"] = {"status": aml.CREATED, "monitored": True, aml.SIM_KEY: aml.new_state()}
        return {f"{c.AML}.status": {aml.CREATED}, f"{c.AML}.event": {aml.EVENT_CREATED}}
    product = PRODUCTS.get(ctx.product)
    if product is None:
        return {}
    return moves("create", "first_attempt" if product.hosted else "upload_attempt")(ctx)


def new_attempt(ctx: EffectContext) -> dict[str, set[str]]:
    """The client's new attempt a run waits for: a retry on the hosted flow, or a new upload."""
    product = PRODUCTS.get(ctx.product)
    return moves("retry_attempt" if product is not None and product.hosted else "upload_attempt")(ctx)


SIGNAL_EFFECTS: dict[str, Effects] = {NEW_ATTEMPT_SIGNAL: new_attempt}


# Hosted flow and uploaded documents


def _subject(state: State, step: StepContext) -> tuple[Product, dict, dict | None]:
    product = PRODUCTS[step.subject["product"]]
    check = state.check(product, step.subject["check_id"])
    if check is None:
        raise LookupError(f"check {step.subject['check_id']} is gone")
    return product, check, state.latest_attempt(product, check)


def _follow(trigger: str, description: str, *, actor: str = PROVIDER, schema: dict | None = None) -> None:
    """A verb that applies the lifecycle's row of the same name to the run's check and its newest attempt."""

    async def handler(state: State, step: StepContext) -> None:
        product, check, attempt = _subject(state, step)
        if attempt is not None:
            lifecycle.follow(state, product, check, attempt, trigger, step.args)

    handler.__name__ = trigger
    VERBS.verb(trigger, description, actor=actor, schema=schema, effects=moves(trigger))(handler)


@VERBS.verb(
    "open_link",
    "The applicant opens the verification URL and starts the capture.",
    actor=APPLICANT,
    effects=moves("open_link"),
)
async def open_link(state: State, step: StepContext) -> None:
    product, check, attempt = _subject(state, step)
    if attempt is not None:
        lifecycle.open_link(state, product, check, attempt, session_information(state, attempt))


_follow("complete_capture", "The applicant finishes capturing; the checks start.", actor=APPLICANT)
_follow(
    "abort_capture", "The applicant leaves without completing the capture (61xxx code).", actor=APPLICANT, schema=_CODE
)
_follow("refuse_capture", "The applicant clicks the refuse button (63001).", actor=APPLICANT)


@VERBS.verb(
    "complete_checks",
    "Checkout.com finishes the checks: approved or declined.",
    schema=_RESULT,
    effects=moves("complete_checks"),
)
async def complete_checks(state: State, step: StepContext) -> None:
    product, check, attempt = _subject(state, step)
    if attempt is not None:
        lifecycle.complete_checks(state, product, check, attempt, step.args)


_follow("checks_inconclusive", "The assets are not good enough for checks (61xxx code).", schema=_CODE)


@VERBS.verb("create_report", "The PDF report becomes available (IDV).", effects=moves("create_report"))
async def create_report(state: State, step: StepContext) -> None:
    product, check, _ = _subject(state, step)
    lifecycle.create_report(state, product, check)


_follow("expire_link", "The verification URL expires unopened (61101).")


@VERBS.verb(
    "close",
    "The verification is forcibly closed (64001).",
    effects=moves("close"),
    schema={
        "type": "object",
        "additionalProperties": False,
        "properties": {"status": {"enum": [c.RETRY_REQUIRED, c.INCONCLUSIVE]}},
    },
)
async def close(state: State, step: StepContext) -> None:
    product, check, attempt = _subject(state, step)
    lifecycle.close(state, product, check, attempt, TRANSITIONS["close"].status_for(step.args) or c.RETRY_REQUIRED)


@VERBS.verb("audit", "A manual audit changes the verdict.", schema=_RESULT, effects=moves("audit"))
async def audit(state: State, step: StepContext) -> None:
    product, check, _ = _subject(state, step)
    lifecycle.follow(state, product, check, None, "audit", step.args)


@VERBS.verb(
    "create_new_attempt",
    "The merchant creates a new attempt while one is open (the open one is terminated).",
    effects=moves("replace_attempt"),
)
async def create_new_attempt(state: State, step: StepContext) -> None:
    product, check, attempt = _subject(state, step)
    if check["status"] in product.attempt_allowed:
        fields = {k: attempt[k] for k in ("redirect_url", "client_information") if attempt and k in attempt}
        lifecycle.create_attempt(state, product, check, base_url=check["_base_url"], fields=fields, drive=False)


@VERBS.verb("anonymize", "The merchant anonymizes the verification.", effects=moves("anonymize"))
async def anonymize(state: State, step: StepContext) -> None:
    product, check, _ = _subject(state, step)
    lifecycle.anonymize(state, product, check)


_follow("pass_quality_checks", "Documents: the uploaded images are good enough; the checks start.")
_follow(
    "abort_quality_checks",
    "Documents: the uploaded images are not good enough (61xxx); a new upload is needed.",
    schema=_CODE,
)


@VERBS.verb(
    "reset_attempt",
    "Documents: the running attempt is terminated (64001); a new upload is needed.",
    effects=moves("reset_attempt"),
)
async def reset_attempt(state: State, step: StepContext) -> None:
    product, check, attempt = _subject(state, step)
    lifecycle.follow(state, product, check, attempt, "reset_attempt")


# AML Screening


def _aml_verb(name: str, description: str, decide: Callable[[dict, dict], aml.Transition], schema: dict) -> None:
    """A verb that applies an AML decision; its effects are the same decision played on a scratch screening."""

    async def handler(state: State, step: StepContext) -> None:
        doc = state.get(AML_KIND, step.subject["check_id"])
        if doc is None:
            raise LookupError(f"AML screening {step.subject['check_id']} is gone")
        try:
            change = decide(doc, step.args)
        except aml.AmlTransitionError as exc:
            log.info("checkout: %s skipped on %s: %s", name, doc["id"], exc)
            return
        transition(state, doc, change)

    def effects(ctx: EffectContext) -> dict[str, set[str]]:
        doc = ctx.model.get("aml")
        if ctx.product != c.AML or doc is None:
            return {}
        try:
            change = decide(doc, ctx.args)
        except aml.AmlTransitionError:
            return {}
        aml.apply(doc, change, "")
        return {f"{c.AML}.status": {change.status}, f"{c.AML}.event": set(change.events)}

    handler.__name__ = name
    VERBS.verb(name, description, schema=schema, effects=effects)(handler)


_RISK = {"enum": list(aml.RISK_LEVELS)}
_aml_verb(
    "start_screening",
    "AML: the risk model and list screening start (screening_in_progress).",
    lambda doc, args: aml.start_screening(doc),
    {"type": "object", "additionalProperties": False},
)
_aml_verb(
    "complete_screening",
    "AML: the verdict. PROHIBITED declines unscreened; alerts open a case (review_required); else approved.",
    lambda doc, args: aml.complete_screening(doc, args["risk_level"], args.get("alerts", 0)),
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["risk_level"],
        "properties": {"risk_level": _RISK, "alerts": {"type": "integer", "minimum": 0}},
    },
)
_aml_verb(
    "resolve_case",
    "AML: a reviewer closes the open case as approved or declined.",
    lambda doc, args: aml.resolve_case(doc, args["decision"]),
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["decision"],
        "properties": {"decision": {"enum": list(aml.DECISIONS)}},
    },
)
_aml_verb(
    "monitoring_alert",
    "AML: ongoing monitoring of a monitored, approved applicant finds new alerts (review_required).",
    lambda doc, args: aml.monitoring_alert(doc, args.get("alerts", 1)),
    {"type": "object", "additionalProperties": False, "properties": {"alerts": {"type": "integer", "minimum": 1}}},
)
_aml_verb(
    "update_status",
    "AML: a decided screening is changed afterwards: its review re-opened (review_required) "
    "or its decision updated (aml_verification_status_changed).",
    lambda doc, args: aml.update_status(doc, args["status"]),
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["status"],
        "properties": {"status": {"enum": [*aml.DECISIONS, aml.REVIEW_REQUIRED]}},
    },
)


# Coverage targets: every wire value the bundled scenarios must be able to produce


def coverage_targets() -> dict[str, set[str]]:
    targets: dict[str, set[str]] = {}
    for name in (c.IDV, c.FA):
        targets.update(_product_targets(PRODUCTS[name], rc.codes_for(name)))
    for name in (c.IDDV, c.ADV):
        targets.update(_product_targets(PRODUCTS[name], rc.upload_codes(name)))
    targets[f"{c.AML}.status"] = set(c.STATUSES_BY_PRODUCT[c.AML])
    targets[f"{c.AML}.event"] = set(c.AML_EVENTS)
    return targets


def _product_targets(product: Product, codes: list[int]) -> dict[str, set[str]]:
    name = product.name
    targets = {
        f"{name}.status": set(product.statuses),
        f"{name}.attempt_status": set(product.attempt_statuses),
        f"{name}.response_code": {str(code) for code in codes},
        f"{name}.event": set(c.EVENTS_BY_PRODUCT[name]),
    }
    if product.has_risk_labels:
        targets[f"{name}.risk_label"] = set(c.RISK_LABELS_BY_PRODUCT[name])
    return targets
