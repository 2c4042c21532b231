"""A test corpus: ONE invented report written in many layouts (issue 14).

Every event, person and figure is INVENTED: the rows are those of
``data/samples/invented_smolensk_2025_q2.py`` (REPORT), an invented Smolensk
Oblast report for Q2 2025. Each layout lays the same 22 rows out the way
some region's report might, so that reading any of them gives the same
events with the same facts as the plain (real) layout, up to row labels and
section names (``tests/test_layouts.py`` checks that).

    python tests/corpus.py OUTDIR      # writes every layout into OUTDIR to look at

:func:`write_layout` writes one layout; :func:`row_order` says which plain
row each row of a layout is (all layouts keep the plain order except
``sections_partner``, which groups rows by partner country).
"""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _sample():
    spec = importlib.util.spec_from_file_location(
        "invented_smolensk_2025_q2", ROOT / "data" / "samples" / "invented_smolensk_2025_q2.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REPORT = _sample().REPORT  # INVENTED rows

#: The canonical columns of the plain layout, in its order.
CANON = ("number", "title", "venue", "dates", "content", "participants")
HEADER = dict(zip(CANON, REPORT["header"]))

#: Every plain row: (position 1.., sphere, {column: text}).
ROWS: list[tuple[int, str, dict[str, str]]] = []
for _section in REPORT["sections"]:
    for _cells in _section["rows"]:
        ROWS.append((len(ROWS) + 1, _section["sphere"], dict(zip(CANON, _cells))))
SPHERES: list[str] = list(dict.fromkeys(sphere for _, sphere, _ in ROWS))

#: The partner country each row names itself (read off the INVENTED rows by hand), for
#: ``sections_partner``: a row goes under the heading of a country it already names, so it
#: inherits nothing from the heading. Rows naming no country go under a heading naming none.
PARTNER_SECTIONS = (
    ("Взаимодействие с Республикой Беларусь", {1, 5, 6, 7, 10, 11, 12, 14, 15, 16, 18, 19, 20, 22}),
    ("Взаимодействие с Китайской Народной Республикой", {3}),
    ("Взаимодействие с другими государствами", {2, 4, 8, 9, 13, 21}),
    ("Прочие мероприятия", {17}),
)

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

#: The region a second reporting region's copy is written for (INVENTED copy of the same events).
OTHER_REGION = "Псковская область"

LAYOUTS = (
    "plain",
    "sphere_column",
    "sphere_column_merged",
    "sphere_column_first_row",
    "sphere_column_unknown_header",
    "no_spheres",
    "sections_sphere",
    "sections_partner",
    "numbered_1_1",
    "numbered_restart",
    "shuffled_extra",
    "format_column",
    "mixed_headings",
    "text_dump",
    "xlsx",
)

_SUFFIX = {"text_dump": ".txt", "xlsx": ".xlsx"}


def row_order(name: str) -> list[int]:
    """The plain position of each row of layout ``name``, in the layout's order."""
    if name == "sections_partner":
        return [p for _, positions in PARTNER_SECTIONS for p in sorted(positions)]
    return [p for p, _, _ in ROWS]


# -- a layout as blocks --------------------------------------------------------------------------
# A layout is a list of blocks: a str is a paragraph; a dict is a table
# {"header": [...], "rows": [...], "vmerge": [(column, first row, last row), ...]}
# whose rows are lists of cell texts, or a str for a heading row merged across the table.


def _label(position: int) -> str:
    return f"{position}. "


def _title_lines(region: str) -> list[str]:
    return _regional(REPORT["title_lines"], region)


def _table(header, rows, vmerge=()) -> dict:
    return {"header": list(header), "rows": list(rows), "vmerge": list(vmerge)}


def _plain_row(position: int, cells: dict[str, str], label: str | None = None) -> list[str]:
    return [label if label is not None else _label(position)] + [cells[c] for c in CANON[1:]]


def _blocks(name: str) -> list:
    header = [HEADER[c] for c in CANON]
    if name in ("plain", "xlsx"):
        rows: list = []
        for sphere in SPHERES:
            rows.append(sphere)
            rows.extend(_plain_row(p, c) for p, s, c in ROWS if s == sphere)
        return [_table(header, rows)]
    if name.startswith("sphere_column"):
        sphere_header = "Тематика" if name == "sphere_column_unknown_header" else "Сфера сотрудничества"
        rows, vmerge = [], []
        for sphere in SPHERES:
            group = [(p, c) for p, s, c in ROWS if s == sphere]
            first = len(rows)
            for i, (p, c) in enumerate(group):
                shown = sphere if (i == 0 or name not in ("sphere_column_first_row",)) else ""
                rows.append([_label(p), shown] + [c[k] for k in CANON[1:]])
            if name == "sphere_column_merged" and len(group) > 1:
                vmerge.append((1, first, len(rows) - 1))
        return [_table([header[0], sphere_header] + header[1:], rows, vmerge)]
    if name == "no_spheres":
        return [_table(header, [_plain_row(p, c) for p, _, c in ROWS])]
    if name in ("sections_sphere", "text_dump", "numbered_restart"):
        blocks: list = []
        for n, sphere in enumerate(SPHERES, start=1):
            number = ROMAN[n - 1] if name != "numbered_restart" else str(n)
            blocks.append(f"{number}. {sphere}")
            group = [(p, c) for p, s, c in ROWS if s == sphere]
            blocks.append(_table(header, [
                _plain_row(p, c, f"{i}." if name == "numbered_restart" else None) for i, (p, c) in enumerate(group, start=1)
            ]))
        return blocks
    if name == "sections_partner":
        by_position = {p: (s, c) for p, s, c in ROWS}
        blocks = []
        for n, (heading, positions) in enumerate(PARTNER_SECTIONS, start=1):
            blocks.append(f"{n}. {heading}")
            rows = []
            for sphere in SPHERES:
                group = [p for p in sorted(positions) if by_position[p][0] == sphere]
                if group:
                    rows.append(sphere)
                    rows.extend(_plain_row(p, by_position[p][1]) for p in group)
            blocks.append(_table(header, rows))
        return blocks
    if name == "numbered_1_1":
        rows = []
        for n, sphere in enumerate(SPHERES, start=1):
            rows.append(f"{n}. {sphere}")
            group = [(p, c) for p, s, c in ROWS if s == sphere]
            rows.extend(_plain_row(p, c, f"{n}.{i}") for i, (p, c) in enumerate(group, start=1))
        return [_table(header, rows)]
    if name == "shuffled_extra":
        shuffled = ["Дата проведения", "Название события", "№", "Участники с российской стороны", "Площадка",
                    "Участники с иностранной стороны", "Краткие итоги", "Примечание", "Фото"]
        rows = []
        for sphere in SPHERES:
            rows.append(sphere)
            for p, s, c in ROWS:
                if s != sphere:
                    continue
                ours, _, theirs = c["participants"].partition("\n")
                rows.append([c["dates"], c["title"], _label(p), ours, c["venue"], theirs, c["content"],
                             "—" if p % 3 == 0 else "", "есть" if p % 2 else "нет"])
        return [_table(shuffled, rows)]
    if name == "format_column":
        rows = []
        for sphere in SPHERES:
            rows.append(sphere)
            rows.extend(_plain_row(p, c) + [_format(c)] for p, s, c in ROWS if s == sphere)
        return [_table(header + ["Формат проведения"], rows)]
    if name == "mixed_headings":
        # Heading paragraphs over the tables, sphere headings as merged rows inside two of them;
        # the last sphere is a heading paragraph of its own.
        parts = (("I. Экономическое сотрудничество", SPHERES[:2]), ("II. Гуманитарное сотрудничество", SPHERES[2:-1]),
                 (f"III. {SPHERES[-1]}", SPHERES[-1:]))
        blocks = []
        for heading, spheres in parts:
            blocks.append(heading)
            rows = []
            for sphere in spheres:
                if len(spheres) > 1:
                    rows.append(sphere)
                rows.extend(_plain_row(p, c) for p, s, c in ROWS if s == sphere)
            blocks.append(_table(header, rows))
        return blocks
    raise ValueError(f"unknown layout '{name}'; layouts: {', '.join(LAYOUTS)}")


def _format(cells: dict[str, str]) -> str:
    """The format a row states in words, as a "Формат проведения" cell would."""
    text = f"{cells['title']}\n{cells['venue']}"
    if "видеоконференцсвязи" in text:
        return "ВКС"
    if re.search(r"дистанционном формате|Онлайн|Телемост|Видеоконференция", text):
        return "онлайн"
    if "режиме ВКС" in cells["participants"]:
        return "смешанный"  # on site, one participant joined by video
    return "очно"


# -- other reporting region ----------------------------------------------------------------------

#: Region -> (city, adjective stem, lower-case adjective stem, "…щина" stem), INVENTED copy.
_REGION_STEMS = {"Псковская область": ("Псков", "Псковск", "псковск", "Псковщин")}


def _regional(texts, region: str):
    """Texts with every form of Смоленск- put in the forms of ``region`` (INVENTED copy)."""
    if region == "Смоленская область":
        return list(texts)
    city, upper, lower, land = _REGION_STEMS[region]
    out = []
    for text in texts:
        text = text.replace("Смоленщин", land)
        # The city after "г." (Смоленск, Смоленска, Смоленске); every other form is the adjective.
        text = re.sub(r"(г\.[\s\u00a0]*)Смоленск", rf"\g<1>{city}", text)
        text = text.replace("Смоленск", upper).replace("смоленск", lower)
        out.append(text)
    return out


def _regional_blocks(blocks: list, region: str) -> list:
    if region == "Смоленская область":
        return blocks
    out = []
    for block in blocks:
        if isinstance(block, str):
            out.append(_regional([block], region)[0])
        else:
            rows = [_regional([r], region)[0] if isinstance(r, str) else _regional(r, region) for r in block["rows"]]
            out.append({**block, "rows": rows})
    return out


# -- writers -------------------------------------------------------------------------------------


def write_layout(name: str, directory, *, region: str = "Смоленская область") -> Path:
    """Write the INVENTED report in layout ``name`` into ``directory``; returns the file."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    blocks = _regional_blocks(_blocks(name), region)
    title = _title_lines(region)
    summary = _regional([REPORT["summary"]], region)[0]
    region_tag = "" if region == "Смоленская область" else "-" + {"Псковская область": "pskov"}[region]
    path = directory / f"invented-layout-{name.replace('_', '-')}{region_tag}{_SUFFIX.get(name, '.docx')}"
    if name == "text_dump":
        _write_text(path, title, blocks, summary)
    elif name == "xlsx":
        _write_xlsx(path, title, blocks, summary)
    else:
        _write_docx(path, title, blocks, summary)
    return path


def _fill(cell, text: str, *, bold: bool = False) -> None:
    lines = text.split("\n")
    cell.paragraphs[0].add_run(lines[0]).bold = bold
    for line in lines[1:]:
        cell.add_paragraph().add_run(line).bold = bold


def _write_docx(path: Path, title: list[str], blocks: list, summary: str) -> None:
    from docx import Document

    document = Document()
    for line in title:
        document.add_paragraph().add_run(line).bold = True
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph().add_run(block).bold = True
            continue
        width = len(block["header"])
        table = document.add_table(rows=1, cols=width)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, block["header"]):
            _fill(cell, text, bold=True)
        for row in block["rows"]:
            cells = table.add_row().cells
            if isinstance(row, str):
                _fill(cells[0].merge(cells[-1]), row, bold=True)
            else:
                for cell, text in zip(cells, row):
                    if text:
                        _fill(cell, text)
        for column, first, last in block["vmerge"]:
            # Rows are counted under the header; merged cells keep the first row's text only.
            top = table.cell(first + 1, column)
            text = top.text
            for r in range(first + 2, last + 2):
                for p in table.cell(r, column).paragraphs:
                    p._p.getparent().remove(p._p)
                table.cell(r, column)._tc.add_p()
            merged = top.merge(table.cell(last + 1, column))
            for p in merged.paragraphs[1:]:
                p._p.getparent().remove(p._p)
            assert merged.text == text, (merged.text, text)
    document.add_paragraph()
    for line in summary.split("\n"):
        document.add_paragraph(line)
    document.save(path)


def _write_text(path: Path, title: list[str], blocks: list, summary: str) -> None:
    """The text dump: title lines, then each cell tab-indented, a blank line after each row,
    heading paragraphs as plain lines (after a blank line) before each table's header row."""
    lines = list(title) + [""]
    for block in blocks:
        if isinstance(block, str):
            lines += [block, ""]
            continue
        for row in [block["header"], *block["rows"]]:
            for text in [row] if isinstance(row, str) else row:
                lines.append("\t" + text.replace("\n", "\n"))
            lines.append("")
    lines.append("\t" + summary)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_xlsx(path: Path, title: list[str], blocks: list, summary: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    [table] = blocks
    width = len(table["header"])
    book = Workbook()
    sheet = book.active
    sheet.title = "Отчет"
    wrap = Alignment(wrap_text=True, vertical="top")
    row = 1
    for line in title:
        sheet.cell(row=row, column=1, value=line).font = Font(bold=True)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1
    for column, text in enumerate(table["header"], start=1):
        cell = sheet.cell(row=row, column=column, value=text)
        cell.font, cell.alignment = Font(bold=True), wrap
    row += 1
    for item in table["rows"]:
        if isinstance(item, str):
            sheet.cell(row=row, column=1, value=item).font = Font(bold=True)
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        else:
            for column, text in enumerate(item, start=1):
                sheet.cell(row=row, column=column, value=text or None).alignment = wrap
        row += 1
    row += 1  # an empty row, then the summary in a merged row, as the Word file has it
    sheet.cell(row=row, column=1, value=summary).alignment = wrap
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    for letter, size in zip("ABCDEF", (6, 40, 30, 16, 60, 60)):
        sheet.column_dimensions[letter].width = size
    book.save(path)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tests/corpus.py OUTDIR", file=sys.stderr)
        return 2
    for name in LAYOUTS:
        print(write_layout(name, argv[0]))
    print(write_layout("plain", argv[0], region=OTHER_REGION))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
