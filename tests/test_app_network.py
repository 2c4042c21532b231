"""The workbench's network (``/api/network``, ``/api/network.gexf``, ``network.js``) on a store of two reporting regions.

The store holds the invented sample (Smolensk oblast) and a small report of
Bryansk oblast written here, with events in Vitebsk, in Minsk and with a
Chinese province. What the network says is checked against the contacts
table's own rows for the same filter, counted here (the partner countries of
each row, its reporting region, its dates), not against the network code.
"""
from __future__ import annotations

import time
import urllib.parse
from collections import Counter, defaultdict
from datetime import date

import networkx as nx
import pytest
from lxml import etree

import smolgraph.api as library
from conftest import report_document
from smolgraph._paths import data_dir
from test_app import get_json, request
from workbench import serving

SAMPLE = data_dir() / "samples" / "invented-smolensk-2025-q2.docx"
SMOLENSK, BRYANSK = "Смоленская область", "Брянская область"
GEXF = {"g": "http://www.gexf.net/1.2draft"}


def bryansk_report(path) -> None:
    """Three events of Bryansk oblast: Vitebsk and Minsk (partners the sample has too) and a Chinese province."""
    document, _table = report_document([
        "Сотрудничество в сфере культуры",
        ["1.", "Дни брянской культуры в Витебске", "г. Витебск, Республика Беларусь", "12–14 мая 2025 г.",
         "Представители управления культуры Витебского областного исполнительного комитета"],
        ["2.", "Выставка брянских художников в Минске", "г. Минск, Республика Беларусь", "5 июня 2025 г.",
         "Представители Министерства культуры Республики Беларусь"],
        "Торгово-экономическое сотрудничество",
        ["3.", "Переговоры с делегацией провинции Хэйлунцзян", "г. Брянск", "20 мая 2025 г.",
         "Делегация провинции Хэйлунцзян (Китайская Народная Республика)"],
    ], title="Отчет о международных мероприятиях Брянской области во II квартале 2025 года")
    document.save(path)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """A server over a store holding the sample and the Bryansk report, on a free port; yields (store, port)."""
    folder = tmp_path_factory.mktemp("network-app")
    bryansk = folder / "bryansk-2025-q2.docx"
    bryansk_report(bryansk)
    library.ingest([SAMPLE, bryansk], store=folder / "store")
    with serving(folder / "store") as served:
        yield served


def split(cell) -> list[str]:
    return [part.strip() for part in str(cell or "").split(";") if part.strip()]


def table(port: int, **params) -> list[dict]:
    status, answer = get_json(port, "/api/contacts", **params)
    assert status == 200, answer
    return answer["rows"]


def network(port: int, **params) -> dict:
    status, answer = get_json(port, "/api/network", **params)
    assert status == 200, answer
    return answer


def test_shared_partners_are_those_both_regions_met(app):
    _store, port = app
    rows = table(port)
    assert {r["reporting_region"] for r in rows} == {SMOLENSK, BRYANSK}
    met: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for country in split(row["partner_countries"]):
            met[country].add(row["reporting_region"])
    answer = network(port, level="country")
    shared = answer["shared"]
    assert answer["reporting_regions"] == sorted([SMOLENSK, BRYANSK]) and shared["regions"] == answer["reporting_regions"]
    got = {p["name"]: {r["name"] for r in p["regions"]} for p in shared["partners"]}
    assert got == dict(met)
    assert shared["count"] == sum(len(regions) > 1 for regions in met.values()) >= 2  # Belarus and China
    assert {"Беларусь", "Китай"} <= {name for name, regions in got.items() if len(regions) == 2}
    # Those met by several regions come first.
    several = [len(p["regions"]) > 1 for p in shared["partners"]]
    assert several == sorted(several, reverse=True)
    # At region level: Vitebsk oblast is a partner of both reports (the sample's and the one written above).
    by_region = {p["name"]: p for p in network(port, level="region")["shared"]["partners"]}
    assert {r["name"] for r in by_region["Витебская область"]["regions"]} == {SMOLENSK, BRYANSK}
    belarus = next(p for p in shared["partners"] if p["name"] == "Беларусь")
    counted = Counter(r["reporting_region"] for r in rows if "Беларусь" in split(r["partner_countries"]))
    assert {r["name"]: r["events"] for r in belarus["regions"]} == dict(counted)


