import json
from pathlib import Path

import pytest

from simulator.engine.store import MemoryStore, SqliteStore, StoreError, StoreUrlError, open_store, store_path


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


def test_every_put_gives_a_new_revision_that_never_repeats(store):
    assert store.revision("t", "p", "k", "1") is None
    store.put("t", "p", "k", "1", {"id": "1"})
    first = store.revision("t", "p", "k", "1")
    store.put("t", "p", "k", "2", {"id": "2"})
    assert store.revision("t", "p", "k", "1") == first  # another document's put leaves it alone
    store.put("t", "p", "k", "1", {"id": "1", "v": 2})
    second = store.revision("t", "p", "k", "1")
    assert second != first
    store.delete("t", "p", "k", "1")
    assert store.revision("t", "p", "k", "1") is None
    store.put("t", "p", "k", "1", {"id": "1"})
    store.reset("t")
    assert store.revision("t", "p", "k", "1") is None
    store.put("t", "p", "k", "1", {"id": "1"})  # the same document again after a reset: still a new revision
    assert store.revision("t", "p", "k", "1") not in (first, second, None)
    assert store.revision("t", "p", "k", None) is None


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


def test_store_urls_read_as_sqlalchemy_reads_them():
    assert store_path("memory") is None and store_path("memory://") is None
    assert store_path("sqlite:///kycsim.db") == Path("kycsim.db")
    assert store_path("sqlite:///data/x.db") == Path("data/x.db")  # relative: three slashes, then the path
    assert store_path("sqlite:////data/x.db") == Path("/data/x.db")  # absolute: the path starts with a slash


@pytest.mark.parametrize("url", ["sqlite://x.db", "sqlite:", "sqlite:///", "sqlite:x.db", "postgres://db/kycsim"])
def test_a_store_url_of_no_known_form_shows_the_forms(url):
    with pytest.raises(StoreUrlError, match=r"'sqlite:///relative/path\.db' or 'sqlite:////absolute/path\.db'"):
        store_path(url)


def test_a_store_file_that_cannot_be_made_is_refused_with_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError, match=r"folder .*/data does not exist \(three slashes make data/x\.db relative"):
        open_store("sqlite:///data/x.db")
    assert not (tmp_path / "data").exists()  # no folder made behind the user's back
    with pytest.raises(StoreError, match="is a folder, not a database file"):
        open_store(f"sqlite:///{tmp_path}")
    other = tmp_path / "notes.txt"
    other.write_text("not a database")
    with pytest.raises(StoreError, match="is not a SQLite database"):
        open_store(f"sqlite:///{other}")
    assert other.read_text() == "not a database" and not Path(f"{other}.lock").exists()
    with pytest.raises(StoreError, match="cannot open"):
        open_store("sqlite:////proc/kycsim-cannot-write-here.db")  # not writable, even for root
    open_store("sqlite:///here.db").close()  # relative to the working folder
    assert (tmp_path / "here.db").is_file()


def rows_on_disk(path) -> dict[str, str]:
    """What another reader of the file sees (WAL lets it read while the store is open)."""
    import sqlite3

    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT key, body FROM documents").fetchall())


def test_sqlite_writes_reach_the_file_together_at_commit(tmp_path):
    path = tmp_path / "state.db"
    store = SqliteStore(path)
    store.put("t", "p", "k", "a", {"v": 1})
    store.put("t", "p", "k", "b", {"v": 1})
    doc = store.get("t", "p", "k", "a")
    doc["v"] = 2  # changed again before the commit: written once, as it is at commit time
    store.put("t", "p", "k", "a", doc)
    assert rows_on_disk(path) == {}, "nothing is written before the commit"
    store.commit()
    assert rows_on_disk(path) == {"a": '{"v":2}', "b": '{"v":1}'}
    store.delete("t", "p", "k", "a")
    store.reset("other")
    assert set(rows_on_disk(path)) == {"a", "b"}
    store.commit()
    assert set(rows_on_disk(path)) == {"b"}
    store.close()


