"""Where each fact of a row came from: the words of its cells, kept as :class:`~smolgraph.records.Evidence`.

The extractors read a few texts per row (title, venue, dates, content,
participants), some of them two cells joined by a line break (a note column
is read as part of the content, a partners column as part of the
participants). :class:`EvidenceLog` takes a span of such a text, with the
fact it gave, and keeps it as offsets into the one cell the words stand in,
as the record (and the store) keeps that cell's text. At the end of a row,
:meth:`EvidenceLog.kept` keeps only the spans of facts the record holds, so a
span found on the way to a fact that was later dropped marks nothing.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from ..records import FIELDS, EventRecord, Evidence

__all__ = ["EvidenceLog", "record_values", "phrase_spans"]

#: The facts with one value per event: their evidence has value None.
SINGLE_FACTS = ("dates", "participants_total", "views", "visitors", "sphere", "event_type", "document_signed")


class EvidenceLog:
    """The spans an extractor found facts in, mapped back to the cells as written.

    Parameters
    ----------
    cells : mapping of str to str
        The row's cells by field, exactly as the record keeps them.
    pieces : mapping of str to list of (int, str)
        For each text the extractors read that is not one cell as it is: where
        each cell starts in it, ``[(0, "content"), (len(content) + 1, "note")]``.
        A text not listed is the cell of that name.

    Examples
    --------
    >>> log = EvidenceLog({"content": "Встреча", "note": "в г. Минске"}, {"content": [(0, "content"), (8, "note")]})
    >>> log.add("content", 10, 19, "partner_places", "BY-HM")
    >>> log.items[0].field, log.items[0].text
    ('note', 'г. Минске')
    """

    def __init__(self, cells: Mapping[str, str], pieces: Mapping[str, list[tuple[int, str]]] | None = None) -> None:
        self.cells = cells
        self.pieces = dict(pieces or {})
        self._found: dict[tuple, Evidence] = {}

    @property
    def items(self) -> list[Evidence]:
        """Every span added so far, in the order they were added."""
        return list(self._found.values())

    def add(self, column: str, start: int, end: int, fact: str, value: str | None = None, *, implied: bool = False) -> None:
        """Keep ``text[start:end]`` of the text read as ``column`` as the words that gave ``fact`` its ``value``.

        Spaces at either end are left out; a span that runs across two cells,
        or holds nothing but spaces, is dropped. The same words giving the same
        value twice are kept once, as stated outright if either time was.
        """
        located = self._locate(column, start, end)
        if located is None:
            return
        field, start, end = located
        text = self.cells[field]
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            return
        key = (field, start, end, fact, value)
        known = self._found.get(key)
        if known is None or (known.implied and not implied):
            self._found[key] = Evidence(field, start, end, text[start:end], fact, value, implied)

    def rename(self, fact: str, old: str, new: str) -> None:
        """Give the spans of ``fact``'s value ``old`` to ``new`` (a person's short name merged into the full one)."""
        for key, item in list(self._found.items()):
            if item.fact == fact and item.value == old:
                del self._found[key]
                self._found.setdefault((*key[:4], new), Evidence(item.field, item.start, item.end, item.text, fact, new, item.implied))

    def kept(self, event: EventRecord) -> list[Evidence]:
        """The spans of the facts ``event`` holds, in cell order (as ``FIELDS``), then text order."""
        values = record_values(event)
        order = {name: n for n, name in enumerate(FIELDS)}
        found = [e for e in self._found.values() if e.value in values.get(e.fact, ())]
        # Words stated outright inside others that state the same ("дистанционно" in "в дистанционном
        # формате") add nothing; implied ones stay, so a place inside an organisation's name keeps its own mark.
        found = [e for e in found if e.implied or not any(_inside(e, other) for other in found if not other.implied)]
        # A value implied by some words and stated outright by others (Беларусь by "Оршанского района" and by
        # "Республика Беларусь") is marked where it is stated; implied marks stay only for values never stated.
        stated = {(e.fact, e.value) for e in found if not e.implied}
        found = [e for e in found if not e.implied or (e.fact, e.value) not in stated]
        # Of implied marks of one value, one inside another, the inner: the place inside an organisation's name.
        found = [e for e in found if not (e.implied and any(_inside(other, e) for other in found if other.implied))]
        return sorted(found, key=lambda e: (order.get(e.field, len(order)), e.start, -e.end, e.fact, e.value or ""))

    def _locate(self, column: str, start: int, end: int) -> tuple[str, int, int] | None:
        field, offset = column, 0
        for at, name in self.pieces.get(column, ()):
            if start >= at:
                field, offset = name, at
        text = self.cells.get(field)
        start, end = start - offset, end - offset
        if not text or start < 0 or end > len(text) or start >= end:
            return None
        return field, start, end


def _inside(item: Evidence, other: Evidence) -> bool:
    """Whether ``item`` lies within ``other``'s words, giving the same value, and is not ``other``."""
    return (
        item is not other
        and (item.field, item.fact, item.value) == (other.field, other.fact, other.value)
        and other.start <= item.start
        and item.end <= other.end
    )


