"""Read a report from an Excel ``.xlsx`` workbook: a sheet with a table, or a sheet per section.

Cells are read with python-calamine: with the merged ranges, a 35-row sheet
in 1.4 ms against openpyxl's 8.6 ms, 1,000 rows in 37 ms against 131 ms,
and an import of 1 ms against 92 ms (``bench/bench_xlsx.py``).
The workbook's sheets become the layout's blocks
(:func:`~smolgraph.read.layout.assemble_report`):

- rows above a sheet's header (the merged title rows) are paragraphs: the
  title block;
- the header and the rows under it are a table; a range merged across
  columns is one cell of its row (a sphere heading merged across the table
  is a one-cell row), a range merged down rows repeats its text in each row;
- rows of one text below the table (a summary) are paragraphs after it;
- when several sheets hold a table, each sheet is a section named after
  the sheet.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import BinaryIO

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from ..errors import ReportError
from ..i18n import _
from ..records import Report
from .archive import (
    MAX_PART_BYTES,
    MAX_PART_RATIO,
    Package,
    check_members,
    open_regular,
    out_of_memory,
    read_member,
    xml_parts,
)
from .columns import field_of
from .common import clean_cell
from .layout import Block, Paragraph, Table, assemble_report

__all__ = ["read_xlsx", "cell_text", "MAX_PART_BYTES", "MAX_PART_RATIO"]

# The caps on unpacked parts (MAX_PART_BYTES, MAX_PART_RATIO) are the Word reader's too: see .archive.
_PACKAGE = Package(
    "workbook",
    "Excel",
    ".xlsx",
    # Old .xls files and password-protected .xlsx files are both OLE containers.
    lambda: _(
        "this is an old binary Excel file (.xls) or a password-protected workbook, which smolgraph cannot read; "
        "save it as .xlsx without a password (Excel: Save As → Excel Workbook; "
        "or `soffice --headless --convert-to xlsx FILE`)."
    ),
)


def read_xlsx(path: str | Path, *, columns: Mapping[str, str] | None = None) -> Report:
    """Read a report from an ``.xlsx`` (or ``.xlsm``) workbook.

    The first visible sheet with a header row the layout recognises is the
    report; when several sheets have one, each sheet is a section named
    after it, and the title block is taken from the first of them. Sheets
    without a table are skipped. ``columns`` maps headers no rule knows to
    fields, as for Word files.

    Raises
    ------
    ReportError
        Not an ``.xlsx`` (an old ``.xls``, a password-protected workbook, not
        a ZIP), a part too large unpacked, a damaged workbook, no sheet with a
        table.
    """
    path = Path(path)
    file = str(path)
    try:
        # One open file for the checks and the read: what was checked is what is read.
        with open_regular(path, file=file) as handle:
            _PACKAGE.check_container(handle, file=file)
            workbook = _open_workbook(handle, file)
        try:
            sheets = _read_sheets(workbook, file)
        finally:
            workbook.close()
    except MemoryError:
        # Within the caps a workbook can still outgrow a small machine's memory.
        raise out_of_memory(file=file) from None

    user = {clean_cell(k).lower() for k in (columns or {})}
    found = [(name, grid, at) for name, grid in sheets if (at := _header_row(grid, user)) is not None]
    if not found:
        looked = ", ".join(f"'{name}'" for name, _grid_rows in sheets) or _("none")
        raise ReportError(
            _(
                "no sheet holds a table with a header smolgraph understands (sheets looked at: {sheets}). "
                "The report needs a header row naming its columns ('№', 'Наименование мероприятия', "
                "'Сроки проведения', …); add one, or name the columns with --column \"HEADER=title\"."
            ).format(sheets=looked),
            file=file,
        )
    blocks: list[Block] = []
    summary: list[Paragraph] = []
    for order, (name, grid, at) in enumerate(found):
        if order == 0:
            # Only the first sheet's title rows are the title block: the
            # layout would take a later sheet's as a heading over its sheet.
            blocks.extend(_paragraphs(grid[:at]))
        end = _table_end(grid, at)
        blocks.append(Table(rows=[(where, cells) for where, cells in grid[at:end] if any(cells)], name=name))
        # Closing text of every sheet goes after the last table: between two
        # tables the layout would read it as the next sheet's heading.
        summary.extend(_paragraphs(grid[end:]))
    blocks.extend(summary)
    return assemble_report(file, blocks, columns=columns)


def cell_text(value: object) -> str:
    """A cell's value as the text a person sees in the report.

    Whole numbers lose Excel's ".0", dates are written as Russian text
    writes them (the extractor reads that), empty cells are "".

    >>> cell_text(7.0), cell_text(2.5), cell_text(date(2025, 3, 15)), cell_text(None)
    ('7', '2.5', '15.03.2025', '')
    >>> cell_text(datetime(2025, 3, 15, 10, 30)), cell_text("Минск\\r\\nБрест")
    ('15.03.2025', 'Минск\\nБрест')
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float):
        # Beyond 2**53 a float is no longer an exact whole number.
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, datetime):
        # An event's time of day is not one of its dates; the date alone is.
        return value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


