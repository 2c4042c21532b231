"""People: initials and surname, their role as written, and namesakes."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..morph import fold, lemma, nominative_phrase, nominative_surname, noun_case
from .lexicon import lexicon_lines

__all__ = ["PersonMention", "find_people"]


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

    Examples
    --------
    >>> [(p.name, p.role, p.remote) for p in find_people(
    ...     "заместитель председателя Правительства Смоленской области А.В. Стрельцов (в режиме ВКС)")]
    [('А.В. Стрельцов', 'заместитель председателя Правительства Смоленской области', True)]
    >>> [(p.name, p.namesake) for p in find_people("библиотека им. А.Т. Твардовского")]
    [('А.Т. Твардовский', True)]
    """
    roles = _roles()
    markers = _namesake_markers()
    remote_phrases = _remote_phrases()
    out: list[PersonMention] = []
    for m in _NAME.finditer(text):
        before = text[max(0, m.start() - 160) : m.start()].replace("\n", " ")
        namesake = _is_namesake(fold(before[-70:]), markers, roles)
        role = None if namesake else _role(before, roles)
        case = "gent" if namesake and re.search(r"(?:им\.|имени)\s*$", fold(before)) else _case_of(before, role)
        initials = m.group("initials").replace(" ", "")
        name = f"{initials} {nominative_surname(m.group('surname'), case=case)}"
        after = fold(text[m.end() : m.end() + 40])
        remote = bool(re.match(r"\s*\(", after)) and any(p in after.split(")")[0] for p in remote_phrases)
        out.append(PersonMention(name=name, role=role, remote=remote, namesake=namesake, start=m.start(), end=m.end()))
    return out


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
