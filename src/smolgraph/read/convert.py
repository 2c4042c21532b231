"""Old and open office formats (``.doc``, ``.odt``, ``.rtf``, ``.xls``, ``.ods``), converted with LibreOffice.

smolgraph reads ``.docx`` and ``.xlsx`` itself; the other formats a region
may send are converted by LibreOffice (``soffice --headless --convert-to``)
into a private temporary folder, then read as those. Without LibreOffice the
message says how to convert the file by hand. Messages name the original
file, never the temporary copy.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from ..errors import ReportError
from ..i18n import _, ngettext
from ..records import Report

__all__ = ["find_soffice", "convert_with_soffice", "read_converted", "CONVERT_TIMEOUT", "TARGETS"]

#: Seconds one conversion may take; a dialog LibreOffice waits on must not hang an ingest.
CONVERT_TIMEOUT = 60.0

#: The format each suffix is converted to, and the program that saves it by hand.
TARGETS: dict[str, tuple[str, str]] = {
    ".doc": ("docx", "Word"),
    ".odt": ("docx", "Word or LibreOffice Writer"),
    ".rtf": ("docx", "Word"),
    ".xls": ("xlsx", "Excel"),
    ".ods": ("xlsx", "Excel or LibreOffice Calc"),
}


def _program(suffix: str) -> str:
    """The program that saves a file of ``suffix`` by hand, in the reader's language (:data:`TARGETS`)."""
    names = {
        "Word or LibreOffice Writer": _("Word or LibreOffice Writer"),
        "Excel or LibreOffice Calc": _("Excel or LibreOffice Calc"),
    }
    if suffix not in TARGETS:
        return _("an office program")
    program = TARGETS[suffix][1]
    return names.get(program, program)


def find_soffice() -> str | None:
    """The LibreOffice program on PATH (``soffice`` or ``libreoffice``), or None.

    >>> find_soffice() is None or Path(find_soffice()).name in {"soffice", "libreoffice"}
    True
    """
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_soffice(path: Path, target: str, folder: Path, *, timeout: float = CONVERT_TIMEOUT) -> Path:
    """Convert ``path`` to ``target`` ("docx", "xlsx") into ``folder``; the converted file.

    LibreOffice runs with a user profile of its own inside ``folder``, so a
    LibreOffice the user has open (or another conversion running beside
    this one) neither blocks it nor is changed by it.

    Raises
    ------
    ReportError
        LibreOffice is not installed, failed, produced nothing, or took
        longer than ``timeout`` seconds. Messages name ``path``.
    """
    file = str(path)
    kind = target
    program = _program(path.suffix.lower())
    by_hand = _("convert it to .{target} ({program}: Save As → .{target}; or `soffice --headless --convert-to {target} FILE`)").format(
        target=target, program=program
    )
    soffice = find_soffice()
    if soffice is None:
        raise ReportError(
            _("smolgraph reads {suffix} files through LibreOffice, which is not installed; {by_hand}, or install LibreOffice.").format(
                suffix=path.suffix.lower() or _("this format"), by_hand=by_hand
            ),
            file=file,
        )
    # A file name LibreOffice might take for an option, or whose name it
    # rewrites, is converted from a plain copy.
    source = folder / f"report{path.suffix.lower()}"
    try:
        shutil.copyfile(path, source)
    except OSError as exc:
        raise ReportError(_("cannot read the file: {reason}.").format(reason=exc.strerror), file=file) from None
    command = [
        soffice,
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        kind,
        "--outdir",
        str(folder / "out"),
        str(source),
    ]
    try:
        returncode, said = _run(command, folder, timeout)
    except subprocess.TimeoutExpired:
        raise ReportError(
            ngettext(
                "LibreOffice did not convert the file within {seconds:.0f} second (a damaged file, or a dialog "
                "waiting for an answer); {by_hand}.",
                "LibreOffice did not convert the file within {seconds:.0f} seconds (a damaged file, or a dialog "
                "waiting for an answer); {by_hand}.",
                round(timeout),
            ).format(seconds=timeout, by_hand=by_hand),
            file=file,
        ) from None
    except OSError as exc:
        raise ReportError(
            _("LibreOffice ({program}) could not be started ({error}); {by_hand}.").format(
                program=soffice, error=exc, by_hand=by_hand
            ),
            file=file,
        ) from None
    converted = folder / "out" / f"report.{kind}"
    if returncode != 0 or not converted.exists():
        said = " ".join(said.split())[:300] or _("exit code {code}").format(code=returncode)
        raise ReportError(
            _(
                "LibreOffice could not convert the file (it said: {said}); the file may be damaged or not a "
                "{program} document; {by_hand}."
            ).format(said=said, program=program, by_hand=by_hand),
            file=file,
        )
    return converted


def _run(command: list[str], folder: Path, timeout: float) -> tuple[int, str]:
    """Run LibreOffice; its exit code and what it printed. On timeout its whole process group is ended.

    ``soffice`` is a launcher that starts ``soffice.bin``: ending the launcher
    alone would leave the real program running, so it gets a session (and
    process group) of its own, and the group is killed.
    """
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        env={**os.environ, "HOME": str(folder)},  # LibreOffice writes caches under HOME too
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.communicate()
        raise
    return process.returncode, output or ""


def read_converted(
    path: str | Path,
    target: str,
    reader: Callable[..., Report],
    *,
    columns: Mapping[str, str] | None = None,
    timeout: float = CONVERT_TIMEOUT,
) -> Report:
    """Convert ``path`` to ``target`` with LibreOffice and read the result with ``reader``.

    The report, and errors about the converted copy, name the original file:
    the copy's name means nothing to the user and is gone afterwards.
    """
    path = Path(path)
    file = str(path)
    with tempfile.TemporaryDirectory(prefix="smolgraph-convert-") as folder:
        converted = convert_with_soffice(path, target, Path(folder), timeout=timeout)
        try:
            report = reader(converted, columns=columns)
        except ReportError as exc:
            raise _renamed(exc, str(converted), file) from None
    # The report's id and its provenance come from the file the user gave.
    report.meta.source_file = file
    report.meta.warnings = [w.replace(str(converted), file) for w in report.meta.warnings]
    return report


def _renamed(error: ReportError, old: str, new: str) -> ReportError:
    """The same error, its message and file naming the original file instead of the converted copy."""
    message = str(error.args[0]) if error.args else str(error)
    error.args = (message.replace(old, new),) + tuple(error.args[1:])
    if getattr(error, "file", None) == old:
        error.file = new
    return error
