# PYTHON_ARGCOMPLETE_OK  (argcomplete reads this mark to know the command completes itself)
"""The ``smolgraph`` command: argument parsing only; the library does the work.

Exit codes: 0 success (``validate``: the store conforms), 1 the store does
not conform or a query found an error in the data, 2 bad input or a
failure (unreadable file, unknown place, store busy, endpoint down).

Conventions: what a command answers goes to stdout (tables, CSV, JSON,
the ingest summary); warnings, notes and progress go to stderr, and the
progress bar only to a terminal. ``--store``, ``--format``, ``--quiet``
and ``--verbose`` are accepted before or after the command. Every text
is in the reader's language (:mod:`smolgraph.i18n`), argparse's own
words included.
"""
from __future__ import annotations

import argparse
import contextlib
import errno
import io
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from .errors import SmolgraphError
from .i18n import _, ngettext
from .output import FORMATS as ROW_FORMATS, TABLE_SAMPLE, format_rows, terminal_width, write_stream, yes_no

__all__ = ["main", "format_rows"]


@contextlib.contextmanager
def _argparse_speaks_ours() -> Iterator[None]:
    """Let argparse's own words ("usage:", "options:", its errors) come from smolgraph's catalog.

    argparse looks its words up through its module-level ``_`` and
    ``ngettext`` each time it builds a parser, prints help or reports an
    error, in the "messages" domain of the system's catalogs, which has no
    Russian for them on most machines and ignores ``SMOLGRAPH_LANG``.
    They are swapped only while smolgraph parses, so another program that
    imports this module keeps its argparse as it was.
    """
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _, ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def _argparse_messages() -> None:  # pragma: no cover - never called
    """argparse's messages that a smolgraph user can meet, marked so that the catalog must translate them.

    Never called: the extraction in ``tests/test_i18n.py`` reads the marks,
    and argparse asks for the words itself (see :func:`_argparse_speaks_ours`).
    """
    _("usage: ")
    _("positional arguments")
    _("options")
    _("show this help message and exit")
    _("argument %(argument_name)s: %(message)s")
    _("unrecognized arguments: %s")
    _("the following arguments are required: %s")
    _("one of the arguments %s is required")
    _("not allowed with argument %s")
    _("expected one argument")
    _("expected at most one argument")
    _("expected at least one argument")
    ngettext("expected %s argument", "expected %s arguments", 2)
    _("ambiguous option: %(option)s could match %(matches)s")
    _("invalid %(type)s value: %(value)r")
    _("invalid choice: %(value)r (choose from %(choices)s)")
    _("ignored explicit argument %r")
    _("%(prog)s: error: %(message)s\n")


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Examples in the epilog keep their lines; help texts are still wrapped to the terminal."""


#: Output formats of the commands that have them: (choices, default). Table-like answers first.
_ROW_FORMATS = list(ROW_FORMATS)
_RDF_FORMATS = ["turtle", "trig", "nquads", "ntriples", "jsonld", "xml"]
_FORMATS: dict[str, tuple[list[str], str]] = {
    "inspect": (["table", "json"], "table"),
    "contacts": (_ROW_FORMATS, "table"),
    "ask": (_ROW_FORMATS, "table"),
    "query": (_ROW_FORMATS, "table"),
    "network": (_ROW_FORMATS, "table"),
    "export": (_RDF_FORMATS, "trig"),
    "describe": (_RDF_FORMATS, "turtle"),
}


class _Version(argparse.Action):
    """``--version``: the installed package's version, looked up only when asked (it costs a metadata scan)."""

    def __init__(self, option_strings, dest, help=None):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("smolgraph")
        except PackageNotFoundError:  # run from a checkout that was never installed
            number = "0+unknown"
        print(f"smolgraph {number}")  # the answer: stdout, as argparse's own version action does
        parser.exit(0)


