"""The network stage: events read from a store, projections, filters, centrality, exports, CLI.

The graph is built here from hand-made EventRecords with the real builder
and gazetteer, so it keeps the shapes ``smolgraph.build`` writes.
"""
from __future__ import annotations

import csv
import importlib
import json
import re
from datetime import date

import networkx as nx
import pytest
from rdflib import Dataset

from smolgraph.build import build_gazetteer_graph, build_report_graph
from smolgraph.errors import QueryError
from smolgraph.gazetteer import load_gazetteer
from smolgraph.network import (
    EventFilter,
    agencies_partners,
    analyse,
    centrality,
    coparticipation,
    load_events,
    pagerank,
    parse_period,
    partner_network,
    people_network,
    select_events,
    write_csv,
    write_gexf,
    write_graphml,
    write_page,
)
from smolgraph.records import DateSpan, EventRecord, OrgRef, PersonRef, PlaceRef, ReportMeta
from smolgraph.store import EmbeddedStore

INV = "Сотрудничество в сфере инвестиционного развития"
CUL = "Сотрудничество в сфере культуры и туризма"
EDU = "Сотрудничество в сфере образования и науки"
GOV = OrgRef("Правительство Смоленской области", "local")
MINEC = OrgRef("Министерство экономического развития Смоленской области", "local")
DEPCUL = OrgRef("Департамент Смоленской области по культуре", "local")
SMOLGU = OrgRef("Смоленский государственный университет", "local")
ASEPTO = OrgRef("компания «Asepto»", "foreign", country="IN")
MAZ = OrgRef("ОАО «МАЗ»", "foreign", country="BY", region_id="BY-HM")
VGU = OrgRef("Витебский государственный университет", "foreign", country="BY", region_id="BY-VI")
ORSHA = OrgRef("Оршанский районный исполнительный комитет", "foreign", country="BY", place_id="BY-VI-orsha")
PKU = OrgRef("Пекинский университет", "foreign", country="CN", region_id="CN-BJ")
EVIL_NAME = "Клуб <script>window.__smolgraph_pwned=1</script> «Победа» <img src=x onerror=window.__smolgraph_pwned=2>"
EVIL = OrgRef(EVIL_NAME, "foreign", country="CN")
HOME = "https://w3id.org/smolgraph/id/place/RU-SMO"


def _days(first: str, last: str | None = None) -> DateSpan:
    return DateSpan(date.fromisoformat(first), date.fromisoformat(last or first))


def reports() -> list[tuple[ReportMeta, list[EventRecord]]]:
    """Two quarterly reports of Smolensk oblast, eight rows."""
    q1 = ReportMeta(source_file="smolensk-2025-q1.txt", title="Отчет за I квартал", region="Смоленская область", year=2025, quarter=1)
    q2 = ReportMeta(source_file="smolensk-2025-q2.txt", title="Отчет за II квартал", region="Смоленская область", year=2025, quarter=2)
    r1, r2 = q1.report_id, q2.report_id
    return [
        (q1, [
            EventRecord(r1, 1, INV, "Встреча с компанией «Asepto»", _days("2025-02-03"), partner_countries=["IN"],
                        local_orgs=[GOV], foreign_orgs=[ASEPTO],
                        people=[PersonRef("В.Н. Анохин", "Губернатор Смоленской области", "local", organisation=GOV.name)]),
            EventRecord(r1, 2, INV, "Визит делегации в г. Минск", _days("2025-02-03", "2025-02-04"), partner_countries=["BY"],
                        partner_regions=[PlaceRef("Минск", "BY-HM", "city", "BY")], local_orgs=[GOV, MINEC], foreign_orgs=[MAZ]),
            EventRecord(r1, 3, CUL, "Фестиваль «Славянское единство»", _days("2025-03-10", "2025-03-12"),
                        partner_countries=["BY", "CN"], partner_regions=[PlaceRef("Витебская область", "BY-VI", "region", "BY")],
                        partner_places=[PlaceRef("Орша", "BY-VI-orsha", "city", "BY")],
                        local_orgs=[DEPCUL], foreign_orgs=[ORSHA, PKU],
                        people=[PersonRef("И.И. Петров", "начальник Департамента", "local", organisation=DEPCUL.name),
                                PersonRef("А.А. Ли", "ректор", "foreign", country="CN", organisation=PKU.name)]),
            EventRecord(r1, 4, EDU, "Онлайн-конференция", _days("2025-03-20"), online=True, partner_countries=["BY"],
                        local_orgs=[SMOLGU], foreign_orgs=[VGU]),
            EventRecord(r1, 5, CUL, "Турнир", _days("2025-03-25"), partner_countries=["CN"], local_orgs=[DEPCUL], foreign_orgs=[EVIL]),
            EventRecord(r1, 6, INV, "Совещание в Москве", _days("2025-03-27"), local_orgs=[GOV]),
        ]),
        (q2, [
            EventRecord(r2, 1, EDU, "Форум вузов", _days("2025-04-15"), partner_countries=["BY"], local_orgs=[SMOLGU],
                        foreign_orgs=[VGU, MAZ]),
            EventRecord(r2, 2, EDU, "Онлайн-лекция", None, online=True, partner_countries=["CN"], local_orgs=[SMOLGU],
                        foreign_orgs=[PKU]),
        ]),
    ]


