"""Suggested titles and candidate actors and places for a proposed event.

Heuristics only: the teacher reviews every proposal. Names the bank already holds come first,
because they are right by construction; the guesses follow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .common import alternation, wordlist, wordset
from .sentences import Span, split_clauses

TITLE_WORDS = 8

_STOP = {
    "en": wordset(
        "in on by at during since until till from to of after before around circa the a an and then"
        " when while as that which who early late mid"
    ),
    "ar": wordset(
        "في وفي ففي خلال وخلال بحلول وبحلول منذ ومنذ حتى بعد وبعد قبل وقبل مع ومع عام سنة العام السنة"
        " إلى الى من و ثم حيث الذي التي عندما أثناء"
    ),
}
_EN_NOT_NAMES = wordset(
    """The A An In On At By During Since Until From To Of After Before When While As It He She They
    His Her Its Their This That These Those There Then But And Or However Although Later Earlier
    Following Next Meanwhile January February March April May June July August September October
    November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday AD BC AH CE"""
)
_EN_NAME = re.compile(
    r"[A-Z][\w'’\-]+(?:\s+(?:(?:of|de|del|al|bin|ibn|von|van|the)\s+)?[A-Z][\w'’\-]+)*", re.UNICODE
)
_EN_PLACE_LEAD = re.compile(r"(?:\b(?:in|at|to|from|into|near|across|toward|towards|of)\s+(?:the\s+)?)$")

_AR_TITLES = (
    "الرئيس|الملك|السلطان|الزعيم|القائد|الجنرال|المشير|الخليفة|الأمير|الشيخ|رئيس الوزراء|القيصر"
    "|الإمبراطور|الوالي|الضابط|العقيد|الرائد"
)
_AR_ACTOR = re.compile(rf"(?:{_AR_TITLES})\s+([\w\u064B-\u065F]+(?:\s+[\w\u064B-\u065F]+)?)")
_AR_PLACE_NOUN = re.compile(r"(?:مدينة|دولة|جزيرة|منطقة|إقليم|ولاية|قناة|ميناء)\s+(ال[\w]+|[\w]+)")
#: A small gazetteer for Arabic, which has no capitals to tell names by.
AR_PLACES: tuple[str, ...] = tuple(
    " ".join(place.split())
    for place in wordlist(
        """مصر، القاهرة، الإسكندرية، السويس، بورسعيد، الجزائر، وهران، تونس، المغرب، ليبيا، السودان، فرنسا،
    باريس، بريطانيا، لندن، إنجلترا، روسيا، موسكو، بتروغراد، تركيا، إسطنبول، الأستانة، أنقرة، سوريا،
    دمشق، حلب، لبنان، بيروت، فلسطين، القدس، العراق، بغداد، الحجاز، مكة، الأندلس، قرطبة، غرناطة،
    إشبيلية، طليطلة، إسبانيا، البرتغال، ألمانيا، برلين، النمسا، فيينا، صربيا، سراييفو، إيطاليا، روما،
    المكسيك، كازاخستان، النرويج، الولايات المتحدة، أمريكا، واشنطن، الاتحاد السوفيتي، اليابان، الصين،
    الهند، إيران، القمر، إسرائيل، الأردن""",
        "،",
    )
)
_AR_CLITICS = "(?:[وفبلك]{0,2})"
_AR_GAZETTEER = re.compile(rf"(?<![\w]){_AR_CLITICS}({alternation(AR_PLACES)})(?![\w])")


_WEAK_START = {
    "en": wordset("at aged of with which who where in on for by"),
    "ar": wordset("عن من على إلى في بسبب مما حيث الذي التي أو عن"),
}
_EN_JOINS = wordset("and but while whereas")
#: Nouns that begin with و and are not "and" + a word.
_AR_WAW_NOUNS = wordset("وفاة وزير وزراء وزارة وثيقة وثائق ولاية وحدة وادي وسط وطن وقت وصول ولي والي وفد")


#: Verbs whose root begins with و: "وقّع" is "signed", not "and" + "قّع".
_AR_WAW_ROOTS = ("وقع", "وقّع", "وصل", "وجد", "ولد", "وُلد", "وضع", "وافق", "وعد", "وقف", "ورث")


def _is_join(word: str, lang: str) -> bool:
    """True for a word that starts a new clause: "and", or Arabic و glued to a verb or noun."""
    if lang == "en":
        return word.lower() in _EN_JOINS
    return (
        len(word) >= 4
        and word.startswith("و")
        and not word.startswith("وال")
        and word not in _AR_WAW_NOUNS
        and not word.startswith(_AR_WAW_ROOTS)
    )


def _drop_join(words: list[str], lang: str) -> list[str]:
    """The words without a leading "and" (or the و glued to the first word)."""
    if words and _is_join(words[0], lang):
        return words[1:] if lang == "en" else [words[0][1:], *words[1:]]
    return words


def _clean(words: list[str], stop: frozenset[str]) -> list[str]:
    """Words without punctuation around them and without lead words at either end."""
    words = [w.strip(".!?؟\"'()«»[]") for w in words]
    words = [w for w in words if w]
    while words and words[0].lower() in stop:
        words.pop(0)
    while words and words[-1].lower() in stop:
        words.pop()
    return words


def title(text: str, sentence: Span, date_span: Span, lang: str) -> str:
    """A short title: the date's clause without the date and its lead words, else a clause beside it."""
    clauses = split_clauses(text, *sentence, keep=date_span)
    stop = _STOP.get(lang, _STOP["en"])
    index = next((i for i, (s, e) in enumerate(clauses) if s <= date_span[0] < e), 0)

    def words_of(i: int) -> list[str]:
        start, end = clauses[i]
        if i != index:
            before, after = [], _clean(text[start:end].split(), stop)
        else:
            before = _clean(text[start : date_span[0]].split(), stop)
            after = text[date_span[1] : end].split()
        # Keep the part of a clause that holds the date: "... وسُحبت جنسيته بحلول عام 1932".
        cut = [k for k, w in enumerate(before) if _is_join(w, lang) and len(before) - k >= 2]
        if cut:
            before = before[cut[-1] :]
        stops = [k for k, w in enumerate(after) if _is_join(w, lang) and k + len(before) >= 2]
        if stops:
            after = after[: stops[0]]
        return _drop_join(_clean(before + after, stop), lang)

    words = words_of(index)
    if len(words) < 2:
        beside = [i for i in (index + 1, index - 1) if 0 <= i < len(clauses)]
        weak = _WEAK_START.get(lang, _WEAK_START["en"])
        # "في 21 أغسطس 1940 ، عن عمر ...": a clause opening on a preposition is not the event.
        beside.sort(
            key=lambda i: text[clauses[i][0] :].split(maxsplit=1)[0].lower() in weak if i > index else False
        )
        for i in beside:
            if len(candidate := words_of(i)) >= 2:
                words = candidate
                break
    if len(words) < 2:
        return " ".join(text[sentence[0] : sentence[1]].split()[:TITLE_WORDS])
    short = words[:TITLE_WORDS]
    while len(short) > 2 and short[-1].lower() in stop:
        short.pop()
    return " ".join(short)


