"""The lifecycle of checks and attempts (fact sheet section 4.3): the transition table, and the
functions that follow it for every product but AML (``aml_lifecycle.py``).

Each row of :data:`TRANSITIONS` says where a trigger applies (the attempt's or the check's status)
and what it does: the attempt's and the check's new status, the event it sends, the response code
it sets. The functions below read their row; the scenario verbs (``verbs.py``) declare their
effects from the same rows, so the coverage report and the lifecycle cannot drift apart. Each
transition changes the attempt and the check together, stamps ``modified_on``, saves, and
publishes the product's webhook. A trigger that finds the state moved on quietly does nothing (a
scenario step that fires after the client reset the attempt must not resurrect it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.engine.clock import INSTANT
from simulator.providers.checkout import constants as c
from simulator.providers.checkout import results, retention, selection, webhooks
from simulator.providers.checkout.errors import Conflict
from simulator.providers.checkout.state import State
from simulator.providers.checkout.uploads import ASSET_OF_FIELD, Upload, forget_uploads, store_upload

if TYPE_CHECKING:
    from simulator.providers.checkout.products import Product

log = logging.getLogger("kycsim.checkout")

NEW_ATTEMPT_SIGNAL = "new_attempt"


@dataclass(frozen=True)
class FromStep:
    """A value the scenario step gives (``with: {key: ...}``), else ``default``."""

    key: str
    default: Any = None

    def __call__(self, args: dict[str, Any]) -> Any:
        return args.get(self.key, self.default)


def result_codes(args: dict[str, Any]) -> list[int]:
    """The codes of a verdict: the step's, or 10000 for an approval that names none."""
    return list(args.get("codes") or ([c.APPROVED_CODE] if args["result"] == c.APPROVED else []))


RESULT = FromStep("result")
OPEN_CHECK = tuple(dict.fromkeys(s for p in c.PRODUCTS if p != c.AML for s in c.STATUSES_BY_PRODUCT[p]
                                 if s not in c.FINAL_STATUSES))  # fmt: skip
StepValue = FromStep | Callable[[dict[str, Any]], Any]


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

    def allows(self, check: dict[str, Any], attempt: dict[str, Any] | None) -> bool:
        if self.attempt_from and (attempt is None or attempt["status"] not in self.attempt_from):
            return False
        return not self.check_from or check["status"] in self.check_from


T = Transition
TRANSITIONS: dict[str, Transition] = {
    # The client's calls
    "create": T(check=c.CREATED, event="created"),
    "first_attempt": T(attempt=c.PENDING_REDIRECTION, check=c.PENDING, event="opened"),
    "replace_attempt": T(attempt=c.PENDING_REDIRECTION, check=c.PENDING, event="reset", ends=c.TERMINATED,
                         codes=c.FORCIBLY_CLOSED_CODE),
    "retry_attempt": T(attempt=c.PENDING_REDIRECTION, check=c.PENDING, event="retry_requested"),
    "upload_attempt": T(attempt=c.ATTEMPT_QUALITY_CHECKS_IN_PROGRESS, check=c.QUALITY_CHECKS_IN_PROGRESS),
    "anonymize": T(event="anonymized"),
    # The applicant on the hosted page
    "open_link": T((c.PENDING_REDIRECTION,), (), c.ATTEMPT_CAPTURE_IN_PROGRESS, c.CAPTURE_IN_PROGRESS, "started"),
    "complete_capture": T((c.ATTEMPT_CAPTURE_IN_PROGRESS,), (), c.ATTEMPT_CHECKS_IN_PROGRESS, c.CHECKS_IN_PROGRESS,
                          "capture_completed"),
    "abort_capture": T(c.OPEN_ATTEMPT_STATUSES, (), c.CAPTURE_ABORTED, c.RETRY_REQUIRED, "capture_aborted",
                       FromStep("code", 61111)),
    "refuse_capture": T(c.OPEN_ATTEMPT_STATUSES, (), c.CAPTURE_REFUSED, c.REFUSED, "capture_refused", c.REFUSAL_CODE),
    "expire_link": T((c.PENDING_REDIRECTION,), (), c.EXPIRED, c.RETRY_REQUIRED, "link_expired",
                     c.LINK_NEVER_OPENED_CODE),
    # Checkout.com
    "pass_quality_checks": T((c.ATTEMPT_QUALITY_CHECKS_IN_PROGRESS,), (), c.ATTEMPT_CHECKS_IN_PROGRESS,
                             c.CHECKS_IN_PROGRESS, "started"),
    "abort_quality_checks": T((c.ATTEMPT_QUALITY_CHECKS_IN_PROGRESS,), (), c.QUALITY_CHECKS_ABORTED, c.RETRY_REQUIRED,
                              "checks_inconclusive", FromStep("code", 61301)),
    "complete_checks": T((c.ATTEMPT_CHECKS_IN_PROGRESS,), (), c.COMPLETED, RESULT, "checks_completed", result_codes,
                         labels=FromStep("risk_labels", ())),
    "checks_inconclusive": T((c.ATTEMPT_CHECKS_IN_PROGRESS,), (), c.CHECKS_INCONCLUSIVE, c.RETRY_REQUIRED,
                             "checks_inconclusive", FromStep("code", 61901)),
    "create_report": T((), (c.APPROVED, c.DECLINED), event="report_created"),
    "reset_attempt": T(c.OPEN_UPLOAD_ATTEMPT_STATUSES, (), c.TERMINATED, c.RETRY_REQUIRED, "closed",
                       c.FORCIBLY_CLOSED_CODE),
    "close": T((), OPEN_CHECK, c.TERMINATED, FromStep("status", c.RETRY_REQUIRED), "closed", c.FORCIBLY_CLOSED_CODE),
    "audit": T((), (c.APPROVED, c.DECLINED), None, RESULT, "audit_completed", result_codes),
}  # fmt: skip


