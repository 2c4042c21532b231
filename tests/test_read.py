"""Readers: both forms of the real report, header matching, title block, bad files."""
from __future__ import annotations

import pytest
from docx import Document

from conftest import REPORT_HEADER, report_document
from smolgraph.errors import ReportError, RowError
from smolgraph.read import read_report
from smolgraph.read.columns import fields_of, map_columns
from smolgraph.read.common import parse_title


def test_text_and_docx_give_the_same_rows(real_txt, real_docx):
    text, docx = read_report(real_txt), read_report(real_docx)
    assert [r.number for r in text.rows] == list(range(1, 36))
    assert [r.number for r in docx.rows] == list(range(1, 36))
    for a, b in zip(text.rows, docx.rows):
        assert a.sphere == b.sphere
        for column in ("title", "dates", "participants"):
            assert " ".join(a.cells[column].split()) == " ".join(b.cells[column].split()), (a.number, column)


def test_title_block_and_summary(real_docx):
    meta = read_report(real_docx).meta
    assert (meta.region, meta.year, meta.quarter) == ("Смоленская область", 2025, 1)
    assert meta.summary.startswith("В I квартале 2025 года состоялось 3 встречи")
    assert "отдельными лицами) в здании" in meta.summary


def test_twelve_spheres_in_order(real_txt):
    spheres = list(dict.fromkeys(r.sections[-1] for r in read_report(real_txt).rows))
    assert len(spheres) == 12
    assert spheres[0] == "Сотрудничество в сфере инвестиционного развития"
    assert spheres[-1] == "Общие направления сотрудничества"


@pytest.mark.parametrize(
    "title, expected",
    [
        (["Отчет … Брянской области", "за 2 квартал 2024 года"], ("Брянская область", 2024, 2)),
        (["Информация о международных мероприятиях Псковской области", "в третьем квартале 2025 года"], ("Псковская область", 2025, 3)),
        (["Отчет Республики Татарстан", "за IV квартал 2023 г."], ("Республика Татарстан", 2023, 4)),
    ],
)
def test_title_of_other_regions_and_periods(title, expected):
    meta = parse_title(title, file="x")
    assert (meta.region, meta.year, meta.quarter) == expected


def test_columns_found_by_name_in_any_order():
    assert map_columns(
        ["№", "Наименование мероприятия", "Дата проведения", "Место проведения", "Итоги мероприятия", "Участники"], file="f"
    ).fields == [("number",), ("title",), ("dates",), ("venue",), ("content",), ("participants",)]


@pytest.mark.parametrize("header, fields", [
    ("Сфера взаимодействия", ("sphere",)),
    ("Отрасль", ("sphere",)),
    ("Иностранный партнер", ("partners",)),
    ("Страна (регион)", ("partners",)),
    ("Зарубежные участники", ("partners",)),
    ("Формат проведения", ("format",)),
    ("Ответственный исполнитель", ("responsible",)),
    ("Примечание", ("note",)),
    ("Участники с российской стороны", ("participants_local",)),
    ("Участники с иностранной стороны", ("participants_foreign",)),
    ("Количество участников", ("participants",)),
    ("Дата и место проведения", ("dates", "venue")),
    ("Цель, содержание и результат мероприятия (в том числе краткая информация о договоренностях)", ("content",)),
    ("Участники мероприятия (общее количество, другие дополнительные сведения)", ("participants",)),
    ("Тематика", ()),
    ("Фото", ()),
])
def test_header_wordings_of_other_regions(header, fields):
    assert fields_of(header) == fields


def test_unknown_columns_are_kept_and_a_missing_title_is_named(tmp_path):
    mapping = map_columns(["№", "Наименование", "Место", "Сроки", "Бюджет"], file="f.docx")
    assert mapping.unknown == ["Бюджет"]
    assert mapping.split(["1", "Встреча", "Минск", "5 марта", "100"]) == (
        {"number": "1", "title": "Встреча", "venue": "Минск", "dates": "5 марта"}, {"Бюджет": "100"})
    # Without a title column the table cannot be read; the message says how to name one.
    with pytest.raises(ReportError, match=r"f\.docx: no column of the table header is the event's title .*--column"):
        map_columns(["№", "Бюджет", "Место проведения"], file="f.docx")


def _docx(path, rows, header=REPORT_HEADER):
    document, _ = report_document(rows, header=header)
    document.save(path)
    return path


