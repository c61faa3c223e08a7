"""The hosted verification page at each attempt's ``verification_url`` (``/verify/{token}/``).

In ``auto`` mode the simulator plays the applicant as the scenario scripts it; the page only
shows the flow as it happens (it polls ``state``) and follows the redirect at the end. In
``interactive`` mode a person drives it: start the capture, pick an outcome from the
catalogue for this product (when nobody chose one by header, binding or magic value), complete
the capture, abort or refuse. The flow ends, as the real one, with a redirect to the attempt's
``redirect_url`` plus ``id``, ``event`` and (when unsuccessful) ``response_code``.
"""

from __future__ import annotations

import html
import json
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from simulator.bodies import BodyError, body_limit, read_form
from simulator.engine.scenarios.model import APPLICANT, StepContext
from simulator.providers.checkout import constants as c
from simulator.providers.checkout import lifecycle
from simulator.providers.checkout.products import PRODUCTS, Product
from simulator.providers.checkout.results import session_information
from simulator.providers.checkout.schemas import is_http_url
from simulator.providers.checkout.state import State, resolve_token

INTERACTIVE = "interactive"


def redirect_target(check: dict[str, Any], attempt: dict[str, Any]) -> str | None:
    """``redirect_url?id=<check>&event=<event>[&response_code=<code>]`` once the applicant is done."""
    outcome = attempt.get("_outcome")
    if not outcome or not attempt.get("redirect_url") or not is_http_url(attempt["redirect_url"]):
        return None  # only http(s): never a script behind "Return to the merchant" (older records included)
    params = {"id": check["id"], "event": outcome["event"]}
    if outcome.get("code"):
        params["response_code"] = str(outcome["code"])
    parts = urlsplit(attempt["redirect_url"])
    query = f"{parts.query}&{urlencode(params)}" if parts.query else urlencode(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


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
    return {
        "product": product.name,
        "check_id": check["id"],
        "attempt_id": attempt["id"],
        "status": check["status"],
        "attempt_status": attempt["status"],
        "response_codes": check["response_codes"],
        "scenario": check["_scenario"].get("playing") or check["_scenario"].get("name"),
        "mode": sim.settings.applicant,
        "history": [h for h in check["_history"] if h["attempt_id"] in (None, attempt["id"])],
        "redirect": redirect_target(check, attempt),
        "clock": sim.clock.now(tenant).isoformat(),
        "script": _script(sim, tenant, check),
        "replaced": attempt["id"] != check["_attempt_ids"][-1],
    }


def _script(sim: Any, tenant: str, check: dict) -> list[dict[str, Any]]:
    """The scenario's steps, each marked done, next or to come (what auto mode will play)."""
    run = sim.runner.get(tenant, "checkout", check["_run_id"]) if check.get("_run_id") else None
    scenario = sim.runner.scenario_of(run) if run else None
    if run is None or scenario is None:
        return []
    verbs = sim.providers["checkout"].verbs()
    person_plays = sim.settings.applicant == INTERACTIVE
    steps = []
    for index, step in enumerate(scenario.steps):
        state = "done" if index < run["cursor"] else ("next" if index == run["cursor"] else "later")
        if run["status"] != "running" and state != "done":
            state = "skipped"
        verb = verbs.get(step.do or "")
        by_person = person_plays and verb is not None and verb.actor == APPLICANT
        steps.append(
            {"step": step.label, "after": step.after, "with": step.args, "state": state, "by_person": by_person}
        )
    return steps


async def state(request: Request) -> Response:
    # An open page polls this every second; journalling each poll would push real API calls
    # out of the bounded journal within the hour.
    request.state.journal = False
    request.state.poll = True  # and the console shows it at debug only
    loaded = _load(request)
    if loaded is None:
        return JSONResponse({"error": "unknown or expired verification link"}, status_code=404)
    return JSONResponse(_snapshot(*loaded))


async def page(request: Request) -> Response:
    loaded = _load(request)
    if loaded is None:
        return HTMLResponse(_layout("Link not found", "<p>This verification link does not exist.</p>"), 404)
    sim, tenant, product, check, attempt = loaded
    snapshot = _snapshot(sim, tenant, product, check, attempt)
    body = _status_block(snapshot)
    if snapshot["replaced"]:
        body += (
            "<p class='notice'>This attempt was replaced by a newer one: its link no longer leads "
            "anywhere. Use the verification link of the latest attempt.</p>"
        )
    elif snapshot["redirect"]:
        body += f'<p><a class="button" href="{html.escape(snapshot["redirect"])}">Return to the merchant</a></p>'
    elif sim.settings.applicant == INTERACTIVE and attempt["status"] in c.OPEN_ATTEMPT_STATUSES:
        body += _controls(sim, product, check, attempt)
    else:
        body += "<p class='muted'>kycsim plays the applicant as the scenario scripts it; this page follows.</p>"
    script = _POLL.replace("__STATE__", json.dumps(f"{request.url.path.rstrip('/')}/state"))
    return HTMLResponse(_layout(product.label, body + script))


async def act(request: Request) -> Response:
    """A person's choice on the page (interactive mode): start, complete, abort or refuse."""
    loaded = _load(request)
    if loaded is None:
        return HTMLResponse(_layout("Link not found", "<p>This verification link does not exist.</p>"), 404)
    sim, tenant, product, check, attempt = loaded
    provider = sim.providers["checkout"]
    state = State(sim, tenant)
    try:
        form = await read_form(request, body_limit(request))
    except BodyError as exc:
        return HTMLResponse(_layout("Form not readable", f"<p>{html.escape(exc.message)}</p>"), exc.status)
    action = str(form.get("action", ""))
    here = RedirectResponse(request.url.path, status_code=303)
    if attempt["status"] not in c.OPEN_ATTEMPT_STATUSES or attempt["id"] != check["_attempt_ids"][-1]:
        return here
    run_id = check.get("_run_id")
    if action == "start":
        await _play_until(provider, tenant, run_id, "open_link")
        attempt = State(sim, tenant).attempt(product, attempt["id"])
        check = State(sim, tenant).check(product, check["id"])
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
        check, attempt = state_.check(product, check["id"]), state_.attempt(product, attempt["id"])
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
    attempt = State(sim, tenant).attempt(product, attempt["id"])
    target = redirect_target(check, attempt)
    return RedirectResponse(target, status_code=303) if target else here


def abort_codes(product: Product) -> list[int]:
    """Why an applicant leaves the capture: engagement (611xx) and streaming (612xx) codes.

    Capture-quality codes (613xx and up) describe checks that could not conclude, which the
    lifecycle reports as ``checks_inconclusive``, not as an abort.
    """
    return [code for code in c.codes_for(product.name, status=c.RETRY_REQUIRED, include_deprecated=False)
            if code < 61300 and code not in (c.FORCIBLY_CLOSED_CODE, c.LINK_NEVER_OPENED_CODE)]  # fmt: skip


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


def _controls(sim: Any, product: Product, check: dict, attempt: dict) -> str:
    token_path = "./"
    parts = []
    if attempt["status"] == c.PENDING_REDIRECTION:
        parts.append(_button(token_path, "start", "Start the capture"))
    choosable = check["_scenario"].get("person_may_choose")
    options = "".join(
        f'<option value="{html.escape(s.name)}"{" selected" if s.name == _playing(check) else ""}>'
        f"{html.escape(s.name)} — {html.escape(s.description)}</option>"
        for s in sorted(sim.catalogue.for_product("checkout", product.name), key=lambda s: s.name)
    )
    if choosable:
        chooser = f'<label>Outcome <select name="scenario">{options}</select></label>'
    else:
        chooser = f"<p class='muted'>Outcome fixed by {html.escape(check['_scenario'].get('rule', ''))}:" \
                  f" {html.escape(_playing(check))}</p>"  # fmt: skip
    parts.append(
        f'<form method="post" action="{token_path}"><input type="hidden" name="action" value="complete">'
        f'{chooser}<button type="submit">Complete the capture</button></form>'
    )
    codes = "".join(
        f'<option value="{code}">{code} {html.escape(c.RESPONSE_CODES[code].summary)}</option>'
        for code in abort_codes(product)
    )
    parts.append(
        f'<form method="post" action="{token_path}"><input type="hidden" name="action" value="abort">'
        f'<label>Leave the flow <select name="code">{codes}</select></label><button type="submit">Abort</button></form>'
    )
    parts.append(_button(token_path, "refuse", "Refuse to do the verification"))
    return "".join(parts)


def _button(action_path: str, action: str, label: str) -> str:
    return (
        f'<form method="post" action="{action_path}"><input type="hidden" name="action" value="{action}">'
        f'<button type="submit">{html.escape(label)}</button></form>'
    )


def _status_block(snapshot: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(h['at'])}</td><td>{html.escape(h['event'])}</td><td>{html.escape(h['status'])}</td>"
        f"<td>{html.escape(str(h['attempt_status'] or ''))}</td></tr>"
        for h in snapshot["history"]
    )
    codes = ", ".join(f"{rc['code']} {rc['summary']}" for rc in snapshot["response_codes"]) or "—"
    script = "".join(
        f"<li class='{s['state']}'>{html.escape(s['step'])} <span class='muted'>"
        f"{'when you act' if s['by_person'] else 'after {:g}s'.format(s['after'])}"
        f"{' ' + html.escape(json.dumps(s['with'])) if s['with'] else ''} · {s['state']}</span></li>"
        for s in snapshot["script"]
    )
    return (
        f"<p>Verification <code>{snapshot['check_id']}</code>, attempt <code>{snapshot['attempt_id']}</code></p>"
        f"<p>Status <b id='status'>{snapshot['status']}</b> · attempt <b id='attempt-status'>"
        f"{snapshot['attempt_status']}</b> · codes {html.escape(codes)}</p>"
        f"<p class='muted'>Scenario {html.escape(str(snapshot['scenario']))} · mode {snapshot['mode']}</p>"
        f"<table><tr><th>at</th><th>event</th><th>status</th><th>attempt</th></tr>{rows}</table>"
        + (f"<h2>Script</h2><ol class='script'>{script}</ol>" if script else "")
    )


