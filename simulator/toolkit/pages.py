"""Hosted pages, built the same way for every provider: one skeleton, one scenario picker, one safe redirect.

A provider's page handler gathers what its flow shows and renders its own template (in ``templates/``
beside the provider) through :class:`Pages`. That template extends ``kycsim/page.html`` and uses the
macros of ``kycsim/parts.html`` (facts, timeline, script) and ``kycsim/picker.html``. Jinja2 escapes
every value, and is imported with the first page served, never at start-up.

The parts every page shares:

- :func:`safe_redirect`: where "Return to the merchant" may lead. Only an absolute http(s) URL: a
  ``javascript:``, ``data:`` or any other scheme is neither rendered nor followed, whoever stored it
  and whenever (records older than the input checks included).
- :func:`picker`: the catalogue's scenarios for one flow, grouped by outcome, each with the codes or
  labels it produces and their meaning from the provider's table (``Provider.outcome``). The
  ``scenario_picker`` macro renders it as a plain ``<select>`` (it works without JavaScript); a small
  script adds a filter by name, code, label or meaning, and a panel describing the chosen scenario.
- :func:`script`: the scenario's steps, each done, next, later or skipped, and who plays it.
- Following the flow: a page names its state endpoint and the version of the flow it shows
  (:class:`Follow`). The skeleton's script polls that endpoint, which keeps itself out of the request
  journal, reloads the page when the version moves, and leaves for the state's ``leave`` URL (http(s)
  only, checked again in the browser) when there is one. No page reloads itself blindly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from simulator.engine.scenarios.model import APPLICANT

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.templating import Jinja2Templates

    from simulator.engine.scenarios.model import Scenario

SHARED_TEMPLATES = Path(__file__).with_name("templates")


# Redirects


def is_http_url(value: object) -> bool:
    """An absolute http(s) URL with a host, printable and without spaces: the only kind a page may lead to."""
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and value.isprintable() and " " not in value


def safe_redirect(url: object, params: Iterable[tuple[str, str]] = ()) -> str | None:
    """``url`` with ``params`` added to its own query, or None unless it is an http(s) URL."""
    if not is_http_url(url):
        return None
    assert isinstance(url, str)
    extra = urlencode(list(params))
    if not extra:
        return url
    parts = urlsplit(url)
    return parts._replace(query=f"{parts.query}&{extra}" if parts.query else extra).geturl()


# Scenario picker


@dataclass(frozen=True)
class Code:
    """A response code or reject label as the provider's table describes it."""

    code: str
    summary: str = ""  # the table's short name (``face_mismatch``), when it has one
    meaning: str = ""  # what it means, in a sentence

    @property
    def text(self) -> str:
        if self.summary:
            return f"{self.code} {self.summary}"
        return f"{self.code} — {self.meaning}" if self.meaning else self.code

    @property
    def detail(self) -> str:
        return f"{self.code} {self.summary} — {self.meaning}" if self.summary else self.text


@dataclass(frozen=True)
class Outcome:
    """How a scenario ends, for pickers: its group (``declined``, ``RED · FINAL``) and what it produces."""

    group: str
    codes: tuple[Code, ...] = ()


@dataclass(frozen=True)
class Picker:
    groups: list[dict[str, Any]]  # [{"label": ..., "choices": [{"name": ..., "text": ...}]}], in display order
    selected: str | None
    details: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> description, group, codes


def picker(provider: Any, scenarios: Iterable[Scenario], selected: str | None) -> Picker:
    """The scenarios grouped by ``provider.outcome`` in the order of ``provider.outcome_groups``."""
    grouped: dict[str, list[dict[str, str]]] = {}
    details: dict[str, dict[str, Any]] = {}
    for scenario in sorted(scenarios, key=lambda s: s.name):
        outcome = provider.outcome(scenario)
        codes = ", ".join(code.text for code in outcome.codes)
        grouped.setdefault(outcome.group, []).append(
            {"name": scenario.name, "text": f"{scenario.name} · {codes}" if codes else scenario.name}
        )
        details[scenario.name] = {
            "description": scenario.description,
            "group": outcome.group,
            "codes": [code.detail for code in outcome.codes],
        }
    order = {name: index for index, name in enumerate(provider.outcome_groups)}
    labels = sorted(grouped, key=lambda label: (order.get(label, len(order)), label))
    groups = [{"label": label, "choices": grouped[label]} for label in labels]
    return Picker(groups, selected if selected in details else None, details)


