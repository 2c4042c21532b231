"""Places named in a row: gazetteer matches, coordinated adjectives, administrative adjectives."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..gazetteer import Gazetteer, Place

__all__ = ["PlaceHit", "find_places", "most_specific", "inside_quotes"]


@dataclass(frozen=True)
class PlaceHit:
    place: Place
    start: int
    end: int
    how: str  # "name", "coordinated", "adjective"


# "Витебской, Могилевской областей": adjectives sharing one plural noun.
_COORDINATED = re.compile(
    r"(?P<adjs>(?:[А-ЯЁ][а-яё]+(?:ской|ской|цкой|зской)\s*,?\s*(?:и\s+)?){2,})(?P<noun>областей|районов|краев|областях|районах)"
)
_ADJ_WORD = re.compile(r"[А-ЯЁ][а-яё]+(?:ской|цкой|зской)")
# "Витебского областного исполнительного комитета", "Лидского районного центра".
_ADMIN_ADJECTIVE = re.compile(
    r"(?P<adj>[А-ЯЁ][а-яё]+(?:ий|ый|ой|ого|ому|ым|ом|ая|ую|ое|ые|ых|ими|ской))\s+(?P<level>областн|районн|городск)[а-яё]*"
)
_LEVEL_KIND = {"областн": "region", "районн": "district", "городск": "city"}
# Words each pattern needs: a cheap test that skips the regex for most texts.
_COORDINATED_NOUNS = ("областей", "районов", "краев", "областях", "районах")
_ADMIN_LEVELS = tuple(_LEVEL_KIND)
_NOUN_KIND = {"област": "region", "район": "district", "кра": "region"}


def find_places(text: str, gazetteer: Gazetteer) -> list[PlaceHit]:
    """Every place a text names: by name in any case, by coordinated adjectives
    ("Витебской, Могилевской областей"), and by the adjective of an
    administrative body ("Витебского областного исполнительного комитета").

    An adjective in any other name ("Минский колледж") is not a place.
    """
    hits = [PlaceHit(m.place, m.start, m.end, "name") for m in gazetteer.find(text)]
    taken = [(h.start, h.end) for h in hits]

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    coordinated = _COORDINATED.finditer(text) if any(n in text for n in _COORDINATED_NOUNS) else ()
    for m in coordinated:
        kind = next(v for k, v in _NOUN_KIND.items() if m.group("noun").startswith(k))
        for a in _ADJ_WORD.finditer(m.group("adjs")):
            start, end = m.start("adjs") + a.start(), m.start("adjs") + a.end()
            if not free(start, end):
                continue
            found = gazetteer.by_adjective(a.group(), kind=kind)
            if len(found) == 1:
                hits.append(PlaceHit(found[0], start, end, "coordinated"))
                taken.append((start, end))
    administrative = _ADMIN_ADJECTIVE.finditer(text) if any(w in text for w in _ADMIN_LEVELS) else ()
    for m in administrative:
        if not free(m.start("adj"), m.end("adj")):
            continue
        kind = _LEVEL_KIND[m.group("level")]
        found = gazetteer.by_adjective(m.group("adj"), kind=kind)
        if len(found) == 1:
            hits.append(PlaceHit(found[0], m.start("adj"), m.end("adj"), "adjective"))
            taken.append((m.start("adj"), m.end("adj")))
    hits.sort(key=lambda h: h.start)
    return hits


def most_specific(places: list[Place], gazetteer: Gazetteer) -> list[Place]:
    """Drop every place that contains another one of the list.

    "г. Могилев, Могилевская область, Республика Беларусь" → Могилев.
    """
    ids = {p.id for p in places}
    covered = {a.id for p in places for a in gazetteer.ancestors(p.id)}
    out, seen = [], set()
    for place in places:
        if place.id in covered or place.id in seen:
            continue
        seen.add(place.id)
        out.append(place)
    return out if out else [p for p in places if p.id in ids][:1]


def inside_quotes(text: str, start: int) -> bool:
    """Whether position ``start`` is inside «…» (a proper name)."""
    before = text[:start]
    return before.count("«") > before.count("»")
