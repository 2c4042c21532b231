"""The limits every reader keeps to: what the file is, how much of it is read, how far a ZIP part unpacks.

A report file comes from anywhere, so nothing in it is trusted before it is
counted:

- the path must be a regular file: a named pipe would block the reader
  forever, a device (``/dev/zero``) never ends. It is opened without
  blocking and checked on the open descriptor, so it cannot be swapped
  between the check and the read;
- only the first bytes are read to tell what the file is;
- a ``.docx`` or ``.xlsx`` is a ZIP package: each part to be read is
  checked against its stated sizes before anything is unpacked (the same
  caps for Word documents and workbooks), and is then unpacked in chunks
  that are counted, so a part whose header lies stops at the cap anyway;
- a text dump is read whole, but only up to :data:`MAX_TEXT_BYTES`.
"""
from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from ..errors import ReportError
from ..i18n import _, ngettext

__all__ = [
    "MAX_PART_BYTES",
    "MAX_PART_RATIO",
    "MAX_TEXT_BYTES",
    "Package",
    "open_regular",
    "read_head",
    "check_members",
    "xml_parts",
    "read_member",
    "size_text",
    "out_of_memory",
]

#: A package part (the document's XML, a sheet, shared strings) larger than this, unpacked, is refused,
#: and so are the parts read from one package together. Measured: a 50 MB main part of short paragraphs
#: already needs about 1 GB to read (the tree and a Python object per paragraph), while the sample
#: report's is 55 KB; 200 MB would let a 2 MB file take several GB.
MAX_PART_BYTES = 50 * 1024 * 1024
#: … and so is a part that unpacks to more than this many times its packed size.
MAX_PART_RATIO = 100
#: Small parts are let through whatever their ratio: a few kilobytes of
#: repeated empty cells or style runs compress several hundred times and are harmless.
RATIO_FLOOR = 1024 * 1024
#: A text dump larger than this is refused before it is read: a quarter's report is a few hundred kilobytes.
MAX_TEXT_BYTES = 50 * 1024 * 1024

_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Package:
    """What kind of package a reader opens, for its messages: ``Package("document", "Word")``."""

    noun: str  # "document", "workbook"
    program: str  # "Word", "Excel"
    suffix: str = ""  # ".docx", ".xlsx"
    # What an OLE file of this program is, and how to convert it: called when the message is shown,
    # so that it is in the reader's language.
    old_format: Callable[[], str] | None = None

    def damaged(self, detail: str, *, file: str) -> ReportError:
        if self.noun == "workbook":
            text = _("the {program} workbook is damaged ({detail}); re-save it from {program}.")
        else:
            text = _("the {program} document is damaged ({detail}); re-save it from {program}.")
        return ReportError(text.format(program=self.program, detail=detail), file=file)

    def _starts_with_vowel(self) -> bool:
        return self.program[0] in "AEIOU"

    def check_container(self, handle: BinaryIO, *, file: str) -> None:
        """Refuse, by its first bytes only, a file that is not this program's ZIP package.

        An empty file, an old binary (OLE) file, a PDF and anything that is
        not a ZIP each get their own message, with what to do.
        """
        try:
            head = read_head(handle)
        except OSError as exc:
            raise ReportError(_("cannot read the file: {reason}.").format(reason=exc.strerror), file=file) from None
        if not head:
            raise ReportError(_("the file is empty."), file=file)
        if head.startswith(_OLE_MAGIC):
            raise ReportError(self.old_format() if self.old_format else _("this is an old binary office file."), file=file)
        if head.startswith(b"%PDF"):
            if self._starts_with_vowel():
                text = _("this is a PDF, not an {program} file; export the report from {program} as {suffix}.")
            else:
                text = _("this is a PDF, not a {program} file; export the report from {program} as {suffix}.")
            raise ReportError(text.format(program=self.program, suffix=self.suffix), file=file)
        if not zipfile.is_zipfile(handle):
            if self._starts_with_vowel():
                text = _(
                    "this is not an {program} {suffix} file (not a ZIP container; a picture or a truncated download?); "
                    "open it in {program} and save it as {suffix}."
                )
            else:
                text = _(
                    "this is not a {program} {suffix} file (not a ZIP container; a picture or a truncated download?); "
                    "open it in {program} and save it as {suffix}."
                )
            raise ReportError(text.format(program=self.program, suffix=self.suffix), file=file)


