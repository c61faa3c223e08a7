"""The hosted verification page at each attempt's ``verification_url`` (``/verify/{token}/``).

In ``auto`` mode the simulator plays the applicant as the scenario scripts it; the page only
shows the flow as it happens (it polls ``state``, kept out of the journal) and follows the redirect
at the end. In ``interactive`` mode a person drives it: start the capture, pick an outcome from the
catalogue for this product (when nobody chose one by header, binding or magic value), complete
the capture, abort or refuse. The flow ends, as the real one, with a redirect to the attempt's
``redirect_url`` plus ``id``, ``event`` and (when unsuccessful) ``response_code``.

The page is ``templates/hosted.html`` on the toolkit's skeleton (``simulator/toolkit/pages.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from simulator.bodies import BodyError, body_limit, read_form
from simulator.engine.scenarios.model import APPLICANT, StepContext
from simulator.providers.checkout import constants as c
from simulator.providers.checkout import lifecycle
from simulator.providers.checkout import response_codes as rc
from simulator.providers.checkout.api import require
from simulator.providers.checkout.products import PRODUCTS, Product
from simulator.providers.checkout.results import session_information
from simulator.providers.checkout.state import State, resolve_token
from simulator.toolkit import pages
from simulator.toolkit.pages import Code, Follow, Outcome

INTERACTIVE = "interactive"
FLOW = "Checkout.com hosted flow"
PAGES = pages.Pages(Path(__file__).with_name("templates"))

# Pickers show outcomes in this order; a scenario goes to the first of WORST_FIRST its check reaches.
OUTCOME_GROUPS = (c.APPROVED, c.RETRY_REQUIRED, c.DECLINED, c.REFUSED, c.INCONCLUSIVE, c.REVIEW_REQUIRED, "other")
WORST_FIRST = (c.DECLINED, c.REFUSED, c.INCONCLUSIVE, c.REVIEW_REQUIRED, c.RETRY_REQUIRED, c.APPROVED)


def outcome(produced: dict[str, set[str]], product: str) -> Outcome:
    """The group and response codes (with their summaries and meanings) of what a scenario produces."""
    statuses = produced.get(f"{product}.status", set())
    group = next((status for status in WORST_FIRST if status in statuses), "other")
    produced_codes = (int(code) for code in produced.get(f"{product}.response_code", ()))
    numbers = sorted(produced_codes, key=lambda code: (code == rc.APPROVED_CODE, code))  # what went wrong first
    codes = tuple(Code(str(n), rc.RESPONSE_CODES[n].summary, rc.RESPONSE_CODES[n].description) for n in numbers)
    return Outcome(group, codes)


def redirect_target(check: dict[str, Any], attempt: dict[str, Any]) -> str | None:
    """``redirect_url?id=<check>&event=<event>[&response_code=<code>]`` once the applicant is done."""
    outcome_ = attempt.get("_outcome")
    if not outcome_:
        return None
    params = [("id", check["id"]), ("event", outcome_["event"])]
    if outcome_.get("code"):
        params.append(("response_code", str(outcome_["code"])))
    # Only http(s): never a script behind "Return to the merchant" (older records included).
    return pages.safe_redirect(attempt.get("redirect_url"), params)


def _load(request: Request) -> tuple[Any, str, Product, dict, dict] | None:
    sim = request.app.state.sim
    request.state.provider = "checkout"
    link = resolve_token(sim, request.path_params["token"], "verification")
    if link is None:
        return None
    state = State(sim, link["tenant"])
    product = PRODUCTS[link["product"]]
    check, attempt = state.check(product, link["check_id"]), state.attempt(product, link["attempt_id"])
    if check is None or attempt is None:
        return None
    # The journal and the dashboard show whose verification a page request belongs to.
    request.state.tenant = link["tenant"]
    request.state.scenario = _playing(check) or None
    return sim, link["tenant"], product, check, attempt


def _snapshot(sim: Any, tenant: str, product: Product, check: dict, attempt: dict) -> dict[str, Any]:
    history = [h for h in check["_history"] if h["attempt_id"] in (None, attempt["id"])]
    script = pages.script(sim, "checkout", tenant, check.get("_run_id"), sim.settings.applicant == INTERACTIVE)
    replaced = attempt["id"] != check["_attempt_ids"][-1]
    redirect = redirect_target(check, attempt)
    auto = sim.settings.applicant != INTERACTIVE
    return {
        "product": product.name,
        "check_id": check["id"],
        "attempt_id": attempt["id"],
        "status": check["status"],
        "attempt_status": attempt["status"],
        "response_codes": check["response_codes"],
        "scenario": check["_scenario"].get("playing") or check["_scenario"].get("name"),
        "mode": sim.settings.applicant,
        "history": history,
        "redirect": redirect,
        "clock": sim.clock.now(tenant).isoformat(),
        "script": script,
        "replaced": replaced,
        # What the page's script compares with what it shows, and where an auto-played applicant goes.
        "version": f"{check['status']}/{attempt['status']}/{len(history)}/{pages.script_version(script)}/{replaced}",
        "leave": redirect if auto and not replaced else None,
    }


async def state(request: Request) -> Response:
    pages.note_poll(request)  # an open page polls this every second
    loaded = _load(request)
    if loaded is None:
        return JSONResponse({"error": "unknown or expired verification link"}, status_code=404)
    return JSONResponse(_snapshot(*loaded))


def _not_found(request: Request) -> Response:
    context = {"title": "Link not found", "flow": FLOW, "message": "This verification link does not exist."}
    return PAGES.message(request, context, 404)


async def page(request: Request) -> Response:
    pages.note_own_reload(request)
    loaded = _load(request)
    if loaded is None:
        return _not_found(request)
    sim, tenant, product, check, attempt = loaded
    snapshot = _snapshot(sim, tenant, product, check, attempt)
    open_ = attempt["status"] in c.OPEN_ATTEMPT_STATUSES
    controls = None
    if not snapshot["replaced"] and not snapshot["redirect"] and sim.settings.applicant == INTERACTIVE and open_:
        controls = _controls(sim, product, check, attempt)
    known = [(shown, rc.RESPONSE_CODES.get(shown["code"])) for shown in snapshot["response_codes"]]
    codes = [Code(str(shown["code"]), shown["summary"], row.description if row else "") for shown, row in known]
    follow = Follow(f"{request.url.path.rstrip('/')}/state", snapshot["version"])
    context = {
        "title": product.label,
        "flow": FLOW,
        "s": snapshot,
        "code_details": [code.detail for code in codes],
        "controls": controls,
        "follow": None if snapshot["replaced"] else follow,
    }
    return PAGES.render(request, "hosted.html", context)


def _controls(sim: Any, product: Product, check: dict, attempt: dict) -> dict[str, Any]:
    """What the person may do now: start, complete (with an outcome to pick, when nobody fixed one), abort, refuse."""
    choosable = bool(check["_scenario"].get("person_may_choose"))
    provider = sim.providers["checkout"]
    scenarios = sim.catalogue.for_product("checkout", product.name)
    return {
        "start": attempt["status"] == c.PENDING_REDIRECTION,
        "picker": pages.picker(provider, scenarios, _playing(check)) if choosable else None,
        "fixed_by": check["_scenario"].get("rule", ""),
        "playing": _playing(check),
        "abort_codes": [(code, Code(str(code), rc.RESPONSE_CODES[code].summary).text) for code in abort_codes(product)],
    }


async def act(request: Request) -> Response:
    """A person's choice on the page (interactive mode): start, complete, abort or refuse."""
    loaded = _load(request)
    if loaded is None:
        return _not_found(request)
    sim, tenant, product, check, attempt = loaded
    provider = sim.providers["checkout"]
    state = State(sim, tenant)
    try:
        form = await read_form(request, body_limit(request))
    except BodyError as exc:
        context = {"title": "Form not readable", "flow": FLOW, "message": exc.message}
        return PAGES.message(request, context, exc.status)
    action = str(form.get("action", ""))
    here = RedirectResponse(request.url.path, status_code=303)
    if attempt["status"] not in c.OPEN_ATTEMPT_STATUSES or attempt["id"] != check["_attempt_ids"][-1]:
        return here
    run_id = check.get("_run_id")
    if action == "start":
        await _play_until(provider, tenant, run_id, "open_link")
        attempt = require(State(sim, tenant).attempt(product, attempt["id"]), "attempt")
        check = require(State(sim, tenant).check(product, check["id"]), product.event_prefix)
        lifecycle.open_link(state, product, check, attempt, session_information(state, attempt))
    elif action == "complete":
        chosen = str(form.get("scenario") or "")
        if chosen and chosen != _playing(check) and check["_scenario"].get("person_may_choose"):
            scenario = sim.catalogue.get(chosen)
            if scenario is not None and scenario.provider == "checkout" and scenario.product == product.name:
                check["_scenario"].update(name=scenario.name, rule="person", playing=scenario.name, inline=False)
                State(sim, tenant).save_check(product, check)
                sim.runner.replace(tenant, "checkout", run_id, scenario)
        await _play_until(provider, tenant, run_id, None)
        state_ = State(sim, tenant)
        check = require(state_.check(product, check["id"]), product.event_prefix)
        attempt = require(state_.attempt(product, attempt["id"]), "attempt")
        if attempt["status"] == c.PENDING_REDIRECTION:
            lifecycle.open_link(state, product, check, attempt, session_information(state, attempt))
        if attempt["status"] == c.ATTEMPT_CAPTURE_IN_PROGRESS:
            lifecycle.follow(state, product, check, attempt, "complete_capture")
    elif action in ("abort", "refuse"):
        if run_id:
            sim.runner.stop(tenant, "checkout", run_id, f"applicant_{action}")
        if action == "refuse":
            lifecycle.follow(state, product, check, attempt, "refuse_capture")
        else:
            raw_code = str(form.get("code") or "")
            code = int(raw_code) if raw_code.isdigit() and len(raw_code) <= 6 else 61111
            if code not in abort_codes(product):
                code = 61111
            lifecycle.follow(state, product, check, attempt, "abort_capture", {"code": code})
    attempt = require(State(sim, tenant).attempt(product, attempt["id"]), "attempt")
    target = redirect_target(check, attempt)
    return RedirectResponse(target, status_code=303) if target else here


