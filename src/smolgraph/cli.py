"""The ``smolgraph`` command: argument parsing only; the library does the work.

Exit codes: 0 success (``validate``: the store conforms), 1 the store does
not conform or a query found an error in the data, 2 bad input or a
failure (unreadable file, unknown place, store busy, endpoint down).
"""
from __future__ import annotations

import argparse
import csv
import errno
import io
import itertools
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import SmolgraphError
from .textout import printable, spreadsheet_cell

__all__ = ["main", "format_rows"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="smolgraph", description="A knowledge graph of a region's international contacts.")
    parser.add_argument("--store", help="store directory (default: $SMOLGRAPH_STORE or ./.smolgraph/store)")
    sub = parser.add_subparsers(dest="command", required=True)

    def layout(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--column",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help="read the column whose header contains HEADER as FIELD (title, venue, dates, content, participants, "
            "sphere, partners, format, responsible, note, participants_local, participants_foreign, number, or other); "
            "may be given several times, e.g. --column \"Тематика=sphere\"",
        )
        p.add_argument("--columns", type=Path, metavar="FILE", help="a file of HEADER = FIELD lines, read as --column each")
        p.add_argument(
            "--period",
            metavar="PERIOD",
            help="the reporting period when the title does not say it (or says it wrong): 2025-Q1, 2025-H1, 2025-9M, "
            "2025, 2025-03 or 2025-01-01..2025-03-31",
        )

    p = sub.add_parser("ingest", help="read, extract, validate and store report files (.docx, .xlsx or .txt)")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--quiet", action="store_true", help="print only the summary lines")
    layout(p)
    p.add_argument(
        "--keep-good-rows",
        action="store_true",
        help="store the rows that can be read and list the others (default: one bad row rejects the report)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes that prepare the files (default: one per core from 4 files on; starting one takes about a second)",
    )

    def output(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=["table", "json", "csv"], default="table")
        p.add_argument("--endpoint", help="query a remote SPARQL endpoint instead of the embedded store")
        p.add_argument("--timeout", type=float, help="give up on the query after this many seconds")

    def rows(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--stream",
            action="store_true",
            help="print each row as the store produces it, in store order: the query's final ORDER BY is dropped "
            "(a LIMIT in it then keeps the first rows produced). csv prints a line per row as it comes, json one "
            "object per line (JSON Lines), table fixes its column widths from the header and the first "
            f"{_TABLE_SAMPLE} rows and cuts longer cells with '…'. The listings events, contacts and online-events "
            "stream in their queries/NAME.stream.rq form (the same rows; names joined in a cell may come in another "
            "order); a query that groups its whole answer "
            "(GROUP BY, COUNT … at the top) is refused. Stop it with Ctrl-C, --limit or a closed pipe; "
            "see docs/streaming.md",
        )
        p.add_argument(
            "--limit",
            type=_row_count,
            metavar="N",
            help="print at most N rows: with --stream the query stops after them, without it they are the first N "
            "in the query's order",
        )

    p = sub.add_parser("inspect", help="show how a report file is read (period, columns, sections, first rows) without storing it")
    p.add_argument("file", type=Path)
    layout(p)
    p.add_argument("--rows", type=_row_count, default=5, metavar="N", help="show the first N rows' fields (default 5)")
    p.add_argument("--format", choices=["table", "json"], default="table")

    p = sub.add_parser("contacts", help="all events with a partner in or under a place")
    p.add_argument("place")
    p.add_argument("--reporting-region", metavar="NAME",
                   help="only events reported by this region (\"Смоленская область\", in any form)")
    output(p)
    rows(p)

    p = sub.add_parser("ask", help="run a named query of queries/")
    p.add_argument("name", nargs="?", help="the query's name; leave out to list them")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    output(p)
    rows(p)

    p = sub.add_parser("query", help="run any SPARQL query from a file")
    p.add_argument("file", type=Path)
    p.add_argument(
        "--allow-service",
        action="store_true",
        help="let the query call other SPARQL endpoints (SERVICE); without it such a query is refused, so that a "
        "query file from elsewhere cannot reach the network unnoticed",
    )
    output(p)
    rows(p)

    p = sub.add_parser("validate", help="check the whole store against the SHACL shapes")
    p.add_argument(
        "--engine",
        choices=["shifty", "pyshacl"],
        default=None,
        help="SHACL engine: shifty (fast, the default) or pyshacl (the reference; both give the same violations)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes that check batches of 100 reports side by side (default: one per core; one batch is checked here)",
    )

    p = sub.add_parser("export", help="write the store in an RDF serialisation")
    p.add_argument("--format", default="trig", choices=["turtle", "trig", "nquads", "ntriples", "jsonld", "xml"])
    p.add_argument("-o", "--output", type=Path, required=True)
    what = p.add_mutually_exclusive_group()
    what.add_argument("--ontology", action="store_true", help="write the ontology instead of the data")
    what.add_argument("--shapes", action="store_true", help="write the SHACL shapes instead of the data")

    p = sub.add_parser("push", help="write the store's named graphs to a SPARQL server (credentials: SMOLGRAPH_ENDPOINT_USER/_PASSWORD)")
    p.add_argument("--endpoint", required=True, help="the server's SPARQL query endpoint")
    p.add_argument("--update", help="its SPARQL Update endpoint (found for Oxigraph and Virtuoso)")
    p.add_argument("--gsp", help="its Graph Store Protocol endpoint (found for Oxigraph and Virtuoso; without one, SPARQL Update is used)")
    p.add_argument("--graph", action="append", default=[], metavar="IRI", help="push only this graph (repeatable)")
    p.add_argument("--quiet", action="store_true", help="print only the summary line")

    p = sub.add_parser("serve", help="serve the store as a read-only SPARQL endpoint on 127.0.0.1")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--timeout", type=float, default=30.0, help="stop a query after this many seconds (default 30)")
    p.add_argument("--max-rows", type=int, default=100_000, metavar="N",
                   help="refuse answers of more than N rows or triples (default 100000)")
    p.add_argument("--allow-origin", metavar="ORIGIN",
                   help="let web pages of this origin (https://app.example, or *) read the answers; none by default")

    p = sub.add_parser("describe", help="print the VoID/DCAT description of the store")
    p.add_argument("--format", default="turtle", choices=["turtle", "trig", "nquads", "ntriples", "jsonld", "xml"])
    p.add_argument("-o", "--output", type=Path, help="write it to this file instead of printing it")
    p.add_argument("--endpoint", help="describe a remote SPARQL endpoint's store instead")

    p = sub.add_parser("demo", help="the main job on the shipped sample: ingest, validate, ask, write the network page")
    p.add_argument("--out", type=Path, default=Path("out"), help="folder for the results (default: out/)")

    p = sub.add_parser("network", help="rank partners by centrality; write the network page and exports for network tools")
    p.add_argument("--projection", choices=["partners", "coparticipation", "bipartite", "people"], default="partners")
    p.add_argument("--level", choices=["organisation", "place", "region", "country"],
                   help="what a partner node stands for (default: region for partners, organisation otherwise)")
    p.add_argument("--top", type=int, default=20, help="rows to print (0: all)")
    p.add_argument("--sort", help="the measure to rank by (default: events for partners, pagerank otherwise)")
    p.add_argument("--period", help="2025, 2025-Q1, 2025-03, 2025-03-14 or FROM..TO")
    p.add_argument("--sphere", action="append", help="keep events whose sphere contains this (repeatable)")
    p.add_argument("--country", action="append", help="keep events with this partner country, ISO code or name (repeatable)")
    p.add_argument("--online", action="store_true", help="online events only")
    p.add_argument("--offline", action="store_true", help="offline events only")
    p.add_argument("--html", type=Path, help="write the interactive page (one offline HTML file)")
    p.add_argument("--size-by", help="the measure that sizes nodes on the page")
    p.add_argument("--color-by", choices=["kind", "country", "community"], default="kind")
    p.add_argument("--max-nodes", type=int, default=2000, help="above this the page shows the most central nodes only")
    p.add_argument("--gexf", type=Path, help="write GEXF for Gephi (with start/end dates for its timeline)")
    p.add_argument("--graphml", type=Path, help="write GraphML")
    p.add_argument("--csv", type=Path, metavar="DIR", help="write DIR/nodes.csv and DIR/edges.csv")
    p.add_argument("--no-cache", action="store_true",
                   help="read the events from the store even when what was read last time is still current "
                        "(kept in $SMOLGRAPH_CACHE, default ~/.cache/smolgraph, until the store changes)")
    output(p)
    return parser


#: Errors of writing an output that are the disk's, not the program's.
_WRITE_FAILURES = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program stands so that it unwinds as after Ctrl-C."""


def _terminate(signum, frame) -> None:
    raise _Terminated


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    import signal
    import threading

    # A service manager or `kill` stops a command with SIGTERM: undo a half-done ingest and stop
    # the worker processes as Ctrl-C does, instead of dying and leaving them blocked on the pipes.
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return _COMMANDS[args.command](args)
    except SmolgraphError as exc:
        print(f"smolgraph: error: {exc}", file=sys.stderr)
        from .errors import ValidationError

        return 1 if isinstance(exc, ValidationError) and args.command == "validate" else 2
    except _Terminated:
        return 143  # 128 + SIGTERM, as a shell reports a process it stopped
    except OSError as exc:
        if exc.errno not in _WRITE_FAILURES:
            raise
        # A full disk (`ask > /dev/full`, `network --html /dev/full`): say so; do not try stdout again at exit.
        where = exc.filename or "the output"
        print(f"smolgraph: error: cannot write {where}: {exc.strerror}; free some space or write elsewhere.", file=sys.stderr)
        _reader_gone()
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, previous)


def _open(args, *, read_only: bool):
    from .store import open_store

    if getattr(args, "endpoint", None):
        from .remote import RemoteStore

        return RemoteStore.from_env(args.endpoint)
    return open_store(args.store, read_only=read_only)


def _cmd_ingest(args) -> int:
    from .ingest import ingest

    store = _open(args, read_only=False)
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1) if len(args.files) >= 4 else 1
    columns, period = _layout_options(args)
    results = ingest(
        args.files,
        store,
        keep_good_rows=args.keep_good_rows,
        progress=_progress if len(args.files) > 1 else None,
        workers=max(1, workers),
        columns=columns,
        period=period,
    )
    for result in results:
        print(result.summary())
        for error in result.skipped:
            print(f"smolgraph: row left out: {error}", file=sys.stderr)
        if not args.quiet:
            for warning in result.warnings:
                print(f"  warning: {warning}")
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
            raise ReportError(f"--column: {exc}.") from None
        columns[header] = name
    try:
        period = parse_period_option(args.period) if args.period else None
    except ValueError as exc:
        raise ReportError(f"--period: {exc}.") from None
    return columns or None, period


def _cmd_inspect(args) -> int:
    import shutil

    from .inspection import format_inspection, inspect_report

    columns, period = _layout_options(args)
    seen = inspect_report(args.file, columns=columns, period=period, rows=args.rows)
    print(format_inspection(seen, args.format, width=shutil.get_terminal_size((100, 24)).columns), end="")
    return 0


def _progress(number: int, total: int, path: str) -> None:
    # Called as file ``number`` starts: the bar shows the files finished before it.
    _bar(number - 1, number, total, Path(path).name[:40])


def _validation_progress(done: int, total: int) -> None:
    from .validate import REPORTS_PER_BATCH

    if total > REPORTS_PER_BATCH:  # a store of one batch is checked at once
        _bar(done, done, total, "report graphs checked")


def _bar(finished: int, number: int, total: int, text: str) -> None:
    width = 30
    filled = int(width * finished / total)
    end = "\n" if number == total else ""
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {number}/{total} {text:<40}", end=end, file=sys.stderr, flush=True)


def _print(result, fmt: str) -> None:
    from .ask import rows_as_python

    try:
        if result.boolean is not None:
            print("true" if result.boolean else "false")
        elif result.graph is not None:
            print(result.graph.serialize(format="turtle"))
        else:
            print(format_rows(rows_as_python(result), result.variables, fmt), end="", flush=True)
    except BrokenPipeError:
        _reader_gone()


#: Rows a streamed table reads before it fixes its column widths.
_TABLE_SAMPLE = 20


def _print_stream(rows, fmt: str) -> None:
    """Print each row of a RowStream as it comes, flushed at once.

    A closed pipe (``| head``) ends the output quietly; Ctrl-C goes up to
    ``main``. Either way the stream is closed, which stops the query.
    """
    from .ask import row_as_python

    variables = rows.variables
    with rows:
        plain = (row_as_python(row, variables) for row in rows)
        try:
            if fmt == "csv":
                writer = csv.DictWriter(sys.stdout, fieldnames=variables, lineterminator="\n")
                writer.writeheader()
                sys.stdout.flush()
                for row in plain:
                    writer.writerow(_csv_row(row))
                    sys.stdout.flush()
            elif fmt == "json":
                for row in plain:
                    print(json.dumps(row, ensure_ascii=False), flush=True)
            else:
                _stream_table(plain, variables)
        except BrokenPipeError:
            _reader_gone()


def _stream_table(plain, variables: list[str]) -> None:
    # The widths must be known before the first line; a few rows show what the columns hold.
    first = [[_cell(row.get(v)) for v in variables] for row in itertools.islice(plain, _TABLE_SAMPLE)]
    if not first:
        print("(no results)", flush=True)
        return
    widths = _column_widths(variables, first)
    print("\n".join(_table_head(variables, widths)), flush=True)
    count = 0
    for cells in itertools.chain(first, ([_cell(row.get(v)) for v in variables] for row in plain)):
        print("  ".join(_fit(c, w) for c, w in zip(cells, widths)).rstrip(), flush=True)
        count += 1
    print(f"({count} rows)", flush=True)


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: max(0, width - 1)] + "…"


def _reader_gone() -> None:
    """The reader of stdout has gone (``| head``): send the rest nowhere.

    Without this, Python's own flush of stdout at exit fails again and
    prints an error after the command has finished.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _row_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"a number of rows, 0 or more, not '{text}'")
    return value


