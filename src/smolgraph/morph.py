"""Russian word forms: lemmas, tokens and the nominative of names and phrases.

A thin layer over pymorphy3. Every result is cached, because reports repeat
the same few thousand words and the analyser is the slow part of extraction.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "Token",
    "analyzer",
    "parses",
    "lemma",
    "fold",
    "tokenize",
    "nominative_phrase",
    "nominative_surname",
    "noun_case",
    "is_adjective",
    "nominative_person",
    "surname_forms",
    "name_readings",
    "is_first_name",
    "looks_like_surname",
    "surname_agrees",
    "surname_in_nominative",
]

_WORD = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+(?:-[0-9A-Za-zА-Яа-яЁё]+)*")
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "voct", "gen2", "acc2", "loc2")


class Token(NamedTuple):
    """A word of a text with its position and lemma.

    A named tuple rather than a frozen dataclass: texts are tokenised over and
    over, and a tuple is several times quicker to make.
    """

    text: str
    start: int
    end: int
    lemma: str


@lru_cache(maxsize=1)
def analyzer():
    """The shared pymorphy3 analyser (loading it takes about a second)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=50_000)
def parses(word: str) -> tuple:
    """Every reading pymorphy3 gives ``word``, the most likely first.

    All the analyses of this module and of the gazetteer start from these,
    so a word is parsed once however many questions are asked about it.

    >>> [p.tag.POS for p in parses("области")][:1]
    ['NOUN']
    """
    return tuple(analyzer().parse(word))


def fold(text: str) -> str:
    """Lower-case and fold ё to е, the way names are compared.

    >>> fold("Берёзовский")
    'березовский'
    """
    return text.lower().replace("ё", "е")


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The dictionary form of ``word``, lower-cased with ё folded.

    >>> lemma("Витебской")
    'витебский'
    >>> lemma("области")
    'область'
    """
    if not word or not re.search("[А-Яа-яЁё]", word):
        return fold(word)
    readings = parses(word)
    return fold(readings[0].normal_form) if readings else fold(word)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into word tokens, each with its lemma.

    >>> [t.lemma for t in tokenize("в г. Минске")]
    ['в', 'г', 'минск']
    """
    tokens = []
    for m in _WORD.finditer(text):
        word = m.group()
        tokens.append(Token(word, m.start(), m.end(), lemma(word)))
    return tokens


