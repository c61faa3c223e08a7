"""The control API's JSON Schemas (2020-12, as OpenAPI 3.1 uses them), by name: one place for all of them.

The route table (``table.py``) names a request and a response schema for each call; the OpenAPI
document (``openapi.py``) lists them under ``components/schemas``, and a test runs schemathesis
against that document, so each answer is checked against the schema named here.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: tuple[str, ...] = (), closed: bool = False, **properties: Schema) -> Schema:
    """An object with ``properties`` (``required`` among them); ``closed``: no other keys allowed."""
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if closed:
        schema["additionalProperties"] = False
    return schema


def listing(item: str) -> Schema:
    """``{"count": n, "data": [...]}``, the shape of every list."""
    return obj(("count", "data"), count=INT, data={"type": "array", "items": ref(item)})


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
NUM: Schema = {"type": "number"}
BOOL: Schema = {"type": "boolean"}
OBJECT: Schema = {"type": "object"}
STRS: Schema = {"type": "array", "items": STR}
NULL: Schema = {"type": "null"}
OPT_STR = nullable(STR)
TENANT: Schema = {**OPT_STR, "description": "a tenant: the credential (secret key, app token), masked when shown"}
SPEED: Schema = {"anyOf": [{"enum": ["manual", "instant"]}, {"type": "number"}]}
TIMESTAMP: Schema = {"type": "string", "description": "ISO 8601 on the virtual clock, e.g. 2025-01-01T00:00:00Z"}
CENTURY = 100 * 365 * 86400  # the virtual clock's whole range (engine/clock.py)
DURATION: Schema = {
    "anyOf": [
        {"type": "number", "minimum": 0, "maximum": CENTURY},
        {"type": "string", "pattern": r"^([0-9]{1,9}(\.[0-9]{1,6})?|([0-9]{1,4}(\.[0-9]{1,3})?(ms|s|m|h|d)){1,3})$"},
    ],
    "description": 'seconds, or a duration such as "30s", "15m", "1h30m", "2d"',
}
URL: Schema = {
    "type": "string",
    "minLength": 10,
    "maxLength": 2048,
    "pattern": "^https?://[A-Za-z0-9.-]+(:[0-9]{1,4})?([/?#][!-~]*)?$",
    "description": "an http(s) URL",
}
HEADER_VALUE: Schema = {"type": "string", "maxLength": 4096, "pattern": "^[ -~]*$"}
COUNT: Schema = {
    "anyOf": [BOOL, NULL, {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}],
    "description": "true = 1",
}
SWITCH_DURATION: Schema = {"anyOf": [BOOL, {"type": "null"}, DURATION]}

SCHEMAS: dict[str, Schema] = {
    "Error": obj(
        ("error",),
        error=obj(
            ("type", "message"),
            type=STR,
            message=STR,
            close_names={**STRS, "description": "scenario names that look like the unknown one"},
        ),
    ),
    "Health": obj(("status", "version"), status={"const": "ok"}, version=STR, seed=INT, speed=SPEED, providers=STRS),
    "Links": obj(
        ("name", "version"),
        name=STR,
        version=STR,
        dashboard=STR,
        docs=STRS,
        providers={"type": "array"},
        control_api={"type": "array"},
    ),  # fmt: skip
    # Scenarios
    "Outcome": obj(
        ("group", "codes"),
        group=STR,
        codes={
            "type": "array",
            "items": obj(("code", "summary", "meaning", "text"), code=STR, summary=STR, meaning=STR, text=STR),
        },
    ),
    "ScenarioSummary": obj(
        ("name", "provider", "product", "description", "aliases", "tags", "source"),
        name=STR,
        provider=STR,
        product=STR,
        description=STR,
        aliases=STRS,
        tags=STRS,
        family=OPT_STR,
        source=STR,
        outcome=ref("Outcome"),
    ),
    "ScenarioList": obj(
        ("count", "folders", "data"), count=INT, folders=STRS, data={"type": "array", "items": ref("ScenarioSummary")}
    ),
    "Step": obj(("after",), after=NUM, do=STR, wait=STR, **{"with": OBJECT}),
    "Scenario": {
        "allOf": [ref("ScenarioSummary")],
        **obj(
            ("params", "steps", "produces"),
            params=OBJECT,
            steps={"type": "array", "items": ref("Step")},
            webhooks=OBJECT,
            produces={"type": "object", "additionalProperties": STRS, "description": "category -> values"},
        ),
    },
    "Coverage": obj(
        ("providers", "missing"),
        providers={"type": "object", "description": "provider -> category -> value -> scenario names"},
        missing={"type": "object", "description": "provider -> category -> values no scenario produces"},
    ),
    # Bindings
    "BindingRequest": obj(
        ("scenario", "match"),
        closed=True,
        scenario={**STR, "description": "a scenario name (or alias) from the catalogue"},
        match={
            "type": "object",
            "minProperties": 1,
            "maxProperties": 20,
            "additionalProperties": {"anyOf": [STR, NUM]},
            "description": 'facts a new check must have, e.g. {"external_applicant_id": "ext_123"}',
        },
        tenant={**OPT_STR, "maxLength": 1024, "description": "only this tenant's checks (default: any tenant's)"},
        times=nullable({"type": "integer", "minimum": 1, "maximum": 1_000_000}),
    ),
    "Binding": obj(
        ("id", "scenario", "match", "tenant", "times", "used"),
        id=STR,
        scenario=STR,
        match=OBJECT,
        tenant=TENANT,
        times=nullable(INT),
        used=INT,
    ),
    "BindingList": listing("Binding"),
    # Reset and clock
    "ResetRequest": obj(closed=True, tenant={**OPT_STR, "maxLength": 1024, "description": "one tenant only"}),
    "Reset": obj(("reset",), reset={**STR, "description": '"all", or the (masked) tenant'}),
    "Clock": obj(("now", "speed", "elapsed_seconds"), now=TIMESTAMP, speed=SPEED, elapsed_seconds=NUM, tenant=TENANT),
    "AdvanceRequest": {
        **obj(
            closed=True,
            seconds={"type": "number", "minimum": 0, "maximum": CENTURY, "description": "how far to move"},
            duration={**DURATION, "description": 'or how far as a duration, e.g. "15m", "1h30m"'},
            tenant={**OPT_STR, "maxLength": 1024, "description": "move only this tenant's clock"},
        ),
        "anyOf": [{"required": ["seconds"]}, {"required": ["duration"]}],
    },
    "Advanced": {"allOf": [ref("Clock")], **obj(("fired",), fired={**INT, "description": "jobs fired on the way"})},
    # Runs and the journal
    "Run": obj(
        ("id", "scenario", "provider", "product", "subject", "status"),
        tenant=TENANT,
        id=STR,
        scenario=STR,
        provider=STR,
        product=STR,
        subject=OBJECT,
        cursor=INT,
        status={**STR, "description": "running, finished, failed, ..."},
        waiting_for={**OPT_STR, "description": "the signal (new_attempt, ...) or applicant step it waits for"},
        waiting_on=nullable({"enum": ["signal", "person"], "description": "who can end the wait"}),
        next_step_at=OPT_STR,
        started_at=STR,
        history={"type": "array", "items": OBJECT},
    ),
    "RunList": {
        "allOf": [listing("Run")],
        **obj(
            next_job_in_seconds={**nullable(NUM), "description": "with tenant: when its next job falls due"},
            pending_jobs={**INT, "description": "with tenant: its timed steps and deliveries still to come"},
        ),
    },
    "Request": obj(
        ("id", "at", "method", "path", "status"),
        id=INT,
        at=TIMESTAMP,
        method=STR,
        path=STR,
        query=STR,
        status=INT,
        latency_ms=NUM,
        tenant=TENANT,
        provider=OPT_STR,
        scenario=OPT_STR,
        request_body=OPT_STR,
        response_body=OPT_STR,
        warnings={**STRS, "description": "what did not go as asked, e.g. an email tag naming no scenario"},
    ),
    "RequestList": listing("Request"),
    # Webhooks
    "Attempt": obj(
        ("delivery_id", "number", "event_id", "event_type", "provider", "url", "at", "ok"),
        delivery_id=STR,
        number=INT,
        event_id=STR,
        event_type=STR,
        provider=STR,
        tenant=TENANT,
        endpoint_id=STR,
        url=STR,
        at=TIMESTAMP,
        status_code=nullable(INT),
        error=OPT_STR,
        latency_ms=NUM,
        request_headers={"type": "object", "additionalProperties": STR},
        response_excerpt=STR,
        next_retry_at=OPT_STR,
        replay=BOOL,
        ok=BOOL,
        chaos=STRS,
        resource=OPT_STR,
    ),
    "AttemptList": listing("Attempt"),
    "Delivery": obj(
        ("id", "event_id", "event_type", "provider", "endpoint_id", "url", "state", "attempts"),
        id=STR,
        event_id=STR,
        event_type=STR,
        provider=STR,
        tenant=TENANT,
        resource=OPT_STR,
        endpoint_id=STR,
        url=STR,
        state={"enum": ["held", "queued", "pending", "delivered", "failed", "cancelled"]},
        chaos=OBJECT,
        notes=STRS,
        replay=BOOL,
        replay_of=OPT_STR,
        duplicate_of=OPT_STR,
        due_at=OPT_STR,
        attempts={"type": "array", "items": ref("Attempt")},
    ),
    "DeliveryList": listing("Delivery"),
    "Event": obj(
        ("id", "provider", "type", "created_at", "body"),
        id=STR,
        tenant=TENANT,
        provider=STR,
        type=STR,
        resource=OPT_STR,
        scenario=OPT_STR,
        created_at=TIMESTAMP,
        body={**STR, "description": "the event's body, as sent"},
        deliveries={"type": "array", "items": OBJECT},
    ),
    "EventList": listing("Event"),
    "ReplayRequest": obj(closed=True, url={**nullable(URL), "description": "send it here instead"}),
    "Replayed": {"anyOf": [ref("Attempt"), listing("Attempt")]},
    "Chaos": obj(
        closed=True,
        duplicate={**COUNT, "description": "extra copies of each event, sent right after it"},
        out_of_order={
            **SWITCH_DURATION,
            "description": "hold each event until the next one for the resource has gone out (true: at most 10m)",
        },
        delay={**SWITCH_DURATION, "description": "extra delay before the first attempt"},
        fail_first={**COUNT, "description": "the first N attempts are counted as failed, so the provider retries"},
        wrong_signature={**COUNT, "description": "the first N attempts are signed with a wrong secret"},
        drop_connection={**COUNT, "description": "the first N attempts are cut off mid-body"},
    ),  # fmt: skip
    "SigningOptions": obj(
        alg=nullable(HEADER_VALUE),
        authorization={**nullable(HEADER_VALUE), "description": "a static Authorization header sent with each event"},
        headers={
            "type": "object",
            "maxProperties": 20,
            "propertyNames": {"pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$"},
            "additionalProperties": HEADER_VALUE,
        },
    ),
    "EndpointFields": obj(
        provider=STR,
        url=URL,
        secret={**nullable({"type": "string", "maxLength": 1024}), "description": "the signing secret"},
        tenant={**nullable({"type": "string", "maxLength": 1024}), "description": "whose events go there"},
        all_tenants={**BOOL, "description": "every tenant's events (instead of tenant)"},
        events={"anyOf": [STRS, STR, {"type": "null"}], "description": "event types (* wildcards); none: all"},
        options=nullable(ref("SigningOptions")),
        chaos=nullable(ref("Chaos")),
        ordered=BOOL,
        concurrency={"type": "integer", "minimum": 1, "maximum": 256},
    ),
    "Endpoint": obj(
        ("id", "provider", "url", "all_tenants", "source"),
        id=STR,
        provider=STR,
        url=STR,
        secret={**nullable({"const": "set"}), "description": '"set" when it has one; never shown'},
        tenant=TENANT,
        all_tenants=BOOL,
        events=nullable(STRS),
        options=OBJECT,
        source={"enum": ["settings", "config", "api"]},
        chaos=OBJECT,
        ordered=BOOL,
        concurrency=INT,
    ),
    "EndpointList": listing("Endpoint"),
    "EventStream": {**STR, "description": "text/event-stream: ready, then a webhook frame per published event"},
    "OpenApi": {**OBJECT, "description": "this document"},
    "Json": {**OBJECT, "description": "the call's JSON answer"},
}


def endpoint_request(*, partial: bool) -> Schema:
    """The body of ``POST`` (``provider``, ``url`` and whose events: a ``tenant`` or ``all_tenants``) and of
    ``PATCH`` (nothing required) of an endpoint."""
    fields = dict(SCHEMAS["EndpointFields"])
    fields["additionalProperties"] = False
    one_tenant = {"required": ["tenant"], "properties": {"tenant": STR, "all_tenants": {"const": False}}}
    everybody = {
        "required": ["all_tenants"],
        "properties": {"all_tenants": {"const": True}, "tenant": {"type": "null"}},
    }
    if partial:
        neither = {"not": {"anyOf": [{"required": ["tenant"]}, {"required": ["all_tenants"]}]}}
        fields["anyOf"] = [neither, one_tenant, everybody]
    else:
        fields["required"] = ["provider", "url"]
        fields["anyOf"] = [one_tenant, everybody]
    return fields


SCHEMAS["EndpointCreateRequest"] = endpoint_request(partial=False)
SCHEMAS["EndpointUpdateRequest"] = endpoint_request(partial=True)


def with_catalogue(scenarios: list[str], providers: list[str]) -> dict[str, Schema]:
    """:data:`SCHEMAS` with what only a running simulator knows: its scenario names and its webhook providers."""
    schemas = dict(SCHEMAS)
    binding = dict(schemas["BindingRequest"])
    binding["properties"] = {**binding["properties"], "scenario": {**STR, "enum": sorted(scenarios)}}
    schemas["BindingRequest"] = binding
    for name in ("EndpointCreateRequest", "EndpointUpdateRequest"):
        endpoint = dict(schemas[name])
        endpoint["properties"] = {**endpoint["properties"], "provider": {**STR, "enum": sorted(providers)}}
        schemas[name] = endpoint
    return schemas