def test_sqlite_uncommitted_changes_are_lost_on_a_crash_and_the_rest_is_intact(tmp_path):
    path = tmp_path / "state.db"
    store = SqliteStore(path)
    store.put("t", "p", "k", "kept", {"v": 1})
    store.commit()
    store.put("t", "p", "k", "lost", {"v": 1})
    store._writer.shutdown()
    store._db.close()  # as if killed: no commit, the lock goes with the process
    store._release()
    again = SqliteStore(path)
    assert again.get("t", "p", "k", "kept") == {"v": 1} and again.get("t", "p", "k", "lost") is None
    again.close()


def test_sqlite_recreated_documents_keep_list_order_across_a_restart(tmp_path):
    path = tmp_path / "state.db"
    store = SqliteStore(path)
    for key in ("a", "b", "c"):
        store.put("t", "p", "k", key, {"id": key})
    store.commit()
    store.delete("t", "p", "k", "a")
    store.put("t", "p", "k", "a", {"id": "a"})  # deleted and made again: now the newest
    store.put("t", "p", "k", "b", {"id": "b", "v": 2})  # updated: keeps its place
    store.close()
    again = SqliteStore(path)
    assert [d["id"] for d in again.list("t", "p", "k")] == ["b", "c", "a"]
    again.close()


def test_sqlite_epoch_counts_the_openings_of_a_file(tmp_path):
    path = tmp_path / "state.db"
    epochs = []
    for _ in range(3):
        store = SqliteStore(path)
        epochs.append(store.epoch)
        store.close()
    assert epochs == [0, 1, 2]
    assert MemoryStore().epoch == 0


def test_a_file_from_before_the_epoch_counter_counts_as_opened(tmp_path):
    import sqlite3

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE documents (tenant TEXT, provider TEXT, kind TEXT, key TEXT, seq INTEGER, body TEXT,"
            " PRIMARY KEY (tenant, provider, kind, key))"
        )
        db.execute("INSERT INTO documents VALUES ('t', 'p', 'k', 'a', 1, '{}')")
    store = SqliteStore(path)
    assert store.epoch == 1 and store.get("t", "p", "k", "a") == {}
    store.close()


def test_a_second_store_on_the_same_file_is_refused_until_the_first_closes(tmp_path):
    from simulator.engine.store import StoreError

    path = tmp_path / "state.db"
    first = SqliteStore(path)
    with pytest.raises(StoreError, match="one kycsim process per SQLite file"):
        SqliteStore(path)
    first.close()
    SqliteStore(path).close()


def test_a_file_that_is_not_sqlite_is_a_clear_error(tmp_path):
    from simulator.engine.store import StoreError

    path = tmp_path / "notes.db"
    path.write_text("not a database, just notes " * 100)
    for _ in range(2):  # the failed open left no lock behind: the same message again
        with pytest.raises(StoreError, match="cannot open .* as a kycsim SQLite store"):
            SqliteStore(path)


def test_sqlite_a_failed_write_fails_its_waiters_and_the_changes_are_written_later(tmp_path, monkeypatch):
    import asyncio

    import simulator.engine.store.sqlite as store_module

    monkeypatch.setattr(store_module, "RETRY_SECONDS", 0.0)
    path = tmp_path / "state.db"
    store = SqliteStore(path)
    failures = fail_first_write(store, "database or disk is full")

    async def scenario():
        store.put("t", "p", "k", "a", {"v": 1})
        with pytest.raises(Exception, match="disk is full"):
            await store.committed()
        store.put("t", "p", "k", "b", {"v": 1})
        await store.committed()  # the retry carries both

    asyncio.run(scenario())
    assert rows_on_disk(path) == {"a": '{"v":1}', "b": '{"v":1}'} and len(failures) == 1
    store.close()


def fail_first_write(store: SqliteStore, message: str) -> list:
    """The store's next transaction fails as SQLite would (``message``); later ones are written. Returns
    the batches that failed."""
    real_write, failures = store._write, []

    def flaky_write(batch):
        if not failures:
            failures.append(batch)
            raise sqlite3_error(message)
        real_write(batch)

    store._write = flaky_write
    return failures


def sqlite3_error(message: str) -> Exception:
    import sqlite3

    return sqlite3.OperationalError(message)


