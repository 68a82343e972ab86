"""The Flask extensions, created here and bound to the app in create_app (no app at import time)."""

from __future__ import annotations

from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from .config import PSYCOPG

#: Stable constraint names, so that migrations can name what they alter (SQLite batch mode too).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The declarative base of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def init_app(app) -> None:  # type: ignore[no-untyped-def]
    """Bind every extension to the app."""
    from . import i18n

    db.init_app(app)
    migrate.init_app(app, db, directory=app.config["MIGRATIONS_DIR"], render_as_batch=True)
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    _check_csrf_only_on_unsafe_methods(app)
    limiter.init_app(app)
    _check_rate_limits_only_when_any_apply(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # Flask-Login flashes its own English sentence otherwise; str() translates it at flash time.
    login_manager.login_message = _l("Log in to open this page.")
    login_manager.localize_callback = str
    login_manager.session_protection = "strong"  # the user loader is quizapp.login's

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _tune_sqlite(app)
    elif app.config["SQLALCHEMY_DATABASE_URI"].startswith(PSYCOPG):
        _tune_psycopg(app)


def _check_csrf_only_on_unsafe_methods(app) -> None:  # type: ignore[no-untyped-def]
    """Run Flask-WTF's CSRF check before a request only when its method is one it checks (POST, PUT,
    PATCH, DELETE: WTF_CSRF_METHODS, read at each request).

    Its check (CSRFProtect.protect) looks up the view and the blueprint to see whether they are
    exempt before it looks at the method, and then returns without doing anything for a GET: about
    6 µs of every page. For a method it checks, its hook runs as before, exemptions included. Its
    hook is found by its module and name; should a version name it otherwise, it stays as it is.
    """
    from flask import request

    hooks = app.before_request_funcs.get(None, [])
    theirs = ("flask_wtf.csrf", "csrf_protect")
    found = [f for f in hooks if (getattr(f, "__module__", None), getattr(f, "__name__", None)) == theirs]
    if len(found) != 1:
        return
    (check,) = found

    def csrf_protect() -> None:
        if request.method in app.config["WTF_CSRF_METHODS"]:
            check()

    hooks[hooks.index(check)] = csrf_protect


def _check_rate_limits_only_when_any_apply(app) -> None:  # type: ignore[no-untyped-def]
    """Run Flask-Limiter's check before every request only when a limit could apply to any request.

    The app's limits are on views (log-in, sign-up, codes typed), which check their own limits when
    they are called: Flask-Limiter's before-request check adds only application, default, meta,
    blueprint and fallback limits, and limits hinted for other endpoints. With none of them it finds
    nothing to count, at a cost of about 30 µs a request (a fifth of an empty page's own time). It
    runs as soon as any of them exists (read at each request), and when this version of
    Flask-Limiter keeps them under other names.
    """
    check = limiter._check_request_limit
    hooks = app.before_request_funcs.get(None, [])
    if check not in hooks:  # RATELIMIT_ENABLED is off: no hooks
        return

    def check_rate_limits() -> None:
        if any_app_wide_limits(limiter):
            check()

    hooks[hooks.index(check)] = check_rate_limits


def any_app_wide_limits(extension: Limiter) -> bool:
    """Whether Flask-Limiter's before-request check has any limit to count (see above); True when
    one of the places it keeps them is missing (another version: check every request)."""
    manager = extension.limit_manager
    places = (
        getattr(manager, "_application_limits", None),
        getattr(manager, "_default_limits", None),
        getattr(manager, "_blueprint_limits", None),
        getattr(manager, "_endpoint_hints", None),
        getattr(extension, "_meta_limits", None),
        getattr(extension, "_in_memory_fallback", None),
    )
    return any(place is None or place for place in places)


#: Helper threads SQLite's sorter may use for one large sort. Measured on 2 cores with a million
#: responses: 1 thread saves about 25 %, 4 threads about 40 % (more, smaller runs to merge).
SORTER_THREADS = 4


def _tune_sqlite(app) -> None:  # type: ignore[no-untyped-def]
    """WAL, a busy timeout and synchronous=NORMAL on every connection (notes.md: 0 lost writes).

    `threads` lets SQLite's sorter use helper threads: a report's GROUP BY over a million responses
    sorts them, and the helper threads cut that time by about 40 % on 2 cores (tests/bench/reports.py).
    """
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=5000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA threads={SORTER_THREADS}")
            cur.close()


def _tune_psycopg(app) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL through psycopg: no round trip to test a pooled connection, and prepared statements.

    A pooled connection is tested as it is taken without asking the server: a server that ends a
    backend (a restart, a crash, pg_terminate_backend) sends it its last message and closes the
    socket, so a dead connection has something to read while it sits idle in the pool. Only then is
    it pinged, and a failed ping replaces every pooled connection, as pool_pre_ping did for a
    round trip on every request (tests/db/test_pool.py).

    psycopg prepares a statement run 5 times on a connection, but forgets every prepared statement
    and count at each ROLLBACK, and each request ends with one (the session closes): no statement
    was ever prepared, and the server parsed and planned every query of every request (two thirds
    of its CPU on the question page). Its connections here keep them across the rollback of a
    transaction that had no error; after a failed statement psycopg forgets them as before, and
    DROP or ALTER through the connection still clears them. A statement whose result type changed
    under it (a column's type altered meanwhile) fails as "cached plan must not change result
    type": that connection and the pool's others are then replaced, so it fails once.
    """
    import select

    import psycopg
    from psycopg.pq import TransactionStatus
    from sqlalchemy import event, exc

    def keep(*_: object) -> bool:
        return False

    class Connection(psycopg.Connection):  # type: ignore[type-arg]
        _reading: list[psycopg.Cursor] | None = None  # type: ignore[type-arg]

        def reading_cursor(self, index: int = 0) -> psycopg.Cursor:  # type: ignore[type-arg]
            """The connection's cursor `index` for quizapp.reads (one per statement sent together),
            made once: a cursor made and closed for each statement cost about 20 µs of CPU, of the
            100 µs a plain read cost here."""
            kept = self._reading
            if kept is None:
                kept = self._reading = []
            while len(kept) <= index:
                kept.append(self.cursor())
            if kept[index].closed:
                kept[index] = self.cursor()
            return kept[index]

        def rollback(self) -> None:
            prepared = getattr(self, "_prepared", None)  # psycopg's own, private: none, no keeping
            if self.info.transaction_status != TransactionStatus.INTRANS or not hasattr(prepared, "clear"):
                super().rollback()
                return
            prepared.clear = keep  # type: ignore[union-attr]
            try:
                super().rollback()
            finally:
                del prepared.clear  # type: ignore[union-attr]

    with app.app_context():
        engine = db.engine
    dialect = engine.dialect

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect, _record, cargs, cparams):  # type: ignore[no-untyped-def]
        return Connection.connect(*cargs, **cparams)

    @event.listens_for(engine, "checkout")
    def _check(dbapi_conn, _record, _proxy):  # type: ignore[no-untyped-def]
        if dbapi_conn.closed or dbapi_conn.broken:
            raise exc.InvalidatePoolError("the connection is closed")
        if hasattr(select, "poll"):  # not on Windows: a ping every time there
            poller = select.poll()
            poller.register(dbapi_conn.fileno(), select.POLLIN | select.POLLPRI)
            if not poller.poll(0):  # nothing came while idle: alive as far as can be known
                return
        try:
            dialect.do_ping(dbapi_conn)
        except dialect.loaded_dbapi.Error as err:
            if dialect.is_disconnect(err, dbapi_conn, None):
                raise exc.InvalidatePoolError(f"the server ended the connection: {err}") from err
            raise

    @event.listens_for(engine, "handle_error")
    def _stale_plan(context):  # type: ignore[no-untyped-def]
        if stale_plan(context.original_exception):
            context.is_disconnect = True


def stale_plan(err: BaseException) -> bool:
    """Whether a PostgreSQL error says a prepared statement's result type changed under it (a column
    altered meanwhile): the connection's plans are then stale, and it is treated as lost."""
    source = getattr(getattr(err, "diag", None), "source_function", None)
    feature_not_supported = getattr(err, "sqlstate", None) == "0A000"
    return feature_not_supported and source == "RevalidateCachedQuery"
