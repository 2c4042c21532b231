"""The ``smolgraph`` command: argument parsing only; the library does the work.

Exit codes: 0 success (``validate``: the store conforms), 1 the store does
not conform or a query found an error in the data, 2 bad input or a
failure (unreadable file, unknown place, store busy, endpoint down).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import SmolgraphError

__all__ = ["main", "format_rows"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="smolgraph", description="A knowledge graph of a region's international contacts.")
    parser.add_argument("--store", help="store directory (default: $SMOLGRAPH_STORE or ./.smolgraph/store)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="read, extract, validate and store report files (.docx or .txt)")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--quiet", action="store_true", help="print only the summary lines")

    def output(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=["table", "json", "csv"], default="table")
        p.add_argument("--endpoint", help="query a remote SPARQL endpoint instead of the embedded store")
        p.add_argument("--timeout", type=float, help="give up on the query after this many seconds")

    p = sub.add_parser("contacts", help="all events with a partner in or under a place")
    p.add_argument("place")
    output(p)

    p = sub.add_parser("ask", help="run a named query of queries/")
    p.add_argument("name", nargs="?", help="the query's name; leave out to list them")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    output(p)

    p = sub.add_parser("query", help="run any SPARQL query from a file")
    p.add_argument("file", type=Path)
    output(p)

    sub.add_parser("validate", help="check the whole store against the SHACL shapes")

    p = sub.add_parser("export", help="write the store in an RDF serialisation")
    p.add_argument("--format", default="trig", choices=["turtle", "trig", "nquads", "ntriples", "jsonld", "xml"])
    p.add_argument("-o", "--output", type=Path, required=True)

    p = sub.add_parser("demo", help="the main job on the shipped sample: ingest, validate, ask, write the network page")
    p.add_argument("--out", type=Path, default=Path("out"), help="folder for the results (default: out/)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except SmolgraphError as exc:
        print(f"smolgraph: error: {exc}", file=sys.stderr)
        from .errors import ValidationError

        return 1 if isinstance(exc, ValidationError) and args.command == "validate" else 2
    except KeyboardInterrupt:
        return 130


def _open(args, *, read_only: bool):
    from .store import open_store

    if getattr(args, "endpoint", None):
        from .remote import RemoteStore

        return RemoteStore.from_env(args.endpoint)
    return open_store(args.store, read_only=read_only)


def _cmd_ingest(args) -> int:
    from .ingest import ingest

    store = _open(args, read_only=False)
    results = ingest(args.files, store)
    for result in results:
        print(result.summary())
        if not args.quiet:
            for warning in result.warnings:
                print(f"  warning: {warning}")
    return 0


def _print(result, fmt: str) -> None:
    from .ask import rows_as_python

    if result.boolean is not None:
        print("true" if result.boolean else "false")
        return
    if result.graph is not None:
        print(result.graph.serialize(format="turtle"))
        return
    print(format_rows(rows_as_python(result), result.variables, fmt), end="")


def format_rows(rows: list[dict], variables: list[str], fmt: str) -> str:
    """Rows as a table a person reads, a JSON array of objects, or CSV.

    >>> print(format_rows([{"row": 3, "title": "Визит"}], ["row", "title"], "json"))
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
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
        return buffer.getvalue()
    if not rows:
        return "(no results)\n"
    shown = [[_cell(row.get(v)) for v in variables] for row in rows]
    widths = [min(60, max(len(v), *(len(r[i]) for r in shown))) for i, v in enumerate(variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths)), "  ".join("-" * w for w in widths)]
    for r in shown:
        lines.append("  ".join(c[:w].ljust(w) for c, w in zip(r, widths)).rstrip())
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines) + "\n"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("\n", " ")


def _cmd_contacts(args) -> int:
    from .ask import run_named

    store = _open(args, read_only=True)
    _print(run_named(store, "contacts", {"place": args.place}, timeout=args.timeout), args.format)
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
    from .ask import load_queries, run_named

    if not args.name:
        for query in load_queries().values():
            params = " ".join(f"--param {p.name}=…" for p in query.params)
            print(f"{query.name} {params}\n    {query.description}")
        return 0
    store = _open(args, read_only=True)
    _print(run_named(store, args.name, _parse_params(args.param), timeout=args.timeout), args.format)
    return 0


def _cmd_query(args) -> int:
    from .ask import run_query
    from .errors import QueryError

    try:
        sparql = args.file.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"{args.file}: cannot read the query file: {exc.strerror}.") from None
    store = _open(args, read_only=True)
    _print(run_query(store, sparql, timeout=args.timeout), args.format)
    return 0


def _cmd_validate(args) -> int:
    from .store import open_store
    from .validate import validate_store

    report = validate_store(open_store(args.store, read_only=True))
    print(report.text)
    return 0 if report.conforms else 1


def _cmd_export(args) -> int:
    from .export import export_store
    from .store import open_store

    count = export_store(open_store(args.store, read_only=True), args.output, format=args.format)
    print(f"wrote {count} quads to {args.output} ({args.format})")
    return 0


def _cmd_demo(args) -> int:
    from .demo import run_demo

    return run_demo(args.out, store_path=args.store)


_COMMANDS = {
    "ingest": _cmd_ingest,
    "contacts": _cmd_contacts,
    "ask": _cmd_ask,
    "query": _cmd_query,
    "validate": _cmd_validate,
    "export": _cmd_export,
    "demo": _cmd_demo,
}
