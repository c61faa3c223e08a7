"""AML Screening (``/aml-verifications``, ``amlv_``): create and get; the screening plays on the clock.

The decisions are the pure functions of :mod:`aml`; this module stores their results, sends the
webhooks and offers the scenario verbs and the control calls that drive them:

- ``POST /_sim/checkout/aml-verifications/{id}/resolve {"decision": "approved"|"declined"}`` closes
  an open case (``review_required``) as a ComplyAdvantage reviewer would;
- ``POST /_sim/checkout/aml-verifications/{id}/monitoring-alert {"alerts": 1}`` makes ongoing
  monitoring of a monitored, approved applicant raise new alerts now;
- ``POST /_sim/checkout/aml-verifications/{id}/status {"status": "declined"|"approved"|"review_required"}``
  changes a decided screening afterwards (re-opens its review, or updates its decision).

Creating a screening needs an applicant approved by an identity verification (as the real
service requires); otherwise 422 ``applicant_id__not_verified``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from simulator.control.errors import ControlError, bad_request, json_body, not_found
from simulator.engine.scenarios.model import PROVIDER as BY_PROVIDER
from simulator.engine.scenarios.model import StepContext, Verb
from simulator.providers.checkout import aml, retention, webhooks
from simulator.providers.checkout import constants as c
from simulator.providers.checkout.api import require, timestamp
from simulator.providers.checkout.applicants import find as find_applicant
from simulator.providers.checkout.errors import ValidationFailed
from simulator.providers.checkout.products import IDENTITY_VERIFICATION, _descriptor
from simulator.providers.checkout.state import PROVIDER, State
from simulator.toolkit.routes import Call

if TYPE_CHECKING:
    from simulator.app import Simulator
    from simulator.providers.checkout import CheckoutProvider

log = logging.getLogger("kycsim.checkout")

AML_SCREENING = _descriptor(c.AML, "aml_verification_id", "aml-verifications", "AML Screening")
KIND = AML_SCREENING.kind
CASE_RESOLVED_SIGNAL = "case_resolved"  # a scenario may ``wait`` for the control API's resolution


def render(doc: dict[str, Any], base_url: str) -> dict[str, Any]:
    body = {k: doc[k] for k in ("id", "created_on", "modified_on", "status", "applicant_id", "search_parameters",
                                "monitored")}  # fmt: skip
    body["_links"] = {
        "self": {"href": f"{base_url}/{AML_SCREENING.path}/{doc['id']}"},
        "applicant": {"href": f"{base_url}/applicants/{doc['applicant_id']}"},
    }
    return body


def transition(sim: Simulator, tenant: str, doc: dict[str, Any], change: aml.Transition) -> dict[str, Any]:
    """Apply ``change``, store the screening and send its events."""
    state = State(sim, tenant)
    aml.apply(doc, change, timestamp(sim, tenant))
    state.put(KIND, doc)
    applicant = state.applicant(doc["applicant_id"])
    for event in change.events:
        webhooks.publish(sim, tenant, AML_SCREENING, doc, event, applicant)
    return doc


def _approved_by_idv(state: State, applicant_id: str) -> bool:
    return any(
        check["applicant_id"] == applicant_id and check["status"] == c.APPROVED
        for check in state.sim.store.list(state.tenant, PROVIDER, IDENTITY_VERIFICATION.kind)
    )


# API


async def create_aml_screening(call: Call) -> dict[str, Any]:
    applicant = find_applicant(call, call.body["applicant_id"])
    if not _approved_by_idv(call.state, applicant["id"]):
        raise ValidationFailed(
            "applicant_id__not_verified",
            message="AML screening needs an applicant approved by an identity verification",
        )
    scenario = call.provider.choose_scenario(call, AML_SCREENING, applicant, None)
    now = call.state.timestamp()
    doc: dict[str, Any] = {
        "id": call.state.prefixed(AML_SCREENING.id_prefix),
        "created_on": now,
        "modified_on": now,
        "status": aml.CREATED,
        "applicant_id": applicant["id"],
        "search_parameters": {"configuration_identifier": call.body["search_parameters"]["configuration_identifier"]},
        "monitored": bool(call.body.get("monitored", False)),
        "_product": c.AML,
        "_base_url": call.base_url,
        "_scenario": scenario,
        aml.SIM_KEY: aml.new_state(),
    }
    transition(call.sim, call.tenant, doc, aml.created())
    retention.remember_check(call.state, applicant, doc)
    run_id = f"run_{doc['id']}"
    found = call.sim.catalogue.get(scenario["name"])
    if found is not None:
        call.sim.runner.start(call.tenant, found, {"product": c.AML, "check_id": doc["id"]}, run_id=run_id)
        doc["_run_id"] = run_id
        call.state.put(KIND, doc)
    call.mark_scenario(scenario["name"])
    return render(doc, call.base_url)


async def get_aml_screening(call: Call) -> dict[str, Any]:
    doc = require(call.state.get(KIND, call.params["aml_verification_id"]), "aml_verification")
    return render(doc, call.base_url)


# Control API (/_sim/checkout/...)


def _find_any_tenant(sim: Simulator, screening_id: str) -> tuple[str, dict[str, Any]]:
    for tenant in sim.store.tenants():
        doc = sim.store.get(tenant, PROVIDER, KIND, screening_id)
        if doc is not None:
            return tenant, doc
    raise not_found(f"no AML screening {screening_id}")


async def _control(request: Request, act: Any) -> Response:
    sim: Simulator = request.app.state.sim
    try:
        body = await json_body(request)
        tenant, doc = _find_any_tenant(sim, request.path_params["aml_verification_id"])
        try:
            change = act(doc, body)
        except aml.AmlTransitionError as exc:
            raise ControlError(409, "conflict", str(exc)) from None
        except ValueError as exc:
            raise bad_request(str(exc)) from None
        transition(sim, tenant, doc, change)
        if doc.get("_run_id"):
            sim.runner.signal(tenant, PROVIDER, doc["_run_id"], CASE_RESOLVED_SIGNAL)
    except ControlError as exc:
        return exc.response()
    return JSONResponse(render(doc, doc["_base_url"]))


async def resolve_case(request: Request) -> Response:
    """Close the open case: ``{"decision": "approved"}`` or ``{"decision": "declined"}``."""
    return await _control(request, lambda doc, body: aml.resolve_case(doc, body.get("decision", "")))


async def raise_monitoring_alert(request: Request) -> Response:
    """Ongoing monitoring finds new hits now: ``{"alerts": 1}`` (default 1)."""

    def act(doc: dict[str, Any], body: dict[str, Any]) -> aml.Transition:
        alerts = body.get("alerts", 1)
        if not isinstance(alerts, int) or isinstance(alerts, bool) or not 1 <= alerts <= 1000:
            raise ValueError("'alerts' must be a whole number from 1 to 1000")
        return aml.monitoring_alert(doc, alerts)

    return await _control(request, act)


async def update_status(request: Request) -> Response:
    """Change a decided screening afterwards: ``{"status": "review_required"}`` re-opens its review,
    ``{"status": "declined"}`` / ``"approved"`` updates its decision (``aml_verification_status_changed``)."""
    return await _control(request, lambda doc, body: aml.update_status(doc, str(body.get("status", ""))))


# Scenario verbs

_RISK = {"enum": list(aml.RISK_LEVELS)}


def build_verbs(provider: CheckoutProvider) -> dict[str, Verb]:
    def step(name: str, decide: Any) -> Any:
        async def handler(ctx: StepContext) -> None:
            sim = provider.sim
            doc = State(sim, ctx.tenant).get(KIND, ctx.subject["check_id"])
            if doc is None:
                raise LookupError(f"AML screening {ctx.subject['check_id']} is gone")
            try:
                change = decide(doc, ctx.args)
            except aml.AmlTransitionError as exc:
                log.info("checkout: %s skipped on %s: %s", name, doc["id"], exc)
                return
            transition(sim, ctx.tenant, doc, change)

        return handler

    verbs = [
        Verb("start_screening", step("start_screening", lambda doc, args: aml.start_screening(doc)),
             "AML: the risk model and list screening start (screening_in_progress).", BY_PROVIDER,
             {"type": "object", "additionalProperties": False}),
        Verb("complete_screening",
             step("complete_screening",
                  lambda doc, args: aml.complete_screening(doc, args["risk_level"], args.get("alerts", 0))),
             "AML: the verdict. PROHIBITED declines unscreened; alerts open a case (review_required); "
             "else approved.", BY_PROVIDER,
             {"type": "object", "additionalProperties": False, "required": ["risk_level"],
              "properties": {"risk_level": _RISK, "alerts": {"type": "integer", "minimum": 0}}}),
        Verb("resolve_case", step("resolve_case", lambda doc, args: aml.resolve_case(doc, args["decision"])),
             "AML: a reviewer closes the open case as approved or declined.", BY_PROVIDER,
             {"type": "object", "additionalProperties": False, "required": ["decision"],
              "properties": {"decision": {"enum": list(aml.DECISIONS)}}}),
        Verb("monitoring_alert",
             step("monitoring_alert", lambda doc, args: aml.monitoring_alert(doc, args.get("alerts", 1))),
             "AML: ongoing monitoring of a monitored, approved applicant finds new alerts (review_required).",
             BY_PROVIDER,
             {"type": "object", "additionalProperties": False,
              "properties": {"alerts": {"type": "integer", "minimum": 1}}}),
        Verb("update_status", step("update_status", lambda doc, args: aml.update_status(doc, args["status"])),
             "AML: a decided screening is changed afterwards: its review re-opened (review_required) or its "
             "decision updated (aml_verification_status_changed).", BY_PROVIDER,
             {"type": "object", "additionalProperties": False, "required": ["status"],
              "properties": {"status": {"enum": [*aml.DECISIONS, aml.REVIEW_REQUIRED]}}}),
    ]  # fmt: skip
    return {verb.name: verb for verb in verbs}
