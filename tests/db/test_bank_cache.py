"""quizapp.banks.to_domain: a bank's document is deferred, read only when the cache misses, in one
statement with its version, so a parsed bank is never cached under another version's key."""

from __future__ import annotations

import dataclasses

from sqlalchemy import event, select

from quizapp import banks
from quizapp.extensions import db
from quizapp.models import Bank


def test_a_cache_miss_reads_the_document_in_one_statement_and_a_hit_reads_nothing(app) -> None:
    with app.app_context():
        banks._CACHE.clear()
        row = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        statements: list[str] = []

        def seen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            first = banks.to_domain(row)
            again = banks.to_domain(row)
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        assert len(statements) == 1 and "data" in statements[0] and "source_text" in statements[0]
        assert again is first and len(first.events) == 17


def test_a_row_read_before_a_new_version_never_caches_new_content_under_its_old_key(app) -> None:
    with app.app_context():
        banks._CACHE.clear()
        row = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))  # version 1, no document
        old_key = (row.id, row.version, row.updated_at, row.slug)
        with app.app_context():  # another request saves version 2 (one event fewer) meanwhile
            other = db.session.scalar(select(Bank).where(Bank.id == row.id))
            dbank = banks.to_domain(other)
            banks.save_bank(dataclasses.replace(dbank, events=dbank.events[:-1]))
            db.session.commit()
            banks._CACHE.clear()  # a fresh worker, or the entry evicted
        parsed = banks.to_domain(row)
        # Whichever version this transaction sees, the row and the content agree on it.
        assert len(parsed.events) == {1: 17, 2: 16}[row.version]
        cached = banks._CACHE.get(old_key)
        assert cached is None or len(cached.events) == 17


def test_the_cache_drops_the_least_recently_used_bank_first(app, monkeypatch) -> None:
    monkeypatch.setattr(banks, "_CACHE_SIZE", 2)
    with app.app_context():
        banks._CACHE.clear()
        trotsky = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        dbank = banks.to_domain(trotsky)
        for slug in ("copy-a", "copy-b"):
            banks.save_bank(dataclasses.replace(dbank, slug=slug))
        db.session.commit()
        a, b = (db.session.scalar(select(Bank).where(Bank.slug == s)) for s in ("copy-a", "copy-b"))
        banks.to_domain(a)
        banks.to_domain(trotsky)  # used again: now the most recent
        banks.to_domain(b)  # a third bank: the least recently used (copy-a) goes
        assert {key[3] for key in banks._CACHE} == {"trotsky", "copy-b"}
