"""Route lookup by first path segment, in front of Starlette's Router.

Starlette's Router tries its routes one by one, in order. kycsim serves about 80 (both providers
and the control API), so a Sumsub call used to test some 70 patterns before its own. This wrapper
indexes the routes by the first segment of their path and hands each HTTP request to a small
Starlette Router holding only the routes that can match it, in their original order; matching,
405s, slash redirects and the 404 stay Starlette's. Everything else (lifespan, ``url_path_for``,
``routes``) is the full router's.

``gates`` are checks every HTTP request passes before it is routed (kycsim's: the scenario header,
``control/scenario_header.py``): a plain call each, which returns None or the response to send
instead. An ASGI middleware would cost every request a coroutine more for the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from starlette.routing import BaseRoute, Router
from starlette.types import ASGIApp, Receive, Scope, Send


def _first_segment(path: str) -> str | None:
    """``applicants`` for ``/applicants/{applicant_id}``; None where a parameter could match anything."""
    segment = path.lstrip("/").split("/", 1)[0]
    return None if "{" in segment else segment


Gate = Callable[[Scope], ASGIApp | None]


class SegmentRouter:
    def __init__(self, router: Router, gates: Sequence[Gate] = ()) -> None:
        self.router = router
        self.gates = tuple(gates)
        keys: list[str | None] = [_first_segment(getattr(r, "path", "{}")) for r in router.routes]
        self._by_segment: dict[str, ASGIApp] = {}
        for segment in dict.fromkeys(k for k in keys if k is not None):
            # A route whose first segment is a parameter may match any path: it stays in every table, in order.
            candidates: list[BaseRoute] = [r for r, k in zip(router.routes, keys, strict=True) if k in (segment, None)]
            table = Router(candidates, redirect_slashes=router.redirect_slashes, default=router.default)
            self._by_segment[segment] = table.middleware_stack  # what calling the Router runs, one coroutine fewer

    def __getattr__(self, name: str) -> Any:
        return getattr(self.router, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for gate in self.gates:
                refusal = gate(scope)
                if refusal is not None:
                    await refusal(scope, receive, send)
                    return
            path = scope.get("path", "")
            end = path.find("/", 1)
            table = self._by_segment.get(path[1:] if end < 0 else path[1:end])
            if table is not None:
                if "router" not in scope:
                    scope["router"] = self.router  # url_for in handlers sees every route
                await table(scope, receive, send)
                return
        await self.router(scope, receive, send)
