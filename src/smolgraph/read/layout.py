"""From the blocks of a document (paragraphs and tables) to a :class:`~smolgraph.records.Report`.

Every format's reader (Word, text dump, spreadsheet) turns its file into a
list of blocks in reading order; this module alone knows how reports lay
those blocks out:

- the paragraphs above the first table are the title block (who reports,
  for which period), the paragraphs below the last one the summary;
- a paragraph between tables, or a row with one cell merged across a
  table, is a heading: the rows after it stand under it (a sphere, or a
  partner: extraction decides which);
- each table has a header row whose words say which field each column
  feeds (:mod:`.columns`); a table without one continues the table above
  (a table split by a page break);
- rows keep their label as printed ("7.", "2.3"); numbering that restarts
  in each section is told apart by the section's number.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import ReportError, RowError
from ..i18n import _, ngettext
from ..records import Report, ReportMeta, Row, RowLabel
from .columns import ColumnMap, field_of, map_columns
from .common import clean_cell, has_control_characters, parse_title

__all__ = [
    "Paragraph",
    "Table",
    "Block",
    "assemble_report",
    "parse_row_label",
    "split_heading",
    "MAX_CELL_CHARS",
]

#: A cell longer than this is not a report cell but a pasted document.
MAX_CELL_CHARS = 20_000


@dataclass
class Paragraph:
    """A paragraph outside any table; ``where`` says where it is ("paragraph 3", "line 12")."""

    text: str
    where: str = ""


@dataclass
class Table:
    """A table's rows as cell texts, each with where it is ("table 2, row 5", "line 40").

    A cell merged across columns or rows appears once in its row.
    """

    rows: list[tuple[str, list[str]]] = field(default_factory=list)
    name: str = ""  # a sheet's name, when each sheet is a section


Block = Paragraph | Table

_LABEL = re.compile(r"^\s*(\d{1,5}(?:\s?\.\s?\d{1,5})*)\s*[.)]?\s*$")
# "1.", "II.", "2.3", "Раздел 2." before a heading's words.
_HEADING_NUMBER = re.compile(
    r"^\s*(?:раздел\s+|глава\s+)?(?P<number>(?:[IVXLC]{1,6}|\d{1,2}(?:\.\d{1,2})*))\s*(?:[.)]\s*|\s+(?=[А-ЯЁA-Z«\"]))",
    re.IGNORECASE,
)


def parse_row_label(text: str) -> RowLabel | None:
    """The row label of a "№" cell as printed, or None when the cell holds no label.

    A plain number is an int; a numbered sub-row stays text.

    >>> parse_row_label("12. "), parse_row_label("2.3"), parse_row_label("1.1.")
    (12, '2.3', '1.1')
    >>> parse_row_label("Сотрудничество в сфере спорта") is None
    True
    """
    found = _LABEL.match(text)
    if not found:
        return None
    label = found.group(1).replace(" ", "")
    return int(label) if label.isdigit() else label


def split_heading(text: str) -> tuple[str | None, str]:
    """A heading's printed number and its words.

    >>> split_heading("II. Культурное сотрудничество")
    ('II', 'Культурное сотрудничество')
    >>> split_heading("Сотрудничество в сфере спорта")
    (None, 'Сотрудничество в сфере спорта')
    """
    text = " ".join(text.split())
    found = _HEADING_NUMBER.match(text)
    if found and found.end() < len(text):
        return found.group("number"), text[found.end():].strip()
    return None, text


def _looks_numbered(text: str) -> bool:
    return split_heading(text)[0] is not None


@dataclass
class _Section:
    number: str | None
    text: str
    ordinal: int


def assemble_report(
    file: str,
    blocks: list[Block],
    *,
    columns: Mapping[str, str] | None = None,
) -> Report:
    """Read a report out of a document's blocks.

    Parameters
    ----------
    file : str
        The file, for messages.
    blocks : list of Paragraph and Table
        The document in reading order.
    columns : mapping, optional
        A user's header → field mapping, consulted before the header words.

    Raises
    ------
    ReportError
        No table, a table without a header naming the title, no rows.
    RowError
        A row whose "№" cell is not a label, a label printed twice in one
        section, a cell too long to be a report cell.

    Examples
    --------
    >>> report = assemble_report("r.docx", [
    ...     Paragraph("Отчет … Смоленской области в I квартале 2025 года"),
    ...     Paragraph("1. Сотрудничество с Китаем"),
    ...     Table([("row 1", ["№", "Мероприятие", "Дата"]), ("row 2", ["1.", "Визит", "3 марта"])]),
    ...     Paragraph("2. Сотрудничество с Индией"),
    ...     Table([("row 1", ["№", "Мероприятие", "Дата"]), ("row 2", ["1.", "Форум", "5 марта"])]),
    ... ])
    >>> [(r.number, r.sections) for r in report.rows]
    [('1.1', ('Сотрудничество с Китаем',)), ('2.1', ('Сотрудничество с Индией',))]
    """
    first_table = next((i for i, b in enumerate(blocks) if isinstance(b, Table) and b.rows), None)
    if first_table is None:
        raise ReportError(
            _("the document has no table; smolgraph reads reports laid out as tables of events."), file=file
        )
    last_table = max(i for i, b in enumerate(blocks) if isinstance(b, Table) and b.rows)
    tables = [b for b in blocks if isinstance(b, Table) and b.rows]
    title = [clean_cell(b.text) for b in blocks[:first_table] if isinstance(b, Paragraph) and clean_cell(b.text)]
    between = [
        b for b in blocks[first_table:last_table] if isinstance(b, Paragraph) and clean_cell(b.text)
    ]
    opening_heading: str | None = None
    # The title block's last paragraph is the first section's heading when
    # it is numbered as one, or when the other tables have headings too.
    if len(title) > 1 and (_looks_numbered(title[-1]) or between):
        opening_heading = title.pop()
    summary = [clean_cell(b.text) for b in blocks[last_table + 1:] if isinstance(b, Paragraph)]

    reader = _TableReader(file, columns, title)
    for block in blocks[first_table:]:
        if isinstance(block, Paragraph) or not block.rows:
            continue
        if not reader.is_event_table(block):
            first_row = " | ".join(" ".join(clean_cell(c).split()) for c in block.rows[0][1])[:80]
            reader.skipped.append(
                _(
                    "table {table} (first row: {first_row}) has no header of events "
                    "and another width than the table above: not read"
                ).format(table=tables.index(block) + 1, first_row=first_row)
            )
            continue
        heading = _heading_before(blocks, block, first_table, opening_heading)
        if heading is not None:
            reader.open_section(heading)
        elif block.name and len(tables) > 1:
            reader.open_section(block.name)
        reader.read_table(block)

    meta = reader.meta(summary)
    rows = reader.finish()
    if not rows:
        raise ReportError(_("the table has a header but no event rows; is this an empty template?"), file=file)
    return Report(meta=meta, rows=rows)


def _heading_before(blocks: list[Block], table: Table, first_table: int, opening: str | None) -> str | None:
    """The heading paragraphs right above ``table`` (joined), if any."""
    at = next(i for i, b in enumerate(blocks) if b is table)
    if at == first_table:
        return opening
    texts: list[str] = []
    for block in reversed(blocks[:at]):
        if isinstance(block, Table) and block.rows:
            break
        if isinstance(block, Paragraph) and clean_cell(block.text):
            texts.append(" ".join(clean_cell(block.text).split()))
    if not texts:
        return None
    texts.reverse()
    joined = " ".join(texts)
    return joined if len(joined) <= 300 else texts[-1]


class _TableReader:
    """Reads tables one after another, keeping the sections and header in force."""

    def __init__(self, file: str, columns: Mapping[str, str] | None, title: list[str]):
        self.file = file
        self.user = columns
        self.title = title
        self.mapping: ColumnMap | None = None
        self.outer: _Section | None = None  # a heading paragraph (or sheet)
        self.inner: _Section | None = None  # a heading row inside a table
        self.ordinal = 0
        self.sections: list[str] = []
        # Rows with their section key (number, ordinal) and where they are, until labels are settled.
        self.pending: list[tuple[Row, tuple[int, str | None, int], str]] = []
        self.columns: dict[str, str] = {}
        self.unknown: list[str] = []
        self.skipped: list[str] = []

    def open_section(self, text: str, *, inner: bool = False) -> None:
        number, words = split_heading(text)
        self.ordinal += 1
        section = _Section(number, words, self.ordinal)
        if inner:
            self.inner = section
        else:
            self.outer, self.inner = section, None
        if words not in self.sections:
            self.sections.append(words)

    def is_event_table(self, table: Table) -> bool:
        """A table with a header of events, or one that goes on under the header above (same width)."""
        if self.mapping is None or self._header_at(table.rows) is not None:
            return True
        return len(table.rows[0][1]) == len(self.mapping.headers)

    def _header_at(self, rows: list[tuple[str, list[str]]]) -> int | None:
        """Index of the header row among the first rows: most of its cells name fields."""
        for at, (_where, cells) in enumerate(rows[:8]):
            texts = [clean_cell(c) for c in cells]
            known = [t for t in texts if t and field_of(t)]
            if len(known) >= 2 and len(known) * 2 >= len([t for t in texts if t]):
                return at
        return None

    def read_table(self, table: Table) -> None:
        rows = table.rows
        start = self._find_header(rows)
        sphere: str | None = None  # a sphere column written only on the first row of its group
        for where, cells in rows[start:]:
            texts = [clean_cell(c) for c in cells]
            distinct = list(dict.fromkeys(texts))
            if self._is_header_again(texts) or _is_column_numbers(texts):
                continue
            if len(distinct) == 1 or (
                len(texts) > 1 and all(not c for c in distinct[1:]) and parse_row_label(distinct[0]) is None
            ):
                if distinct[0]:
                    self.open_section(distinct[0].replace("\n", " "), inner=True)
                    sphere = None
                continue
            assert self.mapping is not None
            if len(cells) != len(self.mapping.headers):
                raise ReportError(
                    ngettext(
                        "{where} has {cells} cell but the header has {header}; "
                        "check for split or merged cells in that row.",
                        "{where} has {cells} cells but the header has {header}; "
                        "check for split or merged cells in that row.",
                        len(cells),
                    ).format(where=where, cells=len(cells), header=len(self.mapping.headers)),
                    file=self.file,
                )
            dirty = [
                h or _("column {number}").format(number=i + 1)
                for i, (h, c) in enumerate(zip(self.mapping.headers, cells))
                if has_control_characters(c)
            ]
            if dirty:
                self.skipped.append(
                    _("{where}: control characters (NUL, ESC …) removed from the cells {cells}").format(
                        where=where, cells=", ".join(f"'{' '.join(h.split())[:40]}'" for h in dirty)
                    )
                )
            values, other = self.mapping.split(texts)
            if not any(v for c, v in values.items() if c != "number") and not other:
                continue  # an empty row left by the editor carries nothing
            if values.get("sphere"):
                sphere = values["sphere"].replace("\n", " ")
            self._add_row(where, values, other, sphere)

    def _find_header(self, rows: list[tuple[str, list[str]]]) -> int:
        """Index of the first row after the header; rows above a first header are title lines."""
        at = self._header_at(rows)
        if at is not None:
            texts = [clean_cell(c) for c in rows[at][1]]
            below = [clean_cell(c) for c in rows[at + 1][1]] if at + 1 < len(rows) else []
            if _is_sub_header(texts, below):
                texts, at = below, at + 1
            if self.mapping is None or texts != self.mapping.headers:
                self.mapping = map_columns(texts, file=self.file, user=self.user)
                for name, header in self.mapping.header_of().items():
                    self.columns.setdefault(name, header)
                self.unknown.extend(h for h in self.mapping.unknown if h not in self.unknown)
            if at and not self.pending:
                # Merged title rows above the first header (a spreadsheet's title block).
                self.title.extend(" ".join(dict.fromkeys(clean_cell(c) for c in r if clean_cell(c))) for _, r in rows[:at])
            return at + 1
        if self.mapping is None:
            # A user's mapping can name headers no rule knows: try the first row with it.
            if self.user:
                texts = [clean_cell(c) for c in rows[0][1]]
                self.mapping = map_columns(texts, file=self.file, user=self.user)
                self.columns.update(self.mapping.header_of())
                self.unknown.extend(self.mapping.unknown)
                return 1
            first = "; ".join(f"'{' '.join(clean_cell(c).split())}'" for c in rows[0][1]) or _("nothing")
            raise ReportError(
                _(
                    "the first table has no header row smolgraph understands (its first row: {first}). "
                    "Name the columns with --column \"HEADER=field\" (e.g. --column \"Мероприятие=title\"), "
                    "or run `smolgraph inspect` on the file to see how it was read."
                ).format(first=first),
                file=self.file,
            )
        return 0  # a table split by a page break goes on under the header above

    def _is_header_again(self, texts: list[str]) -> bool:
        return self.mapping is not None and texts == self.mapping.headers and bool(self.pending)

    def _add_row(self, where: str, values: dict[str, str], other: dict[str, str], sphere: str | None) -> None:
        position = len(self.pending) + 1
        number_text = values.get("number", "")
        label = parse_row_label(number_text) if "number" in values else position
        if label is None:
            if number_text:
                raise RowError(
                    _(
                        "the '№' cell holds '{text}', not a row number ({where}); "
                        "number the row (e.g. '12.') or merge it into a heading."
                    ).format(text=number_text, where=where),
                    file=self.file,
                    row=None,
                    cell=self.columns.get("number"),
                )
            label = position  # an unnumbered row: its place in the report
        for name, value in {**values, **other}.items():
            if len(value) > MAX_CELL_CHARS:
                raise RowError(
                    ngettext(
                        "the cell holds {count:,} character, more than {limit:,}; "
                        "a report cell this long is almost certainly a paste error.",
                        "the cell holds {count:,} characters, more than {limit:,}; "
                        "a report cell this long is almost certainly a paste error.",
                        len(value),
                    ).format(count=len(value), limit=MAX_CELL_CHARS),
                    file=self.file,
                    row=label,
                    cell=self.columns.get(name, name),
                )
        sections = tuple(s.text for s in (self.outer, self.inner) if s is not None)
        # A label twice under one heading is an error; numbering restarts are told apart by the outer heading.
        innermost, outermost = self.inner or self.outer, self.outer or self.inner
        key = (innermost.ordinal if innermost else 0, outermost.number if outermost else None, outermost.ordinal if outermost else 0)
        row = Row(
            number=label,
            sphere=sphere,
            cells=values,
            index=_index_of(where),
            position=position,
            sections=sections,
            other_cells=other,
        )
        self.pending.append((row, key, where))

    def meta(self, summary: list[str]) -> ReportMeta:
        meta = parse_title(self.title, file=self.file)
        meta.summary = clean_cell(" ".join(summary)).replace("\n", " ") or None
        meta.columns = dict(self.columns)
        meta.unknown_columns = list(self.unknown)
        meta.sections = list(self.sections)
        meta.warnings = list(self.skipped)
        return meta

    def finish(self) -> list[Row]:
        """The rows with unique labels: a restarted numbering gets its section's number in front."""
        by_label: dict[RowLabel, list[tuple[tuple[int, str | None, int], str]]] = {}
        for row, key, where in self.pending:
            by_label.setdefault(row.number, []).append((key, where))
        restarts = False
        for label, group in by_label.items():
            keys = [k for k, _ in group]
            if len(set(keys)) < len(keys):
                first, second = [w for _, w in group][:2]
                raise RowError(
                    _("row number {label} appears twice ({first} and {second}); renumber one of them.").format(
                        label=label, first=first, second=second
                    ),
                    file=self.file,
                    row=label,
                    cell=self.columns.get("number"),
                )
            restarts = restarts or len(group) > 1
        rows = []
        for row, (_inner, number, ordinal), _where in self.pending:
            if restarts and ordinal:
                row.number = f"{number or ordinal}.{row.number}"
            rows.append(row)
        return rows


def _is_sub_header(header: list[str], below: list[str]) -> bool:
    """A second header row that splits a merged header cell ("Участники" over "с российской стороны" | "с иностранной стороны").

    It is wider than the row above (the merged cell counted once there),
    holds no row label, and its cells repeat the headers above (cells merged
    down) or name fields themselves.
    """
    filled = [t for t in below if t]
    if len(below) <= len(header) or len(set(filled)) < 2 or parse_row_label(below[0]) is not None:
        return False
    return 2 * sum(1 for t in filled if t in header or field_of(t)) >= len(filled)


def _is_column_numbers(texts: list[str]) -> bool:
    """A row "1 | 2 | 3 | …" under the header that numbers the columns."""
    return len(texts) > 2 and texts == [str(i) for i in range(1, len(texts) + 1)]


def _index_of(where: str) -> int:
    numbers = re.findall(r"\d+", where)
    return int(numbers[-1]) if numbers else 0