# -- the sheets: cells, merges, where the table is ---------------------------------

_Row = tuple[str, list[str]]  # (where, cell texts)


def _read_sheets(workbook: CalamineWorkbook, file: str) -> list[tuple[str, list[_Row]]]:
    """Every visible worksheet as ``(name, rows)``, merges applied, empty edges dropped."""
    sheets = []
    for meta in workbook.sheets_metadata:
        # A hidden sheet (a lookup list, an old copy) is not what the reader of the report sees.
        if "Visible" not in str(meta.visible) or "WorkSheet" not in str(meta.typ):
            continue
        try:
            sheet = workbook.get_sheet_by_name(meta.name)
            values = sheet.to_python(skip_empty_area=False)
            merges = sheet.merged_cell_ranges or []
        except (CalamineError, ValueError, TypeError) as exc:
            raise ReportError(
                _("sheet '{sheet}' of the workbook is damaged ({error}); re-save it from Excel.").format(
                    sheet=meta.name, error=f"{type(exc).__name__}: {exc}"
                ),
                file=file,
            ) from None
        sheets.append((meta.name, _grid(meta.name, values, merges)))
    return sheets


def _grid(name: str, values: list[list[object]], merges: list) -> list[_Row]:
    """The sheet's rows as the layout wants them: a merge across columns is one cell, down rows repeated."""
    texts = [[cell_text(v) for v in row] for row in values]
    height = max((r + 1 for r, row in enumerate(texts) if any(row)), default=0)
    width = max((len(row) - next(i for i, t in enumerate(reversed(row)) if t) for row in texts if any(row)), default=0)
    texts = [(row + [""] * width)[:width] for row in texts[:height]]
    covered: set[tuple[int, int]] = set()
    for (top, left), (bottom, right) in merges:
        if top >= height or left >= width:
            continue  # a merge of empty cells past the content
        bottom, right = min(bottom, height - 1), min(right, width - 1)
        text = texts[top][left]
        for r in range(top, bottom + 1):
            texts[r][left] = text  # a vertical merge shows its text in every row it covers
            covered.update((r, c) for c in range(left + 1, right + 1))
    where = _("sheet '{sheet}', row {row}")
    return [
        (where.format(sheet=name, row=r + 1), [t for c, t in enumerate(row) if (r, c) not in covered])
        for r, row in enumerate(texts)
    ]


def _header_row(grid: list[_Row], user: set[str]) -> int | None:
    """Index of the sheet's header row: most of its cells name fields, by their words or the user's mapping."""
    for at, (_where, cells) in enumerate(grid):
        texts = [clean_cell(c) for c in cells if clean_cell(c)]
        known = [t for t in texts if field_of(t) or any(u and u in t.lower() for u in user)]
        if len(known) >= 2 and len(known) * 2 >= len(texts):
            return at
    return None


def _paragraphs(rows: list[_Row]) -> list[Paragraph]:
    """Title or summary rows as paragraphs, empty rows left out.

    A text merged over several rows (a summary block) is repeated in each
    of them by :func:`_grid`; here it is one paragraph.
    """
    paragraphs: list[Paragraph] = []
    for where, cells in rows:
        line = _row_line(cells)
        if line and not (paragraphs and paragraphs[-1].text == line):
            paragraphs.append(Paragraph(line, where))
    return paragraphs


