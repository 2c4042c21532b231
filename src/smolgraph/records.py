"""Plain records that flow between the stages: report rows in, events out.

Readers produce :class:`Report`; extractors turn each :class:`Row` into an
:class:`EventRecord`; the builder turns records into RDF. None of these
classes knows about files or RDF, so every stage can be tested on its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from .slugs import report_slug

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
    "Evidence",
    "EventRecord",
    "SummaryFacts",
]

#: The canonical columns of a report table, whatever their header says.
COLUMNS: tuple[str, ...] = ("number", "title", "venue", "dates", "content", "participants")

#: Every field a column can feed: the canonical columns and those only some layouts have.
FIELDS: tuple[str, ...] = COLUMNS + (
    "sphere",  # the sphere as a column of its own ("Сфера", "Отрасль")
    "partners",  # the foreign side ("Иностранный партнер", "Страна (регион)")
    "format",  # "очно", "онлайн", "ВКС", "смешанный"
    "responsible",  # the local body in charge ("Ответственный исполнитель")
    "note",  # "Примечание"
    "participants_local",  # participants split by side: ours …
    "participants_foreign",  # … and theirs
)

#: A row label as printed: an int for a plain number ("7", "7."), else the text ("2.3").
RowLabel = int | str


@dataclass
class Row:
    """One table row: its cells by field, and where it came from.

    ``number`` is the row label as printed ("7." gives 7, "2.3" stays "2.3";
    a label repeated because numbering restarts in each section is prefixed
    with the section's number). ``position`` is the row's place among the
    report's rows (1, 2, …), whatever its label. ``index`` is the 1-based
    position of the row in its table (header included) or the line of the
    text dump where it starts: what an error message points the user to.
    ``sections`` are the headings the row stands under, outermost first
    (a heading paragraph above the table, then a heading row inside it);
    ``other_cells`` holds the cells of columns no rule knows, by header.
    """

    number: RowLabel
    sphere: str | None
    cells: dict[str, str]
    index: int = 0
    position: int = 0
    sections: tuple[str, ...] = ()
    other_cells: dict[str, str] = field(default_factory=dict)
    table: int = 1


@dataclass
class ReportMeta:
    """What a report says about itself: who reports, for which period."""

    source_file: str
    title: str = ""
    region: str | None = None  # nominative, e.g. "Смоленская область"
    year: int | None = None
    quarter: int | None = None
    half: int | None = None
    period_start: date | None = None  # a period other than a quarter or a year: "за 9 месяцев", "с … по …"
    period_end: date | None = None
    summary: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # field -> header as written
    unknown_columns: list[str] = field(default_factory=list)  # headers no rule knows, kept as other cells
    sections: list[str] = field(default_factory=list)  # headings, in order
    warnings: list[str] = field(default_factory=list)  # what was read with a doubt: skipped tables
    # Set by ingest when the store holds another report (another region or
    # period) under the id of this file's name; IRIs are minted from report_id.
    id_override: str | None = None

    @property
    def report_id(self) -> str:
        """The report's id: made from the whole file name, unless ingest has set another.

        >>> meta = ReportMeta(source_file="reports/Отчет_Смоленская_обл_1_кв_2025.docx")
        >>> meta.report_id
        'otchet-smolenskaya-obl-1-kv-2025'
        >>> meta.report_id = "otchet-ru-smo-2025-q1"
        >>> meta.report_id, ReportMeta(source_file="smolensk-2025-q1.txt").report_id
        ('otchet-ru-smo-2025-q1', 'smolensk-2025-q1')
        """
        return self.id_override or report_slug(PurePath(self.source_file).stem)

    @report_id.setter
    def report_id(self, value: str) -> None:
        self.id_override = value

    @property
    def period(self) -> tuple[date, date] | None:
        """First and last day of the reporting period (a quarter, half-year, year or stated span)."""
        if self.period_start is not None and self.period_end is not None:
            return self.period_start, self.period_end
        if self.year is None:
            return None
        if self.half is not None:
            return (date(self.year, 1, 1), date(self.year, 6, 30)) if self.half == 1 else (date(self.year, 7, 1), date(self.year, 12, 31))
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
    # The part played, a key of sg:Roles ("host", "head_of_delegation", …; extract/roles.py):
    # kept apart from ``role``, the post as written, which it never replaces.
    role_kind: str | None = None


@dataclass
class Agreement:
    """An agreement reached at the event, or one it was held under."""

    text: str
    signed: bool = False
    referenced: bool = False  # the framework of the event, not made there


@dataclass(frozen=True)
class Evidence:
    """The words of one cell that gave one fact of an event: what the event card marks.

    ``field`` is the cell's column (a key of ``EventRecord.cells``); ``start``
    and ``end`` are offsets into that cell's text exactly as the record keeps
    it (characters, that is code points; ``end`` excluded), and ``text`` is
    ``cells[field][start:end]``. ``fact`` is the name of the record's field
    the words gave a value of (``partner_places``, ``dates`` …) and ``value``
    which of its values: a place id (or name, for a place the gazetteer
    lacks), a country code, an organisation's or person's name, an
    agreement's text, a group's key or a format ("online"); None for a field
    of one value (dates, total, sphere, event type, views, visitors, document
    signed). ``implied`` is True when the words name something else that
    implies the value: a district its region and country, an organisation its
    town.

    >>> cell = "ГУ «Центр Оршанского района» (Республика Беларусь)"
    >>> Evidence("participants", 10, 27, cell[10:27], "partner_places", "BY-VI-orsha-district").text
    'Оршанского района'
    """

    field: str
    start: int
    end: int
    text: str
    fact: str
    value: str | None = None
    implied: bool = False


@dataclass
class EventRecord:
    """Everything an analyst reads out of one report row (see EXTRACTION.md)."""

    report_id: str
    row: RowLabel
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
    position: int = 0  # the row's place in the report, whatever its label
    section: str | None = None  # the heading the row stood under, without its number
    section_partner: bool = False  # the section names the partner, which the event inherits
    other_cells: dict[str, str] = field(default_factory=dict)  # header -> text of columns no rule knows
    # The words of the cells each fact came from (extract/evidence.py), in cell and text order.
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class SummaryFacts:
    """What a report's closing paragraph states: "состоялось 3 встречи … в здании …"."""

    count: int
    kind: str
    place: str | None = None

