"""Live class mode's state, in Redis: shared by every worker and machine, never in one process.

A session (a teacher's quiz played live) is a few Redis keys under `live:<sid>`:

- `live:<sid>` (hash): quiz, owner, PIN, seed, the teacher's language, the phase (lobby, question,
  paused, reveal, ended), the question's index, its opening and its deadline in Redis's own clock
  (milliseconds), and a `version` bumped at every change of phase;
- `live:<sid>:players` (hash, player token -> JSON: name, attempt, language), `:names` (folded
  nickname -> token: one device per nickname), `:users` (account id -> token), `:score` (sorted set);
- `live:<sid>:q<i>` (hash, token -> JSON of the answer: choice, score, elapsed ms, points) and
  `live:<sid>:q<i>:n` (hash, choice -> count) per question;
- `live:pin:<pin>` -> sid, the code students type.

Every change of phase and every answer is published on the channel `live:ev:<sid>`; the pages'
streams (Server-Sent Events) and polls read the state again from Redis. Timing is Redis's: the
scripts below read `TIME`, so an answer after the deadline is refused whatever the phone's clock
says, and workers on several machines agree. Time-up is a transition anyone may make once the
deadline has passed (`tick`): the streams' listener in each process, and every poll, call it; the
script makes only one of them win.

Each player's answers are also stored as a normal attempt (quizapp.attempts: the same questions
from the session's seed), so reports and mastery count them.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

import redis
from flask import current_app
from sqlalchemy import select

from . import attempts as svc
from .banks import to_domain
from .domain.dates import to_western_digits
from .domain.generate import Settings, generate_quiz
from .domain.live import MAX_POINTS, fold, ranking
from .domain.scoring import score as score_question
from .extensions import db
from .models import Attempt, AttemptQuestion, Quiz

TTL = 12 * 3600  # seconds a session's keys live after their last change
SECONDS_CHOICES = (10, 20, 30, 45, 60, 90, 120)
DEFAULT_SECONDS = 20
ORDERING_FACTOR = 2  # an ordering question gets twice the time of a multiple-choice one
#: The types played with buttons: multiple choice, and true or false (two buttons, as Kahoot's).
CHOICE_TYPES = ("mcq", "truefalse")
LIVE_TYPES = (*CHOICE_TYPES, "ordering")


class LiveUnavailable(Exception):
    """No Redis at the configured address: live mode cannot run."""


class NotFound(Exception):
    """No such session (or it expired)."""


class NicknameTaken(Exception):
    """Another device plays under this nickname in the session."""


# -- Redis ------------------------------------------------------------------------------------------

_clients: dict[tuple[int, str], redis.Redis] = {}
_clients_lock = threading.Lock()


def redis_url(config: Any) -> str:
    """LIVE_REDIS_URL, else the rate limits' store when it is Redis, else Redis on this machine."""
    url = config.get("LIVE_REDIS_URL")
    if url:
        return str(url)
    limits = str(config.get("RATELIMIT_STORAGE_URI", ""))
    if limits.startswith(("redis://", "rediss://")):
        return limits
    return "redis://127.0.0.1:6379/0"


def client() -> redis.Redis:
    """This process's Redis client (made after a fork, never shared across one), checked once.

    Its pool blocks a thread for a free connection (up to 10 s) rather than failing, and holds up to
    LIVE_REDIS_CONNECTIONS (default 500): a stream takes one only while it reads the state.
    :raise LiveUnavailable: when Redis does not answer.
    """
    url = redis_url(current_app.config)
    key = (os.getpid(), url)
    r = _clients.get(key)
    if r is not None:
        return r
    with _clients_lock:
        r = _clients.get(key)
        if r is not None:
            return r
        pool = redis.BlockingConnectionPool.from_url(
            url, decode_responses=True, socket_connect_timeout=1, socket_timeout=10, health_check_interval=30,
            max_connections=int(current_app.config.get("LIVE_REDIS_CONNECTIONS", 500)), timeout=10,
        )  # fmt: skip
        r = redis.Redis(connection_pool=pool)
        try:
            r.ping()
        except redis.RedisError as err:
            pool.disconnect()
            raise LiveUnavailable(public_url(url)) from err
        _clients[key] = r
        return r


