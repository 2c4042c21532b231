"""Read a report from a Word .docx file: one table, title above, summary below."""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import ReportError
from ..records import Report
from .common import clean_cell, parse_title
from .table import assemble_report

__all__ = ["read_docx"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_docx(path: str | Path) -> Report:
    """Read a report from a ``.docx`` file.

    The paragraphs above the table are the title block, the non-empty
    paragraphs below it the summary. Several tables are read as one when
    they share a header (a table split by a page break); otherwise the
    file is refused, since which one is the report cannot be told.
    """
    path = Path(path)
    file = str(path)
    _check_container(path)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ReportError(
            f"the file is a ZIP archive but not a readable Word document ({exc}); re-save it from Word as .docx.",
            file=file,
        ) from None
    except Exception as exc:  # lxml and zip errors of a damaged document
        raise ReportError(f"the Word document is damaged ({type(exc).__name__}: {exc}); re-save it from Word.", file=file) from None

    body = document.element.body
    title: list[str] = []
    summary: list[str] = []
    tables = []
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            tables.append(child)
        elif tag == "p":
            text = _paragraph_text(child)
            (summary if tables else title).append(text)
    if not tables:
        raise ReportError("the document has no table; smolgraph reads reports laid out as one table of events.", file=file)

    from docx.table import Table

    meta = parse_title(title, file=file)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    offset = 0
    for number, element in enumerate(tables, start=1):
        table = Table(element, document)
        table_rows = [[cell.text for cell in _unique_cells(row)] for row in table.rows]
        if not table_rows:
            continue
        this_header = table_rows[0]
        if header is None:
            header = this_header
        elif [h.strip() for h in this_header] != [h.strip() for h in header]:
            raise ReportError(
                f"the document has {len(tables)} tables with different headers (table 1 and table {number}); "
                "keep the events in one table, or split the file.",
                file=file,
            )
        for index, cells in enumerate(table_rows[1:], start=2):
            rows.append((offset + index, cells))
        offset += len(table_rows)
    meta.summary = clean_cell(" ".join(summary)).replace("\n", " ") or None
    return assemble_report(meta, header or [], rows, where="table row")


def _paragraph_text(paragraph) -> str:
    parts = []
    for node in paragraph.iter():
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "t":
            parts.append(node.text or "")
        elif tag in {"br", "cr"}:
            parts.append("\n")
        elif tag == "tab":
            parts.append(" ")
    return "".join(parts)


def _unique_cells(row):
    # python-docx repeats a merged cell once per grid column it spans.
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(cell)
    return cells


def _check_container(path: Path) -> None:
    file = str(path)
    try:
        head = path.read_bytes()[:8]
    except OSError as exc:
        raise ReportError(f"cannot read the file: {exc.strerror}.", file=file) from None
    if not head:
        raise ReportError("the file is empty.", file=file)
    if head.startswith(_OLE_MAGIC):
        raise ReportError(
            "this is an old binary Word file (.doc), which smolgraph cannot read; convert it to .docx "
            "(Word: Save As → .docx, or `libreoffice --headless --convert-to docx FILE.doc`).",
            file=file,
        )
    if head.startswith(b"%PDF"):
        raise ReportError("this is a PDF, not a Word file; export the report from Word as .docx.", file=file)
    if not zipfile.is_zipfile(path):
        raise ReportError(
            "this is not a Word .docx file (not a ZIP container; a picture or a truncated download?); "
            "open it in Word and save it as .docx.",
            file=file,
        )
