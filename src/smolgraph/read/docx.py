"""Read a report from a Word .docx file: one table, title above, summary below."""
from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from ..errors import ReportError
from ..i18n import _
from ..records import Report
from .archive import Package, check_members, open_regular, out_of_memory, read_member, xml_parts
from .layout import Block, Paragraph, Table, assemble_report

__all__ = ["read_docx"]

_PACKAGE = Package(
    "document",
    "Word",
    ".docx",
    lambda: _(
        "this is an old binary Word file (.doc), which smolgraph cannot read; convert it to .docx "
        "(Word: Save As → .docx, or `libreoffice --headless --convert-to docx FILE.doc`)."
    ),
)

# Entities are not expanded and nothing is fetched: a .docx comes from
# anywhere. remove_blank_text as python-docx parses, so whitespace-only text
# nodes are dropped (or kept) exactly where python-docx drops them.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=True)

_REL_TAG = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "/relationships/officeDocument"  # transitional and strict relationship types

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_DOCUMENT, _W_BODY = _W + "document", _W + "body"
_W_TR, _W_TRPR, _W_GRID_BEFORE = _W + "tr", _W + "trPr", _W + "gridBefore"
_W_TC, _W_TCPR, _W_GRID_SPAN, _W_VMERGE = _W + "tc", _W + "tcPr", _W + "gridSpan", _W + "vMerge"
_W_P, _W_R, _W_HYPERLINK, _W_T, _W_BR = _W + "p", _W + "r", _W + "hyperlink", _W + "t", _W + "br"
_W_TBL = _W + "tbl"
_W_VAL, _W_TYPE = _W + "val", _W + "type"
# Run children that always stand for one character (CT_Tab, CT_PTab, CT_Cr,
# CT_NoBreakHyphen); with w:t and w:br they are all of a run's text.
_RUN_CHARS = {_W + "tab": "\t", _W + "ptab": "\t", _W + "cr": "\n", _W + "noBreakHyphen": "-"}


def read_docx(path: str | Path, *, columns: Mapping[str, str] | None = None) -> Report:
    """Read a report from a ``.docx`` file.

    The body's paragraphs and tables go, in order, to
    :func:`~smolgraph.read.layout.assemble_report`: a title block above the
    tables, heading paragraphs between them, a summary below. ``columns``
    maps headers no rule knows to fields.

    Only the main document part is read, straight from the ZIP, with the
    cell text rules of python-docx 1.2 (see ``_row_cells``, ``_cell_text``).
    """
    path = Path(path)
    file = str(path)
    try:
        return _read_docx(path, file, columns)
    except MemoryError:
        # Within the caps a part can still outgrow a small machine's memory; once
        # the tree is dropped there is room again to say so.
        raise out_of_memory(file=file) from None


def _read_docx(path: Path, file: str, columns: Mapping[str, str] | None) -> Report:
    # One open file for the checks and the read: what was checked is what is read.
    with open_regular(path, file=file) as handle:
        _PACKAGE.check_container(handle, file=file)
        body = _read_body(handle, file)

    blocks: list[Block] = []
    tables = 0
    # Word's own namespace only, as python-docx: another program's markup in the body is neither.
    for child in body.iterchildren(_W_TBL, _W_P):
        if child.tag == _W_TBL:
            tables += 1
            rows = _table_rows(child, file=file, table=tables)
            blocks.append(Table([(_where(tables, index), cells) for index, cells in enumerate(rows, start=1)]))
        else:
            blocks.append(Paragraph(_paragraph_text(child)))
    return assemble_report(file, blocks, columns=columns)


# -- the package: ZIP, relationships, main part ---------------------------------


def _read_body(handle: BinaryIO, file: str):
    """The ``w:body`` element of the main document part, or a ReportError."""
    try:
        root = _read_main_part(handle, file)
    except ReportError:
        raise  # a part too large, or damaged, already says so
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        # The same split as with python-docx: a part that is missing or not
        # Word's is "not a Word document", anything else "damaged".
        raise _not_word(str(exc), file=file) from None
    except Exception as exc:  # lxml and zip errors of a damaged document
        raise _PACKAGE.damaged(f"{type(exc).__name__}: {exc}", file=file) from None
    # An .xlsx or .pptx has a main part too, just not a Word one.
    body = root.find(_W_BODY) if root.tag == _W_DOCUMENT else None
    if body is None:
        raise _not_word(_("its main part has no Word document body"), file=file)
    return body