def _no_timeout(args) -> None:
    from .errors import QueryError

    if args.timeout is not None:
        raise QueryError("--timeout does not go with --stream: a stream prints each row as it comes; stop it with Ctrl-C or --limit.")


def format_rows(rows: list[dict], variables: list[str], fmt: str) -> str:
    """Rows as a table a person reads, a JSON array of objects, or CSV.

    >>> print(format_rows([{"row": 3, "title": "Визит"}], ["row", "title"], "json"), end="")
    [
      {
        "row": 3,
        "title": "Визит"
      }
    ]
    """
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=variables, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(_csv_row(row))
        return buffer.getvalue()
    if not rows:
        return "(no results)\n"
    shown = [[_cell(row.get(v)) for v in variables] for row in rows]
    widths = _column_widths(variables, shown)
    lines = _table_head(variables, widths)
    for r in shown:
        lines.append("  ".join(c[:w].ljust(w) for c, w in zip(r, widths)).rstrip())
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines) + "\n"


def _column_widths(variables: list[str], shown: list[list[str]]) -> list[int]:
    """Each column as wide as its header or widest cell in ``shown``, 60 characters at most."""
    return [min(60, max(len(v), *(len(r[i]) for r in shown))) for i, v in enumerate(variables)]


def _table_head(variables: list[str], widths: list[int]) -> list[str]:
    return ["  ".join(v.ljust(w) for v, w in zip(variables, widths)), "  ".join("-" * w for w in widths)]


