"""Plain reads: a Core SELECT run on the database driver's own cursor, outside the ORM session.

A request that only reads (the logged-in user, a question page, the home page) paid the ORM
session's life (begin, connection checkout, result objects, close) and SQLAlchemy's execution
machinery for each statement: about 180 µs a request on SQLite before its first row, against about
12 µs for the driver's own cursor on a pooled connection. Here a statement built once a process is
compiled once for each database dialect (its SQL text, its parameters' order and their bind
processors), and each run converts its rows with the dialect's own result processors (a SQLite
date's text to a datetime, a JSON column's text to its value): the rows hold what SQLAlchemy's rows
hold, as plain tuples.

Which connection:
- The request's session has begun a transaction (it wrote, or read through the ORM): its connection,
  so that a read sees what the request wrote and nothing changes under the transaction.
- Otherwise a pooled connection that the request borrows on its first read and gives back when the
  app context ends. On PostgreSQL it reads in autocommit mode: no BEGIN and no ROLLBACK round trip
  for a request that only reads (each statement sees what was committed when it ran).

On PostgreSQL each statement is a round trip, and what it costs beside the database's work is the
driver's: each connection keeps its cursors for these reads (extensions._tune_psycopg), and
statements that a page reads one after the other, none waiting for another's rows, can be sent
together (ahead: a quiz report's three, a bank page's two; a student's pages send theirs with the
user's row, quizapp.login.read_with_user).

One write goes this way too: the first answer to a question (quizapp.attempts._store_new), on
PostgreSQL a SELECT of a data-modifying WITH (INSERT ... RETURNING), which on the borrowed
connection is a transaction of its own, with no BEGIN or COMMIT round trip.

A driver error is raised as SQLAlchemy's (sqlalchemy.exc.DBAPIError's subclasses, with the
statement), as the session would raise it; a lost connection (or, on PostgreSQL, a prepared plan
whose result type changed under it) is not given back to the pool, and the pool's other
connections are replaced too, as SQLAlchemy does.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import Flask, g, has_app_context
from sqlalchemy import bindparam, event, exc, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.sql import Select

from .extensions import db, stale_plan

T = TypeVar("T")

#: Where the request keeps the connection it borrowed (flask.g).
_BORROWED = "_quizapp_read_connection"
#: Where the request keeps the rows read ahead (flask.g): (statement, parameters) -> rows, processors.
_AHEAD = "_quizapp_read_ahead"


class Compiled:
    """A statement's SQL for one dialect, its parameters' order and processors, and its columns'
    result processors (made at the first run, from the driver's own description of the columns)."""

    __slots__ = ("binds", "compiled", "order", "results", "sql", "types")

    def __init__(self, statement: Select, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        if compiled.literal_execute_params or compiled.post_compile_params:
            raise ValueError("a plain read takes no expanding (IN) or literal-execute parameter")
        escaped = compiled.escaped_bind_names
        self.compiled, self.sql = compiled, compiled.string
        self.order: tuple[str, ...] | None = (
            tuple(compiled.positiontup) if compiled.positional and compiled.positiontup else None
        )
        binds = []
        for bind in set(compiled.binds.values()):
            name = compiled.bind_names[bind]  # as written in the SQL (an anonymous one's is made here)
            proc = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if proc is not None:
                binds.append((escaped.get(name, name), proc))
        self.binds = tuple(binds)
        self.types = [column.type.dialect_impl(dialect) for column in statement.selected_columns]
        self.results: tuple[Callable | None, ...] | None | bool = False  # not known before a run

    def parameters(self, params: dict[str, Any]) -> Sequence[Any] | dict[str, Any]:
        """The driver's parameters: positional or by name, as the dialect writes them."""
        values = self.compiled.construct_params(params)
        for name, proc in self.binds:
            values[name] = proc(values[name])
        return values if self.order is None else [values[name] for name in self.order]

    def processors(self, dialect: Dialect, cursor: Any) -> tuple[Callable | None, ...] | None:
        """The columns' result processors (None where a value is kept as the driver gives it), or
        None when no column needs one. The cursor's description is read once (psycopg makes it
        anew at each reading)."""
        if self.results is False:
            pairs = zip(self.types, cursor.description, strict=True)
            procs = tuple(kind.result_processor(dialect, column[1]) for kind, column in pairs)
            self.results = procs if any(procs) else None
        return self.results  # type: ignore[return-value]


_COMPILED: weakref.WeakKeyDictionary[Dialect, dict[Select, Compiled]] = weakref.WeakKeyDictionary()

#: Statements kept compiled for one dialect. A plain read's statement is built once a process (a
#: module's functools.cache): a statement built anew for each request is compiled each time, and
#: past this many, the kept ones are all dropped rather than kept without end.
KEPT = 256


def _compiled(statement: Select, dialect: Dialect) -> Compiled:
    by_statement = _COMPILED.get(dialect)
    if by_statement is None:
        by_statement = _COMPILED[dialect] = {}
    found = by_statement.get(statement)
    if found is None:
        if len(by_statement) >= KEPT:
            by_statement.clear()
        found = by_statement[statement] = Compiled(statement, dialect)
    return found


def in_session_transaction() -> bool:
    """Whether the request's ORM session has begun a transaction (a read then runs in it), without
    making a session where there is none."""
    registry = db.session.registry
    return registry.has() and registry().in_transaction()


def _connection() -> tuple[Any, bool]:
    """The DBAPI connection to read on, and whether it is the request's borrowed one."""
    if in_session_transaction():
        return db.session.connection().connection, False
    borrowed = g.get(_BORROWED)
    if borrowed is None:
        borrowed = db.engine.raw_connection()
        if _postgres():
            borrowed.driver_connection.autocommit = True
        setattr(g, _BORROWED, borrowed)
    return borrowed, True


def _postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def _run(statement: Select, params: dict[str, Any], one: bool) -> Any:
    """The statement's first row (`one`) or all its rows, as the driver gives them, and the
    processors of its columns: read ahead (see ahead), or run now."""
    found = _read_ahead(statement, params)
    if found is not None:
        fetched, processors = found
        return (fetched[0] if fetched else None) if one else fetched, processors
    dialect = db.engine.dialect
    compiled = _compiled(statement, dialect)
    connection, borrowed = _connection()
    parameters = compiled.parameters(params)
    kept = getattr(connection.driver_connection, "reading_cursor", None)  # PostgreSQL's (extensions)
    cursor = connection.cursor() if kept is None else kept()
    try:
        cursor.execute(compiled.sql, parameters)
        fetched = cursor.fetchone() if one else cursor.fetchall()
        processors = compiled.processors(dialect, cursor)
    except dialect.loaded_dbapi.Error as err:
        lost = _lost(err, connection, cursor, borrowed)
        raise exc.DBAPIError.instance(
            compiled.sql, parameters, err, dialect.loaded_dbapi.Error,
            connection_invalidated=lost and borrowed, dialect=dialect,
        ) from err  # fmt: skip
    finally:
        if kept is None:
            cursor.close()
    return fetched, processors


def _lost(err: Exception, connection: Any, cursor: Any, borrowed: bool) -> bool:
    """Whether a driver error lost the connection (or, on PostgreSQL, made its prepared plans
    stale). The request's borrowed connection is then not given back to the pool, and the pool's
    other connections are replaced too: a restart ended them all, or a migration ran."""
    engine = db.engine
    lost = stale_plan(err) or engine.dialect.is_disconnect(err, connection, cursor)
    if lost and borrowed:
        g.pop(_BORROWED, None)
        connection.invalidate(err)
        engine.pool.dispose()
    return bool(lost)


def ahead(*wanted: tuple[Select, dict[str, Any]]) -> None:
    """Read statements that the request is about to read, together: on PostgreSQL in one round
    trip (psycopg's pipeline mode), each one's rows kept for the first read (rows, first or scalar)
    of the same statement with the same parameters. Elsewhere nothing: each read runs when it is
    asked (on SQLite a statement costs no round trip).

    Three statements sent together here cost about 240 µs of CPU (client and server) where one
    after the other they cost 400, and one round trip of waiting instead of three.

    For the reads a request makes before it writes: once the request's session begins a
    transaction, whatever was read ahead and not yet asked for is dropped, and each read runs
    then, seeing what the request wrote. A driver error here keeps nothing: each read then runs on
    its own and raises its own error.
    """
    if len(wanted) < 2 or not _postgres() or in_session_transaction():
        return
    keys = [_ahead_key(statement, params) for statement, params in wanted]
    if None in keys:  # a parameter that can be no key (a list, a dict): read each when asked
        return
    dialect = db.engine.dialect
    connection, borrowed = _connection()
    dbapi = connection.driver_connection
    sent = []
    cursor = None
    try:
        with dbapi.pipeline():
            for index, ((statement, params), key) in enumerate(zip(wanted, keys, strict=True)):
                compiled = _compiled(statement, dialect)
                cursor = dbapi.reading_cursor(index)
                cursor.execute(compiled.sql, compiled.parameters(params))
                sent.append((key, compiled, cursor))
        read = {key: (done.fetchall(), compiled.processors(dialect, done)) for key, compiled, done in sent}
    except dialect.loaded_dbapi.Error as err:
        _lost(err, connection, cursor, borrowed)
        return
    setattr(g, _AHEAD, read)


def _ahead_key(statement: Select, params: dict[str, Any]) -> tuple | None:
    """The key of a statement's rows read ahead, or None when a parameter can be no key."""
    key = statement, tuple(sorted(params.items()))
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _read_ahead(statement: Select, params: dict[str, Any]) -> tuple[Any, Any] | None:
    """What ahead read of this statement with these parameters, given once; None when it read
    nothing of it."""
    kept = g.get(_AHEAD)
    if not kept:
        return None
    return kept.pop(_ahead_key(statement, params), None)  # no key (None): none read ahead


def _drop_ahead(*_: object) -> None:
    """The request's session began a transaction: what was read before it may be old."""
    if has_app_context():
        g.pop(_AHEAD, None)


def _processed(row: Sequence[Any], processors: tuple[Callable | None, ...]) -> tuple:
    return tuple(value if proc is None else proc(value) for value, proc in zip(row, processors, strict=True))


def rows(statement: Select, params: dict[str, Any] | None = None) -> list[tuple]:
    """Every row of the statement (one built once a process, its values bound by name), as tuples
    of SQLAlchemy's values."""
    fetched, processors = _run(statement, params or {}, one=False)
    return fetched if processors is None else [_processed(row, processors) for row in fetched]


def first(statement: Select, params: dict[str, Any] | None = None) -> tuple | None:
    """The statement's first row, or None."""
    fetched, processors = _run(statement, params or {}, one=True)
    if fetched is None:
        return None
    return tuple(fetched) if processors is None else _processed(fetched, processors)


def scalar(statement: Select, params: dict[str, Any] | None = None) -> Any:
    """The first column of the first row, or None."""
    row = first(statement, params)
    return None if row is None else row[0]


@functools.cache
def _loaded(model: type) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """A model's attributes that a query loads (not the deferred ones) and their columns."""
    props = [prop for prop in sa_inspect(model).column_attrs if not prop.deferred]
    return tuple(prop.key for prop in props), tuple(prop.columns[0] for prop in props)


def columns_of(model: type) -> tuple[Any, ...]:
    """The columns to select for entity(model, row): the model's, but its deferred ones."""
    return _loaded(model)[1]


def entity(model: type[T], row: Sequence[Any]) -> T:
    """The model's instance of a row of columns_of(model), detached: as if a session had loaded it
    and closed (its deferred columns unloaded). Read-only: a view that changes it attaches it first
    (Session.merge(..., load=False)); where it is not, changing it stores nothing.
    """
    instance = model(**dict(zip(_loaded(model)[0], row, strict=True)))
    make_transient_to_detached(instance)  # its columns are as loaded: nothing to write
    return instance


def get(model: type[T], ident: int) -> T | None:
    """The model's row with this primary key as a detached entity (see entity), or None: what
    Session.get gives, for a page that only reads."""
    row = first(*get_read(model, ident))
    return None if row is None else entity(model, row)


def get_read(model: type, ident: int) -> tuple[Select, dict[str, Any]]:
    """get's statement and its parameters (for ahead)."""
    return _by_id(model), {"id": ident}


@functools.cache
def _by_id(model: type) -> Select:
    (key,) = sa_inspect(model).primary_key
    return select(*columns_of(model)).where(key == bindparam("id"))


def give_back(_exc: BaseException | None = None) -> None:
    """Return the request's borrowed connection to the pool (at the end of each app context)."""
    borrowed = g.pop(_BORROWED, None)
    if borrowed is None:
        return
    if _postgres() and not borrowed.driver_connection.closed:
        borrowed.driver_connection.autocommit = False  # as the pool's other users expect it
    borrowed.close()


def init_app(app: Flask) -> None:
    """Give back each app context's borrowed connection when it ends; drop what was read ahead when
    a session begins a transaction."""
    app.teardown_appcontext(give_back)
    if not event.contains(Session, "after_begin", _drop_ahead):
        event.listen(Session, "after_begin", _drop_ahead)