def _not_word(detail: str, *, file: str) -> ReportError:
    return ReportError(
        _("the file is a ZIP archive but not a readable Word document ({detail}); re-save it from Word as .docx.").format(
            detail=detail
        ),
        file=file,
    )


def _read_main_part(handle: BinaryIO, file: str):
    with zipfile.ZipFile(handle) as archive:
        # Every XML part is sized up before any is unpacked, with the workbook reader's caps.
        # The usual main part is named as such; one the relationships move elsewhere is checked again when read.
        check_members(archive, xml_parts(archive), package=_PACKAGE, file=file, main="word/document.xml")
        name = _main_part_name(archive, file)
        data = read_member(archive, archive.getinfo(name), package=_PACKAGE, file=file, main=name)
        return etree.fromstring(data, _PARSER)


def _main_part_name(archive: zipfile.ZipFile, file: str) -> str:
    """The ZIP member of the main document, as the package relationships name it."""
    try:
        info = archive.getinfo("_rels/.rels")
    except KeyError:
        return "word/document.xml"
    rels = etree.fromstring(read_member(archive, info, package=_PACKAGE, file=file), _PARSER)
    for rel in rels.iterchildren(_REL_TAG):
        if rel.get("Type", "").endswith(_OFFICE_DOCUMENT) and rel.get("TargetMode") != "External":
            # Targets are relative to the package root; "/word/x.xml" is absolute.
            return posixpath.normpath(posixpath.join("/", rel.get("Target", ""))).lstrip("/")
    return "word/document.xml"


# -- tables: python-docx 1.2's _Row.cells and _Cell.text -------------------------


def _where(table: int, row: int) -> str:
    """Where a row of the document is, for messages: "table row 3" in the first table, "table 2, row 3" after it."""
    if table == 1:
        return _("table row {row}").format(row=row)
    return _("table {table}, row {row}").format(table=table, row=row)


def _table_rows(tbl, *, file: str, table: int = 1) -> list[list[str]]:
    """The text of each row's distinct cells, a cell merged over columns or rows once."""
    table_rows = []
    texts: dict[int, str] = {}
    keep = []  # every w:tc stays alive, so the ids below stay unique
    above: dict[int, tuple] | None = None  # the row above: grid offset -> (cell, span, vMerge, merge root)
    for index, tr in enumerate(tbl.iterchildren(_W_TR)):
        try:
            cells, above = _row_cells(tr, above)
        except _MergeError as exc:
            raise ReportError(
                _("{where}: {problem}; re-save the file from Word.").format(where=_where(table, index + 1), problem=exc),
                file=file,
            ) from None
        except ValueError as exc:  # a gridSpan or gridBefore that is not a number
            raise _PACKAGE.damaged(f"{_where(table, index + 1)}: {exc}", file=file) from None
        keep.append(cells)
        for tc in cells:
            if id(tc) not in texts:  # a vertically merged cell is read once
                texts[id(tc)] = _cell_text(tc)
        table_rows.append([texts[id(tc)] for tc in cells])
    return table_rows


class _MergeError(Exception):
    """A ``vMerge="continue"`` cell with no cell above it to continue."""


def _row_cells(tr, above: dict[int, tuple] | None) -> tuple[list, dict[int, tuple]]:
    """The distinct ``w:tc`` elements row ``tr`` shows, in order, and the row's grid for the next row.

    python-docx yields a cell once per grid column it spans (none when the
    span is 0 or less) and a ``vMerge="continue"`` cell as the cell above it
    at the same grid offset, climbing while that one continues too
    (``CT_Tc._tc_above``); the reader keeps the first of each element. The
    row above carries the root of each of its merges, so a merge down
    thousands of rows is resolved in one step a row, not by climbing.
    """
    grid_offset = _grid_before(tr)
    seen: set[int] = set()
    cells = []
    grid: dict[int, tuple] = {}
    highest: int | None = None
    for tc in tr:
        if tc.tag != _W_TC:
            continue
        span, vmerge = _tc_props(tc)
        if vmerge != "continue":
            root = (tc, span)
        elif above is None:
            raise _MergeError(_("a cell continues a vertical merge, but it is in the first row of its table"))
        elif grid_offset not in above:
            raise _MergeError(
                _(
                    "a cell continues a vertical merge, but the row above has no cell starting at grid column {column}"
                ).format(column=grid_offset + 1)
            )
        else:
            root = above[grid_offset][3]
        # python-docx finds a cell at an offset by walking the row from its start and giving up
        # once it has passed the offset: so the first cell there (a zero span can share it), and
        # none after a cell that started further right (negative spans walk back).
        if (highest is None or grid_offset >= highest) and grid_offset not in grid:
            grid[grid_offset] = (tc, span, vmerge, root)
        highest = grid_offset if highest is None else max(highest, grid_offset)
        grid_offset += span
        if root[1] > 0 and id(root[0]) not in seen:
            seen.add(id(root[0]))
            cells.append(root[0])
    return cells, grid


