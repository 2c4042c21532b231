"""What a row inherits from its layout: the sphere and partner of its section, a format column."""
from __future__ import annotations

import re
from functools import lru_cache

from ..gazetteer import Gazetteer, Place
from ..lexicon import lexicon_table
from ..morph import fold
from .places import find_places

__all__ = ["infer_sphere", "format_of", "format_spans", "sphere_spans", "section_partners", "event_sphere"]

_HOME_COUNTRY = "RU"


@lru_cache(maxsize=None)
def _stems(name: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    out = []
    for key, words in lexicon_table(name):
        alternatives = "|".join(re.escape(fold(w)) for w in words)
        out.append((key, re.compile(rf"(?<![0-9a-zа-я])(?:{alternatives})")))
    return tuple(out)


def infer_sphere(title: str) -> str | None:
    """The sphere a title's words point to, when they point to exactly one.

    >>> infer_sphere("Турнир по мини-футболу среди юношей")
    'Сотрудничество в сфере спорта'
    >>> infer_sphere("Рабочая встреча") is None
    True
    """
    text = fold(title)
    found = [sphere for sphere, pattern in _stems("spheres") if pattern.search(text)]
    return found[0] if len(found) == 1 else None


def format_of(cell: str) -> str | None:
    """``"online"``, ``"hybrid"`` or ``"offline"`` from a format cell, or None.

    >>> format_of("ВКС"), format_of("Смешанный"), format_of("очно"), format_of("")
    ('online', 'hybrid', 'offline', None)
    """
    text = fold(cell)
    return next((kind for kind, pattern in _stems("formats") if pattern.search(text)), None)


def sphere_spans(title: str, sphere: str) -> list[tuple[int, int]]:
    """Where the words of ``title`` that point to ``sphere`` (as :func:`infer_sphere` reads them) stand.

    >>> title = "Открытый турнир по мини-футболу"
    >>> [title[s:e] for s, e in sphere_spans(title, "Сотрудничество в сфере спорта")]
    ['турнир']
    """
    return _spans("spheres", sphere, title)


def format_spans(cell: str) -> list[tuple[int, int]]:
    """Where the words of a format cell that :func:`format_of` read stand.

    >>> format_spans("в режиме ВКС")
    [(9, 12)]
    """
    kind = format_of(cell)
    return _spans("formats", kind, cell) if kind else []


def _spans(table: str, key: str, text: str) -> list[tuple[int, int]]:
    # fold() keeps every offset (lower case and ё → е change no length), so the folded text's spans are the text's.
    folded = fold(text)
    if len(folded) != len(text):
        return []
    pattern = next((p for k, p in _stems(table) if k == key), None)
    return [m.span() for m in pattern.finditer(folded)] if pattern is not None else []


def section_partners(section: str, gazetteer: Gazetteer) -> list[Place]:
    """The foreign places and groups of countries a section heading names.

    >>> from smolgraph.gazetteer import load_gazetteer
    >>> [p.id for p in section_partners("1. Взаимодействие с Китайской Народной Республикой", load_gazetteer())]
    ['CN']
    >>> section_partners("Сотрудничество в сфере спорта", load_gazetteer())
    []
    """
    places = []
    for hit in find_places(section, gazetteer):
        place = hit.place
        foreign = place.country and place.country != _HOME_COUNTRY
        if (foreign or place.kind == "macroregion") and place not in places:
            places.append(place)
    return places


def event_sphere(column: str | None, sections: tuple[str, ...], partner_sections: set[str], title: str) -> str | None:
    """The sphere of an event: its sphere column, else the innermost heading that names no partner, else its title's words.

    >>> event_sphere(None, ("Взаимодействие с КНР", "Культурное сотрудничество"), {"Взаимодействие с КНР"}, "Концерт")
    'Культурное сотрудничество'
    """
    if column:
        return column
    for section in reversed(sections):
        if section not in partner_sections:
            return section
    return infer_sphere(title)
