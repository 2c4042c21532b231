"""Readers: report files (``.docx``, ``.xlsx``, text dump; others through LibreOffice) in, :class:`~smolgraph.records.Report` out.

Readers know file formats and nothing about what the cells mean.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..errors import ReportError
from ..i18n import _
from ..records import Report
from .convert import read_converted
from .docx import read_docx
from .text import read_text
from .xlsx import read_xlsx

__all__ = ["read_report", "read_docx", "read_text", "read_xlsx", "SUFFIXES"]

#: Every file suffix read_report reads.
SUFFIXES = (".docx", ".xlsx", ".xlsm", ".txt", ".text", ".doc", ".odt", ".rtf", ".xls", ".ods")


def read_report(path: str | Path, *, columns: Mapping[str, str] | None = None) -> Report:
    """Read a report, choosing the reader by the file's extension.

    ``.docx`` and ``.xlsx``/``.xlsm`` are read directly, text dumps as text;
    ``.doc``, ``.odt``, ``.rtf`` are converted to ``.docx`` and ``.xls``,
    ``.ods`` to ``.xlsx`` with LibreOffice when it is installed (else the
    error says how to convert them by hand).

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
        raise ReportError(_("no such file."), file=str(path))
    if path.is_dir():
        raise ReportError(_("this is a folder, not a report file."), file=str(path))
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return read_docx(path, columns=columns)
    if suffix in {".txt", ".text"}:
        return read_text(path, columns=columns)
    if suffix in {".xlsx", ".xlsm"}:
        return read_xlsx(path, columns=columns)
    if suffix in {".doc", ".odt", ".rtf"}:
        return read_converted(path, "docx", read_docx, columns=columns)
    if suffix in {".xls", ".ods"}:
        return read_converted(path, "xlsx", read_xlsx, columns=columns)
    raise ReportError(
        _("unknown report format '{suffix}'; smolgraph reads {suffixes} (the last five through LibreOffice).").format(
            suffix=suffix, suffixes=", ".join(SUFFIXES)
        ),
        file=str(path),
    )
