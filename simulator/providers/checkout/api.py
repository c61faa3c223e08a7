"""Small helpers Checkout.com handlers share: list pages, query numbers, lookups.

The request pipeline itself is the toolkit's (``simulator/toolkit/routes.py``); the provider plugs
into it with its credentials (``auth.py``), its error envelope (``errors.py``) and the request id
it puts on every response (``CheckoutProvider.on_request``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.providers.checkout.errors import InvalidRequest, not_found

if TYPE_CHECKING:
    from simulator.toolkit.routes import Call


def query_int(call: Call, name: str, default: int, *, minimum: int, maximum: int | None = None) -> int:
    raw = call.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidRequest(f"{name}__invalid") from None
    if value < minimum or (maximum is not None and value > maximum):
        raise InvalidRequest(f"{name}__invalid")
    return value


def page(call: Call, items: list[dict[str, Any]], self_path: str) -> dict[str, Any]:
    """The list envelope (``total_count, skip, limit, data, _links``) for ``?skip=&limit=``."""
    skip = query_int(call, "skip", 0, minimum=0)
    limit = query_int(call, "limit", 10, minimum=1, maximum=100)
    base = f"{call.base_url}{self_path}"
    links: dict[str, Any] = {"self": {"href": f"{base}?skip={skip}&limit={limit}"}}
    if skip + limit < len(items):
        links["next"] = {"href": f"{base}?skip={skip + limit}&limit={limit}"}
    if skip > 0:
        links["previous"] = {"href": f"{base}?skip={max(skip - limit, 0)}&limit={limit}"}
    return {
        "total_count": len(items),
        "skip": skip,
        "limit": limit,
        "data": items[skip : skip + limit],
        "_links": links,
    }


def require(doc: dict[str, Any] | None, resource: str) -> dict[str, Any]:
    if doc is None:
        raise not_found(resource)
    return doc
