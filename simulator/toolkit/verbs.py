"""Scenario verbs declared next to their handlers, each with the effects it has.

A provider keeps one :class:`VerbTable` and declares each verb on the function that performs it::

    VERBS = VerbTable()

    @VERBS.verb("open_link", "The applicant opens the verification URL.", actor=APPLICANT,
                effects=moves("open_link"))
    async def open_link(state: CheckoutState, step: StepContext) -> None: ...

The handler is handed its context, the tenant's state and the step, rather than closing over the
provider. :meth:`VerbTable.bind` makes the engine's :class:`~simulator.engine.scenarios.model.Verb`
objects; the engine derives coverage from their ``effects``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from simulator.engine.scenarios.model import PROVIDER, Effects, StepContext, Verb

Handler = Callable[[Any, StepContext], Awaitable[None]]  # (the provider's TenantState, the step)
NO_ARGS: dict[str, Any] = {"type": "object", "additionalProperties": False}


class StateSource(Protocol):
    def state(self, tenant: str) -> Any: ...


@dataclass(frozen=True)
class VerbSpec:
    name: str
    handler: Handler
    description: str
    actor: str = PROVIDER
    schema: dict[str, Any] = field(default_factory=lambda: dict(NO_ARGS))
    effects: Effects | None = None


class VerbTable:
    """A provider's verbs, in the order they were declared."""

    def __init__(self) -> None:
        self.specs: dict[str, VerbSpec] = {}

    def verb(
        self,
        name: str,
        description: str,
        *,
        actor: str = PROVIDER,
        schema: dict[str, Any] | None = None,
        effects: Effects | None = None,
    ) -> Callable[[Handler], Handler]:
        def declare(handler: Handler) -> Handler:
            if name in self.specs:
                raise ValueError(f"verb {name!r} is declared twice")
            self.specs[name] = VerbSpec(name, handler, description, actor, dict(schema or NO_ARGS), effects)
            return handler

        return declare

    def bind(self, provider: StateSource) -> dict[str, Verb]:
        """The engine's verbs: each hands its handler ``provider.state(tenant)`` and the step."""
        return {
            name: Verb(name, _handler(provider, spec.handler), spec.description, spec.actor, spec.schema, spec.effects)
            for name, spec in self.specs.items()
        }


def _handler(provider: StateSource, handler: Handler) -> Callable[[StepContext], Awaitable[None]]:
    async def run(step: StepContext) -> None:
        await handler(provider.state(step.tenant), step)

    run.__name__ = handler.__name__
    return run
