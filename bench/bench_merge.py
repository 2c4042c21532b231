"""Reading a Word table with one vertical merge down N rows: the time must grow with N, not N².

    python bench/bench_merge.py --rows 4000 16000 --runs 3

Writes each table once (python-docx, a sphere column merged down all rows)
and prints the median time of read_docx over the runs.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from docx import Document

from smolgraph.read import read_docx

HEADER = ("№", "Сфера", "Наименование мероприятия", "Дата проведения")


def merged_report(rows: int, path: Path) -> Path:
    document = Document()
    document.add_paragraph("Отчет … Смоленской области в I квартале 2025 года")
    table = document.add_table(rows=rows + 1, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER):
        cell.text = text
    for n, row in enumerate(table.rows[1:], start=1):
        row.cells[0].text, row.cells[2].text, row.cells[3].text = f"{n}.", f"Встреча {n}", "5 марта 2025 года"
    table.cell(1, 1).text = "Спорт"
    # Set by hand: python-docx's own merge recurses once a row and fails past ~1,000 rows.
    for n, row in enumerate(table.rows[1:]):
        row._tr.tc_lst[1].vMerge = "restart" if n == 0 else "continue"
    document.save(str(path))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 4000, 16000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        for rows in args.rows:
            path = merged_report(rows, Path(scratch) / f"merge-{rows}.docx")
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                report = read_docx(path)
                times.append(time.perf_counter() - started)
            assert len(report.rows) == rows and report.rows[-1].sphere == "Спорт"
            print(f"{rows:>6} rows, one merge down all: {statistics.median(times):.3f} s (median of {args.runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