# The scenario's script


def script(sim: Any, provider: str, tenant: str, run_id: str | None, person_plays: bool) -> list[dict[str, Any]]:
    """The run's steps, each ``done``, ``next``, ``later`` or (the run ended early) ``skipped``; ``by_person``
    when a person on the page plays it; ``due`` on the next step when a timer is armed for it."""
    run = sim.runner.get(tenant, provider, run_id) if run_id else None
    scenario = sim.runner.scenario_of(run) if run else None
    if run is None or scenario is None:
        return []
    verbs = sim.providers[provider].verbs()
    steps = []
    for index, step in enumerate(scenario.steps):
        state = "done" if index < run["cursor"] else ("next" if index == run["cursor"] else "later")
        if run["status"] != "running" and state != "done":
            state = "skipped"
        verb = verbs.get(step.do or "")
        by_person = person_plays and verb is not None and verb.actor == APPLICANT
        due = run.get("next_step_at") if state == "next" and not run.get("waiting_for") else None
        steps.append(
            {
                "step": step.label,
                "after": step.after,
                "with": step.args,
                "state": state,
                "by_person": by_person,
                "due": due,
            }
        )
    return steps


def script_version(steps: list[dict[str, Any]]) -> int:
    return sum(1 for step in steps if step["state"] == "done")


# Following the flow

POLL_PARAM = "kycsim_poll"  # on the URL of a page's own reload, so that it reads as a poll, not a visit


def note_poll(request: Request) -> None:
    """A state endpoint: out of the request journal (a poll a second would push real API calls out of it
    within the hour) and on the console at ``debug`` only."""
    request.state.journal = False
    request.state.poll = True


def note_own_reload(request: Request) -> None:
    """A page the page's script reloaded because the flow moved: on the console at ``debug`` only (it stays
    in the journal: it is what the person saw)."""
    if POLL_PARAM in request.query_params:
        request.state.poll = True


# Rendering


def breakable(value: object) -> Any:
    """``value`` escaped, with a line-break opportunity between the words of a ``snake_case`` or
    ``camelCase`` name, so that long event names wrap between words in a narrow column."""
    from markupsafe import Markup, escape

    # Escaping first: "_" and capitals never occur inside an entity such as &amp; or &#34;.
    return Markup(re.sub(r"(_)|(?<=[a-z])(?=[A-Z])", r"\1<wbr>", str(escape(value))))


def moment(value: object) -> str:
    """An ISO 8601 UTC timestamp as ``2025-01-01 00:00:10`` (what a timeline column has room for)."""
    found = re.match(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)", str(value))
    return f"{found[1]} {found[2]}" if found else str(value)


@dataclass(frozen=True)
class Follow:
    """What the page's script polls (``state_url``) and the version of the flow the page shows."""

    state_url: str
    version: str


class Pages:
    """One provider's templates (its ``templates/`` folder) over the shared ones, rendered with autoescaping."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @cached_property
    def templates(self) -> Jinja2Templates:
        # Imported here: Jinja2 costs start-up time, and most runs serve no page at all.
        import jinja2
        from starlette.templating import Jinja2Templates

        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([self.directory, SHARED_TEMPLATES]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters.update(breakable=breakable, moment=moment)
        return Jinja2Templates(env=env)

    def render(self, request: Request, name: str, context: Mapping[str, Any], status_code: int = 200) -> Response:
        values = {"follow": None, "leave_to": None, **context}
        if values["leave_to"] is not None and not is_http_url(values["leave_to"]):
            values["leave_to"] = None  # never a meta refresh to another scheme
        return self.templates.TemplateResponse(request, name, values, status_code=status_code)

    def message(self, request: Request, context: Mapping[str, Any], status_code: int) -> Response:
        """A whole page with a title and one message (unknown link, unreadable form...)."""
        return self.render(request, "kycsim/message.html", context, status_code)