def _csv_row(row: dict) -> dict:
    # A cell starting with "=" or "@" would run as a formula in Excel (SMOLGRAPH_CSV_FORMULAS=keep to write it as stored).
    return {k: "" if v is None else spreadsheet_cell(v) for k, v in row.items()}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return printable(str(value).replace("\n", " "))


def _cmd_contacts(args) -> int:
    from .ask import run_named, stream_named

    store = _open(args, read_only=True)
    params = {"place": args.place}
    if args.reporting_region:
        params["reported_by"] = args.reporting_region
    if args.stream:
        _no_timeout(args)
        _print_stream(stream_named(store, "contacts", params, limit=args.limit), args.format)
        return 0
    _print(run_named(store, "contacts", params, timeout=args.timeout, limit=args.limit), args.format)
    return 0


def _parse_params(pairs: list[str]) -> dict[str, str]:
    from .errors import QueryError

    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise QueryError(f"--param takes KEY=VALUE, not '{pair}'.")
        key, value = pair.split("=", 1)
        out[key.strip()] = value
    return out


def _cmd_ask(args) -> int:
    from .ask import load_queries, run_named, stream_named

    if not args.name:
        for query in load_queries().values():
            params = " ".join(f"[--param {p.name}=…]" if p.optional else f"--param {p.name}=…" for p in query.params)
            print(f"{query.name} {params}\n    {query.description}")
        return 0
    store = _open(args, read_only=True)
    params = _parse_params(args.param)
    if args.stream:
        _no_timeout(args)
        _print_stream(stream_named(store, args.name, params, limit=args.limit), args.format)
        return 0
    _print(run_named(store, args.name, params, timeout=args.timeout, limit=args.limit), args.format)
    return 0