def public_url(url: str) -> str:
    """The address without its credentials (the page that says Redis is down is public)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{':' + str(parts.port) if parts.port else ''}{parts.path}"


def available() -> str | None:
    """None when live mode can run; otherwise the Redis address that did not answer."""
    try:
        client()
    except LiveUnavailable as err:
        return str(err)
    return None


def _k(sid: str, suffix: str = "") -> str:
    return f"live:{sid}{suffix}"


def channel(sid: str) -> str:
    return f"live:ev:{sid}"


# The scripts read Redis's clock (TIME): one clock for every worker and machine.
_NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"

#: Accept an answer if the question is open and its time not up; once per player. Points as
#: quizapp.domain.live.points. KEYS: state, answers, counts, players, score.
#: ARGV: token, index, choice, score (0..1), max points, TTL, channel. Publishes the count (or the
#: results, when everyone has answered). Returns {status, elapsed, n, points}.
ANSWER = (
    _NOW
    + """
local s = redis.call('HMGET', KEYS[1], 'phase', 'index', 'q_start', 'deadline')
if s[1] ~= 'question' or tonumber(s[2]) ~= tonumber(ARGV[2]) then return {'closed', 0, 0, 0} end
if now > tonumber(s[4]) then return {'late', 0, 0, 0} end
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old then local a = cjson.decode(old) return {'again', a.e, redis.call('HLEN', KEYS[2]), a.p} end
local limit = tonumber(s[4]) - tonumber(s[3])
local elapsed = math.max(0, math.min(now - tonumber(s[3]), limit))
local score = tonumber(ARGV[4])
local pts = 0
if score > 0 and limit > 0 then
  pts = math.floor(tonumber(ARGV[5]) * math.min(score, 1) * (1 - elapsed / limit / 2) + 0.5)
end
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode({c = ARGV[3], s = score, e = elapsed, p = pts}))
redis.call('HINCRBY', KEYS[3], ARGV[3], 1)
redis.call('ZINCRBY', KEYS[5], pts, ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[6])
redis.call('EXPIRE', KEYS[3], ARGV[6])
local n = redis.call('HLEN', KEYS[2])
if n >= redis.call('HLEN', KEYS[4]) then
  redis.call('HSET', KEYS[1], 'phase', 'reveal')
  redis.call('HINCRBY', KEYS[1], 'version', 1)
  redis.call('PUBLISH', ARGV[7], cjson.encode({k = 's', n = n, i = tonumber(ARGV[2])}))
  return {'all', elapsed, n, pts}
end
redis.call('PUBLISH', ARGV[7], cjson.encode({k = 'c', n = n, i = tonumber(ARGV[2])}))
return {'ok', elapsed, n, pts}
"""
)

#: Time up: the question becomes its results, once. KEYS: state. Returns 1 when this call did it.
TICK = (
    _NOW
    + """
local s = redis.call('HMGET', KEYS[1], 'phase', 'deadline')
if s[1] ~= 'question' or now <= tonumber(s[2]) then return 0 end
redis.call('HSET', KEYS[1], 'phase', 'reveal')
redis.call('HINCRBY', KEYS[1], 'version', 1)
return 1
"""
)

#: The teacher's buttons. KEYS: state. ARGV: action, the index the page showed, the next question's
#: time limit (ms). A click made on a page already out of date (a double click, two tabs) does
#: nothing. Returns the phase after it, or '' when nothing changed.
ACTION = (
    _NOW
    + """
local s = redis.call('HMGET', KEYS[1], 'phase', 'index', 'total', 'deadline', 'left', 'paused_at', 'q_start')
local phase, index, total = s[1], tonumber(s[2]), tonumber(s[3])
local act, seen = ARGV[1], tonumber(ARGV[2])
if not phase then return '' end
if act == 'end' then
  if phase == 'ended' then return '' end
  redis.call('HSET', KEYS[1], 'phase', 'ended')