def codes_json(codes: Sequence[int]) -> list[dict[str, Any]]:
    return [c.response_code(code) for code in codes]


# Creation


def create_check(
    state: State, product: Product, *, applicant: dict[str, Any], base_url: str, fields: dict[str, Any],
    scenario: dict[str, Any],
) -> dict[str, Any]:  # fmt: skip
    """A new check in ``created``; ``fields`` are the product's own (declared_data, ...)."""
    now = state.timestamp()
    check: dict[str, Any] = {
        "id": state.prefixed(product.id_prefix),
        "created_on": now,
        "modified_on": now,
        "user_journey_id": fields.pop("user_journey_id", None) or state.user_journey_id(product),
        "applicant_id": applicant["id"],
        "status": TRANSITIONS["create"].check,
        "response_codes": [],
        **({"risk_labels": []} if product.has_risk_labels else {}),
        **fields,
        "_product": product.name,
        "_base_url": base_url,
        "_attempt_ids": [],
        "_scenario": scenario,
        "_history": [],
        "_anonymized": False,
    }
    event = product.event(TRANSITIONS["create"].event)
    record_history(check, None, event, now)
    state.save_check(product, check)
    retention.remember_check(state, applicant, check)
    webhooks.publish(state.sim, state.tenant, product, check, event, applicant)
    return check


def create_attempt(
    state: State, product: Product, check: dict[str, Any], *, base_url: str, fields: dict[str, Any],
    drive: bool = True,
) -> dict[str, Any]:  # fmt: skip
    """A new attempt on the hosted flow; ends any open one and starts or resumes the scenario run.

    ``drive=False`` when a scenario step itself creates the attempt (its run goes on as scripted).
    """
    _allow_attempt(product, check)
    now = state.timestamp()
    previous = state.attempts(product, check)
    replaced = False
    for old in previous:
        if old["status"] in c.OPEN_ATTEMPT_STATUSES:
            row = TRANSITIONS["replace_attempt"]
            old.update(status=row.ends, modified_on=now, response_codes=codes_json([row.codes]))  # type: ignore[list-item]
            state.save_attempt(product, old)
            replaced = True
    trigger = "replace_attempt" if replaced else "retry_attempt" if check["status"] == c.RETRY_REQUIRED else (
        "first_attempt")  # fmt: skip
    row = TRANSITIONS[trigger]
    attempt = _new_attempt(state, product, check, row, now, fields, number=len(previous) + 1)
    event = product.event(row.event) if row.event else None
    record_history(check, attempt, event, now)
    state.save_attempt(product, attempt)
    state.save_check(product, check)
    if event is not None:
        webhooks.publish(state.sim, state.tenant, product, check, event, state.applicant(check["applicant_id"]))
    if product.hosted:
        _schedule_expiry(state, product, check["id"], attempt["id"])
    if drive:
        drive_run(state, product, check)
    return attempt


