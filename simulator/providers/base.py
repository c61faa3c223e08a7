"""The contract a provider fulfils to plug into kycsim (LocalStack's ``SqsApi`` role).

A provider brings its operations (routes as data), its error envelope, its scenario verbs and
sandbox conventions, its webhook profile and its coverage constants. The engine only ever sees
these through this interface; the toolkit (``simulator/toolkit``) turns the operations into
routes that run one request pipeline, using the hooks below.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from simulator.engine.scenarios.coverage import produced
from simulator.engine.scenarios.model import EffectContext, Effects, Scenario, Verb
from simulator.engine.webhooks.dispatcher import WebhookProfile
from simulator.toolkit.errors import ProviderError, render
from simulator.toolkit.pages import Outcome
from simulator.toolkit.routes import Call, Operation, build_routes
from simulator.toolkit.schemas import SchemaRegistry
from simulator.toolkit.settings import Setting
from simulator.toolkit.state import TenantState
from simulator.toolkit.story import Subject, default_subject

if TYPE_CHECKING:
    from simulator.settings import Settings
    from simulator.simulator import Simulator


class Provider:
    name: str = ""
    products: tuple[str, ...] = ()
    # For the page at / : what the provider is, a few of its paths, kycsim's guide and the real API reference.
    title: str = ""
    sample_paths: tuple[str, ...] = ()
    guide: str = ""  # a file of docs/
    reference: str = ""

    def __init__(self) -> None:
        self.sim: Simulator | None = None

    # Packaging: what the provider adds to kycsim around its API, so that adding one is its folder plus
    # one registry line (providers/__init__.py). docs/adding-a-provider.md walks through them.

    # Its part of the Python client and of the pytest plugin is no hook here but a module next to the class,
    # ``client.py`` (``CLIENT``: its control calls; ``kit_tenant``...: see simulator/client.py and testing/),
    # found through the registry (``providers.provider_part``) without importing the class.

    # Its settings: fields of Settings, env KYCSIM_<NAME>, config-file keys (names start with ``name_``).
    settings_fields: tuple[Setting, ...] = ()

    @classmethod
    def bundled_scenarios(cls) -> Path | None:
        """The scenarios it ships: the ``scenarios/`` folder next to the module defining the class (package
        data, so a non-editable install carries it too); None without one."""
        folder = Path(sys.modules[cls.__module__].__file__ or "").parent / "scenarios"
        return folder if folder.is_dir() else None

    @classmethod
    def add_cli(cls, command: Callable[[str, str], argparse.ArgumentParser]) -> None:
        """Its ``kycsim`` subcommands against a running simulator. ``command(name, help)`` adds one (with
        ``--url``, ``--token`` and ``--json``); ``set_defaults(call=fn)`` says what it does: ``fn(client,
        args)`` returns what to print (``client``: the control client). Import them in here, not at the top
        of the provider's module, so ``kycsim`` starts fast."""

    def banner_line(self) -> str:
        """What ``kycsim serve`` prints about it: where its API is (one phrase; the banner joins them)."""
        return f"{self.title or self.name} at {', '.join(self.sample_paths) or '/'}"

    def bind(self, sim: Simulator) -> None:
        """Called once by ``create_app``: the provider keeps the simulator's components."""
        self.sim = sim

    # The request pipeline (toolkit/routes.py) and its hooks

    error: type[ProviderError] = ProviderError  # the provider's one error base class (errors.py)
    state_class: type[TenantState] = TenantState  # the tenant's view handlers and verbs get
    schemas: SchemaRegistry | None = None  # the provider's schemas/ folder
    json_required = False  # an empty body is the provider's error (True) or ``{}`` (False)

    def operations(self) -> list[Operation]:
        """The route table: every operation with its method, path, handler, name and schemas."""
        return []

    def routes(self) -> list[BaseRoute]:
        return list(build_routes(self, self.operations()))

    def authenticate(self, request: Request, op: Operation) -> str | Awaitable[str]:
        """The tenant (the credential) of ``request``; raises the provider's error otherwise.

        A coroutine (``async def``) where the check needs the body, as a request signature does; a
        plain method otherwise, which saves an await on every call."""
        raise NotImplementedError

    def accepts_json(self, media_type: str | None) -> bool:
        """Whether a body sent with this ``Content-Type`` (lowercased, no parameters) is read as JSON."""
        return media_type is None or media_type == "application/json" or media_type.endswith("+json")

    # Optional hooks: ``on_request(call)`` once the tenant is known, before the body is read;
    # ``on_response(call, response)`` after the handler answered (errors are rendered by ``error``).
    on_request: Callable[[Call], None] | None = None
    on_response: Callable[[Call, Response], None] | None = None

    @property
    def bound(self) -> Simulator:
        """The simulator :meth:`bind` gave this provider."""
        assert self.sim is not None, "the provider is not bound to a simulator yet"
        return self.sim

    def state(self, tenant: str) -> TenantState:
        """The tenant's view of this provider's part of the simulator."""
        return self.state_class(self.bound, tenant)

    # True for a provider whose paths sit at the root with no common prefix (Checkout.com): it
    # answers for unmatched paths only after every provider with its own prefixes declined them.
    owns_unclaimed_paths: bool = False

    def owns_path(self, path: str) -> bool:
        """Whether an unmatched ``path`` should get this provider's 404/405 envelope."""
        return False

    def error_response(self, request: Request, status: int, message: str) -> Response:
        """The provider's envelope for routing errors (404, 405) and unexpected failures (500)."""
        return render(request, self.error.for_status(status, message))

    def verbs(self) -> Mapping[str, Verb]:
        return {}

    def sandbox_convention(self, product: str, facts: Mapping[str, Any]) -> Scenario | str | None:
        """Selection rule 3: the provider's own magic values."""
        return None

    def webhook_profile(self) -> WebhookProfile | None:
        return None

    def webhook_endpoints_from_settings(self) -> list[dict[str, Any]]:
        """The endpoint the provider's own settings configure, as ``Dispatcher.add_endpoint`` arguments:
        ``<name>_webhook_url`` (unset: none) and ``<name>_webhook_secret`` among its ``settings_fields``,
        with :meth:`webhook_options`."""
        settings = self.sim.settings if self.sim else None
        url = getattr(settings, f"{self.name}_webhook_url", None)
        if settings is None or not url:
            return []
        secret = getattr(settings, f"{self.name}_webhook_secret", None)
        return [{"url": url, "secret": secret, "options": self.webhook_options(settings)}]

    def webhook_options(self, settings: Settings) -> dict[str, Any]:
        """The options (``Endpoint.options``: signing algorithm, extra headers) of the endpoint its settings
        configure."""
        return {}

    def coverage_targets(self) -> dict[str, set[str]]:
        """Every wire value scenarios must be able to produce, by category (``idv.status``...)."""
        return {}

    def creation_effects(self, ctx: EffectContext) -> Mapping[str, Iterable[str]]:
        """What creating a scenario's subject (a check, an applicant) produces, before any step."""
        return {}

    signal_effects: Mapping[str, Effects] = {}  # what each signal a run may wait for does (a new attempt)

    def produces(self, scenario: Scenario) -> dict[str, set[str]]:
        """What ``scenario`` produces, in the categories of :meth:`coverage_targets`: derived by the
        engine from the effects the verbs declare."""
        return produced(scenario, self.verbs(), self.creation_effects, self.signal_effects)

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
