"""What a scenario is, once loaded: frozen data the runner walks through."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

APPLICANT = "applicant"  # a step the applicant performs (a person does it in interactive mode)
PROVIDER = "provider"  # a step the provider's back office performs

# The scenario whose step is running now (set by the runner around each verb), so what the step
# does downstream, such as publishing a webhook, can apply the scenario's settings.
CURRENT_SCENARIO: ContextVar[Scenario | None] = ContextVar("kycsim_current_scenario", default=None)
# The state of the request being served (``request.state``: tenant, provider, scenario), so
# that an event published by a handler knows the scenario the handler selected.
REQUEST_STATE: ContextVar[dict[str, Any] | None] = ContextVar("kycsim_request_state", default=None)


@dataclass(frozen=True)
class Step:
    after: float  # virtual seconds after the previous step (or after the run starts)
    do: str | None = None  # a provider verb
    wait: str | None = None  # or: pause until the provider signals this name
    args: dict[str, Any] = field(default_factory=dict)
    line: int = 0

    @property
    def label(self) -> str:
        return self.do or f"wait:{self.wait}"


@dataclass(frozen=True)
class Scenario:
    name: str
    provider: str
    product: str
    description: str
    steps: tuple[Step, ...]
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)  # the matrix values this one was expanded with
    source: str = "<built-in>"
    family: str | None = None  # the template name of a parametrised file
    webhooks: dict[str, Any] = field(default_factory=dict)  # {"chaos": {...}}: delivery chaos for its events

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "provider": self.provider,
            "product": self.product,
            "description": self.description,
            "aliases": list(self.aliases),
            "tags": list(self.tags),
            "family": self.family,
            "source": self.source,
        }

    def as_record(self) -> dict[str, Any]:
        """Everything that plays it, as JSON: a run of a scenario built for one check (a sandbox magic
        value) keeps it, since no catalogue can give it back after a restart."""
        steps = [{"after": s.after, "do": s.do, "wait": s.wait, "args": s.args} for s in self.steps]
        fields = ("name", "provider", "product", "description", "source", "webhooks")
        return {**{k: getattr(self, k) for k in fields}, "tags": list(self.tags), "steps": steps}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Scenario:
        """The scenario :meth:`as_record` wrote; ``KeyError``, ``TypeError`` or ``ValueError`` for anything else."""
        steps = tuple(
            Step(float(s["after"]), do=s["do"], wait=s["wait"], args=dict(s["args"])) for s in record["steps"]
        )
        return cls(
            name=str(record["name"]),
            provider=str(record["provider"]),
            product=str(record["product"]),
            description=str(record["description"]),
            steps=steps,
            tags=tuple(record["tags"]),
            source=str(record["source"]),
            webhooks=dict(record["webhooks"]),
        )

    def detail(self) -> dict[str, Any]:
        steps = [
            {"after": s.after, **({"do": s.do} if s.do else {"wait": s.wait}), **({"with": s.args} if s.args else {})}
            for s in self.steps
        ]
        detail = {**self.summary(), "params": self.params, "steps": steps}
        if self.webhooks:
            detail["webhooks"] = self.webhooks
        return detail


@dataclass
class StepContext:
    """Handed to a provider verb when its step fires."""

    tenant: str
    run: dict[str, Any]  # the persisted run: scenario name, subject, cursor
    step: Step
    scenario: Scenario

    @property
    def subject(self) -> dict[str, Any]:
        subject: dict[str, Any] = self.run["subject"]
        return subject

    @property
    def args(self) -> dict[str, Any]:
        return self.step.args


@dataclass
class EffectContext:
    """What a verb's declared effects are worked out from, when the engine derives coverage.

    ``model`` is scratch state kept across one scenario's steps, for effects that depend on what
    came before (an AML case resolved after a monitoring alert is a *monitoring* review).
    """

    product: str
    args: dict[str, Any]
    model: dict[str, Any]


# What one step (or the creation of a subject, or a signal a run waits for) produces, by coverage
# category (``identity_verification.status`` -> {"approved"}); values are wire strings.
Effects = Callable[[EffectContext], Mapping[str, Iterable[Any]]]


@dataclass(frozen=True)
class Verb:
    """A step verb a provider offers to scenario files, with the effects it declares."""

    name: str
    handler: Callable[[StepContext], Awaitable[None]]
    description: str
    actor: str = PROVIDER
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "object", "additionalProperties": False})
    effects: Effects | None = None
