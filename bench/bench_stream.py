"""Streaming listings: time to the first row and to the last, on existing stores (read-only).

    python bench/bench_stream.py                                  # `events` on the 100,000 and 1,000,000-event stores
    python bench/bench_stream.py --runs 5 --full-runs 0           # first rows only (each takes milliseconds)
    python bench/bench_stream.py --stores /tmp/smolgraph-bench/store100000-s1 --queries events,contacts,online-events
    python bench/bench_stream.py --ordered-max 100000             # also the ordered listing, for stores up to that size

For each store and named query, in this process:

* **first row** -- ``stream_named(store, name)`` until the first row (a dict of
  rdflib terms) is in hand, ``--runs`` times, each on a newly opened store;
* **all rows** -- the same stream read to its end, ``--full-runs`` times
  (rows are counted, not kept);
* **CLI, first line** -- ``smolgraph ask NAME --stream --format csv`` started
  as a new process, until its first row is on the pipe (Python start-up and
  imports included); the pipe is then closed, which ends the command;
* **ordered, all rows** -- ``run_named`` (no streaming, the order kept), once,
  only for stores of at most ``--ordered-max`` events.

Stores are opened read-only and never written. The size of a store is read
from ``gN-s1.json`` beside it when there is one (as ``bench/run.py`` leaves
them), else left out. The first of the runs may find the store's files
outside the page cache; each figure is the median, with the range beside it.
Prints a Markdown table with the machine, the date and the runs.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date
from importlib.metadata import version
from pathlib import Path

from smolgraph.ask import run_named, stream_named
from smolgraph.store import EmbeddedStore

BENCH = Path("/tmp/smolgraph-bench")
STORES = [BENCH / "store100000-s1", BENCH / "store1000000-s1"]
#: Parameters of the named queries that need one (the region and surname bench/run.py picks).
PARAMS = {"contacts": {"place": "Витебская область"}, "events-with-person": {"person": "Нобаов"}}


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{cpu}, {os.cpu_count()} cores, {memory:.1f} GB, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, pyoxigraph {version('pyoxigraph')}, rdflib {version('rdflib')}; "
            f"load average at the start {load}")


def events_in(path: Path) -> int | None:
    """The number of events of a store made by bench/run.py, from the JSON it writes beside it."""
    size = path.name.removeprefix("store").split("-")[0]
    meta = path.parent / f"g{size}-{path.name.split('-', 1)[1]}.json" if "-" in path.name else None
    if meta and meta.exists():
        return json.loads(meta.read_text())["events"]
    return None


def first_row(path: Path, name: str) -> tuple[float, float]:
    """Seconds to open the store, and from the call to the first row."""
    started = time.perf_counter()
    store = EmbeddedStore(path, read_only=True)
    opened = time.perf_counter()
    with stream_named(store, name, PARAMS.get(name)) as rows:
        next(rows, None)
        first = time.perf_counter()
    return opened - started, first - opened


def all_rows(path: Path, name: str) -> tuple[float, float, int]:
    """Seconds to the first row and to the last, and the number of rows."""
    store = EmbeddedStore(path, read_only=True)
    started = time.perf_counter()
    first = None
    count = 0
    with stream_named(store, name, PARAMS.get(name)) as rows:
        for _ in rows:
            count += 1
            if first is None:
                first = time.perf_counter() - started
    return first or 0.0, time.perf_counter() - started, count


def cli_first_line(path: Path, name: str) -> float:
    """Seconds from starting ``smolgraph ask NAME --stream`` to its first row on the pipe."""
    script = Path(sys.executable).with_name("smolgraph")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "import sys; from smolgraph.cli import main; sys.exit(main())"]
    command += ["--store", str(path), "ask", name, "--stream", "--format", "csv"]
    for key, value in PARAMS.get(name, {}).items():
        command += ["--param", f"{key}={value}"]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    child.stdout.readline()  # the header
    child.stdout.readline()
    seconds = time.perf_counter() - started
    child.stdout.close()  # the command stops at its next row
    child.wait(timeout=60)
    return seconds


def ordered(path: Path, name: str) -> tuple[float, int]:
    store = EmbeddedStore(path, read_only=True)
    started = time.perf_counter()
    result = run_named(store, name, PARAMS.get(name))
    return time.perf_counter() - started, len(result.rows)


def spread(values: list[float], unit: str = "s") -> str:
    if not values:
        return "–"

    def show(x: float) -> str:
        return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.1f} s"

    middle = show(statistics.median(values))
    return middle if len(values) == 1 else f"{middle} ({show(min(values))}–{show(max(values))})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", default=",".join(map(str, STORES)), help="comma-separated store directories")
    parser.add_argument("--queries", default="events", help="comma-separated named queries (default: events)")
    parser.add_argument("--runs", type=int, default=3, help="runs of the first-row and CLI measures (default 3)")
    parser.add_argument("--full-runs", type=int, default=1, help="runs that read every row (default 1; 0 skips them)")
    parser.add_argument("--ordered-max", type=int, default=0, help="run the ordered listing on stores up to this many events")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)

    header = f"smolgraph streaming benchmark, {date.today().isoformat()}: {machine()}"
    print(header, flush=True)
    rows_out = []
    for store in [Path(s) for s in args.stores.split(",") if s]:
        events = events_in(store)
        for name in [q for q in args.queries.split(",") if q]:
            figure = {"store": str(store), "events": events, "query": name, "runs": args.runs, "full_runs": args.full_runs}
            opens, firsts = [], []
            for _ in range(args.runs):
                opened, first = first_row(store, name)
                opens.append(opened)
                firsts.append(first)
            figure["open"], figure["first_row"] = opens, firsts
            figure["cli_first_line"] = [cli_first_line(store, name) for _ in range(args.runs)]
            lasts, count = [], None
            for _ in range(args.full_runs):
                _first, last, count = all_rows(store, name)
                lasts.append(last)
                print(f"  {store.name} {name}: all {count} rows in {last:.1f} s", file=sys.stderr, flush=True)
            figure["all_rows"], figure["rows"] = lasts, count
            if events is not None and events <= args.ordered_max:
                seconds, count_ordered = ordered(store, name)
                figure["ordered_all_rows"], figure["ordered_rows"] = seconds, count_ordered
            rows_out.append(figure)

    print()
    print(f"runs: first row and CLI x{args.runs}, all rows x{args.full_runs}; medians (min–max)")
    print()
    print("| store | query | first row | all rows (streamed) | rows | CLI: start to first row | ordered, all rows | open |")
    print("|---|---|---|---|---|---|---|---|")
    for f in rows_out:
        size = f"{f['events']:,} events" if f["events"] else Path(f["store"]).name
        ordered_text = f"{f['ordered_all_rows']:.1f} s" if "ordered_all_rows" in f else "not run"
        rows = f"{f['rows']:,}" if f["rows"] is not None else "–"
        print(f"| {size} | {f['query']} | {spread(f['first_row'])} | {spread(f['all_rows'])} | {rows} | "
              f"{spread(f['cli_first_line'])} | {ordered_text} | {spread(f['open'])} |")
    if args.json:
        args.json.write_text(json.dumps({"machine": header, "figures": rows_out}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
