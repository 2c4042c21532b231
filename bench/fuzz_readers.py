"""Fuzz the report readers with damaged and hostile ``.docx`` and ``.xlsx`` files.

    python bench/fuzz_readers.py                    # 2,000 cases, seed 1
    python bench/fuzz_readers.py --cases 5000 --seed 7 --keep /tmp/fuzz-finds
    python bench/fuzz_readers.py --cases 300 --ingest 0   # reading only

Two seeds are mutated: the shipped sample report
(``data/samples/invented-smolensk-2025-q2.docx``) and a report workbook
written here with openpyxl (title rows merged, a header, sphere headings
merged across, a summary). Each case stacks one to three mutations:

* ZIP level: truncation, bytes flipped in the central directory or
  anywhere, a member duplicated, removed, or given wrong sizes, a wrong
  compression method, the "encrypted" flag;
* XML level, on the main part (``word/document.xml``, or a sheet, the
  shared strings, the workbook): elements deleted or duplicated,
  ``gridSpan``, ``vMerge`` and ``gridBefore`` with odd values, random
  attribute values, cells and merges far out in the sheet, deep nesting,
  internal and external entities, bytes cut out.

Each case is read by ``smolgraph.read.read_report`` in a forked child under
``RLIMIT_AS`` (1 GB) and ``RLIMIT_CPU`` (20 s), with a wall-clock timeout.
A case passes when it ends in a ``Report`` or a ``ReportError``; anything
else (another exception, a signal, a limit hit, a hang) is a finding, saved
with ``--keep``. Then ``--ingest`` survivors (half refused, half read) are
ingested one at a time into a temporary store: a refused file must leave
the store's quads exactly as they were.
"""
from __future__ import annotations

import argparse
import collections
import io
import json
import os
import platform
import random
import resource
import select
import signal
import struct
import sys
import tempfile
import time
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DOCX = ROOT / "data" / "samples" / "invented-smolensk-2025-q2.docx"
MEMORY_LIMIT = 1 << 30
CPU_SECONDS = 20
WALL_SECONDS = 60.0

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ODD_NUMBERS = ["0", "-1", "2", "3", "7", "1000000000", "99999999999999999999", "abc", "", "+2", " 2", "1e3", "٣", "-2147483649"]


# -- the seeds -------------------------------------------------------------------------


def xlsx_seed() -> bytes:
    """A report workbook as a region lays one out, written with openpyxl."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Отчет"
    header = ["№ п/п", "Наименование мероприятия", "Место проведения", "Сроки проведения", "Участники"]
    sheet["A1"] = "Отчет о международных мероприятиях Смоленской области за I квартал 2025 года"
    sheet.merge_cells("A1:E1")
    sheet.append([])
    sheet.append(header)
    row = 4
    for sphere in ("Сотрудничество в сфере образования", "Сотрудничество в сфере культуры"):
        sheet.cell(row, 1, sphere)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        row += 1
        for _ in range(3):
            number = row - 4
            sheet.append([number, f"Визит делегации {number}", "г. Минск", f"{number} марта 2025 года", "Губернатор"])
            row += 1
    sheet.cell(row + 1, 1, "В I квартале состоялось 6 мероприятий.")
    sheet.merge_cells(start_row=row + 1, start_column=1, end_row=row + 2, end_column=5)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def unpack(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def pack(parts: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": wanted here
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts:
                archive.writestr(name, data)
    return out.getvalue()


# -- ZIP-level mutations: on the packed bytes --------------------------------------------


def _central_entries(data: bytes) -> list[int]:
    """Offsets of the central directory entries (found by signature: good enough for a fuzzer)."""
    entries, at = [], data.find(b"PK\x01\x02")
    while at != -1:
        entries.append(at)
        at = data.find(b"PK\x01\x02", at + 4)
    return entries


def z_truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def z_flip_central(data: bytes, rng: random.Random) -> bytes:
    entries = _central_entries(data)
    start = entries[0] if entries else max(0, len(data) - 200)
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(start, len(out))
        out[at] = rng.randrange(256)
    return bytes(out)


def z_flip_any(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def z_wrong_sizes(data: bytes, rng: random.Random) -> bytes:
    """A member's sizes or CRC changed in its central entry, its local header, or both."""
    entries = _central_entries(data)
    if not entries:
        return data
    out = bytearray(data)
    central = rng.choice(entries)
    local = struct.unpack_from("<I", out, central + 42)[0]
    field = rng.choice([(16, 14), (20, 18), (24, 22)])  # crc, compressed size, size: (central, local) offsets
    value = rng.choice([0, 1, 0xFFFFFFFF, 0x7FFFFFFF, rng.randrange(1 << 32), len(data), len(data) * 1000])
    for header, offset in ((central, field[0]), (local, field[1])):
        if rng.random() < 0.7 and header + offset + 4 <= len(out):
            struct.pack_into("<I", out, header + offset, value)
    return bytes(out)


