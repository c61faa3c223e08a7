"""A verification's story: what happened to one check, applicant or action, on one timeline.

- `GET /_sim/stories?q=...`: verifications, newest first, whose id, any id they go by (applicant,
  attempts, external ids), email, facts, scenario or tenant match `q` (exactly first, then as a part
  of 3 characters or more); `tenant`, `provider` and `limit` narrow it; no `q`: the newest.
- `GET /_sim/stories/{id}`: the story of what goes by `id` (any of those ids, a run id, or the id of
  one of its webhook events or deliveries): its subjects, its runs with their scripts, one timeline.

A story is made of scenario runs (a run plays one check, applicant or action: its subject) and
what the provider says of each subject (``Provider.story``: the ids it goes by, facts, status
changes, hosted pages). The timeline puts together, in virtual time with the real time beside it:

- ``request``: each request in the journal that mentions one of the ids, with both bodies;
- ``run``: a scenario started on the subject; ``step``: each step played (``signal:...`` when the
  run was told to go on); ``next``: the step due next, and when; ``waiting``: what the run waits for;
- ``status``: each change of the subject's status;
- ``webhook``: each event published about the subject, with its payload and, per endpoint, every
  delivery attempt with the headers sent and the receiver's answer (an event goes in the log even
  when no endpoint wants it: then its ``deliveries`` are empty).

Tenants show masked, request bodies and payloads with their secrets masked (``engine/masking.py``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from simulator.control.errors import bad_request, not_found, query_int
from simulator.control.table import ControlOp, Param
from simulator.control.tenants import query_tenant
from simulator.engine.clock import isoformat
from simulator.engine.masking import mask, mask_text, mask_url, masked_attempt
from simulator.engine.scenarios.runner import RUNS
from simulator.toolkit import pages
from simulator.toolkit.story import Subject, subject_ids

MAX_QUERY = 200  # characters of a search
ORDER = {"request": 0, "run": 1, "step": 2, "status": 3, "webhook": 4, "next": 5, "waiting": 6}
FAR = datetime.max.replace(tzinfo=UTC)


def _sim(request: Request) -> Any:
    return request.app.state.sim


def _moment(value: Any) -> datetime:
    if not isinstance(value, str):
        return FAR
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return FAR


def _runs(sim: Any, tenant: str | None, provider: str | None = None) -> list[tuple[str, dict]]:
    """(tenant, run) of every run, newest first."""
    tenants = [tenant] if tenant else [t for t in sim.store.tenants() if not t.startswith("_")]
    found = [
        (t, run)
        for t in tenants
        for name in sim.providers
        if not provider or name == provider
        for run in sim.store.list(t, name, RUNS)
    ]
    found.sort(key=lambda item: _moment(item[1].get("started_at")), reverse=True)
    return found


def _subject(sim: Any, tenant: str, run: dict, *, detail: bool) -> Subject:
    return sim.providers[run["provider"]].story(tenant, run, detail=detail)


# Search


def _candidates(tenant: str, run: dict, subject: Subject) -> list[tuple[str, str]]:
    """(what, value) pairs a search looks at, for one run."""
    values = [("id", subject.id), ("run", run["id"]), ("scenario", str(run.get("scenario") or ""))]
    values += list(subject.ids.items())
    for name, value in subject.facts.items():
        for item in value if isinstance(value, list) else [value]:
            values.append((name, str(item)))
    values += [("tenant", tenant), ("tenant", mask(tenant) or "")]
    return values


def _match(query: str, candidates: list[tuple[str, str]]) -> tuple[int, str] | None:
    """(0, what) for an exact match, (1, what) for a part of a value (3 characters or more); else None."""
    wanted = query.lower()
    for what, value in candidates:
        if value.lower() == wanted:
            return 0, what
    if len(wanted) >= 3:
        for what, value in candidates:
            if what != "tenant" and wanted in value.lower():
                return 1, what
    return None


def _row(tenant: str, run: dict, subject: Subject) -> dict[str, Any]:
    next_at = run.get("next_step_at") if run["status"] == "running" and not run.get("waiting_for") else None
    return {
        "id": subject.id,
        "kind": subject.kind,
        "provider": run["provider"],
        "product": run.get("product"),
        "scenario": run.get("scenario"),
        "status": subject.status,
        "run": run["id"],
        "run_status": run["status"],
        "waiting_for": run.get("waiting_for"),
        "runs": 1,
        "steps_done": len(run.get("history") or []),
        "last_step": (run.get("history") or [{}])[-1].get("step"),
        "next_step_at": next_at,
        "started_at": run.get("started_at"),
        "tenant": mask(tenant),
        "ids": subject.ids,
        "facts": subject.facts,
    }


async def search(request: Request) -> Response:
    sim = _sim(request)
    query = (request.query_params.get("q") or "").strip()
    if len(query) > MAX_QUERY:
        raise bad_request(f"'q' must be at most {MAX_QUERY} characters")
    provider = request.query_params.get("provider") or None
    if provider is not None and provider not in sim.providers:
        raise bad_request(f"unknown provider {provider!r}; loaded: {', '.join(sorted(sim.providers))}")
    limit = query_int(request, "limit", 100, minimum=1, maximum=1000)
    assert limit is not None
    rows: dict[tuple[str, str], dict[str, Any]] = {}  # one per subject: its newest run
    ranks: dict[tuple[str, str], tuple[int, int]] = {}
    for order, (tenant, run) in enumerate(_runs(sim, query_tenant(request), provider)):
        subject = _subject(sim, tenant, run, detail=False)
        key = (tenant, subject.id)
        if key in rows:
            rows[key]["runs"] += 1
            continue
        found = _match(query, _candidates(tenant, run, subject)) if query else (0, "")
        if found is None:
            continue
        rows[key] = {**_row(tenant, run, subject), "matched": found[1] or None}
        ranks[key] = (found[0], order)
    ordered = sorted(rows, key=lambda key: ranks[key])[:limit]
    items = [rows[key] for key in ordered]
    return JSONResponse({"count": len(items), "query": query, "data": items})


# One story


def _lookup(sim: Any, key: str) -> str:
    """The subject an event or delivery id is about; any other id as it is."""
    delivery = sim.dispatcher.deliveries.get(key)
    if delivery is not None:
        return delivery.event.resource or key
    event = sim.dispatcher.event(key)
    if event is not None:
        return event.resource or key
    return key


def _find(sim: Any, key: str, tenant: str | None) -> list[tuple[str, dict]]:
    """(tenant, run) of every run whose subject goes by ``key``, newest first."""
    found = []
    for t, run in _runs(sim, tenant):
        if key == run["id"] or key in subject_ids(run.get("subject") or {}).values():
            found.append((t, run))
            continue
        subject = _subject(sim, t, run, detail=False)
        if key == subject.id or key in subject.ids.values():
            found.append((t, run))
    return found


def _script(sim: Any, tenant: str, run: dict) -> list[dict[str, Any]]:
    person_plays = sim.settings.applicant == "interactive"
    return pages.script(sim, run["provider"], tenant, run["id"], person_plays)


def _run_json(sim: Any, tenant: str, run: dict, subject: Subject) -> dict[str, Any]:
    armed = run["status"] == "running" and not run.get("waiting_for")
    return {
        "id": run["id"],
        "subject": subject.id,
        "scenario": run.get("scenario"),
        "provider": run["provider"],
        "product": run.get("product"),
        "status": run["status"],
        "waiting_for": run.get("waiting_for"),
        "handed_off": run.get("handed_off", True),
        "started_at": run.get("started_at"),
        "next_step_at": run.get("next_step_at") if armed else None,
        "script": _script(sim, tenant, run),
    }


def _timeline(sim: Any, tenant: str, runs: list[dict], subjects: dict[str, Subject]) -> list[dict[str, Any]]:
    ids = {subject.id for subject in subjects.values()}
    ids |= {value for subject in subjects.values() for value in subject.ids.values()}
    needles = ids | {page["url"] for subject in subjects.values() for page in subject.pages}
    items: list[dict[str, Any]] = [{"kind": "request", **entry} for entry in sim.journal.mentioning(tenant, needles)]
    now = isoformat(sim.clock.now(tenant))
    for run in runs:
        common = {"run": run["id"], "scenario": run.get("scenario")}
        items.append({"kind": "run", "at": run.get("started_at"), "wall_at": run.get("started_wall_at"), **common})
        for done in run.get("history") or []:
            items.append({"kind": "step", **done, "failed": bool(done.get("failed")), **common})
        if run["status"] != "running":
            continue
        if run.get("waiting_for"):
            items.append({"kind": "waiting", "at": now, "waiting_for": run["waiting_for"], **common})
            continue
        upcoming = next((s for s in _script(sim, tenant, run) if s["state"] == "next"), None)
        if upcoming is not None and run.get("next_step_at"):
            items.append({"kind": "next", "at": run["next_step_at"], "step": upcoming["step"], **common})
    walls: dict[tuple[str | None, str | None], str | None] = {}  # (virtual time, event type) -> real time
    for event, deliveries in _events(sim, tenant, ids):
        item = {
            "kind": "webhook",
            "at": event.created_at,
            "wall_at": event.wall_at,
            "event_id": event.id,
            "type": event.type,
            "provider": event.provider,
            "resource": event.resource,
            "payload": mask_text(event.body.decode("utf-8", "replace")),
            "deliveries": [_delivery(d) for d in deliveries],
        }
        items.append(item)
        walls.setdefault((event.created_at, event.type), event.wall_at)
    for subject in subjects.values():
        for change in subject.statuses:
            wall = walls.get((change.get("at"), change.get("event")))
            items.append({"kind": "status", "subject": subject.id, **change, "wall_at": wall})
    items.sort(key=lambda i: (_moment(i.get("at")), _moment(i.get("wall_at")), ORDER[i["kind"]]))
    return items


def _events(sim: Any, tenant: str, ids: set[str]) -> list[tuple[Any, list[Any]]]:
    dispatcher = sim.dispatcher
    events = [e for e in dispatcher.events if e.tenant == tenant and e.resource in ids]
    wanted = {id(e) for e in events}
    deliveries: dict[int, list[Any]] = {}
    for d in dispatcher.deliveries.values():
        if id(d.event) in wanted:
            deliveries.setdefault(id(d.event), []).append(d)
    return [(e, deliveries.get(id(e), [])) for e in events]


def _delivery(d: Any) -> dict[str, Any]:
    return {
        "id": d.id,
        "endpoint_id": d.endpoint.id,
        "url": mask_url(d.url),
        "state": d.state,
        "due_at": d.due_at,
        "replay": d.replay,
        "replay_of": d.replay_of,
        "duplicate_of": d.duplicate_of,
        "notes": list(d.notes),
        "attempts": [masked_attempt(a.as_json()) for a in d.attempts],
    }


async def get_story(request: Request) -> Response:
    sim = _sim(request)
    asked = request.path_params["story_id"]
    if len(asked) > MAX_QUERY:
        raise bad_request(f"an id is at most {MAX_QUERY} characters")
    key = _lookup(sim, asked)
    found = _find(sim, key, query_tenant(request))
    if not found:
        raise not_found(
            f"nothing goes by {asked!r}: no check, applicant, action or run (GET /_sim/stories?q= searches)"
        )
    tenant = found[0][0]  # the newest run's tenant; an id other tenants use too is theirs with ?tenant=
    runs = [run for t, run in found if t == tenant]
    subjects: dict[str, Subject] = {}
    by_run: dict[str, str] = {}
    for run in runs:
        subject = _subject(sim, tenant, run, detail=True)
        by_run[run["id"]] = subject.id
        subjects.setdefault(subject.id, subject)
    primary = subjects.get(key) or next(iter(subjects.values()))
    named = next((name for s in subjects.values() for name, value in s.ids.items() if value == key), None)
    body = {
        "id": key,
        "what": primary.kind if key in subjects else (named or "run"),
        "tenant": mask(tenant),
        "provider": runs[0]["provider"],
        "also_in": sorted({mask(t) or "" for t, _ in found if t != tenant}),
        "now": isoformat(sim.clock.now(tenant)),
        "wall_now": sim.clock.wall_now(),
        "speed": sim.clock.speed,
        "applicant_mode": sim.settings.applicant,
        "subjects": [s.as_json() for s in [primary, *(s for s in subjects.values() if s is not primary)]],
        "runs": [_run_json(sim, tenant, run, subjects[by_run[run["id"]]]) for run in runs],
        "timeline": _timeline(sim, tenant, runs, subjects),
    }
    return JSONResponse(body)


OPERATIONS = [
    ControlOp(
        "GET",
        "/stories",
        search,
        "search_stories",
        "Verifications (a run's subject), newest first or best match first",
        "stories.response",
        errors=(400,),
        query=(
            Param(
                "q",
                "an id, run, scenario, tenant, or a name among a subject's ids or facts",
                {"type": "string", "maxLength": 200},
            ),
            Param("provider", "only this provider's"),
            Param("tenant", "only this tenant's (in full or masked as shown)"),
            Param("limit", "at most this many", {"type": "integer", "minimum": 1, "maximum": 1000}),
        ),
    ),
    ControlOp(
        "GET",
        "/stories/{story_id}",
        get_story,
        "get_story",
        "Everything that happened to a check, applicant or action: its runs, script and timeline",
        "story.response",
        errors=(404,),
        query=(Param("tenant", "this tenant's story, when several go by the id"),),
    ),
]
