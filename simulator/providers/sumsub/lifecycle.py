"""The review lifecycle: the state changes scenario verbs and API calls make, by the transition table.

A run's subject is ``{"kind": "applicant" | "action", "id": ..., "applicantId": ...}``. Each
change stores the document and publishes the webhook Sumsub sends for it (section 4.1), as the
table (``transitions.py``) says; the verbs (``verbs.py``) declare their effects from the same table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.engine.scenarios.model import Scenario
from simulator.engine.scenarios.selection import select
from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub import images, media, webhooks
from simulator.providers.sumsub.checks import build_checks, planned_checks
from simulator.providers.sumsub.errors import SumsubError
from simulator.providers.sumsub.review import begin_attempt, complete, new_review, review_result, set_status
from simulator.providers.sumsub.state import SumsubState, fmt_created
from simulator.providers.sumsub.subjects import DOC_SET_OF, fill_recognised_info
from simulator.providers.sumsub.transitions import SUBMIT, TRANSITIONS

# Runs


def start_run(
    ctx: SumsubState,
    product: str,
    doc: dict[str, Any],
    subject: dict[str, Any],
    facts: Mapping[str, Any],
    header: str | None,
    *,
    handed_off: bool,
) -> None:
    """Pick the scenario (CONTRACT rules) and start playing it on ``doc``; raises SelectionError.

    ``handed_off``: a person has the flow already (a token or link was issued, or the page is open);
    otherwise the scenario's applicant steps wait for the client's request check or a hand-off."""
    sim = ctx.sim
    selection = select(
        sim.catalogue,
        sim.bindings,
        tenant=ctx.tenant,
        provider=c.PROVIDER,
        product=product,
        default=c.DEFAULT_SCENARIOS[product],
        facts=facts,
        header=header,
    )
    run = sim.runner.start(ctx.tenant, selection.scenario, subject, handed_off=handed_off)
    doc["_run"] = run["id"]
    doc["_scenario"] = selection.scenario.name
    doc["_rule"] = selection.rule_name
    doc["_personMayChoose"] = selection.person_may_choose


def load(ctx: SumsubState, subject: Mapping[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    if subject.get("kind") == "action":
        action = ctx.get(c.KIND_ACTION, subject["id"])
        applicant = ctx.get(c.KIND_APPLICANT, action["applicantId"]) if action else None
        return applicant, action
    return ctx.get(c.KIND_APPLICANT, subject["id"]), None


def save(ctx: SumsubState, applicant: dict[str, Any], action: dict[str, Any] | None) -> None:
    ctx.put(c.KIND_APPLICANT, applicant)
    if action is not None:
        ctx.put(c.KIND_ACTION, action)


# State changes


CAPTURED = {"PAYMENT_METHOD": "PAYMENT_METHOD", "PAYMENT_SOURCE": "PAYMENT_SOURCE", "SELFIE": "SELFIE"}


def capture(ctx: SumsubState, applicant: dict[str, Any], action: dict[str, Any] | None) -> None:
    """The pictures the applicant takes in the WebSDK (real PNGs), unless the client uploaded some."""
    subject = action or applicant
    if subject.get("_images"):
        return
    country = (applicant.get("info") or {}).get("country") or "GBR"
    if action is None:
        wanted = ["PASSPORT", "SELFIE"]
    else:
        wanted = [CAPTURED[t] for s in action["requiredIdDocs"]["docSets"] for t in s["types"] if t in CAPTURED]
    for id_doc_type in wanted:
        data = media.png(ctx.sim.ids.integer(0, 2**24 - 1, ctx.tenant))
        image = images.store_image(
            ctx, subject, data, "image/png", {"idDocType": id_doc_type, "country": country}, None
        )
        if action is not None:
            image["reviewResult"] = {}
            ctx.put(c.KIND_IMAGE, image)
            action.setdefault("images", []).append(images.action_image_json(image))
            if "paymentMethod" in action and id_doc_type == "PAYMENT_METHOD":
                action["paymentMethod"].setdefault("imageIds", []).append(image["id"])


def submit(
    ctx: SumsubState, applicant: dict[str, Any], action: dict[str, Any] | None, *, captures: bool = False
) -> bool:
    """The applicant finished the flow (``captures``: on the WebSDK, taking pictures) or the client
    requested the check: status pending."""
    subject = action or applicant
    if not begin_attempt(ctx, subject):
        return False
    if captures:
        capture(ctx, applicant, action)
    if action is None:
        fill_recognised_info(ctx, applicant)
    elif captures:  # the person consented on the WebSDK's agreement screen; an API request check has no consent
        subject.setdefault("agreement", {"createdAt": fmt_created(ctx.now), "source": "WebSDK", "recordIds": []})
    save(ctx, applicant, action)
    event = TRANSITIONS[SUBMIT].event(action)
    if event:
        webhooks.publish(ctx, event, applicant, action)
    return True


def retry_requested(subject: Mapping[str, Any]) -> bool:
    """The review ended RED with RETRY: the applicant may upload again (a new attempt)."""
    review = subject["review"]
    result = review.get("reviewResult") or {}
    return (
        review["reviewStatus"] == c.COMPLETED
        and result.get("reviewAnswer") == c.RED
        and result.get("reviewRejectType") == c.RETRY
    )


def run_is_live(ctx: SumsubState, subject: Mapping[str, Any]) -> bool:
    """The subject's scenario still has steps to play (or waits for one)."""
    run = ctx.sim.runner.get(ctx.tenant, c.PROVIDER, subject["_run"]) if subject.get("_run") else None
    return run is not None and run["status"] == "running"


