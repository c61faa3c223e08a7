"""AML Screening (``/aml-verifications``, ``amlv_``): create and get; the screening plays on the clock.

The decisions are the pure functions of :mod:`aml_lifecycle`; this module stores their results and
sends the webhooks, for the scenario verbs (``verbs.py``) and the control calls (``control.py``)
that drive them. Creating a screening needs an applicant approved by an identity verification (as
the real service requires); otherwise 422 ``applicant_id__not_verified``.
"""

from __future__ import annotations

from typing import Any

from simulator.providers.checkout import aml_lifecycle as aml
from simulator.providers.checkout import constants as c
from simulator.providers.checkout import retention, selection, webhooks
from simulator.providers.checkout.api import require
from simulator.providers.checkout.applicants import find as find_applicant
from simulator.providers.checkout.errors import ValidationFailed
from simulator.providers.checkout.products import AML_SCREENING, IDENTITY_VERIFICATION
from simulator.providers.checkout.state import PROVIDER, State
from simulator.toolkit.routes import Call

KIND = AML_SCREENING.kind
CASE_RESOLVED_SIGNAL = "case_resolved"  # a scenario may ``wait`` for the control API's resolution


def render(doc: dict[str, Any], base_url: str) -> dict[str, Any]:
    body = {
        k: doc[k]
        for k in ("id", "created_on", "modified_on", "status", "applicant_id", "search_parameters", "monitored")
    }
    body["_links"] = {
        "self": {"href": f"{base_url}/{AML_SCREENING.path}/{doc['id']}"},
        "applicant": {"href": f"{base_url}/applicants/{doc['applicant_id']}"},
    }
    return body


def transition(state: State, doc: dict[str, Any], change: aml.Transition) -> dict[str, Any]:
    """Apply ``change``, store the screening and send its events."""
    aml.apply(doc, change, state.timestamp())
    state.put(KIND, doc)
    applicant = state.applicant(doc["applicant_id"])
    for event in change.events:
        webhooks.publish(state.sim, state.tenant, AML_SCREENING, doc, event, applicant)
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
    scenario = selection.choose(call.state, AML_SCREENING, applicant, None, call.request.headers.get(c.SCENARIO_HEADER))
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
    transition(call.state, doc, aml.created())
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
