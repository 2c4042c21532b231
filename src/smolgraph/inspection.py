"""See how a report file is read, without touching any store: the first thing to run on a new region's report."""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .extract import extract_report
from .gazetteer import Gazetteer, load_gazetteer
from .i18n import _
from .read import read_report
from .read.period import Period, apply_period
from .records import EventRecord, ReportMeta

__all__ = ["Inspection", "inspect_report", "format_inspection"]


@dataclass
class Inspection:
    """What reading and extraction made of one file.

    ``columns`` pairs each header understood with the field it feeds;
    ``unknown_columns`` are headers kept as text only; ``events`` are the
    first rows' records; ``errors`` the rows that could not be read.
    """

    file: str
    meta: ReportMeta
    rows: int
    columns: list[tuple[str, str]]
    events: list[EventRecord]
    events_without_sphere: int
    section_partners: int
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Plain JSON values, the same keys a ``--format json`` reader gets."""
        period = self.meta.period
        return {
            "file": self.file,
            "reporting_region": self.meta.region,
            "period": {"start": period[0].isoformat(), "end": period[1].isoformat()} if period else None,
            "year": self.meta.year,
            "quarter": self.meta.quarter,
            "half": self.meta.half,
            "columns": [{"header": h, "field": f} for h, f in self.columns],
            "unknown_columns": list(self.meta.unknown_columns),
            "sections": list(self.meta.sections),
            "rows": self.rows,
            "events_without_sphere": self.events_without_sphere,
            "events_with_partner_from_section": self.section_partners,
            "warnings": self.warnings,
            "errors": self.errors,
            "first_rows": [_event_fields(e) for e in self.events],
        }


def inspect_report(
    path: str | Path,
    *,
    columns: Mapping[str, str] | None = None,
    period: Period | None = None,
    rows: int = 5,
    gazetteer: Gazetteer | None = None,
) -> Inspection:
    """Read and extract a report file and say how, without a store.

    Rows that cannot be read are listed in ``errors`` rather than raised,
    so one bad row does not hide how the rest was read; a file that cannot
    be read at all raises :class:`~smolgraph.errors.ReportError` as ``ingest`` would.

    Examples
    --------
    >>> from smolgraph._paths import data_dir
    >>> seen = inspect_report(data_dir() / "samples" / "invented-smolensk-2025-q2.txt", rows=1)
    >>> seen.meta.region, seen.rows, seen.columns[0]
    ('Смоленская область', 22, ('№ п/п', 'number'))
    """
    report = read_report(path, columns=columns)
    if period is not None:
        apply_period(report.meta, period)
    errors: list = []
    events = extract_report(report, gazetteer=gazetteer or load_gazetteer(), errors=errors)
    mapped = [(" ".join(header.split()), name) for name, header in report.meta.columns.items()]
    warnings = list(report.meta.warnings)
    if report.meta.period is None:
        warnings.append(_("no reporting period found in the title block: ingest needs --period"))
    if report.meta.region is None:
        warnings.append(_("no reporting region found in the title block"))
    warnings += [_("row {row}: {warning}").format(row=e.row, warning=w) for e in events for w in e.warnings]
    return Inspection(
        file=str(path),
        meta=report.meta,
        rows=len(report.rows),
        columns=mapped,
        events=events[:rows],
        events_without_sphere=sum(1 for e in events if not e.sphere),
        section_partners=sum(1 for e in events if e.section_partner),
        errors=[str(e) for e in errors],
        warnings=warnings,
    )


def _event_fields(event: EventRecord) -> dict:
    return {
        "row": event.row,
        "position": event.position,
        "section": event.section,
        "sphere": event.sphere,
        "title": event.title,
        "start": event.dates.start.isoformat() if event.dates else None,
        "end": event.dates.end.isoformat() if event.dates else None,
        "format": "online" if event.online else "hybrid" if event.hybrid else "in person",
        "venue": [p.name for p in event.venue_places],
        "partner_countries": list(event.partner_countries),
        "partner_regions": [p.name for p in event.partner_regions],
        "partner_places": [p.name for p in event.partner_places],
        "partner_from_section": event.section_partner,
        "local_orgs": [o.name for o in event.local_orgs],
        "foreign_orgs": [o.name for o in event.foreign_orgs],
        "people": [f"{p.name} ({p.role})" if p.role else p.name for p in event.people],
        "participants": event.participants_total,
        "document_signed": event.document_signed,
        "other_cells": dict(event.other_cells),
    }


def format_inspection(seen: Inspection, fmt: str = "table", *, width: int | None = 100) -> str:
    """The inspection as text for a terminal (``table``) or as JSON (``json``).

    The table's labels are in the reader's language; the field names
    (title, sphere …) stay as they are, being what ``--column`` and the JSON
    keys use. ``width=None`` cuts nothing.
    """
    data = seen.as_dict()
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    wide = width is None
    width = width or 0
    period = data["period"]
    head = [
        (_("file:"), seen.file if wide else _cut_left(seen.file, width - 19)),
        (_("reporting region:"), data["reporting_region"] or _("— not found")),
        (_("period:"), period["start"] + " – " + period["end"] if period else _("— not found (give --period)")),
        (_("rows:"), _("{rows} (events without a sphere: {without_sphere}, with the partner of their section: "
                       "{from_section})").format(rows=data["rows"], without_sphere=data["events_without_sphere"],
                                                 from_section=data["events_with_partner_from_section"])),
    ]
    # Labels differ in length between languages: the values line up after the longest, 19 columns at least.
    pad = max(18, *(len(label) for label, _value in head)) + 1
    lines = [f"{label:<{pad}}{value}" for label, value in head]
    lines.append(_("columns:"))

    def cut(text, room: int) -> str:
        return " ".join(str(text).split()) if wide else _cut(text, room)

    lines += [f"  {cut(h, 60):<60} → {name}" for h, name in seen.columns]
    lines += [f"  {cut(h, 60):<60} → " + _("not understood, kept as text") for h in data["unknown_columns"]]
    if data["unknown_columns"]:
        lines.append("  " + _('(name a column with --column "HEADER=FIELD", e.g. --column "Тематика=sphere")'))
    if data["sections"]:
        lines.append(_("sections:"))
        lines += [f"  {cut(s, width - 2)}" for s in data["sections"]]
    for label, items in ((_("warnings:"), data["warnings"]), (_("rows that cannot be read:"), data["errors"])):
        if items:
            lines.append(label)
            lines += [f"  {cut(w, width - 2)}" for w in items]
    for event in data["first_rows"]:
        lines.append(_("row {row} (position {position}):").format(row=event["row"], position=event["position"]))
        for key, value in event.items():
            if key in ("row", "position") or value in (None, [], {}, False):
                continue
            if key == "format":
                value = _format_name(value)
            elif value is True:
                value = _("yes")
            text = "; ".join(value) if isinstance(value, list) else (
                "; ".join(f"{k}: {v}" for k, v in value.items()) if isinstance(value, dict) else str(value))
            lines.append(f"  {key:<20} {cut(text, width - 23)}")
    return "\n".join(lines) + "\n"


def _format_name(value: str) -> str:
    """How an event was held, for the table; the JSON keeps the plain English value a program compares."""
    names = {"online": _("online"), "hybrid": _("hybrid"), "in person": _("in person")}
    return names.get(value, value)


def _cut_left(text: str, width: int) -> str:
    # A long path keeps its end: the file name is what the reader looks for.
    return text if len(text) <= width else "…" + text[len(text) - width + 1 :]


def _cut(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"