class _PrintCompletion(argparse.Action):
    """``--print-completion SHELL``: the script a shell sources to complete smolgraph's commands and options."""

    def __call__(self, parser, namespace, values, option_string=None):
        try:
            import argcomplete
        except ImportError:
            parser.error(_("shell completion needs argcomplete: pip install 'smolgraph[completion]'"))
        sys.stdout.write(argcomplete.shellcode(["smolgraph"], shell=values))
        parser.exit(0)


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """``--store``, ``--quiet`` and ``--verbose``, before the command (``top``) or after it.

    After the command they default to SUPPRESS: an option left out there
    must not overwrite the value given before the command.
    """
    group = parser.add_argument_group(_("global options (before or after the command)"))
    unset = None if top else argparse.SUPPRESS
    group.add_argument("--store", metavar="DIR", default=unset,
                       help=_("store directory (default: $SMOLGRAPH_STORE or ./.smolgraph/store)"))
    group.add_argument("-q", "--quiet", action="store_true", default=False if top else argparse.SUPPRESS,
                       help=_("print only the results and errors: no warnings, notes or progress"))
    group.add_argument("-v", "--verbose", action="store_true", default=False if top else argparse.SUPPRESS,
                       help=_("also say on stderr how long the command took"))
    if top:
        group.add_argument("--format", metavar="FORMAT", default=None,
                           help=_("output format; each command lists the formats it has (smolgraph COMMAND --help)"))


def _examples(*commands: str) -> str:
    return _("examples:") + "\n" + "\n".join(f"  {c}" for c in commands)