elseif act == 'next' then
  if seen ~= index or not (phase == 'lobby' or phase == 'reveal') then return '' end
  if index + 1 >= total then
    redis.call('HSET', KEYS[1], 'phase', 'ended')
  else
    redis.call('HSET', KEYS[1], 'phase', 'question', 'index', index + 1, 'q_start', now,
               'deadline', now + tonumber(ARGV[3]))
  end
elseif act == 'skip' then
  if seen ~= index or not (phase == 'question' or phase == 'paused') then return '' end
  redis.call('HSET', KEYS[1], 'phase', 'reveal', 'deadline', math.min(now, tonumber(s[4])))
elseif act == 'pause' then
  if seen ~= index or phase ~= 'question' or now > tonumber(s[4]) then return '' end
  redis.call('HSET', KEYS[1], 'phase', 'paused', 'left', tonumber(s[4]) - now, 'paused_at', now)
elseif act == 'resume' then
  if seen ~= index or phase ~= 'paused' then return '' end
  local gone = now - tonumber(s[6])
  redis.call('HSET', KEYS[1], 'phase', 'question', 'deadline', now + tonumber(s[5]),
             'q_start', tonumber(s[7]) + gone)
else
  return ''
end
redis.call('HINCRBY', KEYS[1], 'version', 1)
return redis.call('HGET', KEYS[1], 'phase')
"""
)


def _script(r: redis.Redis, source: str) -> Any:
    return r.register_script(source)


# -- sessions ---------------------------------------------------------------------------------------


def _new_pin(r: redis.Redis, sid: str) -> str:
    for _ in range(50):
        pin = f"{secrets.randbelow(900000) + 100000}"
        if r.set(f"live:pin:{pin}", sid, nx=True, ex=TTL):
            return pin
    raise RuntimeError("no free PIN")


def create(quiz: Quiz, owner_id: int, lang: str) -> tuple[str, str]:
    """A new session of the quiz in its lobby: (sid, PIN). Its questions are drawn now from a fresh
    seed; each player's attempt draws the same ones from that seed.

    :raise attempts.NoQuestions: when the bank gives none. :raise LiveUnavailable:
    """
    r = client()
    settings = svc.QuizSettings.of(quiz)
    seed = secrets.token_hex(8)
    generated = generate_quiz(
        to_domain(quiz.bank), seed, Settings(count=settings.count, kinds=settings.kinds, style=settings.style)
    )
    # Played live: multiple choice, true or false (large buttons) and ordering (its widget). Each keeps its
    # position in the attempts, where the other kinds of a hand-written question stay unanswered.
    questions = [
        {**q.to_dict(), "position": i} for i, q in enumerate(generated.questions) if q.type in LIVE_TYPES
    ]
    if not questions:
        raise svc.NoQuestions(quiz.id)
    sid = secrets.token_urlsafe(9)
    pin = _new_pin(r, sid)
    with r.pipeline() as p:
        p.hset(
            _k(sid),
            mapping={
                "quiz_id": quiz.id, "owner_id": owner_id, "pin": pin, "seed": seed, "lang": lang,
                "phase": "lobby", "index": -1, "total": len(questions), "seconds": DEFAULT_SECONDS,
                "q_start": 0, "deadline": 0, "version": 1,
                "method": settings.ordering_method,
            },
        )  # fmt: skip
        p.set(_k(sid, ":questions"), json.dumps(questions, ensure_ascii=False))
        p.expire(_k(sid), TTL)
        p.expire(_k(sid, ":questions"), TTL)
        p.execute()
    return sid, pin


def normal_pin(text: str) -> str | None:
    """A PIN as stored ("634425"), from what a student typed: Arabic-Indic or Persian digits, spaces
    around or between the digits; None when it is not six digits."""
    pin = "".join(to_western_digits(text).split())
    return pin if len(pin) == 6 and pin.isascii() and pin.isdigit() else None


def sid_of_pin(pin: str) -> str | None:
    """The session a PIN opens (typed with any digits), or None."""
    found = normal_pin(pin)
    return None if found is None else client().get(f"live:pin:{found}")


@dataclass
class State:
    """A session's state as read from Redis at one moment."""

    sid: str
    quiz_id: int
    owner_id: int
    pin: str
    seed: str
    lang: str
    phase: str
    index: int
    total: int
    seconds: int
    version: int
    method: str
    q_start: int
    deadline: int
    left: int  # ms left of a paused question
    now: int  # Redis's clock when read, ms

    @property
    def ms_left(self) -> int:
        """The question's time left (ms): frozen while paused, 0 once up."""
        if self.phase == "paused":
            return self.left
        if self.phase == "question":
            return max(0, self.deadline - self.now)
        return 0


