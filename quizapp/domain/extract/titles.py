"""Suggested titles that read as events: «تأميم شركة قناة السويس», "Mehmed II laid siege to Constantinople".

The title comes from the clause that holds the date. Every date expression of the sentence is taken
out with the words that lead it ("في", "on", "منذ"), so a title never carries a date. What is left
is trimmed at phrase boundaries: it never starts with a conjunction, a preposition or a glued «فـ»,
never ends on a function word, and a long clause is cut before a preposition or a conjunction, not
inside a phrase. In Arabic, when the clause opens on a verb the rules know, the verb becomes its
verbal noun: «أُعلنت الجمهورية» gives «إعلان الجمهورية», «احتلت فرنسا الجزائر» «احتلال فرنسا الجزائر».
Heuristics only: the teacher reviews every title.
"""

from __future__ import annotations

import re

from .common import wordset
from .sentences import Span, split_clauses

TITLE_WORDS = 9

_HARAKAT = re.compile(r"[\u064B-\u0652\u0670\u0640]")  # short vowels, shadda, sukun, tatweel
_PUNCT = ".!?؟\"'()«»[]/:;،,-–—"

#: Words that lead a date and go with it: "في 1956", "on 26 July", «منذ عام», «الموافق».
_DATE_LEADS = {
    "ar": wordset(
        "في وفي ففي خلال وخلال بحلول وبحلول منذ ومنذ حتى وحتى بعد وبعد قبل وقبل مطلع أوائل منتصف أواسط"
        " أواخر نهاية بداية الموافق الموافقة ليلة صباح مساء يوم ويوم عام سنة عامي العام السنة نحو حوالي"
        " وفي من أي بين ربيع صيف خريف شتاء"
    ),
    "en": wordset(
        "in on by at during since until till from to of after before early late mid around about circa c."
        " the year night morning evening some time sometime approximately roughly that same between"
        " spring summer autumn fall winter"
    ),
}
#: Words a title never starts with: conjunctions, prepositions, particles, and what is left of a
#: relative date ("التالي", "later").
_NO_START = {
    "ar": wordset(
        "و ف ثم أو أن إن لكن لكنه حيث حين عندما بينما إذ إذا الذي التي الذين كما قد كان كانت وكان وكانت"
        " في من إلى الى على عن مع بين حتى منذ بعد قبل عند لدى خلال ب ل ك التالي التالية نفسه نفسها ذاته"
        " ذاتها الموالي الموالية السابق السابقة ذلك بذلك وبذلك هذا هذه أي بدوره بدورها"
    ),
    "en": wordset(
        "and but or then when while whereas as that which who whom whose where after before since until"
        " in on at by of to from for with into onto during later earlier following next same year day"
        " month afterwards thereafter also however meanwhile so"
    ),
}
#: Words a title never ends on.
_NO_END = {
    "ar": wordset(
        "و ف ثم أو أن في من إلى الى على عن مع بين حتى منذ بعد قبل عند خلال الذي التي الذين حيث حين"
        " عندما رقم نحو حوالي جانب قد كان لدى أي"
    ),
    "en": wordset(
        "and but or then when while as that which who the a an in on at by of to from for with into"
        " during after before since until his her its their some about around"
    ),
}
#: A word before which a long clause may be cut: a new phrase starts there.
_BOUNDARY = {
    "ar": wordset(
        "في من إلى الى على عن مع بين حتى منذ بعد قبل عند خلال الذي التي الذين حيث حين عندما لكن ثم إثر"
        " بسبب بقيادة ضد"
    ),
    "en": wordset(
        "in on at by to from for with into during after before since until when while which who"
        " but near under against"
    ),
}
_NUMBER_WORDS = wordset(
    "ثلاث ثلاثة أربع أربعة خمس خمسة ست ستة سبع سبعة ثماني ثمانية تسع تسعة عشر عشرة سنوات سنين أعوام أشهر"
    " شهور أيام عامين سنتين شهرين يومين أسبوعين أسابيع"
)