def _cmd_query(args) -> int:
    from .ask import run_query, stream_query
    from .errors import QueryError

    try:
        sparql = args.file.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"{args.file}: cannot read the query file: {exc.strerror}.") from None
    if args.stream:
        _no_timeout(args)
    if not args.allow_service:
        from .serve import federated

        if federated(sparql):
            raise QueryError(f"{args.file}: the query calls another endpoint (SERVICE); run it with --allow-service "
                             "if it should reach the network.")
    store = _open(args, read_only=True)
    try:
        if args.stream:
            rows = stream_query(store, sparql, limit=args.limit)
        else:
            result = run_query(store, sparql, timeout=args.timeout, limit=args.limit)
    except QueryError as exc:
        raise QueryError(f"{args.file}: {exc}") from None
    if args.stream:
        _print_stream(rows, args.format)
    else:
        _print(result, args.format)
    return 0


def _cmd_validate(args) -> int:
    from .store import open_store
    from .validate import validate_store

    store = open_store(args.store, read_only=True)
    workers = args.workers if args.workers is not None else os.cpu_count() or 1
    report = validate_store(store, engine=args.engine, workers=max(1, workers), progress=_validation_progress)
    print(report.text)
    print(f"checked with {report.engine} in {report.seconds:.1f} s")
    return 0 if report.conforms else 1