def state(sid: str, tick_first: bool = True) -> State:
    """The session's state (after a time-up due is made). :raise NotFound:"""
    r = client()
    if tick_first:
        tick(sid)
    with r.pipeline(transaction=False) as p:
        p.hgetall(_k(sid))
        p.time()
        raw, (secs, micros) = p.execute()
    if not raw:
        raise NotFound(sid)
    return State(
        sid=sid, quiz_id=int(raw["quiz_id"]), owner_id=int(raw["owner_id"]), pin=raw["pin"],
        seed=raw["seed"], lang=raw["lang"], phase=raw["phase"], index=int(raw["index"]),
        total=int(raw["total"]), seconds=int(raw["seconds"]), version=int(raw["version"]),
        method=raw.get("method", "pairs"), q_start=int(raw.get("q_start", 0)),
        deadline=int(raw.get("deadline", 0)), left=int(raw.get("left", 0)),
        now=secs * 1000 + micros // 1000,
    )  # fmt: skip


_questions: dict[str, list[dict[str, Any]]] = {}


def questions(sid: str) -> list[dict[str, Any]]:
    """The session's questions (snapshots, both languages). They never change once the session is
    made, so each process keeps the last sessions' (a copy of what Redis holds, not state)."""
    found = _questions.get(sid)
    if found is not None:
        return found
    raw = client().get(_k(sid, ":questions"))
    if raw is None:
        raise NotFound(sid)
    found = json.loads(raw)
    if len(_questions) >= 64:
        _questions.pop(next(iter(_questions)))
    _questions[sid] = found
    return found


def publish(sid: str, kind: str, **data: Any) -> None:
    """Tell every stream of the session: "s" (the phase changed), "c" (an answer counted), "j" (a
    player joined)."""
    client().publish(channel(sid), json.dumps({"k": kind, **data}))


def tick(sid: str) -> bool:
    """Make a due time-up (the question's results); True when this call made it."""
    r = client()
    done = bool(_script(r, TICK)(keys=[_k(sid)]))
    if done:
        publish(sid, "s")
    return done


def limit_ms(st: State, question: dict[str, Any]) -> int:
    """A question's time: the session's seconds, twice for an ordering."""
    factor = ORDERING_FACTOR if question.get("type") == "ordering" else 1
    return st.seconds * 1000 * factor


def act(sid: str, action: str, seen_index: int) -> str:
    """A teacher's button (next, skip, pause, resume, end), on the index the page showed; returns
    the new phase, or '' when nothing changed (an out-of-date page). Ending finishes the attempts."""
    r = client()
    st = state(sid)
    qs = questions(sid)
    nxt = qs[st.index + 1] if 0 <= st.index + 1 < len(qs) else {}
    phase = _script(r, ACTION)(keys=[_k(sid)], args=[action, seen_index, limit_ms(st, nxt)])
    if phase:
        _touch(r, sid)
        publish(sid, "s")
    if phase == "ended":
        finish_all(sid)
    return phase or ""


def set_seconds(sid: str, seconds: int) -> None:
    """The time per question (before the first question)."""
    if seconds in SECONDS_CHOICES:
        client().hset(_k(sid), "seconds", seconds)


