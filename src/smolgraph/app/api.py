"""The workbench's JSON API: what each ``/api/…`` address answers, as functions of plain values.

Nothing here knows HTTP: :mod:`smolgraph.app.server` turns a request into a
call of :class:`Workbench` and its answer (a dict, or :class:`Download`) into a
response, and an :class:`ApiError` into a 4xx with its message. So a test, or
a later ASGI front, calls the same functions the page gets its data from.

Every question the store answers is a named query of ``queries/``
(``contacts-table``, ``event-facts`` and the other ``event-…``, ``store-names``,
``reports``, and the rest through ``/api/ask``), run through :mod:`smolgraph.api`, so the command
line can ask each of them too; this module only filters, sorts and shapes
their rows. ``docs/app.md`` is the contract this module keeps.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from http import HTTPStatus
from pathlib import Path
from typing import Any

from .. import api as library
from ..errors import QueryError, ReportError, SmolgraphError, UnknownPlaceError, ValidationError
from ..gazetteer import Gazetteer, load_gazetteer
from ..ask import resolve_place
from ..i18n import _, language
from ..morph import fold, surname_forms
from ..output import format_rows
from ..slugs import slug
from .table import Table, keep_names, kept_names, read_table

__all__ = ["ApiError", "Download", "Upload", "Workbench", "page_messages", "MAX_UPLOAD", "FORMATS"]

#: The largest report file the app takes (bytes): the size of the readers' own archive cap, far above any real report.
MAX_UPLOAD = 50 * 1024 * 1024
#: How an event was held, as the contacts table and its filter name it.
FORMATS = ("online", "offline", "hybrid")
#: The columns the contacts table shows and downloads, in order; partner_country_codes stays behind for the filter.
SHOWN = ("report", "row", "start", "end", "title", "sphere", "partner_places", "partner_countries",
         "partner_organisations", "format", "reporting_region")
#: Rows /api/ask returns at most: a form is for reading, a bigger answer is the command line's.
ASK_LIMIT = 5000
_PLACE_KINDS = ("country", "region", "place")
_SEARCH_LIMIT = 12
#: Rows of the contacts table a page holds unless ``limit`` says otherwise, and the most a page may hold.
PAGE_SIZE = 200
PAGE_MAX = 5000
#: Subjects (place, organisation, person, reporting region) whose rows and facets are kept, and filtered tables.
_SUBJECTS_KEPT = 32
_SHOWN_KEPT = 16


class ApiError(Exception):
    """A request the API cannot answer, with the status and the message a person reads; ``details`` go in the JSON too."""

    def __init__(self, status: int, message: str, **details: Any) -> None:
        super().__init__(message)
        self.status = int(status)
        self.message = message
        self.details = details

    def as_dict(self) -> dict:
        return {"error": self.message, **self.details}


@dataclass
class Download:
    """A file to send as an attachment: what the page's download links get."""

    body: bytes
    content_type: str
    filename: str


@dataclass
class Upload:
    """A report file sent to the app: its name as the user's computer had it, and its bytes."""

    filename: str
    data: bytes = field(repr=False)