#: The first bytes of an OLE compound file: old .doc and .xls, and password-protected .docx and .xlsx.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def size_text(size: int) -> str:
    """A byte count as people read it.

    >>> size_text(314_572_800), size_text(3_300_000_000), size_text(20_480), size_text(12)
    ('300 MB', '3.1 GB', '20 KB', '12 bytes')
    """
    if size >= 1 << 30:
        return _("{size:.1f} GB").format(size=size / (1 << 30))
    if size >= 1 << 20:
        return _("{size:.0f} MB").format(size=size / (1 << 20))
    if size >= 1 << 10:
        return _("{size:.0f} KB").format(size=size / (1 << 10))
    return ngettext("{size} byte", "{size} bytes", size).format(size=size)


def _kind(mode: int) -> str:
    """What a file that is not a regular one is, for messages."""
    kinds = {
        stat.S_IFIFO: _("a named pipe"),
        stat.S_IFCHR: _("a character device"),
        stat.S_IFBLK: _("a block device"),
        stat.S_IFSOCK: _("a socket"),
    }
    return kinds.get(stat.S_IFMT(mode), _("not a file of data"))


def open_regular(path: os.PathLike | str, *, file: str) -> BinaryIO:
    """``path`` opened for reading, or a ReportError when it cannot be or is not a regular file.

    ``O_NONBLOCK`` keeps the open of a named pipe with no writer from
    hanging; the type is checked on the descriptor itself (after symlinks
    are followed), so what is checked is what is read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ReportError(_("cannot read the file: {reason}.").format(reason=exc.strerror), file=file) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise ReportError(
                _("this is not a regular file ({kind}); give smolgraph the report file itself.").format(kind=_kind(mode)),
                file=file,
            )
        os.set_blocking(fd, True)  # a regular file: back to plain reads
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_head(handle: BinaryIO, size: int = 8) -> bytes:
    """The first ``size`` bytes of an open file, and no more: enough to tell a ZIP from a PDF or an OLE file."""
    handle.seek(0)
    head = handle.read(size)
    handle.seek(0)
    return head


def xml_parts(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The package's XML parts: what a reader may read. Pictures and macros are never unpacked."""
    return [info for info in archive.infolist() if info.filename.lower().endswith((".xml", ".rels"))]


def check_members(
    archive: zipfile.ZipFile,
    members: list[zipfile.ZipInfo],
    *,
    package: Package,
    file: str,
    main: str | None = None,
) -> None:
    """Refuse the package if any of ``members`` would unpack too far, before any of them is read.

    A part is refused when it unpacks to more than :data:`MAX_PART_BYTES`,
    when the parts together do, or when one over :data:`RATIO_FLOOR`
    unpacks to more than :data:`MAX_PART_RATIO` times its packed size; and
    as damaged when it claims more packed bytes than the file holds (a lie
    that would make its ratio look harmless). ``main`` names the main part
    in messages.
    """
    length = _archive_length(archive)
    total = 0
    for info in members:
        if length is not None and info.header_offset + info.compress_size > length:
            raise package.damaged(
                _("its part '{part}' claims more packed bytes than the file holds").format(part=info.filename), file=file
            )
        total += info.file_size
        too_big = info.file_size > MAX_PART_BYTES or total > MAX_PART_BYTES
        ratio = info.file_size / max(info.compress_size, 1)
        if too_big or (info.file_size > RATIO_FLOOR and ratio > MAX_PART_RATIO):
            together = total if info.file_size <= MAX_PART_BYTES and too_big else None
            raise _bomb(info, package=package, file=file, by_ratio=not too_big, together=together, main=main)


