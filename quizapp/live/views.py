"""Live class mode's pages. The teacher's projector page (host) and each student's phone (play)
are drawn on the server for the phase they are in; a small script (static/js/live.js) listens to
the session's stream (Server-Sent Events) and reloads the page when the phase changes, updating the
answer count and the names joining in place. Where no stream can be held (sync workers, or
LIVE_SSE=0) the stream answers 204 and the script polls state.json instead; without JavaScript the
pages refresh themselves between questions. Every answer and every transition is decided in Redis
(quizapp.live_state), never by the browser's clock."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from typing import Any

import redis
from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response as WResponse

from .. import access
from .. import attempts as asvc
from .. import live_state as live
from ..domain.live import NICKNAME_MAX
from ..extensions import db
from ..i18n import current_lang, use_number_style
from ..models import Quiz, new_token
from ..ui.qr import qr_svg
from .blueprint import bp
from .forms import NicknameForm, PinForm, SecondsForm

COOKIE = "live_{sid}"
SHAPES = ("▲", "◆", "●", "■", "★", "⬟")


@bp.errorhandler(live.LiveUnavailable)
def unavailable(err: live.LiveUnavailable):  # type: ignore[no-untyped-def]
    """Live mode needs Redis: say so, and where it was looked for."""
    return render_template("live/unavailable.html", url=str(err)), 503


@bp.errorhandler(redis.ConnectionError)
@bp.errorhandler(redis.TimeoutError)
def lost_redis(_err: redis.RedisError):  # type: ignore[no-untyped-def]
    """Redis went away during the game: the same page (the phones' scripts retry by themselves)."""
    return unavailable(live.LiveUnavailable(live.public_url(live.redis_url(current_app.config))))


@bp.errorhandler(live.NotFound)
def gone(_err: live.NotFound):  # type: ignore[no-untyped-def]
    return render_template("live/join.html", form=PinForm(), ended=True), 404


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.is_json


def _content_lang(quiz_languages: list[str] | tuple[str, ...] | None) -> str:
    """The reader's language, unless the quiz allows only others (as the quiz pages choose)."""
    lang = current_lang()
    allowed = [x for x in (quiz_languages or ()) if x in ("ar", "en")]
    return lang if not allowed or lang in allowed else allowed[0]


def _tr(text: dict | None, lang: str) -> str:
    return (text or {}).get(lang, "")


def _sse_allowed() -> bool:
    """Whether this server can hold a stream open without holding up other pages: a threaded server
    (`quizapp run`, gunicorn's gthread workers). LIVE_SSE=0 turns streams off (the pages poll)."""
    setting = str(current_app.config.get("LIVE_SSE", "auto")).lower()
    if setting in ("0", "false", "no", "off"):
        return False
    if setting in ("1", "true", "yes", "on"):
        return True
    return bool(request.environ.get("wsgi.multithread")) or "gunicorn.workers.gthread" in sys.modules


def _stream(sid: str, payload: Any, kinds: tuple[str, ...]) -> Response:
    """A Server-Sent Events stream: the payload now, then again after each message of `kinds`
    (several at once are sent as one), a comment every 15 s; it ends after LIVE_STREAM_SECONDS and
    the browser reconnects (EventSource does it by itself)."""
    if not _sse_allowed():
        return Response(status=204)  # EventSource stops; the page polls state.json
    seconds = float(current_app.config.get("LIVE_STREAM_SECONDS", 55))
    hub = live.hub()

    def events() -> Iterator[str]:
        q = hub.subscribe(sid, kinds)  # here, so that the finally below always lets it go
        try:
            yield "retry: 1000\n\n"
            now = payload()
            yield f"data: {json.dumps(now)}\n\n"
            if now.get("phase") == "ended":
                return  # nothing will change any more: the thread is free
            end = time.monotonic() + seconds
            while (left := end - time.monotonic()) > 0:
                try:
                    raw = q.get(timeout=min(15.0, left))
                except Exception:  # queue.Empty: a comment keeps proxies from closing the line
                    yield ": keep-alive\n\n"
                    continue
                messages = [raw]
                while not q.empty():
                    messages.append(q.get_nowait())
                if None in messages:
                    return  # the listener lost Redis: the browser reconnects
                now = payload()
                yield f"data: {json.dumps(now)}\n\n"
                if now.get("phase") == "ended":
                    return
        finally:
            hub.unsubscribe(sid, q)

    response = Response(stream_with_context(events()), mimetype="text/event-stream")
    response.headers["X-Accel-Buffering"] = "no"  # nginx: pass each event at once
    return response


# -- the teacher: open a session, the projector page, the buttons -------------------------------------


def _quiz_digits(quiz_id: int) -> Quiz:
    """The session's quiz; its pages write numbers in the quiz's digits, as its attempts' pages do."""
    quiz = db.session.get(Quiz, quiz_id)
    use_number_style(asvc.QuizSettings.of(quiz).style)
    return quiz


def _host_state(sid: str) -> live.State:
    """The session, if the user runs it (its teacher, or an admin). :raise 404: :raise 403:"""
    st = live.state(sid)
    if not (current_user.role == "admin" or current_user.id == st.owner_id):
        abort(403)
    return st


@bp.post("/new/<int:quiz_id>")
@login_required
def new(quiz_id: int):  # type: ignore[no-untyped-def]
    """Open a live session of one of the teacher's quizzes (from the quiz's hub)."""
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or quiz.practice:
        abort(404)
    if not access.may_see_code(current_user, quiz):  # its teacher and admins
        abort(403)
    try:
        sid, _pin = live.create(quiz, current_user.id, current_lang())
    except asvc.NoQuestions:
        flash(_("This bank has too few events for a quiz yet."), "warning")
        return redirect(url_for("main.home"))
    return redirect(url_for("live.host", sid=sid))


def _host_payload(sid: str) -> dict[str, Any]:
    st = live.state(sid, tick_first=False)
    out: dict[str, Any] = {
        "v": st.version, "phase": st.phase, "index": st.index, "players": live.player_count(sid),
        "answered": live.answered_count(sid, st.index), "ms_left": st.ms_left,
    }  # fmt: skip
    if st.phase == "lobby":
        out["names"] = live.names(sid)
    return out


@bp.get("/host/<sid>")
@login_required
def host(sid: str):  # type: ignore[no-untyped-def]
    """The projector page: the lobby (PIN, QR code, names), a question, its results, the podium."""
    st = _host_state(sid)
    lang = current_lang()
    quiz = _quiz_digits(st.quiz_id)
    ctx: dict[str, Any] = {"st": st, "quiz": quiz, "sid": sid, "payload": _host_payload(sid)}
    if st.phase == "lobby":
        link = url_for("live.join", pin=st.pin, _external=True)
        form = SecondsForm(seconds=str(st.seconds))
        ctx.update(link=link, qr=qr_svg(link), names=live.names(sid), form=form,
                   join_url=url_for("live.index", _external=True))  # fmt: skip
    elif st.phase in ("question", "paused", "reveal"):
        q = live.questions(sid)[st.index]
        ctx["q"] = _question_view(q, lang)
        ctx["answered"] = live.answered_count(sid, st.index)
        ctx["players"] = live.player_count(sid)
        if st.phase == "reveal":
            ctx["chart"] = _chart(q, live.counts(sid, st.index), lang)
            ctx["board"] = live.leaderboard(sid, 5)
    else:  # ended
        ctx["board"] = live.leaderboard(sid)
    return render_template("live/host.html", **ctx)


ACTIONS = ("next", "skip", "pause", "resume", "end")


@bp.post("/host/<sid>/<action>")
@login_required
def control(sid: str, action: str):  # type: ignore[no-untyped-def]
    """A button of the projector page: start / next question, skip (show the results now), pause,
    resume, end. The form carries the question's index the page showed: a double click or a second
    tab does not skip two questions."""
    if action not in ACTIONS:
        abort(404)
    _host_state(sid)
    if action == "next" and request.form.get("seconds"):
        form = SecondsForm()
        if form.validate():
            live.set_seconds(sid, int(form.seconds.data))
    seen = request.form.get("index", type=int)
    if seen is None:
        abort(400)
    live.act(sid, action, seen)
    return redirect(url_for("live.host", sid=sid))


@bp.get("/host/<sid>/state.json")
@login_required
def host_state(sid: str):  # type: ignore[no-untyped-def]
    """The projector's state, for the page's polling (where no stream can be held)."""
    _host_state(sid)
    return jsonify(_host_payload(sid))


@bp.get("/host/<sid>/stream")
@login_required
def host_stream(sid: str):  # type: ignore[no-untyped-def]
    """The projector's stream: its state at every change and every answer counted."""
    _host_state(sid)
    return _stream(sid, lambda: _host_payload(sid), ("s", "c", "j"))


def _options(q: dict[str, Any], lang: str) -> list[str]:
    """The buttons' texts: a multiple-choice question's options, or True and False."""
    if q["type"] == "truefalse":
        return [_("True"), _("False")]
    return [_tr(o, lang) for o in q["options"]]


def _question_view(q: dict[str, Any], lang: str) -> dict[str, Any]:
    view: dict[str, Any] = {"type": q["type"], "prompt": _tr(q["prompt"], lang), "lang": lang,
                            "choice": q["type"] in live.CHOICE_TYPES}  # fmt: skip
    if view["choice"]:
        right = live.right_choice(q)
        texts = _options(q, lang)
        view["options"] = [{"text": t, "shape": SHAPES[i % len(SHAPES)], "i": i, "right": i == right}
                           for i, t in enumerate(texts)]  # fmt: skip
        view["right"] = texts[right]
    else:
        view["items"] = [_tr(it, lang) for it in q["items"]]
        view["right_items"] = [_tr(q["items"][i], lang) for i in q["answer"]]
    return view


def _chart(q: dict[str, Any], counts: dict[str, int], lang: str) -> list[dict[str, Any]]:
    """The bars of the results: each option (or right / partly / wrong for an ordering), its count,
    its height out of 100 (an SVG attribute: the page has no inline style)."""
    if q["type"] in live.CHOICE_TYPES:
        right = live.right_choice(q)
        bars = [{"label": t, "shape": SHAPES[i % len(SHAPES)], "n": counts.get(str(i), 0),
                 "right": i == right, "i": i} for i, t in enumerate(_options(q, lang))]  # fmt: skip
    else:
        bars = [
            {"label": _("Right order"), "shape": "✓", "n": counts.get("right", 0), "right": True, "i": 0},
            {"label": _("Partly right"), "shape": "≈", "n": counts.get("part", 0), "right": False, "i": 1},
            {"label": _("Wrong order"), "shape": "✗", "n": counts.get("wrong", 0), "right": False, "i": 2},
        ]
    top = max([b["n"] for b in bars] + [1])
    for b in bars:
        b["h"] = round(100 * b["n"] / top)
    return bars


# -- the students: join, play ------------------------------------------------------------------------


@bp.route("/", methods=["GET", "POST"])
def index():  # type: ignore[no-untyped-def]
    """Type the PIN shown on the projector."""
    form = PinForm()
    if form.validate_on_submit():
        pin = live.normal_pin(form.pin.data) or ""
        if live.sid_of_pin(pin) is None:
            form.pin.errors.append(_("No live quiz has this PIN. Check the screen."))
        else:
            return redirect(url_for("live.join", pin=pin))
    status = 422 if form.is_submitted() else 200
    return render_template("live/join.html", form=form), status


def _cookie_player(sid: str) -> live.Player | None:
    pl = live.player(sid, request.cookies.get(COOKIE.format(sid=sid)))
    if pl is None and current_user.is_authenticated:
        pl = live.player_of_user(sid, current_user.id)  # the student's account, on another device
    return pl


def _set_cookie(response: WResponse, sid: str, token: str) -> WResponse:
    response.set_cookie(
        COOKIE.format(sid=sid), token, max_age=live.TTL, path="/live", httponly=True, samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )  # fmt: skip
    return response


@bp.route("/join/<pin>", methods=["GET", "POST"])
def join(pin: str):  # type: ignore[no-untyped-def]
    """Join a session: with the account one is logged in with, or a nickname. A phone that has
    joined already (its cookie) goes back to the game where it stands."""
    sid = live.sid_of_pin(pin)
    if sid is None:
        abort(404)
    st = live.state(sid)
    pl = _cookie_player(sid)
    if pl is not None:
        return _set_cookie(redirect(url_for("live.play", sid=sid)), sid, pl.token)
    if st.phase == "ended":
        raise live.NotFound(sid)
    quiz = _quiz_digits(st.quiz_id)
    lang = _content_lang(asvc.QuizSettings.of(quiz).languages)
    form = NicknameForm()
    try:
        if request.method == "POST" and current_user.is_authenticated and request.form.get("as") == "account":
            pl = _join_account(sid, current_user.display_name, lang)  # CSRF checked by CSRFProtect
            return _set_cookie(redirect(url_for("live.play", sid=sid)), sid, pl.token)
        if form.validate_on_submit():
            name = " ".join(form.nickname.data.split())
            guest = session.setdefault("guest", new_token(16))  # the visitor's results page
            user_id = current_user.id if current_user.is_authenticated else None
            pl = live.join(sid, name, lang, user_id, None if user_id else guest)
            return _set_cookie(redirect(url_for("live.play", sid=sid)), sid, pl.token)
    except live.NicknameTaken:
        form.nickname.errors.append(_("This nickname is taken in this game. Choose another."))
    except asvc.NoQuestions:
        abort(404)
    status = 422 if request.method == "POST" else 200
    return render_template("live/nickname.html", form=form, pin=pin, quiz=quiz, max=NICKNAME_MAX), status


def _join_account(sid: str, name: str, lang: str) -> live.Player:
    """Join as the logged-in account: its display name, or with its username if a player has it."""
    try:
        return live.join(sid, name, lang, current_user.id, None)
    except live.NicknameTaken:
        return live.join(sid, f"{name} ({current_user.username})", lang, current_user.id, None)


def _my_player(sid: str) -> live.Player:
    """The phone's player. :raise 404: for a device that never joined (it goes to the PIN page)."""
    pl = _cookie_player(sid)
    if pl is None:
        abort(404)
    return pl


class _Keyed:
    """What attempts.option_token reads of an attempt: its secret (kept with the player in Redis,
    so that a tap reads no database row before it is timed)."""

    def __init__(self, secret: str) -> None:
        self.secret = secret


def _tokens(pl: live.Player, position: int, count: int) -> list[str]:
    """The opaque tokens of a question's options, as the player's attempt makes them."""
    keyed = _Keyed(pl.secret)
    return [asvc.option_token(keyed, position, i) for i in range(count)]  # type: ignore[arg-type]


def _play_view(sid: str, pl: live.Player, st: live.State) -> dict[str, Any]:
    """What the phone shows now, in the phone's language."""
    lang = _content_lang(pl.languages)
    view: dict[str, Any] = {"phase": st.phase, "index": st.index, "total": st.total, "v": st.version,
                            "ms_left": st.ms_left, "lang": lang, "name": pl.name}  # fmt: skip
    mine = live.my_answer(sid, pl.token, st.index)
    view["answered"] = mine is not None
    if st.phase in ("question", "paused") and mine is None:
        q = live.questions(sid)[st.index]
        view["type"] = q["type"]
        view["choice"] = q["type"] in live.CHOICE_TYPES
        view["prompt"] = _tr(q["prompt"], lang)
        if view["choice"]:
            texts = _options(q, lang)
            tokens = _tokens(pl, q["position"], live.button_count(q))
            pairs = enumerate(zip(tokens, texts, strict=True))
            view["options"] = [{"token": t, "text": text, "shape": SHAPES[i % len(SHAPES)], "i": i}
                               for i, (t, text) in pairs]  # fmt: skip
        else:
            tokens = _tokens(pl, q["position"], len(q["items"]))
            pairs2 = zip(tokens, q["items"], strict=True)
            view["items"] = [{"token": t, "text": _tr(it, lang)} for t, it in pairs2]
    if st.phase in {"reveal", "ended"}:
        view["rank"], view["points_total"], view["players"] = live.rank_of(sid, pl.token)
    if st.phase == "reveal":
        q = live.questions(sid)[st.index]
        view["result"] = mine
        view["type"] = q["type"]
        view["choice"] = q["type"] in live.CHOICE_TYPES
        view["right"] = (_options(q, lang)[live.right_choice(q)] if view["choice"]
                         else [_tr(q["items"][i], lang) for i in q["answer"]])  # fmt: skip
    return view


@bp.get("/play/<sid>")
def play(sid: str):  # type: ignore[no-untyped-def]
    """The phone: waiting, the question's buttons, its result (right or wrong, points, rank), the
    end."""
    pl = _my_player(sid)
    st = live.state(sid)
    live.set_lang(sid, pl, current_lang())
    if st.phase == "ended":
        live.finish_one(pl)
    _quiz_digits(st.quiz_id)
    view = _play_view(sid, pl, st)
    response = make_response(render_template("live/play.html", sid=sid, view=view, attempt=pl))
    return _set_cookie(response, sid, pl.token)  # a rejoin keeps it for another 12 hours


@bp.get("/play/<sid>/state.json")
def play_state(sid: str):  # type: ignore[no-untyped-def]
    """The phone's state, for its polling and for scripts (the bench): with the question's option
    tokens while it is open and unanswered, and the CSRF token to answer with."""
    pl = _my_player(sid)
    st = live.state(sid)
    view = _play_view(sid, pl, st)
    view["csrf"] = generate_csrf()
    return jsonify(view)


@bp.get("/play/<sid>/stream")
def play_stream(sid: str):  # type: ignore[no-untyped-def]
    """The phone's stream: the version at each change of phase (answers counted are not sent)."""
    _my_player(sid)

    def payload() -> dict[str, Any]:
        st = live.state(sid, tick_first=False)
        return {"v": st.version, "phase": st.phase, "ms_left": st.ms_left}

    return _stream(sid, payload, ("s",))


def _read_answer(pl: live.Player, q: dict[str, Any]) -> Any:
    """The answer the form carries, as the attempt stores it: an option's index, True or False, or
    the items' indices in order. :raise 400: for a stray token."""
    if q["type"] in live.CHOICE_TYPES:
        tokens = _tokens(pl, q["position"], live.button_count(q))
        choice = request.form.get("choice", "")
        if choice not in tokens:
            abort(400)
        return live.choice_answer(q, tokens.index(choice))
    tokens = _tokens(pl, q["position"], len(q["items"]))
    try:
        ranks = [int(request.form[f"rank_{t}"]) for t in tokens]
    except (KeyError, ValueError):
        abort(400)
    if sorted(ranks) != list(range(1, len(tokens) + 1)):
        abort(400)  # the page's script keeps ranks distinct; the position menus say it otherwise
    return [i for _r, i in sorted(zip(ranks, range(len(tokens)), strict=True))]


@bp.post("/play/<sid>/answer")
def answer(sid: str):  # type: ignore[no-untyped-def]
    """A phone's answer to the question it showed (the form says which): taken only while that
    question is open, by Redis's clock."""
    pl = _my_player(sid)
    index = request.form.get("index", type=int)
    qs = live.questions(sid)
    if index is None or not 0 <= index < len(qs):
        abort(400)
    value = _read_answer(pl, qs[index])
    try:
        got = live.answer(sid, pl, index, value)
    except live.Refused as refused:
        if _wants_json():
            return jsonify({"status": refused.why}), 409
        if refused.why == "late":
            flash(_("Time was up: your answer came too late."), "warning")
        else:
            flash(_("This question is closed."), "warning")
        return redirect(url_for("live.play", sid=sid))
    if _wants_json():
        return jsonify({"status": "again" if got.again else "ok", "n": got.n})
    return redirect(url_for("live.play", sid=sid))