def page_messages() -> dict[str, str]:
    """The texts of the page in the reader's language, by the keys ``app.js`` uses.

    They go through the one catalog (``smolgraph.po``), so the page speaks as
    the command line does and ``tests/test_i18n.py`` keeps them translated.
    """
    return {
        "title": _("smolgraph: the analyst's workbench"),
        "search.label": _("Find a place, country, organisation or person"),
        "search.placeholder": _("e.g. Витебская область, Vitebsk, Беларусь"),
        "search.none": _("nothing found"),
        "kind.country": _("country"),
        "kind.region": _("region"),
        "kind.place": _("place"),
        "kind.organisation": _("organisation"),
        "kind.person": _("person"),
        "events": _("events"),
        "nav.contacts": _("Contacts"),
        "nav.reports": _("Reports"),
        "nav.questions": _("Questions"),
        "nav.network": _("Network"),
        "nav.sparql": _("SPARQL"),
        "contacts.heading": _("Contacts"),
        "contacts.all": _("all events in the store"),
        "contacts.shown": _("shown"),
        "contacts.of": _("of"),
        "filter.from": _("from"),
        "filter.to": _("to"),
        "filter.sphere": _("sphere"),
        "filter.country": _("country"),
        "filter.format": _("format"),
        "filter.reported_by": _("reporting region"),
        "filter.any": _("any"),
        "filter.reset": _("reset filters"),
        "download.csv": _("download CSV (Excel)"),
        "download.json": _("download JSON"),
        "col.report": _("report"),
        "col.row": _("row"),
        "col.start": _("start"),
        "col.end": _("end"),
        "col.title": _("event"),
        "col.sphere": _("sphere"),
        "col.partner_places": _("partner regions and places"),
        "col.partner_countries": _("partner countries"),
        "col.partner_organisations": _("foreign organisations"),
        "col.format": _("format"),
        "col.reporting_region": _("reporting region"),
        "format.online": _("online"),
        "format.offline": _("in person"),
        "format.hybrid": _("hybrid"),
        "card.heading": _("Event"),
        "card.close": _("close"),
        "card.facts": _("What the graph says"),
        "card.cells": _("The row as written in the report"),
        "card.people": _("People"),
        "card.agreements": _("Agreements"),
        "card.counts": _("Participants by side"),
        "card.signed": _("signed"),
        "card.not_signed": _("not signed"),
        "side.local": _("reporting side"),
        "side.foreign": _("foreign side"),
        "reports.heading": _("Reports in the store"),
        "reports.none": _("The store holds no reports yet."),
        "reports.period": _("period"),
        "reports.region": _("region"),
        "reports.events": _("events"),
        "reports.file": _("file"),
        "upload.heading": _("Add a report"),
        "upload.drop": _("Drop a report file here (.docx, .xlsx, .txt …) or choose one"),
        "upload.choose": _("choose a file"),
        "upload.checking": _("reading the file…"),
        "upload.ingest": _("store this report"),
        "upload.ingesting": _("storing…"),
        "upload.stored": _("stored"),
        "upload.refused": _("The file was refused; the store is unchanged."),
        "upload.warnings": _("warnings"),
        "upload.errors": _("rows that cannot be read"),
        "upload.rows": _("rows"),
        "upload.columns": _("columns"),
        "questions.heading": _("Questions"),
        "questions.run": _("ask"),
        "questions.optional": _("optional"),
        "questions.truncated": _("only the first rows are shown; the command line gives them all"),
        "download.xlsx": _("download Excel (.xlsx)"),
        "timeline.heading": _("Events over time"),
        "timeline.month": _("by month"),
        "timeline.quarter": _("by quarter"),
        "timeline.sphere": _("by sphere"),
        "timeline.country": _("by country"),
        "timeline.clear": _("clear period"),
        "timeline.quarter_label": _("Q{q} {year}"),
        "timeline.undated": _("events without a date"),
        "timeline.empty": _("No dated events for this filter."),
        "timeline.hint": _("Drag across the bars, or click a bar (shift-click to extend), to show only that period."),
        "timeline.period": _("period"),
        "map.heading": _("Map of partners"),
        "map.world": _("whole world"),
        "map.partners": _("zoom to partners"),
        "map.legend": _("events per partner country"),
        "map.points": _("circles: partner regions and places, area by events (click to open their contacts)"),
        "map.unplaced": _("partner places without coordinates"),
        "map.empty": _("No partner countries for this filter."),
        "map.credit": _("Country shapes: Natural Earth; places: GeoNames (CC BY 4.0)"),
        "map.label": _("Map of the partner countries and places of the events shown"),
        "network.heading": _("Partner network"),
        "network.about": _("Each foreign partner is tied to the reporting region that had events with it; node size "
                           "is the number of events. Besides events, the measures come from which partners take part "
                           "in the same events."),
        "network.level": _("partners as"),
        "network.level.organisation": _("organisations"),
        "network.level.place": _("cities and districts"),
        "network.level.region": _("regions"),
        "network.level.country": _("countries"),
        "network.summary": _("{filtered} events in the current filter, {in_network} with a partner at this level: "
                             "{nodes} nodes, {edges} links."),
        "network.gexf": _("download GEXF (Gephi, a spell per event)"),
        "network.hint": _("Click a node to see its measures; double-click opens its contacts."),
        "network.empty": _("No event of the current filter has a partner at this level."),
        "network.explain": _("What the measures mean"),
        "network.none": _("no partner stands out by this in the current filter"),
        "network.open": _("open the contacts"),
        "network.period": _("first and last event"),
        "network.shared": _("Partners the reporting regions share"),
        "network.shared_count": _("{count} of {total} partners had events with two or more reporting regions."),
        "network.col.partner": _("partner"),
        "network.col.country": _("country"),
        "network.col.regions": _("reporting regions (events)"),
        "network.col.events": _("events"),
        "network.kind.home": _("reporting region"),
        "network.kind.region": _("foreign region"),
        "network.kind.country": _("country"),
        "network.kind.place": _("foreign city or district"),
        "network.kind.foreign_org": _("foreign organisation"),
        "network.kind.international_org": _("international organisation"),
        "sparql.heading": _("SPARQL"),
        "sparql.intro": _("Queries run on this app's read-only endpoint /sparql (SPARQL 1.1 Protocol, as smolgraph serve "
                          "answers). Pick a named question to start from; Ctrl-Enter runs the query."),
        "sparql.examples": _("Named questions"),
        "sparql.tab": _("Query"),
        "sparql.table": _("Table"),
        "sparql.response": _("Answer as sent"),
        "sparql.rows": _("{count} rows"),
        "sparql.rows_first": _("the first {shown} of {count} rows; the download has them all"),
        "sparql.unavailable": _("The query editor did not load."),
        "card.implied": _("implied by these words"),
        "contacts.range": _("{first}–{last} of {matched}"),
        "contacts.nothing": _("none of {total}"),
        "contacts.before_filters": _("{total} before the filters"),
        "contacts.previous": _("← previous"),
        "contacts.next": _("next →"),
        "no_results": _("(no results)"),
        "error": _("error"),
        "loading": _("loading…"),
    }


def _value_names() -> dict[str, str]:
    """What the card calls a value of a closed list, by the value (an IRI's local name or a literal)."""
    return {
        "OfflineEventAttendanceMode": _("in person"), "OnlineEventAttendanceMode": _("online"),
        "MixedEventAttendanceMode": _("hybrid"), "day": _("to the day"), "month": _("to the month"),
    }


