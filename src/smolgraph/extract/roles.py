"""The part each person played at an event: a key of the ontology's sg:Roles scheme.

The post a report writes ("заместитель председателя Правительства …") says who
someone is, not what they did at the event; an analyst asks the latter ("every
head of a foreign delegation", "events we hosted"). Rules read it from the
row's text, with phrases from ``data/lexicon/role_kinds.txt``; the post as
written stays on the person (``PersonRef.role``) and is never replaced.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..lexicon import lexicon_table
from ..morph import fold
from ..records import EventRecord
from .people import find_people

__all__ = ["ROLE_KINDS", "assign_role_kinds"]

#: Every key a person's ``role_kind`` may take, as the builder maps them to sg:Roles.
ROLE_KINDS = (
    "host",
    "guest",
    "head_of_delegation",
    "delegation_member",
    "speaker",
    "signatory",
    "organiser",
    "participant",
)

# The cells people are read from (extract/event.py reads them in this order).
_PEOPLE_COLUMNS = ("participants", "title", "content")

# A sentence ends at ";" or at a full stop after a lower-case word and before a capital: a
# stop after an initial ("А.В. Стрельцов") ends nothing, and neither does a line break
# (Word cells wrap lines inside a sentence).
_SENTENCE_END = re.compile(r";|(?<=[а-яёa-z»)]{2})\.\s+(?=[А-ЯЁA-Z])")


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(kind, where, folded phrases), in the file's order: the first match wins."""
    rules = []
    for kind, values in lexicon_table("role_kinds"):
        if kind not in ROLE_KINDS or not values or values[0] not in ("before", "clause"):
            raise ValueError(f"role_kinds.txt: '{kind} | {' | '.join(values)}' is not 'kind | before|clause | phrases'")
        rules.append((kind, values[0], tuple(fold(p) for p in values[1:])))
    return tuple(rules)


def assign_role_kinds(event: EventRecord, cells: dict[str, str], *, home_country: str) -> None:
    """Set ``role_kind`` on every person of ``event`` from the text of its ``cells``.

    A phrase of ``role_kinds.txt`` near the person decides first (head of
    delegation, signatory, speaker, organiser). Otherwise the side decides:
    at an event held at home (no venue abroad) the reporting region's people
    are hosts and foreigners guests; abroad our people are members of a
    delegation when the row names one (else participants), and people of the
    country the event was held in are hosts.

    >>> from smolgraph.records import PersonRef
    >>> event = EventRecord(report_id="r", row=3, sphere=None, title="Визит делегации")
    >>> event.people = [PersonRef("А.А. Новиков", "Глава города Смоленска", "local"),
    ...                 PersonRef("А.А. Никитина", "заместитель председателя", "foreign", "BY")]
    >>> text = ("Глава города Смоленска А.А. Новиков, делегация Республики Беларусь во главе с "
    ...         "заместителем председателя А.А. Никитиной")
    >>> assign_role_kinds(event, {"participants": text}, home_country="RU")
    >>> [(p.name, p.role_kind) for p in event.people]
    [('А.А. Новиков', 'host'), ('А.А. Никитина', 'head_of_delegation')]
    """
    if not event.people:
        return
    stated = _stated_kinds(cells)
    venue_countries = set(event.venue_countries)
    abroad = any(code != home_country for code in venue_countries)
    delegation = any("делегац" in fold(cells.get(column) or "") for column in (*_PEOPLE_COLUMNS, "title"))
    for person in event.people:
        kind = stated.get(person.name)
        if kind is None:
            if not abroad:
                kind = "host" if person.side == "local" else "guest"
            elif person.side == "local":
                kind = "delegation_member" if delegation else "participant"
            else:
                kind = "host" if person.country in venue_countries else "participant"
        person.role_kind = kind


def _stated_kinds(cells: dict[str, str]) -> dict[str, str]:
    """The kind a phrase of the lexicon gives each person it stands by, by the person's name."""
    rules = _rules()
    phrases = tuple(p for _, _, group in rules for p in group)
    found: dict[str, str] = {}
    for column in _PEOPLE_COLUMNS:
        text = cells.get(column) or ""
        folded = fold(text)
        # find_people is the costly part: only a cell that holds a phrase needs the names' places.
        if not any(p in folded for p in phrases):
            continue
        previous_end = 0
        for mention in find_people(text):
            if mention.namesake:
                continue
            start, end = _sentence(text, mention.start, mention.end)
            before = fold(text[max(start, previous_end) : mention.start])
            clause = fold(text[start:end])
            previous_end = mention.end
            for kind, where, group in rules:
                if any(p in (before if where == "before" else clause) for p in group):
                    found.setdefault(mention.name, kind)
                    break
    return found


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence holding ``text[start:end]``."""
    first = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        first = match.end()
    after = _SENTENCE_END.search(text, end)
    return first, after.start() if after else len(text)
