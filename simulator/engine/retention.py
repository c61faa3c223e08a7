"""What a long-running kycsim keeps, and for how long: memory stays bounded however long it runs.

Four limits, all settings (README), each ``0`` for "no limit" where that makes sense:

- ``keep_finished``: finished scenario runs kept per tenant. When one more run of a tenant
  finishes, the oldest finished one is forgotten, with what its check is made of: the provider's
  :meth:`~simulator.providers.base.Provider.forget` drops the check, its attempts, tokens,
  uploads and events, and its applicant once no kept check needs it.
- ``tenant_idle``: seconds without a request after which a tenant is forgotten entirely, as if
  ``POST /_sim/reset {"tenant": ...}`` had been called (a CI job's key is never used again).
- ``journal_size``: requests kept in the journal (``engine/journal.py``).
- ``webhook_log_size``: events kept in the delivery log with their deliveries and attempts
  (``webhooks/dispatcher.py``; those still being delivered are never dropped).

The same limits apply to the SQLite store: what is forgotten in memory is deleted from the file.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

KEEP_FINISHED = 1000
TENANT_IDLE = 3600.0
JOURNAL_SIZE = 2000
WEBHOOK_LOG_SIZE = 5000


@dataclass(frozen=True)
class Limits:
    keep_finished: int = KEEP_FINISHED
    tenant_idle: float = TENANT_IDLE  # seconds of wall time
    journal_size: int = JOURNAL_SIZE
    webhook_log_size: int = WEBHOOK_LOG_SIZE


def internal(tenant: str) -> bool:
    """Tenants of kycsim's own (``_links``: the index of hosted-page tokens), never dropped for idleness."""
    return tenant.startswith("_")


class Retention:
    """Counts finished runs per tenant and notices idle tenants; the simulator does the forgetting."""

    def __init__(
        self,
        limits: Limits,
        *,
        monotonic: Callable[[], float],
        forget_run: Callable[[str, str, str], None],
    ) -> None:
        self.limits = limits
        self.monotonic = monotonic  # the clock's injected wall time
        self.forget_run = forget_run  # (tenant, provider, run id): drop a finished run and its check
        self._finished: dict[str, deque[tuple[str, str]]] = {}  # tenant -> (provider, run id), oldest first
        self._seen: dict[str, float] = {}

    def finished(self, tenant: str, provider: str, run_id: str) -> None:
        """A run ended; beyond the limit, the tenant's oldest finished run is forgotten."""
        keep = self.limits.keep_finished
        if keep <= 0:
            return
        runs = self._finished.setdefault(tenant, deque())
        runs.append((provider, run_id))
        while len(runs) > keep:
            self.forget_run(tenant, *runs.popleft())  # a run that started again since is left alone

    def seen(self, tenant: str) -> None:
        self._seen[tenant] = self.monotonic()

    def idle(self) -> list[str]:
        """Tenants that sent no request for ``tenant_idle`` seconds."""
        limit = self.limits.tenant_idle
        if limit <= 0:
            return []
        since = self.monotonic() - limit
        return [t for t, at in self._seen.items() if at < since and not internal(t)]

    def sweep_interval(self) -> float | None:
        """How often to look for idle tenants: a quarter of the limit, at least every minute."""
        limit = self.limits.tenant_idle
        return None if limit <= 0 else min(max(limit / 4, 0.05), 60.0)

    def reset(self, tenant: str | None = None) -> None:
        if tenant is None:
            self._finished.clear()
            self._seen.clear()
        else:
            self._finished.pop(tenant, None)
            self._seen.pop(tenant, None)