def _parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(
        prog="smolgraph",
        description=_("A knowledge graph of a region's international contacts."),
        epilog=_examples('smolgraph ingest report.docx', 'smolgraph contacts "Витебская область"',
                         "smolgraph ask", "smolgraph COMMAND --help"),
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action=_Version, help=_("print the version of smolgraph and exit"))
    parser.add_argument("--print-completion", action=_PrintCompletion, choices=["bash", "zsh", "fish", "tcsh"],
                        metavar="SHELL", help=_("print the shell completion script for SHELL (bash, zsh, fish or "
                                                "tcsh) and exit; needs the completion extra"))
    _global_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title=_("commands"),
                                help=_("what to do; smolgraph COMMAND --help tells more"))
    commands: dict[str, argparse.ArgumentParser] = {}

    def command(name: str, summary: str, examples: list[str], description: str | None = None) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=summary, description=description or summary, epilog=_examples(*examples),
                           formatter_class=_Formatter)
        _global_options(p, top=False)
        if name in _FORMATS:
            choices, default = _FORMATS[name]
            p.add_argument("--format", choices=choices, default=argparse.SUPPRESS,
                           help=_("output format (default: {default})").format(default=default)
                           + (_("; csv-excel is CSV for Excel: a byte-order mark, ';' between cells, decimal "
                                "commas") if "csv-excel" in choices else ""))
        else:
            # Hidden, so that `ingest --format json` gets the same answer as `--format json ingest`.
            p.add_argument("--format", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        commands[name] = p
        return p

    def layout(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--column",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help=_("read the column whose header contains HEADER as FIELD (title, venue, dates, content, participants, "
                   "sphere, partners, format, responsible, note, participants_local, participants_foreign, number, or "
                   "other); may be given several times, e.g. --column \"Тематика=sphere\""),
        )
        p.add_argument("--columns", type=Path, metavar="FILE",
                       help=_("a file of HEADER = FIELD lines, read as --column each"))
        p.add_argument(
            "--period",
            metavar="PERIOD",
            help=_("the reporting period when the title does not say it (or says it wrong): 2025-Q1, 2025-H1, "
                   "2025-9M, 2025, 2025-03 or 2025-01-01..2025-03-31"),
        )

    def wide(p: argparse.ArgumentParser) -> None:
        p.add_argument("--wide", action="store_true",
                       help=_("print tables whole, however wide; by default they fit the terminal and cut cells "
                              "are marked with '…'"))

    p = command("ingest", _("read, extract, validate and store report files (.docx, .xlsx or .txt)"),
                ["smolgraph ingest report.docx other-report.txt",
                 'smolgraph ingest odd.docx --column "Тематика=sphere" --period 2025-H1',
                 "smolgraph ingest --store DIR --keep-good-rows report.docx"])
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help=_("report files to store"))
    layout(p)
    p.add_argument(
        "--keep-good-rows",
        action="store_true",
        help=_("store the rows that can be read and list the others (default: one bad row rejects the report)"),
    )
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help=_("processes that prepare the files (default: one per core from 4 files on; starting one takes about "
               "a second)"),
    )

    def output(p: argparse.ArgumentParser) -> None:
        p.add_argument("--endpoint", metavar="URL",
                       help=_("query a remote SPARQL endpoint instead of the embedded store"))
        p.add_argument("--timeout", type=float, metavar="SECONDS",
                       help=_("give up on the query after this many seconds"))
        wide(p)

    def rows(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--stream",
            action="store_true",
            help=_("print each row as the store produces it, in store order: the query's final ORDER BY is dropped "
                   "(a LIMIT in it then keeps the first rows produced). csv prints a line per row as it comes, json "
                   "one object per line (JSON Lines), table fixes its column widths from the header and the first "
                   "{sample} rows and cuts longer cells with '…'. The listings events, contacts and online-events "
                   "stream in their queries/NAME.stream.rq form (the same rows; names joined in a cell may come in "
                   "another order); a query that groups its whole answer (GROUP BY, COUNT … at the top) is refused. "
                   "Stop it with Ctrl-C, --limit or a closed pipe; see docs/streaming.md").format(sample=TABLE_SAMPLE),
        )
        p.add_argument(
            "--limit",
            type=_row_count,
            metavar="N",
            help=_("print at most N rows: with --stream the query stops after them, without it they are the first N "
                   "in the query's order"),
        )

    p = command("inspect", _("show how a report file is read (period, columns, sections, first rows) without storing it"),
                ["smolgraph inspect report.xlsx", "smolgraph inspect report.docx --rows 1 --format json"])
    p.add_argument("file", type=Path, metavar="FILE", help=_("the report file to read"))
    layout(p)
    p.add_argument("--rows", type=_row_count, default=5, metavar="N",
                   help=_("show the first N rows' fields (default 5)"))
    wide(p)

    p = command("contacts", _("all events with a partner in or under a place"),
                ['smolgraph contacts "Витебская область"', 'smolgraph contacts Беларусь --format csv-excel -o belarus.csv',
                 'smolgraph contacts BY-VI --reporting-region "Смоленская область" --format json'])
    p.add_argument("place", metavar="PLACE",
                   help=_("a country, region, district or city in any case or form, or its ISO code"))
    p.add_argument("--reporting-region", metavar="NAME",
                   help=_("only events reported by this region (\"Смоленская область\", in any form)"))
    _output_file(p)
    output(p)
    rows(p)

    p = command("ask", _("run a named question of queries/, or list them"),
                ["smolgraph ask", "smolgraph ask events-with-person --param person=Стрельцовым --format csv",
                 "smolgraph ask events --stream --format csv | head"])
    p.add_argument("name", nargs="?", metavar="NAME", help=_("the question's name; leave out to list them"))
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help=_("a parameter of the question (repeatable); the listing names each question's parameters"))
    _output_file(p)
    output(p)
    rows(p)

    p = command("query", _("run any SPARQL query from a file"),
                ["smolgraph query my-question.rq", "smolgraph query big.rq --stream --format csv -o big.csv"])
    p.add_argument("file", type=Path, metavar="FILE", help=_("a file holding a SPARQL query"))
    p.add_argument(
        "--allow-service",
        action="store_true",
        help=_("let the query call other SPARQL endpoints (SERVICE); without it such a query is refused, so that a "
               "query file from elsewhere cannot reach the network unnoticed"),
    )
    _output_file(p)
    output(p)
    rows(p)

    p = command("validate", _("check the whole store against the SHACL shapes"),
                ["smolgraph validate", "smolgraph validate --engine pyshacl --workers 2"])
    p.add_argument(
        "--engine",
        choices=["shifty", "pyshacl"],
        default=None,
        help=_("SHACL engine: shifty (fast, the default) or pyshacl (the reference; both give the same violations)"),
    )
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help=_("processes that check batches of 100 reports side by side (default: one per core; one batch is "
               "checked here)"),
    )

    p = command("export", _("write the store in an RDF serialisation"),
                ["smolgraph export --format trig -o graph.trig", "smolgraph export --ontology --format turtle -o -"])
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help=_("the file to write; - writes to standard output"))
    what = p.add_mutually_exclusive_group()
    what.add_argument("--ontology", action="store_true", help=_("write the ontology instead of the data"))
    what.add_argument("--shapes", action="store_true", help=_("write the SHACL shapes instead of the data"))

    p = command("push", _("write the store's named graphs to a SPARQL server (credentials: "
                          "SMOLGRAPH_ENDPOINT_USER/_PASSWORD)"),
                ["smolgraph push --endpoint http://localhost:7878/query",
                 "smolgraph push --endpoint http://localhost:8890/sparql --graph IRI --quiet"])
    p.add_argument("--endpoint", required=True, metavar="URL", help=_("the server's SPARQL query endpoint"))
    p.add_argument("--update", metavar="URL", help=_("its SPARQL Update endpoint (found for Oxigraph and Virtuoso)"))
    p.add_argument("--gsp", metavar="URL", help=_("its Graph Store Protocol endpoint (found for Oxigraph and "
                                                  "Virtuoso; without one, SPARQL Update is used)"))
    p.add_argument("--graph", action="append", default=[], metavar="IRI", help=_("push only this graph (repeatable)"))

    p = command("serve", _("serve the store as a read-only SPARQL endpoint on 127.0.0.1"),
                ["smolgraph serve --port 8000", "smolgraph serve --allow-origin https://app.example --timeout 10"])
    p.add_argument("--port", type=int, default=8000, metavar="PORT", help=_("port to listen on (default 8000)"))
    p.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                   help=_("stop a query after this many seconds (default 30)"))
    p.add_argument("--max-rows", type=int, default=100_000, metavar="N",
                   help=_("refuse answers of more than N rows or triples (default 100000)"))
    p.add_argument("--allow-origin", metavar="ORIGIN",
                   help=_("let web pages of this origin (https://app.example, or *) read the answers; none by default"))

    p = command("app", _("open the analyst's workbench: a local web app over the store, in the reader's language"),
                ["smolgraph app", "smolgraph app --store my-store --port 8080 --no-browser"])
    p.add_argument("--host", default="127.0.0.1", metavar="ADDRESS",
                   help=_("address to listen on (default 127.0.0.1; another needs the printed token for uploads)"))
    p.add_argument("--port", type=int, default=8000, metavar="PORT", help=_("port to listen on (default 8000)"))
    p.add_argument("--no-browser", action="store_true", help=_("do not open the browser"))

    p = command("describe", _("print the VoID/DCAT description of the store"),
                ["smolgraph describe", "smolgraph describe --format jsonld -o void.jsonld"])
    _output_file(p, help=_("write it to this file instead of printing it (- is standard output)"))
    p.add_argument("--endpoint", metavar="URL", help=_("describe a remote SPARQL endpoint's store instead"))

    command("upgrade", _("bring a store written by smolgraph 0.x to the current ontology: every report is derived "
                         "again from the row texts the store keeps"),
            ["smolgraph upgrade", "smolgraph upgrade --store DIR"])

    p = command("demo", _("the main job on the shipped sample: ingest, validate, ask, write the network page"),
                ["smolgraph demo --out out"])
    p.add_argument("--out", type=Path, default=Path("out"), metavar="DIR",
                   help=_("folder for the results (default: out/)"))

    p = command("network", _("rank partners by centrality; write the network page and exports for network tools"),
                ["smolgraph network --level region --top 20",
                 "smolgraph network --projection people --html people.html --period 2025-Q1"])
    p.add_argument("--projection", choices=["partners", "coparticipation", "bipartite", "people"], default="partners",
                   help=_("what the nodes and links are (default: partners)"))
    p.add_argument("--level", choices=["organisation", "place", "region", "country"],
                   help=_("what a partner node stands for (default: region for partners, organisation otherwise)"))
    p.add_argument("--top", type=int, default=20, metavar="N", help=_("rows to print (0: all)"))
    p.add_argument("--sort", metavar="MEASURE",
                   help=_("the measure to rank by (default: events for partners, pagerank otherwise)"))
    p.add_argument("--period", metavar="PERIOD", help=_("2025, 2025-Q1, 2025-03, 2025-03-14 or FROM..TO"))
    p.add_argument("--sphere", action="append", metavar="TEXT",
                   help=_("keep events whose sphere contains this (repeatable)"))
    p.add_argument("--country", action="append", metavar="COUNTRY",
                   help=_("keep events with this partner country, ISO code or name (repeatable)"))
    p.add_argument("--online", action="store_true", help=_("online events only"))
    p.add_argument("--offline", action="store_true", help=_("offline events only"))
    p.add_argument("--html", type=Path, metavar="FILE", help=_("write the interactive page (one offline HTML file)"))
    p.add_argument("--size-by", metavar="MEASURE", help=_("the measure that sizes nodes on the page"))
    p.add_argument("--color-by", choices=["kind", "country", "community"], default="kind",
                   help=_("what colours the nodes on the page (default: kind)"))
    p.add_argument("--max-nodes", type=int, default=2000, metavar="N",
                   help=_("above this the page shows the most central nodes only"))
    p.add_argument("--gexf", type=Path, metavar="FILE",
                   help=_("write GEXF for Gephi (with start/end dates for its timeline)"))
    p.add_argument("--graphml", type=Path, metavar="FILE", help=_("write GraphML"))
    p.add_argument("--csv", type=Path, metavar="DIR", help=_("write DIR/nodes.csv and DIR/edges.csv"))
    p.add_argument("--no-cache", action="store_true",
                   help=_("read the events from the store even when what was read last time is still current "
                          "(kept in $SMOLGRAPH_CACHE, default ~/.cache/smolgraph, until the store changes)"))
    output(p)
    return parser, commands


