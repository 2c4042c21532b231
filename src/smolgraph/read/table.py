"""Turn the rows of a report table into :class:`~smolgraph.records.Row` records."""
from __future__ import annotations

from ..errors import ReportError, RowError
from ..records import Report, ReportMeta, Row
from .common import clean_cell, match_columns, parse_row_number

__all__ = ["assemble_report", "MAX_CELL_CHARS"]

#: A cell longer than this is not a report cell but a pasted document.
MAX_CELL_CHARS = 20_000


def assemble_report(
    meta: ReportMeta,
    header: list[str],
    body: list[tuple[int, list[str]]],
    *,
    where: str = "table row",
) -> Report:
    """Build a report from a header and body rows.

    ``body`` holds ``(index, cells)`` pairs; a row with one distinct cell is a
    sphere heading that applies to the rows after it. ``index`` is what
    error messages cite ("table row 14", "line 230").
    """
    file = meta.source_file
    columns = match_columns(header, file=file)
    meta.columns = {column: clean_cell(text) for column, text in zip(columns, header)}
    rows: list[Row] = []
    seen: dict[int, int] = {}
    sphere: str | None = None
    for index, cells in body:
        distinct = [c for c in dict.fromkeys(clean_cell(c) for c in cells)]
        if len(distinct) == 1 or (len(cells) > 1 and all(not c for c in distinct[1:]) and parse_row_number(distinct[0]) is None):
            if distinct[0]:
                sphere = distinct[0].replace("\n", " ")
            continue
        if len(cells) != len(columns):
            raise ReportError(
                f"{where} {index} has {len(cells)} cells but the header has {len(columns)}; "
                "check for split or merged cells in that row.",
                file=file,
            )
        values = {column: clean_cell(text) for column, text in zip(columns, cells)}
        if not any(v for c, v in values.items() if c != "number"):
            continue  # an empty row left by the editor carries nothing
        number = parse_row_number(values.get("number", ""))
        if number is None:
            raise RowError(
                f"the '№' cell holds '{values.get('number', '')}', not a row number ({where} {index}); "
                "number the row (e.g. '12.') or merge it into a heading.",
                file=file,
                row=None,
                cell=meta.columns.get("number"),
            )
        if number in seen:
            raise RowError(
                f"row number {number} appears twice ({where} {seen[number]} and {index}); renumber one of them.",
                file=file,
                row=number,
                cell=meta.columns.get("number"),
            )
        for column, value in values.items():
            if len(value) > MAX_CELL_CHARS:
                raise RowError(
                    f"the cell holds {len(value):,} characters, more than {MAX_CELL_CHARS:,}; "
                    "a report cell this long is almost certainly a paste error.",
                    file=file,
                    row=number,
                    cell=meta.columns.get(column, column),
                )
        seen[number] = index
        rows.append(Row(number=number, sphere=sphere, cells=values, index=index))
    if not rows:
        raise ReportError("the table has a header but no numbered rows; is this an empty template?", file=file)
    return Report(meta=meta, rows=rows)