def _row_line(cells: list[str]) -> str:
    """A title or summary row as one line: its distinct texts, in order."""
    return " ".join(dict.fromkeys(t for t in (clean_cell(c) for c in cells) if t))


def _table_end(grid: list[_Row], header: int) -> int:
    """Index after the table's last row; rows of one text below it are the summary.

    A row with one text is a heading when event rows follow it and closing
    text when none do, so the table ends after its last row of several texts.
    """
    end = len(grid)
    while end > header + 1 and sum(1 for c in grid[end - 1][1] if clean_cell(c)) <= 1:
        end -= 1
    return end


# -- the container: what the file is, and how big its parts are -------------------



def _open_workbook(handle: BinaryIO, file: str) -> CalamineWorkbook:
    """The workbook, opened over a copy of its XML parts whose sizes were checked first."""
    try:
        package = _checked_parts(handle, file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, ValueError) as exc:
        raise ReportError(
            _("the workbook is damaged ({error}); re-save it from Excel.").format(error=f"{type(exc).__name__}: {exc}"),
            file=file,
        ) from None
    try:
        return CalamineWorkbook.from_filelike(package)
    except PasswordError:
        raise ReportError(
            _("the workbook is password-protected; save a copy without a password as .xlsx."), file=file
        ) from None
    except (CalamineError, ValueError, TypeError, OSError) as exc:
        raise ReportError(
            _(
                "the file is a ZIP archive but not a readable Excel workbook ({error}); re-save it from Excel as .xlsx."
            ).format(error=f"{type(exc).__name__}: {exc}"),
            file=file,
        ) from None


def _checked_parts(handle: BinaryIO, file: str) -> io.BytesIO:
    """The package's XML parts, repacked uncompressed in memory, after their sizes were checked.

    Sizes are read from the ZIP directory before anything is unpacked, so a
    zip bomb is refused in milliseconds; each part is then unpacked in
    counted chunks (:func:`~.archive.read_member`), so the workbook library
    only ever sees bytes that were counted. Pictures and macros are left
    out unread.
    """
    with zipfile.ZipFile(handle) as archive:
        parts = xml_parts(archive)
        check_members(archive, parts, package=_PACKAGE, file=file)
        package = io.BytesIO()
        with zipfile.ZipFile(package, "w", compression=zipfile.ZIP_STORED) as copy:
            for info in parts:
                data = read_member(archive, info, package=_PACKAGE, file=file)
                if info.filename.lower().startswith("xl/worksheets/"):
                    _check_extent(info.filename, data, file)
                copy.writestr(info.filename, data)
    package.seek(0)
    return package


#: A sheet whose cells span more than this (rows × columns, from its first cell to its last) is refused.
MAX_SHEET_CELLS = 2_000_000
# A cell with a value and its reference: calamine keeps a sheet as a dense
# rectangle from its first such cell to its last, so one stray value at
# XFD1048576 asks for 17 billion cells and the process is aborted (the
# allocation fails inside Rust, which Python cannot catch).
_VALUE_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*(?<!/)>\s*<(?:\w+:)?(?:v|is|f)\b')


def _check_extent(part: str, data: bytes, file: str) -> None:
    """Refuse a sheet whose cells with values span more than :data:`MAX_SHEET_CELLS`."""
    rows: list[int] = []
    columns: list[int] = []
    for letters, digits in _VALUE_CELL.findall(data):
        rows.append(int(digits))
        columns.append(_column_number(letters))
    if not rows:
        return
    height, width = max(rows) - min(rows) + 1, max(columns) - min(columns) + 1
    if height * width > MAX_SHEET_CELLS:
        raise ReportError(
            _(
                "the workbook's sheet part '{part}' has cells from row {first:,} to {last:,} and over {width:,} "
                "columns ({cells:,} cells), more than smolgraph's cap of {cap:,}; a report sheet "
                "has a few thousand. Delete the stray cells far from the table (Ctrl+End in Excel shows the last one) "
                "and save again."
            ).format(part=part, first=min(rows), last=max(rows), width=width, cells=height * width, cap=MAX_SHEET_CELLS),
            file=file,
        )


def _column_number(letters: bytes) -> int:
    """``b"A"`` → 1, ``b"XFD"`` → 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
