"""The real sandbox's magic ``external_applicant_id`` values, and scenarios built from them.

Checkout.com's testing page: create the applicant with ``external_applicant_id`` =
``eaplt_`` + 26 characters, where the characters script the outcome (IDV only):

| pattern                          | outcome                                                   |
|----------------------------------|-----------------------------------------------------------|
| ``eaplt_10000`` + zeros          | approved                                                  |
| ``eaplt_62XXX`` + zeros          | declined with 62XXX                                       |
| ``eaplt_61XXXA10000`` + zeros    | 1st attempt capture aborted (61XXX), next one approved     |
| ``eaplt_61XXXI10000`` + zeros    | 1st attempt checks inconclusive (61XXX), next one approved |
| ``eaplt_61XXXA62XXX`` + zeros    | aborted, then declined                                    |
| ``eaplt_61XXXI62XXX`` + zeros    | inconclusive, then declined                               |

Any real code works in place of ``61XXX``/``62XXX``. The applicant still goes through the
hosted flow (started, capture completed) before the result.
"""

from __future__ import annotations

import re
from typing import Any

from simulator.engine.scenarios.model import Scenario, Step
from simulator.providers.checkout import constants as c
from simulator.providers.checkout import response_codes as rc

MAGIC = re.compile(r"^eaplt_(?:(?P<retry>61\d{3})(?P<how>[AI]))?(?P<final>10000|62\d{3})0*$")

# Nominal timings of the hosted flow (the bundled scenarios use the same).
OPEN_AFTER = 10.0
CAPTURE_AFTER = 60.0
CHECKS_AFTER = 30.0
REPORT_AFTER = 5.0


def parse(external_applicant_id: str | None) -> dict[str, Any] | None:
    """``{"retry": 61203, "how": "A", "final": 62103}`` for a magic value with real codes, else None."""
    match = MAGIC.match(external_applicant_id or "")
    if match is None:
        return None
    final = int(match["final"])
    retry = int(match["retry"]) if match["retry"] else None
    if final not in rc.RESPONSE_CODES or (retry is not None and not rc.is_retry_code(retry)):
        return None
    return {"retry": retry, "how": match["how"], "final": final}


def flow_to_result(final: int) -> list[Step]:
    result = c.APPROVED if final == rc.APPROVED_CODE else c.DECLINED
    return [
        Step(OPEN_AFTER, do="open_link"),
        Step(CAPTURE_AFTER, do="complete_capture"),
        Step(CHECKS_AFTER, do="complete_checks", args={"result": result, "codes": [final]}),
        Step(REPORT_AFTER, do="create_report"),
    ]


def scenario_for(external_applicant_id: str | None) -> Scenario | None:
    magic = parse(external_applicant_id)
    if magic is None:
        return None
    steps: list[Step] = []
    final = magic["final"]
    outcome = "approved" if final == rc.APPROVED_CODE else f"declined with {final}"
    description = f"Sandbox magic value: {outcome}."
    if magic["retry"] is not None:
        code = magic["retry"]
        if magic["how"] == "A":
            steps += [Step(OPEN_AFTER, do="open_link"), Step(30.0, do="abort_capture", args={"code": code})]
            description = f"Sandbox magic value: first attempt capture aborted ({code}), next attempt {outcome}."
        else:
            steps += [
                Step(OPEN_AFTER, do="open_link"),
                Step(CAPTURE_AFTER, do="complete_capture"),
                Step(CHECKS_AFTER, do="checks_inconclusive", args={"code": code}),
            ]
            description = f"Sandbox magic value: first attempt checks inconclusive ({code}), next attempt {outcome}."
        steps.append(Step(0.0, wait="new_attempt"))
    steps += flow_to_result(final)
    return Scenario(
        name=f"sandbox-{external_applicant_id}",
        provider="checkout",
        product=c.IDV,
        description=description,
        steps=tuple(steps),
        tags=("sandbox",),
        source="<checkout sandbox convention>",
    )
