"""The lifecycle of checks and attempts (fact sheet section 4.3) for every product but AML
(``aml_lifecycle.py``): the functions that follow the transition table (``transitions.py``).

Each function reads its row: where it applies (the attempt's or the check's status), the new
statuses, the event, the response code. Each transition changes the attempt and the check
together, stamps ``modified_on``, saves, and publishes the product's webhook. A trigger that finds
the state moved on quietly does nothing (a scenario step that fires after the client reset the
attempt must not resurrect it).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from simulator.engine.clock import INSTANT
from simulator.engine.store import iter_all
from simulator.providers.checkout import constants as c
from simulator.providers.checkout import response_codes as rc
from simulator.providers.checkout import results, retention, selection, webhooks
from simulator.providers.checkout.errors import Conflict
from simulator.providers.checkout.state import State
from simulator.providers.checkout.transitions import TRANSITIONS, FromStep, Transition
from simulator.providers.checkout.uploads import ASSET_OF_FIELD, Upload, forget_uploads, store_upload

if TYPE_CHECKING:
    from simulator.providers.checkout.products import Product
    from simulator.simulator import Simulator

log = logging.getLogger("kycsim.checkout")

NEW_ATTEMPT_SIGNAL = "new_attempt"


def codes_json(codes: Sequence[int]) -> list[dict[str, Any]]:
    return [rc.response_code(code) for code in codes]


# Creation


def create_check(
    state: State,
    product: Product,
    *,
    applicant: dict[str, Any],
    base_url: str,
    fields: dict[str, Any],
    scenario: dict[str, Any],
) -> dict[str, Any]:
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
    created = TRANSITIONS["create"].event
    event = product.event(created) if created else None
    record_history(check, None, event, now)
    state.save_check(product, check)
    retention.remember_check(state, applicant, check)
    if event is not None:
        webhooks.publish(state.sim, state.tenant, product, check, event, applicant)
    return check


def create_attempt(
    state: State,
    product: Product,
    check: dict[str, Any],
    *,
    base_url: str,
    fields: dict[str, Any],
    drive: bool = True,
) -> dict[str, Any]:
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
    trigger = (
        "replace_attempt" if replaced else "retry_attempt" if check["status"] == c.RETRY_REQUIRED else ("first_attempt")
    )
    row = TRANSITIONS[trigger]
    attempt = _new_attempt(state, product, check, row, now, fields)
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
    attempt = _new_attempt(state, product, check, row, now, {"_assets": {}, **fields})
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
    state: State, product: Product, check: dict, row: Transition, now: str, fields: dict[str, Any]
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


def follow(
    state: State,
    product: Product,
    check: dict,
    attempt: dict | None,
    trigger: str,
    args: dict | None = None,
) -> bool:
    """Apply row ``trigger`` if it applies to the check and its newest attempt as they are now.

    ``args``: what the scenario step (or the person on the hosted page) gives: a code, a status."""
    row = TRANSITIONS[trigger]
    if not row.allows(check, attempt):
        return skip(trigger, attempt if row.attempt_from and attempt is not None else check)
    return move(
        state, product, check, attempt, trigger, status=row.status_for(args or {}), codes=row.codes_for(args or {})
    )


def open_link(state: State, product: Product, check: dict, attempt: dict, session: dict | None = None) -> bool:
    """The applicant opens the link: the device they use becomes the attempt's session information."""
    if not TRANSITIONS["open_link"].allows(check, attempt):
        return skip("open_link", attempt)
    if session:
        attempt["applicant_session_information"] = session
    return move(state, product, check, attempt, "open_link")


def complete_checks(state: State, product: Product, check: dict, attempt: dict, args: dict) -> bool:
    """The verdict, with what the checks found (documents, face, risk labels)."""
    row = TRANSITIONS["complete_checks"]
    if not row.allows(check, attempt):
        return skip("complete_checks", attempt)
    if product.has_risk_labels:
        check["risk_labels"] = list((row.labels(args) if row.labels else None) or ())
    codes = row.codes_for(args) or []
    builder = results.BUILDERS.get(product.name)
    if builder is not None:
        builder(state, check, attempt, args["result"], codes)
    return move(state, product, check, attempt, "complete_checks", status=row.status_for(args), codes=codes)


