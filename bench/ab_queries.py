"""Two versions of the named queries on one store, alternating: is the new text faster, and the same?

    python bench/ab_queries.py STORE OLD_QUERIES_DIR [--names events-per-sphere,partners-by-country] [--rounds 3]

The old texts come from another checkout (``git worktree add /tmp/old COMMIT``);
the new ones from this checkout's ``queries/``. Both run in one process on
the same read-only store, old then new, ``--rounds`` times, so a machine
that is slower today than yesterday slows both alike. Prints medians and
whether the rows are equal.
"""
from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

NEW = Path(__file__).resolve().parents[1] / "queries"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("old", type=Path, help="the directory of the old .rq files")
    parser.add_argument("--names", default="events-per-sphere,partners-by-country")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    store = ox.Store.read_only(str(args.store))
    times: dict[tuple[str, str], list[float]] = {}
    rows: dict[tuple[str, str], list] = {}
    for _ in range(args.rounds):
        for name in args.names.split(","):
            for version, folder in (("old", args.old), ("new", NEW)):
                sparql = (folder / f"{name}.rq").read_text(encoding="utf-8")
                started = time.perf_counter()
                answer = sorted(tuple(str(term) for term in row) for row in store.query(sparql, use_default_graph_as_union=True))
                times.setdefault((name, version), []).append(time.perf_counter() - started)
                rows[(name, version)] = answer
    print(f"{platform.node()} {platform.machine()}, Python {platform.python_version()}, pyoxigraph {ox.__version__}; "
          f"{args.store}; {args.rounds} rounds, medians")
    print("| query | old | new | same rows |\n|---|---|---|---|")
    for name in args.names.split(","):
        old, new = (statistics.median(times[(name, v)]) for v in ("old", "new"))
        print(f"| {name} | {old:.2f} s | {new:.2f} s | {'yes' if rows[(name, 'old')] == rows[(name, 'new')] else 'NO'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
