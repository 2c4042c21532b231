"""smolgraph's benchmark suite: one command, a table and JSON of figures.

    python bench/run.py                                  # ingest + 10,000 and 100,000 events (a few minutes)
    python bench/run.py --sizes 1000000 --skip-ingest    # the 1,000,000-event run (about an hour on 2 cores)
    python bench/run.py --reports 1000 --sizes ""        # 1,000 generated reports through one ingest call
    python bench/run.py --runs 5 --json out.json

Every part runs in its own Python process so that its peak memory
(``ru_maxrss``) is its own:

* **ingest** -- synthetic 35-row reports (``bench/reportgen.py``) written as
  ``.docx`` and text, then: start-up, the first ingest into a new store, the
  warm ingest of one report, each stage (read, extract, build, validate,
  store), one ``ingest()`` call over ``--reports`` files (rows/s), and a
  cProfile of a warm ingest grouped by where the time goes;
* **load** -- a graph of N events in the project's ontology
  (``bench/graphgen.py``, checked triple for triple against
  ``build_report_graph``) bulk-loaded into the embedded Oxigraph store on
  disk; also ``build`` and ``store`` (``replace_graph``, the path ingest
  takes) and incremental validation of one report at that store size;
* **query** -- a fresh process reopens the store (no reload), then every
  named query of ``queries/``, with selective parameters (a region, a
  district, a town, a person) and a partner's timeline, ``--runs`` times;
  full-store validation (up to ``--validate-max``), export to N-Quads,
  and the network stage (events, projection + centrality, page; up to
  ``--network-max``);
* **rdflib** -- the same graph parsed into a plain in-memory rdflib
  ``Dataset`` and the same queries on rdflib's SPARQL engine, each stopped
  after ``--timeout`` seconds (up to ``--rdflib-max`` events).

Generated graphs and stores are kept in ``--workdir`` (default
``/tmp/smolgraph-bench``) and reused by later runs of the same size and
seed; their generation and load figures are those of the run that made them.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

#: Targets of the issue, checked at the end: (figure key, limit, unit text).
SELECTIVE = ["contacts-region", "contacts-district", "contacts-town", "events-with-person", "partner-timeline"]
AGGREGATES = ["events-per-sphere", "partners-by-country"]

TIMELINE = """PREFIX sg: <https://w3id.org/smolgraph/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?report ?row ?title ?start
WHERE {
  ?event sg:foreignOrganisation ?org ; sg:report/sg:reportId ?report ; sg:rowNumber ?row ; rdfs:label ?title .
  OPTIONAL { ?event schema:startDate ?start }
}
ORDER BY ?start ?report ?row
"""


def rss_gb() -> float:
    """Peak resident memory of this process so far, in GB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def timed(fn):
    started = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - started


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "first": values[0], "n": len(values)}


# ---------------------------------------------------------------------------
# Children
# ---------------------------------------------------------------------------

