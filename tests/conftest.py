"""Shared fixtures: the real report is read from ../shared, never copied in."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REAL_TXT = SHARED / "reports" / "smolensk-2025-q1.txt"
REAL_DOCX = SHARED / "reports" / "smolensk-2025-q1.docx"
EXAMPLES = SHARED / "examples" / "smolensk-2025-q1.rows-1-12.json"
SAMPLES = ROOT / "data" / "samples"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared folder sits beside the checkout)")
    return path


@pytest.fixture(scope="session")
def real_txt() -> Path:
    return _need(REAL_TXT)


@pytest.fixture(scope="session")
def real_docx() -> Path:
    return _need(REAL_DOCX)


@pytest.fixture(scope="session")
def gazetteer():
    from smolgraph.gazetteer import load_gazetteer

    return load_gazetteer()


@pytest.fixture(scope="session")
def real_events(real_txt, gazetteer):
    from smolgraph.extract import extract_report
    from smolgraph.read import read_report

    return {e.row: e for e in extract_report(read_report(real_txt), gazetteer=gazetteer)}


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Commands that keep a cache keep it in a directory of the test run, not in the user's home."""
    monkeypatch.setenv("SMOLGRAPH_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    """Tests read English messages whatever the machine's locale; Russian is asked for where it is tested."""
    monkeypatch.setenv("SMOLGRAPH_LANG", "en")


#: The columns of the real report, for documents built in tests.
REPORT_HEADER = ("№ п/п", "Наименование мероприятия", "Место проведения", "Сроки проведения", "Участники")


def report_document(rows: list, *, header=REPORT_HEADER, title: str = "Отчет … Смоленской области в I квартале 2025 года",
                    summary: str | None = None):
    """A Word document laid out as a report (python-docx): title, one table, an optional summary.

    ``rows`` are lists of cell texts; a str is a sphere heading merged across
    the row. Returns the document and its table, to add awkward content to.
    """
    from docx import Document

    document = Document()
    document.add_paragraph(title)
    table = document.add_table(rows=1, cols=len(header))
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, str):
            cells[0].merge(cells[-1]).text = row
        else:
            for cell, text in zip(cells, row):
                cell.text = text
    if summary is not None:
        document.add_paragraph(summary)
    return document, table


def digested(value):
    """``value`` with every text longer than 60 characters replaced by its SHA-1.

    The pins hold what was extracted (places, names, dates, counts) but not the
    report's sentences: those stay in ../shared, where the tests read them.
    """
    if isinstance(value, str):
        return value if len(value) <= 60 else "sha1:" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]
    if isinstance(value, list):
        return [digested(v) for v in value]
    if isinstance(value, dict):
        return {k: digested(v) for k, v in value.items()}
    return value
