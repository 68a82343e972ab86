"""Every route of the URL map, as a visitor, a student, another student, a teacher, another teacher
and an admin, against a table of the answer each should get. A route missing from the table fails
the test, so a new route cannot be missed: add its row (a GET and each method that writes).

Writes are sent with a valid CSRF token and an empty form. After a write that went through (a 2xx
or a 3xx other than to the log-in page), the walk makes a fresh set of objects (bank, quiz, attempt),
so that one route's deletion never answers for another; a refused write must have written nothing.
"""

from __future__ import annotations

import os

import pytest

from tests.web.walk import ROLES, WRITES, csrf_of, make_world, routes, url_for_rule

# (endpoint, method): (visitor, student, other_student, teacher, other_teacher, admin)
EXPECTED: dict[tuple[str, str], tuple[int, int, int, int, int, int]] = {
    ("admin.audit", "GET"): (302, 403, 403, 403, 403, 200),
    ("admin.index", "GET"): (302, 403, 403, 403, 403, 302),
    ("admin.new_teacher", "GET"): (302, 403, 403, 403, 403, 200),
    ("admin.new_teacher", "POST"): (302, 403, 403, 403, 403, 422),
    ("admin.set_active", "GET"): (302, 403, 403, 403, 403, 200),
    ("admin.set_active", "POST"): (302, 403, 403, 403, 403, 400),
    ("admin.set_role", "POST"): (302, 403, 403, 403, 403, 400),
    ("admin.users", "GET"): (302, 403, 403, 403, 403, 200),
    ("auth.login", "GET"): (200, 302, 302, 302, 302, 302),
    ("auth.login", "POST"): (200, 302, 302, 302, 302, 302),
    ("auth.logout", "POST"): (302, 302, 302, 302, 302, 302),
    ("auth.signup", "GET"): (200, 200, 200, 200, 200, 200),
    ("auth.signup", "POST"): (422, 422, 422, 422, 422, 422),
    ("learn.explore", "GET"): (200, 200, 200, 200, 200, 200),
    ("learn.hijri", "POST"): (302, 302, 302, 302, 302, 302),
    ("learn.mastery", "GET"): (302, 200, 200, 200, 200, 200),
    ("learn.review", "POST"): (302, 302, 302, 302, 302, 302),
    # Live mode (Redis): a session that does not exist is a 404 to all who may knock.
    ("live.answer", "POST"): (404, 404, 404, 404, 404, 404),
    ("live.control", "POST"): (302, 404, 404, 404, 404, 404),
    ("live.host", "GET"): (302, 404, 404, 404, 404, 404),
    ("live.host_state", "GET"): (302, 404, 404, 404, 404, 404),
    ("live.host_stream", "GET"): (302, 404, 404, 404, 404, 404),
    ("live.index", "GET"): (200, 200, 200, 200, 200, 200),
    ("live.index", "POST"): (422, 422, 422, 422, 422, 422),
    ("live.join", "GET"): (404, 404, 404, 404, 404, 404),
    ("live.join", "POST"): (404, 404, 404, 404, 404, 404),
    ("live.new", "POST"): (302, 403, 403, 302, 403, 302),
    ("live.play", "GET"): (404, 404, 404, 404, 404, 404),
    ("live.play_state", "GET"): (404, 404, 404, 404, 404, 404),
    ("live.play_stream", "GET"): (404, 404, 404, 404, 404, 404),
    ("main.home", "GET"): (200, 200, 200, 200, 200, 200),
    ("main.change_password", "GET"): (302, 200, 200, 200, 200, 200),
    ("main.change_password", "POST"): (302, 422, 422, 422, 422, 422),
    ("main.class_landing", "GET"): (302, 200, 200, 200, 200, 200),
    ("main.join_class", "POST"): (302, 302, 302, 302, 302, 302),
    ("main.set_language", "POST"): (302, 302, 302, 302, 302, 302),
    ("quiz.finish", "GET"): (404, 200, 404, 404, 404, 404),
    ("quiz.finish", "POST"): (404, 200, 404, 404, 404, 404),  # no confirm=yes: the confirmation page
    ("quiz.flag", "POST"): (404, 400, 404, 404, 404, 404),
    ("quiz.join", "POST"): (302, 302, 302, 302, 302, 302),
    ("quiz.landing", "GET"): (302, 200, 200, 200, 200, 200),
    ("quiz.mine", "GET"): (302, 200, 200, 200, 200, 200),
    ("quiz.practice", "POST"): (302, 302, 302, 302, 302, 302),
    ("quiz.question", "GET"): (404, 200, 404, 404, 404, 404),
    ("quiz.question", "POST"): (404, 422, 404, 404, 404, 404),
    ("quiz.results", "GET"): (404, 302, 404, 404, 404, 404),
    ("quiz.resume", "GET"): (404, 302, 404, 404, 404, 404),
    ("quiz.start", "POST"): (302, 302, 302, 302, 302, 302),
    ("quiz.summary", "GET"): (404, 200, 404, 404, 404, 404),
    ("reports.events", "GET"): (302, 403, 403, 200, 200, 200),
    ("reports.events_csv", "GET"): (302, 403, 403, 200, 200, 200),
    ("reports.index", "GET"): (302, 403, 403, 200, 200, 200),
    ("reports.index_csv", "GET"): (302, 403, 403, 200, 200, 200),
    ("reports.options_csv", "GET"): (302, 403, 403, 200, 404, 200),
    ("reports.question", "GET"): (302, 403, 403, 404, 404, 404),
    ("reports.quiz", "GET"): (302, 403, 403, 200, 404, 200),
    ("reports.quiz_csv", "GET"): (302, 403, 403, 200, 404, 200),
    ("reports.student", "GET"): (302, 403, 403, 200, 404, 200),
    ("reports.student_csv", "GET"): (302, 403, 403, 200, 404, 200),
    ("static", "GET"): (200, 200, 200, 200, 200, 200),
    ("teacher.bank", "GET"): (302, 403, 403, 200, 403, 200),
    ("teacher.classes", "GET"): (302, 403, 403, 200, 200, 200),
    ("teacher.classes", "POST"): (302, 403, 403, 422, 422, 422),
    ("teacher.class_page", "GET"): (302, 403, 403, 200, 403, 200),
    ("teacher.class_page", "POST"): (302, 403, 403, 422, 403, 422),
    ("teacher.class_code", "POST"): (302, 403, 403, 302, 403, 302),
    ("teacher.class_archive", "POST"): (302, 403, 403, 302, 403, 302),
    ("teacher.class_accounts", "GET"): (302, 403, 403, 200, 403, 200),
    ("teacher.class_accounts", "POST"): (302, 403, 403, 422, 403, 422),
    ("teacher.remove_member", "POST"): (302, 403, 403, 302, 403, 302),
    ("teacher.delete_bank", "GET"): (302, 403, 403, 200, 403, 200),
    ("teacher.delete_bank", "POST"): (302, 403, 403, 302, 403, 302),
    ("teacher.delete_event", "GET"): (302, 403, 403, 200, 403, 200),
    ("teacher.delete_event", "POST"): (302, 403, 403, 302, 403, 302),
    ("teacher.delete_question", "POST"): (302, 403, 403, 302, 403, 302),
    ("teacher.download_bank", "GET"): (302, 403, 403, 200, 403, 200),
    ("teacher.duplicate_bank", "POST"): (302, 403, 403, 302, 403, 302),
    ("teacher.edit_bank", "GET"): (302, 403, 403, 200, 403, 200),
    ("teacher.edit_bank", "POST"): (302, 403, 403, 422, 403, 422),
    ("teacher.edit_event", "GET"): (302, 403, 403, 200, 403, 200),
    ("teacher.edit_event", "POST"): (302, 403, 403, 422, 403, 422),
    ("teacher.edit_question", "GET"): (302, 403, 403, 200, 403, 200),
    ("teacher.edit_question", "POST"): (302, 403, 403, 422, 403, 422),
    ("teacher.edit_quiz", "GET"): (302, 403, 403, 200, 403, 200),
    ("teacher.edit_quiz", "POST"): (302, 403, 403, 422, 403, 422),
    ("teacher.export_moodle", "GET"): (302, 403, 403, 400, 403, 400),
    ("teacher.extract", "GET"): (302, 403, 403, 200, 200, 200),
    ("teacher.extract", "POST"): (302, 403, 403, 200, 200, 200),
    ("teacher.extract_accept", "POST"): (302, 403, 403, 302, 302, 302),
    ("teacher.import_gift", "GET"): (302, 403, 403, 200, 403, 200),
    ("teacher.import_gift", "POST"): (302, 403, 403, 422, 403, 422),
    ("teacher.import_gift_confirm", "POST"): (302, 403, 403, 302, 403, 302),
    ("teacher.index", "GET"): (302, 403, 403, 200, 200, 200),
    ("teacher.new_bank", "GET"): (302, 403, 403, 200, 200, 200),
    ("teacher.new_bank", "POST"): (302, 403, 403, 422, 422, 422),
    ("teacher.new_event", "GET"): (302, 403, 403, 200, 403, 200),
    ("teacher.new_event", "POST"): (302, 403, 403, 422, 403, 422),
    ("teacher.new_question", "GET"): (302, 403, 403, 200, 403, 200),
    ("teacher.new_question", "POST"): (302, 403, 403, 422, 403, 422),
    ("teacher.new_quiz", "GET"): (302, 403, 403, 200, 403, 200),
    ("teacher.new_quiz", "POST"): (302, 403, 403, 422, 403, 422),
    ("teacher.preview", "GET"): (302, 403, 403, 200, 403, 200),
    ("teacher.print_key", "GET"): (302, 403, 403, 200, 404, 200),
    ("teacher.print_quiz", "GET"): (302, 403, 403, 200, 404, 200),
    ("teacher.publish_bank", "POST"): (302, 403, 403, 302, 403, 302),
    ("teacher.bank_hijri", "POST"): (302, 403, 403, 302, 403, 302),
    ("teacher.quiz", "GET"): (302, 403, 403, 200, 403, 200),
    ("teacher.release_results", "POST"): (302, 403, 403, 302, 403, 302),
    ("teacher.unpublish_bank", "POST"): (302, 403, 403, 302, 403, 302),
    ("teacher.upload_bank", "POST"): (302, 403, 403, 422, 422, 422),
}


