"""Sumsub's transition table: data the lifecycle follows and the verbs' effects are read from.

Each row is a trigger (a scenario verb, or the client's request check for ``submit``): the review
status it moves the subject to and the webhook it sends, for an applicant and for an action (none
where Sumsub sends none). ``lifecycle.py`` moves reviews by these rows; ``verbs.py`` declares each
verb's effects from the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.providers.sumsub import constants as c

SUBMIT = "submit"


@dataclass(frozen=True)
class Transition:
    """A row of the table: the review status it moves to and the webhook it sends, for each subject."""

    status: str
    applicant_event: str | None
    action_event: str | None

    def event(self, action: dict[str, Any] | None) -> str | None:
        return self.action_event if action is not None else self.applicant_event


# trigger (a verb, or the client's request check for SUBMIT) -> review status, webhooks
TRANSITIONS: dict[str, Transition] = {
    SUBMIT: Transition(c.PENDING, c.WH_APPLICANT_PENDING, c.WH_ACTION_PENDING),
    "precheck": Transition(c.PRECHECKED, c.WH_APPLICANT_PRECHECKED, None),
    "queue": Transition(c.QUEUED, None, None),
    "hold": Transition(c.ON_HOLD, c.WH_APPLICANT_ON_HOLD, c.WH_ACTION_ON_HOLD),
    "review": Transition(c.COMPLETED, c.WH_APPLICANT_REVIEWED, c.WH_ACTION_REVIEWED),
}
NOTICE_EVENTS = (*c.NOTICE_WEBHOOKS, c.WH_ACTION_LEVEL_CHANGED)  # what the ``notify`` verb may send