def create_upload_attempt(
    state: State, product: Product, check: dict[str, Any], uploads: dict[str, Upload], extra: dict[str, Any]
) -> dict[str, Any]:
    """The client uploaded the document (IDDV, ADV): quality checks start and the scenario plays on."""
    _allow_attempt(product, check)
    row = TRANSITIONS["upload_attempt"]
    now = state.timestamp()
    # 2025 spec fields, when a client still sends them: they shape the document read.
    fields = {f"_{k}": v for k, v in extra.items() if k in ("document_type", "document_issuing_country") and v}
    attempt = _new_attempt(state, product, check, row, now, {"_assets": {}, **fields},
                           number=len(check["_attempt_ids"]) + 1)  # fmt: skip
    for field, upload in uploads.items():
        asset = ASSET_OF_FIELD[field]
        store_upload(state.sim.store, state.tenant, attempt["id"], asset, upload)
        attempt["_assets"][asset] = upload.extension
    record_history(check, attempt, None, now)  # Checkout.com sends no event for an upload
    state.save_attempt(product, attempt)
    state.save_check(product, check)
    drive_run(state, product, check)
    return attempt


def _allow_attempt(product: Product, check: dict[str, Any]) -> None:
    if check["status"] not in product.attempt_allowed:
        raise Conflict(
            f"{product.event_prefix}_status_invalid",
            message=f"an attempt cannot be created while the {product.label} is {check['status']!r}",
        )


def _new_attempt(
    state: State, product: Product, check: dict, row: Transition, now: str, fields: dict[str, Any], *, number: int
) -> dict[str, Any]:
    """The attempt ``row`` opens, with its tokens; the check moves with it."""
    attempt: dict[str, Any] = {
        "id": state.prefixed(product.attempt_prefix or "atp"),
        "created_on": now,
        "modified_on": now,
        "status": row.attempt,
        "response_codes": [],
        **{k: v for k, v in fields.items() if not k.startswith("_")},
        "_check_id": check["id"],
        "_product": product.name,
        "_number": number,
        **{k: v for k, v in fields.items() if k.startswith("_")},
    }
    target = {"product": product.name, "check_id": check["id"], "attempt_id": attempt["id"]}
    if product.hosted:
        attempt["_link_token"] = state.new_token("verification", 10, **target)
    attempt["_media_token"] = state.new_token("media", 26, **target)
    check["_attempt_ids"].append(attempt["id"])
    check.update(status=row.check, response_codes=[], modified_on=now)
    return attempt


# Transitions (scenario verbs and the hosted page call these)


def open_link(state: State, product: Product, check: dict, attempt: dict, session: dict | None = None) -> bool:
    if not TRANSITIONS["open_link"].allows(check, attempt):
        return skip("open_link", attempt)
    if session:
        attempt["applicant_session_information"] = session
    return move(state, product, check, attempt, "open_link")


def complete_capture(state: State, product: Product, check: dict, attempt: dict) -> bool:
    if not TRANSITIONS["complete_capture"].allows(check, attempt):
        return skip("complete_capture", attempt)
    _outcome(product, attempt, "complete_capture")
    return move(state, product, check, attempt, "complete_capture")


def complete_checks(
    state: State, product: Product, check: dict, attempt: dict, result: str, codes: list[int],
    risk_labels: list[str] | None = None,
) -> bool:  # fmt: skip
    if not TRANSITIONS["complete_checks"].allows(check, attempt):
        return skip("complete_checks", attempt)
    if product.has_risk_labels:
        check["risk_labels"] = list(risk_labels or [])
    builder = results.BUILDERS.get(product.name)
    if builder is not None:
        builder(state, check, attempt, result, codes)
    return move(state, product, check, attempt, "complete_checks", status=result, codes=codes)


def create_report(state: State, product: Product, check: dict) -> bool:
    if not TRANSITIONS["create_report"].allows(check, None) or not product.has_report:
        return skip("create_report", check)
    if not check.get("_report_token"):
        check["_report_token"] = state.new_token("report", 26, product=product.name, check_id=check["id"])
    return move(state, product, check, None, "create_report")