def test_one_region_has_no_shared_partners(app):
    _store, port = app
    answer = network(port, reported_by=SMOLENSK)
    assert answer["shared"] is None and answer["reporting_regions"] == [SMOLENSK]
    assert [n["name"] for n in answer["nodes"] if n["kind"] == "home"] == [SMOLENSK]
    assert all(e["measure"] != "hubs" for e in answer["explanations"])  # one region: every partner has 1


def test_a_filtered_network_has_only_the_nodes_of_those_events(app):
    _store, port = app
    rows = table(port, country="BY")
    answer = network(port, country="BY", level="country")
    assert answer["events"]["filtered"] == len(rows)
    partners = [n for n in answer["nodes"] if n["kind"] != "home"]
    # Events with Belarus may have other partner countries too: those, and no others.
    assert {n["name"] for n in partners} == {c for r in rows for c in split(r["partner_countries"])}
    assert {n["name"] for n in answer["nodes"] if n["kind"] == "home"} == {r["reporting_region"] for r in rows}
    by_name = {n["name"]: n for n in answer["nodes"]}
    for country, node in by_name.items():
        if node["kind"] != "home":
            assert node["events"] == sum(country in split(r["partner_countries"]) for r in rows), country
    ids = {n["id"]: n["name"] for n in answer["nodes"]}
    for edge in answer["edges"]:
        source, target = ids[edge["source"]], ids[edge["target"]]
        mine = [r for r in rows if r["reporting_region"] == source and target in split(r["partner_countries"])]
        assert edge["events"] == len(mine), (source, target)
        assert edge["first"] == min(r["start"] for r in mine)
        assert edge["last"] == max(r["end"] or r["start"] for r in mine)
    # The whole store has more partner countries than the events with Belarus.
    assert len(network(port, level="country")["nodes"]) > len(answer["nodes"])


def test_measures_are_explained_with_their_top_partners(app):
    _store, port = app
    rows = table(port)
    answer = network(port, level="country")
    measures = {e["measure"]: e for e in answer["explanations"]}
    assert {"events", "hubs", "co_partners", "betweenness", "pagerank", "community"} <= set(measures)
    assert "otherwise apart" in measures["betweenness"]["title"]
    assert "most events" in measures["events"]["text"]
    assert all(e["title"] and e["text"] and e["name"] for e in answer["explanations"])
    counts = Counter(c for r in rows for c in split(r["partner_countries"]))
    expected = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:5]
    assert [(t["name"], t["value"]) for t in measures["events"]["top"]] == expected
    # Belarus and China are the only partners both regions met.
    assert {t["name"] for t in measures["hubs"]["top"]} == {"Беларусь", "Китай"}
    for item in answer["explanations"]:
        assert len(item["top"]) <= 5
        if item["measure"] != "community":
            assert all(t["value"] > 0 for t in item["top"])
            values = [t["value"] for t in item["top"]]
            assert values == sorted(values, reverse=True)
    nodes = {n["id"]: n for n in answer["nodes"]}
    for item in answer["explanations"]:
        for entry in item["top"]:
            if item["measure"] != "community":
                assert nodes[entry["id"]]["measures"][item["measure"]] == entry["value"]


def test_nodes_open_their_contacts(app):
    _store, port = app
    answer = network(port, level="region")
    vitebsk = next(n for n in answer["nodes"] if n["name"] == "Витебская область")
    assert vitebsk["subject"] == {"param": "place", "id": "BY-VI", "name": "Витебская область"}
    home = next(n for n in answer["nodes"] if n["name"] == BRYANSK)
    assert home["subject"]["param"] == "reported_by"
    orgs = network(port, level="organisation")
    org = next(n for n in orgs["nodes"] if n["kind"] == "foreign_org")
    status, contacts = get_json(port, "/api/contacts", organisation=org["subject"]["id"])
    assert status == 200 and len(contacts["rows"]) == org["events"]


