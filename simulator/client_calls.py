"""Every call of kycsim's own control API, written once for :class:`~simulator.client.KycSim` and
:class:`~simulator.client.AsyncKycSim` (generic over what their sender returns: values, or awaitables).

One method per operation of ``GET /_sim/openapi.json``; a provider's own calls live in its folder
(``providers/<name>/client.py``).
"""

from __future__ import annotations

from typing import Any

from simulator.toolkit.client import JSON, ControlCalls, Items, Nothing, Obj, present, segment


class CoreCalls(ControlCalls[Obj, Items, Nothing]):
    """Every call of kycsim's own control API, written once for both clients."""

    # Health and the catalogue

    def health(self) -> Obj:
        """``{"status": "ok", "version", "seed", "speed", "applicant", "providers"}`` once ready to serve."""
        return self._object("GET", "/health")

    def openapi(self) -> Obj:
        """The control API described in OpenAPI 3.1 (``GET /_sim/openapi.json``)."""
        return self._object("GET", "/openapi.json")

    def scenarios(self, provider: str | None = None, product: str | None = None) -> Items:
        """The scenario catalogue (each with its ``outcome``), or one provider's or product's scenarios."""
        return self._items("/scenarios", present(provider=provider, product=product))

    def scenario(self, name: str) -> Obj:
        """One scenario: its steps and what it produces. An unknown name raises (``not_found``, with close names)."""
        return self._object("GET", f"/scenarios/{segment(name)}")

    def coverage(self) -> Obj:
        """Every status, code, label and event type, and the scenarios that produce each."""
        return self._object("GET", "/coverage")

    # Scenario selection

    def bind(
        self,
        scenario: str,
        match: dict[str, str | int | float] | None = None,
        *,
        tenant: str | None = None,
        times: int | None = None,
    ) -> Obj:
        """Bind ``scenario`` ahead of time to the next checks whose facts ``match`` (``email``,
        ``external_applicant_id``, ``externalUserId``...; none: every new check of its product), of one
        ``tenant`` or any, for ``times`` checks or until deleted. An unknown scenario raises at once."""
        body = present(scenario=scenario, match=match, tenant=tenant, times=times)
        return self._object("POST", "/bindings", json=body)

    def bindings(self, tenant: str | None = None) -> Items:
        """The bindings (or one tenant's)."""
        return self._items("/bindings", present(tenant=tenant))

    def delete_binding(self, binding_id: str) -> Nothing:
        """Forget a binding (``bnd_...``)."""
        return self._nothing("DELETE", f"/bindings/{segment(binding_id)}")

    # State and time

    def reset(self, tenant: str | None = None) -> Obj:
        """Forget all state and rewind the clock to its start, or (``tenant``) forget only that tenant's."""
        return self._object("POST", "/reset", json=present(tenant=tenant))

    def clock(self, tenant: str | None = None) -> Obj:
        """The virtual clock: the shared one, or ``tenant``'s (``now``, ``elapsed_seconds``, ``speed``...)."""
        return self._object("GET", "/clock", params=present(tenant=tenant))

    def advance(
        self,
        seconds: float | str | None = None,
        *,
        to: str | None = None,
        tenant: str | None = None,
    ) -> Obj:
        """Move the clock forward (``tenant``'s, or the shared one), firing every timed step and webhook retry
        on the way; answers the clock and ``fired``. ``seconds``: a number or a duration (``"15m"``);
        ``to``: ``"next"`` (the tenant's next step or retry; nothing scheduled raises ``conflict``) or an
        ISO 8601 time."""
        body: JSON = present(to=to, tenant=tenant)
        if isinstance(seconds, str):
            try:
                body["seconds"] = float(seconds)
            except ValueError:
                body["duration"] = seconds
        elif seconds is not None:
            body["seconds"] = seconds
        return self._object("POST", "/clock/advance", json=body)

    def tenants(self) -> Items:
        """Every tenant kycsim holds state for (masked): its clock, verifications and next scheduled job."""
        return self._items("/tenants")

    # Runs and stories

    def runs(
        self,
        tenant: str | None = None,
        *,
        provider: str | None = None,
        scenario: str | None = None,
        id: str | None = None,
    ) -> Obj:
        """Scenario runs (``data``: which scenario each check follows, what it is ``waiting_for``, its next
        step); with ``tenant``, also ``next_job_in_seconds`` and ``pending_jobs`` of that tenant."""
        return self._object("GET", "/runs", params=present(tenant=tenant, provider=provider, scenario=scenario, id=id))

    def resume_run(self, run_id: str) -> Obj:
        """Make the client's call a waiting run needs (a new attempt, a request check...)."""
        return self._object("POST", f"/runs/{segment(run_id)}/resume", json={})

    def trigger(self, scenario: str, *, tenant: str | None = None) -> Obj:
        """Make the client's calls that start ``scenario`` (as ``tenant``, or the provider's trigger tenant)."""
        return self._object("POST", "/trigger", json=present(scenario=scenario, tenant=tenant))

    def stories(
        self, q: str | None = None, *, provider: str | None = None, tenant: str | None = None, limit: int | None = None
    ) -> Items:
        """Verifications, newest first, or those matching ``q`` (any id, external id, email, scenario, tenant)."""
        return self._items("/stories", present(q=q, provider=provider, tenant=tenant, limit=limit))

    def story(self, story_id: str, *, tenant: str | None = None) -> Obj:
        """Everything that happened to a check, applicant or action, on one timeline."""
        return self._object("GET", f"/stories/{segment(story_id)}", params=present(tenant=tenant))

    # The request journal

    def requests(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        tenant: str | None = None,
        provider: str | None = None,
        limit: int | None = None,
    ) -> Items:
        """The request journal, newest first: every provider API call kycsim answered (``path`` matches a prefix)."""
        return self._items(
            "/requests", present(method=method, path=path, tenant=tenant, provider=provider, limit=limit)
        )

    # Webhooks

    def webhooks(
        self,
        *,
        tenant: str | None = None,
        provider: str | None = None,
        event_type: str | None = None,
        event_id: str | None = None,
        endpoint_id: str | None = None,
        delivery_id: str | None = None,
        resource: str | None = None,
        ok: bool | None = None,
        replay: bool | None = None,
        chaos: str | None = None,
        limit: int | None = None,
    ) -> Items:
        """Every webhook delivery attempt, oldest first (status code, latency, signature headers, chaos)."""
        filters = present(
            tenant=tenant,
            provider=provider,
            event_type=event_type,
            event_id=event_id,
            endpoint_id=endpoint_id,
            delivery_id=delivery_id,
            resource=resource,
            ok=ok,
            replay=replay,
            chaos=chaos,
            limit=limit,
        )
        return self._items("/webhooks", filters)

    def webhook_deliveries(
        self,
        *,
        tenant: str | None = None,
        provider: str | None = None,
        state: str | None = None,
        event_id: str | None = None,
        endpoint_id: str | None = None,
        limit: int | None = None,
    ) -> Items:
        """One row per (event, endpoint): its ``state`` (``queued``, ``pending``, ``delivered``, ``failed``...)."""
        filters = present(
            tenant=tenant, provider=provider, state=state, event_id=event_id, endpoint_id=endpoint_id, limit=limit
        )
        return self._items("/webhooks/deliveries", filters)

    def webhook_events(
        self,
        *,
        tenant: str | None = None,
        provider: str | None = None,
        type: str | None = None,
        resource: str | None = None,
        scenario: str | None = None,
        limit: int | None = None,
    ) -> Items:
        """Every published event with its ``body`` (a JSON string, as sent), also events no endpoint wanted."""
        filters = present(
            tenant=tenant, provider=provider, type=type, resource=resource, scenario=scenario, limit=limit
        )
        return self._items("/webhooks/events", filters)

    def replay_webhook(self, delivery_id: str, *, url: str | None = None) -> Obj:
        """Send a delivery (``dlv_...``: answers the attempt) or an event (``evt_...``: ``{"count", "data"}``)
        again, to where it went or to ``url``: one attempt, signed afresh, no retries, no chaos."""
        return self._object("POST", f"/webhooks/{segment(delivery_id)}/replay", json=present(url=url))

    def webhook_endpoints(self, provider: str | None = None, tenant: str | None = None) -> Items:
        """The webhook endpoints (secrets shown as ``"set"``)."""
        return self._items("/webhooks/endpoints", present(provider=provider, tenant=tenant))

    def webhook_endpoint(self, endpoint_id: str) -> Obj:
        """One webhook endpoint (``we_...``)."""
        return self._object("GET", f"/webhooks/endpoints/{segment(endpoint_id)}")

    def add_webhook_endpoint(
        self,
        provider: str,
        url: str,
        *,
        tenant: str | None = None,
        all_tenants: bool | None = None,
        secret: str | None = None,
        events: list[str] | str | None = None,
        options: dict[str, Any] | None = None,
        chaos: dict[str, Any] | None = None,
        ordered: bool | None = None,
        concurrency: int | None = None,
    ) -> Obj:
        """Send ``provider``'s events for ``tenant`` (or ``all_tenants``) to ``url``, signed with ``secret``;
        ``events`` filters by type (``*`` wildcards), ``options`` sets signing options (Sumsub's ``alg``),
        ``chaos`` misbehaves on purpose (docs/webhooks.md)."""
        body = present(
            provider=provider,
            url=url,
            tenant=tenant,
            all_tenants=all_tenants,
            secret=secret,
            events=events,
            options=options,
            chaos=chaos,
            ordered=ordered,
            concurrency=concurrency,
        )
        return self._object("POST", "/webhooks/endpoints", json=body)

    def update_webhook_endpoint(self, endpoint_id: str, **changes: Any) -> Obj:
        """Change an endpoint's fields (``url``, ``secret``, ``events``, ``chaos``...), not its provider."""
        return self._object("PATCH", f"/webhooks/endpoints/{segment(endpoint_id)}", json=changes)

    def delete_webhook_endpoint(self, endpoint_id: str) -> Nothing:
        """Forget an endpoint; its deliveries still to come are cancelled."""
        return self._nothing("DELETE", f"/webhooks/endpoints/{segment(endpoint_id)}")
