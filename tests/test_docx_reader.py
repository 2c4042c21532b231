"""The .docx reader against python-docx: the same cells row by row, and the same Report.

``read_docx`` reads the main document part with lxml. The reference here is
the code it replaced: python-docx opens the file and ``row.cells`` /
``cell.text`` give the cell texts, a merged cell kept once per row.
"""
from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

docx = pytest.importorskip("docx")

from docx.enum.text import WD_BREAK  # noqa: E402
from docx.opc.constants import RELATIONSHIP_TYPE as RT  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.table import Table  # noqa: E402

import smolgraph.read.docx as docx_reader  # noqa: E402
import conftest  # noqa: E402
from conftest import SAMPLES, SHARED  # noqa: E402
from smolgraph.errors import ReportError  # noqa: E402
from smolgraph.read.docx import _paragraph_text, read_docx  # noqa: E402
from smolgraph.read.layout import Paragraph, assemble_report  # noqa: E402
from smolgraph.read.layout import Table as LayoutTable  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TITLE = "Отчет о мероприятиях Смоленской области в I квартале 2025 года"
HEADER = conftest.REPORT_HEADER


# -- the reference: python-docx, as read_docx read tables before -----------------


def reference_tables(path: Path) -> list[list[list[str]]]:
    """Cell texts of each top-level table, row by row, as python-docx gives them."""
    document = docx.Document(str(path))
    tables = [Table(child, document) for child in document.element.body.iterchildren(qn("w:tbl"))]
    return [[[cell.text for cell in _unique_cells(row)] for row in table.rows] for table in tables]


def _unique_cells(row) -> list:
    # python-docx repeats a merged cell once per grid column it spans.
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def reference_report(path: Path):
    """The Report made from python-docx's view of the body: its paragraphs and tables, in order."""
    file = str(path)
    body = docx.Document(file).element.body
    tables = iter(reference_tables(path))
    blocks, count = [], 0
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            blocks.append(Paragraph(_paragraph_text(child)))
        elif child.tag == qn("w:tbl"):
            count += 1
            where = "table row" if count == 1 else f"table {count}, row"
            blocks.append(LayoutTable([(f"{where} {i}", cells) for i, cells in enumerate(next(tables), start=1)]))
    return assemble_report(file, blocks)


# -- the reader under test, at the same two levels --------------------------------


def reader_tables(path: Path) -> list[list[list[str]]]:
    """Cell texts of each top-level table as the new reader sees them."""
    body = docx_reader._read_body(Path(path), str(path))
    return [docx_reader._table_rows(tbl, file=str(path)) for tbl in body.iterchildren(qn("w:tbl"))]


def outcome(read, path: Path):
    """The Report, or the error's type and message when there is none."""
    try:
        return read(path)
    except ReportError as error:
        return type(error).__name__, str(error)


def assert_same(path: Path) -> list[list[list[str]]]:
    """Both readers give the same cells, row by row, and the same Report (or error)."""
    expected, got = reference_tables(path), reader_tables(path)
    assert len(got) == len(expected), "number of tables"
    for table, (want_rows, got_rows) in enumerate(zip(expected, got), start=1):
        assert len(got_rows) == len(want_rows), f"rows of table {table}"
        for row, (want, have) in enumerate(zip(want_rows, got_rows), start=1):
            assert have == want, f"table {table}, row {row}"
    assert outcome(read_docx, path) == outcome(reference_report, path)
    return got


# -- real, shipped and generated reports ------------------------------------------