def test_sqlite_changes_made_while_a_batch_is_written_share_the_next_transaction(tmp_path):
    import asyncio
    import threading

    path = tmp_path / "state.db"
    store = SqliteStore(path)
    real_write, batches, release = store._write, [], threading.Event()

    def slow_write(batch):
        batches.append(sorted(row[3] for row in batch.rows))
        release.wait(10)  # the first transaction is still being written while the others change things
        real_write(batch)

    store._write = slow_write

    async def request(key: str) -> None:
        store.put("t", "p", "k", key, {"v": 1})
        await store.committed()

    async def scenario():
        first = asyncio.create_task(request("a"))
        while not batches:  # the writer thread has the first batch
            await asyncio.sleep(0.001)
        others = []
        for key in "bcd":  # one after another, each given the loop's time to hand its batch over
            others.append(asyncio.create_task(request(key)))
            for _ in range(3):
                await asyncio.sleep(0)
        assert not any(task.done() for task in [first, *others]), "nobody is told before the write"
        release.set()
        await asyncio.gather(first, *others)

    asyncio.run(scenario())
    assert batches == [["a"], ["b", "c", "d"]], "one transaction for everything that waited, not one each"
    assert set(rows_on_disk(path)) == {"a", "b", "c", "d"}
    store.close()


def test_kept_state_is_written_with_the_documents_and_read_back_after_a_restart(tmp_path):
    import asyncio

    path = tmp_path / "state.db"
    store = SqliteStore(path)
    state = {"n": 1}
    assert store.keep("counter", lambda: json.dumps(state)) is None, "a fresh file has none"
    written, real_write = [], store._write
    store._write = lambda batch: (written.append(batch.kept), real_write(batch))

    async def scenario():
        store.put("t", "p", "k", "a", {"v": 1})
        await store.committed()
        store.put("t", "p", "k", "b", {"v": 1})  # the state did not change: not written again
        await store.committed()
        state["n"] = 2
        flag = store.watch()
        store.changed(
            "counter"
        )  # no document changed: the state alone makes a transaction, and the caller waits for it
        assert flag == [True]
        await store.committed()

    asyncio.run(scenario())
    assert written == [[("counter", '{"n": 1}')], [], [("counter", '{"n": 2}')]]
    store.close()
    again = SqliteStore(path)
    assert again.keep("counter", lambda: "{}") == {"n": 2}
    again.close()


def test_kept_state_whose_write_failed_is_written_again(tmp_path):
    path = tmp_path / "state.db"
    store = SqliteStore(path)
    store.keep("s", lambda: '"v"')
    fail_first_write(store, "disk I/O error")
    store.changed("s")
    with pytest.raises(Exception, match="disk I/O"):
        store.commit()
    store.commit()  # nothing else changed: the state goes again all the same
    store.close()
    again = SqliteStore(path)
    assert again.keep("s", lambda: '"v"') == "v"
    again.close()


def test_kept_state_that_is_not_json_starts_afresh_and_memory_keeps_none(tmp_path):
    import sqlite3

    path = tmp_path / "state.db"
    SqliteStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO kept VALUES ('s', '{not json')")
    store = SqliteStore(path)
    assert store.keep("s", lambda: "{}") is None
    store.close()
    memory = MemoryStore()
    assert memory.keep("s", lambda: "{}") is None
    memory.changed("s")  # nothing to write, ever


def test_kept_state_is_asked_for_only_when_it_changed_or_moves_by_itself(tmp_path):
    store = SqliteStore(tmp_path / "state.db")
    asked = {"still": 0, "moving": 0}

    def snapshot(name: str):
        def make() -> str:
            asked[name] += 1
            return str(asked[name])

        return make

    store.keep("still", snapshot("still"))
    store.keep("moving", snapshot("moving"), each_commit=True)
    for key in "abc":  # documents change, the still state does not: its (maybe large) snapshot is not made
        store.put("t", "p", "k", key, {})
        store.commit()
    assert asked == {"still": 1, "moving": 3}
    store.changed("still")
    store.commit()
    assert asked == {"still": 2, "moving": 4}
    store.close()
