"""Read the text dump of a report: one line per paragraph, a tab before each cell."""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ..errors import ReportError
from ..i18n import _
from ..records import Report
from .archive import MAX_TEXT_BYTES, open_regular, size_text
from .columns import field_of
from .common import clean_cell
from .layout import Block, Paragraph, Table, assemble_report, parse_row_label

__all__ = ["read_text", "decode_text"]


def decode_text(data: bytes, *, file: str) -> str:
    """Decode a text dump: UTF-8 (with or without BOM), else Windows-1251.

    >>> decode_text("Отчет".encode("cp1251"), file="r.txt")
    'Отчет'
    """
    if not data.strip():
        raise ReportError(_("the file is empty."), file=file)
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        raise ReportError(
            _("the text is neither UTF-8 nor Windows-1251; save it as UTF-8 and try again."), file=file
        ) from None
    letters = sum(1 for ch in text if "А" <= ch <= "я" or ch in "Ёё")
    if letters < len(text) * 0.2:
        raise ReportError(_("the text is neither UTF-8 nor Russian Windows-1251; save it as UTF-8."), file=file)
    return text


def read_text(path: str | Path, *, columns: Mapping[str, str] | None = None) -> Report:
    """Read a report from its text dump.

    Each table cell starts on a line beginning with a tab; lines without a
    tab continue the cell above. The lines before the first cell are the
    title block. A table's header cells come before its first numbered
    row; when the header comes again further down, a new table begins, and
    the plain lines standing apart (after a blank line) before it are the
    heading paragraphs between the two tables. Cells left after the last
    row are the closing summary.
    """
    path = Path(path)
    file = str(path)
    text = decode_text(_read_bounded(path, file), file=file)
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
        raise ReportError(
            _("no table cells found (a text dump has a tab before each cell); is this a report?"), file=file
        )
    texts = [(line, "\n".join(lines)) for line, lines in cells]
    first_row = next((i for i, (_, t) in enumerate(texts) if parse_row_label(t) is not None), None)
    if first_row is None:
        raise ReportError(_("no numbered rows found in the table ('1.', '2.', …)."), file=file)
    # The header is every cell before the first numbered row, except a
    # heading standing right before that row.
    header_end = first_row
    if header_end > 1 and field_of(texts[header_end - 1][1]) is None:
        header_end -= 1
    header = [clean_cell(t) for _, t in texts[:header_end]]
    width = len(header)

    blocks: list[Block] = [Paragraph(line, where=_line(n)) for n, line in enumerate(title, start=1)]
    table = Table([(_line(texts[0][0]), [t for _, t in texts[:header_end]])])
    blocks.append(table)
    i = header_end
    while i < len(texts):
        line, cell = texts[i]
        if width > 1 and i + width <= len(texts) and [clean_cell(t) for _, t in texts[i : i + width]] == header:
            headings = _split_trailing_paragraphs(cells[i - 1][1])
            if headings:
                table.rows[-1][1][-1] = "\n".join(cells[i - 1][1])  # the cell without the heading lines
                blocks.extend(Paragraph(h, where=_line(line)) for h in headings)
            table = Table([(_line(line), [t for _, t in texts[i : i + width]])])
            blocks.append(table)
            i += width
        elif parse_row_label(cell) is not None:
            table.rows.append((_line(line), [t for _, t in texts[i : i + width]]))
            i += width
        elif i + 1 < len(texts) and parse_row_label(texts[i + 1][1]) is not None:
            table.rows.append((_line(line), [cell]))
            i += 1
        else:
            blocks.append(Paragraph("\n".join(t for _, t in texts[i:]), where=_line(line)))
            break
    return assemble_report(file, blocks, columns=columns)


def _read_bounded(path: Path, file: str) -> bytes:
    """The file's bytes, refused above :data:`~.archive.MAX_TEXT_BYTES` before they are read.

    The size is taken from the open file; one byte past the cap is asked
    for too, so a file that grows while it is read (or whose size is not
    what it says) is refused all the same, not read to its end.
    """
    with open_regular(path, file=file) as handle:
        size = os.fstat(handle.fileno()).st_size
        data = b"" if size > MAX_TEXT_BYTES else handle.read(MAX_TEXT_BYTES + 1)
    if size > MAX_TEXT_BYTES or len(data) > MAX_TEXT_BYTES:
        raise ReportError(
            _(
                "the text dump is {size}, more than smolgraph's cap of {cap} for a text report; "
                "a quarter's report is a few hundred kilobytes: is this the right file?"
            ).format(size=size_text(max(size, len(data))), cap=size_text(MAX_TEXT_BYTES)),
            file=file,
        )
    return data


def _line(number: int) -> str:
    """Where a paragraph or row of a text dump is, for messages: "line 12"."""
    return _("line {line}").format(line=number)


def _split_trailing_paragraphs(lines: list[str]) -> list[str]:
    """Take the plain lines standing after a blank line off the end of a cell's lines.

    They are paragraphs between two tables, not the cell's text. ``lines``
    is changed in place.
    """
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    blank = next((j for j in range(len(lines) - 1, 0, -1) if not lines[j].strip()), None)
    if blank is None:
        return []
    paragraphs = [line for line in lines[blank + 1 :] if line.strip()]
    del lines[blank:]
    return paragraphs
