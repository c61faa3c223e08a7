import pytest

from simulator.toolkit import rendered
from simulator.toolkit.rendered import RenderedBodies, StaleBody


@pytest.fixture(autouse=True)
def no_verify(monkeypatch):
    monkeypatch.setattr(rendered, "VERIFY", False)  # tests/conftest.py sets it: here each rendering counts


def test_a_body_is_rendered_once_while_its_revisions_hold():
    bodies, calls = RenderedBodies(), []

    def render():
        calls.append(1)
        return {"id": "x", "name": "Zoë"}

    assert bodies.body("k", (1, None), render) == '{"id":"x","name":"Zoë"}'.encode()
    assert bodies.body("k", (1, None), render) == '{"id":"x","name":"Zoë"}'.encode()
    assert len(calls) == 1
    bodies.body("k", (2, None), render)  # a document changed: rendered again
    bodies.body("other", (2, None), render)
    assert len(calls) == 3


def test_the_oldest_bodies_go_first_past_the_capacity():
    bodies = RenderedBodies(capacity=2)
    for key in ("a", "b", "c"):
        bodies.body(key, (1,), lambda key=key: {"id": key})
    assert len(bodies) == 2
    calls = []
    bodies.body("a", (1,), lambda: calls.append(1) or {"id": "a"})
    assert calls == [1]  # "a" was dropped
    bodies.clear()
    assert len(bodies) == 0


def test_verify_catches_a_change_made_without_a_new_revision(monkeypatch):
    monkeypatch.setattr(rendered, "VERIFY", True)
    bodies, doc = RenderedBodies(), {"status": "pending"}
    bodies.body("k", (1,), lambda: dict(doc))
    doc["status"] = "approved"  # no put, so no new revision
    with pytest.raises(StaleBody):
        bodies.body("k", (1,), lambda: dict(doc))
