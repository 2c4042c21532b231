"""Rows for people and spreadsheets: a table that fits the terminal, JSON, CSV, CSV for Excel.

What ``smolgraph ask`` and ``query`` print, and what the demo shows, made
here so that any caller of the library writes rows the same way; the CLI
only picks the format and where it goes.
"""
from __future__ import annotations

import csv
import io
import itertools
import json
import shutil
from collections.abc import Iterable
from typing import TextIO

from .i18n import _, ngettext
from .storeapi import RowStream
from .textout import printable, spreadsheet_cell

__all__ = ["FORMATS", "TABLE_SAMPLE", "format_rows", "terminal_width", "write_stream", "yes_no"]

#: The formats rows are written in.
FORMATS = ("table", "json", "csv", "csv-excel")
#: Rows a streamed table reads before it fixes its column widths.
TABLE_SAMPLE = 20


def write_stream(rows: RowStream, fmt: str, out: TextIO, *, width: int | None) -> None:
    """Write each row of ``rows`` to ``out`` as it comes, flushed at once; the stream is closed afterwards.

    A table's widths are fixed from its first rows, since the header must
    come before the rest are known.
    """
    from .ask import row_as_python

    variables = rows.variables
    with rows:
        plain = (row_as_python(row, variables) for row in rows)
        if fmt in ("csv", "csv-excel"):
            excel = fmt == "csv-excel"
            if excel:
                out.write(_BOM)
            writer = _csv_writer(out, variables, excel)
            writer.writeheader()
            out.flush()
            for row in plain:
                writer.writerow(_csv_row(row, excel))
                out.flush()
        elif fmt == "json":
            for row in plain:
                print(json.dumps(row, ensure_ascii=False), file=out, flush=True)
        else:
            _stream_table(plain, variables, width, out)


def _stream_table(plain: Iterable[dict], variables: list[str], width: int | None, out: TextIO) -> None:
    # The widths must be known before the first line; a few rows show what the columns hold.
    first = [[_cell(row.get(v)) for v in variables] for row in itertools.islice(plain, TABLE_SAMPLE)]
    if not first:
        print(_("(no results)"), file=out, flush=True)
        return
    widths = _column_widths(variables, first, width)
    print("\n".join(_table_head(variables, widths)), file=out, flush=True)
    count = 0
    for cells in itertools.chain(first, ([_cell(row.get(v)) for v in variables] for row in plain)):
        print(_table_line(cells, widths), file=out, flush=True)
        count += 1
    print(_row_total(count), file=out, flush=True)


def _fit(text: str, width: int) -> str:
    """``text`` in ``width`` characters: padded, or cut with "…" so that the reader sees it goes on."""
    return text.ljust(width) if len(text) <= width else text[: max(0, width - 1)] + "…"


def terminal_width() -> int:
    """Columns of the terminal (``COLUMNS`` first); 100 when the output is not a terminal."""
    return shutil.get_terminal_size((100, 24)).columns


def format_rows(rows: list[dict], variables: list[str], fmt: str, *, width: int | None | str = "terminal") -> str:
    """Rows as a table a person reads, a JSON array of objects, CSV, or CSV for Excel (``csv-excel``).

    A table fits in ``width`` characters: the terminal's by default,
    everything with ``None``. Column headers and JSON and CSV keys are the
    query's variable names in every language, so that what a table shows
    is what ``--sort`` and a CSV reader take; booleans are yes/no in a
    table and true/false in CSV, in the reader's language.

    >>> print(format_rows([{"row": 3, "title": "Визит"}], ["row", "title"], "json"), end="")
    [
      {
        "row": 3,
        "title": "Визит"
      }
    ]
    >>> print(format_rows([{"title": "Совещание по вопросам торговли", "online": True}], ["title", "online"],
    ...                   "table", width=20), end="")
    title         online
    ------------  ------
    Совещание п…  yes
    (1 row)
    """
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "csv-excel"):
        excel = fmt == "csv-excel"
        buffer = io.StringIO()
        if excel:
            buffer.write(_BOM)
        writer = _csv_writer(buffer, variables, excel)
        writer.writeheader()
        for row in rows:
            writer.writerow(_csv_row(row, excel))
        return buffer.getvalue()
    if not rows:
        return _("(no results)") + "\n"
    if width == "terminal":
        width = terminal_width()
    shown = [[_cell(row.get(v)) for v in variables] for row in rows]
    widths = _column_widths(variables, shown, width)
    lines = _table_head(variables, widths)
    lines += [_table_line(r, widths) for r in shown]
    lines.append(_row_total(len(rows)))
    return "\n".join(lines) + "\n"


def _row_total(count: int) -> str:
    return ngettext("({count} row)", "({count} rows)", count).format(count=count)


#: Spaces between two columns of a table.
_GAP = 2


def _column_widths(variables: list[str], shown: list[list[str]], width: int | None) -> list[int]:
    """Column widths that fit ``width`` (None: as wide as the widest cell), shared fairly.

    A column narrower than an equal share keeps its width; the wide ones
    split what is left equally. So short columns (row, dates, yes/no) are
    never cut to make room, and no one long column takes the whole line.
    """
    natural = [max(len(v), *(len(r[i]) for r in shown)) for i, v in enumerate(variables)]
    if width is None:
        return natural
    room = width - _GAP * (len(natural) - 1)
    if sum(natural) <= room:
        return natural
    widths = list(natural)
    pending = sorted(range(len(natural)), key=natural.__getitem__)
    while pending:
        share = room // len(pending)
        if natural[pending[0]] <= share:
            room -= natural[pending.pop(0)]
            continue
        extra = room - share * len(pending)
        for k, i in enumerate(sorted(pending)):  # the characters left over go to the leftmost columns
            widths[i] = max(1, share + (1 if k < extra else 0))
        break
    return widths


def _table_head(variables: list[str], widths: list[int]) -> list[str]:
    return [_table_line(variables, widths), (" " * _GAP).join("-" * w for w in widths)]


def _table_line(cells: list[str], widths: list[int]) -> str:
    return (" " * _GAP).join(_fit(c, w) for c, w in zip(cells, widths)).rstrip()


#: The byte-order mark that tells Excel a CSV file is UTF-8; without it Excel reads Cyrillic as cp1251.
_BOM = "\ufeff"


def _csv_writer(out, variables: list[str], excel: bool) -> csv.DictWriter:
    # Excel with Russian regional settings splits a line on ';' (',' is the decimal separator there),
    # and writes lines ending in CRLF.
    if excel:
        return csv.DictWriter(out, fieldnames=variables, delimiter=";", lineterminator="\r\n")
    return csv.DictWriter(out, fieldnames=variables, lineterminator="\n")


def _csv_row(row: dict, excel: bool = False) -> dict:
    # A cell starting with "=" or "@" would run as a formula in Excel (SMOLGRAPH_CSV_FORMULAS=keep to write it as stored).
    return {k: _csv_value(v, excel) for k, v in row.items()}


def _csv_value(value, excel: bool):
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value, csv=True)
    if excel and isinstance(value, float):
        return repr(value).replace(".", ",")  # Russian Excel reads "0.25" as a date or text
    return spreadsheet_cell(value)


def yes_no(value: bool, *, csv: bool) -> str:
    """A boolean for people: yes/no in a table, true/false in CSV; да/нет in Russian for both."""
    if csv:
        return _("true") if value else _("false")
    return _("yes") if value else _("no")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value, csv=False)
    return printable(str(value).replace("\n", " "))


