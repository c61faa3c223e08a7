"""AML Screening decisions, as pure functions over an AML verification document.

How Checkout.com screens (fact sheet 3.5): a risk level comes first from the merchant's risk
model (LOW, MEDIUM, HIGH or PROHIBITED). PROHIBITED is declined at once, without screening.
Any other level is screened against PEP, sanctions and adverse-media lists: no alert approves,
alerts open a case and the status becomes ``review_required`` until someone reviews the case
(approved or declined). A monitored applicant is screened again as time passes; a new alert
re-opens a case (``review_required`` again) from ``approved``.

Each transition sends its own event. ``aml_verification_status_changed`` is not sent next to each
of them: it is the event of a decision changed afterwards, when a decided screening's review is
re-opened (``review_required`` again) or its status is updated (``approved`` <-> ``declined``).

:data:`TRANSITIONS` is the table: where each trigger applies, the status it moves to and the
event it sends (None where the step or the case decides). Every function here reads its row,
takes the current document and returns a :class:`Transition` (the new status, the webhook event
types to send, the case and risk level to remember); nothing is mutated or stored. :func:`apply`
writes a transition onto a document for the caller to store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulator.providers.checkout import constants as c

# Wire literals: constants.py holds them; these names are this module's vocabulary.
CREATED = c.CREATED
SCREENING_IN_PROGRESS = c.SCREENING_IN_PROGRESS
APPROVED = c.APPROVED
DECLINED = c.DECLINED
REVIEW_REQUIRED = c.REVIEW_REQUIRED

RISK_LEVELS = c.AML_RISK_LEVELS
PROHIBITED = "PROHIBITED"


def _event(suffix: str) -> str:
    name = f"aml_verification_{suffix}"
    assert name in c.AML_EVENTS, name
    return name


EVENT_CREATED = _event("created")
EVENT_ONBOARDING_STARTED = _event("onboarding_started")
EVENT_ONBOARDING_COMPLETED = _event("onboarding_completed")
EVENT_ONBOARDING_REVIEWED = _event("onboarding_reviewed")
EVENT_MONITORING_ALERT = _event("monitoring_alert")
EVENT_MONITORING_REVIEWED = _event("monitoring_reviewed")
EVENT_STATUS_CHANGED = _event("status_changed")

ONBOARDING, MONITORING = "onboarding", "monitoring"  # where a case came from
DECISIONS = (APPROVED, DECLINED)

SIM_KEY = "_sim"  # private part of the stored document, never rendered


@dataclass(frozen=True)
class Row:
    """A row of the table: the statuses a trigger applies in (else ``refusal``), where it leads, its event."""

    allowed: tuple[str, ...]
    refusal: str
    status: str | None  # None: decided by the step (risk level, alerts, decision)
    event: str | None  # None: decided by the case (an onboarding or a monitoring review)


TRANSITIONS: dict[str, Row] = {
    "start_screening": Row(
        (CREATED,),
        "screening can only start on a created verification",
        SCREENING_IN_PROGRESS,
        EVENT_ONBOARDING_STARTED,
    ),
    "complete_screening": Row(
        (CREATED, SCREENING_IN_PROGRESS),
        "the onboarding screening has already completed",
        None,
        EVENT_ONBOARDING_COMPLETED,
    ),
    "resolve_case": Row((REVIEW_REQUIRED,), "there is no open case to resolve", None, None),
    "monitoring_alert": Row(
        (APPROVED,),
        "monitoring alerts apply to approved, monitored verifications",
        REVIEW_REQUIRED,
        EVENT_MONITORING_ALERT,
    ),
    "update_status": Row(
        DECISIONS,
        "only a decided (approved or declined) screening can be re-opened or updated",
        None,
        EVENT_STATUS_CHANGED,
    ),
}


class AmlTransitionError(Exception):
    """The transition does not apply to the verification in its current state."""

    def __init__(self, message: str, *, status: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Transition:
    status: str
    events: tuple[str, ...]
    risk_level: str | None = None
    case: dict[str, Any] | None = None  # the open case after the transition, if any
    screened: bool | None = None  # whether lists were screened (False for PROHIBITED)

    @property
    def event(self) -> str:
        """The specific event of this transition (the first one)."""
        return self.events[0]


# Public functions


def new_state() -> dict[str, Any]:
    """The private state of a freshly created verification."""
    return {"risk_level": None, "case": None, "screened": None, "history": []}


def sim_state(doc: Mapping[str, Any]) -> dict[str, Any]:
    return doc.get(SIM_KEY) or new_state()


def created() -> Transition:
    return Transition(status=CREATED, events=(EVENT_CREATED,))


def start_screening(doc: Mapping[str, Any]) -> Transition:
    """``created`` → ``screening_in_progress``: the risk model and list screening run."""
    row = _require(doc, "start_screening")
    return Transition(status=row.status or "", events=(row.event or "",))


def complete_screening(doc: Mapping[str, Any], risk_level: str, alerts: int = 0) -> Transition:
    """The onboarding verdict: PROHIBITED declines unscreened, alerts open a case, else approved."""
    if risk_level not in RISK_LEVELS:
        raise ValueError(f"unknown risk level {risk_level!r}: one of {', '.join(RISK_LEVELS)}")
    if alerts < 0:
        raise ValueError("alerts cannot be negative")
    row = _require(doc, "complete_screening")
    if risk_level == PROHIBITED:
        status, case, screened = DECLINED, None, False
    elif alerts:
        status, case, screened = REVIEW_REQUIRED, {"origin": ONBOARDING, "alerts": alerts}, True
    else:
        status, case, screened = APPROVED, None, True
    return Transition(
        status=status,
        events=(row.event or "",),
        risk_level=risk_level,
        case=case,
        screened=screened,
    )


def resolve_case(doc: Mapping[str, Any], decision: str) -> Transition:
    """A reviewer closes the open case: ``review_required`` → approved or declined."""
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}: one of {', '.join(DECISIONS)}")
    _require(doc, "resolve_case")
    case = sim_state(doc).get("case") or {"origin": ONBOARDING}
    event = EVENT_MONITORING_REVIEWED if case.get("origin") == MONITORING else EVENT_ONBOARDING_REVIEWED
    return Transition(
        status=decision,
        events=(event,),
        risk_level=sim_state(doc).get("risk_level"),
        case=None,
        screened=True,
    )


def monitoring_alert(doc: Mapping[str, Any], alerts: int = 1) -> Transition:
    """Ongoing monitoring finds ``alerts`` new hits: ``approved`` → ``review_required``."""
    if alerts < 1:
        raise ValueError("a monitoring alert needs at least one alert")
    if not doc.get("monitored"):
        raise AmlTransitionError("the applicant is not monitored", status=doc.get("status", ""))
    row = _require(doc, "monitoring_alert")
    return Transition(
        status=row.status or "",
        events=(row.event or "",),
        risk_level=sim_state(doc).get("risk_level"),
        case={"origin": MONITORING, "alerts": alerts},
        screened=True,
    )


def apply(doc: dict[str, Any], transition: Transition, now: str) -> dict[str, Any]:
    """Write ``transition`` onto ``doc`` (status, modified_on, private state); returns ``doc``."""
    state = dict(sim_state(doc))
    if transition.risk_level is not None:
        state["risk_level"] = transition.risk_level
    if transition.screened is not None:
        state["screened"] = transition.screened
    state["case"] = transition.case
    state["history"] = [*state.get("history", []), {"at": now, "status": transition.status, "event": transition.event}]
    doc[SIM_KEY] = state
    if doc.get("status") != transition.status or transition.event == EVENT_CREATED:
        doc["modified_on"] = now
    doc["status"] = transition.status
    return doc


def update_status(doc: Mapping[str, Any], status: str) -> Transition:
    """A decision changed afterwards (``aml_verification_status_changed``): a decided screening's review is
    re-opened (``review_required``, a case opens where the last one came from) or its status is updated
    to the other decision."""
    if status not in (*DECISIONS, REVIEW_REQUIRED):
        raise ValueError(f"unknown status {status!r}: one of {', '.join((*DECISIONS, REVIEW_REQUIRED))}")
    row = _require(doc, "update_status")
    if doc.get("status") == status:
        raise AmlTransitionError(f"the screening is {status} already", status=status)
    case = {"origin": _last_case_origin(doc), "alerts": 0} if status == REVIEW_REQUIRED else None
    return Transition(
        status=status,
        events=(row.event or "",),
        risk_level=sim_state(doc).get("risk_level"),
        case=case,
        screened=sim_state(doc).get("screened"),
    )


# Private functions


def _require(doc: Mapping[str, Any], trigger: str) -> Row:
    """The row of ``trigger``, if it applies to ``doc`` in its current status."""
    row = TRANSITIONS[trigger]
    status = doc.get("status", "")
    if status not in row.allowed:
        raise AmlTransitionError(f"{row.refusal} (status is {status})", status=status)
    return row


def _last_case_origin(doc: Mapping[str, Any]) -> str:
    """Where the screening's last case came from (onboarding unless monitoring raised it)."""
    for entry in reversed(sim_state(doc).get("history", [])):
        if entry.get("event") in (EVENT_MONITORING_ALERT, EVENT_MONITORING_REVIEWED):
            return MONITORING
        if entry.get("event") in (EVENT_ONBOARDING_COMPLETED, EVENT_ONBOARDING_REVIEWED):
            return ONBOARDING
    return ONBOARDING
