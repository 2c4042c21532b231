"""The network page right after an ingest, for comparing two versions of smolgraph on one store.

    PYTHONPATH=/tmp/old/src python bench/ab_network.py STORE_COPY REPORTS_DIR --first 600
    PYTHONPATH=src          python bench/ab_network.py STORE_COPY REPORTS_DIR --first 610

Opens a store writable (use a copy: every run ingests reports into it),
reads it whole once, then from the cache, then ``--ingests`` times ingests
one generated report (``REPORTS_DIR/gen-*.docx``, from ``bench/run.py``)
and times what the next ``smolgraph network`` costs: reading the events,
the projection with its centrality and the page. Run the two versions
alternately, each with other reports (``--first``), so that a slower minute
slows both.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import smolgraph
from smolgraph.gazetteer import load_gazetteer
from smolgraph.ingest import ingest
from smolgraph.network import analyse, load_events, write_page
from smolgraph.store import EmbeddedStore


def _timed(action):
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("reports", type=Path)
    parser.add_argument("--first", type=int, default=0, help="index of the first generated report to ingest")
    parser.add_argument("--ingests", type=int, default=3)
    args = parser.parse_args(argv)
    gazetteer = load_gazetteer()
    store = EmbeddedStore(args.store)
    cache, pages = Path(tempfile.mkdtemp(prefix="ab-network-")), Path(tempfile.mkdtemp(prefix="ab-page-"))
    _, whole = _timed(lambda: load_events(store, cache_dir=cache, people=False))
    _, cached = _timed(lambda: load_events(store, cache_dir=cache, people=False))
    reads, totals = [], []
    for path in sorted(args.reports.glob("gen-*.docx"))[args.first:args.first + args.ingests]:
        ingest([path], store, gazetteer=gazetteer)
        data, read = _timed(lambda: load_events(store, cache_dir=cache, people=False))
        analysis, projected = _timed(lambda: analyse(data, "partners", "region"))
        _, paged = _timed(lambda: write_page(analysis, pages / "page.html"))
        reads.append(read)
        totals.append(read + projected + paged)
    print(f"{Path(smolgraph.__file__).parents[1]}: {len(data.events):,} events; whole read {whole:.1f} s, "
          f"from the cache {cached:.2f} s; after an ingest: read {', '.join(f'{r:.2f}' for r in reads)} s, "
          f"page total {', '.join(f'{t:.2f}' for t in totals)} s (median {statistics.median(totals):.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