def _output_file(p: argparse.ArgumentParser, help: str | None = None) -> None:
    p.add_argument("-o", "--output", metavar="FILE",
                   help=help or _("write the answer to this file instead of standard output (- is standard output)"))


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments, with the command's own default and choices of ``--format`` applied.

    ``--format`` before the command cannot know the command's formats, so
    it is checked here, with the command's parser reporting a wrong one.
    """
    parser, commands = _parser()
    if "_ARGCOMPLETE" in os.environ:  # only while the shell completes: no import cost on a normal run
        try:
            import argcomplete
        except ImportError:
            pass
        else:
            argcomplete.autocomplete(parser)
    args = parser.parse_args(argv)
    choices, default = _FORMATS.get(args.command, (None, None))
    if args.format is None:
        args.format = default
    elif choices is None:
        commands[args.command].error(_("this command has no --format option"))
    elif args.format not in choices:
        message = _("invalid choice: %(value)r (choose from %(choices)s)") % {
            "value": args.format, "choices": ", ".join(map(repr, choices))}
        commands[args.command].error(_("argument %(argument_name)s: %(message)s") % {
            "argument_name": "--format", "message": message})
    return args


#: Errors of writing an output that are the disk's, not the program's.
_WRITE_FAILURES = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program stands so that it unwinds as after Ctrl-C."""


