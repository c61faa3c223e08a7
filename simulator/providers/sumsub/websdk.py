"""The hosted WebSDK page that access tokens and websdk links lead to.

``/websdk/p/{linkId}`` (current links), ``/idensic/l/#/{linkId}`` (legacy links: the id is in
the fragment, so a line of JavaScript forwards it) and ``/websdk/t/{accessToken}`` (what a WebSDK
launched with an access token would open). Opening the page creates the applicant (and the
action, for action levels) the way the real WebSDK does. In ``auto`` mode the scenario plays the
applicant and the page only shows progress; in ``interactive`` mode the person submits here and,
when nobody chose a scenario beforehand, may pick one from the catalogue.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from simulator.bodies import BodyError, body_limit, read_form
from simulator.engine.scenarios.model import Scenario
from simulator.engine.store import iter_all
from simulator.providers.sumsub import applicant_actions, applicants, handoff, lifecycle
from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub.api import find_action_by_external_id, find_by_external_user_id, sim_of
from simulator.providers.sumsub.errors import SumsubError
from simulator.providers.sumsub.state import SumsubState

POLL_PARAM = "kycsim_poll"  # on the URL of the page's own reloads

LEGACY_FORWARD = """<!doctype html><html lang="en"><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Sumsub WebSDK (kycsim)</title>
<script>var id = location.hash.replace(/^#\\/?/, ""); location.replace("/websdk/p/" + encodeURIComponent(id));</script>
<p>Forwarding to the verification page…</p>"""


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


def _page(
    title: str, body: str, refresh: bool = False, status_code: int = 200, go_to: str | None = None
) -> HTMLResponse:
    """``refresh``: reload every 2 s to follow the review; ``go_to``: leave for that URL after 2 s instead."""
    # A reload carries POLL_PARAM, so the console tells it from a person opening the page (the query
    # the link was opened with is remembered already).
    meta = f'<meta http-equiv="refresh" content="2;url=?{POLL_PARAM}=1">' if refresh else ""
    if go_to:
        meta = f'<meta http-equiv="refresh" content="2;url={html.escape(go_to)}">'
    return HTMLResponse(
        f"""<!doctype html><html lang="en"><head><meta charset="utf-8">{meta}
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>{html.escape(title)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}}
dt{{font-weight:600}}button{{font-size:1rem;padding:.5rem 1rem;margin:.5rem .5rem 0 0}}
select{{display:block;max-width:100%;font-size:1rem;margin-top:.25rem}}</style></head>
<body><h1>{html.escape(title)}</h1>{body}
<p><small>kycsim — simulated Sumsub WebSDK</small></p></body></html>""",
        status_code=status_code,
    )


def _problem(message: str, status_code: int) -> HTMLResponse:
    return _page("Identity verification", f"<p>{html.escape(message)}</p>", status_code=status_code)


def _flow(request: Request) -> tuple[SumsubState, dict[str, Any], dict[str, Any] | None] | Response:
    """The visitor's tenant, applicant and action, or the page explaining why there are none."""
    found = _resolve(request, request.path_params["kind"], request.path_params["key"])
    if found is None:
        return _problem("This verification link or access token is unknown.", 404)
    ctx, grant = found
    request.state.provider, request.state.tenant = c.PROVIDER, ctx.tenant
    if _expired(ctx, grant):
        return _problem("This verification link has expired.", 410)
    try:
        applicant, action = open_flow(ctx, grant)
    except SumsubError as exc:
        return _problem(exc.description, exc.status)
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


def _http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and url.isprintable()


def redirect_target(
    ctx: SumsubState, grant: dict[str, Any], applicant: dict[str, Any], result: dict[str, Any]
) -> str | None:
    """``successUrl`` after GREEN, ``rejectUrl`` after RED (their own query kept), plus the allowed
    query parameters the link was opened with and, with a ``signKey``, a signed ``jwt``."""
    redirect = grant.get("redirect") or {}
    url = redirect.get("successUrl") if result.get("reviewAnswer") == c.GREEN else redirect.get("rejectUrl")
    if not isinstance(url, str) or not _http_url(url):
        return None  # only http(s): never a script behind "Return to the merchant"
    extra = list((grant.get("_forwarded") or {}).items())
    if redirect.get("signKey"):
        extra.append(("jwt", redirect_jwt(redirect["signKey"], applicant["externalUserId"], int(ctx.now.timestamp()))))
    if not extra:
        return url
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(extra)) if q)
    return urlunsplit(parts._replace(query=query))