def review_final(ctx: SumsubState, subject: Mapping[str, Any]) -> bool:
    """The review has its answer for now: completed, unless a RETRY the scenario still answers with a
    scripted resubmission (``applicant-retry-then-approved``). Later profile events do not count."""
    completed = subject["review"]["reviewStatus"] == c.COMPLETED
    return completed and not (retry_requested(subject) and run_is_live(ctx, subject))


def awaiting_resubmission(ctx: SumsubState, subject: Mapping[str, Any]) -> bool:
    """RETRY asked for new documents and no scenario scripts them: only the applicant can go on."""
    return retry_requested(subject) and not run_is_live(ctx, subject)


# The client's request check


def missing_steps(ctx: SumsubState, subject: Mapping[str, Any]) -> list[str]:
    """The required steps (``requiredIdDocs`` docSets) with nothing uploaded for them, in order.

    A document sent as ``FRONT_SIDE`` needs its ``BACK_SIDE`` too (Sumsub's "Get started with API");
    a questionnaire step is complete when the action carries its answers."""
    images = [img for i in subject.get("_images", []) if (img := ctx.get(c.KIND_IMAGE, i)) is not None]
    sides: dict[str, set[str]] = {}
    for image in images:
        sides.setdefault(image["idDocType"], set()).add(image.get("idDocSubType") or "")
    one_sided = {t for t, seen in sides.items() if "FRONT_SIDE" in seen and "BACK_SIDE" not in seen}
    one_sided.discard("PASSPORT")  # a single page: a FRONT_SIDE passport is complete
    missing = []
    for doc_set in subject["requiredIdDocs"]["docSets"]:
        step = doc_set["idDocSetType"]
        if step == "QUESTIONNAIRE":
            done = bool(subject.get("questionnaires") or subject.get("cryptoSourceOfFunds"))
        else:
            done = any(DOC_SET_OF.get(t, t) == step and t not in one_sided for t in sides)
        if not done:
            missing.append(step)
    return missing


def check_can_request(ctx: SumsubState, subject: Mapping[str, Any]) -> None:
    """Raise Sumsub's refusal of a request check (409), or return when the check may go ahead.

    The docs: not while pending, queued or prechecked (onHold is refused too: kycsim's review is still
    under way there), a FINAL rejection stays final, and every required step needs its documents."""
    review = subject["review"]
    status = review["reviewStatus"]
    result = review.get("reviewResult") or {}
    if status in c.IN_REVIEW or status == c.ON_HOLD:
        raise SumsubError(
            409,
            f"The review status is '{status}': a check cannot be requested while the review is pending, queued,"
            " prechecked or on hold",
        )
    if status == c.COMPLETED and result.get("reviewRejectType") == c.FINAL:
        raise SumsubError(409, "The review ended with a FINAL rejection: a check cannot be requested again")
    missing = missing_steps(ctx, subject) if status == c.INIT or retry_requested(subject) else []
    if missing:
        raise SumsubError(
            409,
            "Not all required documents or data are submitted. Make sure to complete"
            f" [{', '.join(missing)}] verification steps beforehand.",
        )


