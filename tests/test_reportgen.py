"""Tests of bench/reportgen.py: the report writers and the synthetic generator."""
from __future__ import annotations

import importlib.util
import re
from datetime import date
from pathlib import Path

import pytest

docx = pytest.importorskip("docx")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "reports"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


reportgen = _load("reportgen", ROOT / "bench" / "reportgen.py")

# A small hand-made report with the awkward cases: line breaks, a blank line
# inside a cell, a trailing empty paragraph, leading/trailing spaces, no-break
# spaces, and a summary on two lines.
SMALL = {
    "title_lines": [
        "Отчет о мероприятиях в международной сфере, проведенных исполнительными органами",
        "Смоленской области и подведомственными им учреждениями",
        "в I квартале 2025 года",
    ],
    "header": [label for label in reportgen.HEADER_VARIANTS[0][0].values()],
    "sections": [
        {"sphere": "Сотрудничество в сфере культуры и туризма", "rows": [
            ["1. ", "Концерт ансамбля «Криница»", "г.\u00a0Смоленск,\nОГАУК «Смоленская областная филармония»",
             "5 апреля \n2025 года", "Концертная программа", "Ансамбль (20 человек).\nКоличество посетителей – 300 человек"],
            ["2. ", "Телемост", "г. Смоленск;\n\nг. Орша\n(в дистанционном формате)\n", "с 10 по 12 июня",
             " Обмен опытом", "Общее количество участников – 13 человек"],
        ]},
        {"sphere": "Общие направления сотрудничества", "rows": [
            ["3. ", "Встреча", "г. Москва", "17.06.2025", "Беседа", "Руководство Представительства"],
        ]},
    ],
    "summary": "Во II квартале 2025 года состоялось 2 встречи\nв здании Дома Советов (пл. Ленина, д. 1)",
}


def parse_text(text: str, ncols: int, number_col: int = 0):
    """Read a text dump back: (title lines, header, [(sphere, rows)], summary).

    Every line starting with a TAB opens a cell; other lines continue it. The
    blank line that closes the header, a heading or a row is not part of the
    cell before it, so one trailing newline is cut from those cells.
    """
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("\t"))
    title = [line for line in lines[:first] if line]
    cells: list[str] = []
    for line in lines[first:]:
        if line.startswith("\t"):
            cells.append(line[1:])
        else:
            cells[-1] += "\n" + line

    def closed(cell: str) -> str:
        return cell[:-1] if cell.endswith("\n") else cell

    header, rest = cells[:ncols], cells[ncols:]
    header[-1] = closed(header[-1])
    sections, summary, i = [], None, 0
    while i < len(rest):
        if i + ncols <= len(rest) and re.fullmatch(r"\d+\.\s*", rest[i + number_col]):
            row = rest[i:i + ncols]
            row[-1] = closed(row[-1])
            if not sections:
                sections.append((None, []))
            sections[-1][1].append(row)
            i += ncols
        elif i == len(rest) - 1:
            summary = rest[i].rstrip("\n")
            i += 1
        else:
            sections.append((closed(rest[i]), []))
            i += 1
    return title, header, sections, summary


# -- docx ------------------------------------------------------------------


def test_docx_layout_matches_the_real_report(tmp_path):
    path = tmp_path / "small.docx"
    reportgen.write_docx(SMALL, path)
    doc = docx.Document(str(path))
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert len(table.columns) == 6
    # header, heading, 2 rows, heading, 1 row
    assert len(table.rows) == 6
    assert [c.text for c in table.rows[0].cells] == SMALL["header"]
    for index, sphere in ((1, SMALL["sections"][0]["sphere"]), (4, SMALL["sections"][1]["sphere"])):
        row = table.rows[index]
        assert len(row._tr.tc_lst) == 1, "a heading row is one cell merged across the table"
        assert row._tr.tc_lst[0].grid_span == 6
        assert {c.text for c in row.cells} == {sphere}
    assert [c.text for c in table.rows[2].cells] == SMALL["sections"][0]["rows"][0]
    assert [c.text for c in table.rows[3].cells] == SMALL["sections"][0]["rows"][1]
    assert [c.text for c in table.rows[5].cells] == SMALL["sections"][1]["rows"][0]
    # line breaks are separate paragraphs, an empty line an empty one
    venue = table.rows[3].cells[2]
    assert [p.text for p in venue.paragraphs] == ["г. Смоленск;", "", "г. Орша", "(в дистанционном формате)", ""]
    # title paragraphs before the table, then an empty one and the summary
    texts = [p.text for p in doc.paragraphs]
    assert texts[:3] == SMALL["title_lines"]
    assert texts[3:] == ["", SMALL["summary"]]
    body = list(doc.element.body)
    assert body.index(table._tbl) == 3


