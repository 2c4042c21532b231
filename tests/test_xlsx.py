"""Excel reports: merged title, heading and sphere cells, several sheets, hostile files."""
from __future__ import annotations

import time
import zipfile
from datetime import date, datetime

import pytest

openpyxl = pytest.importorskip("openpyxl")
from openpyxl.styles import Alignment  # noqa: E402

from smolgraph.errors import ReportError  # noqa: E402
from smolgraph.read import read_report  # noqa: E402
from smolgraph.read.xlsx import read_xlsx  # noqa: E402

HEADER = ["№ п/п", "Наименование мероприятия", "Место проведения", "Сроки проведения", "Участники"]
TITLE = ["Отчет о международных мероприятиях Смоленской области", "за I квартал 2025 года"]


def _merged(sheet, row: int, text: str, width: int) -> None:
    sheet.cell(row, 1, text)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _report_sheet(sheet, *, title=TITLE, summary: str | None = None) -> None:
    """A report sheet as a region makes one: merged title rows, a header, merged sphere headings."""
    width = len(HEADER)
    for row, line in enumerate(title, start=1):
        _merged(sheet, row, line, width)
    header_row = len(title) + 2  # an empty row between title and table, as people leave one
    for column, text in enumerate(HEADER, start=1):
        sheet.cell(header_row, column, text)
    _merged(sheet, header_row + 1, "Сотрудничество в сфере образования", width)
    rows = [
        [1, "Визит делегации\nВитебской области", "г. Смоленск", date(2025, 3, 15), 12],
        [2.0, "Переговоры о сотрудничестве", "г. Минск", "20-21 марта 2025 года", "Губернатор"],
    ]
    for offset, cells in enumerate(rows, start=header_row + 2):
        for column, value in enumerate(cells, start=1):
            sheet.cell(offset, column, value).alignment = Alignment(wrap_text=True)
    _merged(sheet, header_row + 4, "Сотрудничество в сфере культуры", width)
    for column, value in enumerate([3, "Фестиваль", "г. Гродно", datetime(2025, 2, 1, 10, 0), 30.0], start=1):
        sheet.cell(header_row + 5, column, value)
    if summary:
        # A summary block merged over three rows and the whole width, as people lay it out.
        sheet.cell(header_row + 7, 1, summary)
        sheet.merge_cells(start_row=header_row + 7, start_column=1, end_row=header_row + 9, end_column=width)


def test_a_report_sheet(tmp_path):
    path = tmp_path / "report.xlsx"
    workbook = openpyxl.Workbook()
    _report_sheet(workbook.active, summary="В I квартале 2025 года состоялось 3 мероприятия.")
    workbook.active.title = "Отчет"
    workbook.create_sheet("Справочник")["A1"] = "Сферы"  # a sheet with no table is skipped
    workbook.save(path)

    report = read_report(path)
    assert (report.meta.region, report.meta.year, report.meta.quarter) == ("Смоленская область", 2025, 1)
    assert report.meta.summary == "В I квартале 2025 года состоялось 3 мероприятия."
    assert [r.number for r in report.rows] == [1, 2, 3]
    assert [r.sections for r in report.rows] == [
        ("Сотрудничество в сфере образования",),
        ("Сотрудничество в сфере образования",),
        ("Сотрудничество в сфере культуры",),
    ]
    first, second, third = report.rows
    assert first.cells["title"] == "Визит делегации\nВитебской области"  # wrapped text keeps its break
    assert first.cells["dates"] == "15.03.2025"
    assert first.cells["participants"] == "12"
    assert second.cells["dates"] == "20-21 марта 2025 года"
    assert third.cells["dates"] == "01.02.2025" and third.cells["participants"] == "30"
    assert first.index == 6  # the sheet's own row number, for messages


def test_merges_and_values_as_cells(tmp_path):
    path = tmp_path / "sphere.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Лист1"
    sheet.append(["Отчет Смоленской области за I квартал 2025 года"])
    sheet.merge_cells("A1:F1")
    sheet.append(["№", "Сфера сотрудничества", "Наименование мероприятия", "Место проведения", "Сроки проведения", "Фото"])
    sheet.append([1, "Образование", "Визит", "г. Минск", date(2025, 1, 20), None])
    sheet.append([2, None, "Олимпиада", "г. Витебск", date(2025, 2, 3), None])
    sheet.append([3, "Культура", "Выставка", "г. Брест", "март 2025 года", None])
    sheet.merge_cells("B3:B4")  # the sphere written once for its group, merged down
    workbook.save(path)

    report = read_xlsx(path)
    assert [r.sphere for r in report.rows] == ["Образование", "Образование", "Культура"]
    assert report.rows[1].cells["dates"] == "03.02.2025"
    assert report.meta.unknown_columns == ["Фото"]
    # Rows whose last cell is empty still have the header's width (else the layout refuses them).
    assert len(report.rows) == 3


