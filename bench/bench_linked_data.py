"""Export and push throughput on a large store (default 100,000 events).

    python bench/bench_linked_data.py [--events N] [--runs N] [--push-runs N] [--update-events N]
                                       [--oxigraph URL] [--virtuoso URL] [--keep DIR]

The store is the shipped sample report ingested once and copied under new
report ids until it holds N events (22 events and ~1,160 triples per report
graph, plus the gazetteer and ontology graphs), on disk like a user's store.

* export: every format, each run in a fresh process; time, size, quads/s and
  the process's peak RSS (which should not grow with the store);
* describe: the VoID/DCAT description (what ingest regenerates each time);
* push: to the Oxigraph server and to Virtuoso (URLs from the options or
  SMOLGRAPH_TEST_OXIGRAPH / SMOLGRAPH_TEST_VIRTUOSO, as .ci/start-servers.sh
  runs them) with the Graph Store Protocol, first into an empty server and
  then again (replacing every graph); and with SPARQL Update (no GSP) for the
  first --update-events events only, because it is much slower.

Prints a table per part (median and min–max of the runs) and a JSON line.
At 100,000 events a push run takes minutes, so pushes have their own
--push-runs (default 1).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "invented-smolensk-2025-q2.docx"
SAMPLE_ID = "invented-smolensk-2025-q2"
FORMATS = ["nquads", "trig", "jsonld", "ntriples", "turtle", "xml"]

# Peak memory from /proc (VmHWM): ru_maxrss would carry over the parent's peak across fork and exec.
_EXPORT_CHILD = r"""
import json, sys, time
def status():
    out = {}
    for line in open("/proc/self/status"):
        key, _, value = line.partition(":")
        if key in ("VmHWM", "RssAnon", "RssFile"):
            out[key] = int(value.split()[0]) / 1024
    return out
from smolgraph.export import export_store
from smolgraph.store import EmbeddedStore
store = EmbeddedStore(sys.argv[1], read_only=True)
before = status()
start = time.perf_counter()
count = export_store(store, sys.argv[2], format=sys.argv[3])
seconds = time.perf_counter() - start
after = status()
print(json.dumps({"quads": count, "seconds": seconds, "peak_mb": after["VmHWM"], "anon_mb": after["RssAnon"],
                  "file_mb": after["RssFile"], "start_mb": before["VmHWM"]}))