def _terminate(signum, frame) -> None:
    raise _Terminated


def _error(message) -> None:
    sys.stderr.write(_("%(prog)s: error: %(message)s\n") % {"prog": "smolgraph", "message": message})


def main(argv: Sequence[str] | None = None) -> int:
    with _argparse_speaks_ours():
        args = _parse(argv)
    import signal
    import threading

    # A service manager or `kill` stops a command with SIGTERM: undo a half-done ingest and stop
    # the worker processes as Ctrl-C does, instead of dying and leaving them blocked on the pipes.
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    started = time.perf_counter()
    try:
        return _COMMANDS[args.command](args)
    except SmolgraphError as exc:
        _error(exc)
        from .errors import ValidationError

        return 1 if isinstance(exc, ValidationError) and args.command == "validate" else 2
    except _Terminated:
        return 143  # 128 + SIGTERM, as a shell reports a process it stopped
    except OSError as exc:
        if exc.errno not in _WRITE_FAILURES:
            raise
        # A full disk (`ask > /dev/full`, `network --html /dev/full`): say so; do not try stdout again at exit.
        where = exc.filename or _("the output")
        _error(_("cannot write {where}: {reason}; free some space or write elsewhere.").format(
            where=where, reason=exc.strerror))
        _reader_gone()
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        if args.verbose:
            print(_("smolgraph {command}: {seconds:.2f} s").format(command=args.command,
                                                                  seconds=time.perf_counter() - started),
                  file=sys.stderr)
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, previous)


def _open(args, *, read_only: bool):
    from .store import open_store

    if getattr(args, "endpoint", None):
        from .remote import RemoteStore

        return RemoteStore.from_env(args.endpoint)
    return open_store(args.store, read_only=read_only)


def _note(args, text: str) -> None:
    """A message that is not the answer: stderr, and nothing with --quiet."""
    if not args.quiet:
        print(text, file=sys.stderr)


def _cmd_ingest(args) -> int:
    from .ingest import ingest

    store = _open(args, read_only=False)
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1) if len(args.files) >= 4 else 1
    columns, period = _layout_options(args)
    results = ingest(
        args.files,
        store,
        keep_good_rows=args.keep_good_rows,
        progress=_progress if len(args.files) > 1 and _shows_progress(args) else None,
        workers=max(1, workers),
        columns=columns,
        period=period,
    )
    for result in results:
        # The summary is what ingest answers (stdout); the rows left out and warnings are messages about it.
        print(result.summary(), flush=True)
        for error in result.skipped:
            print(_("smolgraph: row left out: {error}").format(error=error), file=sys.stderr)
        for warning in result.warnings:
            _note(args, _("  warning: {warning}").format(warning=warning))
    return 0


