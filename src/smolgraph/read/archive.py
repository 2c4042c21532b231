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
from dataclasses import dataclass
from typing import BinaryIO

from ..errors import ReportError

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
    old_format: str = ""  # what an OLE file of this program is, and how to convert it

    def damaged(self, detail: str, *, file: str) -> ReportError:
        return ReportError(f"the {self.program} {self.noun} is damaged ({detail}); re-save it from {self.program}.", file=file)

    def check_container(self, handle: BinaryIO, *, file: str) -> None:
        """Refuse, by its first bytes only, a file that is not this program's ZIP package.

        An empty file, an old binary (OLE) file, a PDF and anything that is
        not a ZIP each get their own message, with what to do.
        """
        try:
            head = read_head(handle)
        except OSError as exc:
            raise ReportError(f"cannot read the file: {exc.strerror}.", file=file) from None
        if not head:
            raise ReportError("the file is empty.", file=file)
        if head.startswith(_OLE_MAGIC):
            raise ReportError(self.old_format, file=file)
        if head.startswith(b"%PDF"):
            raise ReportError(
                f"this is a PDF, not a{'n' if self.program[0] in 'AEIOU' else ''} {self.program} file; "
                f"export the report from {self.program} as {self.suffix}.",
                file=file,
            )
        if not zipfile.is_zipfile(handle):
            raise ReportError(
                f"this is not a{'n' if self.program[0] in 'AEIOU' else ''} {self.program} {self.suffix} file "
                f"(not a ZIP container; a picture or a truncated download?); open it in {self.program} and save it as {self.suffix}.",
                file=file,
            )


#: The first bytes of an OLE compound file: old .doc and .xls, and password-protected .docx and .xlsx.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def size_text(size: int) -> str:
    """A byte count as people read it.

    >>> size_text(314_572_800), size_text(3_300_000_000), size_text(20_480), size_text(12)
    ('300 MB', '3.1 GB', '20 KB', '12 bytes')
    """
    if size >= 1 << 30:
        return f"{size / (1 << 30):.1f} GB"
    if size >= 1 << 20:
        return f"{size / (1 << 20):.0f} MB"
    if size >= 1 << 10:
        return f"{size / (1 << 10):.0f} KB"
    return f"{size} bytes"


_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def open_regular(path: os.PathLike | str, *, file: str) -> BinaryIO:
    """``path`` opened for reading, or a ReportError when it cannot be or is not a regular file.

    ``O_NONBLOCK`` keeps the open of a named pipe with no writer from
    hanging; the type is checked on the descriptor itself (after symlinks
    are followed), so what is checked is what is read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ReportError(f"cannot read the file: {exc.strerror}.", file=file) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = _KINDS.get(stat.S_IFMT(mode), "not a file of data")
            raise ReportError(
                f"this is not a regular file ({kind}); give smolgraph the report file itself.", file=file
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
            raise package.damaged(f"its part '{info.filename}' claims more packed bytes than the file holds", file=file)
        total += info.file_size
        too_big = info.file_size > MAX_PART_BYTES or total > MAX_PART_BYTES
        ratio = info.file_size / max(info.compress_size, 1)
        if too_big or (info.file_size > RATIO_FLOOR and ratio > MAX_PART_RATIO):
            cap = f"{size_text(MAX_PART_BYTES)}" if too_big else f"{MAX_PART_RATIO}× packed"
            if info.file_size <= MAX_PART_BYTES and too_big:
                cap += f" for the parts together ({size_text(total)})"
            raise _bomb(info, package=package, file=file, cap=cap, main=main)


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
                        raise _bomb(info, package=package, file=file, cap=size_text(MAX_PART_BYTES), main=main, unpacked=count)
                    raise package.damaged(f"its part '{info.filename}' unpacks past the size its header states", file=file)
                chunks.append(chunk)
    except (ReportError, MemoryError):
        raise  # a refusal of ours, or a limit hit, is not a damaged part
    except Exception as exc:
        # Broken deflate data surfaces as zlib.error, BadZipFile or EOFError, an
        # encrypted part as RuntimeError, an unknown method as NotImplementedError:
        # to the user all of them are one damaged part.
        raise package.damaged(f"its part '{info.filename}': {type(exc).__name__}: {exc}", file=file) from None
    if count != info.file_size:
        raise package.damaged(f"its part '{info.filename}' unpacks to {count:,} bytes, not the {info.file_size:,} its header states", file=file)
    return b"".join(chunks)


def _bomb(
    info: zipfile.ZipInfo, *, package: Package, file: str, cap: str, main: str | None, unpacked: int | None = None
) -> ReportError:
    size = info.file_size if unpacked is None else unpacked
    part = "main part" if info.filename == main else "part"
    return ReportError(
        f"the {package.noun}'s {part} '{info.filename}' unpacks to {size:,} bytes ({size_text(size)}) "
        f"from {info.compress_size:,} packed, more than smolgraph's cap of {cap}; "
        f"{'no report packs that tightly' if cap.endswith('packed') else 'no report is that large'}: "
        f"this is a zip bomb or a damaged file. Re-save the report from {package.program}"
        + (", keeping only the report's sheets." if package.noun == "workbook" else "."),
        file=file,
    )


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
        "the file is too large to read in the memory this machine has left; "
        "a report this large is almost certainly not one report: check the file, or read it on a larger machine.",
        file=file,
    )
