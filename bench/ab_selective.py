"""The selective questions through ``EmbeddedStore.query``, for comparing two versions of smolgraph on one store.

    PYTHONPATH=/tmp/old/src python bench/ab_selective.py STORE INFO_JSON
    PYTHONPATH=src          python bench/ab_selective.py STORE INFO_JSON

``STORE`` and ``INFO_JSON`` are what ``bench/run.py`` leaves in its work
directory (``store1000000-s1`` and ``g1000000-s1.json``: the picked region,
district and town). Each question runs once to warm up, then ``--runs``
times; the medians are printed with the version's source directory. Run
the versions alternately.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import smolgraph
from smolgraph.ask import _person_bindings, load_queries
from smolgraph.build import place_iri
from smolgraph.store import EmbeddedStore

sys.path.insert(0, str(Path(__file__).parent))
from graphgen import _surname  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("info", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    store = EmbeddedStore(args.store, read_only=True)
    picks = json.loads(args.info.read_text())["picks"]
    queries = load_queries()
    plan = [(f"contacts-{level}", queries["contacts"].sparql, {"place": place_iri(picks[level])}) for level in ("district", "town")]
    plan.append(("events-with-person", queries["events-with-person"].sparql, _person_bindings(_surname(12))))
    figures = []
    for label, sparql, bindings in plan:
        store.query(sparql, bindings=bindings)
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            store.query(sparql, bindings=bindings)
            times.append(time.perf_counter() - started)
        figures.append(f"{label} {statistics.median(times) * 1000:.0f} ms")
    print(f"{Path(smolgraph.__file__).parents[1]}: " + "; ".join(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