def abort_codes(product: Product) -> list[int]:
    """Why an applicant leaves the capture: engagement (611xx) and streaming (612xx) codes.

    Capture-quality codes (613xx and up) describe checks that could not conclude, which the
    lifecycle reports as ``checks_inconclusive``, not as an abort.
    """
    retry_codes = rc.codes_for(product.name, status=c.RETRY_REQUIRED, include_deprecated=False)
    not_left = (rc.FORCIBLY_CLOSED_CODE, rc.LINK_NEVER_OPENED_CODE)
    return [code for code in retry_codes if code < 61300 and code not in not_left]


def _playing(check: dict) -> str:
    return check["_scenario"].get("playing") or check["_scenario"].get("name") or ""


async def _play_until(provider: Any, tenant: str, run_id: str | None, until: str | None) -> None:
    """Perform the applicant steps the run waits for (interactive mode), up to ``until`` or the last one."""
    runner = provider.sim.runner
    verbs = provider.verbs()
    for _ in range(50):
        run = runner.get(tenant, "checkout", run_id) if run_id else None
        if run is None or run["status"] != "running":
            return
        verb = verbs.get(run["waiting_for"] or "")
        if verb is None or verb.actor != APPLICANT:
            return
        scenario = runner.scenario_of(run)
        step = scenario.steps[run["cursor"]]
        await verb.handler(StepContext(tenant=tenant, run=run, step=step, scenario=scenario))
        runner.signal(tenant, "checkout", run_id, verb.name)
        if verb.name == until:
            return
