import pytest

from simulator.engine.store import MemoryStore, SqliteStore, open_store


@pytest.fixture(params=["memory", "sqlite"])
def store(request, tmp_path):
    s = MemoryStore() if request.param == "memory" else SqliteStore(tmp_path / "state.db")
    yield s
    s.close()


def test_tenants_do_not_see_each_others_documents(store):
    store.put("key_a", "checkout", "applicants", "aplt_1", {"id": "aplt_1"})
    assert store.get("key_a", "checkout", "applicants", "aplt_1") == {"id": "aplt_1"}
    assert store.get("key_b", "checkout", "applicants", "aplt_1") is None
    assert store.list("key_b", "checkout", "applicants") == []


def test_providers_and_kinds_are_partitions(store):
    store.put("t", "checkout", "applicants", "x", {"p": "checkout"})
    store.put("t", "sumsub", "applicants", "x", {"p": "sumsub"})
    assert store.get("t", "checkout", "applicants", "x") == {"p": "checkout"}
    assert store.get("t", "sumsub", "applicants", "x") == {"p": "sumsub"}


def test_list_keeps_creation_order_and_updates_in_place(store):
    for key in ("c", "a", "b"):
        store.put("t", "p", "k", key, {"id": key})
    store.put("t", "p", "k", "c", {"id": "c", "v": 2})
    assert [d["id"] for d in store.list("t", "p", "k")] == ["c", "a", "b"]
    assert store.get("t", "p", "k", "c")["v"] == 2


def test_reset_one_tenant_or_all(store):
    store.put("a", "p", "k", "1", {})
    store.put("b", "p", "k", "1", {})
    store.reset("a")
    assert store.get("a", "p", "k", "1") is None and store.get("b", "p", "k", "1") == {}
    store.reset()
    assert store.tenants() == []


def test_delete(store):
    store.put("a", "p", "k", "1", {})
    store.delete("a", "p", "k", "1")
    assert store.get("a", "p", "k", "1") is None


def test_sqlite_state_survives_a_restart(tmp_path):
    path = tmp_path / "state.db"
    first = open_store(f"sqlite:///{path}")
    first.put("t", "checkout", "applicants", "aplt_1", {"email": "a@example.com"})
    first.close()
    second = open_store(f"sqlite:///{path}")
    assert second.get("t", "checkout", "applicants", "aplt_1") == {"email": "a@example.com"}
    assert second.tenants() == ["t"]
    second.close()


def test_unknown_store_url_is_refused():
    with pytest.raises(ValueError, match="unknown store"):
        open_store("redis://localhost")
