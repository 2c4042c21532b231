"""Reading a report sheet: openpyxl against python-calamine, and ``read_xlsx`` as a whole.

    python bench/bench_xlsx.py                     # 35 and 1,000 rows, 7 runs each
    python bench/bench_xlsx.py --rows 35,1000,10000 --runs 5

A synthetic report (``reportgen.generate_report``) is written as a sheet in
the real layout: title rows merged across the table, a header, a sphere
heading row merged across the table before each group, wrapped cells, a
summary row merged below. Each reader then, in this process, opens the file
and produces every cell's value and the merged ranges, which the report
reader cannot do without:

* **openpyxl** -- ``load_workbook(read_only=False)``: the only mode that
  keeps ``merged_cells`` (a read-only worksheet has none);
* **openpyxl read-only** -- ``read_only=True``, values only, for scale: it
  cannot be used, it loses the merges;
* **calamine** -- ``CalamineWorkbook.from_path`` + ``to_python`` +
  ``merged_cell_ranges``;
* **read_xlsx** -- smolgraph's reader end to end (container checks, merges,
  layout), a ``Report`` out.

Each figure is the median of ``--runs`` runs, the range beside it, after one
warm-up run. Prints a Markdown table with the machine and the date.

Measured 2026-12-06 on the project's 2-core x86_64 machine (shared), Python
3.11, openpyxl 3.1.5, python-calamine 0.9.1, 7 runs:

| event rows | file KiB | openpyxl (merges) | openpyxl read-only (no merges) | calamine (merges) | read_xlsx (whole report) |
|---|---|---|---|---|---|
| 35 | 11 | 8.6 ms (8.5–9.5) | 7.2 ms (7.1–8.4) | 1.4 ms (1.4–1.5) | 4.5 ms (4.4–4.8) |
| 1000 | 140 | 130.7 ms (128.9–179.5) | 114.7 ms (111.4–118.4) | 37.4 ms (37.2–38.5) | 76.4 ms (75.5–89.4) |

Imports (``python -X importtime``, 3 runs): openpyxl 92–94 ms, python_calamine
0.7 ms. Both give merged ranges (calamine since 0.4), so calamine was chosen.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import openpyxl  # noqa: E402
from openpyxl.styles import Alignment  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from reportgen import generate_report  # noqa: E402
from smolgraph.read.xlsx import read_xlsx  # noqa: E402


def write_xlsx(report: dict, path: str | os.PathLike) -> int:
    """Write a generated report as one sheet in the real layout; returns the number of event rows."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Отчет"
    width = len(report["header"])
    wrap = Alignment(wrap_text=True, vertical="top")
    row = 1

    def merged_line(text: str) -> None:
        nonlocal row
        sheet.cell(row, 1, text)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1

    for line in report["title_lines"]:
        merged_line(line)
    for column, header in enumerate(report["header"], start=1):
        sheet.cell(row, column, header).alignment = wrap
    row += 1
    events = 0
    for section in report["sections"]:
        merged_line(section["sphere"])
        for cells in section["rows"]:
            for column, text in enumerate(cells, start=1):
                # The "№" cell as a number, as a person types it in Excel.
                value = int(text.strip(". ")) if column == 1 and text.strip(". ").isdigit() else text
                sheet.cell(row, column, value).alignment = wrap
            row += 1
            events += 1
    if report.get("summary"):
        merged_line(report["summary"])
    workbook.save(path)
    return events


def _openpyxl_full(path: Path) -> int:
    workbook = openpyxl.load_workbook(path, read_only=False, data_only=True)
    sheet = workbook.worksheets[0]
    cells = sum(1 for row in sheet.iter_rows(values_only=True) for _ in row)
    merges = [str(r) for r in sheet.merged_cells.ranges]
    workbook.close()
    return cells + len(merges)


def _openpyxl_read_only(path: Path) -> int:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    cells = sum(1 for row in sheet.iter_rows(values_only=True) for _ in row)
    workbook.close()
    return cells


def _calamine(path: Path) -> int:
    workbook = CalamineWorkbook.from_path(str(path))
    sheet = workbook.get_sheet_by_index(0)
    cells = sum(len(row) for row in sheet.to_python(skip_empty_area=False))
    merges = sheet.merged_cell_ranges or []
    workbook.close()
    return cells + len(merges)


def _read_xlsx(path: Path) -> int:
    return len(read_xlsx(path).rows)


READERS = {
    "openpyxl (merges)": _openpyxl_full,
    "openpyxl read-only (no merges)": _openpyxl_read_only,
    "calamine (merges)": _calamine,
    "read_xlsx (calamine, whole report)": _read_xlsx,
}


def _time(function, path: Path, runs: int) -> list[float]:
    function(path)  # warm-up: imports, page cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(path)
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="35,1000", help="event rows of each sheet, comma-separated")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.rows.split(",") if s]
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"openpyxl {openpyxl.__version__}, {date.today()}, median of {args.runs} runs (min–max)\n")
    print("| event rows | file KiB | " + " | ".join(READERS) + " |")
    print("|---|---|" + "---|" * len(READERS))
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"report-{size}.xlsx"
            events = write_xlsx(generate_report(1, n_rows=size), path)
            cells = []
            for function in READERS.values():
                times = _time(function, path, args.runs)
                cells.append(f"{statistics.median(times) * 1000:.1f} ms ({min(times) * 1000:.1f}–{max(times) * 1000:.1f})")
            print(f"| {events} | {path.stat().st_size // 1024} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