#: Verbal nouns of the verbs history texts open their clauses with: masdar, then the past-tense
#: forms (undotted, masculine; the feminine "ت" and, for a final ى, "ت"/"ي"/"يت" are added).
_MASDARS = """
احتلال: احتل | إعلان: أعلن اعلن | إلغاء: ألغى الغى | توقيع: وقع وقّع | سقوط: سقط | دخول: دخل
خروج: خرج | عودة: عاد | وفاة: توفي توفى | اغتيال: اغتيل اغتال | إعدام: أعدم اعدم | انتخاب: انتخب
نفي: نفي نفى | طرد: طرد | اقتحام: اقتحم | اجتماع: اجتمع | انعقاد: انعقد | اندلاع: اندلع
انتصار: انتصر | هزيمة: هزم انهزم | استسلام: استسلم | استقلال: استقل | تأسيس: أسس أسّس | تأسّس: تأسس
تأميم: أمم أمّم | غزو: غزا | فتح: فتح افتتح | حصار: حاصر | انسحاب: انسحب | جلاء: جلا | نزول: نزل
وصول: وصل | مغادرة: غادر | هجوم: هاجم | اجتياح: اجتاح | إطاحة: أطاح اطاح | اعتقال: اعتقل | فرار: فر فرّ
مبايعة: بويع | تولي: تولى | تعيين: عين عيّن | ضم: ضم ضمّ | استعادة: استعاد | اكتشاف: اكتشف اكتشف
بدء: بدأ | انتهاء: انتهى | صدور: صدر | إصدار: أصدر | إبرام: أبرم | انضمام: انضم | قمع: قمع
اعتراف: اعترف | إفراج: أفرج | انتقال: انتقل | عبور: عبر | تصويت: صوت صوّت | إطلاق: أطلق | اشتداد: اشتد
شن: شن شنّ | قيادة: قاد | استيلاء: استولى | بناء: بنى | نشوب: نشب | تعديل: عدل عدّل | إقرار: أقر
تنازل: تنازل | إجبار: أجبر | محاولة: حاول | استنجاد: استنجد | إجراء: أجري أجرى | تشكيل: شكل شكّل
تشكّل: تشكل | مقتل: قتل | عبور: عبر | هبوط: هبط | إطلاق: أطلق | انطلاق: انطلق | حكم: حكم | بسط: بسط
انفصال: انفصل | اتحاد: اتحد | توحيد: وحد وحّد | تحرير: حرر حرّر | تتويج: توج توّج | اعتلاء: اعتلى
التقاء: التقى | تحرك: تحرك تحرّك | إطاحة: أطيح | زحف: زحف | سيطرة: سيطر | مقاومة: قاوم
رحيل: رحل | هروب: هرب | لجوء: لجأ | تسليم: سلم سلّم | سحب: سحب
"""
#: Other verbs that open clauses (no verbal noun proposed): a glued و before them is "and".
_AR_OTHER_VERBS = wordset("صار كان أصبح ظل بقي بلغ عاش خاض حاول عانى سار أدى جاء ذهب تم ظلت بات")
_AR_VERBS: dict[str, str] = {}
for _entry in _MASDARS.replace("\n", " | ").split("|"):
    if ":" not in _entry:
        continue
    _masdar, _forms = _entry.split(":")
    for _verb in _forms.split():
        _plain = _HARAKAT.sub("", _verb)
        stems = [_plain, _plain + "ت", _plain + "وا"]
        if _plain.endswith(("ى", "ا")):
            stems += [_plain[:-1] + "ت", _plain[:-1] + "ي", _plain[:-1] + "يت"]
        for stem in stems:
            _AR_VERBS.setdefault(stem, _masdar.strip())
_MASDAR_WORDS = frozenset(_AR_VERBS.values())
_AR_JOINS = wordset("ثم حيث حين عندما")
#: Words whose root begins with و or ف: not "and"/"so" + a word.
_AR_KEEP_W = (
    "وقع", "وصل", "وجد", "ولد", "وضع", "وافق", "وعد", "وقف", "ورث", "وحد", "وزر", "وزار", "وثيق", "وثائق",
    "وفاة", "ولاي", "وادي", "وسط", "وطن", "وقت", "ولي", "والي", "وفد", "وهران", "وجه", "وكال", "وظيف",
    "وسائل", "واجه", "فتح", "فرض", "فرنس", "فلسطين", "فبراير", "فاروق", "فيصل", "فترة", "فريق", "فكر",
)  # fmt: skip
_AR_SUFFIXES = ("تهم", "تها", "ته", "هم", "ها", "ه")


def _plain(word: str) -> str:
    return _HARAKAT.sub("", word.strip(_PUNCT))


def plain_word(word: str, keep_vowels: bool = False) -> str:
    """A word without the punctuation around it (and, unless kept, without short vowels)."""
    return word.strip(_PUNCT) if keep_vowels else _plain(word)


def is_arabic_verb(plain: str) -> bool:
    """True for an Arabic past-tense verb or verbal noun the title rules know."""
    return _is_verb(plain) or plain in _MASDAR_WORDS


def _is_verb(plain: str) -> bool:
    """True for a past-tense verb the rules know, or one shaped like a derived form (انتصر، استنجد،
    اعتقل), with or without an object pronoun."""
    if plain in _AR_VERBS or plain in _AR_OTHER_VERBS:
        return True
    for suffix in _AR_SUFFIXES:
        if plain.endswith(suffix) and plain[: -len(suffix)] in _AR_VERBS:
            return True
    return plain.startswith(("است", "ان")) or (len(plain) >= 5 and plain[0] == "ا" and plain[2] == "ت")


