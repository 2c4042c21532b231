"""The command line behaves as command lines do, in English or in Russian (issue 16, conventions and language).

--version; global options before or after the command; ``-o -``; answers on
stdout and everything else on stderr; no progress frames in a log; tables that
fit the terminal with every cut marked; CSV booleans in the reader's language;
CSV for Excel; help and errors in Russian under a Russian locale.
"""
from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from smolgraph.cli import _parser, main
from smolgraph.output import _cell  # the table cell text the CLI prints, now in the output module

COMMAND = [sys.executable, "-c", "import sys; from smolgraph.cli import main; sys.exit(main())"]
SAMPLE_TXT = Path(__file__).resolve().parents[1] / "data" / "samples" / "invented-smolensk-2025-q2.txt"
LOCALE_VARIABLES = ("SMOLGRAPH_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory, real_txt) -> Path:
    """A store holding the real Smolensk report, written once for the module."""
    from smolgraph.ingest import ingest
    from smolgraph.store import open_store

    path = tmp_path_factory.mktemp("conventions") / "store"
    store = open_store(path)
    ingest([real_txt], store)
    store.close()
    return path


def _run(args: list[str], env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*COMMAND, *args], capture_output=True, text=True, timeout=180,
                          env={**os.environ, "SMOLGRAPH_LANG": "en", **(env or {})}, **kwargs)


def _commands() -> list[str]:
    _top, commands = _parser()
    return sorted(commands)