def test_limit_and_level_are_checked(app):
    _store, port = app
    answer = network(port, level="organisation", limit=5)
    assert len(answer["nodes"]) == 5 and answer["truncated"] and answer["total"]["nodes"] > 5
    kept = {n["id"] for n in answer["nodes"]}
    assert all(e["source"] in kept and e["target"] in kept for e in answer["edges"])
    assert answer["notes"] and str(answer["total"]["nodes"]) in answer["notes"][0]
    status, error = get_json(port, "/api/network", level="galaxy")
    assert status == 400 and "galaxy" in error["error"]
    status, error = get_json(port, "/api/network", limit="many")
    assert status == 400 and "limit" in error["error"]


def test_the_heaviest_links_are_drawn_beyond_the_link_limit(app, monkeypatch):
    import smolgraph.app.network_view as view

    _store, port = app
    whole = network(port, level="region")
    monkeypatch.setattr(view, "EDGE_LIMIT", 4)
    cut = network(port, level="region")
    assert len(cut["edges"]) == 4 and cut["truncated"] and len(cut["nodes"]) == len(whole["nodes"])
    weights = sorted((e["events"] for e in whole["edges"]), reverse=True)
    assert sorted((e["events"] for e in cut["edges"]), reverse=True) == weights[:4]
    assert any(str(len(whole["edges"])) in note for note in cut["notes"])


