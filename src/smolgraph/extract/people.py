"""People: initials and surname (or full names), their role as written, and namesakes."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..morph import (
    analyzer,
    fold,
    lemma,
    looks_like_surname,
    name_readings,
    nominative_phrase,
    nominative_surname,
    noun_case,
    parses,
    surname_agrees,
    surname_in_nominative,
)
from ..lexicon import lexicon_lines

__all__ = ["PersonMention", "find_people", "merge_initials"]


@dataclass
class PersonMention:
    name: str  # nominative, "А.В. Стрельцов"
    role: str | None
    remote: bool
    namesake: bool
    start: int
    end: int


_NAME = re.compile(r"(?<![А-ЯЁа-яё])(?P<initials>[А-ЯЁ]\.\s?[А-ЯЁ]\.|[А-ЯЁ]\.)\s?(?P<surname>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)")
# Text before a name that ends its role: punctuation or a joining phrase.
_ROLE_CUT = re.compile(r"(?:[,;:()]|(?<!\sг)(?<!\sим)\.\s|\bво главе с(?:о)?\s|\bс\s|\bвстреч[а-яё]*\s|\bвизит[а-яё]*\s|\bпри участии\s|\bучасти[а-яё]*\s)", re.IGNORECASE)


# Folded once: they were rebuilt for every cell before.
@lru_cache(maxsize=1)
def _roles() -> frozenset[str]:
    return frozenset(fold(w) for w in lexicon_lines("roles"))


@lru_cache(maxsize=1)
def _namesake_markers() -> tuple[str, ...]:
    return tuple(fold(w) for w in lexicon_lines("namesake_markers"))


@lru_cache(maxsize=1)
def _remote_phrases() -> tuple[str, ...]:
    return tuple(fold(p) for p in lexicon_lines("remote_person"))


def find_people(text: str) -> list[PersonMention]:
    """Every person named in ``text``, with the role written before the name.

    A person is written with initials before or after the surname, or with a
    first name (and patronymic) before or after it, in any case; every form
    gives the initials and the nominative surname, the gender kept.

    Examples
    --------
    >>> [(p.name, p.role, p.remote) for p in find_people(
    ...     "заместитель председателя Правительства Смоленской области А.В. Стрельцов (в режиме ВКС)")]
    [('А.В. Стрельцов', 'заместитель председателя Правительства Смоленской области', True)]
    >>> [(p.name, p.namesake) for p in find_people("библиотека им. А.Т. Твардовского")]
    [('А.Т. Твардовский', True)]
    >>> [p.name for p in find_people("встреча с Ивановой Марией Петровной и Гайдамакой В. В.")]
    ['М.П. Иванова', 'В.В. Гайдамака']
    >>> [(p.name, p.role) for p in find_people("министр образования Иванов В.В., Владимир Иванов")]
    [('В.В. Иванов', 'министр образования'), ('В.В. Иванов', None)]
    """
    roles = _roles()
    markers = _namesake_markers()
    remote_phrases = _remote_phrases()
    out: list[PersonMention] = []
    for found in _written_names(text, roles):
        before = text[max(0, found.start - 160) : found.start].replace("\n", " ")
        namesake = _is_namesake(fold(before[-70:]), markers, roles)
        role = None if namesake else _role(before, roles)
        if namesake and re.search(r"(?:им\.|имени)\s*$", fold(before)):
            case = "gent"
        else:
            case = _case_of(before, role)
        if found.agreement:
            name = f"{found.initials} {_surname_of(found, case)}"
        elif case is None and _nominative_as_written(found.surname):
            name = f"{found.initials} {found.surname}"
        else:
            name = f"{found.initials} {nominative_surname(found.surname, case=case)}"
        after = fold(text[found.end : found.end + 40])
        remote = bool(re.match(r"\s*\(", after)) and any(p in after.split(")")[0] for p in remote_phrases)
        out.append(PersonMention(name=name, role=role, remote=remote, namesake=namesake, start=found.start, end=found.end))
    fuller = merge_initials([p.name for p in out])
    for mention in out:
        mention.name = fuller.get(mention.name, mention.name)
    return out


def merge_initials(names: list[str]) -> dict[str, str]:
    """Map a name with one initial to the one fuller name it can only be.

    "В. Иванов" (written "Владимир Иванов") is "В.В. Иванов" when that is the
    only Иванов with the first initial В. among ``names`` and no other Иванов
    is there; otherwise it is left alone rather than guessed.

    >>> merge_initials(["В. Иванов", "В.В. Иванов", "А.А. Петров"])
    {'В. Иванов': 'В.В. Иванов'}
    >>> merge_initials(["В. Иванов", "В.В. Иванов", "В.П. Иванов"])
    {}
    """
    by_surname: dict[str, set[str]] = {}
    for name in names:
        initials, _, surname = name.rpartition(" ")
        by_surname.setdefault(surname, set()).add(initials)
    out: dict[str, str] = {}
    for surname, initials in by_surname.items():
        full = [i for i in initials if i.count(".") == 2]
        short = [i for i in initials if i.count(".") == 1]
        if len(full) == 1 and len(short) == 1 and short[0][0] == full[0][0]:
            out[f"{short[0]} {surname}"] = f"{full[0]} {surname}"
    return out


@dataclass
class _Written:
    start: int
    end: int
    initials: str  # "В.В." or "В."
    surname: str  # as written
    agreement: tuple[tuple[str, str], ...] = ()  # (case, gender) the first name allows


_WORD = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
# Surname first: "Иванов В.В.", "Иванова В. В."; the initials must not start the next name.
_SURNAME_FIRST = re.compile(
    rf"(?<![А-ЯЁа-яё.\-])(?P<surname>{_WORD})[ \t\u00a0]+(?P<initials>[А-ЯЁ]\.[ \t\u00a0]?[А-ЯЁ]\.|[А-ЯЁ]\.)(?![А-ЯЁа-яё])"
)
_CAPITALISED = re.compile(rf"(?<![А-ЯЁа-яё.\-]){_WORD}(?![А-ЯЁа-яё\-])")
# A first name right after a date or "г." is a month or a town, not a person.
_NOT_BEFORE_FIRST_NAME = re.compile(r"(?:\d|\bг\.|\bгор\.|\bгород[а-яё]*)\s*$", re.IGNORECASE)


def _written_names(text: str, roles: frozenset[str]) -> list[_Written]:
    """Where names are written and in which form, left to right, never overlapping."""
    found: list[_Written] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def take(item: _Written) -> None:
        found.append(item)
        taken.append((item.start, item.end))

    # Initials before the surname, as always: "А.В. Стрельцов".
    initials_first = {m.start("initials"): m for m in _NAME.finditer(text)}
    # Initials after it: "Иванов В.В.". Where both readings fit ("Иванов В.В. Встреча"),
    # the following word decides: a plain word or a post cannot be the surname.
    dropped: set[int] = set()
    after_surname: list[_Written] = []
    surnames_after_initials = {m.start("surname") for m in initials_first.values()}
    for m in _SURNAME_FIRST.finditer(text):
        surname = m.group("surname")
        if m.start("surname") in surnames_after_initials or not _may_be_surname(surname, roles):
            continue
        if _quoted(text, m.start()):
            continue
        if m.group("initials").count(".") == 1 and not _surname_shaped(surname):
            continue  # "Смоленск В." is no person; one initial needs a surname-like word
        rival = initials_first.get(m.start("initials"))
        if rival is not None:
            if not _plain_word(rival.group("surname"), roles):
                continue
            dropped.add(m.start("initials"))
        initials = re.sub(r"\s+", "", m.group("initials"))
        after_surname.append(_Written(m.start(), m.end(), initials, surname))
    for start, m in initials_first.items():
        if start not in dropped:
            take(_Written(m.start(), m.end(), m.group("initials").replace(" ", ""), m.group("surname")))
    for item in after_surname:
        if free(item.start, item.end):
            take(item)

    # Inside quotes a first name is part of a title («Симфонический Майкл Джексон»):
    # whether that is a namesake is left to the initials forms, as before.
    words = [m for m in _CAPITALISED.finditer(text) if free(m.start(), m.end()) and not _quoted(text, m.start())]

    def adjacent(a: re.Match, b: re.Match) -> bool:
        return a.end() < b.start() and not text[a.end() : b.start()].strip(" \t\u00a0")

    # First name and patronymic, the surname before or after them.
    used: set[int] = set()
    for i in range(len(words) - 1):
        first, patronymic = words[i], words[i + 1]
        if i in used or not adjacent(first, patronymic):
            continue
        agreement = name_readings(first.group(), "Name") & name_readings(patronymic.group(), "Patr")
        if not agreement:
            continue
        # The surname that agrees with the name wins; before it ("Иванов Владимир
        # Викторович") or after it. Failing that, an unknown word beside a name and
        # patronymic is still the surname: "Гайдамака Владимир Викторович".
        sides = [j for j in (i - 1, i + 2) if 0 <= j < len(words) and j not in used]
        sides = [j for j in sides if (adjacent(words[j], first) if j < i else adjacent(patronymic, words[j]))]
        choice = next(((j, fits) for j in sides if (fits := _agreeing(words[j].group(), agreement, roles))), None)
        if choice is None:
            choice = next(((j, fits) for j in sides if (fits := _loosely_agreeing(words[j].group(), agreement, roles))), None)
        if choice is not None:
            j, fits = choice
            surname = words[j]
            start, end = min(surname.start(), first.start()), max(surname.end(), patronymic.end())
            take(_Written(start, end, f"{first.group()[0]}.{patronymic.group()[0]}.", surname.group(), fits))
            used.update({i, i + 1, j})

    # A first name and the surname after it: "Владимиром Ивановым".
    for i in range(len(words) - 1):
        first, surname = words[i], words[i + 1]
        if i in used or i + 1 in used or not adjacent(first, surname):
            continue
        if fold(first.group()) in _not_first_names() or _NOT_BEFORE_FIRST_NAME.search(text[: first.start()]):
            continue
        agreement = name_readings(first.group(), "Name")
        if not agreement or name_readings(surname.group(), "Patr"):
            continue
        if name_readings(surname.group(), "Name") and not _foreign_fixed(surname.group()):
            continue  # "Анна Мария" is two first names; "Мария Гарсиа" a name and a surname
        if not _surname_shaped(surname.group()):
            continue
        fits = _agreeing(surname.group(), agreement, roles)
        if fits:
            take(_Written(first.start(), surname.end(), f"{first.group()[0]}.", surname.group(), fits))
            used.update({i, i + 1})
    return sorted(found, key=lambda w: w.start)


def _quoted(text: str, at: int) -> bool:
    head = text[:at]
    return head.count("«") > head.count("»") or head.count('"') % 2 == 1


def _agreeing(surname: str, agreement: frozenset[tuple[str, str]], roles: frozenset[str]) -> tuple[tuple[str, str], ...]:
    # The (case, gender) readings of the first name the surname fits, nominative first.
    if not _may_be_surname(surname, roles):
        return ()
    fits = [pair for pair in agreement if surname_agrees(surname, *pair)]
    order = {case: n for n, case in enumerate(("nomn", "gent", "datv", "accs", "ablt", "loct", "voct"))}
    return tuple(sorted(fits, key=lambda pair: (order.get(pair[0], 9), pair[1])))


def _loosely_agreeing(surname: str, agreement: frozenset[tuple[str, str]], roles: frozenset[str]) -> tuple[tuple[str, str], ...]:
    # A word the dictionary does not know as a surname may still be one when a
    # name and patronymic stand beside it; a known surname in the wrong case,
    # or an inanimate noun ("Встреча Ивана Ивановича"), is not.
    if not _may_be_surname(surname, roles) or name_readings(surname, "Surn") or name_readings(surname, "Name"):
        return ()
    top = parses(surname)[0].tag if parses(surname) else None
    if top is not None and top.POS == "NOUN" and "inan" in top.grammemes:
        return ()
    fits = [pair for pair in agreement if surname_in_nominative(surname, pair[1], (pair[0],)) != surname or pair[0] == "nomn"]
    order = {case: n for n, case in enumerate(("nomn", "gent", "datv", "accs", "ablt", "loct", "voct"))}
    return tuple(sorted(fits, key=lambda pair: (order.get(pair[0], 9), pair[1])))


def _foreign_fixed(word: str) -> bool:
    # Indeclinable foreign names (Гарсиа, Ли) are surnames as often as first names.
    return any("Fixd" in p.tag.grammemes and "anim" in p.tag.grammemes for p in parses(word))


def _may_be_surname(word: str, roles: frozenset[str]) -> bool:
    # Posts, places and organisations are capitalised too: "Губернатор",
    # "Беларусь", "Смоленск" next to initials are not surnames.
    if lemma(word) in roles or fold(word) in roles:
        return False
    readings = parses(word)
    if not readings:
        return True
    top = readings[0].tag.grammemes
    if top & {"Geox", "Orgn", "Trad"} and "Surn" not in top:
        return False
    return not (readings[0].tag.POS not in {"NOUN", "ADJF", None} and not _surname_shaped(word))


def _surname_shaped(word: str) -> bool:
    # Known to the dictionary as a surname, unknown to it, or ending like one.
    if name_readings(word, "Surn") or looks_like_surname(word):
        return True
    if _foreign_fixed(word):
        return True
    return not analyzer().word_is_known(word.lower())


def _nominative_as_written(surname: str) -> bool:
    # With nothing governing the name, a list gives it in the nominative: "Гайдамака"
    # stays, though to the dictionary it is only the genitive of a noun "гайдамак".
    if name_readings(surname, "Surn") or fold(surname)[-1:] not in "ая":
        return False
    return not any("nomn" in p.tag.grammemes for p in parses(surname))


def _plain_word(word: str, roles: frozenset[str]) -> bool:
    # A common word after initials ("В.В. Встреча") that cannot be their surname.
    if lemma(word) in roles:
        return True
    return not _surname_shaped(word) and not name_readings(word, "Surn")


def _surname_of(found: _Written, case: str | None) -> str:
    # The first name fixes the gender; the role's case breaks a tie between cases.
    pairs = found.agreement
    if case and any(c == case for c, _g in pairs):
        pairs = tuple(p for p in pairs if p[0] == case) + tuple(p for p in pairs if p[0] != case)
    gender = pairs[0][1]
    cases = tuple(dict.fromkeys(c for c, g in pairs if g == gender))
    return surname_in_nominative(found.surname, gender, cases)


@lru_cache(maxsize=1)
def _not_first_names() -> frozenset[str]:
    return frozenset(fold(w) for w in lexicon_lines("not_first_names"))


def _is_namesake(window: str, markers: tuple[str, ...], roles: set[str]) -> bool:
    # A marker ("им.", "памяти") shortly before the name makes it a namesake,
    # unless a post stands between them: "посвященный Победе, губернатор …".
    hits = [window.rfind(marker) for marker in markers]
    last = max(hits)
    if last < 0:
        return False
    between = window[last:].split()[1:]
    return not any(lemma(w.strip("«»().,")) in roles for w in between)


def _case_of(before: str, role: str | None) -> str | None:
    # The name agrees with its role: "Губернатора … В.Н. Анохина" is genitive.
    if not role:
        return None
    segment = _ROLE_CUT.split(before)[-1].strip()
    head = segment.split()[0].strip("«»().,") if segment.split() else ""
    return noun_case(head)


def _role(before: str, roles: set[str]) -> str | None:
    parts = _ROLE_CUT.split(before)
    segment = parts[-1].strip() if parts else ""
    if not segment:
        return None
    words = segment.split()
    if not words or not any(lemma(w.strip("«»().,")) in roles for w in words[:3]):
        return None
    role = nominative_phrase(segment).strip(" -–")
    first = lemma(role.split()[0])
    if first in _capitalised_roles():
        return role[:1].upper() + role[1:]
    if role[:1].isupper() and not role.split()[0].isupper():
        return role[:1].lower() + role[1:]  # "Заместитель …" at the start of a cell
    return role


@lru_cache(maxsize=1)
def _capitalised_roles() -> frozenset[str]:
    return frozenset(fold(w) for w in lexicon_lines("roles") if w[:1].isupper())