def z_method(data: bytes, rng: random.Random) -> bytes:
    """A compression method zipfile does not know (99), bzip2, LZMA, stored, or the encrypted flag."""
    entries = _central_entries(data)
    if not entries:
        return data
    out = bytearray(data)
    central = rng.choice(entries)
    if rng.random() < 0.3:
        struct.pack_into("<H", out, central + 8, struct.unpack_from("<H", out, central + 8)[0] | 1)
    else:
        struct.pack_into("<H", out, central + 10, rng.choice([99, 12, 14, 0, 9]))
    return bytes(out)


def p_remove(parts, rng):
    important = [p for p in parts if p[0] in {"word/document.xml", "_rels/.rels", "[Content_Types].xml",
                                               "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                                               "xl/_rels/workbook.xml.rels", "xl/styles.xml"}]
    victim = rng.choice(important if important and rng.random() < 0.8 else parts)
    return [p for p in parts if p is not victim]


def p_duplicate(parts, rng):
    name, data = rng.choice(parts)
    twin = rng.choice([data, b"", data[: len(data) // 2], b"<x/>"])
    at = rng.randrange(len(parts) + 1)
    return parts[:at] + [(name, twin)] + parts[at:]


# -- XML-level mutations: on the main part's tree ----------------------------------------


def _elements(root, tag: str | None = None):
    return [e for e in root.iter(tag or etree.Element) if e is not root and isinstance(e.tag, str)]


def x_delete(root, rng, ns):
    elements = _elements(root)
    if elements:
        victim = rng.choice(elements)
        victim.getparent().remove(victim)


def x_duplicate(root, rng, ns):
    elements = _elements(root)
    if elements:
        element = rng.choice(elements)
        element.addnext(etree.fromstring(etree.tostring(element)))


def _property(root, rng, parent_tag: str, props_tag: str, child_tag: str, value: str | None):
    parents = _elements(root, parent_tag)
    if not parents:
        return
    parent = rng.choice(parents)
    props = parent.find(props_tag)
    if props is None:
        props = etree.Element(props_tag)
        parent.insert(0, props)
    child = etree.SubElement(props, child_tag)
    if value is not None:
        child.set(f"{{{W}}}val", value)
    if rng.random() < 0.3:
        props.insert(0, etree.fromstring(etree.tostring(child)))  # a second one, first in order


def x_grid_span(root, rng, ns):
    _property(root, rng, f"{{{W}}}tc", f"{{{W}}}tcPr", f"{{{W}}}gridSpan", rng.choice(ODD_NUMBERS + [None]))


def x_vmerge(root, rng, ns):
    _property(root, rng, f"{{{W}}}tc", f"{{{W}}}tcPr", f"{{{W}}}vMerge", rng.choice(["continue", "restart", "", "x", None]))


def x_grid_before(root, rng, ns):
    _property(root, rng, f"{{{W}}}tr", f"{{{W}}}trPr", f"{{{W}}}gridBefore", rng.choice(ODD_NUMBERS + [None]))


def x_attribute(root, rng, ns):
    elements = [e for e in _elements(root) if e.attrib] or _elements(root)
    if not elements:
        return
    element = rng.choice(elements)
    names = list(element.attrib) or [f"{{{ns}}}val", "r", "ref"]
    value = rng.choice(ODD_NUMBERS + ["A1", "XFD1048576", "A1:XFD1048576", "ZZZZ0", "B3:A1", "s", "inlineStr", "e",
                                      "n", "b", "d", "str", "1048577", "-5", "\u202e", "x" * 5000])
    element.set(rng.choice(names), value)


def x_far_cell(root, rng, ns):
    """A cell (or merge) at the sheet's far corner: a dense reader would allot billions of cells."""
    rows = _elements(root, f"{{{S}}}row")
    ref = rng.choice(["XFD1048576", "A1048576", "XFD1", "ZZ99999", "AAAA1"])
    if rows and rng.random() < 0.6:
        row = etree.SubElement(rows[-1].getparent(), f"{{{S}}}row", r=ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") or "1")
        cell = etree.SubElement(row, f"{{{S}}}c", r=ref, t="inlineStr")
        etree.SubElement(etree.SubElement(cell, f"{{{S}}}is"), f"{{{S}}}t").text = "x"
    else:
        merges = root.find(f"{{{S}}}mergeCells")
        if merges is None:
            merges = etree.SubElement(root, f"{{{S}}}mergeCells")
        etree.SubElement(merges, f"{{{S}}}mergeCell", ref=rng.choice(["A1:XFD1048576", f"A1:{ref}", "C5:A1", "A0:B2"]))
    dimension = root.find(f"{{{S}}}dimension")
    if dimension is not None and rng.random() < 0.5:
        dimension.set("ref", f"A1:{ref}")


def x_nest(root, rng, ns):
    elements = _elements(root)
    if not elements:
        return
    element = rng.choice(elements)
    depth = rng.choice([10, 100, 250, 260, 1000, 5000])
    outer = inner = etree.Element(element.tag)
    for _ in range(depth - 1):
        inner = etree.SubElement(inner, element.tag)
    element.addnext(outer)


XML_MUTATIONS = [x_delete, x_duplicate, x_grid_span, x_vmerge, x_grid_before, x_attribute, x_nest]
SHEET_MUTATIONS = [x_delete, x_duplicate, x_attribute, x_attribute, x_far_cell, x_nest]


def b_entities(xml: bytes, rng: random.Random) -> bytes:
    """A DOCTYPE with nested (billion laughs) or external entities, referenced from the first text."""
    kind = rng.choice(["laughs", "external", "devzero", "param"])
    if kind == "laughs":
        decl = '<!ENTITY l0 "ha">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
        ref = "&l9;"
    elif kind == "external":
        decl, ref = '<!ENTITY x SYSTEM "file:///etc/passwd">', "&x;"
    elif kind == "devzero":
        decl, ref = '<!ENTITY x SYSTEM "file:///dev/zero">', "&x;"
    else:
        decl, ref = '<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;', ""
    head, _, rest = xml.partition(b"?>") if xml.startswith(b"<?xml") else (b"", b"", xml)
    root_name = rest.split(b"<", 2)[1].split(b" ", 1)[0].split(b">", 1)[0].decode("ascii", "replace")
    doctype = f"<!DOCTYPE {root_name} [{decl}]>".encode()
    for tag in (b"<w:t>", b"<t>", b"<v>"):
        if tag in rest:
            rest = rest.replace(tag, tag + ref.encode(), 1)
            break
    return (head + b"?>" if head else b"") + doctype + rest


def b_cut(xml: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(xml))
    return xml[:start] + rng.choice([b"", b"<", b"&", b"\x00", b"\xff\xfe", "ё".encode("cp1251")]) + xml[start + rng.randint(0, 50):]


# -- cases ---------------------------------------------------------------------------------


@dataclass
class Case:
    number: int
    suffix: str
    mutations: list[str]
    data: bytes


def _main_parts(suffix: str) -> list[str]:
    if suffix == ".docx":
        return ["word/document.xml"] * 6 + ["_rels/.rels"]
    return ["xl/worksheets/sheet1.xml"] * 4 + ["xl/sharedStrings.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"]


def make_case(number: int, suffix: str, seed: bytes, rng: random.Random) -> Case:
    parts = unpack(seed)
    done: list[str] = []
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.7:  # an XML mutation of a part the reader reads
            name = rng.choice(_main_parts(suffix))
            index = next((i for i, (n, _) in enumerate(parts) if n == name), None)
            if index is None:
                continue
            xml = parts[index][1]
            if rng.random() < 0.2:
                mutation = rng.choice([b_entities, b_cut])
                xml = mutation(xml, rng)
            else:
                mutation = rng.choice(XML_MUTATIONS if suffix == ".docx" else SHEET_MUTATIONS)
                try:
                    root = etree.fromstring(xml)
                except etree.XMLSyntaxError:
                    continue  # damaged by an earlier mutation already
                mutation(root, rng, W if suffix == ".docx" else S)
                xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            parts[index] = (name, xml)
            done.append(f"{mutation.__name__}({name})")
        else:
            mutation = rng.choice([p_remove, p_duplicate])
            parts = mutation(parts, rng) or parts
            done.append(mutation.__name__)
    data = pack(parts)
    if rng.random() < 0.45:
        mutation = rng.choice([z_truncate, z_flip_central, z_flip_any, z_wrong_sizes, z_wrong_sizes, z_method])
        data = mutation(data, rng)
        done.append(mutation.__name__)
    return Case(number, suffix, done, data)


def cases(count: int, seed: int):
    """``count`` cases, alternately from the Word and the Excel seed; the same ``seed``, the same cases."""
    seeds = {".docx": SAMPLE_DOCX.read_bytes(), ".xlsx": xlsx_seed()}
    rng = random.Random(seed)
    for number in range(count):
        suffix = ".docx" if number % 2 == 0 else ".xlsx"
        yield make_case(number, suffix, seeds[suffix], rng)


# -- reading a case in a limited child ---------------------------------------------------------


def read_limited(path: Path, *, wall: float = WALL_SECONDS) -> dict:
    """Read ``path`` in a forked child under the memory and CPU limits; how it ended.

    ``outcome`` is "report", "refused" (a ReportError), or a finding:
    "exception" (another exception, with its type), "memory" (MemoryError),
    "signal" (killed: a crash, or SIGXCPU at the CPU limit), "hang".
    """
    from smolgraph.errors import ReportError
    from smolgraph.read import read_report

    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        status = 0
        try:
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
            resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
            start = time.perf_counter()
            try:
                report = read_report(path)
                result = {"outcome": "report", "rows": len(report.rows)}
            except ReportError as error:
                result = {"outcome": "refused", "message": str(error)}
            except MemoryError:
                result = {"outcome": "memory"}
            except BaseException as error:  # the findings
                import traceback

                result = {"outcome": "exception", "type": type(error).__name__, "message": str(error)[:300],
                          "where": traceback.format_exc()[-1200:]}
            result["seconds"] = round(time.perf_counter() - start, 3)
            os.write(writer, json.dumps(result, ensure_ascii=False).encode())
        except BaseException:
            status = 3
        finally:
            os._exit(status)
    os.close(writer)
    chunks, deadline = [], time.monotonic() + wall
    while True:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([reader], [], [], max(left, 0))
        if not ready:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(reader)
            return {"outcome": "hang"}
        chunk = os.read(reader, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(reader)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return {"outcome": "signal", "type": signal.Signals(os.WTERMSIG(status)).name}
    if not chunks:
        return {"outcome": "exception", "type": f"child exit {os.WEXITSTATUS(status)}"}
    return json.loads(b"".join(chunks))


FINDINGS = {"exception", "memory", "signal", "hang"}


def run(count: int, seed: int, folder: Path, *, keep: Path | None = None, progress: bool = False) -> dict:
    """Write and read ``count`` cases in ``folder``; a summary with every finding."""
    tally: collections.Counter = collections.Counter()
    findings: list[dict] = []
    survivors: dict[str, list[Path]] = {"report": [], "refused": []}
    slowest = (0.0, "")
    start = time.perf_counter()
    for case in cases(count, seed):
        path = folder / f"case-{seed}-{case.number:05d}{case.suffix}"
        path.write_bytes(case.data)
        result = read_limited(path)
        tally[(case.suffix, result["outcome"])] += 1
        if result.get("seconds", 0) > slowest[0]:
            slowest = (result["seconds"], path.name)
        if result["outcome"] in FINDINGS:
            findings.append({"case": path.name, "mutations": case.mutations, **result})
            if keep is not None:
                keep.mkdir(parents=True, exist_ok=True)
                (keep / path.name).write_bytes(case.data)
        else:
            survivors[result["outcome"]].append(path)
        if progress and (case.number + 1) % 250 == 0:
            print(f"{case.number + 1} cases, {len(findings)} findings, {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return {
        "cases": count,
        "seed": seed,
        "seconds": round(time.perf_counter() - start, 1),
        "tally": {f"{suffix} {outcome}": n for (suffix, outcome), n in sorted(tally.items())},
        "slowest": slowest,
        "findings": findings,
        "survivors": survivors,
    }


# -- ingesting survivors: a refused file leaves the store as it was --------------------------


def ingest_survivors(survivors: dict[str, list[Path]], sample: int, seed: int) -> dict:
    """Ingest ``sample`` survivors, half refused and half read, one at a time into a temporary store.

    Before each, the store's quads are taken; after a refused file (any
    SmolgraphError) they must be the same. Another exception is a finding.
    """
    from smolgraph.errors import SmolgraphError
    from smolgraph.ingest import ingest
    from smolgraph.store import open_store

    rng = random.Random(seed)
    chosen = rng.sample(survivors["refused"], min(sample // 2, len(survivors["refused"])))
    chosen += rng.sample(survivors["report"], min(sample - len(chosen), len(survivors["report"])))
    tally: collections.Counter = collections.Counter()
    problems = []
    with tempfile.TemporaryDirectory(prefix="smolgraph-fuzz-store-") as folder:
        store = open_store(Path(folder) / "store")
        ingest([SAMPLE_DOCX], store)  # something in it to keep
        for path in chosen:
            before = sorted(map(str, store.quads()))
            try:
                ingest([path], store)
                tally["stored"] += 1
            except SmolgraphError as error:
                after = sorted(map(str, store.quads()))
                tally["refused, store unchanged" if after == before else "refused, STORE CHANGED"] += 1
                if after != before:
                    problems.append({"case": path.name, "message": str(error)})
            except Exception as error:  # a finding: extraction or validation crashed on a readable file
                tally[f"exception {type(error).__name__}"] += 1
                problems.append({"case": path.name, "type": type(error).__name__, "message": str(error)[:300]})
        quads = len(store)
    return {"ingested": len(chosen), "tally": dict(tally), "problems": problems, "quads_at_end": quads}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ingest", type=int, default=20, help="survivors to ingest afterwards (0: none)")
    parser.add_argument("--keep", type=Path, help="folder to save the findings' files in")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", "Duplicate name")  # members written twice on purpose
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory(prefix="smolgraph-fuzz-") as folder:
        summary = run(args.cases, args.seed, Path(folder), keep=args.keep, progress=True)
        survivors = summary.pop("survivors")
        ingested = ingest_survivors(survivors, args.ingest, args.seed) if args.ingest else None
    print(f"# fuzz_readers: {args.cases} cases, seed {args.seed}, {summary['seconds']} s, "
          f"{platform.machine()} {os.cpu_count()} cores (shared), Python {platform.python_version()}")
    print(json.dumps({**summary, "ingest": ingested}, ensure_ascii=False, indent=1))
    failed = summary["findings"] or (ingested and ingested["problems"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
