"""How long the main job takes on one report: start-up, first ingest, warm ingest.

    python bench/bench_ingest.py [REPORT ...] [--runs N]

Each run is a fresh Python process, so start-up is measured as a user meets it.
Prints a table and one JSON line per report.
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT.parent / "shared" / "reports" / "smolensk-2025-q1.docx", ROOT / "data" / "samples" / "invented-smolensk-2025-q2.docx"]

_CHILD = r"""
import json, sys, tempfile, time
t0 = time.perf_counter()
from smolgraph.gazetteer import load_gazetteer
from smolgraph.ingest import ingest, prepare_report
from smolgraph.morph import analyzer
from smolgraph.store import EmbeddedStore
from smolgraph.validate import load_ontology, load_shapes
analyzer(); gazetteer = load_gazetteer(); load_shapes(); load_ontology()
import pyshacl  # noqa: F401  (imported lazily by validation)
t1 = time.perf_counter()
store = EmbeddedStore(tempfile.mkdtemp() + "/db")
ingest([sys.argv[1]], store, gazetteer=gazetteer)
t2 = time.perf_counter()
ingest([sys.argv[1]], store, gazetteer=gazetteer)
t3 = time.perf_counter()
stages = {}
s = time.perf_counter(); from smolgraph.read import read_report; report = read_report(sys.argv[1]); stages["read"] = time.perf_counter() - s
from smolgraph.extract import extract_report
s = time.perf_counter(); events = extract_report(report, gazetteer=gazetteer); stages["extract"] = time.perf_counter() - s
from smolgraph.build import partition_report_graph, report_triples
s = time.perf_counter(); triples = report_triples(report.meta, events, gazetteer=gazetteer); parts = partition_report_graph(triples); stages["build"] = time.perf_counter() - s
from smolgraph.validate import validate_graph
from smolgraph.ingest import _referenced_places
s = time.perf_counter(); validate_graph([*(p.ntriples for p in parts), _referenced_places(triples, gazetteer)]); stages["validate"] = time.perf_counter() - s
s = time.perf_counter(); store.replace_graphs(parts); stages["store"] = time.perf_counter() - s
print(json.dumps({"startup": t1 - t0, "first_ingest": t2 - t1, "warm_ingest": t3 - t2, "rows": len(events), **stages}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {platform.system()} {platform.release()}, Python {platform.python_version()}, "
          f"{__import__('os').cpu_count()} cores; {args.runs} runs each (median, min–max)")
    for report in args.reports:
        if not report.exists():
            print(f"skip {report}: not found")
            continue
        runs = []
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, "-c", _CHILD, str(report)], capture_output=True, text=True, check=True)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        keys = ["startup", "first_ingest", "warm_ingest", "read", "extract", "build", "validate", "store"]
        print(f"\n{report.name} ({runs[0]['rows']} rows)")
        for key in keys:
            values = [r[key] for r in runs]
            print(f"  {key:<13} {statistics.median(values):7.3f} s   ({min(values):.3f}–{max(values):.3f})")
        print(json.dumps({"report": report.name, "runs": args.runs, **{k: statistics.median(r[k] for r in runs) for k in keys}}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
