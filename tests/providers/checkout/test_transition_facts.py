"""Every trigger of the lifecycle against the fact sheet's transition model, played through the API.

Each row below is written from ``checkout-identities.md`` (section 4.3, the transition model; 4.1 and
4.2, the statuses; 6.2, the event types and the status each carries; 5.1, the codes; 7, the hosted
flow's return ``redirect_url?id=&event=[&response_code=]``) and, for the defaults of the verbs'
arguments, ``docs/checkout.md`` - never from ``transitions.py``. A scenario written here plays the
trigger on a fresh check; the test compares the newest attempt's status, the check's status and
codes, every webhook sent (type, and the status and codes in its payload, in order) and where the
hosted page sends the applicant back. The second table plays each trigger where the model does not
apply it: nothing changes and nothing is sent (a step that fires after the state moved on must not
resurrect an attempt).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.providers.checkout.products_helpers import (
    JPEG,
    create_document_check,
    create_fa,
    fa_attempt,
    upload,
    verified_applicant,
)

IDV, FA, IDDV = "identity_verification", "face_authentication", "id_document_verification"

OPEN = "{do: open_link, after: 1s}"
CAPTURE = "{do: complete_capture, after: 1s}"
APPROVE = "{do: complete_checks, after: 1s, with: {result: approved}}"
PASS = "{do: pass_quality_checks, after: 1s}"


@dataclass
class Played:
    status: str
    codes: list[int]
    attempt: str  # the newest attempt's status
    attempts: list[dict]  # newest first
    events: list[tuple[str, str, list[int]]]  # each webhook: its type without the product, data.status, codes
    redirect: dict[str, list[str]] | None  # the hosted page's return URL's query, once the visit is over
    labels: list[str] | None  # the check's risk labels (IDV and FA have them, 5.3)


def play(make_api, tmp_path, product: str, steps: list[str], *, client_retries: bool = False) -> Played:
    """A check of ``product`` playing ``steps`` (one second apart) on its first attempt; with
    ``client_retries``, the client then creates a new attempt (nothing more is played)."""
    lines = "".join(f"\n  - {step}" for step in steps) or " []"
    (tmp_path / "under-test.yaml").write_text(
        f"name: under-test\nprovider: checkout\nproduct: {product}\ndescription: rows of the model\nsteps:{lines}\n"
    )
    api = make_api(scenarios=[str(tmp_path)])
    if product == IDV:
        check = api.idv(scenario="under-test")
        path, new_attempt = "/identity-verifications", lambda: api.attempt(check["id"])
    elif product == FA:
        check = create_fa(api, verified_applicant(api), scenario="under-test")
        path, new_attempt = "/face-authentications", lambda: fa_attempt(api, check["id"])
    else:
        check = create_document_check(api, product, scenario="under-test")
        path = "/id-document-verifications"
        new_attempt = lambda: upload(api, product, check["id"], files={"document_front": ("f.jpg", JPEG, "image/jpeg")})  # noqa: E731
    assert check["status"] == "created"
    first = new_attempt()
    api.advance(len(steps) + 1)  # well before the unopened link's 15 minutes
    if client_retries:
        new_attempt()
    body = api.call("GET", f"{path}/{check['id']}")
    attempts = api.call("GET", f"{path}/{check['id']}/attempts?limit=100")
    events = []
    for event in api.sim.dispatcher.events:
        if event.resource == check["id"]:
            data = json.loads(event.body)["data"]
            codes = [shown["code"] for shown in data.get("response_codes", [])]
            events.append((event.type.removeprefix(f"{product}_"), data["status"], codes))
    redirect = None
    if "verification_url" in first["_links"]:
        page = urlsplit(first["_links"]["verification_url"]["href"]).path
        target = api.client.get(f"{page}state").json()["redirect"]
        redirect = parse_qs(urlsplit(target).query) if target else None
        assert redirect is None or redirect["id"] == [check["id"]]
    return Played(
        status=body["status"],
        codes=[shown["code"] for shown in body["response_codes"]],
        attempt=attempts["data"][0]["status"],
        attempts=attempts["data"],
        events=events,
        redirect=redirect,
        labels=body.get("risk_labels"),
    )


def back(event: str, code: int | None = None) -> dict[str, list[str]]:
    """The query the hosted page sends the applicant back with (without the check's id)."""
    return {"event": [event], **({"response_code": [str(code)]} if code else {})}


# The events a flow sends after ``created``, as far as each step (suffix, payload status, payload codes).
OPENED = [("opened", "pending", [])]
STARTED = [*OPENED, ("started", "capture_in_progress", [])]
CAPTURED = [*STARTED, ("capture_completed", "checks_in_progress", [])]
APPROVED = [*CAPTURED, ("checks_completed", "approved", [10000])]

# Where a trigger applies: (product, steps, attempt status, check status, codes, the events after
# ``created`` (suffix, payload status, payload codes), the hosted page's return or None).
APPLIES = {
    "first attempt": (IDV, [], "pending_redirection", "pending", [], OPENED, None),
    "open_link": (
        IDV,
        [OPEN],
        "capture_in_progress",
        "capture_in_progress",
        [],
        STARTED,
        None,
    ),
    "complete_capture": (
        IDV,
        [OPEN, CAPTURE],
        "checks_in_progress",
        "checks_in_progress",
        [],
        CAPTURED,
        back("identity_verification_capture_completed"),
    ),
    "abort_capture with a code": (
        IDV,
        [OPEN, "{do: abort_capture, after: 1s, with: {code: 61203}}"],
        "capture_aborted",
        "retry_required",
        [61203],
        [
            *STARTED,
            ("capture_aborted", "retry_required", [61203]),
        ],
        back("identity_verification_capture_aborted", 61203),
    ),
    "abort_capture: docs/checkout.md's default 61111": (
        IDV,
        [OPEN, "{do: abort_capture, after: 1s}"],
        "capture_aborted",
        "retry_required",
        [61111],
        [
            *STARTED,
            ("capture_aborted", "retry_required", [61111]),
        ],
        back("identity_verification_capture_aborted", 61111),
    ),
    "refuse_capture": (
        IDV,
        [OPEN, "{do: refuse_capture, after: 1s}"],
        "capture_refused",
        "refused",
        [63001],
        [*STARTED, ("capture_refused", "refused", [63001])],
        back("identity_verification_capture_refused", 63001),
    ),
    "expire_link": (
        IDV,
        ["{do: expire_link, after: 1s}"],
        "expired",
        "retry_required",
        [61101],
        [*OPENED, ("link_expired", "retry_required", [61101])],
        back("identity_verification_link_expired", 61101),
    ),
    "complete_checks approved": (
        IDV,
        [OPEN, CAPTURE, APPROVE],
        "completed",
        "approved",
        [10000],
        APPROVED,
        back("identity_verification_capture_completed"),
    ),
    "complete_checks declined": (
        IDV,
        [OPEN, CAPTURE, "{do: complete_checks, after: 1s, with: {result: declined, codes: [62304, 62401]}}"],
        "completed",
        "declined",
        [62304, 62401],
        [
            *CAPTURED,
            ("checks_completed", "declined", [62304, 62401]),
        ],
        back("identity_verification_capture_completed"),
    ),
    "checks_inconclusive with a code": (
        IDV,
        [OPEN, CAPTURE, "{do: checks_inconclusive, after: 1s, with: {code: 61411}}"],
        "checks_inconclusive",
        "retry_required",
        [61411],
        [
            *CAPTURED,
            ("checks_inconclusive", "retry_required", [61411]),
        ],
        back("identity_verification_capture_completed"),
    ),
    "checks_inconclusive: docs/checkout.md's default 61901": (
        IDV,
        [OPEN, CAPTURE, "{do: checks_inconclusive, after: 1s}"],
        "checks_inconclusive",
        "retry_required",
        [61901],
        [
            *CAPTURED,
            ("checks_inconclusive", "retry_required", [61901]),
        ],
        back("identity_verification_capture_completed"),
    ),
    "create_report keeps the verdict": (
        IDV,
        [OPEN, CAPTURE, APPROVE, "{do: create_report, after: 1s}"],
        "completed",
        "approved",
        [10000],
        [
            *APPROVED,
            ("report_created", "approved", [10000]),
        ],
        back("identity_verification_capture_completed"),
    ),
    "close: retry_required, the documented example": (
        IDV,
        [OPEN, "{do: close, after: 1s}"],
        "terminated",
        "retry_required",
        [64001],
        [*STARTED, ("closed", "retry_required", [64001])],
        back("identity_verification_closed", 64001),
    ),
    "close: inconclusive": (
        IDV,
        [OPEN, "{do: close, after: 1s, with: {status: inconclusive}}"],
        "terminated",
        "inconclusive",
        [64001],
        [*STARTED, ("closed", "inconclusive", [64001])],
        back("identity_verification_closed", 64001),
    ),
    "close after the attempt ended: 64001 ends no attempt that was no longer valid": (
        IDV,
        [OPEN, "{do: abort_capture, after: 1s}", "{do: close, after: 1s, with: {status: inconclusive}}"],
        "capture_aborted",
        "inconclusive",
        [64001],
        [
            *STARTED,
            ("capture_aborted", "retry_required", [61111]),
            ("closed", "inconclusive", [64001]),
        ],
        back("identity_verification_capture_aborted", 61111),
    ),
    "audit": (
        IDV,
        [OPEN, CAPTURE, APPROVE, "{do: audit, after: 1s, with: {result: declined, codes: [62301]}}"],
        "completed",
        "declined",
        [62301],
        [
            *APPROVED,
            ("audit_completed", "declined", [62301]),
        ],
        back("identity_verification_capture_completed"),
    ),
    "audit approving names 10000": (
        IDV,
        [
            OPEN,
            CAPTURE,
            "{do: complete_checks, after: 1s, with: {result: declined, codes: [62301]}}",
            "{do: audit, after: 1s, with: {result: approved}}",
        ],
        "completed",
        "approved",
        [10000],
        [
            *CAPTURED,
            ("checks_completed", "declined", [62301]),
            ("audit_completed", "approved", [10000]),
        ],
        back("identity_verification_capture_completed"),
    ),
    "anonymize keeps status and codes": (
        IDV,
        [OPEN, CAPTURE, APPROVE, "{do: anonymize, after: 1s}"],
        "completed",
        "approved",
        [10000],
        [
            *APPROVED,
            ("anonymized", "approved", [10000]),
        ],
        back("identity_verification_capture_completed"),
    ),
    "create_new_attempt while one is open": (
        IDV,
        [OPEN, "{do: create_new_attempt, after: 1s}"],
        "pending_redirection",
        "pending",
        [],
        [*STARTED, ("reset", "pending", [])],
        None,
    ),
    "face authentication: the same model, its own event names": (
        FA,
        [OPEN, "{do: abort_capture, after: 1s, with: {code: 61113}}"],
        "capture_aborted",
        "retry_required",
        [61113],
        [
            *STARTED,
            ("capture_aborted", "retry_required", [61113]),
        ],
        back("face_authentication_capture_aborted", 61113),
    ),
    "ID document upload: quality checks, no event": (
        IDDV,
        [],
        "quality_checks_in_progress",
        "quality_checks_in_progress",
        [],
        [],
        None,
    ),
    "pass_quality_checks": (
        IDDV,
        [PASS],
        "checks_in_progress",
        "checks_in_progress",
        [],
        [("started", "checks_in_progress", [])],
        None,
    ),
    "abort_quality_checks with a code": (
        IDDV,
        ["{do: abort_quality_checks, after: 1s, with: {code: 61302}}"],
        "quality_checks_aborted",
        "retry_required",
        [61302],
        [("checks_inconclusive", "retry_required", [61302])],
        None,
    ),
    "abort_quality_checks: docs/checkout-products.md's default 61301": (
        IDDV,
        ["{do: abort_quality_checks, after: 1s}"],
        "quality_checks_aborted",
        "retry_required",
        [61301],
        [("checks_inconclusive", "retry_required", [61301])],
        None,
    ),
    "ID document checks completed": (
        IDDV,
        [PASS, APPROVE],
        "completed",
        "approved",
        [10000],
        [("started", "checks_in_progress", []), ("checks_completed", "approved", [10000])],
        None,
    ),
    "reset_attempt while the checks run": (
        IDDV,
        [PASS, "{do: reset_attempt, after: 1s}"],
        "terminated",
        "retry_required",
        [64001],
        [("started", "checks_in_progress", []), ("closed", "retry_required", [64001])],
        None,
    ),
    "reset_attempt during the quality checks": (
        IDDV,
        ["{do: reset_attempt, after: 1s}"],
        "terminated",
        "retry_required",
        [64001],
        [("closed", "retry_required", [64001])],
        None,
    ),
}


@pytest.mark.parametrize("row", list(APPLIES), ids=list(APPLIES))
def test_each_trigger_as_the_model_gives_it(make_api, tmp_path, row):
    product, steps, attempt, status, codes, events, redirect = APPLIES[row]
    played = play(make_api, tmp_path, product, steps)
    assert (played.attempt, played.status, played.codes) == (attempt, status, codes)
    assert played.events == [("created", "created", []), *events]
    assert played.labels == (None if product == IDDV else [])
    if product != IDDV:
        assert played.redirect == (None if redirect is None else {"id": played.redirect["id"], **redirect})


def test_a_replaced_attempt_is_terminated_with_64001(make_api, tmp_path):
    """New attempt while one is open: the old one is terminated, "old attempt may get 64001" (4.3)."""
    played = play(make_api, tmp_path, IDV, [OPEN], client_retries=True)
    old = played.attempts[1]
    assert (old["status"], [shown["code"] for shown in old["response_codes"]]) == ("terminated", [64001])
    assert played.events[-1] == ("reset", "pending", [])


def test_a_new_attempt_after_retry_required_is_a_retry(make_api, tmp_path):
    played = play(make_api, tmp_path, IDV, [OPEN, "{do: abort_capture, after: 1s}"], client_retries=True)
    assert (played.attempt, played.status, played.codes) == ("pending_redirection", "pending", [])
    assert played.attempts[1]["status"] == "capture_aborted"  # an ended attempt stays as it ended
    assert played.events[-2:] == [("capture_aborted", "retry_required", [61111]), ("retry_requested", "pending", [])]


def test_risk_labels_come_with_the_verdict(make_api, tmp_path):
    step = "{do: complete_checks, after: 1s, with: {result: approved, risk_labels: [multiple_faces_detected]}}"
    played = play(make_api, tmp_path, IDV, [OPEN, CAPTURE, step])
    assert (played.status, played.codes, played.labels) == ("approved", [10000], ["multiple_faces_detected"])


# Where it does not: (product, steps, the last step's trigger, attempt status, check status, events
# after ``created``) - the state the steps before the last one left.
DOES_NOT_APPLY = {
    "complete_capture before the link is opened": (IDV, [CAPTURE], "pending_redirection", "pending", OPENED),
    "open_link twice": (IDV, [OPEN, OPEN], "capture_in_progress", "capture_in_progress", STARTED),
    "complete_checks during the capture": (IDV, [OPEN, APPROVE], "capture_in_progress", "capture_in_progress", STARTED),
    "checks_inconclusive during the capture": (
        IDV,
        [OPEN, "{do: checks_inconclusive, after: 1s}"],
        "capture_in_progress",
        "capture_in_progress",
        STARTED,
    ),
    "abort_capture once the capture is done": (
        IDV,
        [OPEN, CAPTURE, "{do: abort_capture, after: 1s}"],
        "checks_in_progress",
        "checks_in_progress",
        CAPTURED,
    ),
    "refuse_capture once the capture is done": (
        IDV,
        [OPEN, CAPTURE, "{do: refuse_capture, after: 1s}"],
        "checks_in_progress",
        "checks_in_progress",
        CAPTURED,
    ),
    "expire_link once it is opened": (
        IDV,
        [OPEN, "{do: expire_link, after: 1s}"],
        "capture_in_progress",
        "capture_in_progress",
        STARTED,
    ),
    "create_report before the verdict": (
        IDV,
        [OPEN, CAPTURE, "{do: create_report, after: 1s}"],
        "checks_in_progress",
        "checks_in_progress",
        CAPTURED,
    ),
    "audit before the verdict": (
        IDV,
        [OPEN, CAPTURE, "{do: audit, after: 1s, with: {result: approved}}"],
        "checks_in_progress",
        "checks_in_progress",
        CAPTURED,
    ),
    "close once decided": (IDV, [OPEN, CAPTURE, APPROVE, "{do: close, after: 1s}"], "completed", "approved", APPROVED),
    "pass_quality_checks twice": (
        IDDV,
        [PASS, PASS],
        "checks_in_progress",
        "checks_in_progress",
        [("started", "checks_in_progress", [])],
    ),
    "complete_checks during the quality checks": (
        IDDV,
        [APPROVE],
        "quality_checks_in_progress",
        "quality_checks_in_progress",
        [],
    ),
}


@pytest.mark.parametrize("row", list(DOES_NOT_APPLY), ids=list(DOES_NOT_APPLY))
def test_a_trigger_where_the_model_does_not_apply_it_changes_nothing(make_api, tmp_path, row):
    product, steps, attempt, status, events = DOES_NOT_APPLY[row]
    played = play(make_api, tmp_path, product, steps)
    assert (played.attempt, played.status) == (attempt, status)
    assert played.events == [("created", "created", []), *events]


@pytest.mark.parametrize(
    ("steps", "told"),
    [
        ([CAPTURE, OPEN], r"complete_capture skipped: iatp_\w+ is pending_redirection"),
        ([OPEN, OPEN, CAPTURE], r"open_link skipped: iatp_\w+ is capture_in_progress"),
        ([OPEN, APPROVE, CAPTURE], r"complete_checks skipped: iatp_\w+ is capture_in_progress"),
        ([OPEN, "{do: create_report, after: 1s}", CAPTURE], r"create_report skipped: idv_\w+ is capture_in_progress"),
        ([OPEN, CAPTURE, APPROVE, "{do: close, after: 1s}"], r"close skipped: idv_\w+ is approved"),
    ],
)
def test_a_step_that_does_not_apply_is_told_on_the_console_and_the_scenario_plays_on(make_api, tmp_path, steps, told):
    """The console (the ``kycsim`` logger, at ``--log-level info``) names the step that did nothing and
    the status that stopped it; the run goes on with its next step."""
    seen: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    console, handler = logging.getLogger("kycsim"), Collect()
    level = console.level
    console.addHandler(handler)
    console.setLevel(logging.INFO)
    try:
        played = play(make_api, tmp_path, IDV, steps)
    finally:
        console.removeHandler(handler)
        console.setLevel(level)
    assert any(re.fullmatch(f"checkout: {told}", message) for message in seen), seen
    if steps[-1] == CAPTURE:  # played after the skipped step
        assert (played.attempt, played.events[-1][0]) == ("checks_in_progress", "capture_completed")
    elif steps[-1] == OPEN:
        assert (played.attempt, played.events[-1][0]) == ("capture_in_progress", "started")


def test_the_documented_retry_scenario_plays_its_second_part_on_the_new_attempt(make_api, tmp_path):
    """docs/checkout.md's own example: blurry, then (on the attempt the client creates) expired."""
    (tmp_path / "idv-blurry-then-declined.yaml").write_text(
        "name: idv-blurry-then-declined\nprovider: checkout\nproduct: identity_verification\n"
        "description: The document is blurry; on the retry the document turns out to be expired.\nsteps:\n"
        "  - {do: open_link, after: 10s}\n  - {do: complete_capture, after: 1m}\n"
        "  - {do: checks_inconclusive, after: 30s, with: {code: 61301}}\n  - {wait: new_attempt}\n"
        "  - {do: open_link, after: 10s}\n  - {do: complete_capture, after: 1m}\n"
        "  - {do: complete_checks, after: 30s, with: {result: declined, codes: [62101]}}\n"
        "  - {do: create_report, after: 5s}\n"
    )
    api = make_api(scenarios=[str(tmp_path)])
    idv = api.idv(scenario="idv-blurry-then-declined")
    api.attempt(idv["id"])
    api.advance(200)
    assert (api.get_idv(idv["id"])["status"], api.get_idv(idv["id"])["response_codes"][0]["code"]) == (
        "retry_required",
        61301,
    )
    api.attempt(idv["id"])
    api.advance(200)
    done = api.get_idv(idv["id"])
    assert (done["status"], done["response_codes"]) == ("declined", [{"code": 62101, "summary": "document_expired"}])
    assert api.events(idv["id"])[-4:] == [
        "identity_verification_started",
        "identity_verification_capture_completed",
        "identity_verification_checks_completed",
        "identity_verification_report_created",
    ]