SHIPPED = sorted(SAMPLES.glob("*.docx")) + sorted((SHARED / "reports").glob("*.docx"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_and_shared_reports(path):
    tables = assert_same(path)
    assert sum(len(t) for t in tables) > 10
    assert read_docx(path).rows


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def reportgen():
    return _load("reportgen", ROOT / "bench" / "reportgen.py")


@pytest.mark.parametrize("seed", range(30))
def test_generated_reports(tmp_path, reportgen, seed):
    # Header variants, quarters and lengths vary with the seed.
    report = reportgen.generate_report(seed, header_variant=seed % 4, quarter=seed % 4 + 1, n_rows=10 + seed)
    path = tmp_path / f"gen-{seed}.docx"
    reportgen.write_docx(report, path)
    assert_same(path)
    rows = [row for section in report["sections"] for row in section["rows"]]
    assert len(read_docx(path).rows) == len(rows)


# -- small documents, one awkward feature each -------------------------------------


def report_document(rows: list, *, header=HEADER):
    """A report-shaped document: title, a header row, ``rows`` (a str is a heading) and a summary."""
    return conftest.report_document(rows, header=header, title=TITLE, summary="Итого 3 мероприятия.")


def save(document, path: Path) -> Path:
    document.save(str(path))
    return path


def event(n: int, venue: str = "г. Минск", who: str = "Делегация") -> list[str]:
    return [f"{n}.", f"Встреча {n}", venue, f"{n} марта 2025 года", who]


def test_horizontal_merge(tmp_path):
    document, table = report_document(["Сотрудничество в сфере спорта", event(1), event(2)])
    cells = table.rows[3].cells
    cells[3].merge(cells[4]).text = "5 марта 2025 года, 20 человек"  # one w:tc, gridSpan 2
    path = save(document, tmp_path / "hmerge.docx")
    tables = assert_same(path)
    assert tables[0][1] == ["Сотрудничество в сфере спорта"]
    assert len(tables[0][3]) == 4
    with pytest.raises(ReportError, match="table row 4 has 4 cells"):
        read_docx(path)


def test_vertical_merge_over_three_rows(tmp_path):
    document, table = report_document([event(1, ""), event(2, ""), event(3, "")])
    merged = table.cell(1, 2).merge(table.cell(3, 2))  # vMerge restart, then two continues
    merged.text = "г. Смоленск"
    for row in (2, 3):  # Word writes a continue as <w:vMerge/>, without w:val
        table.rows[row]._tr.tc_lst[2].tcPr.vMerge.attrib.clear()
    path = save(document, tmp_path / "vmerge.docx")
    tables = assert_same(path)
    assert [row[2] for row in tables[0][1:]] == ["г. Смоленск"] * 3
    assert [row.cells["venue"] for row in read_docx(path).rows] == ["г. Смоленск"] * 3


def test_block_merge_over_two_rows_and_columns(tmp_path):
    document, table = report_document([event(1), event(2)])
    table.cell(1, 3).merge(table.cell(2, 4)).text = "весь март"  # gridSpan 2 and vMerge together
    path = save(document, tmp_path / "block.docx")
    tables = assert_same(path)
    assert tables[0][1][3:] == tables[0][2][3:] == ["весь март"]


def test_vertical_merge_under_a_grid_before_row(tmp_path):
    # Six grid columns, the first two merged in every row but row 3, which
    # skips the first one instead (w:gridBefore). The venue of row 4 continues
    # the venue of row 3 at grid column 4: the third w:tc of both rows, found
    # only when gridBefore is counted.
    document = docx.Document()
    document.add_paragraph(TITLE)
    table = document.add_table(rows=4, cols=6)
    for index in (0, 1, 3):
        cells = table.rows[index].cells
        cells[0].merge(cells[1])
    tr = table.rows[2]._tr
    tr.remove(tr.tc_lst[0])
    tr.get_or_add_trPr().get_or_add_gridBefore().val = 1
    texts = [list(HEADER), event(1), event(2, "г. Орша"), event(3, "")]
    for row, values in zip(table.rows, texts):
        for cell, text in zip(_unique_cells(row), values):
            cell.text = text
    table.rows[2]._tr.tc_lst[2].vMerge = "restart"
    table.rows[3]._tr.tc_lst[2].vMerge = "continue"
    path = save(document, tmp_path / "gridbefore.docx")
    tables = assert_same(path)
    assert [row[2] for row in tables[0][1:]] == ["г. Минск", "г. Орша", "г. Орша"]
    assert read_docx(path).rows[2].cells["venue"] == "г. Орша"


def _grid_span(tcPr, value: str) -> None:
    span = OxmlElement("w:gridSpan")
    span.set(qn("w:val"), value)
    tcPr.append(span)


def test_odd_cell_properties_are_read_as_python_docx_reads_them(tmp_path):
    document, table = report_document([event(1), event(2), event(3)])
    first = table.rows[1]._tr.tc_lst[2].get_or_add_tcPr()
    _grid_span(first, "1")
    _grid_span(first, "3")  # only the first w:gridSpan counts
    second = table.rows[2]._tr.tc_lst[2]
    second.append(OxmlElement("w:tcPr"))  # a second w:tcPr is not read
    _grid_span(second[-1], "2")
    _grid_span(table.rows[3]._tr.tc_lst[4].get_or_add_tcPr(), " +0")  # int() reads it; a zero span drops the cell
    # The spans place the cells on the grid, which only a vertical merge
    # shows: the dates of row 2 continue those of row 1, at grid column 4.
    table.rows[2]._tr.tc_lst[3].vMerge = "continue"
    path = save(document, tmp_path / "odd.docx")
    tables = assert_same(path)
    assert [len(row) for row in tables[0]] == [5, 5, 5, 4]
    assert tables[0][2][3] == tables[0][1][3] == "1 марта 2025 года"


def test_vertical_merge_in_the_first_row_is_a_report_error(tmp_path):
    document, table = report_document([event(1)])
    table.rows[0]._tr.tc_lst[1].vMerge = "continue"
    path = save(document, tmp_path / "topmerge.docx")
    with pytest.raises(ValueError, match="no tr above"):
        reference_tables(path)  # python-docx fails with a bare ValueError
    with pytest.raises(ReportError, match=r"topmerge\.docx: table row 1: a cell continues a vertical merge"):
        read_docx(path)


def test_span_that_is_not_a_number_is_a_report_error(tmp_path):
    document, table = report_document([event(1), event(2)])
    _grid_span(table.rows[2]._tr.tc_lst[1].get_or_add_tcPr(), "two")
    path = save(document, tmp_path / "nan.docx")
    with pytest.raises(ValueError, match="invalid literal"):
        reference_tables(path)  # python-docx fails with a bare ValueError
    with pytest.raises(ReportError, match=r"nan\.docx: the Word document is damaged \(table row 3: invalid literal"):
        read_docx(path)


def _hyperlink(paragraph, text: str, url: str) -> None:
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True))
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:t"))
    run[-1].text = text
    link.append(run)
    paragraph._p.append(link)


