"""quizapp.reads: a plain read gives the rows SQLAlchemy's session gives, sees what the request's
transaction wrote, gives its connection back when the request ends, raises SQLAlchemy's errors,
and on PostgreSQL reads without opening a transaction; the logged-in user it loads is detached, and
a view that changes it attaches it first."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import bindparam, exc, func, literal, select, text, update

from quizapp import reads
from quizapp.extensions import db
from quizapp.models import Bank, Quiz, User
from tests.conftest import PG_URL


def _typed_query():  # type: ignore[no-untyped-def]
    """Columns of each kind that a driver gives raw: dates, JSON, booleans, NULLs, an anonymous
    parameter and a JSON path (each with its bind processor)."""
    q, b = Quiz.__table__, Bank.__table__
    return (
        select(
            q.c.id, q.c.settings, q.c.created_at, q.c.results_released_at, b.c.show_hijri, b.c.updated_at,
            b.c.title_en, q.c.settings["shuffle"].as_boolean(), literal("x") + b.c.slug,
        )  # fmt: skip
        .join(b, b.c.id == q.c.bank_id)
        .where(q.c.bank_id == bindparam("bank"), q.c.id > bindparam("after"))
        .order_by(q.c.id)
    )


def test_rows_are_what_the_session_gives(app) -> None:
    stmt = _typed_query()
    with app.app_context():
        bank = db.session.scalar(select(Bank.id))
        want = [tuple(r) for r in db.session.execute(stmt, {"bank": bank, "after": 0})]
        db.session.remove()
        got = reads.rows(stmt, {"bank": bank, "after": 0})
        assert got == want and len(got) >= 1
        assert isinstance(got[0][2], dt.datetime) and isinstance(got[0][1], dict)
        assert isinstance(got[0][4], bool) and got[0][3] is None
        assert reads.first(stmt, {"bank": bank, "after": 0}) == want[0]
        assert reads.first(stmt, {"bank": bank, "after": 10**9}) is None
        assert reads.scalar(select(func.count()).select_from(User.__table__)) == db.session.scalar(
            select(func.count(User.id))
        )


def test_a_read_sees_what_the_request_wrote_before_it_commits(app, make_user) -> None:
    make_user("amal")
    u = User.__table__
    with app.app_context():
        db.session.execute(update(User).values(display_name="Renamed"))  # not committed
        assert reads.scalar(select(u.c.display_name).limit(1)) == "Renamed"
        db.session.rollback()
        assert reads.scalar(select(u.c.display_name).limit(1)) != "Renamed"


def test_the_borrowed_connection_goes_back_when_the_request_ends(app) -> None:
    with app.app_context():
        pool = db.engine.pool
        before = pool.checkedout()
        with app.app_context():
            reads.scalar(select(literal(1)))
            reads.scalar(select(literal(2)))
            assert pool.checkedout() == before + 1  # one connection for the request's reads
        assert pool.checkedout() == before


def test_a_driver_error_is_sqlalchemys_with_its_statement(app) -> None:
    missing = select(text("nothing")).select_from(text("no_such_table"))
    with app.app_context():
        with pytest.raises(exc.DBAPIError, match="no_such_table") as err:
            reads.rows(missing)
        assert isinstance(err.value, (exc.OperationalError, exc.ProgrammingError))
        assert reads.scalar(select(literal(3))) == 3  # the request reads on


def test_on_postgresql_a_read_opens_no_transaction_and_the_pool_gets_it_back_as_it_was(app, database) -> None:
    if database["kind"] != "postgres":
        pytest.skip("PostgreSQL's transactions")
    from psycopg.pq import TransactionStatus

    with app.app_context():
        with app.app_context():
            reads.scalar(select(literal(1)))
            conn = reads._connection()[0]
            assert conn.driver_connection.info.transaction_status == TransactionStatus.IDLE
            dbapi = conn.driver_connection
        assert dbapi.autocommit is False
        with db.engine.connect() as sa:  # the ORM's reads: in a transaction as before
            sa.execute(select(literal(1)))
            assert sa.connection.driver_connection.info.transaction_status == TransactionStatus.INTRANS


def test_on_postgresql_a_lost_connection_is_replaced(app, database) -> None:
    if database["kind"] != "postgres":
        pytest.skip("PostgreSQL's backends")
    import psycopg

    with app.app_context():
        pid = reads.scalar(select(func.pg_backend_pid()))
        with psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(exc.OperationalError) as err:
            for _ in range(50):  # until the backend is gone
                reads.scalar(select(func.pg_backend_pid()))
        assert err.value.connection_invalidated
    with app.app_context():
        assert reads.scalar(select(func.pg_backend_pid())) != pid


def test_the_logged_in_user_is_detached_and_a_change_to_it_is_saved(app, client, make_user) -> None:
    from flask_login import current_user
    from sqlalchemy import inspect

    from tests.conftest import csrf_token, login

    make_user("amal", role="student")
    login(client, "amal")
    with client:
        assert client.get("/").status_code == 200
        state = inspect(current_user._get_current_object())
        assert state.detached and not state.modified and current_user.username == "amal"
    token = csrf_token(client)
    assert client.post("/lang/en", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.locale).where(User.username == "amal")) == "en"
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_statements_built_anew_each_time_are_not_kept_without_end(app) -> None:
    with app.app_context():
        dialect = db.engine.dialect
        for n in range(reads.KEPT * 2):
            assert reads.scalar(select(literal(n))) == n
        assert len(reads._COMPILED[dialect]) <= reads.KEPT


def test_an_entity_is_detached_with_its_deferred_columns_unloaded_and_parses_the_same(app) -> None:
    from sqlalchemy import inspect

    from quizapp import banks

    with app.app_context():
        loaded = db.session.scalar(select(Bank))
        want = banks.to_domain(loaded)
        fields = (loaded.id, loaded.slug, loaded.version, loaded.title("en"))
        db.session.remove()
        query = select(*reads.columns_of(Bank)).where(Bank.__table__.c.id == bindparam("id"))
        bank = reads.entity(Bank, reads.first(query, {"id": fields[0]}))
        state = inspect(bank)
        assert state.detached and not state.modified and {"data", "source_text"} <= state.unloaded
        assert (bank.id, bank.slug, bank.version, bank.title("en")) == fields
        banks._CACHE.clear()  # a miss: the document is read for the detached row
        parsed = banks.to_domain(bank)
        assert parsed is not want and parsed.events == want.events and len(parsed.events) == 17


def test_on_postgresql_a_connection_reads_with_one_cursor_and_each_read_gets_its_own_rows(
    app, database
) -> None:
    if database["kind"] != "postgres":
        pytest.skip("PostgreSQL's kept cursor")
    many = select(func.generate_series(1, 50))
    missing = select(text("nothing")).select_from(text("no_such_table"))
    with app.app_context():
        assert reads.first(many) == (1,)  # 49 rows left unread on the cursor
        kept = reads._connection()[0].driver_connection.reading_cursor()
        assert reads.rows(select(literal(7))) == [(7,)]
        assert (
            reads.scalar(select(literal(8))) == 8
            and reads.first(select(literal(1)).where(literal(False))) is None
        )
        with pytest.raises(exc.ProgrammingError):
            reads.rows(missing)
        assert reads.rows(select(func.generate_series(1, 3))) == [(1,), (2,), (3,)]
        assert reads._connection()[0].driver_connection.reading_cursor() is kept
        db.session.execute(update(User).where(User.id == -1).values(locale="en"))  # the session's transaction
        assert reads.scalar(select(literal(9))) == 9  # read in it, on its connection's own cursor
        db.session.rollback()


_LOCALE = select(User.locale).where(User.id == bindparam("id"))  # one statement, as the app's are


def _locale_of(user_id: int):  # type: ignore[no-untyped-def]
    return _LOCALE, {"id": user_id}


def test_reads_ahead_give_each_read_its_rows_once_and_none_after_the_request_writes(
    app, database, make_user
) -> None:
    postgres = database["kind"] == "postgres"
    with app.app_context():
        uid = make_user("huda", role="student").id
        db.session.execute(update(User).where(User.id == uid).values(locale="ar"))
        db.session.commit()
    users = select(User.username).order_by(User.id)
    missing = select(text("nothing")).select_from(text("no_such_table"))
    with app.app_context():
        reads.ahead(_locale_of(uid), (users, {}), (select(literal(5)), {}))
        with db.engine.connect() as other:  # another request changes the row meanwhile
            other.execute(update(User).where(User.id == uid).values(locale="en"))
            other.commit()
        # Read ahead on PostgreSQL (as it was), at once elsewhere (as it is now).
        assert reads.scalar(*_locale_of(uid)) == ("ar" if postgres else "en")
        assert reads.scalar(*_locale_of(uid)) == "en"  # given once: read again
        assert [r[0] for r in reads.rows(users)][-1] == "huda" and reads.first(select(literal(5))) == (5,)

        reads.ahead(_locale_of(uid), (missing, {}))  # an error keeps nothing, and each read raises its own
        assert reads.scalar(*_locale_of(uid)) == "en"
        with pytest.raises(exc.DBAPIError, match="no_such_table"):
            reads.rows(missing)

        reads.ahead(_locale_of(uid), (users, {}))
        db.session.execute(update(User).where(User.id == uid).values(locale="ar"))  # the request writes
        assert reads.scalar(*_locale_of(uid)) == "ar"  # read in its transaction, not ahead
        db.session.commit()
        assert reads.scalar(*_locale_of(uid)) == "ar"


def test_a_read_ahead_whose_parameters_can_be_no_key_is_read_when_asked(app, make_user) -> None:
    with app.app_context():
        uid = make_user("rana", role="student").id
    listed = select(User.username).where(User.id == bindparam("id"), literal(1) == bindparam("n"))
    with app.app_context():
        reads.ahead(_locale_of(uid), (listed, {"id": uid, "n": [1]}))  # a list: nothing sent
        with db.engine.connect() as other:
            other.execute(update(User).where(User.id == uid).values(locale="en"))
            other.commit()
        assert reads.scalar(*_locale_of(uid)) == "en"
