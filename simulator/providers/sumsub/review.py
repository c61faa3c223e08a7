"""The review of an applicant or an action: its JSON, and how its status moves from ``init`` to
``completed`` (a submission, a status change, the answer), shared by the lifecycle and the API.

Documents are stored as the wire JSON itself plus private keys starting with ``_`` (timestamps
of the review's stages); every id and date comes from the tenant's state.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub.state import SumsubState, fmt_review


def new_review(ctx: SumsubState, level: str) -> dict[str, Any]:
    return {
        "reviewId": ctx.short_id(),
        "attemptId": ctx.short_id(),
        "attemptCnt": 0,
        "levelName": level,
        "createDate": fmt_review(ctx.now),
        "reviewStatus": c.INIT,
        "priority": 0,
        "reprocessing": False,
    }


def set_status(doc: dict[str, Any], status: str, now: datetime) -> None:
    review = doc["review"]
    review["reviewStatus"] = status
    stamp = now.isoformat()
    if status == c.PENDING:
        doc["_pendingAt"] = stamp
        review.setdefault("startDate", fmt_review(now))
    elif status == c.QUEUED:
        doc["_queuedAt"] = stamp


def begin_attempt(ctx: SumsubState, doc: dict[str, Any]) -> bool:
    """Submission: init -> pending (first attempt) or a RETRY-rejected review -> a new attempt.

    Returns False when there is nothing to submit (already in review or finally decided).
    """
    review = doc["review"]
    status = review["reviewStatus"]
    result = review.get("reviewResult") or {}
    retry = status == c.COMPLETED and result.get("reviewAnswer") == c.RED and result.get("reviewRejectType") == c.RETRY
    if status != c.INIT and not retry:
        return False
    if retry or review["attemptCnt"] > 0:
        review["attemptId"] = ctx.short_id()
        review["createDate"] = fmt_review(ctx.now)
        for key in ("reviewResult", "reviewDate", "elapsedSincePendingMs", "elapsedSinceQueuedMs", "startDate"):
            review.pop(key, None)
        doc.pop("reviewResult", None)
        doc.pop("_queuedAt", None)
    review["attemptCnt"] += 1
    set_status(doc, c.PENDING, ctx.now)
    return True


def review_result(args: dict[str, Any]) -> dict[str, Any]:
    """A ``reviewResult`` in Sumsub's field order from verb or API arguments."""
    answer = args.get("answer") or args.get("reviewAnswer") or c.GREEN
    result: dict[str, Any] = {}
    for key, arg in (("moderationComment", "moderation_comment"), ("clientComment", "client_comment")):
        value = args.get(arg, args.get(key))
        if value:
            result[key] = value
    result["reviewAnswer"] = answer
    if answer == c.RED:
        labels = args.get("reject_labels", args.get("rejectLabels")) or []
        result["rejectLabels"] = [str(label).upper() for label in labels]
        result["reviewRejectType"] = args.get("reject_type") or args.get("reviewRejectType") or c.RETRY
    buttons = args.get("button_ids", args.get("buttonIds"))
    if buttons:
        result["buttonIds"] = list(buttons)
    return result


def complete(doc: dict[str, Any], result: dict[str, Any], now: datetime, *, action: bool) -> None:
    review = doc["review"]
    if review["reviewStatus"] == c.INIT:
        review["attemptCnt"] = max(review["attemptCnt"], 1)
        doc.setdefault("_pendingAt", now.isoformat())
    pending_at = datetime.fromisoformat(doc.get("_pendingAt", now.isoformat()))
    review["elapsedSincePendingMs"] = int((now - pending_at) / timedelta(milliseconds=1))
    if not action:
        queued_at = datetime.fromisoformat(doc.get("_queuedAt", doc.get("_pendingAt", now.isoformat())))
        review["elapsedSinceQueuedMs"] = int((now - queued_at) / timedelta(milliseconds=1))
        review["reprocessing"] = bool(doc.get("_reviewed"))
    review["reviewDate"] = fmt_review(now)
    review["reviewResult"] = result
    review["reviewStatus"] = c.COMPLETED
    if action:
        doc["reviewResult"] = dict(result)
    doc["_reviewed"] = True
    # Keep the documented key order: reviewResult before reviewStatus.
    status = review.pop("reviewStatus")
    review["reviewStatus"] = status
