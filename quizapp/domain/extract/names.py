"""Candidate actors and places for a proposed event: names, never verbs or function words.

Heuristics only: the teacher reviews every proposal. Names the bank already holds come first,
because they are right by construction; the guesses follow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .arabic import GREGORIAN, HIJRI
from .common import alternation, wordlist, wordset
from .titles import is_arabic_verb, plain_word

_EN_NOT_NAMES = wordset(
    """The A An In On At By During Since Until From To Of After Before When While As It He She They
    His Her Its Their This That These Those There Then But And Or However Although Later Earlier
    Following Next Meanwhile January February March April May June July August September October
    November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday AD BC AH CE
    Between Early Late Mid Some Many Most All Both Each One Two Three Four Five Six Seven Eight Nine
    Ten Dhu Hijjah Qadah Muharram Safar Rabi Jumada Rajab Shaban Ramadan Shawwal Awwal Thani"""
)
_EN_MONTHS = wordset("January February March April May June July August September October November December")
_EN_NAME = re.compile(
    r"[A-Z][\w'’\-–]+(?:\s+(?:(?:of|de|del|al|bin|ibn|von|van|the)\s+)?[A-Z][\w'’\-–]+)*", re.UNICODE
)
_EN_PLACE_LEAD = re.compile(r"(?:\b(?:in|at|to|from|into|near|across|toward|towards|of)\s+(?:the\s+)?)$")

_AR_TITLES = (
    "الرئيس|الملك|السلطان|الزعيم|القائد|الجنرال|المشير|الخليفة|الأمير|الشيخ|رئيس الوزراء|القيصر"
    "|الإمبراطور|الوالي|الضابط|العقيد|الرائد"
)
MONTH_NAMES = frozenset(GREGORIAN) | frozenset(HIJRI)
_AR_TITLE_WORDS = wordset(_AR_TITLES.replace("|", " ").replace("رئيس الوزراء", ""))
#: Words that join the parts of an Arabic name: «جمال عبد الناصر»، «طارق بن زياد»، «عبد العزيز آل سعود».
_AR_LINKS = wordset("عبد أبو أبي بن ابن آل بنت")
_AR_ORDINALS = wordset("الأول الثاني الثالث الرابع الخامس السادس السابع الثامن التاسع العاشر الحادي عشر")
#: Words that are never part of a name: particles and prepositions, and nouns that follow one.
_AR_NOT_NAME = wordset(
    """في من إلى الى على عن مع بين حتى منذ بعد قبل عند خلال الذي التي الذين حيث حين عندما ثم أن إن قد
    كان كانت لم لن لا ما هو هي هم نحو حوالي أي كل بعض غير سوى قيام حكم جيش قوات حكومة دولة مملكة إمارة
    مدينة السلطة العرش رئيس عام سنة يوم شهر ليلة معاهدة اتفاقية هدنة حرب معركة ثورة مؤتمر حزب مجلس
    برلمان جمعية شركة"""
)
_AR_PLACE_NOUN = re.compile(
    r"(?<![\w])(?:[وبل]?)(?:مدينة|دولة|جزيرة|منطقة|إقليم|ولاية|قناة|ميناء)\s+(ال[\w]+)(?![\w])"
)
#: A small gazetteer for Arabic, which has no capitals to tell names by.
AR_PLACES: tuple[str, ...] = tuple(
    " ".join(place.split())
    for place in wordlist(
        """مصر، القاهرة، الإسكندرية، السويس، بورسعيد، الجزائر، وهران، تونس، المغرب، ليبيا، السودان، فرنسا،
    باريس، بريطانيا، لندن، إنجلترا، روسيا، موسكو، بتروغراد، تركيا، إسطنبول، الأستانة، أنقرة، سوريا،
    دمشق، حلب، لبنان، بيروت، فلسطين، القدس، العراق، بغداد، الحجاز، مكة، الأندلس، قرطبة، غرناطة،
    إشبيلية، طليطلة، إسبانيا، البرتغال، ألمانيا، برلين، النمسا، فيينا، صربيا، سراييفو، إيطاليا، روما،
    المكسيك، كازاخستان، النرويج، الولايات المتحدة، أمريكا، واشنطن، الاتحاد السوفيتي، اليابان، الصين،
    الهند، إيران، القمر، إسرائيل، الأردن، طهران، الرياض، جدة، الكويت، اليمن، عمان، الخليج، النجف، البصرة،
    الموصل، الخرطوم، طرابلس، الرباط، فاس، مراكش، أثينا، بولندا، وارسو، هولندا، بلجيكا، السويد، أوروبا،
    آسيا، أفريقيا، إفريقيا، الأناضول، البلقان، القسطنطينية، القرم،
    الهند، باكستان، أفغانستان، الحبشة، إثيوبيا، الشام، نجد، الأحساء، حائل""",
        "،",
    )
)
_AR_CLITICS = "(?:[وفبلك]{0,2})"
_AR_GAZETTEER = re.compile(rf"(?<![\w]){_AR_CLITICS}({alternation(AR_PLACES)})(?![\w])")


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
            # "October Revolution" is a name; "In July Piłsudski" is not one.
            while words and words[0] in _EN_NOT_NAMES and not (words[0] in _EN_MONTHS and len(words) > 1):
                words.pop(0)
            if words:
                words[-1] = re.sub(r"['’]s$", "", words[-1])
            name = " ".join(words)
            opening = not sentence[: m.start()].strip(" \"'“(")
            if opening and len(words) == 1 and name.lower().endswith(("ed", "ing", "ly", "ion")):
                continue  # "Released on 8 November, ...", "Construction of the wall began"
            if not name or name in _EN_NOT_NAMES or any(name in t for t in taken):
                continue
            target = places if _EN_PLACE_LEAD.search(sentence[: m.start()]) else actors
            _add(target, name)
    else:
        for name in _arabic_names(sentence):
            if not any(name in t or t in name for t in taken):
                _add(actors, name)
        for m in _AR_PLACE_NOUN.finditer(sentence):
            if not any(m.group(1) in t for t in taken):
                _add(places, m.group(1))
        for m in _AR_GAZETTEER.finditer(sentence):
            place = " ".join(m.group(1).split())
            if not any(place in t for t in taken):
                _add(places, place)
    return actors[:5], places[:5]


def _arabic_names(sentence: str) -> list[str]:
    """Names of people in an Arabic sentence: after a title («الرئيس جمال عبد الناصر») or built on a
    link word («طارق بن زياد»، «عبد العزيز آل سعود»); whole, and never a verb or a function word."""
    tokens = sentence.split()
    plain = [plain_word(t) for t in tokens]
    ends = [t.rstrip() != t.rstrip("،,.؛:!؟?»)") for t in tokens]  # a comma or stop ends a name
    names: list[str] = []
    i = 0
    while i < len(tokens):
        word = plain[i]
        bare = word[1:] if word[:1] in "وف" and word[1:] in _AR_TITLE_WORDS | _AR_LINKS else word
        start = None
        if bare in _AR_TITLE_WORDS and not ends[i] and i + 1 < len(tokens) and _name_word(plain[i + 1], True):
            start = i + 1
        elif bare in _AR_LINKS and i + 1 < len(tokens):
            start = i
            prev = plain[i - 1] if i else ""
            prev = prev[1:] if prev[:1] == "و" and len(prev) > 3 else prev
            if i and not ends[i - 1] and prev not in _AR_TITLE_WORDS:
                if _name_word(prev, True):
                    start = i - 1
                elif word != "عبد" and _name_word(prev, False) and i > 1 and _name_word(plain[i - 2], True):
                    start = i - 2  # «زين العابدين بن علي»، «نور الدين بن زنكي»
        elif (
            i + 1 < len(tokens)
            and plain[i + 1] in _AR_ORDINALS
            and not ends[i]
            and _name_word(bare, True)
            and f"{bare} {plain[i + 1]}" not in MONTH_NAMES  # «تشرين الأول»، «ربيع الأول»
        ):
            start = i  # «عثمان الأول»، «محمد الثاني»: a ruler named with his ordinal
        if start is None:
            i += 1
            continue
        j = start + 1
        linked = plain[start] in _AR_LINKS or bare in _AR_LINKS
        epithet = True  # one epithet may follow a linked name: «عبد الرحمن الداخل»
        while j < len(tokens) and j - start < 5 and not ends[j - 1]:
            word = plain[j]
            if linked or word in _AR_LINKS or word in _AR_ORDINALS:
                linked = word in _AR_LINKS
                j += 1
            elif (
                j - start == 1 or (epithet and plain[j - 2] == "عبد" and word.startswith("ال"))
            ) and _name_word(word, False):
                epithet = False
                j += 1
            else:
                break
        parts = [plain_word(t, keep_vowels=True) for t in tokens[start:j]]
        if parts[0][:1] == "و" and start < i:
            parts[0] = parts[0][1:]
        if len(parts) >= 2 or bare in _AR_TITLE_WORDS:
            names.append(" ".join(parts))
        i = max(j, i + 1)
    return names


def _name_word(word: str, first: bool) -> bool:
    """True for a word that may be part of a name: not a particle, a verb or a common noun; the first
    word after a title does not carry the article («الملك الفرار» is no name)."""
    if not word or word in _AR_NOT_NAME or is_arabic_verb(word) or re.search(r"\d", word):
        return False
    if (word[0] in "وف" and is_arabic_verb(word[1:])) or word.endswith(("اً", "ًا")):
        return False
    if word.startswith(("بال", "لل", "كال")):
        return False
    return not (first and word.startswith("ال"))