#: What a fact of the event card is called, by its property's local name; an unlisted one shows its own name.
def _fact_names() -> dict[str, str]:
    return {
        "label": _("title"), "startDate": _("start"), "endDate": _("end"), "datePrecision": _("date precision"),
        "eventAttendanceMode": _("format"), "sphere": _("sphere"), "section": _("section of the report"),
        "eventType": _("kind of event"), "contactArea": _("contact area"), "partnerCountry": _("partner country"),
        "partnerRegion": _("partner region"), "partnerPlace": _("partner place"),
        "foreignOrganisation": _("foreign organisation"), "localOrganisation": _("local organisation"),
        "venueOrganisation": _("host organisation"), "venue": _("venue"), "venueCountry": _("venue country"),
        "participantsTotal": _("participants"), "participantsQualifier": _("participants, as counted"),
        "documentSigned": _("document signed"), "otherRussianRegion": _("other Russian region"),
        "namesake": _("named after"), "rowNumber": _("row"), "rowPosition": _("position in the file"),
        "type": _("type"), "sectionPartner": _("partner taken from the section"),
        # Facts the card names only on the words that gave them (event-evidence).
        "participant": _("participant"), "russianOrganisation": _("Russian organisation"),
        "internationalOrganisation": _("international organisation"),
        "mentionedOrganisation": _("mentioned organisation"), "partnerMacroRegion": _("partner macro-region"),
        "agreement": _("agreement"), "referencedAgreement": _("agreement the event was held under"),
        "groupCount": _("participants by side"), "views": _("views"), "visitors": _("visitors"),
    }


#: The attendance modes a mark can give (schema.org terms, which the store has no labels for), by local name.
def _mode_names() -> dict[str, str]:
    return {"OfflineEventAttendanceMode": _("in person"), "OnlineEventAttendanceMode": _("online"),
            "MixedEventAttendanceMode": _("hybrid")}


def _cell_names() -> dict[str, str]:
    return {
        "numberCell": _("number"), "titleCell": _("event"), "venueCell": _("venue"), "datesCell": _("dates"),
        "contentCell": _("content"), "participantsCell": _("participants"), "sphereCell": _("sphere"),
        "partnersCell": _("foreign partner"), "formatCell": _("format"), "responsibleCell": _("responsible body"),
        "noteCell": _("note"), "participantsLocalCell": _("participants of the reporting side"),
        "participantsForeignCell": _("participants of the foreign side"),
    }


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def _link_of(value: str) -> dict | None:
    """A link out for a GeoNames, Wikidata or ISO 3166 reference, or None for anything else."""
    if "geonames.org/" in value:
        return {"kind": "GeoNames", "url": value.replace("https://sws.geonames.org/", "https://www.geonames.org/")}
    if "wikidata.org/entity/" in value:
        return {"kind": "Wikidata", "url": value.replace("http://www.wikidata.org/entity/", "https://www.wikidata.org/wiki/")}
    if re.fullmatch(r"[A-Z]{2}(-[A-Z0-9]{1,3})?", value):
        return {"kind": "ISO 3166", "code": value, "url": f"https://www.iso.org/obp/ui/#iso:code:3166:{value[:2]}"}
    return None