def _unglue(word: str) -> str:
    """An Arabic word without a glued و/ف ("and", "so") when what follows is a word on its own."""
    plain = _plain(word)
    if len(plain) < 3 or plain[0] not in "وف" or plain in _AR_VERBS or plain.startswith(_AR_KEEP_W):
        return word
    rest = plain[1:]
    if (
        _is_verb(rest)
        or (plain[0] == "و" and rest in _NO_START["ar"])
        or (plain[0] == "و" and len(plain) >= 4 and not plain.startswith("وال"))
        or (plain.startswith("وال") and len(plain) >= 6)
    ):
        at = word.index(plain[0]) + 1
        return word[at:].lstrip("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652")
    return word


def _tokens(text: str, start: int, end: int, cut: list[Span], lang: str) -> list[tuple[int, str]]:
    """The words of text[start:end] with their offsets, every date expression (and its lead words)
    taken out."""
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", text[start:end])]
    words = [(start + at, w) for at, w in words]
    out: list[tuple[int, str]] = []
    leads = _DATE_LEADS[lang]
    after_cut = -2  # how many words were kept when the last date was taken out
    for at, word in words:
        if any(s < at + len(word) and at < e for s, e in cut):
            # The date's lead words go with it: "في عام 1956"، "on the night of 23 July"; so does
            # the "and" between two dates taken out ("in 1894 and 1895").
            while out and _plain(out[-1][1]).lower() in leads:
                out.pop()
            if out and len(out) == after_cut + 1 and _plain(out[-1][1]).lower() in ("and", "or", "و", "أو"):
                out.pop()
            after_cut = len(out)
            continue
        out.append((at, word))
    return out


def _trim(words: list[str], lang: str) -> list[str]:
    """Words without what may not start or end a title, cut at a phrase boundary when too long."""
    no_start, no_end, boundary = _NO_START[lang], _NO_END[lang], _BOUNDARY[lang]
    words = [w.strip(_PUNCT) for w in words]
    words = [w for w in words if w]
    if lang == "ar" and words:
        words[0] = _unglue(words[0])
    while (
        words
        and not (words[0].lower() == "at" and len(words) > 1 and words[1] == "least")
        and (_plain(words[0]).lower() in no_start or (lang == "ar" and _plain(words[0]) in _NUMBER_WORDS))
    ):
        words.pop(0)
        if lang == "ar" and words:
            words[0] = _unglue(words[0])
    if len(words) > TITLE_WORDS:
        # The last phrase boundary within TITLE_WORDS words, else the first one a little further.
        cuts = [
            k
            for k in range(2, min(len(words), TITLE_WORDS + 5))
            if _plain(words[k]).lower() in boundary
            or _is_join(words, k, lang)
            or (lang == "ar" and _unglue(words[k]) != words[k])
        ]
        short = [k for k in cuts if k <= TITLE_WORDS]
        # No boundary at all: a clause a little long is kept whole rather than cut inside a phrase.
        longest = len(words) if len(words) <= TITLE_WORDS + 3 else TITLE_WORDS
        words = words[: short[-1] if short else cuts[0] if cuts else longest]
    while words and _plain(words[-1]).lower() in no_end:
        words.pop()
    return words


def _as_event(words: list[str]) -> list[str]:
    """An Arabic clause opening on a known verb, as its verbal noun: «أُعلنت الجمهورية» «إعلان الجمهورية»."""
    if not words:
        return words
    masdar = _AR_VERBS.get(_plain(words[0]))
    if not masdar or len(words) < 2:
        return words
    # The subject follows the verbal noun in the genitive: «انتخاب التونسيين», not «التونسيون».
    subject = words[1]
    if subject.startswith("ال") and subject.endswith("ون"):
        subject = subject[:-2] + "ين"
    elif subject == "أبو":
        subject = "أبي"
    return [masdar, subject, *words[2:]]


def _is_join(words: list[str], k: int, lang: str) -> bool:
    """True when words[k] starts a new clause: "and" before a verb ("and took the city", not "Syria
    and Egypt"), "but", "while"; in Arabic و glued to a verb («وانتصر», not «وجمال عبد الناصر»)."""
    word = words[k]
    if lang == "en":
        if word.lower() == "and" and k + 1 < len(words):
            following = words[k + 1]
            return following[:1].islower() and following.lower() not in _DETERMINERS | _BOUNDARY["en"]
        return word.lower() in ("but", "while", "whereas", "when")
    plain = _plain(word)
    return (len(plain) > 2 and plain[0] in "وف" and _is_verb(plain[1:])) or plain in _AR_JOINS


