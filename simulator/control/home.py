"""``GET /`` and ``GET /_sim/``: where everything is (the banner points there), and kycsim's guides.

A browser gets a small HTML page of links; a client that asks for JSON (``Accept: application/json``)
gets the same links as JSON. ``GET /_sim/docs/`` lists the guides (``README.md`` and ``docs/*.md``)
and ``GET /_sim/docs/{name}`` serves one as plain text.
"""

from __future__ import annotations

import html
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from simulator.settings import docs_dir
from simulator.web import JSONResponse

CONTROL = (
    ("/_sim/health", "ready?"),
    ("/_sim/scenarios", "the scenario catalogue"),
    ("/_sim/coverage", "which scenario produces which status, code, label and event"),
    ("/_sim/runs", "scenario runs and their next steps"),
    ("/_sim/requests", "the request journal"),
    ("/_sim/webhooks", "every webhook delivery attempt"),
    ("/_sim/webhooks/events", "every published event"),
    ("/_sim/webhooks/endpoints", "webhook endpoints"),
    ("/_sim/bindings", "scenarios bound ahead of time"),
    ("/_sim/clock", "the virtual clock"),
    ("/_sim/events", "the event stream (Server-Sent Events)"),
    ("/_sim/openapi.json", "this control API in OpenAPI 3.1"),
)


def guides() -> list[str]:
    """The guides this install has: ``README.md`` first, then ``docs/*.md``."""
    root = docs_dir()
    if root is None:
        return []
    return ["README.md", *sorted(p.name for p in (root / "docs").glob("*.md"))]


def links(sim: Any) -> dict[str, Any]:
    docs = guides()
    return {
        "name": "kycsim",
        "version": sim.version,
        "dashboard": "/_sim/ui/",
        "docs": [f"/_sim/docs/{name}" for name in docs],
        "providers": [
            {
                "name": p.name,
                "title": p.title or p.name,
                "paths": list(p.sample_paths),
                "guide": f"/_sim/docs/{p.guide}" if p.guide in docs else None,
                "reference": p.reference or None,
            }
            for p in sim.providers.values()
        ],
        "control_api": [{"path": path, "what": what} for path, what in CONTROL],
    }


async def home(request: Request) -> Response:
    data = links(request.app.state.sim)
    accept = request.headers.get("accept", "")
    if "application/json" in accept and "text/html" not in accept:
        return JSONResponse(data)
    return HTMLResponse(_page(data))


async def list_docs(request: Request) -> Response:
    accept = request.headers.get("accept", "")
    docs = guides()
    if "application/json" in accept and "text/html" not in accept:
        return JSONResponse({"count": len(docs), "data": [f"/_sim/docs/{name}" for name in docs]})
    items = "".join(f'<li><a href="/_sim/docs/{html.escape(n)}">{html.escape(n)}</a></li>' for n in docs)
    return HTMLResponse(_frame("kycsim guides", f"<ul>{items or '<li>none in this install</li>'}</ul>"))


async def get_doc(request: Request) -> Response:
    name = request.path_params["name"]
    root = docs_dir()
    if root is None or name not in guides():  # only the listed files: no path from the URL reaches the disk
        return PlainTextResponse(f"no guide named {name!r}; /_sim/docs/ lists them\n", status_code=404)
    path = root / name if name == "README.md" else root / "docs" / name
    return PlainTextResponse(path.read_text(encoding="utf-8"))


def _page(data: dict[str, Any]) -> str:
    e = html.escape
    providers = "".join(
        f"<li><strong>{e(p['title'])}</strong>: {', '.join(f'<code>{e(path)}</code>' for path in p['paths'])}, ..."
        + (f' · <a href="{e(p["guide"])}">kycsim guide</a>' if p["guide"] else "")
        + (f' · <a href="{e(p["reference"])}">API reference</a>' if p["reference"] else "")
        + "</li>"
        for p in data["providers"]
    )
    control = "".join(
        f'<li><a href="{e(c["path"])}"><code>{e(c["path"])}</code></a> {e(c["what"])}</li>' for c in data["control_api"]
    )
    docs = "".join(f'<li><a href="{e(d)}">{e(d.rsplit("/", 1)[-1])}</a></li>' for d in data["docs"])
    body = (
        f'<p><a href="{e(data["dashboard"])}">The dashboard</a>: requests, webhooks, runs, scenarios,'
        " coverage, bindings.</p>"
        f"<h2>Provider APIs</h2><ul>{providers}</ul>"
        f"<h2>Guides</h2><ul>{docs or '<li>none in this install</li>'}</ul>"
        f"<h2>Control API</h2><ul>{control}</ul>"
    )
    return _frame(f"kycsim {data['version']}", body)


def _frame(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
        f"<title>{html.escape(title)}</title><style>body{{font-family:system-ui,sans-serif;max-width:48rem;"
        "margin:2rem auto;padding:0 1rem;line-height:1.5}code{font-size:.95em}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )


def home_routes() -> list[Route]:
    """Under the ``/_sim`` mount; the app adds ``/`` at the root itself."""
    return [
        Route("/", home, methods=["GET"], name="sim:home"),
        Route("/docs/", list_docs, methods=["GET"], name="sim:list_docs"),
        Route("/docs/{name}", get_doc, methods=["GET"], name="sim:get_doc"),
    ]