def _layout_options(args):
    """The column mapping and the period of --column, --columns and --period."""
    from .errors import ReportError
    from .read.columns import parse_column_option, read_column_file
    from .read.period import parse_period_option

    columns: dict[str, str] = read_column_file(args.columns) if args.columns else {}
    for option in args.column:
        try:
            header, name = parse_column_option(option)
        except ValueError as exc:
            raise ReportError(_("--column: {reason}.").format(reason=exc)) from None
        columns[header] = name
    try:
        period = parse_period_option(args.period) if args.period else None
    except ValueError as exc:
        raise ReportError(_("--period: {reason}.").format(reason=exc)) from None
    return columns or None, period


def _cmd_inspect(args) -> int:
    from .inspection import format_inspection, inspect_report

    columns, period = _layout_options(args)
    seen = inspect_report(args.file, columns=columns, period=period, rows=args.rows)
    print(format_inspection(seen, args.format, width=None if args.wide else terminal_width()), end="")
    return 0


def _shows_progress(args) -> bool:
    # A bar is redrawn with "\r": in a log file or a pipe it would pile up as one long line of frames.
    return not args.quiet and sys.stderr.isatty()


def _progress(number: int, total: int, path: str) -> None:
    # Called as file ``number`` starts: the bar shows the files finished before it.
    _bar(number - 1, number, total, Path(path).name[:40])


def _validation_progress(done: int, total: int) -> None:
    from .validate import REPORTS_PER_BATCH

    if total > REPORTS_PER_BATCH:  # a store of one batch is checked at once
        _bar(done, done, total, _("report graphs checked"))


def _bar(finished: int, number: int, total: int, text: str) -> None:
    width = 30
    filled = int(width * finished / total)
    end = "\n" if number == total else ""
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {number}/{total} {text:<40}", end=end, file=sys.stderr, flush=True)


@contextlib.contextmanager
def _answer_to(args) -> Iterator[None]:
    """Send what is printed to stdout into ``-o FILE`` when one is given (``-o -`` is stdout itself).

    The file is written as UTF-8 whatever the locale, as the CSV and JSON
    readers expect.
    """
    target = getattr(args, "output", None)
    if target in (None, "-"):
        yield
        return
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle, contextlib.redirect_stdout(handle):
        yield


def _print(result, fmt: str, width: int | None) -> None:
    from .ask import rows_as_python

    try:
        if result.boolean is not None:
            print(json.dumps(result.boolean) if fmt == "json" else yes_no(result.boolean, csv=fmt != "table"))
        elif result.graph is not None:
            print(result.graph.serialize(format="turtle"))
        else:
            print(format_rows(rows_as_python(result), result.variables, fmt, width=width), end="", flush=True)
    except BrokenPipeError:
        _reader_gone()


def _print_stream(rows, fmt: str, width: int | None) -> None:
    """Print each row of a RowStream as it comes (:func:`smolgraph.output.write_stream`).

    A closed pipe (``| head``) ends the output quietly; Ctrl-C goes up to
    ``main``. Either way the stream is closed, which stops the query.
    """
    try:
        write_stream(rows, fmt, sys.stdout, width=width)
    except BrokenPipeError:
        _reader_gone()


def _reader_gone() -> None:
    """The reader of stdout has gone (``| head``): send the rest nowhere.

    Without this, Python's own flush of stdout at exit fails again and
    prints an error after the command has finished.
    """
    try:
        fileno = sys.stdout.fileno()
    except (AttributeError, io.UnsupportedOperation, ValueError):
        return  # stdout is a file of -o, or captured: there is no descriptor to redirect
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


def _row_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(_("a number of rows, 0 or more, not '{text}'").format(text=text))
    return value


def _no_timeout(args) -> None:
    from .errors import QueryError

    if args.timeout is not None:
        raise QueryError(_("--timeout does not go with --stream: a stream prints each row as it comes; stop it with "
                           "Ctrl-C or --limit."))


def _cmd_contacts(args) -> int:
    from .ask import run_named, stream_named

    store = _open(args, read_only=True)
    params = {"place": args.place}
    if args.reporting_region:
        params["reported_by"] = args.reporting_region
    width = None if args.wide else terminal_width()
    if args.stream:
        _no_timeout(args)
        with _answer_to(args):
            _print_stream(stream_named(store, "contacts", params, limit=args.limit), args.format, width)
        return 0
    result = run_named(store, "contacts", params, timeout=args.timeout, limit=args.limit)
    with _answer_to(args):
        _print(result, args.format, width)
    return 0


