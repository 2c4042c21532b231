"""Hostile report files: zip bombs, lying ZIP headers, devices and pipes, huge text dumps.

Each is read in a child process under an address-space limit, so a reader
that unpacks a bomb fails the test (a MemoryError or a kill) instead of
taking the machine down with it, and a reader that blocks on a pipe is
stopped by the timeout.
"""
from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import SAMPLES
from smolgraph.errors import ReportError
from smolgraph.read import read_report
from smolgraph.read.archive import MAX_PART_BYTES, MAX_TEXT_BYTES

SAMPLE = SAMPLES / "invented-smolensk-2025-q2.docx"
MEMORY_LIMIT = 1 << 30  # 1 GB of address space for the child

_CHILD = r"""
import json, resource, sys, time
from smolgraph.errors import ReportError
from smolgraph.read import read_report
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # the imports' share, not the read's
start = time.perf_counter()
try:
    read_report(sys.argv[1])
    kind, message = "report", ""
except ReportError as error:
    kind, message = "ReportError", str(error)
except BaseException as error:  # what the test is looking for: anything but the two above
    kind, message = type(error).__name__, str(error)[:500]
print(json.dumps({"kind": kind, "message": message, "seconds": time.perf_counter() - start,
                  "grown_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before}))
"""


def read_in_child(path: Path, *, timeout: float = 60.0) -> dict:
    """Read ``path`` in a child limited to 1 GB of address space; its outcome, time and how far its peak memory grew."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path), str(MEMORY_LIMIT)],
            capture_output=True, text=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading {path.name} did not end within {timeout:.0f} s (blocked on the file?)")
    assert done.returncode == 0, f"the child died (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def _bomb_docx(path: Path, member: str, size: int, *, filler: bytes = b" ") -> Path:
    """The sample with ``member`` replaced by ``size`` bytes of XML-ish filler, deflated."""
    with zipfile.ZipFile(SAMPLE) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    chunk = filler * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as bomb:
        for name, data in parts.items():
            if name != member:
                bomb.writestr(name, data)
        with bomb.open(member, "w") as part:  # 32-bit headers, so tests can rewrite them
            part.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            for _ in range(size >> 20):
                part.write(chunk)
            part.write(b"</w:body></w:document>")
    return path


@pytest.fixture(scope="module")
def big_bomb(tmp_path_factory) -> Path:
    # 300 MB of spaces in document.xml: about 1 MB packed at level 1.
    return _bomb_docx(tmp_path_factory.mktemp("bomb") / "bomb.docx", "word/document.xml", 300 << 20)


def test_a_300_mb_main_part_is_refused_fast_and_in_little_memory(big_bomb):
    outcome = read_in_child(big_bomb)
    assert outcome["kind"] == "ReportError", outcome
    assert "the document's main part 'word/document.xml' unpacks to 314,572,9" in outcome["message"]
    assert "(300 MB)" in outcome["message"] and "zip bomb" in outcome["message"]
    assert "more than smolgraph's cap of 50 MB" in outcome["message"]
    assert outcome["seconds"] < 2.0, outcome
    assert outcome["grown_kb"] < 100_000, outcome  # nothing near 300 MB was unpacked


def test_a_ratio_bomb_is_refused(tmp_path):
    # 20 MB is under the size cap; a thousand times its packed size it is not a document.
    path = _bomb_docx(tmp_path / "ratio.docx", "word/document.xml", 20 << 20)
    with pytest.raises(ReportError, match=r"ratio\.docx: the document's main part 'word/document\.xml' unpacks to 20,971,[0-9]{3} bytes \(20 MB\) from .*cap of 100× packed"):
        read_report(path)


def test_a_bomb_in_the_package_relationships_is_refused(tmp_path):
    path = _bomb_docx(tmp_path / "rels.docx", "_rels/.rels", 20 << 20)
    with pytest.raises(ReportError, match=r"the document's part '_rels/\.rels' unpacks to .* \(20 MB\)"):
        read_report(path)


def _patch_sizes(path: Path, member: str, *, file_size: int | None = None, compress_size: int | None = None) -> None:
    """Rewrite the sizes the central directory and the local header give for ``member`` (a 32-bit entry)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_length]) == name:
            break
        central = data.find(b"PK\x01\x02", central + 4)
    assert central != -1, member
    local = struct.unpack_from("<I", data, central + 42)[0]
    for header, offset in ((central, 20), (local, 18)):
        if compress_size is not None:
            struct.pack_into("<I", data, header + offset, compress_size)
        if file_size is not None:
            struct.pack_into("<I", data, header + offset + 4, file_size)
    path.write_bytes(bytes(data))


def test_a_header_that_understates_the_size_stops_the_read(tmp_path):
    # 50 MB inflate from the member, but its headers say 40 KB: nothing past them is read.
    path = tmp_path / "liar.docx"
    with zipfile.ZipFile(SAMPLE) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b" " * (50 << 20), 1)
            target.writestr(info.filename, data)
    _patch_sizes(path, "word/document.xml", file_size=40_000)
    outcome = read_in_child(path)
    assert outcome["kind"] == "ReportError", outcome
    assert "damaged" in outcome["message"] and "re-save" in outcome["message"]
    assert outcome["grown_kb"] < 100_000, outcome


