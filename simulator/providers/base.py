"""The contract a provider fulfils to plug into kycsim (LocalStack's ``SqsApi`` role).

A provider brings its routes, its error envelope, its scenario verbs and sandbox
conventions, its webhook profile and its coverage constants. The engine only ever sees
these through this interface.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from simulator.engine.scenarios.model import Scenario, Verb
from simulator.engine.webhooks.dispatcher import WebhookProfile
from simulator.toolkit.pages import Outcome
from simulator.toolkit.story import Subject, default_subject

if TYPE_CHECKING:
    from simulator.app import Simulator


class Provider:
    name: str = ""
    products: tuple[str, ...] = ()
    default_scenarios: Mapping[str, str] = {}  # product -> scenario name (selection rule 6)
    # For the page at / : what the provider is, a few of its paths, kycsim's guide and the real API reference.
    title: str = ""
    sample_paths: tuple[str, ...] = ()
    guide: str = ""  # a file of docs/
    reference: str = ""

    def __init__(self) -> None:
        self.sim: Simulator | None = None

    def bind(self, sim: Simulator) -> None:
        """Called once by ``create_app``: the provider keeps the simulator's components."""
        self.sim = sim

    def routes(self) -> list[BaseRoute]:
        return []

    # True for a provider whose paths sit at the root with no common prefix (Checkout.com): it
    # answers for unmatched paths only after every provider with its own prefixes declined them.
    owns_unclaimed_paths: bool = False

    def owns_path(self, path: str) -> bool:
        """Whether an unmatched ``path`` should get this provider's 404/405 envelope."""
        return False

    def error_response(self, request: Request, status: int, message: str) -> Response:
        """The provider's envelope for routing errors (404, 405) and unexpected failures (500)."""
        raise NotImplementedError

    def verbs(self) -> Mapping[str, Verb]:
        return {}

    def sandbox_convention(self, product: str, facts: Mapping[str, Any]) -> Scenario | str | None:
        """Selection rule 3: the provider's own magic values."""
        return None

    def webhook_profile(self) -> WebhookProfile | None:
        return None

    def webhook_endpoints_from_settings(self) -> list[dict[str, Any]]:
        """Endpoints configured by settings: dicts of ``Dispatcher.add_endpoint`` arguments."""
        return []

    def coverage_targets(self) -> dict[str, set[str]]:
        """Every wire value scenarios must be able to produce, by category (``idv.status``...)."""
        return {}

    def produces(self, scenario: Scenario) -> dict[str, set[str]]:
        """What ``scenario`` produces, in the categories of :meth:`coverage_targets`."""
        return {}

    # The order in which scenario pickers (hosted pages, dashboard) show the groups of :meth:`outcome`.
    outcome_groups: tuple[str, ...] = ()

    def outcome(self, scenario: Scenario) -> Outcome:
        """How ``scenario`` ends, for scenario pickers: its group (a final status or answer) and the codes
        or labels it produces, each with its meaning from the provider's table."""
        return Outcome("other")

    def trigger(self, http: Any, scenario: Scenario, record: Any, tenant: str | None = None) -> dict[str, Any]:
        """``kycsim trigger``: make the API calls a client would to start ``scenario``.

        ``http`` is an ``httpx.Client`` on the running simulator (base URL set, no provider credentials);
        the provider adds its own credentials (``tenant`` when given, else its own trigger tenant) and the
        ``X-KycSim-Scenario`` header, calls ``record(kind, detail)`` for each call made, and returns the
        ids of what it created plus ``"tenant"``: the credential it used. The CLI follows the run whose
        subject holds one of these ids.
        """
        raise NotImplementedError(f"{self.name} cannot trigger scenarios yet")

    def trigger_resume(self, http: Any, run: Mapping[str, Any], created: Mapping[str, Any], record: Any) -> str | None:
        """``kycsim trigger``: ``run`` waits (``run["waiting_for"]``); make the client's call that moves it on
        (a new attempt, a request check...) and say what was done, or return None when it is not the
        client's part (a person on the hosted page, or a signal only the control API gives)."""
        return None

    def story(self, tenant: str, run: Mapping[str, Any], *, detail: bool = True) -> Subject:
        """The dashboard's page for one verification: what ``run``'s subject is, every id it goes by, its
        status and (``detail``) how it changed and the hosted pages a person opens for it; a search asks
        without ``detail`` (``toolkit/story.py``)."""
        return default_subject(run)

    def reset(self, tenant: str | None) -> None:
        """Forget provider-held state beyond the store (caches, tokens)."""

    def forget(self, tenant: str, run: dict[str, Any]) -> None:
        """Retention: delete what the check a finished ``run`` played is made of (``engine/retention.py``).

        Called once the tenant has more finished runs than it keeps. A check that a later run plays
        again stays. The default keeps everything (only the run document goes).
        """

    async def startup(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