def _known(sentence: str, names: Iterable[str]) -> list[str]:
    """The known names found in the sentence, in the order they appear."""
    hits = [(sentence.find(name), name) for name in dict.fromkeys(names) if name and name in sentence]
    return [name for _, name in sorted(hits)]


def _add(out: list[str], name: str) -> None:
    """Append a name unless it, or a longer name holding it, is already there."""
    name = name.strip()
    if name and not any(name == seen or name in seen for seen in out):
        out.append(name)


def candidates(
    sentence: str, lang: str, known_actors: Iterable[str] = (), known_places: Iterable[str] = ()
) -> tuple[list[str], list[str]]:
    """Candidate actors and places in a sentence: the bank's known names first, then guesses."""
    actors, places = _known(sentence, known_actors), _known(sentence, known_places)
    taken = set(actors) | set(places)
    if lang == "en":
        for m in _EN_NAME.finditer(sentence):
            words = m.group().split()
            while words and words[0] in _EN_NOT_NAMES:
                words.pop(0)
            name = " ".join(words)
            if not name or name in _EN_NOT_NAMES or any(name in t for t in taken):
                continue
            target = places if _EN_PLACE_LEAD.search(sentence[: m.start()]) else actors
            _add(target, name)
    else:
        for m in _AR_ACTOR.finditer(sentence):
            if not any(m.group(1) in t or t in m.group(1) for t in taken):
                _add(actors, m.group(1))
        for m in _AR_PLACE_NOUN.finditer(sentence):
            if not any(m.group(1) in t for t in taken):
                _add(places, m.group(1))
        for m in _AR_GAZETTEER.finditer(sentence):
            place = " ".join(m.group(1).split())
            if not any(place in t for t in taken):
                _add(places, place)
    return actors[:5], places[:5]
