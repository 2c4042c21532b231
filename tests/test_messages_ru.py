"""In Russian (SMOLGRAPH_LANG=ru) a broken report, an ingest summary and a warning read in Russian, with the place named."""
from __future__ import annotations

import re

import pytest

from conftest import report_document
from smolgraph.errors import ReportError, RowError, UnknownPlaceError
from smolgraph.ingest import prepare_report
from smolgraph.read import read_report
from smolgraph.read.period import parse_period_option


@pytest.fixture(autouse=True)
def _russian(monkeypatch):
    monkeypatch.setenv("SMOLGRAPH_LANG", "ru")


def _docx(path, rows):
    document, _table = report_document(rows)
    document.save(path)
    return path


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "файл пуст."),
        (b"%PDF-1.7 something", "это PDF, а не файл Word; экспортируйте отчет из Word в формате .docx."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "это старый двоичный файл Word (.doc), который smolgraph не читает"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "это не файл Word .docx (не ZIP-контейнер;"),
    ],
)
def test_a_file_that_is_not_a_word_document_is_refused_in_russian(tmp_path, content, message):
    path = tmp_path / "report.docx"
    path.write_bytes(content)
    with pytest.raises(ReportError) as info:
        read_report(path)
    assert str(info.value).startswith(f"{path}: {message}")


def test_a_missing_file_and_an_unknown_format_are_named_in_russian(tmp_path):
    with pytest.raises(ReportError, match=r"nothing\.docx: файл не найден\.$"):
        read_report(tmp_path / "nothing.docx")
    (tmp_path / "r.pdf").write_bytes(b"%PDF-1.7")
    with pytest.raises(ReportError, match=r"r\.pdf: неизвестный формат отчета '\.pdf'; smolgraph читает \.docx, "):
        read_report(tmp_path / "r.pdf")


def test_a_day_that_does_not_exist_names_the_file_row_and_cell_in_russian(tmp_path, gazetteer):
    path = _docx(tmp_path / "r.docx", [["1.", "Визит делегации", "г. Минск", "31 февраля 2025 года", "x"]])
    with pytest.raises(RowError) as info:
        prepare_report(path, gazetteer=gazetteer)
    assert str(info.value) == (
        f"{path}: строка 1, ячейка 'Сроки проведения': в '31 февраля 2025 года' указан несуществующий день "
        "(31.02.2025); исправьте ячейку с датами."
    )


def test_a_row_number_twice_names_both_rows_in_russian(tmp_path):
    path = _docx(tmp_path / "d.docx", [["1.", "А", "г. Минск", "5 марта 2025", "x"], ["1.", "Б", "г. Минск", "6 марта 2025", "y"]])
    with pytest.raises(RowError) as info:
        read_report(path)
    assert str(info.value) == (
        f"{path}: строка 1, ячейка '№ п/п': номер строки 1 встречается дважды "
        "(строка таблицы 2 и строка таблицы 3); измените номер одной из них."
    )


def test_the_summary_and_a_warning_read_in_russian(tmp_path, gazetteer):
    path = _docx(
        tmp_path / "r.docx",
        [
            ["1.", "Визит делегации Республики Беларусь", "г. Смоленск", "5 марта 2025 года", "Делегация"],
            ["2.", "Форум регионов", "г. Минск", "5 мая 2025 года", "Участники"],
        ],
    )
    result = prepare_report(path, gazetteer=gazetteer)
    assert "строка 2: даты (2025-05-05 – 2025-05-05) выходят за пределы отчетного периода (2025-01-01 – 2025-03-31)" in result.warnings
    summary = result.summary()
    assert re.match(r"r: 2 мероприятия, \d+ триплет(а|ов)?, страны-партнеры: \d+ \(", summary), summary
    assert f"предупреждения: {len(result.warnings)}" in summary and "events" not in summary


@pytest.mark.parametrize(
    "count, words",
    [(1, "1 мероприятие"), (3, "3 мероприятия"), (5, "5 мероприятий"), (11, "11 мероприятий"), (21, "21 мероприятие")],
)
def test_the_count_of_events_takes_the_russian_plural(tmp_path, gazetteer, count, words):
    result = prepare_report(_docx(tmp_path / "r.docx", [["1.", "Форум", "г. Минск", "5 марта 2025 года", "x"]]), gazetteer=gazetteer)
    result.events = result.events * count
    assert result.summary().startswith(f"r: {words}, ")


def test_a_period_option_and_an_unknown_place_are_explained_in_russian():
    with pytest.raises(ValueError, match=r"^'2025-Q5' — не период: номер квартала должен быть от 1 до 4, а не 5$"):
        parse_period_option("2025-Q5")
    assert str(UnknownPlaceError("Минксъ", ["Минск"])) == "место 'Минксъ' не найдено в справочнике. Возможно, имелось в виду: Минск?"


def test_english_is_unchanged_when_asked_for(tmp_path, monkeypatch):
    monkeypatch.setenv("SMOLGRAPH_LANG", "en")
    path = tmp_path / "report.docx"
    path.write_bytes(b"")
    with pytest.raises(ReportError, match=r"report\.docx: the file is empty\.$"):
        read_report(path)
