"""Readers: report files (``.docx`` or text dump) in, :class:`~smolgraph.records.Report` out.

Readers know file formats and nothing about what the cells mean.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..errors import ReportError
from ..records import Report
from .docx import read_docx
from .text import read_text

__all__ = ["read_report", "read_docx", "read_text"]


def read_report(path: str | Path, *, columns: Mapping[str, str] | None = None) -> Report:
    """Read a report, choosing the reader by the file's extension.

    ``columns`` maps table headers no rule knows to fields
    (``{"Тематика": "sphere"}``; see :mod:`smolgraph.read.columns`).

    Examples
    --------
    >>> from smolgraph._paths import data_dir
    >>> report = read_report(data_dir() / "samples" / "invented-smolensk-2025-q2.txt")
    >>> report.meta.region, report.meta.quarter
    ('Смоленская область', 2)
    """
    path = Path(path)
    if not path.exists():
        raise ReportError("no such file.", file=str(path))
    if path.is_dir():
        raise ReportError("this is a folder, not a report file.", file=str(path))
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return read_docx(path, columns=columns)
    if suffix in {".txt", ".text"}:
        return read_text(path, columns=columns)
    if suffix == ".doc":
        return read_docx(path, columns=columns)  # gives the conversion advice for real .doc files
    raise ReportError(f"unknown report format '{suffix}'; smolgraph reads .docx and .txt text dumps.", file=str(path))
