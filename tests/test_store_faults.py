"""Damaged stores, folders that are not stores, and store folders smolgraph cannot write (issue 15, item 11).

Every case goes through the command line, as a user meets it: the exit code
is 2, the message names the folder and says what to do, and no traceback is
printed. A folder that is not ours is left byte for byte as it was.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from smolgraph.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "invented-smolensk-2025-q2.txt"
MARKER = "smolgraph-store.json"


def _run(capsys, store: Path | None, *args: str) -> tuple[int, str, str]:
    argv = (["--store", str(store)] if store is not None else []) + list(args)
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _exported(capsys, store: Path, tmp_path: Path) -> bool:
    """Whether ``export`` works on the store and gives the sample report."""
    out = tmp_path / "export.nq"
    code, _, err = _run(capsys, store, "export", "--format", "nquads", "-o", str(out))
    assert code == 0, err
    return "invented-smolensk-2025-q2" in out.read_text(encoding="utf-8")


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to show nothing was written, renamed or removed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _refused(code: int, err: str, folder: Path) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    assert err.startswith("smolgraph: error: ")
    assert str(folder) in err


# -- folders that are not stores ----------------------------------------------------------------


def _foreign_folder(tmp_path: Path) -> Path:
    """A user's folder whose files happen to bear names the engine uses for its own."""
    folder = tmp_path / "my-notes"
    folder.mkdir()
    (folder / "IDENTITY").write_text("my identity card scan, keep\n")
    (folder / "LOG").write_text("2025-03-01 called Vitebsk\n")
    (folder / "000004.log").write_bytes(b"\x00\x01binary log of my own\xff")
    (folder / "notes.txt").write_text("заметки\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", [["ingest", str(SAMPLE)], ["contacts", "Беларусь"], ["export", "-o", "/dev/null"]])
def test_a_folder_of_other_files_is_refused_and_left_as_it_was(tmp_path, capsys, command):
    folder = _foreign_folder(tmp_path)
    before = _snapshot(folder)
    code, out, err = _run(capsys, folder, *command)
    _refused(code, err, folder)
    assert "holds other files" in err and "empty or new folder" in err
    assert _snapshot(folder) == before


def test_a_new_or_empty_folder_becomes_a_store_with_its_marker(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (empty, tmp_path / "new" / "store"):
        code, out, err = _run(capsys, folder, "ingest", str(SAMPLE))
        assert code == 0, err
        marker = json.loads((folder / MARKER).read_text())
        assert marker["store_format"] == 1
        assert _exported(capsys, folder, tmp_path)


def test_a_marker_of_another_format_is_refused_before_the_engine_opens(tmp_path, capsys):
    folder = tmp_path / "store"
    assert _run(capsys, folder, "ingest", str(SAMPLE))[0] == 0
    (folder / MARKER).write_text(json.dumps({"store_format": 99}))
    before = _snapshot(folder)
    for command in (["ingest", str(SAMPLE)], ["export", "-o", "/dev/null"]):
        code, out, err = _run(capsys, folder, *command)
        _refused(code, err, folder)
        assert "store format 99" in err and "new store" in err
    assert _snapshot(folder) == before


# -- stores written before the marker ------------------------------------------------------------


def _store_made_the_old_way(folder: Path) -> None:
    """What a smolgraph without the marker file left: an Oxigraph folder with the format in its meta graph."""
    import pyoxigraph as ox

    raw = ox.Store(str(folder))
    raw.add(ox.Quad(ox.NamedNode("https://w3id.org/smolgraph/id/store"), ox.NamedNode("https://w3id.org/smolgraph/store#storeFormat"),
                    ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                    ox.NamedNode("https://w3id.org/smolgraph/graph/meta")))
    raw.flush()
    del raw


def test_a_store_made_before_the_marker_keeps_working_and_gets_it(tmp_path, capsys):
    folder = tmp_path / "old"
    _store_made_the_old_way(folder)
    assert not (folder / MARKER).exists()
    code, out, err = _run(capsys, folder, "export", "-o", str(tmp_path / "out.nq"))
    assert code == 0, err
    assert not (folder / MARKER).exists()  # a read never writes
    code, out, err = _run(capsys, folder, "ingest", str(SAMPLE))
    assert code == 0, err
    assert json.loads((folder / MARKER).read_text())["store_format"] == 1
    assert _exported(capsys, folder, tmp_path)


def test_a_store_with_data_made_before_the_marker_is_read_and_written(tmp_path, capsys):
    folder = tmp_path / "old"
    assert _run(capsys, folder, "ingest", str(SAMPLE))[0] == 0
    (folder / MARKER).unlink()  # the folder is now as the earlier versions left it
    assert _exported(capsys, folder, tmp_path)
    code, out, err = _run(capsys, folder, "ingest", str(SAMPLE))
    assert code == 0, err
    assert (folder / MARKER).exists()


# -- damaged stores ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def healthy_store(tmp_path_factory) -> Path:
    """A store holding the sample report, compacted so that its data sits in .sst files."""
    import pyoxigraph as ox

    folder = tmp_path_factory.mktemp("healthy") / "store"
    assert main(["--store", str(folder), "ingest", "--quiet", str(SAMPLE)]) == 0
    raw = ox.Store(str(folder))
    raw.flush()
    raw.optimize()
    del raw
    return folder


def _largest_sst(folder: Path) -> Path:
    return max(folder.glob("*.sst"), key=lambda p: p.stat().st_size)


def _truncate(path: Path, size: int | None = None) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 if size is None else size])


