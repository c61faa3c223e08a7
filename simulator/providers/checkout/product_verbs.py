"""Scenario verbs and coverage of the uploaded-document products (IDDV, ADV) and AML Screening.

Document scenarios reuse the shared verbs (``complete_checks``, ``checks_inconclusive``,
``create_report``, ``close``, ``audit``, ``anonymize``) and add the quality checks and the reset.
AML verbs live in :mod:`aml_screenings`. :func:`produces` says what a scenario of these products
yields, for ``kycsim scenarios coverage``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.engine.scenarios.model import PROVIDER, Scenario, StepContext, Verb
from simulator.providers.checkout import aml, aml_screenings, document_checks
from simulator.providers.checkout import constants as c
from simulator.providers.checkout.products import PRODUCTS
from simulator.providers.checkout.state import State
from simulator.providers.checkout.verbs import RETRY_CODES, effects

if TYPE_CHECKING:
    from simulator.providers.checkout import CheckoutProvider

NEW_ATTEMPT = "new_attempt"


def build_verbs(provider: CheckoutProvider) -> dict[str, Verb]:
    def subject(ctx: StepContext) -> tuple[Any, dict, dict | None]:
        product = PRODUCTS[ctx.subject["product"]]
        state = State(provider.sim, ctx.tenant)
        check = state.check(product, ctx.subject["check_id"])
        if check is None:
            raise LookupError(f"check {ctx.subject['check_id']} is gone")
        return product, check, state.latest_attempt(product, check)

    async def pass_quality_checks(ctx: StepContext) -> None:
        product, check, attempt = subject(ctx)
        if attempt is not None:
            document_checks.pass_quality_checks(provider.lifecycle, ctx.tenant, product, check, attempt)

    async def abort_quality_checks(ctx: StepContext) -> None:
        product, check, attempt = subject(ctx)
        if attempt is not None:
            document_checks.abort_quality_checks(provider.lifecycle, ctx.tenant, product, check, attempt,
                                                 ctx.args.get("code", 61301))  # fmt: skip

    async def reset_attempt(ctx: StepContext) -> None:
        product, check, attempt = subject(ctx)
        document_checks.reset(provider.lifecycle, ctx.tenant, product, check, attempt)

    code_schema = {"type": "object", "additionalProperties": False,
                   "properties": {"code": {"type": "integer", "enum": RETRY_CODES}}}  # fmt: skip
    verbs = [
        Verb("pass_quality_checks", pass_quality_checks,
             "Documents: the uploaded images are good enough; the checks start.", PROVIDER,
             {"type": "object", "additionalProperties": False}),
        Verb("abort_quality_checks", abort_quality_checks,
             "Documents: the uploaded images are not good enough (61xxx); a new upload is needed.", PROVIDER,
             code_schema),
        Verb("reset_attempt", reset_attempt,
             "Documents: the running attempt is terminated (64001); a new upload is needed.", PROVIDER,
             {"type": "object", "additionalProperties": False}),
    ]  # fmt: skip
    return {verb.name: verb for verb in verbs} | aml_screenings.build_verbs(provider)


# Coverage


def coverage_targets() -> dict[str, set[str]]:
    """The document products' response codes (ADV has its own list) and AML's statuses and events."""
    targets = {f"{name}.response_code": {str(code) for code in document_checks.codes_for(name)}
               for name in document_checks.DOCUMENT_PRODUCTS}  # fmt: skip
    targets[f"{c.AML}.status"] = set(c.STATUSES_BY_PRODUCT[c.AML])
    targets[f"{c.AML}.event"] = set(c.AML_EVENTS)
    return targets


def produces(scenario: Scenario) -> dict[str, set[str]]:
    if scenario.product in document_checks.DOCUMENT_PRODUCTS:
        return _document_produces(scenario)
    if scenario.product == c.AML:
        return _aml_produces(scenario)
    return {}


def _document_produces(scenario: Scenario) -> dict[str, set[str]]:
    product = PRODUCTS[scenario.product]
    name = product.name
    out: dict[str, set[str]] = {
        f"{name}.status": {c.CREATED, c.QUALITY_CHECKS_IN_PROGRESS},
        f"{name}.attempt_status": {c.ATTEMPT_QUALITY_CHECKS_IN_PROGRESS},
        f"{name}.response_code": set(),
        f"{name}.event": {product.event("created")},
    }
    if product.has_risk_labels:
        out[f"{name}.risk_label"] = set()
    for step in scenario.steps:
        args = step.args or {}
        found: dict[str, set] = {"status": set(), "attempt_status": set(), "response_code": set(),
                                 "risk_label": set(), "event": set()}  # fmt: skip
        if step.wait == NEW_ATTEMPT:
            found.update(status={c.QUALITY_CHECKS_IN_PROGRESS}, attempt_status={c.ATTEMPT_QUALITY_CHECKS_IN_PROGRESS})
        elif step.do == "pass_quality_checks":
            found.update(status={c.CHECKS_IN_PROGRESS}, attempt_status={c.ATTEMPT_CHECKS_IN_PROGRESS},
                         event={"started"})  # fmt: skip
        elif step.do == "abort_quality_checks":
            found.update(status={c.RETRY_REQUIRED}, attempt_status={c.QUALITY_CHECKS_ABORTED},
                         event={"checks_inconclusive"}, response_code={args.get("code", 61301)})  # fmt: skip
        elif step.do == "reset_attempt":
            found.update(status={c.RETRY_REQUIRED}, attempt_status={c.TERMINATED}, event={"closed"},
                         response_code={c.FORCIBLY_CLOSED_CODE})  # fmt: skip
        else:
            found = effects(step)
        out[f"{name}.status"] |= found["status"]
        out[f"{name}.attempt_status"] |= found["attempt_status"]
        out[f"{name}.response_code"] |= {str(code) for code in found["response_code"]}
        out[f"{name}.event"] |= {product.event(s) for s in found["event"] if product.has_event(s)}
        if product.has_risk_labels:
            out[f"{name}.risk_label"] |= found["risk_label"]
    return out


def _aml_produces(scenario: Scenario) -> dict[str, set[str]]:
    """Replays the scenario on a document through the pure decision functions."""
    doc: dict[str, Any] = {"status": aml.CREATED, "monitored": True, aml.SIM_KEY: aml.new_state()}
    statuses, events = {aml.CREATED}, {aml.EVENT_CREATED}
    for step in scenario.steps:
        args = step.args or {}
        try:
            if step.do == "start_screening":
                change = aml.start_screening(doc)
            elif step.do == "complete_screening":
                change = aml.complete_screening(doc, args["risk_level"], args.get("alerts", 0))
            elif step.do == "resolve_case":
                change = aml.resolve_case(doc, args["decision"])
            elif step.do == "monitoring_alert":
                change = aml.monitoring_alert(doc, args.get("alerts", 1))
            elif step.do == "update_status":
                change = aml.update_status(doc, args["status"])
            else:
                continue
        except aml.AmlTransitionError:
            continue
        aml.apply(doc, change, "")
        statuses.add(change.status)
        events.update(change.events)
    return {f"{c.AML}.status": statuses, f"{c.AML}.event": events}