def _cmd_export(args) -> int:
    from .export import export_store, export_vocabulary
    from .store import open_store

    if args.ontology or args.shapes:
        which = "ontology" if args.ontology else "shapes"
        count = export_vocabulary(args.output, format=args.format, which=which)
        print(f"wrote {count} triples of the {which} to {args.output} ({args.format})")
        return 0
    count = export_store(open_store(args.store, read_only=True), args.output, format=args.format)
    print(f"wrote {count} quads to {args.output} ({args.format})")
    return 0


def _cmd_push(args) -> int:
    from .push import push_store
    from .remote import RemoteStore
    from .store import open_store

    remote = RemoteStore.from_env(args.endpoint, update=args.update, gsp=args.gsp)
    store = open_store(args.store, read_only=True)
    show = None if args.quiet else (lambda r: print(r.summary(), flush=True))
    import time

    started = time.perf_counter()
    results = push_store(store, remote, graphs=args.graph or None, progress=show)
    total = sum(r.triples for r in results)
    seconds = time.perf_counter() - started
    print(f"pushed {len(results)} graphs, {total} triples in {seconds:.1f} s to {remote.query_url} ({remote.server}, {results[0].method if results else '-'})")
    return 0


def _cmd_serve(args) -> int:
    from .serve import serve
    from .store import open_store

    serve(open_store(args.store, read_only=True), port=args.port, timeout=args.timeout, max_rows=args.max_rows,
          allow_origin=args.allow_origin)
    return 0


def _cmd_describe(args) -> int:
    from .describe import current_description

    store = _open(args, read_only=True)
    graph = current_description(store)
    if args.format in ("trig", "nquads", "jsonld"):
        from rdflib import Dataset

        from .build import bind_prefixes

        target = bind_prefixes(Dataset())
        target.graph(graph.identifier).__iadd__(graph)
    else:
        from .build import bind_prefixes

        target = bind_prefixes(graph)
    from .export import prefixes

    for prefix, ns in prefixes().items():
        target.bind(prefix, ns, override=True)
    fmt = {"ntriples": "nt", "jsonld": "json-ld"}.get(args.format, args.format)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        target.serialize(destination=str(args.output), format=fmt, encoding="utf-8")
        print(f"wrote the description ({len(graph)} triples) to {args.output}")
    else:
        print(target.serialize(format=fmt))
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
        print(f"{analysis.title}; {analysis.graph.graph['filter']}; {analysis.events} events; ranked by {analysis.sort}")
    print(format_rows(analysis.top(args.top or None), analysis.columns, args.format), end="")
    notes = list(analysis.notes)
    if args.html:
        page = write_page(analysis, args.html, size_by=args.size_by, color_by=args.color_by, max_nodes=args.max_nodes)
        notes += [n for n in page.notes if n not in notes]
        print(f"wrote {args.html}: {page.nodes} nodes, {page.edges} edges", file=sys.stderr)
    for path, write in ((args.gexf, write_gexf), (args.graphml, write_graphml), (args.csv, write_csv)):
        if path:
            write(analysis.graph, path)
            print(f"wrote {path}", file=sys.stderr)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
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
    "describe": _cmd_describe,
    "demo": _cmd_demo,
    "network": _cmd_network,
}
