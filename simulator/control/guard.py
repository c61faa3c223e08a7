"""What every ``/_sim/*`` request passes before its handler: the control token, and the CSRF rules.

- **Token.** When the simulator has a control token (``KYCSIM_CONTROL_TOKEN``, or one generated
  at start-up because the bind address is not loopback), every control call needs it:
  ``Authorization: Bearer <token>``. A browser cannot add that header to a page it navigates to,
  so the dashboard is opened once as ``/_sim/ui/?token=<token>``: that sets a ``SameSite=Strict``,
  ``HttpOnly`` cookie for ``/_sim`` and redirects to the bare address. ``/_sim/health`` stays open
  (container health checks, ``kycsim wait``). On a loopback bind without a configured token, the
  control plane is open, as a local tool is.
- **Cross-site requests.** A web page the developer visits can send simple requests to
  ``127.0.0.1``, token or not (the cookie travels with same-site requests only). So every control
  write (``POST``, ``PUT``, ``PATCH``) needs ``Content-Type: application/json``, which a page can
  send only after a CORS preflight kycsim never grants, and a write whose ``Origin`` (or
  ``Sec-Fetch-Site``) says another site is refused with 403.
"""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import parse_qs

from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

COOKIE = "kycsim_control"
OPEN_PATHS = ("/_sim/health",)
BODY_METHODS = ("POST", "PUT", "PATCH")


class ControlGuard:
    def __init__(self, app: ASGIApp, sim: Any) -> None:
        self.app = app
        self.sim = sim

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self.check(scope)
        if refusal is None:
            await self.app(scope, receive, send)
        else:
            await refusal(scope, receive, send)

    def check(self, scope: Scope) -> Response | None:
        path = scope["path"]
        headers = _headers(scope)
        token = self.sim.control_token
        if token is not None and path not in OPEN_PATHS:
            if path.rstrip("/") == "/_sim/ui" and scope["method"] == "GET" and _query_token(scope) is not None:
                return self._login(scope, token)
            if not _holds(headers, token):
                return _refuse(
                    401,
                    "unauthorized",
                    "this control API needs its token: Authorization: Bearer"
                    " $KYCSIM_CONTROL_TOKEN (the dashboard: open /_sim/ui/?token=...)",
                )
        if scope["method"] in BODY_METHODS or scope["method"] == "DELETE":
            site = headers.get("sec-fetch-site")
            origin = headers.get("origin")
            if site == "cross-site" or (origin is not None and origin != _own_origin(scope, headers)):
                return _refuse(403, "forbidden", f"control writes from another site are refused (Origin {origin})")
        if scope["method"] in BODY_METHODS:
            media = headers.get("content-type", "").split(";")[0].strip().lower()
            if media != "application/json" and not media.endswith("+json"):
                message = f"control writes need Content-Type: application/json, not {media or 'none'!r}"
                return _refuse(415, "unsupported_media_type", message)
        return None

    def _login(self, scope: Scope, token: str) -> Response:
        given = _query_token(scope) or ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            return _refuse(401, "unauthorized", "wrong control token")
        response = RedirectResponse("/_sim/ui/", status_code=303)
        secure = scope.get("scheme") == "https"
        response.set_cookie(COOKIE, token, path="/_sim", httponly=True, samesite="strict", secure=secure)
        return response


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}


def _holds(headers: dict[str, str], token: str) -> bool:
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode("latin-1"), token.encode()):
        return True
    cookie = next(
        (
            c.strip()[len(COOKIE) + 1 :]
            for c in headers.get("cookie", "").split(";")
            if c.strip().startswith(COOKIE + "=")
        ),
        None,
    )
    return cookie is not None and hmac.compare_digest(cookie.encode("latin-1"), token.encode())


def _query_token(scope: Scope) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
    return values[0] if values else None


def _own_origin(scope: Scope, headers: dict[str, str]) -> str:
    return f"{scope.get('scheme', 'http')}://{headers.get('host', '')}"


def _refuse(status: int, kind: str, message: str) -> Response:
    return JSONResponse({"error": {"type": kind, "message": message}}, status_code=status)