def _scribble_over_every_sst(folder: Path) -> None:
    for path in folder.glob("*.sst"):
        data = bytearray(path.read_bytes())
        for offset in range(0, max(len(data) - 2000, 1), 4096):
            data[offset:offset + 16] = b"\xff" * 16
        path.write_bytes(bytes(data))


DAMAGE = {
    "empty CURRENT": lambda d: (d / "CURRENT").write_bytes(b""),
    "CURRENT naming a missing MANIFEST": lambda d: (d / "CURRENT").write_bytes(b"MANIFEST-999999\n"),
    "missing CURRENT": lambda d: (d / "CURRENT").unlink(),
    "truncated MANIFEST": lambda d: _truncate(next(d.glob("MANIFEST-*")), 100),
    "missing MANIFEST": lambda d: next(d.glob("MANIFEST-*")).unlink(),
    "truncated .sst": lambda d: _truncate(_largest_sst(d)),
    "corrupted .sst files": _scribble_over_every_sst,
    "missing .sst": lambda d: _largest_sst(d).unlink(),
}
COMMANDS = {
    "ingest": ["ingest", str(SAMPLE)],
    "contacts": ["contacts", "Беларусь"],
    "export": ["export", "-o", "/dev/null"],
    "validate": ["validate"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_store_is_named_with_what_to_do(healthy_store, tmp_path, capsys, damage, command):
    folder = tmp_path / "store"
    shutil.copytree(healthy_store, folder)
    DAMAGE[damage](folder)
    code, out, err = _run(capsys, folder, *COMMANDS[command])
    _refused(code, err, folder)
    assert "is damaged" in err
    assert "copy" in err and "new store" in err and "export" in err


def test_one_damaged_block_that_ingest_meets_is_reported_in_words(healthy_store, tmp_path, capsys):
    # Reads that never touch the damaged block still work; a write that reads it must not crash.
    folder = tmp_path / "store"
    shutil.copytree(healthy_store, folder)
    path = _largest_sst(folder)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    code, out, err = _run(capsys, folder, "ingest", str(SAMPLE))
    _refused(code, err, folder)
    assert "is damaged" in err


# -- paths and folders smolgraph cannot use ------------------------------------------------------


@pytest.mark.parametrize("command", [["ingest", str(SAMPLE)], ["export", "-o", "/dev/null"]])
def test_a_store_path_that_is_a_file_is_refused(tmp_path, capsys, command):
    path = tmp_path / "store"
    path.write_bytes(b"a file, not a folder\n")
    code, out, err = _run(capsys, path, *command)
    _refused(code, err, path)
    assert "is a file, not a folder" in err
    assert path.read_bytes() == b"a file, not a folder\n"


@pytest.mark.parametrize("command", [["contacts", "Беларусь"], ["export", "-o", "/dev/null"], ["validate"]])
def test_a_read_command_on_a_store_under_a_missing_folder_creates_nothing(tmp_path, capsys, monkeypatch, command):
    store = tmp_path / "nowhere" / "store"
    monkeypatch.setenv("SMOLGRAPH_STORE", str(store))
    code, out, err = _run(capsys, None, *command)
    _refused(code, err, store)
    assert "no store here" in err
    assert not (tmp_path / "nowhere").exists()


@pytest.fixture
def shared_dir():
    """A folder another user can reach (a test's own tmp_path sits under folders only its owner may enter)."""
    folder = Path(tempfile.mkdtemp(prefix="smolgraph-store-faults-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


@contextlib.contextmanager
def _as_an_ordinary_user():
    """Run as a user file permissions apply to: root passes every permission check."""
    if os.geteuid() != 0:
        yield
        return
    try:
        os.setegid(65534)
        os.seteuid(65534)
    except OSError as exc:
        pytest.skip(f"cannot drop root privileges to test permissions: {exc}")
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def test_a_store_folder_without_write_permission_is_named_for_ingest(shared_dir, capsys):
    import smolgraph.ingest  # noqa: F401  (imported while the files can be read by anyone's rules)

    folder = shared_dir / "store"
    assert main(["--store", str(folder), "ingest", "--quiet", str(SAMPLE)]) == 0
    capsys.readouterr()
    for path in [folder, *folder.iterdir()]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    before = _snapshot(folder)
    with _as_an_ordinary_user():
        code, out, err = _run(capsys, folder, "ingest", str(SAMPLE))
    _refused(code, err, folder)
    assert "cannot write" in err and "permission" in err
    assert _snapshot(folder) == before


def test_a_new_store_under_a_folder_without_write_permission_is_named(shared_dir, capsys):
    shared_dir.chmod(0o555)
    folder = shared_dir / "store"
    with _as_an_ordinary_user():
        code, out, err = _run(capsys, folder, "ingest", str(SAMPLE))
    _refused(code, err, folder)
    assert "cannot create the store folder" in err
    assert not folder.exists()


@pytest.mark.parametrize("command", [["contacts", "Беларусь"], ["ingest", str(SAMPLE)]])
def test_a_store_with_unreadable_files_is_named(shared_dir, capsys, command):
    folder = shared_dir / "store"
    assert main(["--store", str(folder), "ingest", "--quiet", str(SAMPLE)]) == 0
    capsys.readouterr()
    next(folder.glob("MANIFEST-*")).chmod(0o000)
    with _as_an_ordinary_user():
        code, out, err = _run(capsys, folder, *command)
    _refused(code, err, folder)
    assert "permission" in err.lower() and "damaged" not in err


@pytest.fixture
def read_only_mount(tmp_path):
    """A store folder bind-mounted read-only over itself: a read-only file system without a device."""
    folder = tmp_path / "store"
    assert main(["--store", str(folder), "ingest", "--quiet", str(SAMPLE)]) == 0
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a read-only file system needs root")
    done = subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a read-only file system here: {done.stderr.strip()}")
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("the bind mount did not become read-only")
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_ingest_into_a_store_on_a_read_only_file_system_is_named(read_only_mount, tmp_path, capsys):
    capsys.readouterr()
    folder = read_only_mount
    code, out, err = _run(capsys, folder, "ingest", str(SAMPLE))
    _refused(code, err, folder)
    assert "read-only file system" in err
    assert _exported(capsys, folder, tmp_path)
