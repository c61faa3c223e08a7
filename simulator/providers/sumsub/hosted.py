"""The hosted WebSDK page that access tokens and websdk links lead to.

``/websdk/p/{linkId}`` (current links), ``/idensic/l/#/{linkId}`` (legacy links: the id is in
the fragment, so a line of JavaScript forwards it) and ``/websdk/t/{accessToken}`` (what a WebSDK
launched with an access token would open). Opening the page creates the applicant (and the
action, for action levels) the way the real WebSDK does. In ``auto`` mode the scenario plays the
applicant and the page only shows progress (it polls ``.../state``, kept out of the journal, and
reloads only when the review moves); in ``interactive`` mode the person submits here and, when
nobody chose a scenario beforehand, may pick one from the catalogue.

The page is ``templates/websdk.html`` on the toolkit's skeleton (``simulator/toolkit/pages.py``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from simulator.bodies import BodyError, body_limit, read_form
from simulator.engine.scenarios.model import Scenario
from simulator.engine.store import iter_all
from simulator.providers.sumsub import applicant_actions, applicants, handoff, lifecycle
from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub.api import find_action_by_external_id, find_by_external_user_id, sim_of
from simulator.providers.sumsub.errors import SumsubError
from simulator.providers.sumsub.state import SumsubState
from simulator.toolkit import pages
from simulator.toolkit.pages import Code, Follow

INTERACTIVE = "interactive"
FLOW = "Sumsub WebSDK"
PAGES = pages.Pages(Path(__file__).with_name("templates"))


def _resolve(request: Request, kind: str, key: str) -> tuple[SumsubState, dict[str, Any]] | None:
    sim = sim_of(request)
    store_kind = c.KIND_LINK if kind == "p" else c.KIND_TOKEN
    for tenant, doc in iter_all(sim.store, c.PROVIDER, store_kind):
        if doc["id"] == key:
            doc["_kind"] = store_kind
            return SumsubState(sim, tenant), doc
    return None


def _expired(ctx: SumsubState, grant: dict[str, Any]) -> bool:
    return datetime.fromisoformat(grant["expiresAt"].replace("Z", "+00:00")) < ctx.now


def open_flow(ctx: SumsubState, grant: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The applicant (and action) this link or token is for, created on first visit; the person on
    the page has its flow (an action link hands over the action only, not the applicant's own KYC)."""
    if not grant.get("userId"):
        grant["userId"] = f"websdk-{ctx.uuid()}"  # a link for no user in particular: the first visit makes one
        ctx.put(grant["_kind"], grant)
    identifiers = grant.get("applicantIdentifiers") or {}
    contact = {k: v for k, v in identifiers.items() if k in ("email", "phone")}
    applicant = find_by_external_user_id(ctx, grant["userId"])
    action_id = grant.get("externalActionId")
    if applicant is None:
        level = c.DEFAULT_LEVEL if action_id else grant["levelName"]
        body = {"externalUserId": grant["userId"], **contact}
        # Made for an action, the applicant has nobody doing its own KYC here: only the action is handed over.
        applicant = applicants.create(ctx, body, level, None, platform="Web", on_page=not action_id)
    elif not action_id:
        handoff.hand_off(ctx, applicant)
    if not action_id:
        return applicant, None
    action = find_action_by_external_id(ctx, applicant["id"], action_id)
    if action is None:
        body = {"externalActionId": action_id, **contact}
        action = applicant_actions.create(ctx, applicant, body, grant["levelName"], None, on_page=True)
    else:
        handoff.hand_off(ctx, action)
    return applicant, action


def _problem(request: Request, message: str, status_code: int) -> Response:
    return PAGES.message(request, {"title": "Identity verification", "flow": FLOW, "message": message}, status_code)