def _touch(r: redis.Redis, sid: str) -> None:
    with r.pipeline(transaction=False) as p:
        for suffix in ("", ":questions", ":players", ":names", ":users", ":score"):
            p.expire(_k(sid, suffix), TTL)
        p.execute()


# -- players ----------------------------------------------------------------------------------------


@dataclass
class Player:
    """A player of a session, as stored."""

    token: str
    name: str
    attempt_id: int
    public_id: str
    user_id: int | None
    lang: str
    secret: str = ""  # the attempt's, for its option tokens (no database read per tap)
    languages: tuple[str, ...] = ()  # the quiz's languages
    method: str = "pairs"  # its ordering method


def player(sid: str, token: str | None) -> Player | None:
    """The player a device's token stands for, or None."""
    if not token:
        return None
    raw = client().hget(_k(sid, ":players"), token)
    if raw is None:
        return None
    d = json.loads(raw)
    d["languages"] = tuple(d.get("languages") or ())
    return Player(token=token, **d)


def player_of_user(sid: str, user_id: int) -> Player | None:
    """An account's player in the session (on any device), or None."""
    return player(sid, client().hget(_k(sid, ":users"), str(user_id)))


def join(sid: str, nickname: str, lang: str, user_id: int | None, guest_token: str | None) -> Player:
    """A new player: the nickname claimed (once per session, whatever its case or vowels), then an
    attempt at the session's questions in `lang`.

    :raise NicknameTaken: when another device holds the nickname. :raise NotFound:
    """
    r = client()
    st = state(sid, tick_first=False)
    if st.phase == "ended":
        raise NotFound(sid)
    token = secrets.token_urlsafe(18)
    folded = fold(nickname)
    if not r.hsetnx(_k(sid, ":names"), folded, token):
        raise NicknameTaken(nickname)
    try:
        quiz = db.session.get(Quiz, st.quiz_id)
        if quiz is None:
            raise NotFound(sid)
        live = {"session": sid, "seed": st.seed, "nickname": nickname}
        attempt = svc.start_attempt(quiz, lang, user_id=user_id, guest_token=guest_token, live=live)
        keys = [q.key for q in attempt.questions]
        if any(keys[q["position"]] != q["key"] for q in questions(sid)):  # the bank changed since
            raise NotFound(sid)
    except Exception:
        r.hdel(_k(sid, ":names"), folded)
        raise
    record = {"name": nickname, "attempt_id": attempt.id, "public_id": attempt.public_id,
              "user_id": user_id, "lang": lang, "secret": attempt.secret,
              "languages": list(attempt.settings.get("languages") or ()),
              "method": attempt.settings.get("ordering_method", "pairs")}  # fmt: skip
    with r.pipeline() as p:
        p.hset(_k(sid, ":players"), token, json.dumps(record, ensure_ascii=False))
        if user_id is not None:
            p.hset(_k(sid, ":users"), str(user_id), token)
        p.zadd(_k(sid, ":score"), {token: 0})
        p.execute()
    _touch(r, sid)
    publish(sid, "j")
    return player(sid, token)  # type: ignore[return-value]


def set_lang(sid: str, pl: Player, lang: str) -> None:
    """Remember the phone's language (the page follows the reader's; the attempt keeps its own)."""
    if pl.lang != lang:
        record = {k: v for k, v in vars(pl).items() if k != "token"}
        record.update(lang=lang, languages=list(pl.languages))
        client().hset(_k(sid, ":players"), pl.token, json.dumps(record, ensure_ascii=False))


def names(sid: str) -> list[str]:
    """The players' nicknames, in the order they joined."""
    rows = [json.loads(v) for v in client().hvals(_k(sid, ":players"))]
    return [row["name"] for row in sorted(rows, key=lambda row: row["attempt_id"])]


def player_count(sid: str) -> int:
    return int(client().hlen(_k(sid, ":players")))


def answered_count(sid: str, index: int) -> int:
    return int(client().hlen(_k(sid, f":q{index}"))) if index >= 0 else 0


