"""Scenario verbs: what a scenario file may make the applicant or Sumsub do, each with its effects.

Every verb acts on the run's subject (an applicant, or an action and its applicant) through the
lifecycle, and declares what it produces from the lifecycle's transition table, so the coverage
report is derived from the same rows the lifecycle follows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from simulator.engine.scenarios.model import APPLICANT, EffectContext, StepContext
from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub import lifecycle
from simulator.providers.sumsub.checks import explicit_checks
from simulator.providers.sumsub.state import SumsubState
from simulator.providers.sumsub.transitions import NOTICE_EVENTS, SUBMIT, TRANSITIONS
from simulator.toolkit.pages import Code, Outcome
from simulator.toolkit.verbs import VerbTable

VERBS = VerbTable()

REVIEW_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "answer": {"enum": list(c.ACTION_REVIEW_ANSWERS)},
        "reject_type": {"enum": list(c.REJECT_TYPES)},
        "reject_labels": {
            "type": "array",
            "items": {"enum": [*c.REJECT_LABELS, *(label.lower() for label in c.REJECT_LABELS)]},
        },
        "moderation_comment": {"type": "string"},
        "client_comment": {"type": "string"},
        "button_ids": {"type": "array", "items": {"type": "string"}},
        "checks": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["type"],
                "properties": {"type": {"enum": list(c.ACTION_CHECK_TYPES)}, "answer": {"enum": list(c.CHECK_ANSWERS)}},
            },
        },
    },
    "required": ["answer"],
}
NOTIFY_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["event"],
    "properties": {"event": {"enum": list(NOTICE_EVENTS)}, "level": {"type": "string"}},
}


# Effects, read from the transition table


def _prefix(ctx: EffectContext) -> str:
    return "applicantAction" if ctx.product == c.APPLICANT_ACTION else "applicant"


def moves(trigger: str) -> Callable[[EffectContext], dict[str, set[str]]]:
    """What a row of the lifecycle's table produces: its review status and its webhook."""
    row = TRANSITIONS[trigger]

    def effects(ctx: EffectContext) -> dict[str, set[str]]:
        out = {f"{_prefix(ctx)}.reviewStatus": {row.status}}
        event = row.action_event if ctx.product == c.APPLICANT_ACTION else row.applicant_event
        if event:
            out["webhookType"] = {event}
        return out

    return effects


def review_effects(ctx: EffectContext) -> dict[str, set[str]]:
    """The review's row, plus the answer, reject type and labels, and the checks the scenario names."""
    out = moves("review")(ctx)
    answer = ctx.args["answer"]
    out[f"{_prefix(ctx)}.reviewAnswer"] = {answer}
    if answer == c.RED:
        out["reviewRejectType"] = {ctx.args.get("reject_type", c.RETRY)}
        out["rejectLabel"] = {str(label).upper() for label in ctx.args.get("reject_labels", [])}
    pairs = explicit_checks(answer, ctx.args.get("checks"))
    if pairs:
        out["checkType"] = {check_type for check_type, _ in pairs}
        out["checkAnswer"] = {check_answer for _, check_answer in pairs}
    return out


def notify_effects(ctx: EffectContext) -> dict[str, set[str]]:
    event = ctx.args["event"]
    out = {"webhookType": {event}}
    if event == c.WH_APPLICANT_RESET:
        out[f"{_prefix(ctx)}.reviewStatus"] = {c.INIT}
    return out


def created(ctx: EffectContext) -> dict[str, set[str]]:
    """What creating the subject produces: ``init``, and ``applicantCreated`` for an applicant."""
    if ctx.product == c.APPLICANT_ACTION:
        return {f"{_prefix(ctx)}.reviewStatus": {c.INIT}}
    return {f"{_prefix(ctx)}.reviewStatus": {c.INIT}, "webhookType": {c.WH_APPLICANT_CREATED}}


# The verbs


def _subjects(state: SumsubState, step: StepContext) -> tuple[dict[str, Any], dict[str, Any] | None] | None:
    applicant, action = lifecycle.load(state, step.subject)
    return None if applicant is None else (applicant, action)  # reset or deleted since the run started


@VERBS.verb(
    SUBMIT,
    "The applicant completes the WebSDK flow: status pending (applicantPending / applicantActionPending);"
    " after a RETRY rejection it starts a new attempt.",
    actor=APPLICANT,
    effects=moves(SUBMIT),
)
async def submit(state: SumsubState, step: StepContext) -> None:
    if found := _subjects(state, step):
        lifecycle.submit(state, *found, captures=True)


@VERBS.verb(
    "review",
    "The review completes: status completed with answer, reject type, labels, comments, buttonIds and"
    " (actions) checks; applicantReviewed / applicantActionReviewed.",
    schema=REVIEW_SCHEMA,
    effects=review_effects,
)
async def review(state: SumsubState, step: StepContext) -> None:
    if found := _subjects(state, step):
        lifecycle.review(state, *found, step.args)


@VERBS.verb(
    "notify",
    "Something else happens to the applicant (reset, level change, deactivation, ...): its webhook.",
    schema=NOTIFY_SCHEMA,
    effects=notify_effects,
)
async def notify(state: SumsubState, step: StepContext) -> None:
    if found := _subjects(state, step):
        lifecycle.notice(state, *found, step.args["event"], step.args)


def _status_verb(trigger: str, description: str) -> None:
    async def change(state: SumsubState, step: StepContext) -> None:
        if found := _subjects(state, step):
            lifecycle.move(state, *found, trigger)

    change.__name__ = trigger
    VERBS.verb(trigger, description, effects=moves(trigger))(change)


_status_verb("precheck", "Primary processing done: status prechecked (applicantPrechecked).")
_status_verb("queue", "Waiting for a reviewer: status queued.")
_status_verb("hold", "Processing paused: status onHold (applicantOnHold / applicantActionOnHold).")


def coverage_targets() -> Mapping[str, set[str]]:
    """Every wire value the bundled scenarios must be able to produce, from :mod:`constants`."""
    return {
        "applicant.reviewStatus": set(c.REVIEW_STATUSES),
        "applicantAction.reviewStatus": set(c.REVIEW_STATUSES),
        "applicant.reviewAnswer": set(c.APPLICANT_REVIEW_ANSWERS),
        "applicantAction.reviewAnswer": set(c.ACTION_REVIEW_ANSWERS),
        "reviewRejectType": set(c.REJECT_TYPES),
        "rejectLabel": set(c.REJECT_LABELS),
        "checkType": set(c.ACTION_CHECK_TYPES),
        "checkAnswer": set(c.CHECK_ANSWERS),
        "webhookType": set(c.WEBHOOK_TYPES),
    }


def outcome(product: str, produced: Mapping[str, set[str]]) -> Outcome:
    """How a scenario ends, for scenario pickers: the worst review answer it reaches (RED with its reject
    type; one of ``c.OUTCOME_GROUPS``) and its reject labels with their meaning."""
    answers = produced.get(f"{'applicantAction' if product == c.APPLICANT_ACTION else 'applicant'}.reviewAnswer")
    answers = answers or set()
    if c.RED in answers:
        group = f"{c.RED} · {c.FINAL if c.FINAL in produced.get('reviewRejectType', ()) else c.RETRY}"
    elif c.ERROR in answers or c.GREEN in answers:
        group = c.ERROR if c.ERROR in answers else c.GREEN
    else:
        group = c.NO_ANSWER
    labels = sorted(produced.get("rejectLabel", ()))
    return Outcome(group, tuple(Code(label, meaning=c.LABEL_MEANINGS.get(label, "")) for label in labels))
