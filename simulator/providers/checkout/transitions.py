"""Checkout.com's transition table: data the lifecycle follows and the verbs' effects are read from.

Each row says where a trigger applies (the newest attempt's status, or the check's) and what it
does: the attempt's and the check's new status, the event it sends (the product's own name, e.g.
``identity_verification_started``), the response codes it sets. Where the scenario step gives a
value (a verdict, a code), the row says which argument and its default. ``lifecycle.py`` moves
checks and attempts by these rows; ``verbs.py`` declares each verb's effects from the same rows,
so the coverage report and the lifecycle cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simulator.providers.checkout import constants as c
from simulator.providers.checkout import response_codes as rc


@dataclass(frozen=True)
class FromStep:
    """A value the scenario step gives (``with: {key: ...}``), else ``default``."""

    key: str
    default: Any = None

    def __call__(self, args: dict[str, Any]) -> Any:
        return args.get(self.key, self.default)


def result_codes(args: dict[str, Any]) -> list[int]:
    """The codes of a verdict: the step's, or 10000 for an approval that names none."""
    return list(args.get("codes") or ([rc.APPROVED_CODE] if args["result"] == c.APPROVED else []))


RESULT = FromStep("result")
StepValue = FromStep | Callable[[dict[str, Any]], Any]

# Where triggers apply: the newest attempt's status (or, for DECIDED and OPEN_CHECK, the check's)
NOT_OPENED = (c.PENDING_REDIRECTION,)
CAPTURING = (c.ATTEMPT_CAPTURE_IN_PROGRESS,)
QUALITY_CHECKING = (c.ATTEMPT_QUALITY_CHECKS_IN_PROGRESS,)
CHECKING = (c.ATTEMPT_CHECKS_IN_PROGRESS,)
DECIDED = (c.APPROVED, c.DECLINED)
OPEN_CHECK = tuple(
    dict.fromkeys(s for p in c.PRODUCTS if p != c.AML for s in c.STATUSES_BY_PRODUCT[p] if s not in c.FINAL_STATUSES)
)


@dataclass(frozen=True)
class Transition:
    """A row of the table. Empty ``*_from``: no condition; None: nothing changes (or no event)."""

    attempt_from: tuple[str, ...] = ()  # the newest attempt must be in one of these
    check_from: tuple[str, ...] = ()  # the check must be in one of these
    attempt: str | None = None  # the attempt's new status
    check: str | FromStep | None = None  # the check's new status
    event: str | None = None  # the event's suffix: identity_verification_<event>
    codes: int | StepValue | None = None  # the response codes set on the check and the moved attempt
    ends: str | None = None  # the new status of an open attempt a new one replaces
    labels: StepValue | None = None  # the risk labels set on the check
    outcome: bool = False  # the applicant's visit ends: the hosted page sends them back with this event

    def allows(self, check: dict[str, Any], attempt: dict[str, Any] | None) -> bool:
        if self.attempt_from and (attempt is None or attempt["status"] not in self.attempt_from):
            return False
        return not self.check_from or check["status"] in self.check_from

    def status_for(self, args: dict[str, Any]) -> str | None:
        """The check's new status, with the step's ``args`` where the step decides it."""
        return self.check(args) if isinstance(self.check, FromStep) else self.check

    def codes_for(self, args: dict[str, Any]) -> list[int] | None:
        """The response codes it sets, with the step's ``args`` where the step gives them."""
        codes = self.codes(args) if callable(self.codes) else self.codes
        return None if codes is None else [codes] if isinstance(codes, int) else list(codes)


T = Transition
TRANSITIONS: dict[str, Transition] = {
    # The client's calls
    "create": T(check=c.CREATED, event="created"),
    "first_attempt": T(attempt=c.PENDING_REDIRECTION, check=c.PENDING, event="opened"),
    "replace_attempt": T(
        attempt=c.PENDING_REDIRECTION, check=c.PENDING, event="reset", ends=c.TERMINATED, codes=rc.FORCIBLY_CLOSED_CODE
    ),
    "retry_attempt": T(attempt=c.PENDING_REDIRECTION, check=c.PENDING, event="retry_requested"),
    "upload_attempt": T(attempt=c.ATTEMPT_QUALITY_CHECKS_IN_PROGRESS, check=c.QUALITY_CHECKS_IN_PROGRESS),
    "anonymize": T(event="anonymized"),
    # The applicant on the hosted page
    "open_link": T(NOT_OPENED, attempt=c.ATTEMPT_CAPTURE_IN_PROGRESS, check=c.CAPTURE_IN_PROGRESS, event="started"),
    "complete_capture": T(
        CAPTURING,
        attempt=c.ATTEMPT_CHECKS_IN_PROGRESS,
        check=c.CHECKS_IN_PROGRESS,
        event="capture_completed",
        outcome=True,
    ),
    "abort_capture": T(
        c.OPEN_ATTEMPT_STATUSES,
        attempt=c.CAPTURE_ABORTED,
        check=c.RETRY_REQUIRED,
        event="capture_aborted",
        codes=FromStep("code", 61111),
        outcome=True,
    ),
    "refuse_capture": T(
        c.OPEN_ATTEMPT_STATUSES,
        attempt=c.CAPTURE_REFUSED,
        check=c.REFUSED,
        event="capture_refused",
        codes=rc.REFUSAL_CODE,
        outcome=True,
    ),
    "expire_link": T(
        NOT_OPENED,
        attempt=c.EXPIRED,
        check=c.RETRY_REQUIRED,
        event="link_expired",
        codes=rc.LINK_NEVER_OPENED_CODE,
        outcome=True,
    ),
    # Checkout.com
    "pass_quality_checks": T(
        QUALITY_CHECKING, attempt=c.ATTEMPT_CHECKS_IN_PROGRESS, check=c.CHECKS_IN_PROGRESS, event="started"
    ),
    "abort_quality_checks": T(
        QUALITY_CHECKING,
        attempt=c.QUALITY_CHECKS_ABORTED,
        check=c.RETRY_REQUIRED,
        event="checks_inconclusive",
        codes=FromStep("code", 61301),
    ),
    "complete_checks": T(
        CHECKING,
        attempt=c.COMPLETED,
        check=RESULT,
        event="checks_completed",
        codes=result_codes,
        labels=FromStep("risk_labels", ()),
    ),
    "checks_inconclusive": T(
        CHECKING,
        attempt=c.CHECKS_INCONCLUSIVE,
        check=c.RETRY_REQUIRED,
        event="checks_inconclusive",
        codes=FromStep("code", 61901),
    ),
    "create_report": T(check_from=DECIDED, event="report_created"),
    "reset_attempt": T(
        c.OPEN_UPLOAD_ATTEMPT_STATUSES,
        attempt=c.TERMINATED,
        check=c.RETRY_REQUIRED,
        event="closed",
        codes=rc.FORCIBLY_CLOSED_CODE,
    ),
    "close": T(
        check_from=OPEN_CHECK,
        attempt=c.TERMINATED,
        check=FromStep("status", c.RETRY_REQUIRED),
        event="closed",
        codes=rc.FORCIBLY_CLOSED_CODE,
        outcome=True,
    ),
    "audit": T(check_from=DECIDED, check=RESULT, event="audit_completed", codes=result_codes),
}