def _flow(request: Request) -> tuple[SumsubState, dict[str, Any], dict[str, Any] | None] | Response:
    """The visitor's tenant, applicant and action, or the page explaining why there are none."""
    found = _resolve(request, request.path_params["kind"], request.path_params["key"])
    if found is None:
        return _problem(request, "This verification link or access token is unknown.", 404)
    ctx, grant = found
    request.state.provider, request.state.tenant = c.PROVIDER, ctx.tenant
    if _expired(ctx, grant):
        return _problem(request, "This verification link has expired.", 410)
    try:
        applicant, action = open_flow(ctx, grant)
    except SumsubError as exc:
        return _problem(request, exc.description, exc.status)
    request.state.scenario = (action or applicant).get("_scenario")
    request.state.sumsub_grant = grant
    return ctx, applicant, action


# Where the applicant goes once the review is final (the link's ``redirect``)

JWT_TTL = 7 * 24 * 3600  # the documented example token is valid for 7 days


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def redirect_jwt(sign_key: str, external_user_id: str, issued_at: int) -> str:
    """The signed ``jwt`` parameter Sumsub documents for its redirect URLs: HS256, the key used raw,
    payload ``{iat, exp, sub: externalUserId, aud: clientId}`` (compact JSON, in that order)."""
    header = _b64(b'{"alg":"HS256"}')
    claims = {"iat": issued_at, "exp": issued_at + JWT_TTL, "sub": external_user_id, "aud": c.CLIENT_ID}
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(sign_key.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def _remember_query(ctx: SumsubState, grant: dict[str, Any], request: Request) -> None:
    """Keep the query parameters the link was opened with that ``allowedQueryParams`` lets through
    (the page's own forms post without them)."""
    allowed = ((grant.get("redirect") or {}).get("allowedQueryParams")) or []
    seen = {k: v for k, v in request.query_params.items() if k in allowed}
    if seen and seen != grant.get("_forwarded"):
        grant["_forwarded"] = seen
        ctx.put(grant["_kind"], grant)


def redirect_target(
    ctx: SumsubState, grant: dict[str, Any], applicant: dict[str, Any], result: dict[str, Any]
) -> str | None:
    """``successUrl`` after GREEN, ``rejectUrl`` after RED (their own query kept), plus the allowed
    query parameters the link was opened with and, with a ``signKey``, a signed ``jwt``."""
    redirect = grant.get("redirect") or {}
    url = redirect.get("successUrl") if result.get("reviewAnswer") == c.GREEN else redirect.get("rejectUrl")
    if not pages.is_http_url(url):
        return None  # only http(s): never a script behind "Return to the merchant"
    extra = list((grant.get("_forwarded") or {}).items())
    if redirect.get("signKey"):
        extra.append(("jwt", redirect_jwt(redirect["signKey"], applicant["externalUserId"], int(ctx.now.timestamp()))))
    return pages.safe_redirect(url, extra)


def _history(ctx: SumsubState, subject: dict[str, Any]) -> list[dict[str, Any]]:
    """The subject's timeline: every webhook event it produced (kept whether or not an endpoint is set)."""
    rows = []
    for event in ctx.sim.dispatcher.events:
        if event.resource != subject["id"] or event.tenant != ctx.tenant or event.provider != c.PROVIDER:
            continue
        body = json.loads(event.body)
        result = body.get("reviewResult") or {}
        answer = " · ".join(v for v in (result.get("reviewAnswer"), result.get("reviewRejectType")) if v)
        rows.append({"at": event.created_at, "event": event.type, "status": body.get("reviewStatus"), "answer": answer})
    return rows


def _snapshot(
    ctx: SumsubState, grant: dict[str, Any], applicant: dict[str, Any], action: dict[str, Any] | None
) -> dict:
    """What the page shows and its state endpoint answers."""
    subject = action or applicant
    review = subject["review"]
    result = review.get("reviewResult") or {}
    mode = ctx.sim.settings.applicant
    settled = lifecycle.review_final(ctx, subject)
    history = _history(ctx, subject)
    script = pages.script(ctx.sim, c.PROVIDER, ctx.tenant, subject.get("_run"), mode == INTERACTIVE)
    target = redirect_target(ctx, grant, applicant, result) if settled else None
    answer = " · ".join(v for v in (result.get("reviewAnswer"), result.get("reviewRejectType")) if v)
    version = f"{review['reviewStatus']}/{answer}/{review['attemptCnt']}/{len(history)}/{pages.script_version(script)}"
    return {
        "applicant_id": applicant["id"],
        "external_user_id": applicant["externalUserId"],
        "action_id": action["id"] if action else None,
        "external_action_id": action["externalActionId"] if action else None,
        "level": review["levelName"],
        "scenario": subject.get("_scenario", ""),
        "review_status": review["reviewStatus"],
        "attempt": review["attemptCnt"],
        "answer": answer,
        "reject_labels": result.get("rejectLabels", []),
        "settled": settled,
        "mode": mode,
        "history": history,
        "script": script,
        "redirect": target,
        "clock": ctx.now.isoformat(),
        # What the page's script compares with what it shows, and where an auto-played applicant goes.
        "version": version,
        "leave": target if mode != INTERACTIVE else None,
    }


async def state(request: Request) -> Response:
    """What an open page polls to follow the review: read-only (opening the page is the hand-off, not
    polling it), kept out of the journal and off the console at ``info``."""
    pages.note_poll(request)
    found = _resolve(request, request.path_params["kind"], request.path_params["key"])
    if found is None:
        return JSONResponse({"error": "unknown verification link or access token"}, status_code=404)
    ctx, grant = found
    request.state.provider, request.state.tenant = c.PROVIDER, ctx.tenant
    if _expired(ctx, grant):
        return JSONResponse({"error": "this verification link has expired"}, status_code=410)
    applicant, action = handoff.find(ctx, grant.get("userId") or "", grant.get("externalActionId"))
    if applicant is None or (grant.get("externalActionId") and action is None):
        return JSONResponse({"error": "this verification page has not been opened yet"}, status_code=404)
    return JSONResponse(_snapshot(ctx, grant, applicant, action))


async def show(request: Request) -> Response:
    pages.note_own_reload(request)
    flow = _flow(request)
    if isinstance(flow, Response):
        return flow
    ctx, applicant, action = flow
    subject = action or applicant
    review = subject["review"]
    result = review.get("reviewResult") or {}
    sim = ctx.sim
    grant = request.state.sumsub_grant
    _remember_query(ctx, grant, request)
    snapshot = _snapshot(ctx, grant, applicant, action)
    run = sim.runner.get(ctx.tenant, c.PROVIDER, subject.get("_run", "")) if subject.get("_run") else None
    waiting = run is not None and run.get("waiting_for") == lifecycle.SUBMIT
    settled = snapshot["settled"]
    again = lifecycle.awaiting_resubmission(ctx, subject)
    interactive = sim.settings.applicant == INTERACTIVE
    notes = []
    if result.get("reviewRejectType") == c.FINAL and settled:
        notes.append("This rejection is final: the documents cannot be submitted again.")
    elif lifecycle.retry_requested(subject) and (again or waiting):
        comment = result.get("moderationComment")
        notes.append("Resubmission requested" + (f": {comment}" if comment else "."))
    may_submit = interactive and (waiting or review["reviewStatus"] == c.INIT or again)
    chooser = None
    if interactive and subject.get("_personMayChoose") and (review["reviewStatus"] == c.INIT or again):
        # One form: the outcome in the list goes with "Submit verification" too, so a person who picks one
        # and submits straight away gets it (two forms used to submit the old scenario). After a RETRY the
        # pick decides the new attempt; there is nothing left to switch without submitting.
        product = c.APPLICANT_ACTION if action else c.APPLICANT
        selected = subject.get("_scenario") if not again else c.DEFAULT_SCENARIOS[product]
        scenarios = sim.catalogue.for_product(c.PROVIDER, product)
        chooser = pages.picker(sim.providers[c.PROVIDER], scenarios, selected)
    submit_label = "Submit again" if again or review["reviewStatus"] == c.COMPLETED else "Submit verification"
    here = request.url.path
    context = {
        "title": "Identity verification",
        "flow": FLOW,
        "s": snapshot,
        "here": here,
        "notes": notes,
        "interactive": interactive,
        "may_submit": may_submit,
        "chooser": chooser,
        "offer_switch": chooser is not None and not again,
        "submit_label": "Submit again" if again else submit_label,
        "following": not may_submit and review["reviewStatus"] != c.COMPLETED,
        "labels": [Code(label, meaning=c.LABEL_MEANINGS.get(label, "")).text for label in snapshot["reject_labels"]],
        # Follow the review while it moves, but never reload under a person who still has to act; once the
        # review is final, the auto-played applicant leaves for the merchant's URL (as Sumsub redirects).
        "follow": Follow(f"{here}/state", snapshot["version"]) if not settled and not may_submit else None,
        "leave_to": snapshot["leave"],
    }
    return PAGES.render(request, "websdk.html", context)


async def submit(request: Request) -> Response:
    flow = _flow(request)
    if isinstance(flow, Response):
        return flow
    ctx, applicant, action = flow
    subject = action or applicant
    chosen = await _scenario_field(request)
    if isinstance(chosen, Response):
        return chosen
    picked: Scenario | None = None
    if chosen and lifecycle.awaiting_resubmission(ctx, subject):  # the outcome of the new attempt
        found = _scenario_for(request, ctx, action, str(chosen))
        if isinstance(found, Response):
            return found
        # Unless the scenario was fixed beforehand: then the new attempt gets the default.
        picked = found if subject.get("_personMayChoose") else None
    elif chosen:  # the outcome picked in the same form, as "Use this scenario" would apply it
        problem = _choose(request, ctx, subject, action, str(chosen))
        if problem is not None:
            return problem
    lifecycle.applicant_submits(ctx, applicant, action, captures=True, scenario=picked)
    return RedirectResponse(str(request.url.path).removesuffix("/submit"), status_code=303)


async def _scenario_field(request: Request) -> str | Response:
    """The page form's ``scenario`` field ("" when absent), or a page saying the form was unreadable."""
    try:
        form = await read_form(request, body_limit(request))
    except BodyError as exc:
        return _problem(request, f"The form could not be read: {exc.message}", exc.status)
    value = form.get("scenario")
    return value if isinstance(value, str) else ""


def _scenario_for(request: Request, ctx: SumsubState, action: dict[str, Any] | None, name: str) -> Scenario | Response:
    scenario = ctx.sim.catalogue.get(name)
    product = c.APPLICANT_ACTION if action else c.APPLICANT
    if scenario is None or scenario.product != product or scenario.provider != c.PROVIDER:
        return _problem(request, "Unknown scenario for this flow.", 400)
    return scenario


def _choose(
    request: Request, ctx: SumsubState, subject: dict[str, Any], action: dict[str, Any] | None, name: str
) -> Response | None:
    """Switch the subject's run to the scenario a person picked; a page explaining the problem otherwise."""
    scenario = _scenario_for(request, ctx, action, name)
    if isinstance(scenario, Response):
        return scenario
    may_choose = subject.get("_personMayChoose") and subject["review"]["reviewStatus"] == c.INIT
    if may_choose and subject.get("_run") and subject.get("_scenario") != scenario.name:
        ctx.sim.runner.replace(ctx.tenant, c.PROVIDER, subject["_run"], scenario)
        subject["_scenario"] = scenario.name
        subject["_rule"] = "person"
        ctx.put(c.KIND_ACTION if action else c.KIND_APPLICANT, subject)
    return None


async def choose(request: Request) -> Response:
    flow = _flow(request)
    if isinstance(flow, Response):
        return flow
    ctx, applicant, action = flow
    chosen = await _scenario_field(request)
    if isinstance(chosen, Response):
        return chosen
    problem = _choose(request, ctx, action or applicant, action, chosen)
    if problem is not None:
        return problem
    return RedirectResponse(str(request.url.path).removesuffix("/scenario"), status_code=303)


async def legacy_forward(request: Request) -> Response:
    """``/idensic/l/#/{linkId}``: the id is in the fragment, which only the browser sees."""
    return PAGES.render(request, "legacy_forward.html", {"title": "Identity verification", "flow": FLOW})