def test_the_table_names_every_route(app) -> None:
    """Fails on a route of the URL map that the table does not name, and on a row for no route."""
    present = {(rule.endpoint, method) for rule, method in routes(app)}
    missing = sorted(present - set(EXPECTED))
    assert not missing, (
        "routes missing from EXPECTED in tests/web/test_routes.py (add the answer each caller should get): "
        + ", ".join(f"{e} {m}" for e, m in missing)
    )
    assert not sorted(set(EXPECTED) - present), "rows for routes that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_caller_as_the_table_says(app, make_user, role: str) -> None:
    world = make_world(app, make_user)
    objects = world.objects()
    client = world.clients[role]
    got: dict[tuple[str, str], int] = {}
    for rule, method in routes(app):
        if method in WRITES:
            r = client.open(url_for_rule(rule, objects), method=method, data={"csrf_token": csrf_of(client)})
            if r.status_code < 400 and "/auth/login" not in r.headers.get("Location", ""):
                objects = world.objects()
            if role != "visitor":
                with client.session_transaction() as s:
                    logged_in = bool(s.get("_user_id"))
                if not logged_in:
                    world.relogin(role)
        else:
            r = client.open(url_for_rule(rule, objects), method=method)
        r.close()
        got[(rule.endpoint, method)] = r.status_code
    if os.environ.get("ROUTE_WALK_PRINT"):
        print(f"\nROLE {role} " + repr(got))
    column = ROLES.index(role)
    wrong = {
        f"{endpoint} {method}": f"expected {EXPECTED[(endpoint, method)][column]}, got {status}"
        for (endpoint, method), status in got.items()
        if (endpoint, method) in EXPECTED and EXPECTED[(endpoint, method)][column] != status
    }
    assert not wrong, f"as {role}: {wrong}"