def _date_param(params: Mapping[str, str], key: str) -> date | None:
    raw = (params.get(key) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ApiError(HTTPStatus.BAD_REQUEST, _("{name} must be a date like 2025-03-31, not '{value}'.").format(
            name=key, value=raw[:40])) from None


def split_values(cell: object) -> list[str]:
    """The values of a cell of a named question that joins several with "; " (partners, countries).

    >>> split_values("Беларусь; Китай; "), split_values(None)
    (['Беларусь', 'Китай'], [])
    """
    return [part.strip() for part in str(cell or "").split(";") if part.strip()]


_split = split_values


@dataclass
class _SubjectRows:
    """A subject's rows with what every call for it shows the same: facets and heading; sorted and filtered tables, kept."""

    rows: list[dict]
    facets: dict
    subject: dict | None
    sorted: dict[str, list[dict]] = field(default_factory=dict)
    shown: dict[tuple, list[dict]] = field(default_factory=dict)


def _page_params(params: Mapping[str, str]) -> tuple[int, int]:
    """``offset`` and ``limit`` of a page of the contacts table: 0 and :data:`PAGE_SIZE` unless given; 400 beyond."""
    def number(key: str, default: int) -> int:
        raw = (params.get(key) or "").strip()
        if not raw:
            return default
        try:
            return int(raw)
        except ValueError:
            raise ApiError(HTTPStatus.BAD_REQUEST, _("{name} must be a whole number, not '{value}'.").format(
                name=key, value=raw[:20])) from None

    offset, limit = number("offset", 0), number("limit", PAGE_SIZE)
    if offset < 0:
        raise ApiError(HTTPStatus.BAD_REQUEST, _("offset must be 0 or more, not {value}.").format(value=offset))
    if not 1 <= limit <= PAGE_MAX:
        raise ApiError(HTTPStatus.BAD_REQUEST, _("limit must be between 1 and {most}, not {value}; a download gives the "
                                                 "whole table.").format(most=PAGE_MAX, value=limit))
    return offset, limit


class Workbench:
    """The API over one store: the store is opened once, and what the search box needs is read once per change.

    ``store`` is an open store (it stays open; the server closes it). Calls
    into the store are serialised by one lock: the app has one user, and the
    store's writer (an ingest) must not meet a reader half-way in one process.
    """

    def __init__(self, store, *, gazetteer: Gazetteer | None = None) -> None:
        self.store = store
        self.gazetteer = gazetteer or load_gazetteer()
        self._lock = threading.RLock()
        self._names: list[dict] | None = None
        self._place_words = self._index_places()
        # The contacts table in memory (table.py), each subject's rows and facets, and filtered tables, all
        # under the store's revision: a call behind a view is answered without asking the store again.
        self._kept_table: Table | None = None
        # Guards what is kept here, not the store: a call whose table is current does not wait for a long question.
        self._table_lock = threading.RLock()
        self._subjects: dict[tuple, _SubjectRows] = {}
        self._reports_kept: tuple[str | None, dict] | None = None
        # Read now, not at the first call: at 100,000 events reading the store takes a minute, the page has 1 s.
        # It holds the store while it reads: join it before closing a store that is opened again at once.
        self._warming = threading.Thread(target=self._warm, daemon=True, name="smolgraph-app-warm")
        self._warming.start()

    # -- the library, under the lock --------------------------------------------
    def _ask(self, name: str, params: Mapping[str, str] | None = None, *, limit: int | None = None) -> library.Rows:
        try:
            with self._lock:
                return library.ask(name, {k: v for k, v in (params or {}).items() if v not in (None, "")},
                                   store=self.store, limit=limit)
        except UnknownPlaceError as exc:
            raise ApiError(HTTPStatus.NOT_FOUND, str(exc), suggestions=exc.suggestions) from None
        except QueryError as exc:
            raise ApiError(HTTPStatus.BAD_REQUEST, str(exc)) from None

    # -- search -------------------------------------------------------------------
    def _index_places(self) -> list[tuple[Any, set[str]]]:
        """Each place with the words of its names: Russian, aliases, English, and the Russian in Latin letters."""
        index = []
        for place in self.gazetteer:
            names = [place.name, *place.aliases, place.name_en or ""]
            words = {w for n in names for w in re.findall(r"\w+", fold(n))}
            words |= set(slug(place.name).split("-"))
            index.append((place, words))
        return index

    def store_names(self) -> list[dict]:
        """The names the store's events carry, with their counts (the ``store-names`` question), read once per store change."""
        with self._lock:
            if self._names is None:
                # Kept on disk under the store's revision (table.py): the app started again need not ask.
                self._names = kept_names(self.store)
                if self._names is None:
                    self._names = list(self._ask("store-names"))
                    keep_names(self.store, self._names)
            return self._names

    def forget_names(self) -> None:
        """After an ingest: the next search reads the store's names again."""
        with self._lock:
            self._names = None

    def search(self, query: str, *, limit: int = _SEARCH_LIMIT) -> dict:
        """What the search box suggests for ``query``: places and countries from the gazetteer, organisations and people from the store.

        A place is found by any case or alias (the gazetteer's ``resolve``), by
        the start of its words as typed (``Витеб``), in English or in Latin
        letters (``Vitebsk``); a town also brings its region, since the
        analyst asking for "Витебск" usually means the oblast's contacts too.
        Best first: what ``resolve`` finds, then whole words, then starts of
        words; among equals, more events in the store first.
        """
        text = " ".join(query.split())[:200]
        if len(text) < 2:
            return {"query": text, "results": []}
        names = self.store_names()
        counts = {n["id"]: int(n["events"] or 0) for n in names if n["kind"] in _PLACE_KINDS}
        found: dict[tuple[str, str], tuple[int, dict]] = {}

        def add(rank: int, item: dict) -> None:
            key = (item["kind"], item["id"])
            if key not in found or rank < found[key][0]:
                found[key] = (rank, item)

        def place_item(place) -> dict:
            kind = "country" if place.level == 0 else "region" if place.level == 1 else "place"
            parent = self.gazetteer.region_of(place.id) if place.level > 1 else None
            country = self.gazetteer.country_of(place.id) if place.level > 0 else None
            context = ", ".join(p.name for p in (parent, country) if p is not None)
            return {"kind": kind, "id": place.id, "name": place.name, "context": context,
                    "events": counts.get(place.id, 0), "param": "place"}

        for place in self.gazetteer.resolve(text):
            add(0, place_item(place))
            region = self.gazetteer.region_of(place.id) if place.level > 1 else None
            if region is not None:
                add(1, place_item(region))
        typed = [w for w in re.findall(r"\w+", fold(text))]
        latin = [w for w in slug(text).split("-") if w]
        for place, words in self._place_words:
            rank = self._word_rank(typed, words)
            if latin and latin != typed:
                rank = min(rank, self._word_rank(latin, words))
            if rank < 9:
                add(rank, place_item(place))
        for item in names:
            if item["kind"] not in ("organisation", "person"):
                continue
            words = set(re.findall(r"\w+", fold(item["name"])))
            rank = self._word_rank(typed, words)
            if item["kind"] == "person" and rank >= 9 and len(typed) == 1:
                # "Крыловым" is Крылов in another case: the morphology gives the nominatives it may be.
                forms = {fold(f) for f in surname_forms(text)}
                rank = 3 if forms & words else rank
            if rank < 9:
                add(rank, {"kind": item["kind"], "id": item["id"], "name": item["name"], "context": "",
                           "events": int(item["events"] or 0),
                           "param": "organisation" if item["kind"] == "organisation" else "person"})
        # What has events comes first: a suggestion is for opening contacts, and an empty table answers nothing.
        ordered = sorted(found.values(), key=lambda pair: (pair[1]["events"] == 0, pair[0], -pair[1]["events"],
                                                           pair[1]["name"]))
        return {"query": text, "results": [item for _rank, item in ordered[:limit]]}

    @staticmethod
    def _word_rank(typed: list[str], words: set[str]) -> int:
        """2 when every typed word is a word of the name, 3 when each starts one, 4 when each does but for a case ending; 9 otherwise."""
        if not typed:
            return 9
        rank = 2
        for word in typed:
            if word in words:
                continue
            if any(w.startswith(word) for w in words):
                rank = max(rank, 3)
                continue
            # "Витебской" against "витебская": a Russian case ending changes the last two letters or so.
            stem = word[:-2] if len(word) >= 6 else None
            if stem and any(w.startswith(stem) for w in words):
                rank = max(rank, 4)
                continue
            return 9
        return rank

    # -- contacts -------------------------------------------------------------------
    def contacts(self, params: Mapping[str, str], *, whole: bool = False) -> dict:
        """The contacts table: events of a place, organisation or person (or all), filtered and sorted as asked, a page at a time.

        ``place``, ``reported_by`` and ``organisation`` choose the rows of
        ``contacts-table`` (read once per store change, :mod:`.table`);
        ``person`` keeps the events ``events-with-person`` names; ``from``,
        ``to``, ``sphere``, ``country`` and ``format`` filter them; ``sort``
        is a column, ``-column`` for descending. ``offset`` (default 0) and
        ``limit`` (default :data:`PAGE_SIZE`, at most :data:`PAGE_MAX`)
        choose the page: ``rows`` are that page, ``total`` counts the
        subject's events, ``matched`` those the filters keep. ``facets``
        lists the values the filters can take for this subject, before the
        filters. ``whole`` gives every matched row (the downloads).
        """
        subject = self._subject_params(params)
        offset, limit = (0, None) if whole else _page_params(params)
        entry = self._subject_entry(subject)
        shown = self._shown(entry, params)
        page = shown[offset:] if limit is None else shown[offset:offset + limit]
        return {
            "subject": entry.subject,
            "columns": list(SHOWN),
            "rows": [{c: r.get(c) for c in SHOWN} for r in page],
            "total": len(entry.rows),
            "matched": len(shown),
            "offset": offset,
            "limit": limit,
            "facets": entry.facets,
        }

    def events(self, params: Mapping[str, str]) -> list[dict]:
        """The rows of the contacts table for ``params`` (subject and filters), unsorted: what every view counts.

        The map, the timeline and the network aggregate these rows, so each
        view shows exactly the events the table shows for the same filter.
        Each row has the columns of ``contacts-table`` (``report``, ``row``,
        ``start``, ``end``, ``sphere``, ``partner_countries``,
        ``partner_country_codes``, ``partner_places``, ``format``,
        ``reporting_region``, …). The rows are shared with the table kept in
        memory: read them, do not change them.
        """
        entry = self._subject_entry(self._subject_params(params))
        return list(self._shown(entry, {k: v for k, v in params.items() if k != "sort"}))

    @staticmethod
    def _subject_params(params: Mapping[str, str]) -> dict[str, str]:
        subject = {k: (params.get(k) or "").strip() for k in ("place", "organisation", "person", "reported_by")}
        if sum(bool(subject[k]) for k in ("place", "organisation", "person")) > 1:
            raise ApiError(HTTPStatus.BAD_REQUEST, _("give one of place, organisation and person, not several."))
        return subject

    def _subject_rows(self, subject: dict[str, str]) -> list[dict]:
        """The rows of a subject (``_subject_params``), before the filters, in the question's order."""
        return self._subject_entry(subject).rows

    # -- the contacts table, kept ------------------------------------------------------
    def _warm(self) -> None:
        """Read the table and the search box's names before the page asks for them."""
        try:
            self._subject_entry(self._subject_params({}))
            self.reports()
            self.store_names()
        except Exception:  # noqa: BLE001 - a store closed meanwhile, a failing read: the first call reads again and says why
            pass

    def _subject_entry(self, subject: dict[str, str]) -> _SubjectRows:
        """A subject's rows, facets and heading, made once per store revision and kept for the next calls."""
        with self._table_lock:
            table = read_table(self.store, self._kept_table, lock=self._lock)
            if table is not self._kept_table:
                self._kept_table = table
                self._subjects.clear()
            key = tuple(subject[k] for k in ("place", "organisation", "person", "reported_by"))
            entry = self._subjects.pop(key, None) if table is not None else None
            if entry is None:
                rows = self._rows_of(table, subject)
                entry = _SubjectRows(rows, self._facets(rows), self._subject(subject))
            if table is not None:
                self._subjects[key] = entry  # the newest last: the oldest goes first
                while len(self._subjects) > _SUBJECTS_KEPT:
                    self._subjects.pop(next(iter(self._subjects)))
            return entry

    def _rows_of(self, table: Table | None, subject: dict[str, str]) -> list[dict]:
        """The subject's rows from the kept table; from the store when it keeps no revision (nothing is kept then)."""
        if table is None:
            rows = list(self._ask("contacts-table", {k: subject[k] for k in ("place", "reported_by", "organisation")}))
        else:
            positions = None
            if subject["place"]:
                positions = table.places.get(self._place_iri(subject["place"]), [])
            elif subject["organisation"]:
                positions = table.organisations.get(subject["organisation"], [])
            rows = table.rows if positions is None else [table.rows[i] for i in positions]
            if subject["reported_by"]:
                home = self._place_iri(subject["reported_by"])
                rows = [r for r in rows if home in table.homes.get(r["report"], ())]
        if subject["person"]:
            theirs = {(r["report"], str(r["row"])) for r in self._ask("events-with-person", {"person": subject["person"]})}
            rows = [r for r in rows if (r["report"], str(r["row"])) in theirs]
        return rows

    def _place_iri(self, text: str) -> str:
        """The IRI of a place as the question's ``place`` parameter takes it; an unknown one is a 404 with suggestions."""
        try:
            return str(resolve_place(text, gazetteer=self.gazetteer))
        except UnknownPlaceError as exc:
            raise ApiError(HTTPStatus.NOT_FOUND, str(exc), suggestions=exc.suggestions) from None

    def _shown(self, entry: _SubjectRows, params: Mapping[str, str]) -> list[dict]:
        """The subject's rows sorted and filtered as ``params`` ask: kept per sort and filter, so paging costs a slice."""
        sort = (params.get("sort") or "").strip()
        key = (sort, *((params.get(k) or "").strip() for k in ("from", "to", "sphere", "country", "format")))
        with self._table_lock:
            shown = entry.shown.pop(key, None)
            if shown is None:
                ordered = entry.sorted.get(sort)
                if ordered is None:
                    ordered = entry.sorted[sort] = self._sort(entry.rows, sort)
                shown = self._filter(ordered, params)  # keeps the order: sorting once per column serves every filter
            entry.shown[key] = shown
            while len(entry.shown) > _SHOWN_KEPT:
                entry.shown.pop(next(iter(entry.shown)))
            return shown

    def contacts_download(self, params: Mapping[str, str], fmt: str) -> Download:
        """Exactly the rows and columns :meth:`contacts` shows for ``params``, as CSV for Excel, JSON or an Excel workbook.

        ``fmt`` is ``csv``, ``json`` or ``xlsx``; the workbook is :func:`_xlsx`'s.
        """
        table = self.contacts(params, whole=True)
        name = "contacts-" + (slug(table["subject"]["name"]) if table["subject"] else "all")
        if fmt == "csv":
            # The library's writer: a byte-order mark and ';' for Excel, formulas in cells made text.
            text = format_rows(table["rows"], table["columns"], "csv-excel")
            return Download(text.encode("utf-8"), "text/csv; charset=utf-8", name + ".csv")
        if fmt == "json":
            body = json.dumps(table["rows"], ensure_ascii=False, indent=1) + "\n"
            return Download(body.encode("utf-8"), "application/json; charset=utf-8", name + ".json")
        if fmt == "xlsx":
            return Download(_xlsx(table["rows"], table["columns"]), XLSX_TYPE, name + ".xlsx")
        raise ApiError(HTTPStatus.BAD_REQUEST, _("download takes csv, json or xlsx, not '{value}'.").format(
            value=fmt[:20]))

    def _subject(self, subject: dict[str, str]) -> dict | None:
        if subject["place"]:
            found = self.gazetteer.resolve(subject["place"])
            place = found[0] if found else None
            return {"kind": "place", "id": place.id if place else subject["place"],
                    "name": place.name if place else subject["place"]}
        for kind in ("organisation", "person"):
            if subject[kind]:
                return {"kind": kind, "id": subject[kind], "name": subject[kind]}
        return None

    def _country_keys(self, value: str) -> set[str]:
        """The code and name a country filter may match: "BY", "Беларусь", "Белоруссии" are one country."""
        keys = {value}
        found = [p for p in self.gazetteer.resolve(value) if p.level == 0]
        if found:
            keys |= {found[0].id, found[0].name}
        return keys

    def _filter(self, rows: list[dict], params: Mapping[str, str]) -> list[dict]:
        start, end = _date_param(params, "from"), _date_param(params, "to")
        sphere = (params.get("sphere") or "").strip()
        country = (params.get("country") or "").strip()
        fmt = (params.get("format") or "").strip()
        if fmt and fmt not in FORMATS:
            raise ApiError(HTTPStatus.BAD_REQUEST, _("format must be online, offline or hybrid, not '{value}'.").format(
                value=fmt[:20]))
        countries = self._country_keys(country) if country else set()
        if not (start or end or sphere or countries or fmt):
            return list(rows)
        # The joined names repeat ("BY", "BY; KZ" …): each distinct text is split once, not once a row.
        seen: dict[object, bool] = {}

        def has_country(cell: object) -> bool:
            found = seen.get(cell)
            if found is None:
                found = seen[cell] = bool(countries.intersection(_split(cell)))
            return found

        # ISO dates compare as text in the order of the days: no date is parsed per row.
        start_text, end_text = start.isoformat() if start else None, end.isoformat() if end else None
        kept = []
        for row in rows:
            # An event overlaps the period when it starts before its end and ends after its start.
            first, last = row.get("start"), row.get("end") or row.get("start")
            if start_text and (last is None or last[:10] < start_text):
                continue
            if end_text and (first is None or first[:10] > end_text):
                continue
            if sphere and row.get("sphere") != sphere:
                continue
            if countries and not (has_country(row.get("partner_country_codes")) or has_country(row.get("partner_countries"))):
                continue
            if fmt and row.get("format") != fmt:
                continue
            kept.append(row)
        return kept

    @staticmethod
    def _sort(rows: list[dict], sort: str) -> list[dict]:
        if not sort:
            return rows
        descending = sort.startswith("-")
        column = sort.lstrip("-")
        if column not in SHOWN:
            raise ApiError(HTTPStatus.BAD_REQUEST, _("sort takes one of the columns {columns}, not '{value}'.").format(
                columns=", ".join(SHOWN), value=sort[:40]))

        def key(row: dict):
            value = row.get(column)
            if column == "row":  # "2.3" after 2 and before 10: compare the numbers the label is made of
                return (0, [int(p) for p in re.findall(r"\d+", str(value))] or [0], str(value))
            return (value is None, str(value or "").lower())

        # Missing values go last both ways, so sort the two groups apart.
        present = [r for r in rows if r.get(column) not in (None, "")]
        missing = [r for r in rows if r.get(column) in (None, "")]
        return sorted(present, key=key, reverse=descending) + missing

    def _facets(self, rows: list[dict]) -> dict:
        keys = {key for row in rows for key in _split(row.get("partner_country_codes"))}
        countries = [{"value": key, "name": self.gazetteer.get(key).name if key in self.gazetteer else key} for key in keys]
        return {
            "spheres": sorted({r["sphere"] for r in rows if r.get("sphere")}),
            "countries": sorted(countries, key=lambda c: c["name"]),
            "formats": [f for f in FORMATS if any(r.get("format") == f for r in rows)],
            "reporting_regions": sorted({r["reporting_region"] for r in rows if r.get("reporting_region")}),
            "period": {"from": min((r["start"] for r in rows if r.get("start")), default=None),
                       "to": max((r.get("end") or r["start"] for r in rows if r.get("start")), default=None)},
        }

    # -- the event card ---------------------------------------------------------------
    def event(self, report: str, row: str) -> dict:
        """Every fact of one event, the original text of each cell of its row, its people and agreements.

        Four named questions (``event-facts``, ``event-cells``,
        ``event-people``, ``event-agreements``), each one flat join from the
        event, rather than one with a UNION: the engine evaluates a UNION's
        branches before it knows the event (about 100 times slower).
        """
        report, row = (report or "").strip(), (row or "").strip()
        if not report or not row:
            raise ApiError(HTTPStatus.BAD_REQUEST, _("give both report and row, e.g. ?report=invented-smolensk-2025-q2&row=7."))
        which = {"report": report, "row": row}
        found = self._ask("event-facts", which)
        if not found:
            raise ApiError(HTTPStatus.NOT_FOUND, _("no event in row {row} of report {report}.").format(row=row, report=report))
        fact_names, cell_names = _fact_names(), _cell_names()
        facts: dict[str, dict] = {}
        counts = []
        for item in found:
            prop = _local_name(item["property"])
            value = str(item["value"])
            if prop == "groupCount":  # participants by side: a count and the side's code
                entry = {"side": item["label"], "count": item["count"]}
                if entry not in counts:
                    counts.append(entry)
                continue
            fact = facts.setdefault(prop, {"property": prop, "name": fact_names.get(prop, prop), "values": {}})
            entry = fact["values"].setdefault(value, {"value": value, "label": item["label"], "links": []})
            if not entry["label"]:
                # Terms of a closed list (the attendance mode, the date's precision) read in the reader's language.
                entry["label"] = _value_names().get(_local_name(value) if value.startswith("http") else value) or (
                    _local_name(value) if value.startswith("http") else None)
            link = _link_of(str(item["link"])) if item["link"] is not None else None
            if link and link not in entry["links"]:
                entry["links"].append(link)
        known = list(fact_names)
        ordered = sorted(facts.values(), key=lambda f: (known.index(f["property"]) if f["property"] in known
                                                         else len(known), f["property"]))
        marks = self._marks(which, fact_names)
        cells = []
        for item in self._ask("event-cells", which):
            name = _local_name(item["cell"]) if str(item["cell"]).startswith("http") else str(item["cell"])
            cells.append({"field": name, "name": cell_names.get(name, name), "text": str(item["text"]),
                          "marks": marks.get(name, [])})
        order = list(cell_names)
        cells.sort(key=lambda c: (order.index(c["field"]) if c["field"] in order else len(order), c["field"]))
        title = next((v["value"] for v in facts.get("label", {}).get("values", {}).values()), None)
        return {
            "report": report,
            "row": row,
            "iri": found[0]["event"],
            "title": title,
            "facts": [{**f, "values": list(f["values"].values())} for f in ordered],
            "cells": cells,
            "people": list(self._ask("event-people", which)),
            "agreements": [{"text": a["agreement"], "signed": a["signed"]} for a in self._ask("event-agreements", which)],
            "counts": counts,
        }

    def _marks(self, which: dict[str, str], fact_names: dict[str, str]) -> dict[str, list[dict]]:
        """The words of each cell that gave a fact (``event-evidence``), by the cell's property name.

        Each mark is ``{start, end, text, fact, value, implied}``: ``start`` and
        ``end`` count characters (code points) of the cell's text, ``fact`` is
        the fact's name in the reader's language, ``value`` the label of what
        the words gave. A report stored before ontology 1.1 has none.
        """
        modes = _mode_names()
        out: dict[str, list[dict]] = {}
        for item in self._ask("event-evidence", which):
            fact = _local_name(str(item["fact"]))
            value = str(item["value"])
            label = item["label"]
            if label is None:
                label = modes.get(_local_name(value), _local_name(value)) if value.startswith("http") else value
            mark = {"start": int(item["start"]), "end": int(item["end"]), "text": str(item["text"]),
                    "fact": fact_names.get(fact, fact), "value": str(label), "implied": bool(item["implied"])}
            cell = out.setdefault(_local_name(str(item["field"])), [])
            if mark not in cell:
                cell.append(mark)
        return out

    # -- reports, questions ---------------------------------------------------------------
    def reports(self) -> dict:
        """The ``reports`` question's answer, kept while the store's revision stays the same (1.7 s at 100,000 events)."""
        with self._lock:
            revision = self.store.revision()
            kept = self._reports_kept
            if kept is None or kept[0] != revision or revision is None:
                rows = self._ask("reports")
                kept = self._reports_kept = (revision, {"columns": rows.variables, "rows": list(rows)})
            return kept[1]

    def questions(self) -> dict:
        """The named questions with their parameters, in the reader's language: what the page turns into forms."""
        from ..ask import load_queries

        out = []
        for query in load_queries().values():
            out.append({
                "name": query.name,
                "description": _(query.description) if query.description else "",
                "params": [{"name": p.name, "kind": p.kind, "optional": p.optional,
                            "description": _(p.description) if p.description else ""} for p in query.params],
            })
        return {"questions": out}

    def ask(self, name: str, params: Mapping[str, str]) -> dict:
        """A named question's answer, its first :data:`ASK_LIMIT` rows (``truncated`` says when there were more)."""
        if not name:
            raise ApiError(HTTPStatus.BAD_REQUEST, _("give the question's name: /api/ask?name=…"))
        rows = self._ask(name, params, limit=ASK_LIMIT + 1)
        return {"name": name, "columns": rows.variables, "rows": list(rows[:ASK_LIMIT]),
                "truncated": len(rows) > ASK_LIMIT}

    # -- uploads ---------------------------------------------------------------------------
    def inspect(self, upload: Upload) -> dict:
        """How the file is read, row by row, as ``smolgraph inspect`` shows it; nothing is stored."""
        with _uploaded(upload) as path:
            try:
                seen = library.inspect_report(path, rows=100_000)
            except ReportError as exc:
                raise ApiError(HTTPStatus.UNPROCESSABLE_ENTITY, _without_folder(str(exc), path)) from None
            answer = seen.as_dict()
        answer["file"] = upload.filename
        answer["rows_read"] = answer.pop("first_rows")
        return answer

    def ingest(self, upload: Upload) -> dict:
        """Store the file as ``smolgraph ingest`` does; a refused file answers its errors, row by row, and changes nothing."""
        with _uploaded(upload) as path:
            try:
                with self._lock:
                    results = library.ingest([path], store=self.store)
            except (ReportError, ValidationError) as exc:
                rows = []
                if isinstance(exc, ValidationError) and getattr(exc.report, "violations", None):
                    rows = [str(v) for v in exc.report.violations]
                else:
                    try:  # the other rows' errors too, so that one round of corrections fixes them all
                        rows = library.inspect_report(path, rows=0).errors
                    except SmolgraphError:
                        rows = []
                raise ApiError(HTTPStatus.UNPROCESSABLE_ENTITY, _without_folder(str(exc), path),
                               rows=[_without_folder(r, path) for r in rows], stored=False) from None
            finally:
                self.forget_names()
        return {"stored": True, "reports": [{"report": r.report_id, "events": len(r.events), "summary": r.summary(),
                                             "warnings": r.warnings} for r in results]}


#: The media type of an Excel workbook (.xlsx).
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_XLSX_DATES = ("start", "end")


def _xlsx(rows: list[dict], columns: list[str]) -> bytes:
    """The contacts table as an Excel workbook: the page's column names, typed cells, never a formula.

    The header row is in the reader's language (the page's ``col.…`` texts),
    bold, frozen and with an autofilter; ``start`` and ``end`` are Excel dates,
    a row number that is a plain integer is a number ("2.3" stays text), a
    format is named as the page names it, and every other value is written as
    a string cell, so a title starting with ``=``, ``+``, ``-`` or ``@`` is
    text, never a formula (XlsxWriter's ``write_string``; the conversions of
    its ``write`` are switched off too).
    """
    import io

    import xlsxwriter

    texts = page_messages()
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                     "strings_to_urls": False})
    sheet = book.add_worksheet(re.sub(r"[\[\]:*?/\\]", " ", texts["contacts.heading"])[:31])
    bold = book.add_format({"bold": True, "bg_color": "#EEF1F4", "bottom": 1})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    widths = []
    for col, column in enumerate(columns):
        header = texts.get("col." + column, column)
        sheet.write_string(0, col, header, bold)
        widths.append(len(header))
    for line, row in enumerate(rows, start=1):
        for col, column in enumerate(columns):
            value = row.get(column)
            if value is None or value == "":
                continue
            text = str(value)
            if column in _XLSX_DATES and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                sheet.write_datetime(line, col, date.fromisoformat(text), day)
            elif column == "row" and re.fullmatch(r"\d{1,9}", text):
                sheet.write_number(line, col, int(text))
            else:
                if column == "format":
                    text = texts.get("format." + text, text)
                sheet.write_string(line, col, text)
            widths[col] = max(widths[col], len(text))
    for col, width in enumerate(widths):
        # Wide enough for most values and no wider than a screen's third: long titles are read in the cell.
        sheet.set_column(col, col, min(max(width, 6), 60) + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), max(len(columns) - 1, 0))
    book.close()
    return out.getvalue()