def _follow_up(ctx: SumsubState, subject: dict[str, Any], product: str, scenario: Scenario | None) -> None:
    """The scenario that decides the new attempt: the one a person picked, else the default (GREEN).

    The finished run is replaced, so it keeps its id and history (and the console shows one run)."""
    chosen = scenario or ctx.sim.catalogue.get(c.DEFAULT_SCENARIOS[product])
    if chosen is None or not subject.get("_run"):
        return
    ctx.sim.runner.replace(ctx.tenant, c.PROVIDER, subject["_run"], chosen)
    subject["_scenario"] = chosen.name
    subject["_rule"] = "person" if scenario is not None else "default"


def applicant_submits(
    ctx: SumsubState,
    applicant: dict[str, Any],
    action: dict[str, Any] | None,
    *,
    captures: bool = False,
    scenario: Scenario | None = None,
) -> bool:
    """A submission from outside the run (API request check, hosted page, ``/_sim``): change state,
    then move the run past its ``submit`` step (waiting for a person, or armed for the simulated one),
    so one submission is one attempt and the scenario's later steps play from now.

    After a RETRY rejection whose scenario has ended, the submission is a new attempt and a new
    scenario (``scenario``, else the product's default) plays its review; a scenario that scripts the
    resubmission itself (``applicant-retry-then-approved``) just goes on. FINAL rejections change nothing.
    """
    subject = action or applicant
    follow_up = awaiting_resubmission(ctx, subject)
    changed = submit(ctx, applicant, action, captures=captures)
    if changed and follow_up:
        _follow_up(ctx, subject, c.APPLICANT_ACTION if action is not None else c.APPLICANT, scenario)
        save(ctx, applicant, action)
    if changed and subject.get("_run"):
        ctx.sim.runner.performed(ctx.tenant, c.PROVIDER, subject["_run"], SUBMIT)
    return changed


def move(ctx: SumsubState, applicant: dict[str, Any], action: dict[str, Any] | None, trigger: str) -> None:
    """A status change of the review in progress (``precheck``, ``queue``, ``hold``)."""
    row = TRANSITIONS[trigger]
    subject = action or applicant
    if subject["review"]["reviewStatus"] == c.INIT:
        begin_attempt(ctx, subject)
    set_status(subject, row.status, ctx.now)
    save(ctx, applicant, action)
    event = row.event(action)
    if event:
        webhooks.publish(ctx, event, applicant, action)


def review(ctx: SumsubState, applicant: dict[str, Any], action: dict[str, Any] | None, args: Mapping[str, Any]) -> None:
    result = review_result(dict(args))
    subject = action or applicant
    complete(subject, result, ctx.now, action=action is not None)
    if action is not None:
        build_checks(ctx, action, applicant, planned_checks(action, result["reviewAnswer"], args.get("checks")))
    save(ctx, applicant, action)
    event = TRANSITIONS["review"].event(action)
    if event:
        webhooks.publish(ctx, event, applicant, action)


def reset(ctx: SumsubState, applicant: dict[str, Any]) -> None:
    old = applicant["review"]
    fresh = new_review(ctx, old["levelName"])
    fresh["attemptCnt"] = old["attemptCnt"]
    applicant["review"] = fresh
    applicant["_images"] = []
    for key in ("_pendingAt", "_queuedAt"):
        applicant.pop(key, None)


def notice(
    ctx: SumsubState, applicant: dict[str, Any], action: dict[str, Any] | None, event: str, args: Mapping[str, Any]
) -> None:
    extra: dict[str, Any] = {}
    if event == c.WH_APPLICANT_RESET:
        reset(ctx, applicant)
    elif event in (c.WH_APPLICANT_LEVEL_CHANGED, c.WH_ACTION_LEVEL_CHANGED):
        subject = action if event == c.WH_ACTION_LEVEL_CHANGED and action is not None else applicant
        previous = subject["review"]["levelName"]
        subject["review"]["levelName"] = args.get("level") or f"{previous}-2"
        extra["previousLevelName"] = previous
    elif event in (c.WH_APPLICANT_DEACTIVATED, c.WH_APPLICANT_ACTIVATED):
        applicant["_active"] = event == c.WH_APPLICANT_ACTIVATED
    elif event == c.WH_APPLICANT_DELETED:
        applicant["_deleted"] = True
    elif event.startswith("videoIdent"):
        extra["videoIdentReviewStatus"] = c.COMPLETED if event.endswith("Completed") else c.PENDING
    save(ctx, applicant, action)
    on_action = action if event == c.WH_ACTION_LEVEL_CHANGED else None
    webhooks.publish(ctx, event, applicant, on_action, extra)