def test_a_header_that_claims_more_packed_bytes_than_the_file_has(tmp_path):
    # 40 MB from 20 MB is a harmless ratio on paper, but the file holds no 20 MB.
    path = _bomb_docx(tmp_path / "claims.docx", "word/document.xml", 40 << 20)
    _patch_sizes(path, "word/document.xml", compress_size=20 << 20)
    with pytest.raises(ReportError, match=r"claims\.docx: the Word document is damaged \(its part 'word/document\.xml' "
                                         r"claims more packed bytes than the file holds\)"):
        read_report(path)


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".txt"])
def test_a_link_to_dev_zero_is_not_a_regular_file(tmp_path, suffix):
    link = tmp_path / f"zero{suffix}"
    link.symlink_to("/dev/zero")
    outcome = read_in_child(link, timeout=20)
    assert outcome["kind"] == "ReportError", outcome
    assert f"zero{suffix}: this is not a regular file" in outcome["message"]
    assert outcome["seconds"] < 1.0


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".txt"])
def test_a_named_pipe_is_refused_without_blocking(tmp_path, suffix):
    fifo = tmp_path / f"pipe{suffix}"
    os.mkfifo(fifo)
    outcome = read_in_child(fifo, timeout=20)  # no writer ever comes: opening it plainly would block
    assert outcome["kind"] == "ReportError", outcome
    assert "this is not a regular file (a named pipe)" in outcome["message"]


def test_a_60_mb_text_dump_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as out:
        out.truncate(60 << 20)  # sparse: 60 MB on paper, nothing on disk
    outcome = read_in_child(path)
    assert outcome["kind"] == "ReportError", outcome
    assert "huge.txt: the text dump is 60 MB, more than smolgraph's cap of 50 MB" in outcome["message"]
    assert outcome["seconds"] < 1.0 and outcome["grown_kb"] < 100_000, outcome
    assert MAX_TEXT_BYTES == 50 << 20


def _docx_with_main_part(path: Path, xml: bytes) -> Path:
    with zipfile.ZipFile(SAMPLE) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, xml if info.filename == "word/document.xml" else source.read(info))
    return path


def test_deep_nesting_is_refused_fast(tmp_path):
    depth = 5_000  # lxml stops at 256 levels without huge_tree; small enough to pass the ratio cap
    xml = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           + b"<w:p>" * depth + b"</w:p>" * depth + b"</w:body></w:document>")
    outcome = read_in_child(_docx_with_main_part(tmp_path / "deep.docx", xml))
    assert outcome["kind"] == "ReportError" and "damaged" in outcome["message"], outcome
    assert "depth" in outcome["message"].lower()
    assert outcome["seconds"] < 1.0


def test_billion_laughs_are_not_expanded(tmp_path):
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY l0 "ха">{entities}]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           "<w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>").encode()
    outcome = read_in_child(_docx_with_main_part(tmp_path / "laughs.docx", xml))
    assert outcome["kind"] == "ReportError", outcome  # no table: the point is that it ends, fast and small
    assert outcome["seconds"] < 1.0 and outcome["grown_kb"] < 100_000, outcome


def test_the_workbook_reader_shares_the_rule(tmp_path):
    # The same words and the same caps as for a Word document.
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(250):
                sheet.write(b" " * (1 << 20))
    with pytest.raises(ReportError, match=r"bomb\.xlsx: the workbook's part 'xl/worksheets/sheet1\.xml' unpacks to 262,144,000 bytes \(250 MB\).*"
                                         r"more than smolgraph's cap of 50 MB"):
        read_report(path)
    assert MAX_PART_BYTES == 50 << 20


def test_a_stray_cell_at_the_far_corner_of_a_sheet_is_refused(tmp_path):
    # calamine would allot A1:XFD1048576 densely and abort the process: refused before it is asked.
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "far.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "Отчет"
    book.active["XFD1048576"] = "x"
    book.save(path)
    outcome = read_in_child(path)
    assert outcome["kind"] == "ReportError", outcome
    assert "far.xlsx: the workbook's sheet part 'xl/worksheets/sheet1.xml' has cells from row 1 to 1,048,576" in outcome["message"]
    assert "more than smolgraph's cap of 2,000,000" in outcome["message"]


def test_a_comment_in_a_paragraph_is_no_text(tmp_path):
    # An lxml comment's tag is a function: the paragraph reader met it as a name and crashed (found by the fuzzer).
    with zipfile.ZipFile(SAMPLE) as source:
        xml = source.read("word/document.xml")
    xml = xml.replace(b"<w:r>", b"<!-- a comment --><w:r>", 1)
    report = read_report(_docx_with_main_part(tmp_path / "comment.docx", xml))
    assert report.rows
