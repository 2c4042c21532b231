"""Benchmark of the network stage on a large synthetic store (not a timed test).

Makes N synthetic events (100,000 by default) as EventRecords with partners
drawn from the real gazetteer, builds them with the real builder into an
embedded store (setup, reported but not part of the figures), then times,
for each run:

* load   -- ``load_events``: the SPARQL queries and the plain records;
* one line per projection -- ``analyse``: the projection, its centrality
  and the ranked table;
* page   -- ``write_page`` of the partner network at organisation level
  (more nodes than the page keeps, so the top-k cut is exercised too);
* exports -- GEXF, GraphML and CSV of the region-level partner network.

Run from the checkout::

    python bench/bench_network.py                       # 100,000 events, 3 runs
    python bench/bench_network.py --events 20000 --runs 1
    python bench/bench_network.py --store /tmp/bench-store   # keep the store for the next run

The store is made once per ``--store`` directory and reused when it
already holds the same number of events.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from smolgraph.build import build_gazetteer_graph, build_report_graph
from smolgraph.gazetteer import load_gazetteer
from smolgraph.network import analyse, load_events, write_csv, write_gexf, write_graphml, write_page
from smolgraph.records import DateSpan, EventRecord, OrgRef, PersonRef, PlaceRef, ReportMeta
from smolgraph.store import EmbeddedStore

HOMES = ["Смоленская область", "Брянская область", "Псковская область", "Калужская область", "Тверская область"]
SPHERES = [
    "Сотрудничество в сфере инвестиционного развития",
    "Сотрудничество в сфере промышленности и торговли",
    "Сотрудничество в сфере сельского хозяйства",
    "Сотрудничество в сфере культуры и туризма",
    "Сотрудничество в сфере образования и науки",
    "Сотрудничество в социальной сфере",
    "Сотрудничество в сфере молодежной политики",
    "Сотрудничество в сфере спорта",
    "Общие направления сотрудничества",
]
# Partner countries, weighted roughly as in the reports of border regions.
COUNTRY_WEIGHTS = {"BY": 40, "CN": 10, "KZ": 6, "UZ": 5, "AM": 4, "IN": 4, "MN": 3, "KG": 3, "TJ": 3, "AE": 2, "RS": 2,
                   "VN": 2, "TR": 2, "EG": 1, "IR": 1, "AZ": 1}
ORG_KINDS = ["Университет", "Колледж", "ОАО", "Исполнительный комитет", "Музей", "Театр", "Торговая палата",
             "Ассоциация", "Компания", "Библиотека", "Спортивный клуб", "Министерство"]


def make_reports(n_events: int, seed: int = 1, per_report: int = 1000):
    """Synthetic reports: (meta, events) pairs, about ``per_report`` events each, deterministic per seed."""
    rng = random.Random(seed)
    gazetteer = load_gazetteer()
    countries = [c for c in COUNTRY_WEIGHTS if c in gazetteer]
    weights = [COUNTRY_WEIGHTS[c] for c in countries]
    regions = {c: [p for p in gazetteer if p.level == 1 and p.country == c] for c in countries}
    places = {c: [p for p in gazetteer if p.level >= 2 and p.country == c] for c in countries}

    foreign = []
    for i in range(4000):
        c = rng.choices(countries, weights)[0]
        region = rng.choice(regions[c]) if regions[c] and rng.random() < 0.8 else None
        foreign.append(OrgRef(f"{rng.choice(ORG_KINDS)} «Партнер-{i}»", "foreign", country=c,
                              region_id=region.id if region else None))
    local = {home: [OrgRef(f"{kind} {home.split()[0]} №{i}", "local") for i, kind in
                    enumerate(rng.choices(ORG_KINDS, k=60))] for home in HOMES}
    people = {home: [f"{chr(0x410 + i % 32)}.{chr(0x410 + (i // 32) % 32)}. Иванов-{home[:3]}{i}" for i in range(300)]
              for home in HOMES}

    quarters = [(y, q) for y in range(2021, 2026) for q in range(1, 5)]
    reports = []
    made = 0
    index = 0
    while made < n_events:
        home = HOMES[index % len(HOMES)]
        year, quarter = quarters[(index // len(HOMES)) % len(quarters)]
        index += 1
        meta = ReportMeta(source_file=f"bench-{index:04d}-{year}-q{quarter}.txt", title=f"Отчет {index}", region=home,
                          year=year, quarter=quarter)
        rid = meta.report_id
        start = date(year, 3 * quarter - 2, 1)
        events = []
        for row in range(1, min(per_report, n_events - made) + 1):
            day = start + timedelta(days=rng.randrange(88))
            n_foreign = rng.choices([0, 1, 2, 3, 5], [10, 55, 20, 10, 5])[0]
            partners = rng.sample(foreign, n_foreign)
            codes = sorted({o.country for o in partners} or {rng.choices(countries, weights)[0]})
            partner_regions = []
            partner_places = []
            for c in codes:
                if regions[c] and rng.random() < 0.3:
                    r = rng.choice(regions[c])
                    partner_regions.append(PlaceRef(r.name, r.id, r.kind, c))
                if places[c] and rng.random() < 0.2:
                    p = rng.choice(places[c])
                    partner_places.append(PlaceRef(p.name, p.id, p.kind, c))
            agencies = rng.sample(local[home], rng.choices([1, 2, 3], [60, 30, 10])[0])
            who = [PersonRef(name, "начальник", "local", organisation=agencies[0].name)
                   for name in rng.sample(people[home], rng.choices([0, 1, 2], [50, 35, 15])[0])]
            events.append(EventRecord(
                rid, row, rng.choice(SPHERES), f"Мероприятие {index}-{row} с партнерами", DateSpan(day, day + timedelta(days=rng.choice([0, 0, 1, 2]))),
                online=rng.random() < 0.15, partner_countries=codes, partner_regions=partner_regions,
                partner_places=partner_places, local_orgs=agencies, foreign_orgs=partners, people=who,
            ))
        made += len(events)
        reports.append((meta, events))
    return gazetteer, reports


def build_store(path: Path | None, n_events: int, seed: int) -> tuple[EmbeddedStore, float]:
    marker = path / "bench-events.txt" if path else None
    if marker and marker.exists() and marker.read_text().strip() == f"{n_events} {seed}":
        return EmbeddedStore(path), 0.0
    started = time.perf_counter()
    gazetteer, reports = make_reports(n_events, seed)
    store = EmbeddedStore(path)
    store.replace_graph(build_gazetteer_graph(gazetteer))
    for i, (meta, events) in enumerate(reports, 1):
        store.replace_graph(build_report_graph(meta, events, gazetteer=gazetteer))
        if i % 10 == 0:
            print(f"  built {i}/{len(reports)} reports", file=sys.stderr)
    if marker:
        marker.write_text(f"{n_events} {seed}\n")
    return store, time.perf_counter() - started


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def run_once(store: EmbeddedStore, out: Path) -> dict:
    figures: dict[str, float] = {}
    sizes: dict[str, str] = {}
    data, figures["load_events"] = timed(lambda: load_events(store))
    sizes["events"] = str(len(data.events))
    analyses = {}
    for name, projection, level in (
        ("partners_region", "partners", "region"),
        ("partners_country", "partners", "country"),
        ("partners_organisation", "partners", "organisation"),
        ("bipartite_organisation", "bipartite", "organisation"),
        ("coparticipation_organisation", "coparticipation", "organisation"),
        ("people", "people", None),
    ):
        a, figures[f"analyse_{name}"] = timed(lambda: analyse(data, projection, level))
        analyses[name] = a
        sizes[name] = f"{a.graph.number_of_nodes()} nodes, {a.graph.number_of_edges()} edges"
    a = analyses["partners_organisation"]
    page, figures["page_partners_organisation"] = timed(lambda: write_page(a, out / "partners-organisation.html"))
    sizes["page"] = f"{page.nodes} nodes, {page.edges} edges, {(out / 'partners-organisation.html').stat().st_size / 1e6:.1f} MB"
    page2, figures["page_bipartite_organisation"] = timed(lambda: write_page(analyses["bipartite_organisation"], out / "bipartite.html"))
    sizes["page_bipartite"] = f"{page2.nodes} nodes, {page2.edges} edges, {(out / 'bipartite.html').stat().st_size / 1e6:.1f} MB"
    g = analyses["partners_region"].graph
    _, figures["exports_partners_region"] = timed(
        lambda: (write_gexf(g, out / "n.gexf"), write_graphml(g, out / "n.graphml"), write_csv(g, out / "csv"))
    )
    figures["pipeline_partners_organisation"] = (
        figures["load_events"] + figures["analyse_partners_organisation"] + figures["page_partners_organisation"]
    )
    return {"seconds": figures, "sizes": sizes}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--store", type=Path, help="keep the synthetic store in this directory (default: in memory)")
    parser.add_argument("--out", type=Path, help="where pages and exports go (default: a temporary folder)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    print(f"setting up a store of {args.events:,} synthetic events …", file=sys.stderr)
    store, setup = build_store(args.store, args.events, args.seed)
    out = args.out or Path(tempfile.mkdtemp(prefix="smolgraph-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    runs = []
    for i in range(args.runs):
        runs.append(run_once(store, out))
        print(f"run {i + 1}/{args.runs}: " + ", ".join(f"{k} {v:.2f} s" for k, v in runs[-1]["seconds"].items()), file=sys.stderr)
    keys = list(runs[0]["seconds"])
    summary = {
        "events": args.events,
        "runs": args.runs,
        "setup_seconds": round(setup, 1),
        "median_seconds": {k: round(statistics.median(r["seconds"][k] for r in runs), 2) for k in keys},
        "min_seconds": {k: round(min(r["seconds"][k] for r in runs), 2) for k in keys},
        "sizes": runs[-1]["sizes"],
        "out": str(out),
    }
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        print(f"{args.events:,} events, {args.runs} runs (setup {summary['setup_seconds']} s, not counted)")
        print(f"{'step':40} {'median s':>9} {'min s':>9}")
        for k in keys:
            print(f"{k:40} {summary['median_seconds'][k]:9.2f} {summary['min_seconds'][k]:9.2f}")
        for k, v in summary["sizes"].items():
            print(f"  {k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