_POLL = """<script>
(function poll() {
  fetch(__STATE__).then(r => r.json()).then(s => {
    const known = document.getElementById('status').textContent + '/' +
      document.getElementById('attempt-status').textContent;
    if (s.replaced) { return; }
    if (s.redirect && s.mode === 'auto') { window.location = s.redirect; return; }
    if (s.status + '/' + s.attempt_status !== known) { window.location.reload(); return; }
    setTimeout(poll, 1000);
  }).catch(() => setTimeout(poll, 2000));
})();
</script>"""


def _layout(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'><link rel='icon' href='data:,'>"
        f"<title>{html.escape(title)}</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:760px;margin:2rem auto;padding:0 1rem;color:#1a1a2e}"
        "h1{font-size:1.4rem}h2{font-size:1.1rem}.script .done{color:#595959}.script .next{font-weight:bold}"
        "table{border-collapse:collapse;width:100%;font-size:.85rem}"
        "td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}.muted{color:#666}"
        "form{margin:.6rem 0}button,.button{background:#186aff;color:#fff;border:0;padding:.5rem 1rem;"
        "border-radius:4px;cursor:pointer;text-decoration:none}select{display:block;margin:.3rem 0;max-width:100%}"
        ".notice{background:#fff4d6;border-left:4px solid #b7791f;padding:.6rem}"
        f"</style></head><body><h1>{html.escape(title)}</h1><p class='muted'>kycsim · Checkout.com hosted flow</p>"
        f"{body}</body></html>"
    )
