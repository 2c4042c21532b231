"""The facts of a report's closing paragraph: how many meetings, of what kind, where."""
from __future__ import annotations

import re
from ..morph import nominative_phrase
from ..records import SummaryFacts

__all__ = ["extract_summary"]


_COUNT = re.compile(
    r"состоял[а-яё]*\s+(?P<count>\d+)\s+(?P<kind>.*?)(?:\s+в\s+(?:здании|помещении)\s+(?P<place>.+?))?\s*\.?\s*$",
    re.IGNORECASE,
)


def extract_summary(text: str | None) -> SummaryFacts | None:
    """Read the count, kind and place from a summary paragraph, if it states them.

    >>> extract_summary("В I квартале 2025 года состоялось 3 встречи (приемы, переговоры) с иностранными "
    ...                 "делегациями в здании Дома Советов (пл. Ленина, д. 1)")
    SummaryFacts(count=3, kind='встречи (приемы, переговоры) с иностранными делегациями', place='Дом Советов (пл. Ленина, д. 1)')
    """
    if not text:
        return None
    m = _COUNT.search(" ".join(text.split()))
    if not m:
        return None
    place = m.group("place")
    return SummaryFacts(
        count=int(m.group("count")),
        kind=m.group("kind").strip(),
        place=nominative_phrase(place.strip()) if place else None,
    )