def test_docx_is_structured_like_the_shared_report(tmp_path):
    real_path = SHARED / "smolensk-2025-q1.docx"
    if not real_path.exists():
        pytest.skip("shared/reports not available")
    real = docx.Document(str(real_path))
    ours = docx.Document(_write(tmp_path, reportgen.generate_report(1)))
    for doc in (real, ours):
        table = doc.tables[0]
        spans = {len(r._tr.tc_lst) for r in table.rows}
        assert spans == {1, 6}
        assert table.style.name == "Table Grid"
        assert doc.sections[0].orientation == real.sections[0].orientation
    assert [c.text for c in ours.tables[0].rows[0].cells] == [c.text for c in real.tables[0].rows[0].cells]


def _write(tmp_path, report):
    path = tmp_path / "r.docx"
    reportgen.write_docx(report, path)
    return str(path)


def test_generated_docx_first_row_equals_input(tmp_path):
    report = reportgen.generate_report(11, header_variant=1, quarter=3)
    doc = docx.Document(_write(tmp_path, report))
    table = doc.tables[0]
    assert len(table.columns) == 6
    assert [c.text for c in table.rows[2].cells] == report["sections"][0]["rows"][0]
    n_rows = sum(len(s["rows"]) for s in report["sections"])
    assert len(table.rows) == 1 + len(report["sections"]) + n_rows


# -- text dump -----------------------------------------------------------------


def test_text_dump_layout():
    text = reportgen.render_text(SMALL)
    lines = text.split("\n")
    assert lines[:4] == SMALL["title_lines"] + [""]
    assert lines[4:11] == ["\t№ п/п", "\tНаименование мероприятия", "\tМесто проведения", "мероприятия",
                           "\tСроки проведения мероприятия", "\t" + SMALL["header"][4], "\t" + SMALL["header"][5]]
    assert lines[11:14] == ["", "\tСотрудничество в сфере культуры и туризма", ""]
    assert lines[14:16] == ["\t1. ", "\tКонцерт ансамбля «Криница»"]
    assert "\tг. Смоленск;\n\nг. Орша\n(в дистанционном формате)\n\n\tс 10 по 12 июня\n" in text
    assert text.endswith("\tВо II квартале 2025 года состоялось 2 встречи\nв здании Дома Советов (пл. Ленина, д. 1)\n\n\n\n")


def test_text_dump_parses_back(tmp_path):
    path = tmp_path / "small.txt"
    reportgen.write_text(SMALL, path)
    title, header, sections, summary = parse_text(path.read_text(encoding="utf-8"), 6)
    assert title == SMALL["title_lines"]
    assert header == SMALL["header"]
    assert [s for s, _ in sections] == [s["sphere"] for s in SMALL["sections"]]
    assert [rows for _, rows in sections] == [s["rows"] for s in SMALL["sections"]]
    assert summary == SMALL["summary"]


@pytest.mark.parametrize("seed,variant", [(0, 0), (1, 1), (2, 2), (3, 3)])
def test_generated_text_parses_back(tmp_path, seed, variant):
    report = reportgen.generate_report(seed, header_variant=variant, n_rows=20)
    path = tmp_path / "gen.txt"
    reportgen.write_text(report, path, encoding="cp1251", newline="\r\n")
    text = path.read_bytes().decode("cp1251").replace("\r\n", "\n")
    number_col = report["columns"].index("number")
    title, header, sections, summary = parse_text(text, 6, number_col)
    assert title == report["title_lines"]
    assert header == report["header"]
    assert [s for s, _ in sections] == [s["sphere"] for s in report["sections"]]
    assert [rows for _, rows in sections] == [s["rows"] for s in report["sections"]]
    assert summary == report["summary"]


def test_shared_dump_has_the_same_shape():
    real_path = SHARED / "smolensk-2025-q1.txt"
    if not real_path.exists():
        pytest.skip("shared/reports not available")
    title, header, sections, summary = parse_text(real_path.read_text(encoding="utf-8"), 6)
    ours = parse_text(reportgen.render_text(reportgen.generate_report(0)), 6)
    assert len(title) == len(ours[0]) == 3
    assert header == ours[1]
    assert sum(len(rows) for _, rows in sections) == 35
    assert summary.startswith("В I квартале 2025 года") and ours[3].startswith("В I квартале 2025 года")


def test_rows_must_fit_the_header():
    bad = dict(SMALL, sections=[{"sphere": "x", "rows": [["1. ", "only two"]]}])
    with pytest.raises(ValueError, match="2 cells"):
        reportgen.render_text(bad)


# -- generator -------------------------------------------------------------------


def test_generator_is_deterministic_and_varies_with_seed():
    a, b = reportgen.generate_report(42), reportgen.generate_report(42)
    assert a == b
    assert reportgen.render_text(a) == reportgen.render_text(b)
    others = {reportgen.render_text(reportgen.generate_report(s)) for s in range(5)}
    assert len(others) == 5
    assert reportgen.generate_report(1)["sections"] != reportgen.generate_report(2)["sections"]


