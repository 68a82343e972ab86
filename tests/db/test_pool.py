"""Pooled connections: on PostgreSQL a connection the server dropped is replaced before a request
uses it (pool_pre_ping); SQLite, whose file cannot drop a connection, pays no ping per request."""

from __future__ import annotations

from sqlalchemy import text

from quizapp.extensions import db
from tests.conftest import PG_URL


def test_a_connection_the_server_dropped_is_replaced_before_a_request_uses_it(app, client, database) -> None:
    with app.app_context():
        pre_ping = db.engine.pool._pre_ping  # noqa: SLF001 (the pool keeps the option there)
    if database["kind"] == "sqlite":
        assert pre_ping is False
        return
    assert pre_ping is True
    import psycopg

    assert client.get("/").status_code == 200
    with app.app_context():
        pid = db.session.scalar(text("SELECT pg_backend_pid()"))
        db.session.remove()  # back to the pool, still open
    with psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True) as conn:
        assert conn.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0] is True
    # The pooled connection is dead; the next request gets a fresh one instead of an error page.
    assert client.get("/").status_code == 200
    with app.app_context():
        assert db.session.scalar(text("SELECT pg_backend_pid()")) != pid