def overlap_groups(spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Events whose days overlap, grouped (connected parts of the overlap graph), each as (first day, last day)."""
    G = nx.Graph()
    G.add_nodes_from(range(len(spans)))
    for i, (a0, a1) in enumerate(spans):
        for j, (b0, b1) in enumerate(spans):
            if i < j and a0 <= b1 and b0 <= a1:
                G.add_edge(i, j)
    return sorted((min(spans[i][0] for i in part), max(spans[i][1] for i in part)) for part in nx.connected_components(G))


def test_the_gexf_download_has_a_spell_per_event(app):
    _store, port = app
    rows = table(port, country="BY")
    status, headers, body = request(port, "GET", "/api/network.gexf?" + urllib.parse.urlencode({"country": "BY", "level": "country"}))
    assert status == 200 and headers["Content-Type"].startswith("application/gexf+xml")
    assert "attachment" in headers["Content-Disposition"] and ".gexf" in headers["Content-Disposition"]
    root = etree.fromstring(body)
    graph = root.find("g:graph", GEXF)
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    labels = {n.get("id"): n.get("label") for n in graph.iterfind("g:nodes/g:node", GEXF)}
    answer = network(port, country="BY", level="country")
    assert set(labels) == {n["id"] for n in answer["nodes"]}
    checked = 0
    for edge in graph.iterfind("g:edges/g:edge", GEXF):
        region, country = labels[edge.get("source")], labels[edge.get("target")]
        spans = [(r["start"], r["end"] or r["start"]) for r in rows
                 if r["reporting_region"] == region and country in split(r["partner_countries"]) and r["start"]]
        spells = sorted((s.get("start"), s.get("end")) for s in edge.iterfind("g:spells/g:spell", GEXF))
        assert spells == overlap_groups(spans), (region, country)
        assert int(edge.get("weight")) == len(spans)
        checked += 1
    assert checked == len(answer["edges"])
    # Bryansk's two Belarus events are weeks apart: two spells, one per event.
    bryansk = next(e for e in graph.iterfind("g:edges/g:edge", GEXF)
                   if labels[e.get("source")] == BRYANSK and labels[e.get("target")] == "Беларусь")
    assert [(s.get("start"), s.get("end")) for s in bryansk.iterfind("g:spells/g:spell", GEXF)] == [
        ("2025-05-12", "2025-05-14"), ("2025-06-05", "2025-06-05")]
    assert date.fromisoformat(bryansk.get("start")) == date(2025, 5, 12)


def test_the_network_answers_again_from_what_it_kept(app):
    """The second call for a filter reuses the analysis; an ingest (a new store revision) makes it read again."""
    _store, port = app
    network(port, level="region", sphere="Сотрудничество в сфере культуры")
    started = time.perf_counter()
    again = network(port, level="region", sphere="Сотрудничество в сфере культуры")
    assert time.perf_counter() - started < 5
    assert again["events"]["filtered"] == len(table(port, sphere="Сотрудничество в сфере культуры"))


# -- the page in a real browser ------------------------------------------------------------------
@pytest.mark.browser
def test_the_network_view_draws_in_chromium(app):
    from test_network_page import Browser, _chromium

    binary = _chromium()
    if binary is None:
        pytest.skip("no chromium binary on PATH (install Debian's chromium, or set SMOLGRAPH_CHROMIUM); .ci/run installs it")
    store, port = app
    expected = network(port)
    browser = Browser(binary)
    try:
        url = f"http://127.0.0.1:{port}/"
        browser.url = url
        browser.call("Page.navigate", {"url": url}, session=True)

        def settle(what: str, timeout: float = 60) -> None:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if browser.js("!!(window.smolgraph && window.smolgraph.settled())"):
                    return
                browser.drain(0.1)
            raise TimeoutError(f"the page did not settle after {what}")

        settle("loading")
        browser.js("document.querySelector('nav button[data-view=\"network\"]').click()")
        settle("showing the network")
        browser.drain(0.5)
        assert browser.js("!document.getElementById('view-network').hidden")
        assert browser.js("!!document.querySelector('#network-canvas canvas')")
        assert browser.js("document.getElementById('network-canvas').dataset.nodes") == str(len(expected["nodes"]))
        # vis-network holds exactly the nodes of the answer.
        assert browser.js("document.getElementById('network-canvas').getBoundingClientRect().height") > 300
        cards = browser.js("[...document.querySelectorAll('#network-explain article')].map(a => a.dataset.measure)")
        assert cards == [e["measure"] for e in expected["explanations"]]
        text = browser.js("document.getElementById('network-explain').innerText")
        assert "Links partners that are otherwise apart" in text and "Most events" in text
        assert browser.js("document.querySelectorAll('#network-shared-table tbody tr').length") == len(expected["shared"]["partners"])
        assert browser.js("document.querySelectorAll('#network-shared-table tbody tr.several').length") == expected["shared"]["count"]
        href = browser.js("document.getElementById('network-gexf').getAttribute('href')")
        assert href.startswith("/api/network.gexf?") and "level=region" in href
        # A partner of the top list: the side panel names it, and its button opens its contacts.
        browser.js("document.querySelector('#network-explain article[data-measure=\"events\"] li button').click()")
        first = expected["explanations"][0]["top"][0]["name"]
        assert browser.js("document.getElementById('network-node-name').textContent") == first
        browser.js("document.getElementById('network-open').click()")
        settle("opening the contacts")
        assert browser.js("!document.getElementById('view-contacts').hidden")
        assert first in browser.js("document.getElementById('contacts-heading').textContent")
        # A filter set in the contacts view is the network's when it is shown again.
        browser.js("document.querySelector('nav button[data-view=\"network\"]').click()")
        settle("showing the network again")
        subject = next(n["subject"] for n in expected["nodes"] if n["name"] == first)
        narrowed = network(port, **{subject["param"]: subject["id"]})
        assert browser.js("document.getElementById('network-canvas').dataset.nodes") == str(len(narrowed["nodes"]))
        browser.drain(0.5)
        assert browser.errors() == []
        assert all(u.startswith(f"http://127.0.0.1:{port}/") for u in browser.requests()), browser.requests()
    finally:
        browser.close()
