"""SHACL validation: pySHACL (the reference) against the fast engine, on one report and on whole stores.

    python bench/bench_validate.py                          # one report; stores of 10,000 and 100,000 events
    python bench/bench_validate.py --sizes 10000 --runs 5
    python bench/bench_validate.py --pyshacl-max 100000     # pySHACL on the 100,000-event store too (~20 min a run)

* one report: the real Q1 2025 report (or the invented sample) as ingest
  validates it — the report graph and the gazetteer facts of its places — warm,
  ``--runs`` times after one warm-up, in this process;
* whole store: ``validate_store`` (what ``smolgraph validate`` runs) on a store
  bulk-loaded with ``bench/graphgen.py`` events, each run in a fresh process
  (peak memory = ``ru_maxrss`` of that process). pySHACL runs once, and only up
  to ``--pyshacl-max`` events.

Stores are kept in ``--workdir`` and reused. Prints a Markdown table.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
REPORTS = [ROOT.parent / "shared" / "reports" / "smolensk-2025-q1.docx", ROOT / "data" / "samples" / "invented-smolensk-2025-q2.docx"]


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{cpu}, {os.cpu_count()} cores, {memory:.1f} GB, {platform.system()} {platform.release()}, load average {load}"


def versions() -> str:
    names = ["pyshacl", "pyshifty", "rdflib", "pyoxigraph"]
    return ", ".join(f"{n} {version(n)}" for n in names) + f", Python {platform.python_version()}"


def one_report(runs: int) -> dict:
    """Validate one report as ingest does, with each engine; seconds are medians of warm runs."""
    from smolgraph.gazetteer import load_gazetteer
    from smolgraph.ingest import _referenced_places, prepare_report
    from smolgraph.validate import ENGINES, validate_graph

    gazetteer = load_gazetteer()
    path = next(p for p in REPORTS if p.exists())
    graph = prepare_report(path, gazetteer=gazetteer).graph
    places = _referenced_places(graph, gazetteer)
    out = {"report": path.name, "triples": len(graph) + len(places)}
    for engine in ENGINES:
        times = []
        for _ in range(runs + 1):  # the first is the warm-up (prepares the shapes, fills caches)
            started = time.perf_counter()
            report = validate_graph([graph, places], engine=engine)
            times.append(time.perf_counter() - started)
            assert report.conforms, report.text
        out[engine] = {"median": statistics.median(times[1:]), "runs": runs}
    # The path ingest took before: pySHACL on the rdflib union built first.
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        validate_graph(graph + places, engine="pyshacl")
        times.append(time.perf_counter() - started)
    out["pyshacl_with_union"] = {"median": statistics.median(times), "runs": runs}
    return out


def ensure_store(workdir: Path, size: int, seed: int = 1) -> tuple[Path, dict]:
    """A store with ``size`` generated events (and the gazetteer and ontology graphs), built once."""
    from graphgen import write_nquads
    from smolgraph.ingest import ensure_reference_graphs
    from smolgraph.store import EmbeddedStore

    store_dir, info_path = workdir / f"store{size}-s{seed}", workdir / f"store{size}-s{seed}.json"
    if info_path.exists():
        return store_dir, json.loads(info_path.read_text())
    nquads = workdir / f"g{size}-s{seed}.nq"
    info = write_nquads(nquads, size, seed)
    store = EmbeddedStore(store_dir)
    ensure_reference_graphs(store)
    store.bulk_load(nquads)
    del store
    nquads.unlink()
    info = {"events": info["events"], "reports": info["reports"], "quads": info["quads"]}
    info_path.write_text(json.dumps(info))
    return store_dir, info


def child(store_dir: str, engine: str, batch_size: int) -> None:
    from smolgraph.store import EmbeddedStore
    from smolgraph.validate import validate_store

    store = EmbeddedStore(store_dir, read_only=True)
    started = time.perf_counter()
    report = validate_store(store, engine=engine, batch_size=batch_size)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    print(json.dumps({"seconds": seconds, "conforms": report.conforms, "violations": len(report.violations), "peak_rss_gb": peak}))


def whole_store(store_dir: Path, engine: str, runs: int, batch_size: int) -> dict:
    results = []
    for _ in range(runs):
        cmd = [sys.executable, __file__, "--child", str(store_dir), engine, "--batch-size", str(batch_size)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        assert results[-1]["conforms"], results[-1]
    seconds = [r["seconds"] for r in results]
    return {"median": statistics.median(seconds), "min": min(seconds), "max": max(seconds), "runs": runs,
            "peak_rss_gb": max(r["peak_rss_gb"] for r in results)}


def _s(x: float | None) -> str:
    if x is None:
        return "not run"
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.1f} s" if x < 600 else f"{x / 60:.1f} min"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",") if x], default=[10_000, 100_000],
                        help="store sizes in events, comma-separated (default 10000,100000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pyshacl-max", type=int, default=10_000, help="largest store pySHACL validates (one run)")
    parser.add_argument("--batch-size", type=int, default=100, help="reports per validation batch")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "smolgraph-bench-validate")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument("--child", nargs=2, metavar=("STORE", "ENGINE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1], args.batch_size)
        return 0
    args.workdir.mkdir(parents=True, exist_ok=True)

    figures = {"machine": machine(), "versions": versions(), "runs": args.runs, "batch_size": args.batch_size}
    figures["one_report"] = report = one_report(args.runs)
    rows = [(f"one report, warm ({report['report']}, {report['triples']:,} triples)",
             report["pyshacl"]["median"], report["shifty"]["median"], f"{args.runs}/{args.runs}", "")]
    rows.append(("  the same, pySHACL on the rdflib union as ingest did before",
                 report["pyshacl_with_union"]["median"], report["shifty"]["median"], f"{args.runs}/{args.runs}", ""))
    figures["stores"] = {}
    for size in args.sizes:
        store_dir, info = ensure_store(args.workdir, size)
        fast = whole_store(store_dir, "shifty", args.runs, args.batch_size)
        reference = whole_store(store_dir, "pyshacl", 1, args.batch_size) if size <= args.pyshacl_max else None
        figures["stores"][size] = {**info, "shifty": fast, "pyshacl": reference}
        label = f"whole store, {size:,} events ({info['reports']:,} reports, {info['quads']:,} quads)"
        rows.append((label, reference and reference["median"], fast["median"],
                     f"{reference['runs'] if reference else 0}/{fast['runs']}", f"{fast['peak_rss_gb']:.2f} GB"))

    print(f"machine: {figures['machine']}")
    print(f"versions: {figures['versions']}")
    print(f"validate_store batch: {args.batch_size} reports; runs (pySHACL/fast) in the table; times are medians\n")
    print("| workload | pySHACL | fast (shifty) | ratio | runs | fast peak RSS |")
    print("|---|---|---|---|---|---|")
    for label, ref, fast, runs, rss in rows:
        ratio = f"{ref / fast:.1f}×" if ref else "–"
        print(f"| {label} | {_s(ref)} | {_s(fast)} | {ratio} | {runs} | {rss} |")
    if figures["stores"]:
        size = max(figures["stores"])
        per_event = figures["stores"][size]["shifty"]["median"] / size
        figures["extrapolated_1m_s"] = per_event * 1_000_000
        print(f"\nfast engine: {per_event * 1000:.2f} ms per event at {size:,} events; "
              f"1,000,000 events extrapolated linearly: {_s(per_event * 1_000_000)}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