def abort_capture(state: State, product: Product, check: dict, attempt: dict, code: int) -> bool:
    if not TRANSITIONS["abort_capture"].allows(check, attempt):
        return skip("abort_capture", attempt)
    _outcome(product, attempt, "abort_capture", code)
    return move(state, product, check, attempt, "abort_capture", codes=[code])


def refuse_capture(state: State, product: Product, check: dict, attempt: dict) -> bool:
    if not TRANSITIONS["refuse_capture"].allows(check, attempt):
        return skip("refuse_capture", attempt)
    _outcome(product, attempt, "refuse_capture", c.REFUSAL_CODE)
    return move(state, product, check, attempt, "refuse_capture")


def checks_inconclusive(state: State, product: Product, check: dict, attempt: dict, code: int) -> bool:
    if not TRANSITIONS["checks_inconclusive"].allows(check, attempt):
        return skip("checks_inconclusive", attempt)
    return move(state, product, check, attempt, "checks_inconclusive", codes=[code])


def expire_link(state: State, product: Product, check: dict, attempt: dict) -> bool:
    if not TRANSITIONS["expire_link"].allows(check, attempt):
        return skip("expire_link", attempt)
    _outcome(product, attempt, "expire_link", c.LINK_NEVER_OPENED_CODE)
    return move(state, product, check, attempt, "expire_link")


def pass_quality_checks(state: State, product: Product, check: dict, attempt: dict) -> bool:
    if not TRANSITIONS["pass_quality_checks"].allows(check, attempt):
        return skip("pass_quality_checks", attempt)
    return move(state, product, check, attempt, "pass_quality_checks")


def abort_quality_checks(state: State, product: Product, check: dict, attempt: dict, code: int) -> bool:
    if not TRANSITIONS["abort_quality_checks"].allows(check, attempt):
        return skip("abort_quality_checks", attempt)
    return move(state, product, check, attempt, "abort_quality_checks", codes=[code])


def reset_attempt(state: State, product: Product, check: dict, attempt: dict | None) -> bool:
    """Checkout.com ends the running upload attempt (64001); the client may upload again."""
    if attempt is None or not TRANSITIONS["reset_attempt"].allows(check, attempt):
        return skip("reset", attempt or check)
    return move(state, product, check, attempt, "reset_attempt")


def close(state: State, product: Product, check: dict, attempt: dict | None, status: str) -> bool:
    """Forcibly closed (64001): the open attempt is terminated; the check can be retried or not."""
    if not TRANSITIONS["close"].allows(check, None):
        return skip("close", check)
    open_attempt = attempt if attempt is not None and attempt["status"] in _open_statuses(product) else None
    if open_attempt is not None:
        _outcome(product, open_attempt, "close", c.FORCIBLY_CLOSED_CODE)
    return move(state, product, check, open_attempt, "close", status=status)


def audit(state: State, product: Product, check: dict, status: str, codes: list[int]) -> bool:
    if not TRANSITIONS["audit"].allows(check, None):
        return skip("audit", check)
    return move(state, product, check, None, "audit", status=status, codes=codes)


def anonymize(state: State, product: Product, check: dict) -> dict:
    """Personal data (and uploaded files) go; the status stays (an open attempt is closed first, 64001)."""
    if not product.hosted:
        forget_files(state, product, check)
    latest = state.latest_attempt(product, check)
    if latest is not None and latest["status"] in _open_statuses(product):
        close(state, product, check, latest, c.RETRY_REQUIRED)
    anonymizer = results.ANONYMIZERS.get(product.name)
    if anonymizer is not None:
        anonymizer(check)
    for attempt in state.attempts(product, check):
        for key in ("phone_number", "applicant_session_information"):
            attempt.pop(key, None)
        state.save_attempt(product, attempt)
    check["_anonymized"] = True
    if check.get("_run_id"):
        state.sim.runner.stop(state.tenant, "checkout", check["_run_id"], "anonymized")
    move(state, product, check, None, "anonymize")
    return check


def forget_files(state: State, product: Product, check: dict) -> None:
    """The uploaded files of every attempt of ``check`` (anonymizing a document check)."""
    for attempt in state.attempts(product, check):
        forget_uploads(state.sim.store, state.tenant, attempt["id"], list(attempt.get("_assets") or {}))