def test_one_sheet_per_section(tmp_path):
    path = tmp_path / "sections.xlsx"
    workbook = openpyxl.Workbook()
    china = workbook.active
    china.title = "Китай"
    _merged(china, 1, "Отчет о международных мероприятиях Смоленской области за I квартал 2025 года", 4)
    china.append(HEADER[:4])
    china.append([1, "Визит делегации провинции Хэнань", "г. Смоленск", date(2025, 3, 3)])
    china.append([2, "Выставка", "г. Чжэнчжоу", "10-12 марта 2025 года"])
    belarus = workbook.create_sheet("Беларусь")
    belarus.append(HEADER[:4])
    belarus.append([1, "Форум регионов", "г. Минск", "25 марта 2025 года"])
    workbook.create_sheet("Пустой")
    workbook.save(path)

    report = read_report(path)
    assert report.meta.quarter == 1 and report.meta.year == 2025
    assert report.meta.sections == ["Китай", "Беларусь"]
    assert [(r.number, r.sections) for r in report.rows] == [
        ("1.1", ("Китай",)),
        ("1.2", ("Китай",)),
        ("2.1", ("Беларусь",)),
    ]
    assert report.rows[2].cells["title"] == "Форум регионов"


def test_no_sheet_with_a_table(tmp_path):
    path = tmp_path / "notes.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Заметки"
    workbook.active["A1"] = "Просто текст"
    workbook.create_sheet("Итоги")["B2"] = 42
    workbook.save(path)
    with pytest.raises(ReportError, match=r"no sheet holds a table.*'Заметки', 'Итоги'.*header row") as info:
        read_report(path)
    assert "notes.xlsx" in str(info.value)


def test_zip_bomb_is_refused_before_unpacking(tmp_path):
    path = tmp_path / "bomb.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "x"
    workbook.save(path)
    # The sheet's XML replaced by 300 MB of spaces: ~300 KB packed, a ratio of ~1000.
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                bomb.writestr(name, data)
        with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(300):
                sheet.write(chunk)
    start = time.perf_counter()
    with pytest.raises(ReportError, match=r"sheet1\.xml.*unpacks to 314,572,800 bytes.*zip bomb"):
        read_report(path)
    assert time.perf_counter() - start < 1.0


def test_a_small_bomb_by_ratio_alone(tmp_path):
    path = tmp_path / "ratio.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        bomb.writestr("xl/sharedStrings.xml", b"a" * (20 << 20))  # 20 MB in ~20 KB
    with pytest.raises(ReportError, match=r"sharedStrings\.xml.*100× packed"):
        read_report(path)


def test_old_xls_content_gets_save_as_advice(tmp_path):
    path = tmp_path / "old.xlsx"  # an .xls renamed, or a password-protected workbook: both OLE
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(ReportError, match=r"old\.xlsx: this is an old binary Excel file \(\.xls\).*save it as \.xlsx"):
        read_report(path)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "not a ZIP"),
        (b"%PDF-1.7", "PDF"),
    ],
)
def test_files_that_are_not_workbooks(tmp_path, content, message):
    path = tmp_path / "r.xlsx"
    path.write_bytes(content)
    with pytest.raises(ReportError, match=message):
        read_report(path)


def test_damaged_workbook_says_re_save(tmp_path):
    good = tmp_path / "good.xlsx"
    workbook = openpyxl.Workbook()
    _report_sheet(workbook.active)
    workbook.save(good)
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data[: len(data) // 2] if info.filename == "xl/worksheets/sheet1.xml" else data)
    with pytest.raises(ReportError, match=r"damaged\.xlsx.*re-save it from Excel"):
        read_report(damaged)


def test_word_document_named_xlsx(tmp_path, real_docx):
    path = tmp_path / "report.xlsx"
    path.write_bytes(real_docx.read_bytes())
    with pytest.raises(ReportError, match=r"report\.xlsx.*(not a readable Excel workbook|no sheet holds a table)"):
        read_report(path)