def record_values(event: EventRecord) -> dict[str, set]:
    """The values each fact of ``event`` holds, keyed as :class:`~smolgraph.records.Evidence` keys them.

    >>> from smolgraph.records import PlaceRef
    >>> event = EventRecord(report_id="r", row=1, sphere=None, title="Встреча")
    >>> event.partner_places = [PlaceRef("Оршанский район", "BY-VI-orsha-district")]
    >>> record_values(event)["partner_places"], record_values(event)["format"]
    ({'BY-VI-orsha-district'}, {'offline'})
    """

    def places(refs) -> set[str]:
        return {p.place_id or p.name for p in refs}

    def names(orgs) -> set[str]:
        return {o.name for o in orgs}

    values: dict[str, set] = {
        "venue_places": places(event.venue_places),
        "venue_countries": set(event.venue_countries),
        "venue_orgs": set(event.venue_orgs),
        "partner_countries": set(event.partner_countries),
        "partner_macroregions": set(event.partner_macroregions),
        "partner_regions": places(event.partner_regions),
        "partner_places": places(event.partner_places),
        "russian_regions": places(event.russian_regions),
        "local_orgs": names(event.local_orgs),
        "foreign_orgs": names(event.foreign_orgs),
        "russian_orgs": names(event.russian_orgs),
        "international_orgs": names(event.international_orgs),
        "mentioned_orgs": names(event.mentioned_orgs),
        "people": {p.name for p in event.people},
        "namesakes": set(event.namesakes),
        "participants_breakdown": set(event.participants_breakdown),
        "agreements": {a.text for a in event.agreements},
        "format": {"online" if event.online else "hybrid" if event.hybrid else "offline"},
    }
    singles = {
        "dates": event.dates,
        "participants_total": event.participants_total,
        "views": event.views,
        "visitors": event.visitors,
        "sphere": event.sphere,
        "event_type": event.event_type,
        "document_signed": event.document_signed or None,
    }
    for fact, value in singles.items():
        values[fact] = {None} if value is not None else set()
    return values


def phrase_spans(text: str, phrase: str) -> Iterator[tuple[int, int]]:
    """Where a folded lexicon phrase stands in ``text``, any case and ё, a line break for a space.

    The extractors compare folded text with spaces made single; the cell as
    written may break a phrase over two lines.

    >>> list(phrase_spans("Проведение\\nтелемоста", "проведение телемоста"))
    [(0, 20)]
    """
    words = [re.escape(w) for w in phrase.split()]
    if not words:
        return
    pattern = r"\s+".join(words).replace("е", "[её]")
    for m in re.finditer(pattern, text, re.IGNORECASE):
        yield m.start(), m.end()
