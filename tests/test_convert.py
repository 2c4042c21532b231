"""Old and open formats through LibreOffice: the same report as the .docx / .xlsx it came from."""
from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from smolgraph._paths import data_dir
from smolgraph.errors import ReportError
from smolgraph.read import read_docx, read_report, read_xlsx
from smolgraph.read.convert import find_soffice, read_converted

SAMPLE = data_dir() / "samples" / "invented-smolensk-2025-q2.docx"

needs_soffice = pytest.mark.skipif(
    find_soffice() is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it"
)


def _soffice_convert(source: Path, target: str, folder: Path) -> Path:
    """Convert with the real LibreOffice the way a person would, outside smolgraph's code."""
    subprocess.run(
        [find_soffice(), f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
         "--convert-to", target, "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=120,
    )
    return folder / f"{source.stem}.{target}"


def _same_report(a, b) -> None:
    assert (a.meta.region, a.meta.year, a.meta.quarter, a.meta.summary) == (b.meta.region, b.meta.year, b.meta.quarter, b.meta.summary)
    assert a.meta.sections == b.meta.sections
    assert [(r.number, r.sphere, r.sections, r.cells, r.other_cells) for r in a.rows] == [
        (r.number, r.sphere, r.sections, r.cells, r.other_cells) for r in b.rows
    ]


@needs_soffice
def test_odt_reads_as_the_docx_it_came_from(tmp_path):
    odt = _soffice_convert(SAMPLE, "odt", tmp_path)
    report = read_report(odt)
    _same_report(report, read_docx(SAMPLE))
    assert report.meta.source_file == str(odt)  # the original file, not the converted copy


@needs_soffice
def test_xls_and_ods_read_as_the_xlsx_they_came_from(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    xlsx = tmp_path / "report.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Отчет Смоленской области за I квартал 2025 года"])
    sheet.merge_cells("A1:D1")
    sheet.append(["№ п/п", "Наименование мероприятия", "Место проведения", "Сроки проведения"])
    sheet.append(["Сотрудничество в сфере культуры"])
    sheet.merge_cells("A3:D3")
    sheet.append([1, "Выставка", "г. Минск", "5 марта 2025 года"])
    sheet.append([2, "Концерт", "г. Витебск", "7 марта 2025 года"])
    workbook.save(xlsx)
    expected = read_xlsx(xlsx)
    for target in ("xls", "ods"):
        folder = tmp_path / target
        folder.mkdir()
        _same_report(read_report(_soffice_convert(xlsx, target, folder)), expected)


@needs_soffice
def test_errors_name_the_original_file(tmp_path):
    path = tmp_path / "notes.odt"
    shutil.copyfile(_soffice_convert(_text_file(tmp_path), "odt", tmp_path), path)
    with pytest.raises(ReportError) as info:
        read_report(path)
    assert str(info.value).startswith(f"{path}: ")
    assert "smolgraph-convert-" not in str(info.value)


def _text_file(folder: Path) -> Path:
    path = folder / "plain.txt"
    path.write_text("Просто заметки, без таблицы.\n", encoding="utf-8")
    return path


def test_without_libreoffice_the_message_says_how_to_convert(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(ReportError, match=r"old\.doc: .*LibreOffice, which is not installed; convert it to \.docx "
                                          r"\(Word: Save As.*soffice --headless --convert-to docx FILE"):
        read_report(path)
    sheet = tmp_path / "old.xls"
    sheet.write_bytes(path.read_bytes())
    with pytest.raises(ReportError, match=r"old\.xls: .*convert it to \.xlsx \(Excel: Save As"):
        read_report(sheet)


def _fake_soffice(tmp_path, monkeypatch, script: str) -> None:
    """A `soffice` on PATH that runs ``script`` instead of converting."""
    folder = tmp_path / "bin"
    folder.mkdir()
    fake = folder / "soffice"
    fake.write_text(f"#!/bin/sh\n{script}\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(folder))


def test_a_conversion_that_hangs_is_stopped(tmp_path, monkeypatch):
    _fake_soffice(tmp_path, monkeypatch, "exec /bin/sleep 30")
    path = tmp_path / "slow.odt"
    path.write_bytes(b"PK")
    with pytest.raises(ReportError, match=r"slow\.odt: LibreOffice did not convert the file within 1 second "):
        read_converted(path, "docx", read_docx, timeout=1)


def test_a_failed_conversion_says_what_libreoffice_said(tmp_path, monkeypatch):
    _fake_soffice(tmp_path, monkeypatch, "echo 'Error: source file could not be loaded' >&2\nexit 1")
    path = tmp_path / "broken.doc"
    path.write_bytes(b"garbage")
    with pytest.raises(ReportError, match=r"broken\.doc: LibreOffice could not convert the file \(it said: "
                                          r"Error: source file could not be loaded\)"):
        read_report(path)