def test_version_comes_from_the_package_metadata(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"smolgraph {version('smolgraph')}\n"


def test_global_options_go_before_or_after_the_command(tmp_path, real_txt, capsys):
    store = str(tmp_path / "store")
    assert main(["ingest", "--store", store, str(real_txt)]) == 0
    assert capsys.readouterr().out.startswith("smolensk-2025-q1: 35 events")
    assert main(["contacts", "Беларусь", "--store", store, "--format", "json"]) == 0
    after = json.loads(capsys.readouterr().out)
    assert main(["--store", store, "--format", "json", "contacts", "Беларусь"]) == 0
    assert json.loads(capsys.readouterr().out) == after and after
    # Given after the command, an option overrides the same option before it.
    assert main(["--format", "csv", "contacts", "Беларусь", "--store", store, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == after


def test_a_format_the_command_does_not_have_is_refused_either_way(capsys):
    for argv in (["--format", "xml", "contacts", "Минск"], ["contacts", "Минск", "--format", "xml"],
                 ["--format", "json", "validate"], ["validate", "--format", "json"]):
        with pytest.raises(SystemExit) as done:
            main(argv)
        assert done.value.code == 2
        assert "--format" in capsys.readouterr().err


def test_every_command_lists_the_global_options_has_help_on_every_option_and_an_example(capsys):
    top, commands = _parser()
    for name, parser in commands.items():
        with pytest.raises(SystemExit):
            main([name, "--help"])
        out = capsys.readouterr().out
        assert all(option in out for option in ("--store", "--quiet", "--verbose")), name
        assert f"smolgraph {name}" in parser.epilog, name
        silent = [a.option_strings or a.dest for a in parser._actions if not a.help]
        assert not silent, f"{name}: options without help: {silent}"
    assert not [a.dest for a in top._actions if not a.help]


def test_dash_o_dash_writes_to_stdout(tmp_path, store_dir):
    done = _run(["--store", str(store_dir), "export", "--format", "nquads", "-o", "-"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "-").exists()
    assert done.stdout.count(" .\n") > 100 and "wrote" in done.stderr and "standard output" in done.stderr
    done = _run(["--store", str(store_dir), "contacts", "Беларусь", "--format", "csv", "-o", "-"], cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("report,") and not (tmp_path / "-").exists()
    written = tmp_path / "belarus.csv"
    done = _run(["--store", str(store_dir), "contacts", "Беларусь", "--format", "csv", "-o", str(written)])
    assert done.returncode == 0 and done.stdout == "" and written.read_text(encoding="utf-8").startswith("report,")


def test_answers_go_to_stdout_and_everything_else_to_stderr(tmp_path, real_txt):
    done = _run(["--store", str(tmp_path / "store"), "ingest", str(real_txt), str(SAMPLE_TXT)])
    assert done.returncode == 0, done.stderr
    # Two summary lines are the answer; the warnings about them are not.
    assert [line.split(":")[0] for line in done.stdout.splitlines()] == ["smolensk-2025-q1", "invented-smolensk-2025-q2"]
    assert "warning:" not in done.stdout
    if not all(line.endswith("warnings 0") for line in done.stdout.splitlines()):
        assert "warning:" in done.stderr
    # Not a terminal: no progress bar, no "\r" frames in a log file.
    assert "\r" not in done.stderr and "[#" not in done.stderr and "/2 " not in done.stderr
    quiet = _run(["--store", str(tmp_path / "store"), "ingest", "--quiet", str(real_txt)])
    assert quiet.returncode == 0 and quiet.stderr == "" and len(quiet.stdout.splitlines()) == 1


def _under_terminal(args: list[str], columns: int) -> str:
    """What the command prints to a pseudo-terminal ``columns`` wide (with no COLUMNS to hint it)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    process = subprocess.Popen([*COMMAND, *args], stdin=slave, stdout=slave, stderr=slave,
                               env={**env, "SMOLGRAPH_LANG": "en"}, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.wait(timeout=180) == 0
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def _columns_of(dashes: str) -> list[tuple[int, int]]:
    """Where each column of a table starts and ends, read from its line of dashes."""
    spans, start = [], None
    for i, char in enumerate(dashes + " "):
        if char == "-" and start is None:
            start = i
        elif char != "-" and start is not None:
            spans.append((start, i))
            start = None
    return spans


def test_a_table_fits_a_100_column_terminal_and_marks_every_cut(store_dir, capsys):
    out = _under_terminal(["--store", str(store_dir), "contacts", "Беларусь"], 100)
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert main(["--store", str(store_dir), "contacts", "Беларусь", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    header, dashes, body = lines[0], lines[1], lines[2:-1]
    assert lines[-1] == f"({len(rows)} rows)" and len(body) == len(rows)
    spans = _columns_of(dashes)
    variables = list(rows[0])
    assert len(spans) == len(variables)
    cuts = 0
    for line, row in zip([header, *body], [dict(zip(variables, variables)), *rows]):
        for (start, end), name in zip(spans, variables):
            shown, full = line[start:end].rstrip(), _cell(row[name])
            if shown != full:
                cuts += 1
                assert shown.endswith("…") and full.startswith(shown[:-1]), (name, shown, full)
    assert cuts > 0  # the real report's Belarus rows are wider than 100 columns


def test_wide_prints_every_cell_whole(store_dir, capsys):
    assert main(["--store", str(store_dir), "contacts", "Беларусь", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert main(["--store", str(store_dir), "contacts", "Беларусь", "--wide"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) > 100
    for line, row in zip(out.splitlines()[2:], rows):
        assert all(_cell(value) in line for value in row.values())


def _csv_online(store_dir, capsys, fmt="csv") -> tuple[str, list[dict]]:
    assert main(["--store", str(store_dir), "ask", "events", "--format", fmt]) == 0
    text = capsys.readouterr().out
    body = text.lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body), delimiter=";" if fmt == "csv-excel" else ","))
    return text, rows


def test_csv_booleans_are_true_false_in_english_and_da_net_in_russian(store_dir, capsys, monkeypatch):
    _text, rows = _csv_online(store_dir, capsys)
    assert {r["online"] for r in rows} == {"true", "false"}
    monkeypatch.setenv("SMOLGRAPH_LANG", "ru")
    _text, rows = _csv_online(store_dir, capsys)
    assert {r["online"] for r in rows} == {"да", "нет"}
    assert main(["--store", str(store_dir), "ask", "events", "--limit", "3"]) == 0
    table = capsys.readouterr().out
    assert ("да" in table or "нет" in table) and "(3 строки)" in table


def test_csv_excel_has_a_byte_order_mark_and_semicolons(store_dir, capsys):
    text, rows = _csv_online(store_dir, capsys, "csv-excel")
    assert text.startswith("\ufeffreport;row;title;")
    assert "\r\n" in text and len(rows) == 35 and {r["online"] for r in rows} == {"true", "false"}


def _russian(monkeypatch, lang: str) -> None:
    for variable in LOCALE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", lang)


def test_every_help_and_an_error_are_in_russian_under_a_russian_locale(monkeypatch, capsys):
    _russian(monkeypatch, "ru_RU.UTF-8")
    for argv in ([], *([name] for name in _commands())):
        with pytest.raises(SystemExit) as done:
            main([*argv, "--help"])
        assert done.value.code == 0
        out = capsys.readouterr().out
        assert "использование:" in out and "параметры:" in out and "примеры:" in out, argv
        for english in ("usage:", "options:", "show this help message", "positional arguments", "examples:"):
            assert english not in out, (argv, english)
    with pytest.raises(SystemExit) as done:
        main(["contacts"])
    err = capsys.readouterr().err
    assert done.value.code == 2 and "ошибка: не указаны обязательные аргументы: PLACE" in err and "usage" not in err
    with pytest.raises(SystemExit):
        main(["contacts", "Минск", "--format", "xml"])
    assert "недопустимое значение: 'xml'" in capsys.readouterr().err
    assert main(["query", "/nonexistent/q.rq"]) == 2
    assert "smolgraph: ошибка: /nonexistent/q.rq: не удаётся прочитать файл запроса" in capsys.readouterr().err


def test_help_and_errors_are_english_under_the_c_locale(monkeypatch, capsys):
    _russian(monkeypatch, "C")
    with pytest.raises(SystemExit):
        main(["ingest", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: smolgraph ingest") and "options:" in out and "examples:" in out
    with pytest.raises(SystemExit):
        main(["contacts"])
    assert "error: the following arguments are required: PLACE" in capsys.readouterr().err


def test_the_question_listing_says_what_each_answers_in_the_readers_language(monkeypatch, capsys):
    assert main(["ask"]) == 0
    english = capsys.readouterr().out
    assert "How many events each sphere of cooperation had" in english and "faster" not in english
    monkeypatch.setenv("SMOLGRAPH_LANG", "ru")
    assert main(["ask"]) == 0
    russian = capsys.readouterr().out
    assert "Число мероприятий по каждой сфере сотрудничества" in russian and "How many" not in russian


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_the_csv_with_cyrillic_and_booleans(store_dir, tmp_path, capsys, monkeypatch):
    openpyxl = pytest.importorskip("openpyxl")
    monkeypatch.setenv("SMOLGRAPH_LANG", "ru")
    excel = tmp_path / "ru.csv"
    assert main(["--store", str(store_dir), "ask", "events", "--format", "csv-excel", "-o", str(excel)]) == 0
    monkeypatch.setenv("SMOLGRAPH_LANG", "en")
    plain = tmp_path / "en.csv"
    assert main(["--store", str(store_dir), "ask", "events", "--format", "csv", "-o", str(plain)]) == 0
    profile = (tmp_path / "profile").as_uri()
    for source, options in ((excel, "59,34,76,1"), (plain, "44,34,76,1")):  # separator, quote, UTF-8, from line 1
        done = subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                               f"--infilter=CSV:{options}", "--convert-to", "xlsx", "--outdir", str(tmp_path),
                               str(source)], capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
    for name, yes_no in (("ru", {"да", "нет"}), ("en", {True, False})):
        sheet = openpyxl.load_workbook(tmp_path / f"{name}.xlsx").active
        table = list(sheet.iter_rows(values_only=True))
        header, rows = table[0], table[1:]
        assert header[:3] == ("report", "row", "title") and len(rows) == 35
        online = header.index("online")
        # "true"/"false" become the spreadsheet's booleans; "да"/"нет" stay words: both keep their meaning.
        assert {r[online] for r in rows} <= yes_no | {"true", "false"} and len({r[online] for r in rows}) == 2
        titles = " ".join(str(r[header.index("title")]) for r in rows)
        assert "Беларусь" in titles or "Республики" in titles