"""


def build_store(directory: Path, events: int) -> dict:
    """Ingest the sample, then copy its report graph until the store has ``events`` events."""
    import pyoxigraph as ox

    from smolgraph.ingest import ingest
    from smolgraph.store import EmbeddedStore
    from smolgraph.vocab import GRAPH

    store = EmbeddedStore(directory)
    [result] = ingest([SAMPLE], store)
    per_report = len(result.events)
    template = store._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(GRAPH[f"report/{SAMPLE_ID}"]))).decode()
    copies = math.ceil(events / per_report) - 1
    batch: list[str] = []
    for i in range(copies):
        report_id = f"bench-{i:05d}"
        graph = f"<{GRAPH}report/{report_id}>"
        text = template.replace(SAMPLE_ID, report_id)
        # N-Triples line "<s> <p> <o> ." becomes the N-Quads line "<s> <p> <o> <g> ."
        batch.extend(line[: line.rindex(" .")] + f" {graph} .\n" for line in text.splitlines() if line)
        if len(batch) > 500_000 or i == copies - 1:
            store.bulk_load("".join(batch).encode())
            batch = []
    _add_description(store)
    info = {"events": per_report * (copies + 1), "reports": copies + 1, "quads": _count(store), "graphs": len(store.graphs())}
    del store
    return info


def _count(store) -> int:
    """Data quads, counted by the engine (len(store) would decode every term)."""
    from smolgraph.vocab import META_GRAPH

    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{META_GRAPH}>) }}").rows
    return int(rows[0]["n"])


def _add_description(store) -> None:
    """Write the VoID graph, as ingest does after every run."""
    from smolgraph.describe import VOID_GRAPH, describe_store

    if str(VOID_GRAPH) not in store.graphs():
        store.replace_graph(describe_store(store))


def _stats(values: list[float]) -> str:
    return f"{statistics.median(values):8.2f} ({min(values):.2f}–{max(values):.2f})"


def bench_export(store_dir: Path, out_dir: Path, runs: int, formats: list[str] = FORMATS) -> list[dict]:
    rows = []
    for fmt in formats:
        times, peaks = [], []
        path = out_dir / f"export.{fmt}"
        for _ in range(runs):
            done = subprocess.run([sys.executable, "-c", _EXPORT_CHILD, str(store_dir), str(path), fmt], capture_output=True, text=True, check=True)
            data = json.loads(done.stdout.strip().splitlines()[-1])
            times.append(data["seconds"])
            peaks.append(data)
        size = path.stat().st_size / 1e6
        worst = max(peaks, key=lambda d: d["peak_mb"])
        rows.append({"format": fmt, "quads": data["quads"], "seconds": times, "quads_per_s": data["quads"] / statistics.median(times),
                     "size_mb": size, "memory": worst})
        print(f"  {fmt:9s} {_stats(times)} s  {data['quads'] / statistics.median(times):>10,.0f} quads/s  {size:8.1f} MB  "
              f"peak RSS {worst['peak_mb']:5.0f} MB (at start {worst['start_mb']:.0f}; at end anon {worst['anon_mb']:.0f}, "
              f"file-backed {worst['file_mb']:.0f})", flush=True)
        path.unlink()
    return rows


def bench_describe(store_dir: Path, runs: int) -> list[float]:
    from smolgraph.describe import describe_store
    from smolgraph.store import EmbeddedStore

    store = EmbeddedStore(store_dir, read_only=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        describe_store(store)
        times.append(time.perf_counter() - start)
    print(f"  describe_store {_stats(times)} s", flush=True)
    return times


def _clear(remote) -> None:
    for name in remote.graphs():
        remote.drop_graph(name)
    remote.drop_graph("https://w3id.org/smolgraph/graph/void")


def bench_push(store_dir: Path, url: str, runs: int, *, update_events: int) -> dict:
    from smolgraph.push import push_store
    from smolgraph.remote import RemoteStore
    from smolgraph.store import EmbeddedStore

    store = EmbeddedStore(store_dir, read_only=True)
    out: dict = {"server": None, "gsp_first": [], "gsp_again": [], "update": []}
    triples = 0
    for _ in range(runs):
        remote = RemoteStore(url, timeout=600)
        out["server"] = remote.flavour
        _clear(remote)
        start = time.perf_counter()
        results = push_store(store, remote)
        out["gsp_first"].append(time.perf_counter() - start)
        triples = sum(r.triples for r in results)
        start = time.perf_counter()
        push_store(store, remote)
        out["gsp_again"].append(time.perf_counter() - start)
    out["triples"] = triples
    print(f"  {out['server']:9s} GSP, empty server  {_stats(out['gsp_first'])} s  {triples / statistics.median(out['gsp_first']):>9,.0f} triples/s", flush=True)
    print(f"  {out['server']:9s} GSP, replace all   {_stats(out['gsp_again'])} s  {triples / statistics.median(out['gsp_again']):>9,.0f} triples/s", flush=True)
    if update_events:
        names = [g for g in store.graphs() if "/report/" in g][: max(1, update_events // 22)]
        count = sum(len(store.graph(g)) for g in names)
        for _ in range(runs):
            remote = RemoteStore(url, timeout=600).discover()
            _clear(remote)
            remote.gsp_url = None
            start = time.perf_counter()
            push_store(store, remote, graphs=names)
            out["update"].append(time.perf_counter() - start)
        out["update_triples"] = count
        print(f"  {out['server']:9s} SPARQL Update ({len(names) * 22} events, {count} triples) {_stats(out['update'])} s  "
              f"{count / statistics.median(out['update']):>9,.0f} triples/s", flush=True)
        _clear(remote)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each export and of describe")
    parser.add_argument("--push-runs", type=int, default=1, help="runs of each push")
    parser.add_argument("--update-events", type=int, default=10_000, help="events pushed with SPARQL Update (0: skip)")
    parser.add_argument("--oxigraph", default=os.environ.get("SMOLGRAPH_TEST_OXIGRAPH"))
    parser.add_argument("--virtuoso", default=os.environ.get("SMOLGRAPH_TEST_VIRTUOSO"))
    parser.add_argument("--keep", type=Path, help="build the store here and keep it (reused when it exists)")
    parser.add_argument("--skip-push", action="store_true")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--formats", default=",".join(FORMATS), help="export formats to time, comma-separated")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {platform.system()} {platform.release()}, Python {platform.python_version()}, "
          f"{os.cpu_count()} cores; {args.runs} runs of each export, {args.push_runs} of each push (median, min–max)")
    with tempfile.TemporaryDirectory(prefix="smolgraph-bench-") as tmp:
        store_dir = args.keep or Path(tmp) / "store"
        start = time.perf_counter()
        if args.keep and (store_dir / "CURRENT").exists():
            from smolgraph.store import EmbeddedStore

            store = EmbeddedStore(store_dir)
            _add_description(store)
            info = {"quads": _count(store), "graphs": len(store.graphs()), "reports": sum("/report/" in g for g in store.graphs())}
            info["events"] = info["reports"] * 22
            del store
        else:
            info = build_store(store_dir, args.events)
        print(f"store: {info['events']:,} events in {info['reports']:,} report graphs, {info['quads']:,} quads, "
              f"{info['graphs']} graphs (built in {time.perf_counter() - start:.1f} s)", flush=True)
        report: dict = {"store": info, "runs": args.runs, "push_runs": args.push_runs}
        if not args.skip_export:
            print("export (fresh process per run):")
            report["export"] = bench_export(store_dir, Path(tmp), args.runs, args.formats.split(","))
            print("describe:")
            report["describe"] = bench_describe(store_dir, args.runs)
        if not args.skip_push:
            print("push:")
            report["push"] = []
            for url in (args.oxigraph, args.virtuoso):
                if url:
                    report["push"].append(bench_push(store_dir, url, args.push_runs, update_events=args.update_events))
                else:
                    print("  (no URL for a server: set SMOLGRAPH_TEST_OXIGRAPH / SMOLGRAPH_TEST_VIRTUOSO)")
        print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
