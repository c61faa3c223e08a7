"""What scenarios must be able to produce (from :mod:`constants`) and what one scenario produces
(derived from its steps), for the coverage report and its test."""

from __future__ import annotations

from simulator.engine.scenarios.model import Scenario
from simulator.providers.sumsub import constants as c
from simulator.toolkit.pages import Code, Outcome

STEP_STATUS = {
    "submit": c.PENDING,
    "precheck": c.PRECHECKED,
    "queue": c.QUEUED,
    "hold": c.ON_HOLD,
    "review": c.COMPLETED,
}
APPLICANT_EVENTS = {
    "submit": c.WH_APPLICANT_PENDING,
    "precheck": c.WH_APPLICANT_PRECHECKED,
    "hold": c.WH_APPLICANT_ON_HOLD,
    "review": c.WH_APPLICANT_REVIEWED,
}
ACTION_EVENTS = {"submit": c.WH_ACTION_PENDING, "hold": c.WH_ACTION_ON_HOLD, "review": c.WH_ACTION_REVIEWED}


def coverage_targets() -> dict[str, set[str]]:
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


def explicit_checks(args: dict) -> list[tuple[str, str]]:
    """The scenario's own checks after the liveness rule (a failed liveness means no face match)."""
    pairs = [
        (e["type"], e.get("answer", c.GREEN if args.get("answer") == c.GREEN else c.RED))
        for e in args.get("checks", [])
    ]
    liveness = dict(pairs).get(c.CHECK_FACE_LIVELINESS)
    if liveness is not None and liveness != c.GREEN:
        pairs = [p for p in pairs if p[0] != c.CHECK_FACE_MATCH]
    return pairs


def produces(scenario: Scenario) -> dict[str, set[str]]:
    action = scenario.product == c.APPLICANT_ACTION
    prefix = "applicantAction" if action else "applicant"
    events = ACTION_EVENTS if action else APPLICANT_EVENTS
    out: dict[str, set[str]] = {
        f"{prefix}.reviewStatus": {c.INIT},
        f"{prefix}.reviewAnswer": set(),
        "reviewRejectType": set(),
        "rejectLabel": set(),
        "checkType": set(),
        "checkAnswer": set(),
        "webhookType": set() if action else {c.WH_APPLICANT_CREATED},
    }
    for step in scenario.steps:
        if not step.do:
            continue
        if step.do in STEP_STATUS:
            out[f"{prefix}.reviewStatus"].add(STEP_STATUS[step.do])
        if step.do in events:
            out["webhookType"].add(events[step.do])
        if step.do == "notify":
            out["webhookType"].add(step.args["event"])
            if step.args["event"] == c.WH_APPLICANT_RESET:
                out[f"{prefix}.reviewStatus"].add(c.INIT)
        if step.do == "review":
            answer = step.args["answer"]
            out[f"{prefix}.reviewAnswer"].add(answer)
            if answer == c.RED:
                out["reviewRejectType"].add(step.args.get("reject_type", c.RETRY))
                out["rejectLabel"].update(str(label).upper() for label in step.args.get("reject_labels", []))
            for check_type, check_answer in explicit_checks(step.args):
                out["checkType"].add(check_type)
                out["checkAnswer"].add(check_answer)
    return {k: v for k, v in out.items() if v}


def outcome(scenario: Scenario) -> Outcome:
    """The worst review answer a scenario reaches (RED with its reject type; one of ``c.OUTCOME_GROUPS``) and
    its reject labels with their meaning."""
    produced = produces(scenario)
    answers = produced.get(
        f"{'applicantAction' if scenario.product == c.APPLICANT_ACTION else 'applicant'}.reviewAnswer"
    )
    answers = answers or set()
    if c.RED in answers:
        group = f"{c.RED} · {c.FINAL if c.FINAL in produced.get('reviewRejectType', ()) else c.RETRY}"
    elif c.ERROR in answers or c.GREEN in answers:
        group = c.ERROR if c.ERROR in answers else c.GREEN
    else:
        group = c.NO_ANSWER
    labels = sorted(produced.get("rejectLabel", ()))
    return Outcome(group, tuple(Code(label, meaning=c.LABEL_MEANINGS.get(label, "")) for label in labels))
