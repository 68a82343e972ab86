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

from flask import Flask, g
from sqlalchemy import bindparam, exc, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.sql import Select

from .extensions import db, stale_plan

T = TypeVar("T")

#: Where the request keeps the connection it borrowed (flask.g).
_BORROWED = "_quizapp_read_connection"


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
        return db.session.connection().connection.dbapi_connection, False
    borrowed = g.get(_BORROWED)
    if borrowed is None:
        borrowed = db.engine.raw_connection()
        if _postgres():
            borrowed.driver_connection.autocommit = True
        setattr(g, _BORROWED, borrowed)
    return borrowed, True


def _postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def _run(statement: Select, params: dict[str, Any], fetch: Callable[[Any], Any]) -> Any:
    engine = db.engine
    dialect = engine.dialect
    compiled = _compiled(statement, dialect)
    connection, borrowed = _connection()
    parameters = compiled.parameters(params)
    cursor = connection.cursor()
    try:
        cursor.execute(compiled.sql, parameters)
        fetched = fetch(cursor)
        processors = compiled.processors(dialect, cursor)
    except dialect.loaded_dbapi.Error as err:
        lost = stale_plan(err) or dialect.is_disconnect(err, connection, cursor)
        if lost and borrowed:
            g.pop(_BORROWED, None)
            connection.invalidate(err)
            engine.pool.dispose()  # the others too: a restart ended them all, or a migration ran
        raise exc.DBAPIError.instance(
            compiled.sql, parameters, err, dialect.loaded_dbapi.Error,
            connection_invalidated=lost and borrowed, dialect=dialect,
        ) from err  # fmt: skip
    finally:
        cursor.close()
    return fetched, processors


def _processed(row: Sequence[Any], processors: tuple[Callable | None, ...]) -> tuple:
    return tuple(value if proc is None else proc(value) for value, proc in zip(row, processors, strict=True))


def rows(statement: Select, params: dict[str, Any] | None = None) -> list[tuple]:
    """Every row of the statement (one built once a process, its values bound by name), as tuples
    of SQLAlchemy's values."""
    fetched, processors = _run(statement, params or {}, lambda cursor: cursor.fetchall())
    return fetched if processors is None else [_processed(row, processors) for row in fetched]


def first(statement: Select, params: dict[str, Any] | None = None) -> tuple | None:
    """The statement's first row, or None."""
    fetched, processors = _run(statement, params or {}, lambda cursor: cursor.fetchone())
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
    row = first(_by_id(model), {"id": ident})
    return None if row is None else entity(model, row)


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
    """Give back each app context's borrowed connection when it ends."""
    app.teardown_appcontext(give_back)