# -- answers ----------------------------------------------------------------------------------------


class Refused(Exception):
    """An answer the session does not take: "closed" (not this question now, or paused) or "late"."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


@dataclass
class Accepted:
    """An answer taken: the nth of its question, its points, and whether it was there already."""

    n: int
    points: int
    again: bool


def _button_of(question: dict[str, Any], answer: Any) -> int:
    """The button an answer is: a multiple-choice option's index, or True (0) / False (1)."""
    if question["type"] == "truefalse":
        return 0 if answer else 1
    return int(answer)


def button_count(question: dict[str, Any]) -> int:
    """How many buttons a question played with buttons has."""
    return 2 if question["type"] == "truefalse" else len(question["options"])


def right_choice(question: dict[str, Any]) -> int:
    """The right button."""
    return _button_of(question, question["answer"])


def choice_answer(question: dict[str, Any], button: int) -> Any:
    """The answer a button stands for, as the attempt stores it: the option, or True / False."""
    return button == 0 if question["type"] == "truefalse" else button


def choice_key(question: dict[str, Any], answer: Any, score: float) -> str:
    """What the bar chart counts: the button's index, or right / part / wrong for an ordering."""
    if question["type"] in CHOICE_TYPES:
        return str(_button_of(question, answer))
    return "right" if score >= 1 else ("part" if score > 0 else "wrong")


def answer(sid: str, pl: Player, index: int, value: Any) -> Accepted:
    """Take a player's answer to question `index`: timed by Redis, then stored in the player's
    attempt as a normal response (a retry stores nothing twice).

    :raise Refused: when the question is not open to answers (another question, paused, time up).
    """
    r = client()
    qs = questions(sid)
    if not 0 <= index < len(qs):
        raise Refused("closed")
    q = qs[index]
    mark = float(score_question(q, value, pl.method))
    keys = [_k(sid), _k(sid, f":q{index}"), _k(sid, f":q{index}:n"), _k(sid, ":players"), _k(sid, ":score")]
    status, _elapsed, n, pts = _script(r, ANSWER)(
        keys=keys, args=[pl.token, index, choice_key(q, value, mark), mark, MAX_POINTS, TTL, channel(sid)]
    )
    if status in ("closed", "late"):
        raise Refused(status)
    _store(pl, q["position"], value)
    return Accepted(n=int(n), points=int(pts), again=status == "again")


def _store(pl: Player, position: int, value: Any) -> None:
    """The answer in the player's attempt. A retry (the session had it) stores it if the first
    request died before the database did; record_answer keeps the first answer stored."""
    row = db.session.execute(
        select(Attempt, AttemptQuestion)
        .join(AttemptQuestion, AttemptQuestion.attempt_id == Attempt.id)
        .where(Attempt.id == pl.attempt_id, AttemptQuestion.position == position)
    ).first()
    if row is None:
        return
    attempt, q = row
    with contextlib.suppress(svc.AttemptClosed):
        svc.record_answer(attempt, q, value)


def my_answer(sid: str, token: str, index: int) -> dict[str, Any] | None:
    """A player's answer to question `index` as the session took it ({c, s, e, p}), or None."""
    if index < 0:
        return None
    raw = client().hget(_k(sid, f":q{index}"), token)
    return json.loads(raw) if raw else None


def counts(sid: str, index: int) -> dict[str, int]:
    """How many chose each option (or right / part / wrong)."""
    return {k: int(v) for k, v in client().hgetall(_k(sid, f":q{index}:n")).items()}


def leaderboard(sid: str, limit: int | None = None) -> list[tuple[int, str, float]]:
    """(rank, nickname, points), best first."""
    r = client()
    scores = r.zrevrange(_k(sid, ":score"), 0, -1, withscores=True)
    players = r.hgetall(_k(sid, ":players"))
    rows = [(json.loads(players[t])["name"], pts) for t, pts in scores if t in players]
    ranked = ranking(rows)
    return ranked[:limit] if limit else ranked