def _without_folder(text: str, path: Path) -> str:
    """A message about an uploaded file names the file as the user sent it, not the private folder it was kept in."""
    return text.replace(str(path.parent) + os.sep, "")


def _safe_filename(name: str) -> str:
    """The upload's own file name, without any folder: the report's id is made from it, as on the command line."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip()
    if base in ("", ".", "..") or base.startswith("."):
        raise ApiError(HTTPStatus.BAD_REQUEST, _("the upload has no usable file name; name the file, e.g. report.docx."))
    return base[:200]


class _uploaded:
    """The upload written to a private folder (only this user can read it) for the readers, and removed afterwards."""

    def __init__(self, upload: Upload) -> None:
        if len(upload.data) > MAX_UPLOAD:
            raise ApiError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _("the file is too large: {size} bytes; a report may have "
                                                                  "{limit} MB at most.").format(
                size=f"{len(upload.data):,}", limit=MAX_UPLOAD // (1024 * 1024)))
        if not upload.data:
            raise ApiError(HTTPStatus.BAD_REQUEST, _("the file is empty."))
        self.upload = upload
        self.folder: str | None = None

    def __enter__(self) -> Path:
        name = _safe_filename(self.upload.filename)
        self.folder = tempfile.mkdtemp(prefix="smolgraph-app-")  # mode 0700
        path = Path(self.folder) / name
        path.write_bytes(self.upload.data)
        return path

    def __exit__(self, *exc) -> None:
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


def current_language() -> str:
    """The page's language: the reader's, as the command line's (``SMOLGRAPH_LANG``, then the locale)."""
    return language()
