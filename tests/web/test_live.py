"""Live class mode over HTTP, with a real Redis (issue 18): the teacher opens a session from a quiz,
students join with a nickname or their account, answer on the server's clock, and every answer is
stored in a normal attempt. Skipped with a reason where Redis does not answer; in CI it must."""

from __future__ import annotations

import json
import os
import re
from typing import Any

import pytest
import redis
from sqlalchemy import select

from quizapp.domain.live import points
from quizapp.extensions import db
from quizapp.models import Attempt, Bank, Quiz, Response, User
from tests.conftest import csrf_token
from tests.conftest import login as _login

REDIS_URL = os.environ.get("LIVE_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_problem() -> str | None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as err:
        return f"Redis not reachable at {REDIS_URL}: {err.__class__.__name__}"
    return None


_PROBLEM = _redis_problem()
if _PROBLEM and os.environ.get("CI") == "true":
    raise RuntimeError(f"CI needs Redis for the live tests: {_PROBLEM}")
pytestmark = pytest.mark.skipif(bool(_PROBLEM), reason=_PROBLEM or "")

R = redis.Redis.from_url(REDIS_URL, decode_responses=True)


def login(client, username: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    return _login(client, username)


def phone(app, lang: str = "en"):  # type: ignore[no-untyped-def]
    c = app.test_client()
    c.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    return c


@pytest.fixture
def game(app, make_user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A teacher logged in, their quiz and a live session of it in its lobby (make_game)."""
    return make_game(app, make_user)


def make_game(app, make_user, kinds: tuple[str, ...] = ("event-date", "ordering")) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A teacher logged in, their quiz (by default two multiple-choice questions, then an ordering),
    and a live session of it in its lobby."""
    make_user("live_teacher", role="teacher", locale="en")
    with app.app_context():
        bank = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        owner = db.session.scalar(select(User).where(User.username == "live_teacher"))
        settings = {"count": 3, "kinds": list(kinds), "feedback": "end"}
        quiz = Quiz(bank_id=bank.id, owner_id=owner.id, title_ar="مباشر", title_en="Live one", code="LIVE01",
                    settings=settings)  # fmt: skip
        db.session.add(quiz)
        db.session.commit()
        quiz_id = quiz.id
    teacher = app.test_client()
    login(teacher, "live_teacher")
    r = teacher.post(
        f"/live/new/{quiz_id}", data={"csrf_token": csrf_token(teacher, f"/teacher/quizzes/{quiz_id}")}
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    host = r.location
    sid = host.rsplit("/", 1)[1]
    html = teacher.get(host).get_data(as_text=True)
    pin = re.search(r'id="live-pin">(\d{6})<', html).group(1)
    return {"teacher": teacher, "host": host, "sid": sid, "pin": pin, "quiz_id": quiz_id, "app": app}


def join(g: dict, client, nickname: str):  # type: ignore[no-untyped-def]
    pin = g["pin"]
    return client.post(
        f"/live/join/{pin}",
        data={"nickname": nickname, "csrf_token": csrf_token(client, f"/live/join/{pin}")},
    )


def act(g: dict, action: str, index: int):  # type: ignore[no-untyped-def]
    t = g["teacher"]
    return t.post(
        f"/live/host/{g['sid']}/{action}", data={"csrf_token": csrf_token(t, g["host"]), "index": index}
    )


def state(g: dict, client) -> dict:  # type: ignore[no-untyped-def]
    r = client.get(f"/live/play/{g['sid']}/state.json")
    assert r.status_code == 200
    return r.get_json()


def send(g: dict, client, st: dict, pick: int = 0, right: bool = False):  # type: ignore[no-untyped-def]
    """Answer the question `st` shows: option `pick` (or the key's, when `right`), or the items in
    the order shown (or the key's, when `right`)."""
    data: dict[str, Any] = {"csrf_token": st["csrf"], "index": st["index"]}
    if st["type"] in ("mcq", "truefalse"):
        if right:
            pick = _key(g, st["index"])
        data["choice"] = st["options"][pick]["token"]
    else:  # the items in the order shown, or in the key's order when `right`
        order = _key(g, st["index"]) if right else list(range(len(st["items"])))
        for n, it in enumerate(st["items"]):
            data[f"rank_{it['token']}"] = order.index(n) + 1
    return client.post(f"/live/play/{g['sid']}/answer", data=data, headers={"Accept": "application/json"})


def _key(g: dict, index: int) -> int:
    return json.loads(R.get(f"live:{g['sid']}:questions"))[index]["answer"]


def _attempts(app) -> list[Attempt]:  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = db.session.scalars(select(Attempt).order_by(Attempt.id)).all()
        for a in rows:
            _ = [q.response for q in a.questions]
        db.session.expunge_all()
        return list(rows)


def test_a_whole_game_stores_every_answer_in_normal_attempts(game: dict, make_user) -> None:  # type: ignore[no-untyped-def]
    app, g = game["app"], game
    make_user("live_pupil", locale="ar")
    ali, sara, pupil = phone(app), phone(app, "ar"), phone(app, "ar")
    assert join(g, ali, "Ali").status_code == 302
    assert join(g, sara, "سارة").status_code == 302
    login(pupil, "live_pupil", "ar")
    r = pupil.post(
        f"/live/join/{g['pin']}",
        data={"as": "account", "csrf_token": csrf_token(pupil, f"/live/join/{g['pin']}")},
    )
    assert r.status_code == 302
    lobby = g["teacher"].get(g["host"]).get_data(as_text=True)
    assert "Ali" in lobby and "سارة" in lobby and "Live_Pupil" in lobby and "<svg" in lobby  # the QR code
    assert act(g, "next", -1).status_code == 302
    for index in range(3):
        sts = {name: state(g, c) for name, c in (("ali", ali), ("sara", sara), ("pupil", pupil))}
        assert {s["phase"] for s in sts.values()} == {"question"}
        assert {s["index"] for s in sts.values()} == {index}
        # Each phone in its own language, the same question.
        if sts["ali"]["type"] == "mcq":
            assert sts["ali"]["prompt"] != sts["sara"]["prompt"]
        assert send(g, ali, sts["ali"], right=True).get_json()["status"] == "ok"
        wrong = 1 if sts["sara"]["type"] == "mcq" and _key(g, index) == 0 else 0
        assert send(g, sara, sts["sara"], pick=wrong).get_json()["status"] == "ok"
        host = g["teacher"].get(f"/live/host/{g['sid']}/state.json").get_json()
        assert host["answered"] == 2 and host["players"] == 3 and host["phase"] == "question"
        assert send(g, pupil, sts["pupil"], right=True).get_json()["status"] == "ok"
        # Everyone answered: the results show at once, without waiting for the time.
        assert g["teacher"].get(f"/live/host/{g['sid']}/state.json").get_json()["phase"] == "reveal"
        page = g["teacher"].get(g["host"]).get_data(as_text=True)
        assert "How the class answered" in page and "Leaderboard" in page
        assert act(g, "next", index).status_code == 302
    assert state(g, ali)["phase"] == "ended"
    podium = g["teacher"].get(g["host"]).get_data(as_text=True)
    assert "Podium" in podium and "Ali" in podium
    attempts = _attempts(app)
    assert len(attempts) == 3
    keys = {tuple(q.key for q in a.questions) for a in attempts}
    assert len(keys) == 1  # the same questions for everyone, from the session's seed
    assert all(a.finished and a.settings["live"] == g["sid"] for a in attempts)
    assert all(q.response is not None for a in attempts for q in a.questions)
    assert {a.lang for a in attempts} == {"en", "ar"}
    by_name = {a.settings["nickname"]: a for a in attempts}
    assert by_name["Ali"].score == pytest.approx(sum(q.response.score for q in by_name["Ali"].questions))
    assert by_name["Live_Pupil"].user_id is not None and by_name["Ali"].user_id is None
    # The teacher's report counts them like any attempt.
    report = g["teacher"].get(f"/reports/quiz/{g['quiz_id']}")
    assert report.status_code == 200


def test_true_or_false_is_played_with_two_buttons(app, make_user) -> None:  # type: ignore[no-untyped-def]
    g = make_game(app, make_user, kinds=("tf-date",))
    ar, en = phone(app, "ar"), phone(app, "en")
    join(g, ar, "ليلى")
    join(g, en, "Lily")
    act(g, "next", -1)
    truth = json.loads(R.get(f"live:{g['sid']}:questions"))[0]["answer"]
    st_ar, st_en = state(g, ar), state(g, en)
    assert st_en["type"] == "truefalse" and [o["text"] for o in st_en["options"]] == ["True", "False"]
    assert [o["text"] for o in st_ar["options"]] == ["صواب", "خطأ"]
    phone_page = ar.get(f"/live/play/{g['sid']}").get_data(as_text=True)
    assert phone_page.count('name="choice"') == 2
    assert "Is this statement true or false?" in en.get(f"/live/play/{g['sid']}").get_data(as_text=True)
    right, wrong = (0, 1) if truth else (1, 0)
    assert send(g, en, st_en, pick=right).get_json()["status"] == "ok"
    assert send(g, ar, st_ar, pick=wrong).get_json()["status"] == "ok"
    host = g["teacher"].get(g["host"]).get_data(as_text=True)
    assert "How the class answered" in host
    with app.app_context():
        responses = db.session.scalars(select(Response)).all()
        assert sorted((r.answer, r.score) for r in responses) == sorted([(truth, 1.0), (not truth, 0.0)])


def test_points_are_the_domain_sum_of_the_servers_time(game: dict) -> None:
    g = game
    ali, sara = phone(g["app"]), phone(g["app"])
    join(g, ali, "Ali")
    join(g, sara, "Sara")
    act(g, "next", -1)
    st = state(g, ali)
    send(g, ali, st, right=True)
    raw = json.loads(R.hget(f"live:{g['sid']}:q0", R.hkeys(f"live:{g['sid']}:q0")[0]))
    h = R.hgetall(f"live:{g['sid']}")
    limit = int(h["deadline"]) - int(h["q_start"])
    assert raw["p"] == points(raw["s"], raw["e"], limit)
    assert raw["p"] >= 500 if raw["s"] >= 1 else raw["p"] >= 0


def test_an_answer_after_the_time_is_refused_by_the_server(game: dict) -> None:
    g = game
    ali, sara = phone(g["app"]), phone(g["app"])
    join(g, ali, "Ali")
    join(g, sara, "Sara")
    act(g, "next", -1)
    st = state(g, ali)
    # The time runs out (the deadline is the server's, in Redis: nothing the phone sends moves it).
    R.hset(f"live:{g['sid']}", "deadline", int(R.hget(f"live:{g['sid']}", "q_start")))
    r = send(g, ali, st)
    assert r.status_code == 409 and r.get_json()["status"] in ("late", "closed")
    with g["app"].app_context():
        assert db.session.scalar(select(db.func.count(Response.id))) == 0
    # The next read makes the time-up: the results, with nobody's answer.
    assert state(g, sara)["phase"] == "reveal"
    page = ali.get(f"/live/play/{g['sid']}").get_data(as_text=True)
    assert "No answer in time" in page


def test_an_answer_to_another_question_or_twice_counts_once(game: dict) -> None:
    g = game
    ali, sara = phone(g["app"]), phone(g["app"])
    join(g, ali, "Ali")
    join(g, sara, "Sara")
    act(g, "next", -1)
    st = state(g, ali)
    wrong_index = dict(st, index=1)
    assert send(g, ali, wrong_index).status_code in (400, 409)
    assert send(g, ali, st).get_json() == {"status": "ok", "n": 1}
    assert send(g, ali, st, pick=1).get_json() == {"status": "again", "n": 1}
    assert g["teacher"].get(f"/live/host/{g['sid']}/state.json").get_json()["answered"] == 1


def test_pause_stops_answers_and_the_clock_and_buttons_act_once(game: dict) -> None:
    g = game
    ali, sara = phone(g["app"]), phone(g["app"])
    join(g, ali, "Ali")
    join(g, sara, "Sara")
    act(g, "next", -1)
    act(g, "next", -1)  # a double click on Start: still the first question
    assert state(g, ali)["index"] == 0
    st = state(g, ali)
    act(g, "pause", 0)
    assert state(g, ali)["phase"] == "paused"
    assert send(g, ali, st).status_code == 409
    left = R.hget(f"live:{g['sid']}", "left")
    act(g, "resume", 0)
    h = R.hgetall(f"live:{g['sid']}")
    assert h["phase"] == "question" and int(h["deadline"]) - int(left) <= int(R.time()[0]) * 1000 + 1000
    assert send(g, ali, st).get_json()["status"] == "ok"
    act(g, "skip", 0)  # the results now, Sara without an answer
    assert state(g, sara)["phase"] == "reveal"
    act(g, "end", 0)
    assert state(g, sara)["phase"] == "ended"
    assert all(a.finished for a in _attempts(g["app"]))


def test_nicknames_decent_unique_and_rejoining_keeps_the_points(game: dict) -> None:
    g = game
    ali = phone(g["app"])
    r = join(g, phone(g["app"]), "sh1t")
    assert r.status_code == 422 and "not suitable" in r.get_data(as_text=True)
    assert join(g, ali, "Ali").status_code == 302
    other = phone(g["app"])
    r = join(g, other, " ALI ")  # a second device under the same nickname
    assert r.status_code == 422 and "taken" in r.get_data(as_text=True)
    join(g, other, "Omar")
    act(g, "next", -1)
    send(g, ali, state(g, ali), right=True)
    send(g, other, state(g, other), right=True)
    pts = R.zscore(f"live:{g['sid']}:score", ali.get_cookie(f"live_{g['sid']}", path="/live").value)
    assert pts and pts > 0
    # The phone slept and lost its page: the PIN's page sends it back where the game stands.
    r = ali.get(f"/live/join/{g['pin']}")
    assert r.status_code == 302 and r.location.endswith(f"/live/play/{g['sid']}")
    page = ali.get(r.location).get_data(as_text=True)
    assert "points in all" in page and "Ali" in page
    # Without its cookie, the nickname stays refused.
    assert join(g, phone(g["app"]), "ali").status_code == 422


def test_each_side_in_its_own_language(game: dict) -> None:
    g = game
    ar = phone(g["app"], "ar")
    join(g, ar, "ليلى")
    page = ar.get(f"/live/play/{g['sid']}").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page and "ليلى" in page
    host = g["teacher"].get(g["host"]).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in host and "Players" in host and "ليلى" in host


def test_a_quiz_with_arabic_indic_digits_keeps_them_on_the_phones(game: dict) -> None:
    g = game
    with g["app"].app_context():
        quiz = db.session.get(Quiz, g["quiz_id"])
        quiz.settings = {**quiz.settings, "arabic_digits": True}
        db.session.commit()
    ar, en = phone(g["app"], "ar"), phone(g["app"], "en")
    join(g, ar, "ليلى")
    join(g, en, "Lily")
    act(g, "next", -1)
    page = ar.get(f"/live/play/{g['sid']}").get_data(as_text=True)
    assert "١" in page and "٣" in page  # "Question 1 of 3" in the quiz's digits
    assert not re.search(r"[٠-٩]", en.get(f"/live/play/{g['sid']}").get_data(as_text=True))


def test_only_its_teacher_runs_a_session(game: dict, make_user) -> None:  # type: ignore[no-untyped-def]
    g = game
    make_user("live_other", role="teacher")
    other = g["app"].test_client()
    login(other, "live_other")
    assert other.get(g["host"]).status_code == 403
    token = csrf_token(other, "/")
    assert (
        other.post(f"/live/host/{g['sid']}/next", data={"csrf_token": token, "index": -1}).status_code == 403
    )
    assert other.post(f"/live/new/{g['quiz_id']}", data={"csrf_token": token}).status_code == 403
    assert phone(g["app"]).get(g["host"]).status_code == 302  # to the log-in page
    assert phone(g["app"]).get(f"/live/play/{g['sid']}").status_code == 404  # never joined


def test_unknown_pin_and_stream(game: dict) -> None:
    g = game
    c = phone(g["app"])
    r = c.post("/live/", data={"pin": "000000", "csrf_token": csrf_token(c, "/live/")})
    assert r.status_code == 422
    r = c.post("/live/", data={"pin": g["pin"], "csrf_token": csrf_token(c, "/live/")})
    assert r.status_code == 302 and r.location.endswith(f"/live/join/{g['pin']}")
    # The test client is no threaded server: no stream here, the page polls.
    assert g["teacher"].get(f"/live/host/{g['sid']}/stream").status_code == 204


def test_a_pin_typed_in_arabic_indic_digits_or_in_the_home_join_box_finds_the_game(game: dict) -> None:
    g = game
    arabic = g["pin"].translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    c = phone(g["app"], "ar")
    r = c.post("/live/", data={"pin": f" {arabic[:3]} {arabic[3:]} ", "csrf_token": csrf_token(c, "/live/")})
    assert r.status_code == 302 and r.location.endswith(f"/live/join/{g['pin']}")
    assert c.get(f"/live/join/{arabic}").status_code == 200  # a link typed by hand
    # The home page's one box takes class codes, quiz codes and game PINs.
    for typed in (g["pin"], arabic):
        r = c.post("/quiz/join", data={"code": typed, "csrf_token": csrf_token(c, "/")})
        assert r.status_code == 302 and r.location.endswith(f"/live/join/{g['pin']}"), typed
    r = c.post("/quiz/join", data={"code": "000000", "csrf_token": csrf_token(c, "/")})
    assert r.status_code == 302 and r.location.endswith("/")  # no game, no quiz: the home page says so


def test_the_home_join_box_without_redis_still_answers(app, make_user) -> None:  # type: ignore[no-untyped-def]
    app.config["LIVE_REDIS_URL"] = "redis://127.0.0.1:1/0"
    c = phone(app)
    r = c.post("/quiz/join", data={"code": "123456", "csrf_token": csrf_token(c, "/")})
    assert r.status_code == 302 and r.location.endswith("/")


def test_the_stream_sends_the_state_then_each_change(app, make_user) -> None:  # type: ignore[no-untyped-def]
    app.config.update(LIVE_SSE="1", LIVE_STREAM_SECONDS=3)
    g = make_game(app, make_user)
    r = g["teacher"].get(f"/live/host/{g['sid']}/stream", buffered=False)
    assert r.status_code == 200 and r.mimetype == "text/event-stream"
    chunks = r.response
    assert next(chunks).startswith(b"retry:")
    first = json.loads(next(chunks).decode()[len("data: ") :])
    assert first["phase"] == "lobby" and first["players"] == 0
    join(g, phone(app), "Ali")
    second = json.loads(next(chunks).decode()[len("data: ") :])
    assert second["players"] == 1 and second["names"] == ["Ali"]
    r.close()


def test_without_redis_the_page_says_what_live_mode_needs(app, make_user) -> None:  # type: ignore[no-untyped-def]
    app.config["LIVE_REDIS_URL"] = "redis://:secret@127.0.0.1:1/0"
    c = phone(app)
    r = c.get("/live/join/123456")
    page = r.get_data(as_text=True)
    assert r.status_code == 503 and "need Redis" in page and "LIVE_REDIS_URL" in page
    assert "secret" not in page  # the address without its password
