"""quizapp.access over HTTP, on SQLite and PostgreSQL: a draft bank's practice (immediate feedback,
so its answers) and explore pages are its teacher's and admins' alone; published banks are everyone's.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quizapp import access
from quizapp.extensions import db
from quizapp.models import Attempt, Bank, Quiz, User
from tests.conftest import csrf_token, login


def make_draft(app, owner_id: int | None) -> None:  # type: ignore[no-untyped-def]
    """Unpublish the first bank and give it an owner: a teacher's draft."""
    with app.app_context():
        bank = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        bank.published = False
        bank.owner_id = owner_id
        db.session.commit()


def attempts(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count(Attempt.id)))


def practice(client):  # type: ignore[no-untyped-def]
    return client.post("/quiz/practice/trotsky", data={"csrf_token": csrf_token(client)})


@pytest.mark.parametrize("who", ["visitor", "student", "other teacher"])
def test_a_draft_bank_is_neither_practised_nor_explored_by_others(client, app, make_user, who) -> None:
    tina = make_user("tina", role="teacher")
    make_user("sam")
    make_user("omar", role="teacher")
    make_draft(app, tina.id)
    if who != "visitor":
        login(client, {"student": "sam", "other teacher": "omar"}[who])
    assert practice(client).status_code == 404
    assert attempts(app) == 0  # no attempt: its questions and answers were never shown
    assert client.get("/learn/trotsky").status_code == 404
    assert "/quiz/practice/trotsky" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("who", ["tina", "root"])
def test_a_draft_is_practised_by_its_teacher_and_admins(client, app, make_user, who) -> None:
    tina = make_user("tina", role="teacher")
    make_user("root", role="admin")
    make_draft(app, tina.id)
    login(client, who)
    r = practice(client)
    assert r.status_code == 302 and "/quiz/attempt/" in r.location
    assert client.get("/learn/trotsky").status_code == 200


def test_a_published_bank_is_practised_by_everyone_even_a_visitor(client, app) -> None:
    r = practice(client)
    assert r.status_code == 302 and "/quiz/attempt/" in r.location


def test_the_rules_in_one_place(app, make_user) -> None:
    """What each page asks quizapp.access, checked on the objects themselves."""
    from flask_login import AnonymousUserMixin

    tina = make_user("tina", role="teacher")
    omar = make_user("omar", role="teacher")
    root = make_user("root", role="admin")
    sam = make_user("sam")
    visitor = AnonymousUserMixin()
    with app.app_context():
        tina, omar, root, sam = (db.session.get(User, u.id) for u in (tina, omar, root, sam))
        bank = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        quiz = Quiz(bank=bank, owner_id=tina.id, title_ar="ا", title_en="q", code="ABCDEF", settings={})
        db.session.add(quiz)
        db.session.commit()
        assert [access.may_see_code(u, quiz) for u in (tina, omar, root, sam, visitor)] == [
            True,
            False,
            True,
            False,
            False,
        ]
        # No class: anyone with the code, a visitor too (the landing page asks them to log in).
        assert all(access.may_start_quiz(u, quiz) for u in (tina, omar, root, sam, visitor))
        bank.published = False
        bank.owner_id = tina.id
        assert [access.may_practice_bank(u, bank) for u in (tina, omar, root, sam, visitor)] == [
            True,
            False,
            True,
            False,
            False,
        ]
        bank.deleted = True
        assert not any(access.may_explore_bank(u, bank) for u in (tina, omar, root, sam, visitor))
        assert access.home_quizzes(visitor) == ([], [])