def test_hyperlink_in_a_cell(tmp_path):
    document, table = report_document([event(1)])
    paragraph = table.cell(1, 4).paragraphs[0]
    paragraph.add_run("см. ")
    _hyperlink(paragraph, "admin-smolensk.ru", "https://admin-smolensk.ru")
    paragraph.add_run(" (сайт)")
    path = save(document, tmp_path / "link.docx")
    tables = assert_same(path)
    assert tables[0][1][4] == "Делегациясм. admin-smolensk.ru (сайт)"


def test_tabs_line_breaks_and_other_run_content(tmp_path):
    document, table = report_document([event(1), event(2)])
    paragraph = table.cell(1, 1).paragraphs[0]
    run = paragraph.add_run("\tСмоленск")  # w:tab
    run.add_break()  # w:br, a line break
    run.add_text("Минск ")
    r = run._r
    for tag in ("w:cr", "w:noBreakHyphen", "w:ptab"):
        r.append(OxmlElement(tag))
    column = OxmlElement("w:br")
    column.set(qn("w:type"), "column")
    r.append(column)
    wrap = OxmlElement("w:br")
    wrap.set(qn("w:type"), "textWrapping")
    r.append(wrap)
    blank = OxmlElement("w:t")  # whitespace without xml:space="preserve"
    blank.text = "  "
    r.append(blank)
    r.append(OxmlElement("w:t"))  # an empty w:t
    # Runs not directly in the paragraph are not its text in python-docx.
    inserted = OxmlElement("w:ins")
    inserted.append(OxmlElement("w:r"))
    inserted[0].append(OxmlElement("w:t"))
    inserted[0][0].text = "вставка"
    paragraph._p.append(inserted)
    path = save(document, tmp_path / "runs.docx")
    tables = assert_same(path)
    assert tables[0][1][1] == "Встреча 1\tСмоленск\nМинск \n-\t\n  "