def _match_case(original: str, new: str) -> str:
    if original.isupper() and len(original) > 1:
        return new.upper()
    if original[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


@lru_cache(maxsize=50_000)
def _grammemes(word: str) -> tuple[tuple[str, frozenset[str], object], ...]:
    return tuple((p.tag.POS or "", frozenset(p.tag.grammemes), p) for p in parses(word))


def _agreement(parse_tags: list[frozenset[str]]) -> tuple[str, str] | None:
    for case in _CASES:
        for number in ("sing", "plur"):
            if all(case in tags and number in tags for tags in parse_tags):
                return case, number
    return None


@lru_cache(maxsize=50_000)
def nominative_phrase(phrase: str) -> str:
    """Put the head of a Russian noun phrase into the nominative.

    The leading adjectives and the first noun are inflected; whatever
    follows (a genitive tail, a name in quotes) is kept as written.

    >>> nominative_phrase("Витебской области")
    'Витебская область'
    >>> nominative_phrase("заместителем председателя Правительства Смоленской области")
    'заместитель председателя Правительства Смоленской области'
    >>> nominative_phrase("Губернатора Смоленской области")
    'Губернатор Смоленской области'
    """
    matches = list(_WORD.finditer(phrase))
    head: list[re.Match] = []
    for index, m in enumerate(matches):
        if "«" in phrase[: m.start()] and phrase[: m.start()].count("«") > phrase[: m.start()].count("»"):
            break
        word = m.group()
        pos = {g[0] for g in _grammemes(word)}
        # A word read first as an adjective ("городского", not the noun
        # "городской") leads the head; the first noun ends it.
        following = matches[index + 1].group() if index + 1 < len(matches) else ""
        next_nominal = bool(following) and bool({g[0] for g in _grammemes(following)} & {"NOUN", "ADJF", "PRTF"})
        # A surname reading ("Могилевского") loses to the adjective before a noun.
        first = _grammemes(word)[0][1] if _grammemes(word) else frozenset()
        name_like = bool(first & {"Surn", "Name", "Patr"})
        if pos & {"ADJF", "PRTF"} and (_adj_first(word) or not pos & {"NOUN"} or (name_like and next_nominal)):
            head.append(m)
            continue
        if pos & {"NOUN"}:
            head.append(m)
        break
    if not head or "NOUN" not in {g[0] for g in _grammemes(head[-1].group())}:
        return phrase
    choice = _choose_parses([m.group() for m in head])
    if choice is None:
        return phrase
    out, last = [], 0
    for m, parse in zip(head, choice):
        inflected = parse.inflect({"nomn"}) if parse is not None else None
        new = inflected.word if inflected is not None else m.group()
        out.append(phrase[last : m.start()])
        out.append(_match_case(m.group(), new.replace("ё", "е") if "ё" not in m.group() else new))
        last = m.end()
    out.append(phrase[last:])
    return "".join(out)


def is_adjective(word: str) -> bool:
    """Whether the analyser reads ``word`` first as an adjective or participle.

    >>> is_adjective("Заслуженный"), is_adjective("коллектив")
    (True, False)
    """
    return _adj_first(word)


def _adj_first(word: str) -> bool:
    readings = _grammemes(word)
    return bool(readings) and readings[0][0] in {"ADJF", "PRTF"}


def _choose_parses(words: list[str]):
    """One parse per word, agreeing in case, number and (singular) gender; the noun last."""
    options = []
    for i, word in enumerate(words):
        wanted = {"NOUN"} if i == len(words) - 1 else {"ADJF", "PRTF"}
        opts = [g for g in _grammemes(word) if g[0] in wanted]
        if not opts:
            return None
        options.append(opts)
    # Singular first: "Представительства" is far more often a genitive
    # singular in an organisation's name than a nominative plural.
    for number in ("sing", "plur"):
        for noun in options[-1]:  # the analyser's most likely reading first
            case = next((c for c in _CASES if c in noun[1]), None)
            if case is None or number not in noun[1]:
                continue
            gender = next((g for g in ("masc", "femn", "neut") if g in noun[1]), None) if number == "sing" else None
            picked = []
            for opts in options[:-1]:
                hit = next(
                    (g[2] for g in opts if case in g[1] and number in g[1] and (gender is None or gender in g[1])),
                    None,
                )
                if hit is None:
                    break
                picked.append(hit)
            else:
                if case == "nomn":
                    return [None] * len(words)
                return picked + [noun[2]]
    return None


def noun_case(word: str) -> str | None:
    """The most likely grammatical case of a noun, or None.

    >>> noun_case("Губернатора")
    'gent'
    """
    for pos, grammemes, _ in _grammemes(word):
        if pos == "NOUN":
            return next((c for c in _CASES if c in grammemes), None)
    return None


@lru_cache(maxsize=50_000)
def nominative_surname(surname: str, *, gender: str | None = None, case: str | None = None) -> str:
    """The nominative of a surname in any case.

    >>> nominative_surname("Стрельцовым")
    'Стрельцов'
    >>> nominative_surname("Никитиной")
    'Никитина'
    >>> nominative_surname("Шаинского")
    'Шаинский'
    """
    readings = parses(surname)
    candidates = [p for p in readings if "Surn" in p.tag.grammemes] or [
        p for p in readings if p.tag.POS in {"NOUN", "ADJF"}
    ]
    if gender:
        candidates = [p for p in candidates if gender in p.tag.grammemes] or candidates
    if case:
        candidates = [p for p in candidates if case in p.tag.grammemes] or candidates
    for p in candidates:
        if "nomn" in p.tag.grammemes and "sing" in p.tag.grammemes:
            return surname
    for p in candidates:
        if "plur" in p.tag.grammemes:
            continue
        form = p.inflect({"nomn", "sing"})
        if form is not None:
            return _match_case(surname, form.word)
    return surname


def surname_forms(word: str) -> list[str]:
    """Every nominative a surname in some case may come from, most likely first.

    "Стрельцова" is the genitive of Стрельцов or the nominative of Стрельцова.

    >>> surname_forms("стрельцова")
    ['Стрельцов', 'Стрельцова']
    """
    word = word[:1].upper() + word[1:].lower()
    forms: list[str] = []
    for p in parses(word):
        if "Surn" not in p.tag.grammemes or "plur" in p.tag.grammemes:
            continue
        nominative = p.inflect({"nomn", "sing"})
        if nominative is not None:
            form = _match_case(word, nominative.word)
            if form not in forms:
                forms.append(form)
    if not forms:
        forms.append(nominative_surname(word))
    return forms


_PERSON = re.compile(r"^(?P<initials>(?:[А-ЯЁ]\.\s*){1,2})\s*(?P<surname>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)$")


def nominative_person(name: str) -> str:
    """Initials and surname in the nominative, initials written together.

    >>> nominative_person("А.В. Стрельцовым")
    'А.В. Стрельцов'
    >>> nominative_person("А. А. Никитиной")
    'А.А. Никитина'
    """
    m = _PERSON.match(name.strip())
    if not m:
        return name.strip()
    initials = re.sub(r"\s+", "", m.group("initials"))
    return f"{initials} {nominative_surname(m.group('surname'))}"


# --- Full names: first names, patronymics and surnames of every declension ---

_GENDERS = ("masc", "femn")


def _genders_of(grammemes: frozenset[str]) -> tuple[str, ...]:
    # "ms-f" (Шевченко, Гайдамака) serves a man and a woman alike.
    if "ms-f" in grammemes:
        return _GENDERS
    return tuple(g for g in _GENDERS if g in grammemes)


@lru_cache(maxsize=50_000)
def name_readings(word: str, grammeme: str) -> frozenset[tuple[str, str]]:
    """The (case, gender) pairs of the singular readings of ``word`` marked ``grammeme``.

    ``grammeme`` is pymorphy3's "Name" (first name), "Patr" (patronymic) or
    "Surn" (surname). An empty set means the word is no such name.

    >>> sorted(name_readings("Марии", "Name"))
    [('datv', 'femn'), ('gent', 'femn'), ('loct', 'femn')]
    >>> sorted(name_readings("Викторовичем", "Patr"))
    [('ablt', 'masc')]
    >>> name_readings("Республика", "Name")
    frozenset()
    """
    out: set[tuple[str, str]] = set()
    for _pos, grammemes, _parse in _grammemes(word):
        if grammeme not in grammemes or "plur" in grammemes:
            continue
        case = next((c for c in _CASES if c in grammemes), None)
        if case is None:
            continue
        for gender in _genders_of(grammemes):
            out.add((case, gender))
    return frozenset(out)


def is_first_name(word: str) -> bool:
    """Whether pymorphy3 knows ``word`` (in any case) as a first name.

    >>> is_first_name("Владимиром"), is_first_name("Смоленск")
    (True, False)
    """
    return bool(name_readings(word, "Name"))


@lru_cache(maxsize=1)
def _surname_endings() -> tuple[tuple[str, tuple[str, ...]], ...]:
    from .lexicon import lexicon_table

    return lexicon_table("surname_endings")


@lru_cache(maxsize=1)
def _fixed_endings() -> tuple[str, ...]:
    from .lexicon import lexicon_lines

    return tuple(lexicon_lines("surname_fixed_endings"))


def looks_like_surname(word: str) -> bool:
    """Whether ``word`` has the shape of a Russian surname in some case.

    For surnames the dictionary does not know ("Стрельцов" is to it only a
    form of "стрелец"); the endings come from ``data/lexicon/surname_endings.txt``.

    >>> looks_like_surname("Стрельцовым"), looks_like_surname("Шевченко"), looks_like_surname("Смоленск")
    (True, True, False)
    """
    low = fold(word)
    if any(low.endswith(e) for e in _fixed_endings()):
        return True
    for stem, tails in _surname_endings():
        for tail in ("",) + tuple(t for tail_group in tails for t in tail_group.split()):
            if low.endswith(stem + tail):
                return True
    return False


def surname_agrees(word: str, case: str, gender: str) -> bool:
    """Whether ``word`` can be a surname in ``case`` for a person of ``gender``.

    >>> surname_agrees("Ивановым", "ablt", "masc"), surname_agrees("Ивановым", "gent", "femn")
    (True, False)
    >>> surname_agrees("Шевченко", "datv", "femn"), surname_agrees("Мюллером", "ablt", "masc")
    (True, True)
    """
    if (case, gender) in name_readings(word, "Surn"):
        return True
    if name_readings(word, "Surn") and not any("Fixd" in g for _p, g, _r in _grammemes(word)):
        return False  # a known surname in another case or gender
    if _indeclinable(word, gender):
        return True
    # Unknown surnames: a noun reading that agrees, or a guess from the ending.
    for pos, grammemes, _parse in _grammemes(word):
        # Only an animate noun can stand for a person: "Концерт Петра Ильича" has no surname.
        if pos == "NOUN" and "anim" in grammemes and "sing" in grammemes and case in grammemes and gender in _genders_of(grammemes):
            return True
    return _by_rule(word, case, gender) is not None and looks_like_surname(word)


def _indeclinable(word: str, gender: str) -> bool:
    low = fold(word)
    if any(low.endswith(e) for e in _fixed_endings()):
        return True
    # The dictionary's indeclinable names (Ли, Гарсиа); inanimate "Fixd" readings are abbreviations.
    if any("Fixd" in g and ("anim" in g or g & {"Surn", "Name"}) for _pos, g, _p in _grammemes(word)):
        return True
    # A woman's surname ending in a consonant (Ярошевич, Мюллер) does not decline;
    # -ов, -ин and the men's instrumental -ым, -ом are men's forms, never hers.
    if gender != "femn" or not low[-1:].isalpha() or low[-1:] in "аяьйеиоуыэюё":
        return False
    return not low.endswith(("ов", "ев", "ёв", "ин", "ын", "ым", "им", "ом", "ем"))


_SOFT_AFTER = "гкхжшчщ"


def _by_rule(word: str, case: str, gender: str) -> str | None:
    # The endings of nouns the dictionary cannot place: -а/-я surnames that
    # decline like nouns (Гайдамака, Зозуля) and men's consonant surnames.
    low = word.lower()
    if case == "nomn":
        return word
    if case in {"gent", "accs"} and gender == "masc" and low.endswith("а") and len(low) > 2:
        return word[:-1]  # Мюллера
    if case == "gent" and low.endswith("ы"):
        return word[:-1] + "а"
    if case == "gent" and low.endswith("и"):
        return word[:-1] + ("а" if low[-2:-1] in _SOFT_AFTER else "я")
    if case == "ablt" and low.endswith("ой"):
        return word[:-2] + "а"
    if case == "ablt" and gender == "masc" and low.endswith(("ом", "ем")):
        return word[:-2]
    if case == "ablt" and low.endswith("ей"):
        return word[:-2] + "я"
    if case == "accs" and low.endswith("у"):
        return word[:-1] + "а"
    if case == "accs" and low.endswith("ю"):
        return word[:-1] + "я"
    if case == "datv" and gender == "masc" and low.endswith("у"):
        return word[:-1]
    if case in {"datv", "loct"} and gender == "masc" and low.endswith("е"):
        return word[:-1]
    if case in {"datv", "loct"} and low.endswith("е"):
        return word[:-1] + "а"
    return None


@lru_cache(maxsize=50_000)
def surname_in_nominative(word: str, gender: str, cases: tuple[str, ...]) -> str:
    """The nominative of a surname whose case and gender are known from the name beside it.

    ``cases`` are the cases the first name and patronymic allow, most likely
    first. Surnames of every declension: -ов/-ин, -ский, noun-like -а/-я,
    indeclinable -ко/-их, -ич (declining for men only) and foreign ones.

    >>> surname_in_nominative("Ивановой", "femn", ("gent",))
    'Иванова'
    >>> surname_in_nominative("Иванова", "masc", ("gent", "accs"))
    'Иванов'
    >>> [surname_in_nominative(w, "masc", ("ablt",)) for w in ("Гайдамакой", "Зозулей", "Петровичем", "Мюллером", "Черных")]
    ['Гайдамака', 'Зозуля', 'Петрович', 'Мюллер', 'Черных']
    >>> surname_in_nominative("Ярошевич", "femn", ("gent",)), surname_in_nominative("Гайдамаки", "masc", ("gent",))
    ('Ярошевич', 'Гайдамака')
    """
    if "nomn" in cases[:1]:
        return word
    readings = _grammemes(word)
    # The dictionary's surname readings first: "Иванову" ends like Шевченко but declines.
    for wanted in ("Surn", None):
        if wanted is None and _indeclinable(word, gender):
            return word
        for case in cases:
            for pos, grammemes, parse in readings:
                if "plur" in grammemes or case not in grammemes or gender not in _genders_of(grammemes):
                    continue
                if wanted is not None and wanted not in grammemes:
                    continue
                if wanted is None and pos not in {"NOUN", "ADJF"}:
                    continue
                if "Fixd" in grammemes or case == "nomn":
                    return word
                form = parse.inflect({"nomn", "sing"} | ({gender} if pos == "ADJF" else set()))
                if form is not None:
                    return _match_case(word, form.word.replace("ё", "е") if "ё" not in word else form.word)
    for case in cases:
        guessed = _by_rule(word, case, gender)
        if guessed is not None:
            return guessed
    return word
