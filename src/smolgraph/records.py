"""Plain records that flow between the stages: report rows in, events out.

Readers produce :class:`Report`; extractors turn each :class:`Row` into an
:class:`EventRecord`; the builder turns records into RDF. None of these
classes knows about files or RDF, so every stage can be tested on its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "COLUMNS",
    "Row",
    "ReportMeta",
    "Report",
    "DateSpan",
    "PlaceRef",
    "OrgRef",
    "PersonRef",
    "Agreement",
    "EventRecord",
    "SummaryFacts",
]

#: The canonical columns of a report table, whatever their header says.
COLUMNS: tuple[str, ...] = ("number", "title", "venue", "dates", "content", "participants")


@dataclass
class Row:
    """One table row: its cells by canonical column, and where it came from.

    ``index`` is the 1-based position of the row among the table's rows
    (header included) or the line of the text dump where it starts; it is
    what an error message points the user to.
    """

    number: int
    sphere: str | None
    cells: dict[str, str]
    index: int = 0


@dataclass
class ReportMeta:
    """What a report says about itself: who reports, for which period."""

    source_file: str
    title: str = ""
    region: str | None = None  # nominative, e.g. "Смоленская область"
    year: int | None = None
    quarter: int | None = None
    summary: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # canonical -> header as written

    @property
    def report_id(self) -> str:
        """A stable id made from the file name, e.g. ``smolensk-2025-q1``."""
        from pathlib import PurePath

        return _slug(PurePath(self.source_file).stem)

    @property
    def period(self) -> tuple[date, date] | None:
        """First and last day of the reporting quarter (or year)."""
        if self.year is None:
            return None
        if self.quarter is None:
            return date(self.year, 1, 1), date(self.year, 12, 31)
        first_month = 3 * (self.quarter - 1) + 1
        start = date(self.year, first_month, 1)
        end = date(self.year + 1, 1, 1) if self.quarter == 4 else date(self.year, first_month + 3, 1)
        return start, date.fromordinal(end.toordinal() - 1)


@dataclass
class Report:
    """A whole report: its metadata and rows, in table order."""

    meta: ReportMeta
    rows: list[Row]


@dataclass
class DateSpan:
    """When an event happened; ``precision`` is ``"day"`` or ``"month"``."""

    start: date
    end: date
    precision: str = "day"


@dataclass
class PlaceRef:
    """A place named in a row, in the nominative.

    ``place_id`` is the gazetteer id when the place is known there.
    """

    name: str
    place_id: str | None = None
    kind: str | None = None
    country: str | None = None


@dataclass
class OrgRef:
    """An organisation named in a row.

    ``side`` is one of ``local`` (the reporting region), ``foreign``,
    ``russian`` (elsewhere in Russia), ``international`` or ``context``
    (mentioned only, not taking part).
    """

    name: str
    side: str
    country: str | None = None
    region_id: str | None = None
    place_id: str | None = None


@dataclass
class PersonRef:
    """A participant: initials and surname in the nominative, role as written."""

    name: str
    role: str | None
    side: str  # "local" or "foreign"
    country: str | None = None
    remote: bool = False
    organisation: str | None = None


@dataclass
class Agreement:
    """An agreement reached at the event, or one it was held under."""

    text: str
    signed: bool = False
    referenced: bool = False  # the framework of the event, not made there


@dataclass
class EventRecord:
    """Everything an analyst reads out of one report row (see EXTRACTION.md)."""

    report_id: str
    row: int
    sphere: str | None
    title: str
    dates: DateSpan | None = None
    online: bool = False
    hybrid: bool = False
    venue_places: list[PlaceRef] = field(default_factory=list)
    venue_orgs: list[str] = field(default_factory=list)
    venue_countries: list[str] = field(default_factory=list)
    partner_countries: list[str] = field(default_factory=list)
    partner_macroregions: list[str] = field(default_factory=list)
    partner_regions: list[PlaceRef] = field(default_factory=list)
    partner_places: list[PlaceRef] = field(default_factory=list)
    foreign_participation_unspecified: bool = False
    russian_regions: list[PlaceRef] = field(default_factory=list)
    local_orgs: list[OrgRef] = field(default_factory=list)
    foreign_orgs: list[OrgRef] = field(default_factory=list)
    russian_orgs: list[OrgRef] = field(default_factory=list)
    international_orgs: list[OrgRef] = field(default_factory=list)
    mentioned_orgs: list[OrgRef] = field(default_factory=list)
    people: list[PersonRef] = field(default_factory=list)
    namesakes: list[str] = field(default_factory=list)
    participants_total: int | None = None
    participants_qualifier: str | None = None  # "more_than", "about", "up_to"
    participants_breakdown: dict[str, int] = field(default_factory=dict)
    views: int | None = None
    visitors: int | None = None
    agreements: list[Agreement] = field(default_factory=list)
    document_signed: bool = False
    event_type: str | None = None
    cells: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class SummaryFacts:
    """What a report's closing paragraph states: "состоялось 3 встречи … в здании …"."""

    count: int
    kind: str
    place: str | None = None


def _slug(text: str) -> str:
    import re

    slug = re.sub(r"[^0-9A-Za-z]+", "-", text).strip("-").lower()
    return slug or "report"