def _parse_params(pairs: list[str]) -> dict[str, str]:
    from .errors import QueryError

    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise QueryError(_("--param takes KEY=VALUE, not '{pair}'.").format(pair=pair))
        key, value = pair.split("=", 1)
        out[key.strip()] = value
    return out


def _list_questions() -> None:
    """Each named question: how to call it, what it answers, and its parameters, in the reader's language."""
    from .ask import load_queries

    import textwrap

    width = max(40, terminal_width())
    for query in load_queries().values():
        params = " ".join(f"[--param {p.name}=…]" if p.optional else f"--param {p.name}=…" for p in query.params)
        print(f"{query.name} {params}".rstrip())
        if query.description:
            print(textwrap.fill(_(query.description), width, initial_indent="    ", subsequent_indent="    "))
        for param in query.params:
            if param.description:
                print(textwrap.fill(f"{param.name}: {_(param.description)}", width, initial_indent="      ",
                                    subsequent_indent="        "))


def _cmd_ask(args) -> int:
    from .ask import run_named, stream_named

    if not args.name:
        with _answer_to(args):
            _list_questions()
        return 0
    store = _open(args, read_only=True)
    params = _parse_params(args.param)
    width = None if args.wide else terminal_width()
    if args.stream:
        _no_timeout(args)
        with _answer_to(args):
            _print_stream(stream_named(store, args.name, params, limit=args.limit), args.format, width)
        return 0
    result = run_named(store, args.name, params, timeout=args.timeout, limit=args.limit)
    with _answer_to(args):
        _print(result, args.format, width)
    return 0


def _cmd_query(args) -> int:
    from .ask import run_query, stream_query
    from .errors import QueryError

    try:
        sparql = args.file.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(_("{file}: cannot read the query file: {reason}.").format(file=args.file,
                                                                                   reason=exc.strerror)) from None
    if args.stream:
        _no_timeout(args)
    if not args.allow_service:
        from .serve import federated

        if federated(sparql):
            raise QueryError(_("{file}: the query calls another endpoint (SERVICE); run it with --allow-service "
                               "if it should reach the network.").format(file=args.file))
    store = _open(args, read_only=True)
    try:
        if args.stream:
            rows = stream_query(store, sparql, limit=args.limit)
        else:
            result = run_query(store, sparql, timeout=args.timeout, limit=args.limit)
    except QueryError as exc:
        raise QueryError(f"{args.file}: {exc}") from None
    width = None if args.wide else terminal_width()
    with _answer_to(args):
        if args.stream:
            _print_stream(rows, args.format, width)
        else:
            _print(result, args.format, width)
    return 0


def _cmd_validate(args) -> int:
    from .store import open_store
    from .validate import validate_store

    store = open_store(args.store, read_only=True)
    workers = args.workers if args.workers is not None else os.cpu_count() or 1
    progress = _validation_progress if _shows_progress(args) else None
    report = validate_store(store, engine=args.engine, workers=max(1, workers), progress=progress)
    print(report.text)
    _note(args, _("checked with {engine} in {seconds:.1f} s").format(engine=report.engine, seconds=report.seconds))
    return 0 if report.conforms else 1


@contextlib.contextmanager
def _file_or_stdout(output: str) -> Iterator[Path]:
    """A path to write to: ``output`` itself, or for ``-`` a temporary file copied to stdout after.

    The writers of export take a path; a temporary file lets them write
    ``-o -`` without each learning about streams.
    """
    if output != "-":
        yield Path(output)
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="smolgraph-") as folder:
        path = Path(folder) / "out"
        yield path
        sys.stdout.flush()
        with open(path, "rb") as written:
            shutil.copyfileobj(written, sys.stdout.buffer)
        sys.stdout.buffer.flush()


def _cmd_export(args) -> int:
    from .export import export_store, export_vocabulary
    from .store import open_store

    where = _("standard output") if args.output == "-" else args.output
    with _file_or_stdout(args.output) as path:
        if args.ontology:
            count = export_vocabulary(path, format=args.format, which="ontology")
            message = _("wrote {count} triples of the ontology to {path} ({format})")
        elif args.shapes:
            count = export_vocabulary(path, format=args.format, which="shapes")
            message = _("wrote {count} triples of the shapes to {path} ({format})")
        else:
            count = export_store(open_store(args.store, read_only=True), path, format=args.format)
            message = _("wrote {count} quads to {path} ({format})")
    _note(args, message.format(count=count, path=where, format=args.format))
    return 0


