"""``GET /_sim/openapi.json``: the control API described as OpenAPI 3.1, generated from the route tables.

The calls of ``simulator/control`` come with their schemas (``table.py``, ``schemas.py``); the calls a
provider adds under ``/_sim/<provider>/`` (operations of its table whose path starts with ``/_sim/``)
are listed with their handler's docstring, a JSON object in and out, and the control envelope for
errors. Besides the statuses each call lists, every call may answer:

- ``401`` when kycsim has a control token and the call does not carry it (``/_sim/health`` excepted);
- writes: ``400`` for a body that is not what the call takes, ``403`` from another site's page,
  ``413`` for a body over ``KYCSIM_MAX_BODY_BYTES`` and ``415`` without ``Content-Type: application/json``.
"""

from __future__ import annotations

from typing import Any

from simulator.control.schemas import components, ref
from simulator.control.table import ControlOp, path_params

WRITES = ("POST", "PUT", "PATCH")
ERRORS = {
    400: "the request is not what this call takes (the message says why)",
    401: "kycsim has a control token and this call did not carry it (Authorization: Bearer ...)",
    403: "a write from another site's page",
    404: "no such thing",
    409: "the thing is not in a state this call can change",
    413: "the body is larger than KYCSIM_MAX_BODY_BYTES",
    415: "a write without Content-Type: application/json",
}


def document(sim: Any, operations: list[ControlOp]) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``sim``'s control API: ``operations`` (its own calls) and its providers'."""
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault(f"/_sim{op.path}", {})[op.method.lower()] = _operation(op, sorted(sim.providers))
    for provider in sim.providers.values():
        for op in _provider_controls(provider):
            paths.setdefault(op.path, {})[op.method.lower()] = _provider_operation(provider.name, op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "kycsim control API",
            "version": sim.version,
            "description": "The simulator's own calls under /_sim/: scenarios, bindings, the virtual clock, runs,"
            " the request journal, webhooks. The provider APIs (Checkout.com Identities, Sumsub) follow the"
            " providers' own references. On a non-loopback bind every call but /_sim/health needs the control"
            " token (KYCSIM_CONTROL_TOKEN) as a bearer token.",
        },
        "paths": paths,
        "components": {
            "schemas": _with_names(components(), sim),
            "securitySchemes": {"controlToken": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{}, {"controlToken": []}],  # open on a loopback bind unless a token is set
        "tags": [{"name": "control", "description": "kycsim's own control calls"}]
        + [{"name": name, "description": f"{name}'s control calls (/_sim/{name}/...)"} for name in sim.providers],
    }


def _operation(op: ControlOp, providers: list[str]) -> dict[str, Any]:
    parameters = [_path_param(name) for name in path_params(op.path)]
    for param in op.query:
        schema = param.schema or ({"enum": providers} if param.name == "provider" else {"type": "string"})
        parameters.append(
            {"name": param.name, "in": "query", "required": False, "description": param.description, "schema": schema}
        )
    success: dict[str, Any] = {"description": op.summary}
    if op.response is not None:
        success["content"] = {op.media: {"schema": ref(op.response)}}
    responses: dict[str, Any] = {str(op.status): success}
    statuses = set(op.errors) | _common_errors(op.method, op.path)
    if op.request is not None or any(param.schema for param in op.query):
        statuses.add(400)
    responses.update({str(status): _error(status) for status in sorted(statuses)})
    operation: dict[str, Any] = {
        "operationId": op.name,
        "summary": op.summary,
        "tags": [op.tag],
        "responses": responses,
    }
    if op.handler.__doc__:
        operation["description"] = " ".join(op.handler.__doc__.split())
    if parameters:
        operation["parameters"] = parameters
    if op.request is not None:
        # Required even where an empty body means {}: a write needs Content-Type: application/json (guard.py).
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref(op.request)}}}
    return operation


def _provider_controls(provider: Any) -> list[Any]:
    return [op for op in provider.operations() if op.path.startswith("/_sim/")]


def _provider_operation(provider: str, op: Any) -> dict[str, Any]:
    """A provider's control call: its docstring, a JSON object in and out, the control envelope for errors."""
    doc = " ".join((op.handler.__doc__ or "").split())
    summary = doc.split(". ")[0].rstrip(".") if doc else op.name.replace("_", " ")
    operation: dict[str, Any] = {
        "operationId": f"{provider}_{op.name}",
        "summary": summary,
        "tags": [provider],
        "responses": {
            "2XX": {"description": "done", "content": {"application/json": {"schema": ref("common#/$defs/object")}}},
            "4XX": {"description": "refused (the message says why)", "content": _error_content()},
        },
    }
    if doc:
        operation["description"] = doc
    params = [_path_param(name) for name in path_params(op.path)]
    if params:
        operation["parameters"] = params
    if op.method in WRITES:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref("common#/$defs/object")}},
        }
    return operation


def _common_errors(method: str, path: str) -> set[int]:
    statuses = set() if path == "/health" else {401}
    if method in WRITES or method == "DELETE":
        statuses.add(403)
    if method in WRITES:
        statuses |= {400, 413, 415}
    return statuses


def _path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _error(status: int) -> dict[str, Any]:
    return {"description": ERRORS.get(status, "refused"), "content": _error_content()}


def _error_content() -> dict[str, Any]:
    return {"application/json": {"schema": ref("common#/$defs/error")}}


def _with_names(schemas: dict[str, Any], sim: Any) -> dict[str, Any]:
    """``schemas`` with what only the running simulator knows: its scenario names and webhook providers."""
    scenarios = {"type": "string", "enum": sorted([*sim.catalogue.scenarios, *sim.catalogue.by_alias()])}
    providers = {"type": "string", "enum": sorted(sim.dispatcher.profiles)}
    for name, field, schema in (
        ("binding.request", "scenario", scenarios),
        ("trigger.request", "scenario", scenarios),
        ("webhook_endpoint.request", "provider", providers),
        ("webhook_endpoint_update.request", "provider", providers),
    ):
        if name in schemas:
            described = schemas[name]["properties"].get(field, {}).get("description")
            properties = {
                **schemas[name]["properties"],
                field: {**schema, **({"description": described} if described else {})},
            }
            schemas[name] = {**schemas[name], "properties": properties}
    return schemas