def test_generator_shape_and_options():
    report = reportgen.generate_report(5, n_rows=35, quarter=2, year=2024, header_variant=1)
    assert report["title_lines"][2] == "во II квартале 2024 года"
    assert report["header"] == ["№", "Наименование мероприятия", "Дата проведения", "Место проведения",
                                "Итоги мероприятия", "Участники"]
    rows = [row for s in report["sections"] for row in s["rows"]]
    assert len(rows) == len(report["truth"]) == 35
    assert [row[0] for row in rows] == [f"{i}. " for i in range(1, 36)]
    assert all(len(row) == 6 for row in rows)
    custom = reportgen.generate_report(5, column_order=("number", "dates", "title", "venue", "participants",
                                                        "content"))
    assert custom["columns"][1] == "dates"
    with pytest.raises(ValueError):
        reportgen.generate_report(5, column_order=("number", "title"))
    with pytest.raises(ValueError):
        reportgen.generate_report(5, header_variant=99)


def test_generator_truth_is_consistent():
    forms = set()
    for seed in range(40):
        report = reportgen.generate_report(seed, quarter=seed % 4 + 1)
        q = report["quarter"]
        first, last = date(2025, 3 * q - 2, 1), date(2025 + (q == 4), (3 * q) % 12 + 1, 28)
        rows = [row for s in report["sections"] for row in s["rows"]]
        cols = report["columns"]
        for row, truth in zip(rows, report["truth"]):
            cells = dict(zip(cols, row))
            if truth["date_precision"] == "day":
                start, end = date.fromisoformat(truth["start"]), date.fromisoformat(truth["end"])
                assert first <= start <= end <= last
            if truth["online"]:
                assert "дистанционном" in cells["venue"] or "видеоконференцсвязи" in cells["venue"]
            if truth["hybrid"]:
                assert "(в режиме ВКС)" in cells["participants"]
            if truth["views"]:
                assert str(truth["views"]) in cells["participants"]
            for person in truth["people"]:
                surname = person["name"].split()[-1]
                assert surname[:4] in cells["title"] + cells["participants"], (person, cells)
            if re.search(r"\d+-\d+ \w+", cells["dates"]):
                forms.add("range")
            if re.fullmatch(r"\d\d\.\d\d\.\d{4}", cells["dates"]):
                forms.add("numeric")
            if cells["dates"].startswith("с "):
                forms.add("s-po")
            if "–" in cells["dates"]:
                forms.add("cross")
            if truth["date_precision"] == "month":
                forms.add("month")
    assert forms == {"range", "numeric", "s-po", "cross", "month"}


def test_generator_is_fast():
    import time

    start = time.perf_counter()
    for seed in range(100):
        reportgen.render_text(reportgen.generate_report(seed))
    assert time.perf_counter() - start < 6  # 1,000 reports well under a minute


# -- the shipped invented sample -------------------------------------------------

SAMPLES = ROOT / "data" / "samples"
STEM = "invented-smolensk-2025-q2"


def test_invented_sample_files_are_up_to_date(tmp_path):
    sample = _load("invented_sample", SAMPLES / "invented_smolensk_2025_q2.py")
    report = sample.REPORT
    reportgen.write_text(report, tmp_path / "s.txt")
    reportgen.write_docx(report, tmp_path / "s.docx")
    assert (tmp_path / "s.txt").read_bytes() == (SAMPLES / f"{STEM}.txt").read_bytes(), \
        "run data/samples/invented_smolensk_2025_q2.py to regenerate"
    assert (tmp_path / "s.docx").read_bytes() == (SAMPLES / f"{STEM}.docx").read_bytes(), \
        "run data/samples/invented_smolensk_2025_q2.py to regenerate"
    rows = [row for s in report["sections"] for row in s["rows"]]
    assert 20 <= len(rows) <= 24 and 6 <= len(report["sections"]) <= 8
    doc = docx.Document(str(SAMPLES / f"{STEM}.docx"))
    assert [c.text for c in doc.tables[0].rows[2].cells] == rows[0]


def test_invented_sample_annotation_covers_every_row():
    import json

    sample = _load("invented_sample", SAMPLES / "invented_smolensk_2025_q2.py")
    expected = json.loads((SAMPLES / f"{STEM}.expected.json").read_text(encoding="utf-8"))
    rows = [(s["sphere"], row) for s in sample.REPORT["sections"] for row in s["rows"]]
    events = expected["events"]
    assert [e["n"] for e in events] == list(range(1, len(rows) + 1))
    assert expected["report"]["events_count"] == len(rows)
    example = SHARED.parent / "examples" / "smolensk-2025-q1.rows-1-12.json"
    if example.exists():
        keys = list(json.loads(example.read_text(encoding="utf-8"))["events"][0])
        assert all(list(e) == keys for e in events)
    for event, (sphere, row) in zip(events, rows):
        assert event["sphere"] == sphere
        assert event["title"] == " ".join(row[1].split())
        assert event["source_dates_cell"] == " ".join(row[3].split())
        if event["date_precision"] == "day":
            assert date.fromisoformat(event["start"]) <= date.fromisoformat(event["end"])
