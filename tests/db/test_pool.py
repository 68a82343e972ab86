"""Pooled connections. On PostgreSQL a connection the server dropped is replaced before a request
uses it, without a round trip per request to find out (the socket is looked at; a ping only when
something came on it); statements are prepared once per connection and kept across the rollback
that ends each request. SQLite, whose file cannot drop a connection, pays no ping per request."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import exc, text

from quizapp.extensions import db
from tests.conftest import PG_URL


def _postgres(database: dict) -> None:
    if database["kind"] != "postgres":
        pytest.skip("PostgreSQL's pooled connections")


def _count_pings(app, monkeypatch: pytest.MonkeyPatch) -> list[int]:  # type: ignore[no-untyped-def]
    """The pings sent to the server from now on, counted."""
    with app.app_context():
        dialect = db.engine.dialect
    pings = [0]
    real = dialect.do_ping

    def counted(dbapi_connection):  # type: ignore[no-untyped-def]
        pings[0] += 1
        return real(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counted)
    return pings


def _pooled_pids(app, how_many: int) -> list[int]:  # type: ignore[no-untyped-def]
    """Open how_many pooled connections at once, return them to the pool; their backends' pids."""
    with app.app_context():
        engine = db.engine
        conns = [engine.connect() for _ in range(how_many)]
        pids = [c.scalar(text("SELECT pg_backend_pid()")) for c in conns]
        for c in conns:
            c.close()
    return pids


def _terminate(pids: list[int]) -> None:
    """End these backends, as a restart does, and wait until they are gone (pg_terminate_backend
    only signals them)."""
    import psycopg

    with psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True) as conn:
        for pid in pids:
            assert conn.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0] is True
        for _ in range(500):
            if not conn.execute("SELECT 1 FROM pg_stat_activity WHERE pid = ANY(%s)", (pids,)).fetchone():
                return
            time.sleep(0.01)
    raise AssertionError(f"backends {pids} still there 5 s after pg_terminate_backend")


def test_no_ping_per_request(app, client, database, monkeypatch) -> None:
    with app.app_context():
        assert db.engine.pool._pre_ping is False  # noqa: SLF001 (the pool keeps the option there)
    if database["kind"] == "sqlite":
        return
    pings = _count_pings(app, monkeypatch)
    for _ in range(5):
        assert client.get("/").status_code == 200
    assert pings[0] == 0


def test_a_connection_the_server_dropped_is_replaced_before_a_request_uses_it(
    app, client, database, monkeypatch
) -> None:
    _postgres(database)
    assert client.get("/").status_code == 200
    with app.app_context():
        pid = db.session.scalar(text("SELECT pg_backend_pid()"))
        db.session.remove()  # back to the pool, still open
    pings = _count_pings(app, monkeypatch)
    _terminate([pid])
    # The pooled connection is dead; the next request gets a fresh one instead of an error page.
    assert client.get("/").status_code == 200
    assert pings[0] == 1  # the dead connection was pinged (and failed), not the fresh one
    with app.app_context():
        assert db.session.scalar(text("SELECT pg_backend_pid()")) != pid


def test_every_pooled_connection_dropped_at_once(app, client, database) -> None:
    """As in a server restart: every pooled connection is dead; each request is still served."""
    _postgres(database)
    pids = _pooled_pids(app, 3)
    assert len(set(pids)) == 3
    _terminate(pids)
    for _ in range(6):
        assert client.get("/").status_code == 200
        assert client.get("/").status_code == 200
    assert not set(_pooled_pids(app, 3)) & set(pids)


def _prepared(app) -> int:  # type: ignore[no-untyped-def]
    """How many statements the pooled connection (one, the tests being serial) holds prepared."""
    with app.app_context():
        n = db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
        db.session.remove()
    return int(n)


def test_statements_stay_prepared_across_requests(app, client, database) -> None:
    _postgres(database)
    assert len(set(_pooled_pids(app, 1) + _pooled_pids(app, 1))) == 1  # one connection, reused
    for _ in range(8):  # psycopg prepares a statement at its sixth run on a connection
        assert client.get("/").status_code == 200
    # Each request ended with a rollback (the session closes): the statements are still prepared.
    assert _prepared(app) >= 1
    with app.app_context():
        names = db.session.scalars(text("SELECT name FROM pg_prepared_statements")).all()
        db.session.remove()
    assert all(name.startswith("_pg3_") for name in names)


def test_a_failed_transaction_forgets_them_as_psycopg_does(app, client, database) -> None:
    _postgres(database)
    for _ in range(8):
        assert client.get("/").status_code == 200
    assert _prepared(app) >= 1
    with app.app_context():
        with pytest.raises(exc.ProgrammingError):
            db.session.execute(text("SELECT no_such_column FROM quiz"))
        db.session.rollback()  # after an error: psycopg deallocates every prepared statement
        db.session.remove()
    assert _prepared(app) == 0
    assert client.get("/").status_code == 200


def test_a_plan_whose_result_type_changed_fails_once_then_is_made_again(app, database) -> None:
    _postgres(database)
    import psycopg

    query = text('SELECT display_name FROM "user" WHERE id = :id')
    with app.app_context():
        for _ in range(7):
            db.session.execute(query, {"id": 1}).all()
            db.session.rollback()
        assert db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements")) >= 1
        db.session.remove()
        # Another session (a migration) changes the column's type under the prepared statement.
        plain = PG_URL.replace("+psycopg", "")
        with psycopg.connect(plain, autocommit=True, options=f"-csearch_path={database['schema']}") as conn:
            conn.execute('ALTER TABLE "user" ALTER COLUMN display_name TYPE varchar(200)')
        with pytest.raises(exc.NotSupportedError, match="cached plan must not change result type") as err:
            db.session.execute(query, {"id": 1}).all()
        assert err.value.connection_invalidated
        db.session.remove()
        for _ in range(7):
            db.session.execute(query, {"id": 1}).all()
            db.session.rollback()
        db.session.remove()