# The helpers below walk children with a plain loop and compare tags: in
# lxml that is several times faster than find() or iterchildren(tag), and
# they run for every cell, paragraph and run of the table.


def _grid_before(tr) -> int:
    """``w:trPr/w:gridBefore/@w:val`` of a row, 0 without one (the first of each counts)."""
    trPr = _first_child(tr, _W_TRPR)
    if trPr is None:
        return 0
    return _decimal(_first_child(trPr, _W_GRID_BEFORE), default=0)


def _tc_props(tc) -> tuple[int, str | None]:
    """``(gridSpan, vMerge value)`` of a cell; python-docx reads the first of each element."""
    tcPr = _first_child(tc, _W_TCPR)
    if tcPr is None:
        return 1, None
    grid_span = v_merge = None
    for child in tcPr:
        if child.tag == _W_GRID_SPAN and grid_span is None:
            grid_span = child
        elif child.tag == _W_VMERGE and v_merge is None:
            v_merge = child
    # A w:vMerge without w:val means "continue" (the schema default).
    return _decimal(grid_span, default=1), None if v_merge is None else v_merge.get(_W_VAL, "continue")


def _first_child(element, tag: str):
    for child in element:
        if child.tag == tag:
            return child
    return None


def _decimal(element, *, default: int) -> int:
    if element is None:
        return default
    value = element.get(_W_VAL)
    if value is None:
        raise ValueError(f"<{element.tag}> has no w:val")
    return int(value)  # int() as python-docx, so "+2" or " 2" count too


def _cell_text(tc) -> str:
    """python-docx's ``_Cell.text``: the cell's own paragraphs, one a line.

    Paragraphs of a table nested in the cell are not direct children and
    so not part of the text, as in python-docx.
    """
    return "\n".join([_p_text(p) for p in tc if p.tag == _W_P])


def _p_text(p) -> str:
    """``CT_P.text``: the runs and hyperlinks directly in the paragraph.

    Runs inside other wrappers (w:ins, w:smartTag, w:sdt, fields) are left
    out, as python-docx leaves them out.
    """
    parts = []
    for child in p:
        tag = child.tag
        if tag == _W_R:
            parts.append(_r_text(child))
        elif tag == _W_HYPERLINK:
            parts.extend([_r_text(r) for r in child if r.tag == _W_R])
    return "".join(parts)


def _r_text(r) -> str:
    """``CT_R.text``: text, tabs, breaks and no-break hyphens of one run."""
    parts = []
    for child in r:
        tag = child.tag
        if tag == _W_T:
            parts.append(child.text or "")
        elif tag == _W_BR:
            # Only a line break is a newline; page and column breaks are "".
            parts.append("\n" if child.get(_W_TYPE, "textWrapping") == "textWrapping" else "")
        elif tag in _RUN_CHARS:
            parts.append(_RUN_CHARS[tag])
    return "".join(parts)


def _paragraph_text(paragraph) -> str:
    parts = []
    for node in paragraph.iter():
        if not isinstance(node.tag, str):
            # A comment, processing instruction or unexpanded entity reference: its
            # tag is a function, not a name, and it carries no text of the paragraph.
            continue
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "t":
            parts.append(node.text or "")
        elif tag in {"br", "cr"}:
            parts.append("\n")
        elif tag == "tab":
            parts.append(" ")
    return "".join(parts)