def test_page_break_is_no_text(tmp_path):
    document, table = report_document([event(1)])
    run = table.cell(1, 1).paragraphs[0].add_run("до")
    run.add_break(WD_BREAK.PAGE)
    run.add_text("после")
    path = save(document, tmp_path / "page.docx")
    tables = assert_same(path)
    assert tables[0][1][1] == "Встреча 1допосле"


def test_nested_table_text_stays_out_of_the_cell(tmp_path):
    document, table = report_document([event(1), event(2)])
    inner = table.cell(1, 4).add_table(rows=2, cols=2)
    inner.cell(0, 0).text = "вложенная"
    inner.cell(1, 1).text = "таблица"
    table.cell(1, 4).add_paragraph("после таблицы")
    path = save(document, tmp_path / "nested.docx")
    tables = assert_same(path)
    # add_table leaves an empty paragraph after the inner table, as Word does.
    assert tables[0][1][4] == "Делегация\n\nпосле таблицы"
    assert "вложенная" not in repr(read_docx(path))


def test_two_tables_sharing_a_header(tmp_path):
    document, table = report_document(["Сфера", event(1), event(2)])
    document.add_page_break()
    second = document.add_table(rows=3, cols=len(HEADER))
    for row, values in zip(second.rows, [list(HEADER), event(3), event(4)]):
        for cell, text in zip(row.cells, values):
            cell.text = text
    path = save(document, tmp_path / "split.docx")
    tables = assert_same(path)
    assert len(tables) == 2
    # index: the row in its own table, header included; position: the row in the report.
    assert [(row.number, row.index, row.position) for row in read_docx(path).rows] == [(1, 3, 1), (2, 4, 2), (3, 2, 3), (4, 3, 4)]


def test_body_elements_of_other_namespaces_are_not_tables_or_paragraphs(tmp_path):
    # Another program's markup in the body: python-docx reads only w:p and w:tbl.
    # One above the title: taken for a table, it would make the title the text below a table.
    document, table = report_document([event(1), event(2)])
    other = "{urn:x-smolgraph-test:other}"
    body = document.element.body
    body.insert(0, etree.Element(other + "tbl"))
    body.insert(0, etree.Element(other + "p"))
    table._tbl.addnext(etree.Element(other + "tbl"))
    path = save(document, tmp_path / "foreign.docx")
    tables = assert_same(path)
    assert len(tables) == 1
    assert read_docx(path).meta.title == TITLE


def test_empty_cells(tmp_path):
    document, table = report_document([event(1, who=""), event(2)])
    tc = table.cell(2, 4)._tc
    for p in tc.p_lst:  # a cell without any paragraph, which Word does not write
        tc.remove(p)
    path = save(document, tmp_path / "empty.docx")
    tables = assert_same(path)
    assert tables[0][1][4] == tables[0][2][4] == ""


# -- the package around the main part ------------------------------------------------