# The rows at work


def move(
    state: State, product: Product, check: dict, attempt: dict | None, trigger: str, *, status: str | None = None,
    codes: list[int] | None = None,
) -> bool:  # fmt: skip
    """Apply row ``trigger``: ``status`` and ``codes`` stand for the row's step-given values."""
    row = TRANSITIONS[trigger]
    if codes is None and isinstance(row.codes, int):
        codes = [row.codes]
    now = state.timestamp()
    if attempt is not None and row.attempt is not None:
        attempt["status"] = row.attempt
        attempt["modified_on"] = now
        if codes is not None:
            attempt["response_codes"] = codes_json(codes)
        state.save_attempt(product, attempt)
    new_status = status if isinstance(row.check, FromStep) else row.check
    if new_status is not None:
        check["status"] = new_status
    if codes is not None:
        check["response_codes"] = codes_json(codes)
    check["modified_on"] = now
    event = product.event(row.event or "")
    record_history(check, attempt, event, now)
    state.save_check(product, check)
    webhooks.publish(state.sim, state.tenant, product, check, event, state.applicant(check["applicant_id"]))
    return True


def skip(what: str, doc: dict) -> bool:
    log.info("checkout: %s skipped: %s is %s", what, doc.get("id"), doc.get("status"))
    return False


def record_history(check: dict, attempt: dict | None, event: str | None, now: str) -> None:
    check["_history"].append(
        {
            "at": now,
            "event": event,
            "status": check["status"],
            "attempt_id": attempt["id"] if attempt else None,
            "attempt_status": attempt["status"] if attempt else None,
            "response_codes": [rc["code"] for rc in check["response_codes"]],
        }
    )


def _outcome(product: Product, attempt: dict, trigger: str, code: int | None = None) -> None:
    """Where the hosted page sends the applicant back with: the event, and the code when unsuccessful."""
    attempt["_outcome"] = {"event": product.event(TRANSITIONS[trigger].event or "")}
    if code is not None:
        attempt["_outcome"]["code"] = code


def _open_statuses(product: Product) -> tuple[str, ...]:
    return c.OPEN_ATTEMPT_STATUSES if product.hosted else c.OPEN_UPLOAD_ATTEMPT_STATUSES


def _schedule_expiry(state: State, product: Product, check_id: str, attempt_id: str) -> None:
    """An unopened link expires after 15 virtual minutes (not under ``instant``: every timed job fires at once
    there, so the rule would expire each link before anyone opens it)."""
    sim, tenant = state.sim, state.tenant
    if sim.clock.speed == INSTANT:
        return

    async def expire() -> None:
        now = State(sim, tenant)
        check, attempt = now.check(product, check_id), now.attempt(product, attempt_id)
        if check is not None and attempt is not None:
            expire_link(now, product, check, attempt)

    sim.scheduler.schedule(c.LINK_LIFETIME_SECONDS, expire, tenant=tenant, label=f"link expiry {attempt_id}")


def drive_run(state: State, product: Product, check: dict) -> None:
    """Start the check's scenario on its first attempt; later attempts resume or restart it."""
    runner, tenant = state.sim.runner, state.tenant
    run_id = check.get("_run_id")
    run = runner.get(tenant, "checkout", run_id) if run_id else None
    if run is not None and run["status"] == "running":
        if run["waiting_for"] == NEW_ATTEMPT_SIGNAL:
            runner.signal(tenant, "checkout", run_id, NEW_ATTEMPT_SIGNAL)
        else:
            # The client replaced an attempt the script was still playing: play it again on the new one.
            scenario = runner.scenario_of(run) or selection.scenario_for(state, product, check)
            runner.replace(tenant, "checkout", run_id, scenario)
        return
    scenario = selection.scenario_for(state, product, check)
    if run is not None:
        # The scripted story is over: a further attempt plays the product's happy path.
        scenario = selection.scenario_for(state, product, {**check, "_scenario": {"rule": "default"}})
    new_id = f"run_{check['id']}_{len(check['_attempt_ids'])}"
    runner.start(tenant, scenario, {"product": product.name, "check_id": check["id"]}, run_id=new_id)
    check["_run_id"] = new_id
    check["_scenario"]["playing"] = scenario.name
    state.save_check(product, check)