async def show(request: Request) -> Response:
    if POLL_PARAM in request.query_params:
        request.state.poll = True  # the page following the review: the console shows it at debug only
    flow = _flow(request)
    if isinstance(flow, Response):
        return flow
    ctx, applicant, action = flow
    subject = action or applicant
    review = subject["review"]
    result = review.get("reviewResult") or {}
    rows = [
        ("Level", review["levelName"]),
        ("Applicant", applicant["id"]),
        ("External user id", applicant["externalUserId"]),
        *((("Action", action["id"]), ("External action id", action["externalActionId"])) if action else ()),
        ("Scenario", subject.get("_scenario", "")),
        ("Review status", review["reviewStatus"]),
        ("Attempt", review["attemptCnt"]),
        *((("Answer", result["reviewAnswer"]),) if result else ()),
        *((("Reject labels", ", ".join(result.get("rejectLabels", []))),) if result.get("rejectLabels") else ()),
    ]
    info = "<dl>" + "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>" for k, v in rows) + "</dl>"
    sim = ctx.sim
    grant = request.state.sumsub_grant
    _remember_query(ctx, grant, request)
    run = sim.runner.get(ctx.tenant, c.PROVIDER, subject.get("_run", "")) if subject.get("_run") else None
    waiting = run is not None and run.get("waiting_for") == lifecycle.SUBMIT
    settled = lifecycle.review_final(ctx, subject)
    again = lifecycle.awaiting_resubmission(ctx, subject)
    here = request.url.path
    forms = ""
    if result.get("reviewRejectType") == c.FINAL and settled:
        forms += "<p>This rejection is final: the documents cannot be submitted again.</p>"
    elif lifecycle.retry_requested(subject) and (again or waiting):
        comment = result.get("moderationComment")
        forms += "<p>Resubmission requested" + (f": {html.escape(comment)}" if comment else ".") + "</p>"
    if sim.settings.applicant == "interactive":
        may_submit = waiting or review["reviewStatus"] == c.INIT or again
        choosing = subject.get("_personMayChoose") and (review["reviewStatus"] == c.INIT or again)
        if choosing:
            # One form: the outcome in the list goes with "Submit verification" too, so a person who picks
            # one and submits straight away gets it (two forms used to submit the old scenario). After a
            # RETRY the pick decides the new attempt; there is nothing left to switch without submitting.
            product = c.APPLICANT_ACTION if action else c.APPLICANT
            selected = subject.get("_scenario") if not again else c.DEFAULT_SCENARIOS[product]
            options = "".join(
                f'<option value="{html.escape(s.name)}"{" selected" if s.name == selected else ""}>'
                f"{html.escape(s.name)} — {html.escape(s.description)}</option>"
                for s in sim.catalogue.for_product(c.PROVIDER, product)
            )
            use = "" if again else f'<button type="submit" formaction="{here}/scenario">Use this scenario</button>'
            label = "Submit again" if again else "Submit verification"
            forms += (
                f'<form method="post" action="{here}/submit"><p><label for="scenario">Outcome (scenario)</label>'
                f'<select id="scenario" name="scenario">{options}</select></p>'
                f'{use}<button type="submit">{label}</button></form>'
            )
        elif may_submit:
            label = "Submit again" if review["reviewStatus"] == c.COMPLETED else "Submit verification"
            forms += f'<form method="post" action="{here}/submit"><button type="submit">{label}</button></form>'
        if not may_submit and review["reviewStatus"] != c.COMPLETED:
            forms += "<p>Submitted; this page follows the review.</p>"
    else:
        may_submit = False
        forms += "<p>The scenario plays the applicant; this page follows the review.</p>"
    target = redirect_target(ctx, grant, applicant, result) if settled else None
    if target:
        forms += f'<p><a class="button" href="{html.escape(target)}">Return to the merchant</a></p>'
    # Follow the review while it moves, but never reload under a person who still has to act; once the
    # review is final, the auto-played applicant leaves for the merchant's URL (as Sumsub redirects).
    refresh = not settled and not may_submit
    go_to = target if target and sim.settings.applicant != "interactive" else None
    return _page("Identity verification", info + forms, refresh=refresh, go_to=go_to)


async def submit(request: Request) -> Response:
    flow = _flow(request)
    if isinstance(flow, Response):
        return flow
    ctx, applicant, action = flow
    subject = action or applicant
    chosen = await _scenario_field(request)
    if isinstance(chosen, Response):
        return chosen
    picked = None
    if chosen and lifecycle.awaiting_resubmission(ctx, subject):  # the outcome of the new attempt
        picked = _scenario_for(ctx, action, str(chosen))
        if isinstance(picked, Response):
            return picked
        if not subject.get("_personMayChoose"):
            picked = None  # the scenario was fixed beforehand: the new attempt gets the default
    elif chosen:  # the outcome picked in the same form, as "Use this scenario" would apply it
        problem = _choose(ctx, subject, action, str(chosen))
        if problem is not None:
            return problem
    lifecycle.applicant_submits(ctx, applicant, action, captures=True, scenario=picked)
    return RedirectResponse(str(request.url.path).removesuffix("/submit"), status_code=303)


async def _scenario_field(request: Request) -> str | Response:
    """The page form's ``scenario`` field ("" when absent), or a page saying the form was unreadable."""
    try:
        form = await read_form(request, body_limit(request))
    except BodyError as exc:
        return _problem(f"The form could not be read: {exc.message}", exc.status)
    value = form.get("scenario")
    return value if isinstance(value, str) else ""


def _scenario_for(ctx: SumsubState, action: dict[str, Any] | None, name: str) -> Scenario | Response:
    scenario = ctx.sim.catalogue.get(name)
    product = c.APPLICANT_ACTION if action else c.APPLICANT
    if scenario is None or scenario.product != product or scenario.provider != c.PROVIDER:
        return _problem("Unknown scenario for this flow.", 400)
    return scenario


def _choose(ctx: SumsubState, subject: dict[str, Any], action: dict[str, Any] | None, name: str) -> Response | None:
    """Switch the subject's run to the scenario a person picked; a page explaining the problem otherwise."""
    scenario = _scenario_for(ctx, action, name)
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
    problem = _choose(ctx, action or applicant, action, chosen)
    if problem is not None:
        return problem
    return RedirectResponse(str(request.url.path).removesuffix("/scenario"), status_code=303)


async def legacy_forward(request: Request) -> Response:
    return HTMLResponse(LEGACY_FORWARD)
