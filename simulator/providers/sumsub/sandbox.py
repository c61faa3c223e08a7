"""Sumsub's own sandbox convention (selection rule 3): the verification document templates.

Sumsub's sandbox has no approval algorithm ("Test in Sandbox"); its documented way to get an
outcome is a set of downloadable document templates ("Verification document templates"):
approved templates are always accepted, rejected ones are rejected and ask for a resubmission. A
template is matched by its exact file contents or, failing that, by its original file name with
the extension ignored (``Austria_Front_Approved``); a renamed file is a regular document.

kycsim matches the file name form: an applicant document uploaded as ``<anything>_Approved`` or
``<anything>_Rejected`` (any extension) picks the applicant's scenario, unless the
``X-KycSim-Scenario`` header or a binding chose one (rules 1 and 2 win). The latest image of each
document side counts, so a resubmission with an approved template after a rejected one is
approved. A rejected template asks for the resubmission of its own step:

| step of the rejected document | scenario                          |
|-------------------------------|-----------------------------------|
| IDENTITY (passport, ID card…) | ``red-retry-bad_proof_of_identity`` |
| SELFIE                        | ``red-retry-bad_selfie``            |
| PROOF_OF_RESIDENCE            | ``red-retry-bad_proof_of_address``  |
| PAYMENT_METHODS               | ``red-retry-bad_proof_of_payment``  |

otherwise ``applicant-approved``. Production (``prd:``) app tokens have no sandbox convention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from simulator.engine.scenarios.selection import CONVENTION, RULE_NAMES
from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub.state import SumsubState
from simulator.providers.sumsub.subjects import DOC_SET_OF

APPROVED, REJECTED = "Approved", "Rejected"
TEMPLATE_NAME = re.compile(r"^.+_(?P<outcome>Approved|Rejected)$")
EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
APPROVED_SCENARIO = "applicant-approved"
REJECTED_SCENARIOS = {
    c.DOC_SET_IDENTITY: "red-retry-bad_proof_of_identity",
    c.DOC_SET_SELFIE: "red-retry-bad_selfie",
    "PROOF_OF_RESIDENCE": "red-retry-bad_proof_of_address",
    c.DOC_SET_PAYMENT_METHODS: "red-retry-bad_proof_of_payment",
}
RULE_NUMBERS = {name: number for number, name in RULE_NAMES.items()}


def template_outcome(file_name: str | None) -> str | None:
    """``Approved`` / ``Rejected`` for a template's original file name (folders and the extension
    ignored), else None."""
    base = re.split(r"[\\/]", file_name or "")[-1]
    match = TEMPLATE_NAME.match(EXTENSION.sub("", base))
    return match["outcome"] if match else None


def scenario_name(images: Iterable[Mapping[str, Any]]) -> str | None:
    """The scenario the uploaded templates call for (oldest image first), or None when none is one."""
    latest: dict[tuple[str, str], Mapping[str, Any]] = {}
    for image in images:
        latest[(image["idDocType"], image.get("idDocSubType") or "")] = image
    outcomes = [(template_outcome(i.get("imageFileName")), i["idDocType"]) for i in latest.values()]
    rejected = [doc_type for outcome, doc_type in outcomes if outcome == REJECTED]
    if rejected:
        step = DOC_SET_OF.get(rejected[0], c.DOC_SET_IDENTITY)
        return REJECTED_SCENARIOS.get(step, REJECTED_SCENARIOS[c.DOC_SET_IDENTITY])
    return APPROVED_SCENARIO if any(outcome == APPROVED for outcome, _ in outcomes) else None


def apply(ctx: SumsubState, applicant: dict[str, Any]) -> None:
    """After an upload: let the templates pick the applicant's scenario (rule 3), unless the header or a
    binding picked it. The run starts over on the new scenario: its submission still waits for the
    client's request check or the person, and the caller stores the applicant."""
    if not ctx.sandbox or RULE_NUMBERS.get(applicant.get("_rule", ""), CONVENTION) < CONVENTION:
        return
    review = applicant["review"]
    result = review.get("reviewResult") or {}
    if review["reviewStatus"] != c.INIT and result.get("reviewRejectType") != c.RETRY:
        return  # documents for no coming submission (after GREEN): nothing to decide
    images = [img for i in applicant.get("_images", []) if (img := ctx.get(c.KIND_IMAGE, i)) is not None]
    name = scenario_name(images)
    scenario = ctx.sim.catalogue.get(name) if name else None
    if scenario is None or scenario.name == applicant.get("_scenario") or not applicant.get("_run"):
        return
    if scenario.provider != c.PROVIDER or scenario.product != c.APPLICANT:
        return  # a user's scenario folder replaced the bundled one with something else
    ctx.sim.runner.replace(ctx.tenant, c.PROVIDER, applicant["_run"], scenario)
    applicant.update(_scenario=scenario.name, _rule=RULE_NAMES[CONVENTION], _personMayChoose=False)
