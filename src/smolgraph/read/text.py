"""Read the text dump of a report: one line per paragraph, a tab before each cell."""
from __future__ import annotations

from pathlib import Path

from ..errors import ReportError
from ..records import Report
from .common import clean_cell, column_of, parse_row_number, parse_title
from .table import assemble_report

__all__ = ["read_text", "decode_text"]


def decode_text(data: bytes, *, file: str) -> str:
    """Decode a text dump: UTF-8 (with or without BOM), else Windows-1251.

    >>> decode_text("Отчет".encode("cp1251"), file="r.txt")
    'Отчет'
    """
    if not data.strip():
        raise ReportError("the file is empty.", file=file)
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        raise ReportError(
            "the text is neither UTF-8 nor Windows-1251; save it as UTF-8 and try again.", file=file
        ) from None
    letters = sum(1 for ch in text if "А" <= ch <= "я" or ch in "Ёё")
    if letters < len(text) * 0.2:
        raise ReportError("the text is neither UTF-8 nor Russian Windows-1251; save it as UTF-8.", file=file)
    return text


def read_text(path: str | Path) -> Report:
    """Read a report from its text dump.

    Each table cell starts on a line beginning with a tab; lines without a
    tab continue the cell above. The lines before the first cell are the
    title block, a lone cell after the last row is the closing summary.
    """
    path = Path(path)
    file = str(path)
    text = decode_text(path.read_bytes(), file=file)
    title: list[str] = []
    cells: list[tuple[int, list[str]]] = []  # (line number, lines)
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("\t"):
            cells.append((number, [line[1:]]))
        elif cells:
            cells[-1][1].append(line)
        else:
            title.append(line)
    if not cells:
        raise ReportError("no table cells found (a text dump has a tab before each cell); is this a report?", file=file)
    meta = parse_title(title, file=file)
    texts = [(line, "\n".join(lines)) for line, lines in cells]

    first_row = next((i for i, (_, t) in enumerate(texts) if parse_row_number(t) is not None), None)
    if first_row is None:
        raise ReportError("no numbered rows found in the table ('1.', '2.', …).", file=file)
    # The header is every cell before the first numbered row, except a
    # sphere heading standing right before that row.
    header_end = first_row
    if header_end > 1 and column_of(texts[header_end - 1][1]) is None:
        header_end -= 1
    header = [t for _, t in texts[:header_end]]
    width = len(header)
    body: list[tuple[int, list[str]]] = []
    i = header_end
    while i < len(texts):
        line, cell = texts[i]
        if parse_row_number(cell) is not None:
            body.append((line, [t for _, t in texts[i : i + width]]))
            i += width
        elif i + 1 < len(texts) and parse_row_number(texts[i + 1][1]) is not None:
            body.append((line, [cell]))
            i += 1
        else:
            rest = "\n".join(t for _, t in texts[i:])
            meta.summary = clean_cell(rest).replace("\n", " ") or None
            break
    return assemble_report(meta, header, body, where="line")
