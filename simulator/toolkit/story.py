"""What a provider tells the dashboard about the subject of a run: a check, an applicant or an action.

The dashboard's page for one verification (``GET /_sim/stories/{id}``, ``simulator/control/stories.py``)
puts on one timeline everything that happened to it: the merchant's requests, the scenario's steps,
status changes and webhooks. The control layer knows runs, the request journal and the delivery
log; only the provider knows which ids a subject goes by (its applicant, attempts, external ids),
what its status is, how that status changed and which hosted page a person opens for it. A
provider answers with a :class:`Subject` from ``Provider.story(tenant, run)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Subject:
    kind: str  # what it is, in words: "identity verification", "applicant", "applicant action"
    id: str  # its own id: the address of its story
    # Every id it goes by, named (check, applicant, attempts, external ids): a request or event that
    # mentions one belongs to its story, and a search for one finds it.
    ids: dict[str, str]
    facts: dict[str, Any] = field(default_factory=dict)  # shown at the top, and searched (email, names, codes)
    status: str | None = None  # now, in the provider's words
    statuses: list[dict[str, Any]] = field(default_factory=list)  # changes, oldest first: {"at", "status", ...}
    pages: list[dict[str, str]] = field(default_factory=list)  # hosted pages a person opens: {"label", "url"}

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "ids": self.ids,
            "facts": self.facts,
            "status": self.status,
            "statuses": self.statuses,
            "pages": self.pages,
        }


def subject_ids(subject: Mapping[str, Any]) -> dict[str, str]:
    """The ids in a run's ``subject`` (every string but the product or kind it names)."""
    return {k: v for k, v in subject.items() if isinstance(v, str) and v and k not in ("product", "kind")}


def default_subject(run: Mapping[str, Any]) -> Subject:
    """What any run says about its subject, for a provider that tells nothing more."""
    ids = subject_ids(run.get("subject") or {})
    own = next(iter(ids.values()), run["id"])
    return Subject(kind=str(run.get("product") or "subject").replace("_", " "), id=own, ids=ids)


def changes(entries: Iterable[Mapping[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """The entries (``{"at", ...}``, oldest first) where one of ``keys`` differs from the entry before."""
    found, last = [], None
    for entry in entries:
        now = tuple(entry.get(k) for k in keys)
        if now != last and any(v is not None for v in now):
            found.append(dict(entry))
        last = now
    return found
