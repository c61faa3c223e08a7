"""Scenario step verbs: what a scenario file may make the applicant or Checkout.com do.

Each verb acts on the check the run belongs to and its newest attempt, through the
:class:`~simulator.providers.checkout.lifecycle.Lifecycle`. :data:`EFFECTS` says, for the
coverage report, which statuses, codes and events a step yields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.engine.scenarios.model import APPLICANT, PROVIDER, Step, StepContext, Verb
from simulator.providers.checkout import constants as c
from simulator.providers.checkout.products import PRODUCTS
from simulator.providers.checkout.state import State

if TYPE_CHECKING:
    from simulator.providers.checkout import CheckoutProvider

RETRY_CODES = [code for code, rc in c.RESPONSE_CODES.items() if rc.status == c.RETRY_REQUIRED and code != 64001]
DECLINE_CODES = [code for code, rc in c.RESPONSE_CODES.items() if rc.status == c.DECLINED and 62000 <= code < 63000]
_CODE = {"type": "integer", "enum": RETRY_CODES}
_RISK_LABELS = {"type": "array", "items": {"enum": list(c.RISK_LABELS)}, "uniqueItems": True}
_NO_ARGS = {"type": "object", "additionalProperties": False}
_RESULT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["result"],
    "properties": {
        "result": {"enum": [c.APPROVED, c.DECLINED]},
        "codes": {"type": "array", "items": {"type": "integer", "enum": [c.APPROVED_CODE, *DECLINE_CODES]}},
        "risk_labels": _RISK_LABELS,
    },
    "if": {"properties": {"result": {"const": c.DECLINED}}},
    "then": {"required": ["codes"], "properties": {"codes": {"minItems": 1, "items": {"enum": DECLINE_CODES}}}},
    "else": {"properties": {"codes": {"items": {"const": c.APPROVED_CODE}}}},
}


def result_codes(args: dict[str, Any]) -> list[int]:
    return list(args.get("codes") or ([c.APPROVED_CODE] if args["result"] == c.APPROVED else []))


def effects(step: Step) -> dict[str, set]:
    """What one step yields: ``status``, ``attempt_status``, ``response_code``, ``risk_label``, ``event`` suffixes."""
    args = step.args or {}
    out: dict[str, set] = {"status": set(), "attempt_status": set(), "response_code": set(), "risk_label": set(),
                           "event": set()}  # fmt: skip
    if step.wait == "new_attempt":
        out.update(status={c.PENDING}, attempt_status={c.PENDING_REDIRECTION}, event={"retry_requested"})
        return out
    verb = step.do
    if verb == "open_link":
        out.update(status={c.CAPTURE_IN_PROGRESS}, attempt_status={c.ATTEMPT_CAPTURE_IN_PROGRESS}, event={"started"})
    elif verb == "complete_capture":
        out.update(status={c.CHECKS_IN_PROGRESS}, attempt_status={c.ATTEMPT_CHECKS_IN_PROGRESS},
                   event={"capture_completed"})  # fmt: skip
    elif verb == "complete_checks":
        out.update(status={args["result"]}, attempt_status={c.COMPLETED}, event={"checks_completed"},
                   response_code=set(result_codes(args)), risk_label=set(args.get("risk_labels") or ()))  # fmt: skip
    elif verb == "create_report":
        out.update(event={"report_created"})
    elif verb == "abort_capture":
        out.update(status={c.RETRY_REQUIRED}, attempt_status={c.CAPTURE_ABORTED}, event={"capture_aborted"},
                   response_code={args.get("code", 61111)})  # fmt: skip
    elif verb == "refuse_capture":
        out.update(status={c.REFUSED}, attempt_status={c.CAPTURE_REFUSED}, event={"capture_refused"},
                   response_code={c.REFUSAL_CODE})  # fmt: skip
    elif verb == "checks_inconclusive":
        out.update(status={c.RETRY_REQUIRED}, attempt_status={c.CHECKS_INCONCLUSIVE}, event={"checks_inconclusive"},
                   response_code={args.get("code", 61901)})  # fmt: skip
    elif verb == "expire_link":
        out.update(status={c.RETRY_REQUIRED}, attempt_status={c.EXPIRED}, event={"link_expired"},
                   response_code={c.LINK_NEVER_OPENED_CODE})  # fmt: skip
    elif verb == "close":
        out.update(status={args.get("status", c.RETRY_REQUIRED)}, attempt_status={c.TERMINATED}, event={"closed"},
                   response_code={c.FORCIBLY_CLOSED_CODE})  # fmt: skip
    elif verb == "audit":
        out.update(status={args["result"]}, event={"audit_completed"}, response_code=set(result_codes(args)))
    elif verb == "create_new_attempt":
        out.update(status={c.PENDING}, attempt_status={c.TERMINATED, c.PENDING_REDIRECTION}, event={"reset"},
                   response_code={c.FORCIBLY_CLOSED_CODE})  # fmt: skip
    elif verb == "anonymize":
        out.update(event={"anonymized"})
    return out


def build_verbs(provider: CheckoutProvider) -> dict[str, Verb]:
    def subject(ctx: StepContext) -> tuple[Any, dict, dict | None, State]:
        product = PRODUCTS[ctx.subject["product"]]
        state = State(provider.sim, ctx.tenant)
        check = state.check(product, ctx.subject["check_id"])
        if check is None:
            raise LookupError(f"check {ctx.subject['check_id']} is gone")
        return product, check, state.latest_attempt(product, check), state

    async def open_link(ctx: StepContext) -> None:
        product, check, attempt, _ = subject(ctx)
        if attempt is not None:
            provider.lifecycle.open_link(
                ctx.tenant, product, check, attempt, provider.session_information(ctx.tenant, attempt)
            )

    async def complete_capture(ctx: StepContext) -> None:
        product, check, attempt, _ = subject(ctx)
        if attempt is not None:
            provider.lifecycle.complete_capture(ctx.tenant, product, check, attempt)

    async def complete_checks(ctx: StepContext) -> None:
        product, check, attempt, _ = subject(ctx)
        if attempt is not None:
            provider.lifecycle.complete_checks(ctx.tenant, product, check, attempt, ctx.args["result"],
                                               result_codes(ctx.args), ctx.args.get("risk_labels"))  # fmt: skip

    async def create_report(ctx: StepContext) -> None:
        product, check, _, _ = subject(ctx)
        provider.lifecycle.create_report(ctx.tenant, product, check)

    async def abort_capture(ctx: StepContext) -> None:
        product, check, attempt, _ = subject(ctx)
        if attempt is not None:
            provider.lifecycle.abort_capture(ctx.tenant, product, check, attempt, ctx.args.get("code", 61111))

    async def refuse_capture(ctx: StepContext) -> None:
        product, check, attempt, _ = subject(ctx)
        if attempt is not None:
            provider.lifecycle.refuse_capture(ctx.tenant, product, check, attempt)

    async def checks_inconclusive(ctx: StepContext) -> None:
        product, check, attempt, _ = subject(ctx)
        if attempt is not None:
            provider.lifecycle.checks_inconclusive(ctx.tenant, product, check, attempt, ctx.args.get("code", 61901))

    async def expire_link(ctx: StepContext) -> None:
        product, check, attempt, _ = subject(ctx)
        if attempt is not None:
            provider.lifecycle.expire_link(ctx.tenant, product, check, attempt)

    async def close(ctx: StepContext) -> None:
        product, check, attempt, _ = subject(ctx)
        provider.lifecycle.close(ctx.tenant, product, check, attempt, ctx.args.get("status", c.RETRY_REQUIRED))

    async def audit(ctx: StepContext) -> None:
        product, check, _, _ = subject(ctx)
        provider.lifecycle.audit(ctx.tenant, product, check, ctx.args["result"], result_codes(ctx.args))

    async def create_new_attempt(ctx: StepContext) -> None:
        product, check, attempt, _ = subject(ctx)
        if check["status"] in product.attempt_allowed:
            fields = {k: attempt[k] for k in ("redirect_url", "client_information") if attempt and k in attempt}
            provider.lifecycle.create_attempt(
                ctx.tenant, product, check, base_url=check["_base_url"], fields=fields, drive=False
            )

    async def anonymize(ctx: StepContext) -> None:
        product, check, _, _ = subject(ctx)
        provider.lifecycle.anonymize(ctx.tenant, product, check)

    code_schema = {"type": "object", "additionalProperties": False, "properties": {"code": _CODE}}
    verbs = [
        Verb("open_link", open_link, "The applicant opens the verification URL and starts the capture.", APPLICANT,
             _NO_ARGS),
        Verb("complete_capture", complete_capture, "The applicant finishes capturing; the checks start.", APPLICANT,
             _NO_ARGS),
        Verb("abort_capture", abort_capture, "The applicant leaves without completing the capture (61xxx code).",
             APPLICANT, code_schema),
        Verb("refuse_capture", refuse_capture, "The applicant clicks the refuse button (63001).", APPLICANT, _NO_ARGS),
        Verb("complete_checks", complete_checks, "Checkout.com finishes the checks: approved or declined.", PROVIDER,
             _RESULT),
        Verb("checks_inconclusive", checks_inconclusive, "The assets are not good enough for checks (61xxx code).",
             PROVIDER, code_schema),
        Verb("create_report", create_report, "The PDF report becomes available (IDV).", PROVIDER, _NO_ARGS),
        Verb("expire_link", expire_link, "The verification URL expires unopened (61101).", PROVIDER, _NO_ARGS),
        Verb("close", close, "The verification is forcibly closed (64001).", PROVIDER,
             {"type": "object", "additionalProperties": False,
              "properties": {"status": {"enum": [c.RETRY_REQUIRED, c.INCONCLUSIVE]}}}),
        Verb("audit", audit, "A manual audit changes the verdict.", PROVIDER, _RESULT),
        Verb("create_new_attempt", create_new_attempt,
             "The merchant creates a new attempt while one is open (the open one is terminated).", PROVIDER, _NO_ARGS),
        Verb("anonymize", anonymize, "The merchant anonymizes the verification.", PROVIDER, _NO_ARGS),
    ]  # fmt: skip
    return {verb.name: verb for verb in verbs}