def _rewrite(source: Path, target: Path, edit) -> Path:
    """Copy a .docx, passing each member through ``edit(name, data) -> (name, data) | None``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            changed = edit(name, old.read(name))
            if changed is not None:
                new.writestr(*changed)
    return target


def _small_report(tmp_path) -> Path:
    return save(report_document([event(1), event(2)])[0], tmp_path / "small.docx")


def test_main_part_is_found_through_the_package_relationship(tmp_path):
    def move(name, data):
        if name == "word/document.xml":
            return "word/main.xml", data
        data = data.replace(b"/word/document.xml", b"/word/main.xml")  # [Content_Types].xml
        return name, data.replace(b'Target="word/document.xml"', b'Target="/word/./main.xml"')

    path = _rewrite(_small_report(tmp_path), tmp_path / "moved.docx", move)
    assert len(assert_same(path)[0]) == 3


def test_without_package_relationships_the_usual_part_is_read(tmp_path):
    small = _small_report(tmp_path)
    path = _rewrite(small, tmp_path / "norels.docx", lambda name, data: None if name == "_rels/.rels" else (name, data))
    with pytest.raises(KeyError):
        docx.Document(str(path))  # python-docx gives up here
    assert reader_tables(path) == reference_tables(small)
    assert read_docx(path).rows == read_docx(small).rows


def test_zip_that_is_not_a_word_document(tmp_path):
    path = tmp_path / "book.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("_rels/.rels", (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="xl/workbook.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>"
        ))
        archive.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
    with pytest.raises(ReportError, match=r"book\.docx: the file is a ZIP archive but not a readable Word document"):
        read_docx(path)


def test_entities_are_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    doctype = f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "{secret.as_uri()}"><!ENTITY y "YYY">]>'.encode()

    def add_entities(name, data):
        if name == "word/document.xml":
            head, rest = data.split(b"?>", 1)
            data = head + b"?>" + doctype + rest.replace("Встреча 1".encode(), "Встреча &x;&y; 1".encode())
        return name, data

    path = _rewrite(_small_report(tmp_path), tmp_path / "xxe.docx", add_entities)
    cell = assert_same(path)[0][1][1]
    assert cell.startswith("Встреча") and cell != "Встреча 1"
    assert "SECRET" not in cell and "YYY" not in cell


def test_damaged_main_part_is_a_report_error(tmp_path):
    def cut(name, data):
        return name, data[: len(data) // 2] if name == "word/document.xml" else data

    path = _rewrite(_small_report(tmp_path), tmp_path / "cut.docx", cut)
    with pytest.raises(ReportError, match=r"cut\.docx: the Word document is damaged \(XMLSyntaxError"):
        read_docx(path)



# -- merges resolved row by row: the same cells as python-docx's climbing, on any grid ---------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    layout=st.lists(
        st.lists(st.tuples(st.sampled_from([-1, 0, 1, 1, 1, 2, 3]), st.sampled_from([None, None, "restart", "continue"])),
                 min_size=5, max_size=5),
        min_size=2, max_size=6,
    ),
    before=st.lists(st.sampled_from([0, 0, 0, 1, 2]), min_size=6, max_size=6),
)
def test_any_grid_of_spans_and_merges_reads_as_python_docx(tmp_path_factory, layout, before):
    document, table = report_document([event(n) for n in range(1, len(layout))])
    for tr, cells, grid_before in zip(table.rows, layout, before):
        if grid_before:
            trPr = tr._tr.get_or_add_trPr()
            element = OxmlElement("w:gridBefore")
            element.set(qn("w:val"), str(grid_before))
            trPr.append(element)
        for tc, (span, vmerge) in zip(tr._tr.tc_lst, cells):
            if span != 1:
                _grid_span(tc.get_or_add_tcPr(), str(span))
            if vmerge:
                tc.vMerge = vmerge
    path = save(document, tmp_path_factory.mktemp("grid") / "grid.docx")
    try:
        expected = reference_tables(path)
    except ValueError:  # python-docx: a continue with nothing above it
        with pytest.raises(ReportError, match="vertical merge"):
            read_docx(path)
        return
    assert reader_tables(path) == expected
