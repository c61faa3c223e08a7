"""The lifecycle of checks and attempts (fact sheet section 4.3), shared by every hosted product.

Each transition changes the attempt and the check together, stamps ``modified_on``, saves,
and publishes the product's webhook. Transitions check where they start from and quietly do
nothing when the state has moved on (a scenario step that fires after the client reset the
attempt must not resurrect it).

| trigger                              | attempt ->              | check ->                 | event                 |
|--------------------------------------|-------------------------|--------------------------|-----------------------|
| create check                         | -                       | created                  | created               |
| first attempt                        | pending_redirection     | pending                  | opened                |
| new attempt while one is open        | old terminated (64001)  | pending                  | reset                 |
| new attempt after retry_required     | pending_redirection     | pending                  | retry_requested       |
| applicant opens the link             | capture_in_progress     | capture_in_progress      | started               |
| capture done                         | checks_in_progress      | checks_in_progress       | capture_completed     |
| checks done                          | completed               | approved / declined      | checks_completed      |
| report ready (IDV)                   | -                       | unchanged                | report_created        |
| link not opened in 15 minutes        | expired (61101)         | retry_required           | link_expired          |
| applicant aborts                     | capture_aborted (61xxx) | retry_required           | capture_aborted       |
| assets unusable                      | checks_inconclusive     | retry_required (61xxx)   | checks_inconclusive   |
| applicant refuses                    | capture_refused (63001) | refused                  | capture_refused       |
| forcibly closed                      | terminated (64001)      | retry_required / inconcl.| closed                |
| audit                                | -                       | approved / declined      | audit_completed       |
| anonymize                            | -                       | unchanged                | anonymized            |
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from simulator.engine.clock import INSTANT
from simulator.providers.checkout import constants as c
from simulator.providers.checkout import retention, webhooks
from simulator.providers.checkout.api import timestamp
from simulator.providers.checkout.errors import Conflict
from simulator.providers.checkout.state import State

if TYPE_CHECKING:
    from simulator.app import Simulator
    from simulator.engine.scenarios.model import Scenario
    from simulator.providers.checkout.products import Product

log = logging.getLogger("kycsim.checkout")

# product name -> fn(state, check, attempt, result, codes): fills documents, face, ... when checks end
ResultsBuilder = Callable[[State, dict, dict, str, list[int]], None]
# product name -> fn(check): removes personal data
Anonymizer = Callable[[dict], None]

NEW_ATTEMPT_SIGNAL = "new_attempt"


def codes_json(codes: list[int]) -> list[dict[str, Any]]:
    return [c.response_code(code) for code in codes]


class Lifecycle:
    def __init__(self, sim: Simulator, scenario_for: Callable[[str, Product, dict], Scenario]) -> None:
        self.sim = sim
        self.scenario_for = scenario_for  # the scenario a check plays (chosen when it was created)
        self.results_builders: dict[str, ResultsBuilder] = {}
        self.anonymizers: dict[str, Anonymizer] = {}

    # Creation

    def create_check(
        self,
        tenant: str,
        product: Product,
        *,
        applicant: dict[str, Any],
        base_url: str,
        fields: dict[str, Any],
        scenario: dict[str, Any],
    ) -> dict[str, Any]:
        """A new check in ``created``; ``fields`` are the product's own (declared_data, ...)."""
        state = State(self.sim, tenant)
        now = timestamp(self.sim, tenant)
        check: dict[str, Any] = {
            "id": self.sim.ids.prefixed(product.id_prefix, tenant),
            "created_on": now,
            "modified_on": now,
            "user_journey_id": fields.pop("user_journey_id", None) or state.user_journey_id(product),
            "applicant_id": applicant["id"],
            "status": c.CREATED,
            "response_codes": [],
            **({"risk_labels": []} if product.has_risk_labels else {}),
            **fields,
            "_product": product.name,
            "_base_url": base_url,
            "_attempt_ids": [],
            "_scenario": scenario,
            "_history": [],
            "_anonymized": False,
        }
        self.record_history(check, None, product.event("created"), now)
        state.save_check(product, check)
        retention.remember_check(state, applicant, check)
        webhooks.publish(self.sim, tenant, product, check, product.event("created"), applicant)
        return check

    def create_attempt(
        self,
        tenant: str,
        product: Product,
        check: dict[str, Any],
        *,
        base_url: str,
        fields: dict[str, Any],
        drive: bool = True,
        initial: tuple[str, str, str | None] | None = None,
    ) -> dict[str, Any]:
        """A new attempt; ends any open one (``reset``) and starts or resumes the scenario run.

        ``drive=False`` when a scenario step itself creates the attempt (its run goes on as scripted).
        ``initial`` = (attempt status, check status, event suffix or None) for products without a hosted
        flow (IDDV/ADV uploads start in ``quality_checks_in_progress``, with no event); hosted products start in
        ``pending_redirection``/``pending`` with ``opened``, ``reset`` or ``retry_requested``.
        """
        if check["status"] not in product.attempt_allowed:
            raise Conflict(
                f"{product.event_prefix}_status_invalid",
                message=f"an attempt cannot be created while the {product.label} is {check['status']!r}",
            )
        state = State(self.sim, tenant)
        now = timestamp(self.sim, tenant)
        previous = state.attempts(product, check)
        reset = False
        for old in previous:
            if old["status"] in c.OPEN_ATTEMPT_STATUSES:
                old.update(status=c.TERMINATED, modified_on=now, response_codes=codes_json([c.FORCIBLY_CLOSED_CODE]))
                state.save_attempt(product, old)
                reset = True
        was_retry = check["status"] == c.RETRY_REQUIRED
        attempt: dict[str, Any] = {
            "id": self.sim.ids.prefixed(product.attempt_prefix or "atp", tenant),
            "created_on": now,
            "modified_on": now,
            "status": initial[0] if initial else c.PENDING_REDIRECTION,
            "response_codes": [],
            **fields,
            "_check_id": check["id"],
            "_product": product.name,
            "_number": len(previous) + 1,
        }
        if product.hosted:
            attempt["_link_token"] = state.new_token("verification", 10, product=product.name,
                                                     check_id=check["id"], attempt_id=attempt["id"])  # fmt: skip
        attempt["_media_token"] = state.new_token("media", 26, product=product.name, check_id=check["id"],
                                                  attempt_id=attempt["id"])  # fmt: skip
        check["_attempt_ids"].append(attempt["id"])
        check.update(status=initial[1] if initial else c.PENDING, response_codes=[], modified_on=now)
        event: str | None
        if initial:
            event = product.event(initial[2]) if initial[2] else None
        elif reset:
            event = product.event("reset")
        elif was_retry:
            event = product.event("retry_requested")
        else:
            event = product.event("opened")
        self.record_history(check, attempt, event, now)
        state.save_attempt(product, attempt)
        state.save_check(product, check)
        if event is not None:
            webhooks.publish(self.sim, tenant, product, check, event, state.applicant(check["applicant_id"]))
        if product.hosted:
            self._schedule_expiry(tenant, product, check["id"], attempt["id"])
        if drive:
            self.drive_run(tenant, product, check)
        return attempt

    # Transitions (scenario verbs and the hosted page call these)

    def open_link(self, tenant: str, product: Product, check: dict, attempt: dict, session: dict | None = None) -> bool:
        if attempt["status"] != c.PENDING_REDIRECTION:
            return self.skip("open_link", attempt)
        if session:
            attempt["applicant_session_information"] = session
        return self.move(tenant, product, check, attempt, c.ATTEMPT_CAPTURE_IN_PROGRESS, c.CAPTURE_IN_PROGRESS,
                          "started")  # fmt: skip

    def complete_capture(self, tenant: str, product: Product, check: dict, attempt: dict) -> bool:
        if attempt["status"] != c.ATTEMPT_CAPTURE_IN_PROGRESS:
            return self.skip("complete_capture", attempt)
        attempt["_outcome"] = {"event": product.event("capture_completed")}
        return self.move(tenant, product, check, attempt, c.ATTEMPT_CHECKS_IN_PROGRESS, c.CHECKS_IN_PROGRESS,
                          "capture_completed")  # fmt: skip

    def complete_checks(
        self,
        tenant: str,
        product: Product,
        check: dict,
        attempt: dict,
        result: str,
        codes: list[int],
        risk_labels: list[str] | None = None,
    ) -> bool:
        if attempt["status"] != c.ATTEMPT_CHECKS_IN_PROGRESS:
            return self.skip("complete_checks", attempt)
        if product.has_risk_labels:
            check["risk_labels"] = list(risk_labels or [])
        builder = self.results_builders.get(product.name)
        if builder is not None:
            builder(State(self.sim, tenant), check, attempt, result, codes)
        return self.move(tenant, product, check, attempt, c.COMPLETED, result, "checks_completed", codes=codes,
                          attempt_codes=codes)  # fmt: skip

    def create_report(self, tenant: str, product: Product, check: dict) -> bool:
        if check["status"] not in (c.APPROVED, c.DECLINED) or not product.has_report:
            return self.skip("create_report", check)
        if not check.get("_report_token"):
            check["_report_token"] = State(self.sim, tenant).new_token(
                "report", 26, product=product.name, check_id=check["id"]
            )
        return self.move(tenant, product, check, None, None, None, "report_created")

    def abort_capture(self, tenant: str, product: Product, check: dict, attempt: dict, code: int) -> bool:
        if attempt["status"] not in c.OPEN_ATTEMPT_STATUSES:
            return self.skip("abort_capture", attempt)
        attempt["_outcome"] = {"event": product.event("capture_aborted"), "code": code}
        return self.move(tenant, product, check, attempt, c.CAPTURE_ABORTED, c.RETRY_REQUIRED, "capture_aborted",
                          codes=[code], attempt_codes=[code])  # fmt: skip

    def refuse_capture(self, tenant: str, product: Product, check: dict, attempt: dict) -> bool:
        if attempt["status"] not in c.OPEN_ATTEMPT_STATUSES:
            return self.skip("refuse_capture", attempt)
        code = c.REFUSAL_CODE
        attempt["_outcome"] = {"event": product.event("capture_refused"), "code": code}
        return self.move(tenant, product, check, attempt, c.CAPTURE_REFUSED, c.REFUSED, "capture_refused",
                          codes=[code], attempt_codes=[code])  # fmt: skip

    def checks_inconclusive(self, tenant: str, product: Product, check: dict, attempt: dict, code: int) -> bool:
        if attempt["status"] != c.ATTEMPT_CHECKS_IN_PROGRESS:
            return self.skip("checks_inconclusive", attempt)
        return self.move(tenant, product, check, attempt, c.CHECKS_INCONCLUSIVE, c.RETRY_REQUIRED,
                          "checks_inconclusive", codes=[code], attempt_codes=[code])  # fmt: skip

    def expire_link(self, tenant: str, product: Product, check: dict, attempt: dict) -> bool:
        if attempt["status"] != c.PENDING_REDIRECTION:
            return self.skip("expire_link", attempt)
        code = c.LINK_NEVER_OPENED_CODE
        attempt["_outcome"] = {"event": product.event("link_expired"), "code": code}
        return self.move(tenant, product, check, attempt, c.EXPIRED, c.RETRY_REQUIRED, "link_expired",
                          codes=[code], attempt_codes=[code])  # fmt: skip

    def close(self, tenant: str, product: Product, check: dict, attempt: dict | None, status: str) -> bool:
        """Forcibly closed (64001): the open attempt is terminated; the check can be retried or not."""
        if check["status"] in c.FINAL_STATUSES:
            return self.skip("close", check)
        code = c.FORCIBLY_CLOSED_CODE
        open_statuses = c.OPEN_ATTEMPT_STATUSES if product.hosted else c.OPEN_UPLOAD_ATTEMPT_STATUSES
        open_attempt = attempt if attempt is not None and attempt["status"] in open_statuses else None
        if open_attempt is not None:
            open_attempt["_outcome"] = {"event": product.event("closed"), "code": code}
        return self.move(tenant, product, check, open_attempt, c.TERMINATED if open_attempt else None, status,
                          "closed", codes=[code], attempt_codes=[code])  # fmt: skip

    def audit(self, tenant: str, product: Product, check: dict, status: str, codes: list[int]) -> bool:
        if check["status"] not in (c.APPROVED, c.DECLINED):
            return self.skip("audit", check)
        return self.move(tenant, product, check, None, None, status, "audit_completed", codes=codes)

    def anonymize(self, tenant: str, product: Product, check: dict) -> dict:
        """Personal data goes; the status stays (an open attempt is closed first, 64001)."""
        state = State(self.sim, tenant)
        latest = state.latest_attempt(product, check)
        open_statuses = c.OPEN_ATTEMPT_STATUSES if product.hosted else c.OPEN_UPLOAD_ATTEMPT_STATUSES
        if latest is not None and latest["status"] in open_statuses:
            self.close(tenant, product, check, latest, c.RETRY_REQUIRED)
        anonymizer = self.anonymizers.get(product.name)
        if anonymizer is not None:
            anonymizer(check)
        for attempt in state.attempts(product, check):
            for key in ("phone_number", "applicant_session_information"):
                attempt.pop(key, None)
            state.save_attempt(product, attempt)
        check["_anonymized"] = True
        self._stop_run(tenant, check)
        self.move(tenant, product, check, None, None, None, "anonymized")
        return check

    # Private functions

    def skip(self, what: str, doc: dict) -> bool:
        log.info("checkout: %s skipped: %s is %s", what, doc.get("id"), doc.get("status"))
        return False

    def move(
        self,
        tenant: str,
        product: Product,
        check: dict,
        attempt: dict | None,
        attempt_status: str | None,
        check_status: str | None,
        event_suffix: str,
        *,
        codes: list[int] | None = None,
        attempt_codes: list[int] | None = None,
    ) -> bool:
        state = State(self.sim, tenant)
        now = timestamp(self.sim, tenant)
        if attempt is not None and attempt_status is not None:
            attempt["status"] = attempt_status
            attempt["modified_on"] = now
            if attempt_codes is not None:
                attempt["response_codes"] = codes_json(attempt_codes)
            state.save_attempt(product, attempt)
        if check_status is not None:
            check["status"] = check_status
        if codes is not None:
            check["response_codes"] = codes_json(codes)
        check["modified_on"] = now
        event = product.event(event_suffix)
        self.record_history(check, attempt, event, now)
        state.save_check(product, check)
        webhooks.publish(self.sim, tenant, product, check, event, state.applicant(check["applicant_id"]))
        return True

    @staticmethod
    def record_history(check: dict, attempt: dict | None, event: str | None, now: str) -> None:
        check["_history"].append(
            {
                "at": now,
                "event": event,
                "status": check["status"],
                "attempt_id": attempt["id"] if attempt else None,
                "attempt_status": attempt["status"] if attempt else None,
                "response_codes": [rc["code"] for rc in check["response_codes"]],
            }
        )

    def _schedule_expiry(self, tenant: str, product: Product, check_id: str, attempt_id: str) -> None:
        if self.sim.clock.speed == INSTANT:
            return  # every job fires at once there: the rule would expire each link before anyone opens it

        async def expire() -> None:
            state = State(self.sim, tenant)
            check, attempt = state.check(product, check_id), state.attempt(product, attempt_id)
            if check is not None and attempt is not None:
                self.expire_link(tenant, product, check, attempt)

        self.sim.scheduler.schedule(c.LINK_LIFETIME_SECONDS, expire, tenant=tenant, label=f"link expiry {attempt_id}")

    def drive_run(self, tenant: str, product: Product, check: dict) -> None:
        """Start the check's scenario on its first attempt; later attempts resume or restart it."""
        runner = self.sim.runner
        run_id = check.get("_run_id")
        run = runner.get(tenant, "checkout", run_id) if run_id else None
        if run is not None and run["status"] == "running":
            if run["waiting_for"] == NEW_ATTEMPT_SIGNAL:
                runner.signal(tenant, "checkout", run_id, NEW_ATTEMPT_SIGNAL)
            else:
                # The client replaced an attempt the script was still playing: play it again on the new one.
                scenario = runner.scenario_of(run) or self.scenario_for(tenant, product, check)
                runner.replace(tenant, "checkout", run_id, scenario)
            return
        scenario = self.scenario_for(tenant, product, check)
        if run is not None:
            # The scripted story is over: a further attempt plays the product's happy path.
            scenario = self.scenario_for(tenant, product, {**check, "_scenario": {"rule": "default"}})
        new_id = f"run_{check['id']}_{len(check['_attempt_ids'])}"
        runner.start(tenant, scenario, {"product": product.name, "check_id": check["id"]}, run_id=new_id)
        check["_run_id"] = new_id
        check["_scenario"]["playing"] = scenario.name
        State(self.sim, tenant).save_check(product, check)

    def _stop_run(self, tenant: str, check: dict) -> None:
        if check.get("_run_id"):
            self.sim.runner.stop(tenant, "checkout", check["_run_id"], "anonymized")
