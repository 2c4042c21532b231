"""`smolgraph inspect`, --column/--columns/--period, and a missing period: reading a new region's report."""
from __future__ import annotations

import json

import pytest

from conftest import report_document
from smolgraph.cli import main
from smolgraph.errors import ReportError
from smolgraph.ingest import ingest
from smolgraph.inspection import inspect_report
from smolgraph.read.columns import read_column_file
from smolgraph.read.period import parse_period_option
from smolgraph.store import open_store

HEADER = ("№", "Тематика", "Наименование мероприятия", "Дата проведения", "Место проведения", "Участники", "Фото")
ROWS = [
    ["1.", "Спорт", "Турнир по волейболу с командой г. Гомеля (Республика Беларусь)", "5 марта 2025 года", "г. Смоленск",
     "Команды Смоленской области и Гомельской области", "есть"],
    ["2.", "Культура", "Концерт белорусских исполнителей", "12 марта 2025 года", "г. Витебск", "Артисты", "нет"],
]


def _report(tmp_path, title="Отчет о международных мероприятиях Брянской области за I квартал 2025 года"):
    document, _ = report_document(ROWS, header=HEADER, title=title)
    path = tmp_path / "bryansk.docx"
    document.save(path)
    return path


def test_inspect_names_region_period_columns_and_rows(tmp_path):
    seen = inspect_report(_report(tmp_path), rows=2)
    assert seen.meta.region == "Брянская область"
    assert seen.meta.period[0].isoformat() == "2025-01-01"
    # "Тематика" and "Фото" name no field: kept as text, not a refusal.
    assert seen.meta.unknown_columns == ["Тематика", "Фото"]
    assert dict(seen.columns)["Наименование мероприятия"] == "title"
    assert [e.other_cells for e in seen.events] == [{"Тематика": "Спорт", "Фото": "есть"}, {"Тематика": "Культура", "Фото": "нет"}]
    assert seen.events[0].partner_countries == ["BY"]


def test_a_column_mapping_feeds_the_field_it_names(tmp_path):
    seen = inspect_report(_report(tmp_path), columns={"Тематика": "sphere", "Фото": "other"})
    assert [e.sphere for e in seen.events] == ["Спорт", "Культура"]
    assert seen.meta.unknown_columns == []
    mapping = tmp_path / "columns.txt"
    mapping.write_text("# my region's headers\nТематика = sphere\n", encoding="utf-8")
    assert read_column_file(mapping) == {"Тематика": "sphere"}
    mapping.write_text("Тематика = сфера\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"columns\.txt: line 1: 'сфера' is not a field"):
        read_column_file(mapping)


def test_inspect_command_prints_table_and_json(tmp_path, capsys):
    path = _report(tmp_path)
    assert main(["inspect", str(path), "--column", "Тематика=sphere"]) == 0
    out = capsys.readouterr().out
    assert "Брянская область" in out and "Тематика" in out and "→ sphere" in out
    assert "Фото" in out and "not understood" in out
    assert max(len(line) for line in out.splitlines()) <= 100
    assert main(["inspect", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rows"] == 2 and data["unknown_columns"] == ["Тематика", "Фото"]
    assert [r["row"] for r in data["first_rows"]] == [1, 2]


def test_a_bad_column_option_is_an_error(tmp_path, capsys):
    assert main(["inspect", str(_report(tmp_path)), "--column", "Тематика"]) == 2
    assert "--column: 'Тематика' is not HEADER=FIELD" in capsys.readouterr().err


def test_missing_period_is_refused_and_nothing_is_written(tmp_path, capsys):
    path = _report(tmp_path, title="Информация о международных мероприятиях Брянской области")
    store = open_store(tmp_path / "store")
    with pytest.raises(ReportError, match=r"bryansk\.docx: the title block names no reporting period.*--period 2025-Q1"):
        ingest([path], store)
    assert store.graphs() == [] or all("report/" not in str(g) for g in store.graphs())
    store.close()
    # Stated by the user, the same file goes in with that period.
    store = open_store(tmp_path / "store")
    [result] = ingest([path], store, period=parse_period_option("2025-Q1"))
    assert len(result.events) == 2
    assert any("Тематика" in w for w in result.warnings)
    store.close()


def test_a_table_without_a_title_column_says_how_to_name_it(tmp_path):
    document, _ = report_document([["1", "Встреча", "5 марта 2025 года"]], header=("№", "Мероприятие?", "Дата"))
    path = tmp_path / "odd.docx"
    document.save(path)
    # "Мероприятие?" still names the title by its word; a table of headers no rule knows does not.
    assert inspect_report(path).events[0].title == "Встреча"
    document, _ = report_document([["1", "Встреча", "5 марта 2025 года"]], header=("№", "Что", "Когда было"))
    document.save(path)
    with pytest.raises(ReportError, match=r"odd\.docx: .*--column"):
        inspect_report(path)
    assert inspect_report(path, columns={"Что": "title", "Когда было": "dates"}).events[0].dates is not None