def create_report(state: State, product: Product, check: dict) -> bool:
    if not TRANSITIONS["create_report"].allows(check, None) or not product.has_report:
        return skip("create_report", check)
    if not check.get("_report_token"):
        check["_report_token"] = state.new_token("report", 26, product=product.name, check_id=check["id"])
    return move(state, product, check, None, "create_report")


def close(state: State, product: Product, check: dict, attempt: dict | None, status: str) -> bool:
    """Forcibly closed (64001): the open attempt is terminated; the check can be retried or not."""
    if not TRANSITIONS["close"].allows(check, None):
        return skip("close", check)
    open_attempt = attempt if attempt is not None and attempt["status"] in _open_statuses(product) else None
    return move(state, product, check, open_attempt, "close", status=status)


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
    state: State,
    product: Product,
    check: dict,
    attempt: dict | None,
    trigger: str,
    *,
    status: str | None = None,
    codes: list[int] | None = None,
) -> bool:
    """Apply row ``trigger``: ``status`` and ``codes`` stand for the row's step-given values."""
    row = TRANSITIONS[trigger]
    if codes is None and isinstance(row.codes, int):
        codes = [row.codes]
    if row.outcome and attempt is not None:  # where the hosted page sends the applicant back
        attempt["_outcome"] = {"event": product.event(row.event or ""), **({"code": codes[0]} if codes else {})}
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
            "response_codes": [shown["code"] for shown in check["response_codes"]],
        }
    )


def _open_statuses(product: Product) -> tuple[str, ...]:
    return c.OPEN_ATTEMPT_STATUSES if product.hosted else c.OPEN_UPLOAD_ATTEMPT_STATUSES


def rearm_link_expiries(sim: Simulator) -> None:
    """After a restart on a durable store: each link still unopened expires when it was due to (now, if
    that has passed), as its timer in the process before would have done."""
    from simulator.providers.checkout.products import PRODUCTS

    for product in PRODUCTS.values():
        if not product.hosted:
            continue
        for tenant, attempt in iter_all(sim.store, State.provider, product.attempt_kind):
            if attempt.get("status") != c.PENDING_REDIRECTION:
                continue
            state = State(sim, tenant)
            created = datetime.fromisoformat(attempt["created_on"].replace("Z", "+00:00"))
            left = (created - state.now).total_seconds() + c.LINK_LIFETIME_SECONDS
            _schedule_expiry(state, product, attempt["_check_id"], attempt["id"], max(left, 0.0))


def _schedule_expiry(
    state: State, product: Product, check_id: str, attempt_id: str, after: float = c.LINK_LIFETIME_SECONDS
) -> None:
    """An unopened link expires after 15 virtual minutes (not under ``instant``: every timed job fires at once
    there, so the rule would expire each link before anyone opens it)."""
    sim, tenant = state.sim, state.tenant
    if sim.clock.speed == INSTANT:
        return

    async def expire() -> None:
        now = State(sim, tenant)
        check, attempt = now.check(product, check_id), now.attempt(product, attempt_id)
        if check is not None and attempt is not None:
            follow(now, product, check, attempt, "expire_link")

    sim.scheduler.schedule(after, expire, tenant=tenant, label=f"link expiry {attempt_id}")


def drive_run(state: State, product: Product, check: dict) -> None:
    """Start the check's scenario on its first attempt; later attempts resume or restart it."""
    runner, tenant = state.sim.runner, state.tenant
    run_id: str | None = check.get("_run_id")
    run = runner.get(tenant, "checkout", run_id) if run_id else None
    if run_id and run is not None and run["status"] == "running":
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
