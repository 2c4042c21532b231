"""One ``ingest()`` of many generated reports into a new store, for comparing two versions of smolgraph.

    PYTHONPATH=/tmp/old/src python bench/ab_batch.py REPORTS_DIR [--reports N] [--workers W]
    PYTHONPATH=src          python bench/ab_batch.py REPORTS_DIR [--reports N] [--workers W]

``REPORTS_DIR`` holds the ``gen-*.docx`` files that ``bench/run.py`` writes
(or ``bench/reportgen.py``). Prints rows per second and where the CPU went:
the main process (which writes the store) and the worker processes (which
read, extract, build and validate), per report. Run the versions alternately.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import smolgraph
from smolgraph.gazetteer import load_gazetteer
from smolgraph.ingest import ingest
from smolgraph.morph import analyzer
from smolgraph.store import EmbeddedStore
from smolgraph.validate import load_ontology, load_shapes


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports_dir", type=Path)
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    paths = sorted(args.reports_dir.glob("gen-*.docx"))[: args.reports]
    if not paths:
        print(f"no gen-*.docx in {args.reports_dir}", file=sys.stderr)
        return 2
    analyzer(), load_shapes(), load_ontology()
    gazetteer = load_gazetteer()
    with tempfile.TemporaryDirectory(prefix="sg-ab-batch-") as work:
        store = EmbeddedStore(Path(work) / "db")
        main_cpu, workers_cpu = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        results = ingest(paths, store, gazetteer=gazetteer, workers=args.workers)
        seconds = time.perf_counter() - started
        main_cpu, workers_cpu = _cpu(resource.RUSAGE_SELF) - main_cpu, _cpu(resource.RUSAGE_CHILDREN) - workers_cpu
        store.close()
    rows = sum(len(r.events) for r in results)
    print(f"{Path(smolgraph.__file__).parents[1]}: {len(paths)} reports, {rows} rows in {seconds:.1f} s = {rows / seconds:.0f} rows/s; "
          f"CPU a report: main {main_cpu / len(paths) * 1000:.0f} ms, workers {workers_cpu / len(paths) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