def make_store(path=None) -> EmbeddedStore:
    """A store holding the gazetteer and the two reports."""
    gazetteer = load_gazetteer()
    store = EmbeddedStore(path)
    store.replace_graph(build_gazetteer_graph(gazetteer))
    for meta, events in reports():
        store.replace_graph(build_report_graph(meta, events, gazetteer=gazetteer))
    return store


@pytest.fixture(scope="module")
def store():
    return make_store()


@pytest.fixture(scope="module")
def data(store):
    return load_events(store)


def labels(G, nodes=None):
    return sorted(G.nodes[n]["label"] for n in (G if nodes is None else nodes))


def edge_labels(G):
    return sorted((G.nodes[u]["label"], G.nodes[v]["label"], d["weight"]) for u, v, d in G.edges(data=True))


# -- events --------------------------------------------------------------------


def test_load_events_reads_every_event_with_its_facts(data):
    assert [e.key for e in data.events] == [f"smolensk-2025-q1#{i}" for i in range(1, 7)] + [
        "smolensk-2025-q2#1", "smolensk-2025-q2#2"]
    festival = data.events[2]
    assert festival.title == "Фестиваль «Славянское единство»"
    assert (festival.start, festival.end) == (date(2025, 3, 10), date(2025, 3, 12))
    assert festival.sphere == CUL and festival.online is False and festival.home == HOME
    assert [data.label(c) for c in festival.countries] == ["Беларусь", "Китай"]
    assert sorted(data.label(r) for r in festival.regions) == ["Витебская область", "Пекин"]
    assert [data.label(p) for p in festival.places] == ["Орша"]
    assert [data.label(o) for o in festival.local_orgs] == [DEPCUL.name]
    assert sorted(data.label(o) for o in festival.foreign_orgs) == [ORSHA.name, PKU.name]
    assert sorted((data.label(p.person), p.role, p.side, data.label(p.organisation)) for p in festival.participants) == [
        ("А.А. Ли", "ректор", "foreign", PKU.name), ("И.И. Петров", "начальник Департамента", "local", DEPCUL.name)]
    assert festival.quarter == "2025-Q1"
    # the place of an organisation counts: MAZ in Minsk makes the forum a contact with Minsk
    forum = data.events[6]
    assert sorted(data.label(r) for r in forum.regions) == ["Витебская область", "Минск"]
    # an undated row counts as happening in its report's quarter
    lecture = data.events[7]
    assert (lecture.start, lecture.end, lecture.online) == (date(2025, 4, 1), date(2025, 6, 30), True)
    assert data.entities[HOME].kind == "home" and data.label(HOME) == "Смоленская область"


