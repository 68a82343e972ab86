"""A teacher brings a Moodle XML file into a bank in Chromium, in Arabic and in English (the
English one without JavaScript): the upload shows a preview (what will be imported, what will not
and why), axe-checked and fitting a phone, and the confirm button saves it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import LANGS, PASSWORD, check_page, log_in

pytestmark = pytest.mark.e2e

DATA = Path(__file__).resolve().parents[1] / "domain" / "data" / "moodle"


def make_teacher_with_bank(app: Any, username: str, slug: str, lang: str) -> int:
    """A teacher (its language saved) owning an empty bank; the bank's id."""
    from quizapp.banks import save_bank
    from quizapp.domain.bank import Bank, Text
    from quizapp.extensions import db
    from quizapp.models import User

    with app.app_context():
        user = User(username=username, display_name=username.title(), role="teacher", locale=lang)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.flush()
        row = save_bank(
            Bank(slug=slug, title=Text("بنك موودل", "A Moodle bank")), owner_id=user.id, published=False
        )
        db.session.commit()
        return row.id


def bank_questions(app: Any, slug: str) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from quizapp.banks import to_domain
    from quizapp.extensions import db
    from quizapp.models import Bank

    with app.app_context():
        row = db.session.scalar(select(Bank).where(Bank.slug == slug))
        return [(q.id, q.type) for q in to_domain(row).questions]


@pytest.mark.parametrize("lang", LANGS)
def test_a_teacher_previews_and_confirms_a_moodle_import(live_server, new_page, lang: str) -> None:  # type: ignore[no-untyped-def]
    app = live_server.app
    slug = f"mdl-bank-{lang}"
    bank_id = make_teacher_with_bank(app, f"mdl_teacher_{lang}", slug, lang)
    # English without JavaScript (the flow needs none); Arabic with it, for axe-core to run.
    page = new_page(lang, js=lang == "ar")
    log_in(page, f"mdl_teacher_{lang}")
    page.goto(f"/teacher/banks/{bank_id}/import-gift")
    page.set_input_files("input[type=file]", str(DATA / "docs-kinds.xml"))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    # The preview: six questions to import, three skipped with their lines; nothing saved yet.
    assert page.locator(".teacher-import-questions li.list-group-item").count() == 6
    assert page.locator(".teacher-import-skipped li").count() == 3
    assert "56" in page.locator(".teacher-import-skipped li").first.inner_text()
    assert bank_questions(app, slug) == []
    check_page(page, "moodle-import-preview", lang, axe=lang == "ar")
    with page.expect_navigation():
        page.locator("main form[action$='/confirm'] button[type=submit]").click()
    assert page.url.endswith(f"/teacher/banks/{bank_id}#questions")
    assert bank_questions(app, slug) == [
        ("mc-docs", "mcq"),
        ("several", "multi"),
        ("tf", "truefalse"),
        ("short", "shortanswer"),
        ("numerical", "numerical"),
        ("matching", "matching"),
    ]