def child_ingest(args) -> dict:
    t0 = time.perf_counter()
    from smolgraph.gazetteer import load_gazetteer
    from smolgraph.ingest import _referenced_places, ingest
    from smolgraph.morph import analyzer
    from smolgraph.store import EmbeddedStore
    from smolgraph.validate import load_ontology, load_shapes, validate_graph
    analyzer(); gazetteer = load_gazetteer(); load_shapes(); load_ontology()
    import pyshacl  # noqa: F401
    startup = time.perf_counter() - t0

    from reportgen import generate_report, write_docx, write_text
    work = Path(args.workdir) / "reports"
    work.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(args.reports):
        year, quarter = 2016 + (i // 4) % 10, 1 + i % 4
        path = work / f"gen-{i:04d}-{year}-q{quarter}.docx"
        if not path.exists():
            write_docx(generate_report(1000 + i, year=year, quarter=quarter, n_rows=35, header_variant=i % 4), path)
        paths.append(path)
    text = work / "gen-text-2025-q1.txt"
    if not text.exists():
        write_text(generate_report(999, n_rows=35), text)

    from smolgraph.errors import SmolgraphError
    out: dict = {"startup": startup}
    store = EmbeddedStore(tempfile.mkdtemp(prefix="sg-ingest-") + "/db")
    first = None
    for p in paths:  # the first generated report that ingests (some break the shapes: see failures below)
        try:
            _, seconds = timed(lambda: ingest([p], store, gazetteer=gazetteer))
        except SmolgraphError:
            continue
        first = p
        out["first_ingest"] = seconds
        break
    paths.insert(0, paths.pop(paths.index(first)))
    warm = [timed(lambda: ingest([paths[0]], store, gazetteer=gazetteer))[1] for _ in range(args.runs)]
    out["warm_ingest"] = summary(warm)
    warm_txt = [timed(lambda: ingest([text], store, gazetteer=gazetteer))[1] for _ in range(args.runs)]
    out["warm_ingest_txt"] = summary(warm_txt)

    from smolgraph.build import partition_report_graph, report_triples
    from smolgraph.extract import extract_report
    from smolgraph.read import read_report
    stages: dict[str, list[float]] = {k: [] for k in ("read", "extract", "build", "validate", "store")}
    for _ in range(args.runs):  # the steps prepare_report takes, one by one
        report, s = timed(lambda: read_report(paths[0])); stages["read"].append(s)
        events, s = timed(lambda: extract_report(report, gazetteer=gazetteer)); stages["extract"].append(s)
        triples, s = timed(lambda: report_triples(report.meta, events, gazetteer=gazetteer)); stages["build"].append(s)
        parts, s = timed(lambda: partition_report_graph(triples)); stages["build"][-1] += s
        _, s = timed(lambda: validate_graph([*(p.ntriples for p in parts), _referenced_places(triples, gazetteer)]))
        stages["validate"].append(s)
        _, s = timed(lambda: store.replace_graphs(parts)); stages["store"].append(s)
    out["stages"] = {k: summary(v) for k, v in stages.items()}
    out["rows_per_report"] = len(events)
    out["triples_per_report"] = len(triples)

    # where the time goes in a warm ingest
    import cProfile
    import pstats
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(3):
        ingest([paths[0]], store, gazetteer=gazetteer)
    profiler.disable()
    out["profile"] = _profile_buckets(pstats.Stats(profiler), 3)

    # One call for all files, as `smolgraph ingest *.docx` does: prepared in
    # one process per core, written from this one. ingest() is all-or-nothing,
    # so a refused report sends the batch back to one call per file.
    batch_store = EmbeddedStore(tempfile.mkdtemp(prefix="sg-batch-") + "/db")
    rows = failed = 0
    reasons: dict[str, int] = {}
    workers = os.cpu_count() or 1
    started = time.perf_counter()
    try:
        rows = sum(len(r.events) for r in ingest(paths, batch_store, gazetteer=gazetteer, workers=workers))
    except SmolgraphError:
        for p in paths:
            try:
                rows += sum(len(r.events) for r in ingest([p], batch_store, gazetteer=gazetteer))
            except SmolgraphError as exc:
                failed += 1
                for line in str(exc).splitlines():
                    if line.strip().startswith("- field"):
                        key = line.strip()[2:].split(":")[0]
                        reasons[key] = reasons.get(key, 0) + 1
    seconds = time.perf_counter() - started
    out["batch"] = {"reports": len(paths), "failed": failed, "failure_fields": reasons, "rows": rows, "seconds": seconds,
                    "rows_per_s": rows / seconds, "workers": workers}
    out["peak_rss_gb"] = rss_gb()
    return out


_BUCKETS = [
    ("read (smolgraph.read, lxml)", ("smolgraph/read/", "/docx/", "lxml")),
    ("extract (rules)", ("smolgraph/extract/",)),
    ("morphology (pymorphy3, smolgraph.morph)", ("pymorphy", "smolgraph/morph.py", "dawg")),
    ("gazetteer lookups", ("smolgraph/gazetteer.py",)),
    ("build (triples, N-Triples)", ("smolgraph/build.py",)),
    ("validate (shifty; pySHACL for reference)", ("shifty", "PreparedValidator", "pyshacl", "owlrl")),
    ("rdflib (graph, terms, union)", ("rdflib/",)),
    ("store (pyoxigraph update)", ("pyoxigraph", "smolgraph/store.py")),
    ("ingest glue", ("smolgraph/ingest.py", "smolgraph/validate.py")),
]


def _profile_buckets(stats, n_reports: int) -> dict:
    """Own time (tottime) per package, per report, and the heaviest functions."""
    buckets: dict[str, float] = {}
    top = []
    for (filename, line, name), (cc, nc, tt, ct, callers) in stats.stats.items():
        where = "other (stdlib, re, builtins)"
        text = f"{filename} {name}"
        for label, keys in _BUCKETS:
            if any(k in text for k in keys):
                where = label
                break
        buckets[where] = buckets.get(where, 0.0) + tt
        top.append((tt, f"{Path(filename).parent.name}/{Path(filename).name}:{line}({name})", nc))
    total = sum(buckets.values())
    top.sort(reverse=True)
    return {
        "reports": n_reports,
        "seconds_per_report": total / n_reports,
        "by_package": {k: v / n_reports for k, v in sorted(buckets.items(), key=lambda kv: -kv[1])},
        "top_functions": [{"function": f, "tottime_per_report": t / n_reports, "calls": c} for t, f, c in top[:12]],
    }


def _graph_paths(args, size: int) -> tuple[Path, Path, Path]:
    work = Path(args.workdir)
    return work / f"g{size}-s{args.seed}.nq", work / f"g{size}-s{args.seed}.json", work / f"store{size}-s{args.seed}"


def child_load(args) -> dict:
    from graphgen import make_reports, write_nquads
    from smolgraph.build import build_report_graph, partition_report_graph
    from smolgraph.gazetteer import load_gazetteer
    from smolgraph.ingest import _referenced_places, ensure_reference_graphs
    from smolgraph.store import EmbeddedStore
    from smolgraph.validate import load_ontology, load_shapes, validate_graph

    size = args.size
    nq, info_path, store_dir = _graph_paths(args, size)
    out: dict = {}
    if not info_path.exists():
        (info, seconds) = timed(lambda: write_nquads(nq, size, args.seed))
        info["seconds"] = seconds
        info_path.write_text(json.dumps(info, ensure_ascii=False))
    info = json.loads(info_path.read_text())
    out["generate"] = {"seconds": info["seconds"], "events_per_s": info["events"] / info["seconds"],
                       "reports": info["reports"], "quads": info["quads"], "file_gb": nq.stat().st_size / 1e9}
    done = store_dir / "bench-loaded.json"
    if done.exists():
        out["load"] = json.loads(done.read_text())
        out["load"]["reused"] = True
        return out
    shutil.rmtree(store_dir, ignore_errors=True)
    gazetteer = load_gazetteer()
    started = time.perf_counter()
    store = EmbeddedStore(store_dir)
    ensure_reference_graphs(store, gazetteer)
    store.bulk_load(nq)
    seconds = time.perf_counter() - started
    load = {"seconds": seconds, "quads_per_s": info["quads"] / seconds, "peak_rss_gb": rss_gb(),
            "disk_gb": sum(f.stat().st_size for f in store_dir.rglob("*") if f.is_file()) / 1e9}

    # the ingest path at this store size: build, validate one report, replace_graph
    shapes, onto = load_shapes(), load_ontology()
    builds, stores, validations, events = [], [], [], 0
    for i, (meta, records) in enumerate(make_reports(min(size, 2000), args.seed, gazetteer=gazetteer)):
        graph, s = timed(lambda: build_report_graph(meta, records, gazetteer=gazetteer)); builds.append(s)
        _, s = timed(lambda: store.replace_graphs(partition_report_graph(graph))); stores.append(s)
        if i < 5:
            v, s = timed(lambda: validate_graph([graph, _referenced_places(graph, gazetteer)], shapes=shapes, ontology=onto))
            validations.append(s / len(records) * 35)
            assert v.conforms, v.text
        events += len(records)
    load["build_events_per_s"] = events / sum(builds)
    load["replace_graph_events_per_s"] = events / sum(stores)
    load["replace_graph_per_35_rows_s"] = sum(stores) / events * 35
    load["validate_one_report_35_rows_s"] = statistics.median(validations)
    load["peak_rss_gb"] = rss_gb()
    store._store.flush()
    del store
    done.write_text(json.dumps(load))
    out["load"] = load
    return out


def _query_plan(args, picks: dict):
    """(label, sparql, bindings) for every named query and the selective variants."""
    from rdflib import Literal, URIRef
    from smolgraph.ask import _person_bindings, load_queries
    from smolgraph.build import place_iri
    from smolgraph.build import org_iri

    queries = load_queries()
    plan = []
    for name, q in sorted(queries.items()):
        if name == "contacts":
            for level in ("region", "district", "town"):
                plan.append((f"contacts-{level}", q.sparql, {"place": place_iri(picks[level])}))
        elif name == "events-with-person":
            from graphgen import _surname
            plan.append((name, q.sparql, _person_bindings(_surname(12))))  # a person in a few dozen events
        elif q.params:
            continue
        else:
            plan.append((name, q.sparql, {}))
    plan.append(("partner-timeline", TIMELINE, {"org": URIRef(org_iri(picks["organisation"]))}))
    return plan


def child_query(args) -> dict:
    """One part in a fresh process: the store is reopened (not reloaded) every time."""
    from smolgraph.store import EmbeddedStore

    size = args.size
    nq, info_path, store_dir = _graph_paths(args, size)
    picks = json.loads(info_path.read_text())["picks"]
    out: dict = {}
    store, out["reopen_s"] = timed(lambda: EmbeddedStore(store_dir, read_only=True))
    if args.part.startswith("query:"):
        label = args.part.split(":", 1)[1]
        _, sparql, bindings = next(p for p in _query_plan(args, picks) if p[0] == label)
        times, rows = [], None
        for _ in range(args.runs):
            result, s = timed(lambda: store.query(sparql, bindings=bindings))
            times.append(s)
            rows = len(result.rows)
        out["query"] = {**summary(times), "rows": rows}
    elif args.part == "validate":
        from smolgraph.validate import validate_store
        workers = os.cpu_count() or 1  # as smolgraph validate does
        report, s = timed(lambda: validate_store(store, workers=workers))
        out["validate_full"] = {"seconds": s, "conforms": report.conforms, "workers": workers,
                                "worker_peak_rss_gb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e6}
    elif args.part == "export":
        from smolgraph.export import export_store
        target = Path(args.workdir) / f"export{size}.nq"
        count, s = timed(lambda: export_store(store, target, format="nquads"))
        out["export_nquads"] = {"seconds": s, "quads": count, "quads_per_s": count / s}
        target.unlink(missing_ok=True)
    elif args.part == "network":
        from graphgen import make_reports
        from smolgraph.build import partition_report_graph, report_triples
        from smolgraph.gazetteer import load_gazetteer
        from smolgraph.network import analyse, load_events, write_page
        # An ingest is a write: this part opens the store writable (an older store gets its graph
        # revisions then, once). It writes the store's first report again, the same triples.
        store.close()
        store = EmbeddedStore(store_dir)
        gazetteer = load_gazetteer()
        meta, records = next(make_reports(size, seed=args.seed, gazetteer=gazetteer))
        report_parts = partition_report_graph(report_triples(meta, records, gazetteer=gazetteer))
        net = {}
        for _ in range(args.runs):
            cache_dir = Path(tempfile.mkdtemp(prefix="bench-cache-"))
            # read the whole store (nothing kept), then from the cache, then after one report is written again
            data, a = timed(lambda: load_events(store, cache_dir=cache_dir, people=False))
            _, cached = timed(lambda: load_events(store, cache_dir=cache_dir, people=False))
            store.replace_graphs(report_parts)
            _, after = timed(lambda: load_events(store, cache_dir=cache_dir, people=False))
            shutil.rmtree(cache_dir, ignore_errors=True)
            analysis, b = timed(lambda: analyse(data, "partners", "region"))
            page, c = timed(lambda: write_page(analysis, Path(args.workdir) / f"network{size}.html"))
            for k, v in (("load_events", a), ("load_events_cached", cached), ("load_events_after_ingest", after),
                         ("projection_centrality", b), ("page", c), ("total", a + b + c), ("total_cached", cached + b + c),
                         ("total_after_ingest", after + b + c)):
                net.setdefault(k, []).append(v)
        out["network"] = {k: summary(v) for k, v in net.items()}
        out["network"]["cached"] = store.revision() is not None
        out["network"] = {k: summary(v) for k, v in net.items()}
        out["network"]["nodes"] = analysis.graph.number_of_nodes()
        out["network"]["edges"] = analysis.graph.number_of_edges()
    out["peak_rss_gb"] = rss_gb()
    return out


def query_parts(args, size: int) -> dict:
    """Every query part of one size, each in its own process, stopped after ``--query-timeout``."""
    from smolgraph.ask import load_queries
    labels = []
    for name, q in sorted(load_queries().items()):
        if name == "contacts":
            labels += ["contacts-region", "contacts-district", "contacts-town"]
        elif name == "events-with-person" or not q.params:
            labels.append(name)
    labels.append("partner-timeline")
    if args.only:
        wanted = set(args.only.split(","))
        labels = [label for label in labels if label in wanted]
    parts = [f"query:{l}" for l in labels] + (["validate"] if size <= args.validate_max else []) \
        + (["export"] if size <= args.export_max else []) \
        + (["network"] if size <= args.network_max else [])
    res: dict = {"queries": {}, "peak_rss_gb": 0.0, "peak_rss_after_queries_gb": 0.0}
    for part in parts:
        r = run_child("query", args, ["--size", str(size), "--part", part], timeout=args.query_timeout)
        res.setdefault("reopen_s", r.get("reopen_s"))
        res["peak_rss_gb"] = max(res["peak_rss_gb"], r.get("peak_rss_gb", 0))
        if part.startswith("query:"):
            res["queries"][part[6:]] = r.get("query", r)
            res["peak_rss_after_queries_gb"] = max(res["peak_rss_after_queries_gb"], r.get("peak_rss_gb", 0))
            q = res["queries"][part[6:]]
            print(f"  [{size}] {part[6:]}: " + (f"{q['median']:.3f} s, {q['rows']} rows" if "median" in q else q["error"]), file=sys.stderr)
        else:
            key = {"validate": "validate_full", "export": "export_nquads", "network": "network"}[part]
            res[key] = r.get(key, r)
            print(f"  [{size}] {part}: {json.dumps(res[key])[:160]}", file=sys.stderr)
    return res


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def child_rdflib(args) -> dict:
    from rdflib import Dataset
    from smolgraph.build import build_gazetteer_graph
    from smolgraph.gazetteer import load_gazetteer
    from smolgraph.sparql_text import bind_values
    from smolgraph.validate import load_ontology
    from smolgraph.vocab import GRAPH

    size = args.size
    nq, info_path, _ = _graph_paths(args, size)
    picks = json.loads(info_path.read_text())["picks"]
    out: dict = {}
    started = time.perf_counter()
    ds = Dataset(default_union=True)
    for s_, p_, o_ in build_gazetteer_graph(load_gazetteer()):
        ds.graph(GRAPH["gazetteer"]).add((s_, p_, o_))
    ds.graph(GRAPH["ontology"]).__iadd__(load_ontology())
    ds.parse(str(nq), format="nquads")
    out["load"] = {"seconds": time.perf_counter() - started, "peak_rss_gb": rss_gb()}
    print(f"  [{size}] rdflib load: {out['load']['seconds']:.0f} s", file=sys.stderr)
    signal.signal(signal.SIGALRM, _alarm)
    out["queries"] = {}
    for label, sparql, bindings in _query_plan(args, picks):
        text = bind_values(sparql, bindings) if bindings else sparql
        times, rows = [], None
        for _ in range(args.runs):
            signal.alarm(int(args.timeout))
            try:
                started = time.perf_counter()
                rows = len(list(ds.query(text)))
                times.append(time.perf_counter() - started)
            except _Timeout:
                times = None
                break
            except Exception as exc:  # rdflib's engine fails on some queries
                times, rows = None, f"error: {type(exc).__name__}: {exc}"[:120]
                break
            finally:
                signal.alarm(0)
        out["queries"][label] = ({**summary(times), "rows": rows} if times else
                                 {"error": rows} if isinstance(rows, str) else {"timeout": args.timeout})
        print(f"  [{size}] rdflib {label}: {statistics.median(times) if times else '>' + str(args.timeout)} s", file=sys.stderr)
    target = Path(args.workdir) / f"export-rdflib{size}.nq"
    _, s = timed(lambda: ds.serialize(str(target), format="nquads"))
    out["export_nquads"] = {"seconds": s}
    target.unlink(missing_ok=True)
    out["peak_rss_gb"] = rss_gb()
    return out


# ---------------------------------------------------------------------------
# The parent: runs the children, prints the table
# ---------------------------------------------------------------------------

def run_child(mode: str, args, extra: list[str], timeout: float | None = None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--workdir", str(args.workdir),
           "--runs", str(args.runs), "--seed", str(args.seed), "--timeout", str(args.timeout),
           "--validate-max", str(args.validate_max), "--network-max", str(args.network_max),
           "--query-timeout", str(args.query_timeout), *extra]
    print(f"· {mode} {' '.join(extra)}", file=sys.stderr)
    started = time.perf_counter()
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"stopped after {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"error": f"exit code {proc.returncode} after {time.perf_counter() - started:.0f} s (see stderr)"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def machine() -> dict:
    import pyoxigraph
    import pyshacl
    import rdflib
    import networkx
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    mem = next((int(l.split()[1]) / 1e6 for l in open("/proc/meminfo") if l.startswith("MemTotal")), None)
    return {
        "date": dt.datetime.now().isoformat(timespec="minutes"),
        "cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(mem, 1) if mem else None,
        "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__, "pyshacl": pyshacl.__version__,
        "networkx": networkx.__version__, "load_avg_at_start": os.getloadavg(),
    }


def _f(x, unit="s") -> str:
    if x is None:
        return "–"
    if unit == "s":
        return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s" if x < 100 else f"{x:.0f} s"
    return f"{x:.2f}"


def print_tables(res: dict) -> None:
    m = res["machine"]
    print(f"\nsmolgraph benchmark, {m['date']}: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB, {m['os']}, Python {m['python']}, "
          f"pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}, pyshacl {m['pyshacl']}, networkx {m['networkx']}; "
          f"--runs {res['runs']} (medians); command: {res['command']}")
    ing = res.get("ingest")
    if ing and "error" not in ing:
        print(f"\n## Ingest of 35-row synthetic reports ({ing['triples_per_report']} triples each)")
        print("| figure | median | min | max |\n|---|---|---|---|")
        print(f"| start-up (imports, dictionaries, gazetteer, shapes) | {_f(ing['startup'])} | | |")
        print(f"| first ingest into a new store | {_f(ing['first_ingest'])} | | |")
        for key, label in (("warm_ingest", "ingest, warm (.docx)"), ("warm_ingest_txt", "ingest, warm (.txt)")):
            v = ing[key]
            print(f"| {label} | {_f(v['median'])} | {_f(v['min'])} | {_f(v['max'])} |")
        for k, v in ing["stages"].items():
            print(f"| stage: {k} | {_f(v['median'])} | {_f(v['min'])} | {_f(v['max'])} |")
        b = ing["batch"]
        print(f"| {b['reports']} reports, one ingest() with {b.get('workers', 1)} worker processes ({b['rows']} rows stored, {b['failed']} reports refused by the shapes) | {_f(b['seconds'])} = {b['rows_per_s']:.0f} rows/s | | |")
        if b["failure_fields"]:
            print(f"| shapes broken by the refused reports | " + "; ".join(f"{k} ×{v}" for k, v in b["failure_fields"].items()) + " | | |")
        print(f"| peak memory (RSS) | {ing['peak_rss_gb']:.2f} GB | | |")
        p = ing["profile"]
        print(f"\nwhere a warm ingest spends its time (cProfile own time, {p['seconds_per_report']:.2f} s a report under the profiler):")
        for k, v in p["by_package"].items():
            print(f"  {k:45} {v:6.3f} s  {100 * v / p['seconds_per_report']:4.0f} %")
        for t in p["top_functions"][:8]:
            print(f"  {t['tottime_per_report']:6.3f} s  {t['calls']:>8} calls  {t['function']}")
    elif ing:
        print(f"\ningest: {ing['error']}")

    sizes = [s for s in res.get("sizes", {})]
    if not sizes:
        return
    print("\n## Graph stages (oxigraph store vs plain rdflib Dataset + rdflib SPARQL; ratio = rdflib / oxigraph)")
    head = "| stage | " + " | ".join(f"{int(s):,} events: store | rdflib | ratio" for s in sizes) + " |"
    print(head)
    print("|---|" + "---|---|---|" * len(sizes))

    def cell(size, ox_v, rd_v):
        ratio = "–"
        if isinstance(ox_v, (int, float)) and isinstance(rd_v, (int, float)) and ox_v > 0:
            ratio = f"{rd_v / ox_v:.0f}×" if rd_v / ox_v >= 10 else f"{rd_v / ox_v:.1f}×"
        elif isinstance(rd_v, str) and rd_v.startswith(">") and isinstance(ox_v, (int, float)) and ox_v > 0:
            ratio = f">{float(rd_v[1:]) / ox_v:.0f}×"
        rd = rd_v if isinstance(rd_v, str) else _f(rd_v)
        return f"{_f(ox_v) if isinstance(ox_v, (int, float)) else (ox_v or '–')} | {rd} | {ratio}"

    def rows_for(size):
        r = res["sizes"][size]
        load, q, rd = r.get("load", {}), r.get("query", {}), r.get("rdflib", {})
        lines = {}
        g = load.get("generate", {})
        lines["generate N-Quads (graphgen)"] = (g.get("seconds"), None)
        ld = load.get("load", {})
        lines["load: bulk_load into the store / rdflib parse"] = (ld.get("seconds"), rd.get("load", {}).get("seconds"))
        lines["reopen the store (no reload)"] = (q.get("reopen_s"), None)
        for label, v in q.get("queries", {}).items():
            if "median" not in v:
                lines[f"query {label} (– rows)"] = (v.get("error", "failed"), None)
                continue
            rv = rd.get("queries", {}).get(label)
            rdv = None if rv is None else (f">{rv['timeout']:.0f}" if "timeout" in rv else "error" if "error" in rv else rv["median"])
            lines[f"query {label} ({v['rows']} rows)"] = (v["median"], rdv)
        if "validate_full" in q:
            lines[f"validate the whole store (default engine, {q['validate_full'].get('workers', 1)} processes)"] = (q["validate_full"].get("seconds", q["validate_full"].get("error")), None)
        lines["validate one 35-row report (incremental)"] = (ld.get("validate_one_report_35_rows_s"), None)
        lines["store one 35-row report (replace_graph)"] = (ld.get("replace_graph_per_35_rows_s"), None)
        if "export_nquads" in q:
            lines["export N-Quads"] = (q["export_nquads"].get("seconds", q["export_nquads"].get("error")), rd.get("export_nquads", {}).get("seconds"))
        if "network" in q and "error" in q["network"]:
            lines["network: total"] = (q["network"]["error"], None)
        elif "network" in q:
            n = q["network"]
            lines["network: load events from the store"] = (n["load_events"]["median"], None)
            if "load_events_cached" in n:
                lines["network: load events, cache current"] = (n["load_events_cached"]["median"], None)
            if "load_events_after_ingest" in n:
                lines["network: load events after an ingest (one report written)"] = (n["load_events_after_ingest"]["median"], None)
            lines["network: projection + centrality (region)"] = (n["projection_centrality"]["median"], None)
            lines["network: page"] = (n["page"]["median"], None)
            lines["network: total"] = (n["total"]["median"], None)
            if "total_cached" in n:
                lines["network: total, cache current"] = (n["total_cached"]["median"], None)
            if "total_after_ingest" in n:
                lines["network: total after an ingest"] = (n["total_after_ingest"]["median"], None)
        return lines

    all_rows = {s: rows_for(s) for s in sizes}
    labels = []
    for s in sizes:
        for k in all_rows[s]:
            base = k.split(" (")[0] if k.startswith("query") else k
            if base not in [l.split(" (")[0] if l.startswith("query") else l for l in labels]:
                labels.append(k)
    for label in labels:
        base = label.split(" (")[0] if label.startswith("query") else label
        cells = []
        for s in sizes:
            match = next((v for k, v in all_rows[s].items() if (k.split(" (")[0] if k.startswith("query") else k) == base), (None, None))
            cells.append(cell(s, *match))
        print(f"| {label if not label.startswith('query') else base} | " + " | ".join(cells) + " |")
    print("\nrows answered (store) per size: " + "; ".join(
        f"{int(s):,}: " + ", ".join(f"{k} {v.get('rows', '–')}" for k, v in res['sizes'][s].get('query', {}).get('queries', {}).items())
        for s in sizes))
    for s in sizes:
        r = res["sizes"][s]
        ld = r.get("load", {})
        g, l = ld.get("generate", {}), ld.get("load", {})
        extra = []
        if g:
            extra.append(f"{g['reports']:,} reports, {g['quads']:,} quads, N-Quads {g['file_gb']:.1f} GB")
        if l:
            extra.append(f"store {l.get('disk_gb', 0):.1f} GB on disk; load {l.get('quads_per_s', 0):,.0f} quads/s; "
                         f"build {l.get('build_events_per_s', 0):,.0f} events/s; replace_graph {l.get('replace_graph_events_per_s', 0):,.0f} events/s"
                         + (" (load figures from the run that made the store)" if l.get("reused") else ""))
        mem = [f"load {l.get('peak_rss_gb', 0):.2f} GB" if l else None,
               f"queries {r.get('query', {}).get('peak_rss_after_queries_gb', 0):.2f} GB",
               f"queries+export+network {r.get('query', {}).get('peak_rss_gb', 0):.2f} GB",
               f"rdflib {r.get('rdflib', {}).get('peak_rss_gb', 0):.2f} GB" if r.get("rdflib") and "peak_rss_gb" in r["rdflib"] else None]
        print(f"{int(s):,} events: " + "; ".join(extra) + "; peak RSS " + ", ".join(m for m in mem if m))
        for part in ("load", "query", "rdflib"):
            if isinstance(r.get(part), dict) and "error" in r[part]:
                print(f"  {part}: {r[part]['error']}")


def check_targets(res: dict) -> list[tuple[str, str, bool | None]]:
    out = []
    ing = res.get("ingest") or {}
    if "warm_ingest" in ing:
        v = ing["warm_ingest"]["median"]
        out.append(("35-row report end to end, warm < 0.3 s", _f(v), v < 0.3))
        b = ing["batch"]
        out.append((f"reports in one command ≥ 300 rows/s ({b['reports']} reports)", f"{b['rows_per_s']:.0f} rows/s", b["rows_per_s"] >= 300))
    for s, r in res.get("sizes", {}).items():
        q = r.get("query", {}).get("queries", {})
        if not q:
            continue
        worst = max((q[k].get("median", 1e9), k) for k in SELECTIVE if k in q)
        out.append((f"{int(s):,} events: selective questions < 100 ms", f"slowest {worst[1]} {_f(worst[0]) if worst[0] < 1e9 else 'stopped'}", worst[0] < 0.1))
        worst = max((q[k].get("median", 1e9), k) for k in AGGREGATES if k in q)
        out.append((f"{int(s):,} events: aggregates < 2 s", f"slowest {worst[1]} {_f(worst[0]) if worst[0] < 1e9 else 'stopped'}", worst[0] < 2))
        n = r.get("query", {}).get("network")
        if n and "error" in n:
            out.append((f"{int(s):,} events: network page + centrality < 10 s", n["error"], False))
        elif n and int(s) >= 100_000:
            out.append((f"{int(s):,} events: network page + centrality < 10 s (read from the store)", _f(n["total"]["median"]), n["total"]["median"] < 10))
            if "total_cached" in n:
                out.append((f"{int(s):,} events: network page + centrality < 10 s (cache current)", _f(n["total_cached"]["median"]), n["total_cached"]["median"] < 10))
            if "total_after_ingest" in n:
                out.append((f"{int(s):,} events: network page + centrality < 10 s (after an ingest)", _f(n["total_after_ingest"]["median"]), n["total_after_ingest"]["median"] < 10))
        peak = max(r.get("query", {}).get("peak_rss_gb", 0), r.get("load", {}).get("load", {}).get("peak_rss_gb", 0))
        out.append((f"{int(s):,} events: memory < 16 GB", f"{peak:.1f} GB peak RSS", peak < 16))
        if "reopen_s" in r.get("query", {}):
            out.append((f"{int(s):,} events: reopens without reloading", _f(r["query"]["reopen_s"]), True))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated numbers of events ('' for none)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each timed query and warm ingest")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--reports", type=int, default=20, help="generated 35-row reports for the batch ingest")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--rdflib-max", type=int, default=10_000, help="largest size also run on plain rdflib")
    parser.add_argument("--validate-max", type=int, default=10_000, help="largest size validated whole")
    parser.add_argument("--export-max", type=int, default=1_000_000, help="largest size exported")
    parser.add_argument("--network-max", type=int, default=100_000, help="largest size for the network stage")
    parser.add_argument("--timeout", type=float, default=60, help="seconds before an rdflib query is stopped")
    parser.add_argument("--query-timeout", type=float, default=300, help="seconds before a store part (one query, export, network) is stopped")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", help="comma-separated query parts to run (e.g. events-per-sphere,contacts-town); default all")
    parser.add_argument("--part", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "smolgraph-bench")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)

    if args.child:
        fn = {"ingest": child_ingest, "load": child_load, "query": child_query, "rdflib": child_rdflib}[args.child]
        print(json.dumps(fn(args), ensure_ascii=False))
        return 0

    res: dict = {"machine": machine(), "runs": args.runs, "command": "python bench/run.py " + " ".join(argv or sys.argv[1:]),
                 "sizes": {}}
    if not args.skip_ingest:
        res["ingest"] = run_child("ingest", args, ["--reports", str(args.reports)])
    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        r = res["sizes"][str(size)] = {}
        r["load"] = run_child("load", args, ["--size", str(size)])
        if "error" in r["load"]:
            continue
        r["query"] = query_parts(args, size)
        if size <= args.rdflib_max:
            r["rdflib"] = run_child("rdflib", args, ["--size", str(size)])
    res["targets"] = check_targets(res)
    print_tables(res)
    print("\n## Targets")
    print("| target | measured | met |\n|---|---|---|")
    for name, value, ok in res["targets"]:
        print(f"| {name} | {value} | {'yes' if ok else 'NO'} |")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1, ensure_ascii=False))
        print(f"\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