#: English words that, opening a sentence, are not the subject a title can borrow.
_NOT_SUBJECT = wordset(
    "The A An In On At By During After Before Since When While As It He She They His Her Its Their"
    " This That These Those There Then But And Or However Although Later Earlier Between From Some"
    " Many Most All Both Each Under Over Early Late One Two Three Four Five Six Seven Eight Nine Ten"
)
#: Words an English verb phrase may open with (besides a past tense in -ed).
_EN_VERBS = wordset(
    "took left went became began fell gave made won lost came saw led sent set met ran rose broke"
    " fought held built wrote died was were had has is are did"
)
_DETERMINERS = wordset("the a an some his her its their this that these those")


def _subject(text: str, sentence: Span) -> list[str]:
    """The name an English sentence opens with ("Gamal Abdel Nasser, who ..."), or nothing."""
    words: list[str] = []
    for word in text[sentence[0] : sentence[1]].split():
        bare = word.rstrip(",;:")
        if not (bare[:1].isupper() or (words and bare in ("of", "the", "al-", "bin", "ibn", "von", "de"))):
            break
        words.append(bare)
        if bare != word:
            break
    while words and words[-1][:1].islower():
        words.pop()
    if not words or words[0] in _NOT_SUBJECT or words[0].lower().endswith(("ed", "ing")):
        return []
    return words


def _with_head(words: list[str], text: str, clauses: list[Span], index: int, *, lang: str) -> list[str]:
    """A title that lacks its head borrows it from the sentence: an English verb phrase its subject
    ("nationalised ..." → "Gamal Abdel Nasser nationalised ..."), an Arabic clause opening on a
    preposition the verb before it («ثم بالاستقلال التام» → «اعترفت فرنسا بالاستقلال التام»)."""
    if not words:
        return words
    if lang == "en":
        first = words[0]
        verb = first.endswith("ed") or first in _EN_VERBS
        subject = _subject(text, (clauses[0][0], clauses[-1][1])) if verb else []
        if subject and " ".join(subject) not in " ".join(words):
            return _trim([*subject, *words], lang)
        return words
    if index > 0 and _plain(words[0]).startswith(("بال", "لل")):
        head = []
        for word in text[clauses[index - 1][0] : clauses[index - 1][1]].split():
            if _plain(word).startswith(("بال", "لل", "ب", "ل")) and head:
                break
            head.append(word)
        return _trim([*head, *words], lang) if 1 <= len(head) <= 3 else words
    return words


def title(text: str, sentence: Span, date_span: Span, lang: str, dates: list[Span] = ()) -> str:  # type: ignore[assignment]
    """A short title for the event dated at `date_span`: its clause, dates taken out, trimmed.

    `dates` are the spans of every date expression in the text, so none of them stays in a title.
    """
    clauses = split_clauses(text, *sentence, keep=date_span)
    cut = [d for d in dates if d[0] < sentence[1] and sentence[0] < d[1]] + [date_span]
    index = next((i for i, (s, e) in enumerate(clauses) if s <= date_span[0] < e), 0)

    def words_of(i: int) -> list[str]:
        tokens = _tokens(text, *clauses[i], cut, lang)
        if i != index:
            # A clause beside the date's: up to its next clause, or from its last one.
            words = [w for _, w in tokens]
            joins = [k for k in range(2, len(words)) if _is_join(words, k, lang)]
            if joins:
                words = words[: joins[0]] if i > index else words[joins[-1] :]
            return _trim(words, lang)
        before = [w for at, w in tokens if at < date_span[0]]
        after = [w for at, w in tokens if at >= date_span[1]]
        # Keep the part of the clause that holds the date: "... وسُحبت جنسيته بحلول عام 1932".
        joins = [k for k in range(len(before)) if _is_join(before, k, lang) and len(before) - k >= 2]
        if joins:
            before = before[joins[-1] :]
        stops = [k for k in range(len(after)) if _is_join(after, k, lang) and k + len(before) >= 2]
        if stops:
            after = after[: stops[0]]
        return _trim(before + after, lang)

    words = words_of(index)
    if len(words) < 2:
        # "في 21 أغسطس 1940 ، عن عمر ...": a clause opening on a preposition is not the event.
        beside = [i for i in (index + 1, index - 1) if 0 <= i < len(clauses)]
        beside.sort(
            key=lambda i: (
                _plain(text[clauses[i][0] : clauses[i][1]].split(maxsplit=1)[0]).lower() in _NO_START[lang]
            )
        )
        for i in beside:
            if 0 <= i < len(clauses) and len(candidate := words_of(i)) >= 2:
                words = candidate
                break
    if len(words) < 2:
        words = _trim([w for _, w in _tokens(text, *sentence, cut, lang)], lang)
    words = _with_head(words, text, clauses, index, lang=lang)
    if lang == "ar":
        words = _as_event(words)
    return " ".join(words)