def test_docx_with_merged_heading_and_reordered_columns(tmp_path):
    path = _docx(
        tmp_path / "r.docx",
        ["Сотрудничество в сфере спорта", ["1.", "Турнир", "г. Гомель", "5 марта 2025 года", "Команды"]],
        header=("№", "Наименование мероприятия", "Место проведения", "Дата проведения", "Участники"),
    )
    report = read_report(path)
    [row] = report.rows
    assert row.sections == ("Сотрудничество в сфере спорта",)
    assert row.cells["dates"] == "5 марта 2025 года" and row.cells["venue"] == "г. Гомель"


def test_duplicate_row_number_names_both_rows(tmp_path):
    path = _docx(tmp_path / "d.docx", ["Сфера", ["1.", "А", "г. Минск", "5 марта 2025", "x"], ["1.", "Б", "г. Минск", "6 марта 2025", "y"]])
    with pytest.raises(RowError, match="row 1.*appears twice"):
        read_report(path)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"%PDF-1.7 something", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, r"\.doc"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "not a Word"),
    ],
)
def test_files_that_are_not_word_documents(tmp_path, content, message):
    path = tmp_path / "report.docx"
    path.write_bytes(content)
    with pytest.raises(ReportError, match=message) as info:
        read_report(path)
    assert "report.docx" in str(info.value)


def test_truncated_docx(tmp_path, real_docx):
    path = tmp_path / "cut.docx"
    path.write_bytes(real_docx.read_bytes()[:5000])
    with pytest.raises(ReportError, match="cut.docx"):
        read_report(path)


@pytest.mark.parametrize("encoding", ["cp1251", "utf-8-sig"])
def test_text_dump_in_other_encodings(tmp_path, real_txt, encoding):
    path = tmp_path / "smolensk-2025-q1.txt"
    path.write_bytes(real_txt.read_text(encoding="utf-8").encode(encoding))
    report = read_report(path)
    assert len(report.rows) == 35 and report.meta.region == "Смоленская область"


def test_document_without_a_table(tmp_path):
    document = Document()
    document.add_paragraph("Отчет … Смоленской области в I квартале 2025 года")
    document.save(tmp_path / "notable.docx")
    with pytest.raises(ReportError, match="notable.docx: the document has no table"):
        read_report(tmp_path / "notable.docx")


def test_a_table_that_is_not_of_events_is_named_and_left_out(tmp_path):
    path = _docx(tmp_path / "two.docx", [("1", "Встреча", "Смоленск", "10 января 2025 года", "")])
    document = Document(path)
    second = document.add_table(rows=2, cols=3)
    for cell, text in zip(second.rows[0].cells, ("Показатель", "2024", "2025")):
        cell.text = text
    document.save(path)
    report = read_report(path)
    assert [r.cells["title"] for r in report.rows] == ["Встреча"]
    [warning] = report.meta.warnings
    assert warning.startswith("table 2 (first row: Показатель | 2024 | 2025)") and "not read" in warning


def test_two_tables_with_one_header_are_one_report(tmp_path):
    path = _docx(tmp_path / "split.docx", [("1", "Встреча", "Смоленск", "10 января 2025 года", "")])
    document = Document(path)
    header = [c.text for c in document.tables[0].rows[0].cells]
    second = document.add_table(rows=2, cols=len(header))
    for cell, text in zip(second.rows[0].cells, header):
        cell.text = text
    for cell, text in zip(second.rows[1].cells, ("2", "Форум", "Минск", "12 февраля 2025 года", "")):
        cell.text = text
    document.save(path)
    assert [row.number for row in read_report(path).rows] == [1, 2]


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ReportError, match="nope.docx: no such file"):
        read_report(tmp_path / "nope.docx")


def test_a_two_row_header_splitting_participants_by_side():
    from smolgraph.read.layout import Paragraph, Table, assemble_report

    table = Table([
        ("row 1", ["№", "Наименование мероприятия", "Дата", "Участники"]),
        ("row 2", ["№", "Наименование мероприятия", "Дата", "с российской стороны", "с иностранной стороны"]),
        ("row 3", ["1.", "Встреча", "5 марта 2025 года", "Министерство", "Делегация Витебской области"]),
    ])
    report = assemble_report("r.docx", [Paragraph("Отчет Смоленской области за I квартал 2025 года"), table])
    [row] = report.rows
    assert row.cells["participants_local"] == "Министерство"
    assert row.cells["participants_foreign"] == "Делегация Витебской области"
