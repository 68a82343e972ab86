"""Walking the URL map: the people who knock (a visitor, two students, two teachers, an admin), the
objects a route's arguments point at, and a URL for every rule. Used by the route walk
(test_routes.py) and the form fuzzer (test_fuzz_forms.py), so that a new route is met by both."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from tests.conftest import ROOT, login

ROLES = ("visitor", "student", "other_student", "teacher", "other_teacher", "admin")
ACCOUNTS = {
    "student": ("walk_s1", "student"),
    "other_student": ("walk_s2", "student"),
    "teacher": ("walk_t1", "teacher"),
    "other_teacher": ("walk_t2", "teacher"),
    "admin": ("walk_a1", "admin"),
}
#: Methods that change state (the others only read).
WRITES = ("POST", "PUT", "PATCH", "DELETE")
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


@dataclass
class Objects:
    """What a route's arguments point at: the teacher's own bank, quiz and a student's attempt."""

    bank_id: int
    bank_slug: str
    quiz_id: int
    quiz_code: str
    public_id: str
    student_id: int
    victim_id: int
    event_key: str
    question_key: str
    class_id: int = 0  # the teacher's class, the student a member
    class_code: str = ""


@dataclass
class World:
    """An app with the six callers logged in, each with its own client."""

    app: Flask
    users: dict[str, int] = field(default_factory=dict)
    clients: dict[str, object] = field(default_factory=dict)
    made: int = 0
    bank: object = None

    def relogin(self, role: str) -> None:
        """Log the role's client in again (after a log-out route, say)."""
        if role != "visitor":
            login(self.clients[role], ACCOUNTS[role][0])

    def objects(self) -> Objects:
        """A fresh set of objects owned by the teacher: a bank, a quiz on it, the student's attempt."""
        from quizapp import attempts as svc
        from quizapp.banks import save_bank
        from quizapp.domain.formats.bankfile import load_bank
        from quizapp.extensions import db
        from quizapp.models import AttemptQuestion, ClassMember, Quiz, SchoolClass, User

        self.made += 1
        n = self.made
        with self.app.app_context():
            if self.bank is None:
                self.bank = load_bank(ROOT / "questions" / "trotsky.yaml")
            bank = dataclasses.replace(self.bank, slug=f"walk-{n}")
            row = save_bank(bank, owner_id=self.users["teacher"], published=False)
            quiz = Quiz(
                bank_id=row.id,
                owner_id=self.users["teacher"],
                title_ar="جولة",
                title_en="Walk",
                code=f"WALK{n:03d}",
                settings={"count": 4, "feedback": "immediate"},
            )
            victim = User(
                username=f"walk_victim{n}", display_name="Victim", role="student", password_hash="x"
            )
            klass = SchoolClass(teacher_id=self.users["teacher"], name=f"Walk {n}", code=f"WALKCLS{n:03d}")
            db.session.add_all([quiz, victim, klass])
            db.session.commit()
            db.session.add(ClassMember(class_id=klass.id, user_id=self.users["student"]))
            db.session.commit()
            attempt = svc.start_attempt(quiz, "en", user_id=self.users["student"])
            first = db.session.scalar(
                select(AttemptQuestion).where(
                    AttemptQuestion.attempt_id == attempt.id, AttemptQuestion.position == 0
                )
            )
            svc.record_answer(attempt, first, first.snapshot["answer"])
            return Objects(
                bank_id=row.id,
                bank_slug=row.slug,
                quiz_id=quiz.id,
                quiz_code=quiz.code,
                public_id=attempt.public_id,
                student_id=self.users["student"],
                victim_id=victim.id,
                event_key=bank.events[0].id,
                question_key=bank.questions[0].id,
                class_id=klass.id,
                class_code=klass.code,
            )


def make_world(app: Flask, make_user) -> World:  # type: ignore[no-untyped-def]
    """The app with an account per role, each client logged in."""
    world = World(app)
    for role in ROLES:
        world.clients[role] = app.test_client()
        if role in ACCOUNTS:
            name, kind = ACCOUNTS[role]
            world.users[role] = make_user(name, role=kind).id
            world.relogin(role)
    return world


def argument(endpoint: str, name: str, objects: Objects) -> str:
    """The value a route argument takes in the walk.

    :raise KeyError: for an argument the walk does not know yet: teach it here.
    """
    special = {
        ("main.set_language", "code"): "en",
        ("learn.hijri", "state"): "on",
        ("teacher.bank_hijri", "state"): "on",
        ("learn.explore", "slug"): "trotsky",
        ("learn.review", "slug"): "trotsky",
        ("quiz.practice", "slug"): "trotsky",
        ("teacher.edit_question", "key"): objects.question_key,
        ("teacher.delete_question", "key"): objects.question_key,
        ("reports.quiz_csv", "table"): "summary",
        ("reports.events_csv", "table"): "events",
        ("reports.student_csv", "table"): "attempts",
        ("reports.index_csv", "table"): "quizzes",
        ("reports.student", "user_id"): str(objects.student_id),
        ("reports.student_csv", "user_id"): str(objects.student_id),
        ("main.class_landing", "code"): objects.class_code,
        ("main.join_class", "code"): objects.class_code,
        ("teacher.remove_member", "user_id"): str(objects.student_id),
        ("live.join", "pin"): "000000",  # no live session has it (tests/web/test_live.py plays one)
        ("live.control", "action"): "next",
    }
    if (endpoint, name) in special:
        return special[(endpoint, name)]
    return {
        "bank_id": str(objects.bank_id),
        "slug": objects.bank_slug,
        "quiz_id": str(objects.quiz_id),
        "code": objects.quiz_code,
        "public_id": objects.public_id,
        "number": "2",  # the first question is answered already
        "user_id": str(objects.victim_id),
        "key": objects.event_key,
        "qtype": "mcq",
        "filename": "css/app.css",
        "class_id": str(objects.class_id),
        "sid": "no-such-session",
    }[name]


def url_for_rule(rule: Rule, objects: Objects) -> str:
    """The rule's path with every argument filled in."""
    path = rule.rule
    for name in rule.arguments:
        value = argument(rule.endpoint, name, objects)
        path = re.sub(r"<(?:[^:<>]+(?:\([^)]*\))?:)?" + re.escape(name) + ">", value, path)
    assert "<" not in path, path
    return path


def routes(app: Flask) -> Iterator[tuple[Rule, str]]:
    """Every (rule, method) of the URL map, reads before writes, in a stable order."""
    pairs = [
        (rule, method) for rule in app.url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"}
    ]
    yield from sorted(pairs, key=lambda p: (p[1] in WRITES, p[0].endpoint, p[1]))


def csrf_of(client) -> str:  # type: ignore[no-untyped-def]
    """The CSRF token of the client's session (from the log-in or the home page)."""
    html = client.get("/").get_data(as_text=True)
    m = _CSRF.search(html)
    assert m, "no CSRF token on the home page"
    return m.group(1) or m.group(2)
