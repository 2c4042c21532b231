"""Every named question on a SPARQL server beside the embedded store holding the same graph.

    python bench/remote_questions.py http://127.0.0.1:8890/sparql /tmp/smolgraph-bench/g1000000-s1.json \\
        --store /tmp/smolgraph-bench/store1000000-s1 --runs 5

The server must already hold the graph ``bench/run.py`` generated (its
N-Quads file ``gN-s1.nq``, loaded with the server's own bulk loader, see
``bench/README.md``); ``INFO_JSON`` is that graph's description with the
picked region, district, town and organisation. The questions are the
plan of ``bench/run.py`` (every named query, the selective ones with those
picks, a partner's timeline), each asked once to warm up and then
``--runs`` times through :class:`smolgraph.remote.RemoteStore`, so the
figure is what ``smolgraph ask NAME --endpoint URL`` waits for: the
server's answer, its transfer and the rows as rdflib terms. With
``--store`` the embedded store is asked the same questions in the same
rounds (server, then store), and the row counts are compared.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import _query_plan, machine  # noqa: E402

from smolgraph.remote import RemoteStore  # noqa: E402
from smolgraph.store import EmbeddedStore  # noqa: E402


def _median_ms(store, sparql: str, bindings: dict, runs: int, timeout: float | None) -> tuple[float, int]:
    # A time limit on the embedded store runs the query in a child process (~0.4 s to start), so the
    # embedded store is asked without one; the server's limit only bounds the HTTP wait.
    options = {} if timeout is None else {"timeout": timeout}
    rows = len(store.query(sparql, bindings=bindings, **options).rows)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        store.query(sparql, bindings=bindings, **options)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("endpoint")
    parser.add_argument("info", type=Path)
    parser.add_argument("--store", type=Path, help="the embedded store holding the same graph, asked alongside")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", help="comma-separated labels of the questions to ask (default: all)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for the server's answer")
    args = parser.parse_args(argv)
    picks = json.loads(args.info.read_text())["picks"]
    plan = _query_plan(args, picks)
    if args.only:
        wanted = set(args.only.split(","))
        plan = [step for step in plan if step[0] in wanted]
    server = RemoteStore(args.endpoint, timeout=args.timeout)
    store = EmbeddedStore(args.store, read_only=True) if args.store else None
    m = machine()
    print(f"{m['date']}: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB, Python {m['python']}, pyoxigraph {m['pyoxigraph']}; "
          f"--runs {args.runs} (medians); server {args.endpoint} ({server.flavour})")
    print("| question | server | rows | embedded | rows |")
    print("|---|---:|---:|---:|---:|")
    for label, sparql, bindings in plan:
        remote_ms, remote_rows = _median_ms(server, sparql, bindings, args.runs, args.timeout)
        cells = [label, f"{remote_ms:,.0f} ms", f"{remote_rows:,}"]
        if store is not None:
            local_ms, local_rows = _median_ms(store, sparql, bindings, args.runs, None)
            cells += [f"{local_ms:,.0f} ms", f"{local_rows:,}" + ("" if local_rows == remote_rows else " (differs)")]
        else:
            cells += ["–", "–"]
        print("| " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
