"""Route lookup by first path segment behaves exactly like Starlette's own router."""

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from simulator.routing import SegmentRouter


def endpoint(name):
    async def handler(request):
        return PlainTextResponse(f"{name} {request.url_for('items:one', item_id='7').path}")

    return handler


def make_app():
    app = Starlette(
        routes=[
            Route("/items/{item_id}", endpoint("one"), methods=["GET"], name="items:one"),
            Route("/items", endpoint("list"), methods=["GET"]),
            Mount("/_sim", routes=[Route("/health", endpoint("health"))]),
            Route("/{anything}/special", endpoint("wildcard")),
        ]
    )
    app.router = SegmentRouter(app.router)
    return app


def test_each_request_reaches_the_route_starlette_would_pick():
    client = TestClient(make_app())
    assert client.get("/items/3").text == "one /items/7"
    assert client.get("/items").text == "list /items/7"
    assert client.get("/_sim/health").text == "health /items/7"
    assert client.get("/items/special").text == "one /items/7"  # order kept: /items/{item_id} comes first
    assert client.get("/other/special").text == "wildcard /items/7"  # a parameter segment is never left out


def test_404_405_and_slash_redirects_stay_starlettes():
    client = TestClient(make_app())
    assert client.get("/nothing").status_code == 404
    assert client.get("/items/3/extra").status_code == 404
    assert client.post("/items/3").status_code == 405
    assert client.get("/items/", follow_redirects=False).status_code == 307


def test_the_full_route_list_and_url_for_are_unchanged():
    app = make_app()
    assert [getattr(r, "path", None) for r in app.routes] == [
        "/items/{item_id}",
        "/items",
        "/_sim",
        "/{anything}/special",
    ]
    assert app.url_path_for("items:one", item_id="9") == "/items/9"


def test_gates_answer_before_routing_or_let_the_request_through():
    seen = []

    def gate(scope):
        seen.append(scope["path"])
        return PlainTextResponse("refused", status_code=400) if scope["path"].endswith("/3") else None

    app = make_app()
    app.router = SegmentRouter(app.router.router, gates=[gate])
    client = TestClient(app)
    assert (client.get("/items/3").status_code, client.get("/items/3").text) == (400, "refused")
    assert client.get("/items/4").text == "one /items/7"
    assert client.get("/nothing/3").status_code == 400  # before routing: a path no route has is refused too
    assert seen == ["/items/3", "/items/3", "/items/4", "/nothing/3"]