def _cmd_push(args) -> int:
    from .push import push_store
    from .remote import RemoteStore
    from .store import open_store

    remote = RemoteStore.from_env(args.endpoint, update=args.update, gsp=args.gsp)
    store = open_store(args.store, read_only=True)
    show = None if args.quiet else (lambda r: print(r.summary(), file=sys.stderr, flush=True))
    started = time.perf_counter()
    results = push_store(store, remote, graphs=args.graph or None, progress=show)
    total = sum(r.triples for r in results)
    seconds = time.perf_counter() - started
    print(_("pushed {graphs} graphs, {triples} triples in {seconds:.1f} s to {url} ({server}, {method})").format(
        graphs=len(results), triples=total, seconds=seconds, url=remote.query_url, server=remote.server,
        method=results[0].method if results else "-"))
    return 0


def _cmd_serve(args) -> int:
    from .serve import serve
    from .store import open_store

    serve(open_store(args.store, read_only=True), port=args.port, timeout=args.timeout, max_rows=args.max_rows,
          allow_origin=args.allow_origin)
    return 0


def _cmd_app(args) -> int:
    from .app.server import run_app
    from .store import open_store

    run_app(open_store(args.store), host=args.host, port=args.port, open_browser=not args.no_browser)
    return 0


def _cmd_describe(args) -> int:
    from .describe import current_description
    from .export import description_document

    store = _open(args, read_only=True)
    graph = current_description(store)
    target, fmt = description_document(graph, args.format)
    if args.output and args.output != "-":
        path = Path(args.output)
        path.parent.mkdir(parents=True, exist_ok=True)
        target.serialize(destination=str(path), format=fmt, encoding="utf-8")
        _note(args, _("wrote the description ({count} triples) to {path}").format(count=len(graph), path=path))
    else:
        print(target.serialize(format=fmt))
    return 0


def _cmd_upgrade(args) -> int:
    from .store import default_store_path
    from .upgrade import upgrade_store

    path = args.store or default_store_path()
    result = upgrade_store(path)
    print(_("{path}: {reports} reports derived again ({events} events); {moved} bookkeeping statements renamed").format(
        path=path, reports=len(result.reports), events=result.events, moved=result.moved))
    return 0


def _cmd_demo(args) -> int:
    from .demo import run_demo

    return run_demo(args.out, store_path=args.store)


def _cmd_network(args) -> int:
    from .network import analyse, default_cache_dir, load_events, write_csv, write_gexf, write_graphml, write_page

    online = True if args.online and not args.offline else False if args.offline and not args.online else None
    data = load_events(_open(args, read_only=True), timeout=args.timeout, people=args.projection == "people",
                       cache_dir=None if args.no_cache else default_cache_dir())
    analysis = analyse(data, args.projection, args.level, sort=args.sort, period=args.period, sphere=args.sphere,
                       country=args.country, online=online)
    if args.format == "table":
        # The caption belongs to the table: what was counted and how it is ranked.
        print(_("{title}; {filter}; {events} events; ranked by {sort}").format(
            title=analysis.title, filter=analysis.graph.graph["filter"], events=analysis.events, sort=analysis.sort))
    print(format_rows(analysis.top(args.top or None), analysis.columns, args.format,
                      width=None if args.wide else terminal_width()), end="")
    notes = list(analysis.notes)
    if args.html:
        page = write_page(analysis, args.html, size_by=args.size_by, color_by=args.color_by, max_nodes=args.max_nodes)
        notes += [n for n in page.notes if n not in notes]
        _note(args, _("wrote {path}: {nodes} nodes, {edges} edges").format(path=args.html, nodes=page.nodes,
                                                                           edges=page.edges))
    for path, write in ((args.gexf, write_gexf), (args.graphml, write_graphml), (args.csv, write_csv)):
        if path:
            write(analysis.graph, path)
            _note(args, _("wrote {path}").format(path=path))
    for note in notes:
        _note(args, _("note: {note}").format(note=note))
    return 0


_COMMANDS = {
    "ingest": _cmd_ingest,
    "inspect": _cmd_inspect,
    "contacts": _cmd_contacts,
    "ask": _cmd_ask,
    "query": _cmd_query,
    "validate": _cmd_validate,
    "export": _cmd_export,
    "push": _cmd_push,
    "serve": _cmd_serve,
    "app": _cmd_app,
    "describe": _cmd_describe,
    "upgrade": _cmd_upgrade,
    "demo": _cmd_demo,
    "network": _cmd_network,
}
