"""Two app servers sharing one database never serve a bank's old content after an edit (issue 16).

Each worker keeps parsed banks (quizapp.banks.to_domain) and what is derived from them (the
teacher's warnings, through Bank.derived) in its own memory. Here one server (this process) shows
the bank's pages, so its caches hold the bank; another server (a separate process, the same
database) saves a new version; the first server's next pages show the new content, and its
teacher's bank page the new version's warnings.
"""

from __future__ import annotations

from markupsafe import escape
from sqlalchemy import select

from tests.conftest import login, run_elsewhere

#: The other server: the same configuration, a process of its own; saves the bank's next version
#: with a new description, its last event left out, and an event with no English title.
EDIT = """
import dataclasses, json, sys
from quizapp import create_app
from quizapp.banks import save_bank, to_domain
from quizapp.domain.bank import Text
from quizapp.extensions import db
from quizapp.models import Bank

app = create_app(json.loads(sys.argv[1]))
with app.app_context():
    row = db.session.query(Bank).filter_by(slug="trotsky").one()
    bank = to_domain(row)
    first = dataclasses.replace(bank.events[0], title=Text(bank.events[0].title.ar, ""))
    save_bank(dataclasses.replace(
        bank,
        description=Text("وصف جديد من الخادم الآخر", "A new description from the other server"),
        events=(first, *bank.events[1:-1]),
    ))
    db.session.commit()
    print(len(bank.events) - 1, bank.events[-1].title.en)
"""


def _edit_elsewhere(app) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """Save the bank's next version from another process; its event count and the dropped title."""
    count, dropped = run_elsewhere(app, EDIT).split(" ", 1)
    return int(count), dropped.strip()


def test_an_edit_on_another_server_shows_at_once_on_this_one(app, make_user) -> None:
    from quizapp.extensions import db
    from quizapp.models import Bank

    make_user("teacher1", role="teacher")
    with app.app_context():
        bank_id = db.session.scalar(select(Bank.id).where(Bank.slug == "trotsky"))
    visitor, teacher = app.test_client(), app.test_client()
    login(teacher, "teacher1")
    pages = ("/", "/learn/trotsky", f"/teacher/banks/{bank_id}")
    before = {path: (visitor if path != pages[2] else teacher).get(path, headers={"Accept-Language": "en"})
              for path in pages}  # fmt: skip
    assert all(r.status_code == 200 for r in before.values()), {p: r.status_code for p, r in before.items()}
    explore_before = before["/learn/trotsky"].get_data(as_text=True)
    bank_page_before = before[pages[2]].get_data(as_text=True)

    count, dropped_title = _edit_elsewhere(app)
    dropped = str(escape(dropped_title))  # as the pages write it

    home = visitor.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    explore = visitor.get("/learn/trotsky", headers={"Accept-Language": "en"}).get_data(as_text=True)
    bank_page = teacher.get(pages[2], headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "A new description from the other server" in home
    assert f"{count} events" in home
    assert dropped in explore_before and dropped not in explore
    assert dropped in bank_page_before and dropped not in bank_page
    # The new version's warnings, not those of the version before: an event lost its English title.
    warning = "the English text of its title is missing"
    assert warning not in bank_page_before and warning in bank_page