def read_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    *,
    package: Package,
    file: str,
    main: str | None = None,
) -> bytes:
    """The unpacked bytes of one part, checked as :func:`check_members` checks, and counted as they come.

    Python's zipfile stops at the size the directory states; counting the
    chunks here keeps that promise whatever zipfile does, so memory never
    holds more than the cap. A part that ends short of or past its stated
    size, or fails its checksum, is damaged.
    """
    check_members(archive, [info], package=package, file=file, main=main)
    limit = min(info.file_size, MAX_PART_BYTES)
    chunks = []
    count = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                count += len(chunk)
                if count > limit:
                    if count > MAX_PART_BYTES:
                        raise _bomb(info, package=package, file=file, main=main, unpacked=count)
                    raise package.damaged(
                        _("its part '{part}' unpacks past the size its header states").format(part=info.filename),
                        file=file,
                    )
                chunks.append(chunk)
    except (ReportError, MemoryError):
        raise  # a refusal of ours, or a limit hit, is not a damaged part
    except Exception as exc:
        # Broken deflate data surfaces as zlib.error, BadZipFile or EOFError, an
        # encrypted part as RuntimeError, an unknown method as NotImplementedError:
        # to the user all of them are one damaged part.
        raise package.damaged(
            _("its part '{part}': {error}").format(part=info.filename, error=f"{type(exc).__name__}: {exc}"), file=file
        ) from None
    if count != info.file_size:
        raise package.damaged(
            ngettext(
                "its part '{part}' unpacks to {count:,} byte, not the {stated:,} its header states",
                "its part '{part}' unpacks to {count:,} bytes, not the {stated:,} its header states",
                count,
            ).format(part=info.filename, count=count, stated=info.file_size),
            file=file,
        )
    return b"".join(chunks)


def _bomb(
    info: zipfile.ZipInfo,
    *,
    package: Package,
    file: str,
    main: str | None,
    by_ratio: bool = False,
    together: int | None = None,
    unpacked: int | None = None,
) -> ReportError:
    """The refusal of a part that unpacks too far: past the size cap (of the part, or of ``together``) or ``by_ratio``."""
    size = info.file_size if unpacked is None else unpacked
    if by_ratio:
        cap = _("{ratio}× packed").format(ratio=MAX_PART_RATIO)
        reason = _("no report packs that tightly")
    else:
        cap = size_text(MAX_PART_BYTES)
        if together is not None:
            cap = _("{cap} for the parts together ({total})").format(cap=cap, total=size_text(together))
        reason = _("no report is that large")
    workbook = package.noun == "workbook"
    if info.filename == main:
        if workbook:
            text = _(
                "the workbook's main part '{part}' unpacks to {size:,} bytes ({human}) from {packed:,} packed, "
                "more than smolgraph's cap of {cap}; {reason}: this is a zip bomb or a damaged file."
            )
        else:
            text = _(
                "the document's main part '{part}' unpacks to {size:,} bytes ({human}) from {packed:,} packed, "
                "more than smolgraph's cap of {cap}; {reason}: this is a zip bomb or a damaged file."
            )
    elif workbook:
        text = _(
            "the workbook's part '{part}' unpacks to {size:,} bytes ({human}) from {packed:,} packed, "
            "more than smolgraph's cap of {cap}; {reason}: this is a zip bomb or a damaged file."
        )
    else:
        text = _(
            "the document's part '{part}' unpacks to {size:,} bytes ({human}) from {packed:,} packed, "
            "more than smolgraph's cap of {cap}; {reason}: this is a zip bomb or a damaged file."
        )
    if workbook:
        advice = _("Re-save the report from {program}, keeping only the report's sheets.")
    else:
        advice = _("Re-save the report from {program}.")
    message = text.format(
        part=info.filename, size=size, human=size_text(size), packed=info.compress_size, cap=cap, reason=reason
    )
    return ReportError(f"{message} {advice.format(program=package.program)}", file=file)


def _archive_length(archive: zipfile.ZipFile) -> int | None:
    """The size of the file under the archive, when it can be told without reading it."""
    handle = archive.fp
    if handle is None:
        return None
    try:
        return os.fstat(handle.fileno()).st_size
    except (AttributeError, OSError, ValueError):
        try:
            where = handle.tell()
            end = handle.seek(0, os.SEEK_END)
            handle.seek(where)
            return end
        except (OSError, ValueError):
            return None


def out_of_memory(*, file: str) -> ReportError:
    """The refusal for a file that passed the caps but still did not fit in memory (a machine with little)."""
    return ReportError(
        _(
            "the file is too large to read in the memory this machine has left; "
            "a report this large is almost certainly not one report: check the file, or read it on a larger machine."
        ),
        file=file,
    )