def test_load_events_from_an_rdflib_dataset_gives_the_same_records(data):
    gazetteer = load_gazetteer()
    ds = Dataset()
    for graph in [build_gazetteer_graph(gazetteer)] + [build_report_graph(m, e, gazetteer=gazetteer) for m, e in reports()]:
        named = ds.graph(graph.identifier)
        for triple in graph:
            named.add(triple)
    other = load_events(ds)
    assert [(e.key, e.countries, e.regions, e.foreign_orgs, e.start) for e in other.events] == [
        (e.key, e.countries, e.regions, e.foreign_orgs, e.start) for e in data.events]


def test_an_empty_store_gives_no_events():
    data = load_events(EmbeddedStore(None))
    assert data.events == []
    assert partner_network(data).number_of_nodes() == 0
    assert analyse(data).rows == []


# -- filters -------------------------------------------------------------------


def test_parse_period_forms():
    assert parse_period("2025-q3") == (date(2025, 7, 1), date(2025, 9, 30))
    assert parse_period("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert parse_period("2025-03-14") == (date(2025, 3, 14), date(2025, 3, 14))
    assert parse_period("2025-Q1..2025-Q2") == (date(2025, 1, 1), date(2025, 6, 30))
    for bad in ("Q1", "2025-Q5", "2025-13", "2025-02-30", "spring"):
        with pytest.raises(QueryError):
            parse_period(bad)


def test_filters_by_period_sphere_country_and_online(data):
    keys = lambda **kw: [e.key.split("-")[-1] for e in select_events(data, EventFilter.make(**kw))]  # noqa: E731
    assert keys(period="2025-Q2") == ["q2#1", "q2#2"]
    assert keys(start="2025-03-01", end="2025-03-20") == ["q1#3", "q1#4"]
    assert keys(year=2025, quarter=1) == [f"q1#{i}" for i in range(1, 7)]
    assert keys(period="2025-02") == ["q1#1", "q1#2"]
    assert keys(sphere="культур") == ["q1#3", "q1#5"]
    assert keys(sphere=["культур", "образов"]) == ["q1#3", "q1#4", "q1#5", "q2#1", "q2#2"]
    assert keys(country="CN") == ["q1#3", "q1#5", "q2#2"]
    assert keys(country="Белоруссия") == keys(country="BY") == keys(country="беларусь") == ["q1#2", "q1#3", "q1#4", "q2#1"]
    assert keys(online=True) == ["q1#4", "q2#2"]
    assert keys(online=False, country="BY", period="2025-Q1") == ["q1#2", "q1#3"]


def test_filters_that_match_nothing_in_the_graph_say_what_there_is(data):
    with pytest.raises(QueryError, match="Беларусь"):
        select_events(data, EventFilter.make(country="Атлантида"))
    with pytest.raises(QueryError, match="культуры и туризма"):
        select_events(data, EventFilter.make(sphere="космос"))
    with pytest.raises(QueryError, match="empty"):
        EventFilter.make(start="2025-05-01", end="2025-04-01")


# -- projections ---------------------------------------------------------------


def test_partner_network_at_each_level_is_a_star_around_the_reporting_region(data):
    G = partner_network(data, "country")
    assert G.is_directed()
    assert edge_labels(G) == [("Смоленская область", "Беларусь", 4), ("Смоленская область", "Индия", 1),
                              ("Смоленская область", "Китай", 3)]
    assert G.nodes[HOME]["kind"] == "home"
    assert edge_labels(partner_network(data, "region")) == [
        ("Смоленская область", "Витебская область", 3), ("Смоленская область", "Минск", 2), ("Смоленская область", "Пекин", 2)]
    assert edge_labels(partner_network(data, "place")) == [("Смоленская область", "Орша", 1)]
    G = partner_network(data, "organisation")
    assert labels(G) == sorted(["Смоленская область", ASEPTO.name, MAZ.name, ORSHA.name, PKU.name, VGU.name, EVIL_NAME])
    # edge data lists the events, with dates for the timeline
    vitebsk = "https://w3id.org/smolgraph/id/place/BY-VI"
    edge = partner_network(data, "region").edges[HOME, vitebsk]
    assert [G.graph["events"][e]["row"] for e in edge["events"]] == [3, 4, 1]
    assert (edge["start"], edge["end"]) == ("2025-03-10", "2025-04-15")


def test_partner_network_honours_filters(data):
    assert edge_labels(partner_network(data, "country", period="2025-Q2")) == [
        ("Смоленская область", "Беларусь", 1), ("Смоленская область", "Китай", 1)]
    assert edge_labels(partner_network(data, "country", online=True, sphere="образ")) == [
        ("Смоленская область", "Беларусь", 1), ("Смоленская область", "Китай", 1)]
    assert partner_network(data, "country", period="2025-Q2").graph["filter"] == "period 2025-04-01..2025-06-30"
    with pytest.raises(QueryError, match="unknown level"):
        partner_network(data, "planet")


def test_coparticipation_ties_partners_of_one_event(data):
    G = coparticipation(data, "organisation")
    assert not G.is_directed()
    assert edge_labels(G) == sorted([(ORSHA.name, PKU.name, 1), (MAZ.name, VGU.name, 1)]) or edge_labels(G) == sorted(
        [(PKU.name, ORSHA.name, 1), (MAZ.name, VGU.name, 1)])
    assert {G.nodes[n]["label"] for n in nx.isolates(G)} == {ASEPTO.name, EVIL_NAME}
    G = coparticipation(data, "country")
    assert edge_labels(G) == [("Беларусь", "Китай", 1)]
    assert coparticipation(data, "country", period="2025-Q2").number_of_edges() == 0


def test_agencies_partners_is_bipartite_with_events_on_edges(data):
    G = agencies_partners(data)
    assert nx.is_bipartite(G)
    assert {G.nodes[n]["label"] for n, b in G.nodes(data="bipartite") if b == 0} == {
        GOV.name, MINEC.name, DEPCUL.name, SMOLGU.name}
    assert (SMOLGU.name, VGU.name, 2) in edge_labels(G)
    assert (GOV.name, MAZ.name, 1) in edge_labels(G) and (MINEC.name, MAZ.name, 1) in edge_labels(G)
    assert G.number_of_edges() == 9
    u = next(n for n in G if G.nodes[n]["label"] == SMOLGU.name)
    v = next(n for n in G if G.nodes[n]["label"] == VGU.name)
    assert [G.graph["events"][e]["report"] + "#" + str(G.graph["events"][e]["row"]) for e in G.edges[u, v]["events"]] == [
        "smolensk-2025-q1#4", "smolensk-2025-q2#1"]
    # at country level the partners are countries
    assert edge_labels(agencies_partners(data, "country", period="2025-Q2")) == [
        (SMOLGU.name, "Беларусь", 1), (SMOLGU.name, "Китай", 1)]


def test_people_network_links_people_organisations_and_events(data):
    G = people_network(data)
    kinds = {G.nodes[n]["label"]: G.nodes[n]["kind"] for n in G}
    assert kinds["И.И. Петров"] == "person" and kinds["Фестиваль «Славянское единство»"] == "event"
    assert kinds[PKU.name] == "foreign_org" and kinds[GOV.name] == "local_org"
    li = next(n for n in G if G.nodes[n]["label"] == "А.А. Ли")
    assert sorted((G.nodes[v]["label"], d.get("role")) for _, v, d in G.out_edges(li, data=True)) == [
        (PKU.name, None), ("Фестиваль «Славянское единство»", "ректор")]
    assert people_network(data, sphere="образ").number_of_nodes() == 0


# -- centrality ----------------------------------------------------------------


def test_centrality_on_known_graphs():
    path = nx.path_graph(["a", "b", "c", "d", "e"])
    for u, v in path.edges:
        path[u][v]["weight"] = 1
    c = centrality(path)
    assert c.scores["betweenness"]["c"] == max(c.scores["betweenness"].values())
    assert c.scores["betweenness"]["a"] == 0
    assert c.method["eigenvector"] == "eigenvector"
    # two dense groups joined by one bridge: two communities, the bridge ends broker
    G = nx.Graph()
    for group in (["a1", "a2", "a3", "a4"], ["b1", "b2", "b3", "b4"]):
        for i, u in enumerate(group):
            for v in group[i + 1:]:
                G.add_edge(u, v, weight=3)
    G.add_edge("a1", "b1", weight=1)
    c = centrality(G)
    assert sorted(map(sorted, c.communities)) == [["a1", "a2", "a3", "a4"], ["b1", "b2", "b3", "b4"]]
    top = sorted(c.scores["betweenness"], key=c.scores["betweenness"].get)[-2:]
    assert sorted(top) == ["a1", "b1"]
    assert c.scores["weighted_degree"]["a1"] == 10 and c.scores["degree"]["a1"] == 4


def test_pagerank_matches_networkx():
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    G = nx.gnm_random_graph(60, 200, seed=3, directed=True)
    for i, (u, v) in enumerate(G.edges):
        G[u][v]["weight"] = 1 + i % 4
    ours, theirs = pagerank(G, tol=1e-12), _pagerank_python(G, tol=1e-12, max_iter=1000)
    assert max(abs(ours[n] - theirs[n]) for n in G) < 1e-9


def test_katz_stands_in_when_eigenvector_does_not_converge(monkeypatch, data):
    # A heavy star converges (the shift takes care of the swing between the sides) ...
    star = nx.Graph([("hub", f"leaf{i}", {"weight": 1000}) for i in range(6)])
    assert centrality(star).method["eigenvector"] == "eigenvector"
    # ... two tight groups joined by one thin tie do not: the spectral gap is tiny.
    G = nx.Graph()
    for group, weight in (("a", 50), ("b", 49)):
        for i in range(5):
            for j in range(i + 1, 5):
                G.add_edge(f"{group}{i}", f"{group}{j}", weight=weight)
    G.add_edge("a0", "b0", weight=1)
    G.add_edge("a1", "a9", weight=1)
    c = centrality(G)
    assert c.method["eigenvector"] == "katz" and any("Katz" in note for note in c.notes)
    assert c.scores["eigenvector"]["a0"] > c.scores["eigenvector"]["a9"]

    module = importlib.import_module("smolgraph.network.centrality")  # the package exports a function of that name

    monkeypatch.setattr(module, "_eigenvector", lambda adj, wts: ([1.0] * len(adj), "katz"))
    a = analyse(data, "bipartite")
    assert "katz" in a.measures and "eigenvector" not in a.measures
    assert any("Katz" in note for note in a.notes)
    assert analyse(data, "bipartite", sort="eigenvector").sort == "katz"


def test_betweenness_and_eigenvector_match_networkx():
    G = nx.gnm_random_graph(80, 160, seed=2)
    for i, (u, v) in enumerate(G.edges):
        G[u][v]["weight"] = 1 + i % 3
    c = centrality(G)
    theirs = nx.betweenness_centrality(G)
    assert max(abs(c.scores["betweenness"][n] - theirs[n]) for n in G) < 1e-12
    eig = nx.eigenvector_centrality(G, weight="weight", tol=1e-10, max_iter=5000)
    assert max(abs(c.scores["eigenvector"][n] - eig[n]) for n in G) < 1e-3
    assert sorted(G, key=eig.get)[-5:] == sorted(G, key=c.scores["eigenvector"].get)[-5:]


def test_betweenness_is_sampled_on_large_graphs():
    G = nx.gnm_random_graph(120, 300, seed=1)
    nx.set_edge_attributes(G, 1, "weight")
    c = centrality(G, exact_betweenness_limit=100, betweenness_budget=1000)
    assert c.method["betweenness"] == "estimated from 32 of 120 sources" and c.notes
    exact = nx.betweenness_centrality(G)
    top = sorted(G, key=exact.get)[-3:]
    assert set(top) & set(sorted(G, key=c.scores["betweenness"].get)[-10:])


def test_analyse_ranks_partners_with_measures_that_discriminate(data):
    a = analyse(data, "partners", "region")
    assert a.columns == ["rank", "label", "kind", "country", "events", "hubs", "co_partners", "shared", "betweenness",
                         "eigenvector", "pagerank", "community"]
    rows = a.top(20)
    assert [r["label"] for r in rows] == ["Витебская область", "Минск", "Пекин"]
    vitebsk = rows[0]
    assert (vitebsk["rank"], vitebsk["events"], vitebsk["hubs"], vitebsk["co_partners"], vitebsk["betweenness"]) == (1, 3, 1, 2, 1.0)
    assert rows[1]["betweenness"] == 0.0  # the star alone would give every partner the same
    assert a.events == 5  # the rows that name a foreign region
    assert [r["label"] for r in analyse(data, "partners", "region", sort="betweenness").top(1)] == ["Витебская область"]
    with pytest.raises(QueryError, match="cannot sort"):
        analyse(data, sort="fame")
    with pytest.raises(QueryError, match="unknown projection"):
        analyse(data, "galaxy")


def test_analyse_other_projections(data):
    a = analyse(data, "bipartite", "organisation", period="2025-Q1")
    # the bipartite network of one quarter falls apart into pieces: no single eigenvector, so Katz
    assert a.columns[4:] == ["events", "degree", "weighted_degree", "betweenness", "katz", "pagerank", "community"]
    assert a.rows[0]["kind"] in ("local agency", "foreign organisation")
    assert {r["label"] for r in a.rows} >= {GOV.name, MAZ.name}
    a = analyse(data, "coparticipation", "organisation")
    assert {r["community"] for r in a.rows if r["label"] in (MAZ.name, VGU.name)} == {
        next(r["community"] for r in a.rows if r["label"] == MAZ.name)}
    a = analyse(data, "people")
    assert any(r["kind"] == "person" for r in a.rows)


# -- page (without a browser) and exports --------------------------------------


def test_page_is_self_contained_and_escapes_labels(data, tmp_path):
    a = analyse(data, "bipartite", "organisation")
    page = write_page(a, tmp_path / "out" / "network.html")
    text = page.path.read_text(encoding="utf-8")
    assert page.nodes == a.graph.number_of_nodes() and page.edges == a.graph.number_of_edges()
    assert "<script src" not in text and "<link rel=\"stylesheet\"" not in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert not re.search(r"url\(\s*[\"']?(https?:)?//", text)
    assert "Content-Security-Policy" in text
    assert "<script>window.__smolgraph_pwned" not in text and "<img src=x" not in text
    assert "\\u003cscript\\u003ewindow.__smolgraph_pwned" in text
    assert len(re.findall(r"^<script", text, re.M)) == 3  # vis, the data block, the page script
    assert "vis.Network" in text


def test_page_sizes_and_colours_can_be_chosen(data, tmp_path):
    a = analyse(data, "partners", "country")
    page = write_page(a, tmp_path / "n.html", size_by="betweenness", color_by="country")
    text = page.path.read_text(encoding="utf-8")
    assert '"sizeBy":"betweenness"' in text and '"colourBy":"country"' in text
    with pytest.raises(QueryError):
        write_page(a, tmp_path / "x.html", size_by="community")
    with pytest.raises(QueryError):
        write_page(a, tmp_path / "x.html", color_by="mood")


def test_page_aggregates_beyond_the_node_limit(data, tmp_path):
    a = analyse(data, "bipartite", "organisation")
    page = write_page(a, tmp_path / "n.html", max_nodes=4)
    assert page.nodes == 4
    assert "10 nodes" in page.notes[0] and "the 4 with" in page.notes[0]
    assert "10 nodes" in page.path.read_text(encoding="utf-8")


def test_gexf_has_a_timeline_and_reads_back(data, tmp_path):
    a = analyse(data, "partners", "region")
    path = write_gexf(a.graph, tmp_path / "n.gexf")
    text = path.read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    G = nx.read_gexf(path)
    vitebsk = "https://w3id.org/smolgraph/id/place/BY-VI"
    assert G.nodes[vitebsk]["label"] == "Витебская область"
    assert G.nodes[vitebsk]["start"] == "2025-03-10" and G.nodes[vitebsk]["end"] == "2025-04-15"
    edge = G.edges[HOME, vitebsk]
    assert edge["weight"] == 3 and edge["start"] == "2025-03-10"
    assert edge["events"] == "smolensk-2025-q1#3; smolensk-2025-q1#4; smolensk-2025-q2#1"
    assert G.nodes[vitebsk]["betweenness"] == 1.0


def test_graphml_and_csv_read_back(data, tmp_path):
    a = analyse(data, "bipartite", "organisation")
    G = nx.read_graphml(write_graphml(a.graph, tmp_path / "n.graphml"))
    assert G.number_of_nodes() == a.graph.number_of_nodes() and G.number_of_edges() == a.graph.number_of_edges()
    assert EVIL_NAME in {d["label"] for _, d in G.nodes(data=True)}
    nodes_csv, edges_csv = write_csv(a.graph, tmp_path / "csv")
    with nodes_csv.open(encoding="utf-8") as fh:
        nodes = list(csv.DictReader(fh))
    with edges_csv.open(encoding="utf-8") as fh:
        edges = list(csv.DictReader(fh))
    assert len(nodes) == a.graph.number_of_nodes() and len(edges) == a.graph.number_of_edges()
    assert list(nodes[0])[:5] == ["id", "label", "kind", "country", "country_label"]
    assert {"pagerank", "betweenness", "community", "n_events", "start", "end"} <= set(nodes[0])
    assert list(edges[0])[:4] == ["source", "target", "weight", "n_events"]
    smolgu_vgu = next(e for e in edges if "smolenskiy-gosudarstvennyy" in e["source"] and "vitebskiy" in e["target"])
    assert smolgu_vgu["weight"] == "2" and smolgu_vgu["events"] == "smolensk-2025-q1#4; smolensk-2025-q2#1"


# -- command line --------------------------------------------------------------


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "store"
    make_store(path).close()
    return path


def test_cli_prints_a_ranked_table(store_dir, capsys):
    from smolgraph.cli import main

    assert main(["--store", str(store_dir), "network", "--level", "region", "--top", "2", "--wide"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert any(line.startswith("rank") and "betweenness" in line for line in lines)
    assert "Витебская область" in out and "Минск" in out and "Пекин" not in out
    # Without --wide the table fits the terminal (100 columns when there is none), cuts marked.
    assert main(["--store", str(store_dir), "network", "--level", "region", "--top", "2"]) == 0
    narrow = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in narrow) <= 100 and any("…" in line for line in narrow)


def test_cli_json_and_csv_with_filters(store_dir, capsys):
    from smolgraph.cli import main

    assert main(["--store", str(store_dir), "network", "--level", "country", "--period", "2025-Q2", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["rank"], r["label"], r["events"]) for r in rows] == [(1, "Беларусь", 1), (2, "Китай", 1)]
    assert main(["--store", str(store_dir), "network", "--projection", "bipartite", "--sphere", "культур",
                 "--format", "csv", "--top", "0"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert {r["label"] for r in rows} == {DEPCUL.name, ORSHA.name, PKU.name, EVIL_NAME}
    assert main(["--store", str(store_dir), "network", "--country", "CN", "--offline", "--level", "country",
                 "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["label"] for r in rows] == ["Беларусь", "Китай"] or [r["label"] for r in rows] == ["Китай", "Беларусь"]


def test_cli_writes_the_page_and_exports(store_dir, tmp_path, capsys):
    from smolgraph.cli import main

    args = ["--store", str(store_dir), "network", "--projection", "bipartite", "--level", "organisation",
            "--html", str(tmp_path / "page.html"), "--gexf", str(tmp_path / "n.gexf"),
            "--graphml", str(tmp_path / "n.graphml"), "--csv", str(tmp_path / "csv"), "--color-by", "country"]
    assert main(args) == 0
    captured = capsys.readouterr()
    for name in ("page.html", "n.gexf", "n.graphml", "csv/nodes.csv", "csv/edges.csv"):
        assert (tmp_path / name).exists(), name
    assert "page.html" in captured.err


def test_cli_errors_are_readable(store_dir, capsys):
    from smolgraph.cli import main

    assert main(["--store", str(store_dir), "network", "--period", "spring"]) == 2
    assert "cannot read the period" in capsys.readouterr().err
    assert main(["--store", str(store_dir), "network", "--country", "Атлантида"]) == 2
    assert "no partner country" in capsys.readouterr().err