def rank_of(sid: str, token: str) -> tuple[int, int, int]:
    """(rank, points, players) of one player; equal points share a rank."""
    r = client()
    pts = r.zscore(_k(sid, ":score"), token) or 0
    better = r.zcount(_k(sid, ":score"), f"({pts}", "+inf")
    return int(better) + 1, int(pts), int(r.zcard(_k(sid, ":score")))


def finish_all(sid: str) -> int:
    """Finish every player's attempt (the session ended): unanswered questions score 0."""
    ids = [json.loads(v)["attempt_id"] for v in client().hvals(_k(sid, ":players"))]
    done = 0
    for attempt in db.session.scalars(select(Attempt).where(Attempt.id.in_(ids))):
        if not attempt.finished:
            svc.finish_attempt(attempt)
            done += 1
    return done


def finish_one(pl: Player) -> None:
    """Finish a player's attempt, if the session's end has not yet."""
    attempt = db.session.get(Attempt, pl.attempt_id)
    if attempt is not None and not attempt.finished:
        svc.finish_attempt(attempt)


# -- the streams' listener (one per process) ---------------------------------------------------------


class Hub:
    """One Redis subscription per process, fanned out to the process's open streams (each a queue),
    and the ticker that makes a due time-up for the sessions those streams watch. What it holds is
    only who listens here; the state stays in Redis."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.lock = threading.Lock()
        self.queues: dict[str, dict[queue.Queue, frozenset[str]]] = {}
        self.thread: threading.Thread | None = None
        self.pid = 0

    def subscribe(self, sid: str, kinds: tuple[str, ...]) -> queue.Queue:
        """A queue that gets the session's messages of `kinds` ("s", "c", "j"; None when Redis is
        lost). A phone's stream asks for changes of phase only: an answer counted wakes the
        projector's streams, not the class's."""
        q: queue.Queue = queue.Queue()
        with self.lock:
            self.queues.setdefault(sid, {})[q] = frozenset(kinds)
            if self.thread is None or not self.thread.is_alive() or self.pid != os.getpid():
                self.pid = os.getpid()
                self.thread = threading.Thread(target=self._run, name="live-hub", daemon=True)
                self.thread.start()
        return q

    def unsubscribe(self, sid: str, q: queue.Queue) -> None:
        with self.lock:
            listeners = self.queues.get(sid)
            if listeners is not None:
                listeners.pop(q, None)
                if not listeners:
                    del self.queues[sid]

    def _send(self, sid: str, message: str | None) -> None:
        kind = json.loads(message).get("k") if message else None
        with self.lock:
            listeners = [q for q, kinds in self.queues.get(sid, {}).items() if kind is None or kind in kinds]
        for q in listeners:
            q.put(message)

    def _run(self) -> None:
        r = redis.Redis.from_url(self.url, decode_responses=True, socket_connect_timeout=1)
        ticker = _script(r, TICK)
        while True:
            try:
                pubsub = r.pubsub(ignore_subscribe_messages=True)
                pubsub.psubscribe("live:ev:*")
                last_tick = 0.0
                while True:
                    msg = pubsub.get_message(timeout=0.1)
                    if msg and msg.get("type") == "pmessage":
                        self._send(msg["channel"].rsplit(":", 1)[1], msg["data"])
                    now = time.monotonic()
                    if now - last_tick >= 0.2:
                        last_tick = now
                        with self.lock:
                            watched = list(self.queues)
                        for sid in watched:
                            if ticker(keys=[_k(sid)]):
                                r.publish(channel(sid), json.dumps({"k": "s"}))
            except redis.RedisError:
                with self.lock:
                    watched = list(self.queues)
                for sid in watched:
                    self._send(sid, None)  # the streams end; the browsers reconnect or poll
                time.sleep(1)


_hubs: dict[str, Hub] = {}


def hub() -> Hub:
    """This process's listener for the configured Redis."""
    url = redis_url(current_app.config)
    found = _hubs.get(url)
    if found is None:
        found = _hubs.setdefault(url, Hub(url))
    return found
