"""The words that gave each fact: kept by the extractors, written as sg:Mention, asked by event-evidence, marked on the card.

On the real report (../shared): every mark's words are the cell's text between
its offsets, as the store gives the cell back; every mark supports a fact the
event has; every partner place has words; row 20's participants cell marks
the words that gave Оршанский район. The same in headless chromium.
"""
from __future__ import annotations

import collections
import threading
import time

import pytest
from rdflib import Literal

import smolgraph.api as library
from smolgraph.app.api import Workbench
from smolgraph.extract import extract_report
from smolgraph.extract.evidence import record_values
from smolgraph.morph import fold
from smolgraph.read import read_report
from smolgraph.records import ReportMeta, Row
from smolgraph.store import open_store

REAL_REPORT = "smolensk-2025-q1"


@pytest.fixture(scope="module")
def real_events(real_docx, gazetteer):
    return extract_report(read_report(real_docx), gazetteer=gazetteer)


@pytest.fixture(scope="module")
def real_store(real_docx, tmp_path_factory):
    folder = tmp_path_factory.mktemp("evidence-store")
    library.ingest(real_docx, store=folder)
    store = open_store(folder)
    yield store
    store.close()


def _row(cells: dict[str, str]) -> Row:
    return Row(number=1, sphere=None, cells={"number": "1.", "title": "Рабочая встреча", "dates": "5 марта 2025 года", **cells})


def _extract(cells: dict[str, str], gazetteer):
    from smolgraph.extract import extract_event

    return extract_event(_row(cells), ReportMeta(source_file="r.txt", year=2025, region="Смоленская область"), gazetteer=gazetteer)


# -- extraction --------------------------------------------------------------------------------


def test_every_mark_is_the_cell_text_between_its_offsets(real_events):
    assert sum(len(e.evidence) for e in real_events) > len(real_events)
    for event in real_events:
        for mark in event.evidence:
            assert event.cells[mark.field][mark.start : mark.end] == mark.text, (event.row, mark)
            assert mark.text == mark.text.strip() and mark.text


def test_every_mark_gives_a_value_the_record_holds(real_events):
    for event in real_events:
        values = record_values(event)
        for mark in event.evidence:
            assert mark.value in values[mark.fact], (event.row, mark)


def test_every_partner_place_of_the_real_report_has_words(real_events):
    places = [(e, p.place_id) for e in real_events for p in e.partner_places]
    assert places
    for event, place in places:
        assert any(m.fact == "partner_places" and m.value == place for m in event.evidence), (event.row, place)


def test_a_district_marks_its_words_and_implies_its_region(real_events):
    event = next(e for e in real_events if str(e.row) == "20")
    district = [m for m in event.evidence if m.value == "BY-VI-orsha-district" and m.fact == "partner_places" and not m.implied]
    assert district and all(m.field == "participants" for m in district)
    words = district[0]
    # The cell names the district in its own case; the mark covers those words, not the nominative.
    assert fold(words.text).startswith("оршанск") and fold(words.text).endswith("района")
    implied = [m for m in event.evidence if (m.start, m.end) == (words.start, words.end) and m.implied]
    assert ("partner_regions", "BY-VI") in {(m.fact, m.value) for m in implied}


def test_offsets_point_into_the_cell_a_folded_column_came_from(gazetteer):
    # A note is read as part of the content and a partners column as part of the participants:
    # their marks must still point into their own cells.
    cells = {
        "venue": "  г. Смоленск",
        "content": "Обсуждены вопросы сотрудничества",
        "note": "В рамках визита делегации г. Витебска",
        "participants": "Общее количество участников – 12 человек",
        "partners": "Витебский областной исполнительный комитет (Республика Беларусь)",
    }
    event = _extract(cells, gazetteer)
    fields = {m.field for m in event.evidence}
    assert {"note", "partners", "venue"} <= fields
    for mark in event.evidence:
        assert cells.get(mark.field, _row(cells).cells.get(mark.field))[mark.start : mark.end] == mark.text
    note = [m for m in event.evidence if m.field == "note" and m.fact == "partner_places"]
    assert [m.text for m in note] == ["г. Витебска"]


def test_a_span_across_two_cells_is_dropped(gazetteer):
    from smolgraph.extract.evidence import EvidenceLog

    log = EvidenceLog({"content": "abc", "note": "def"}, {"content": [(0, "content"), (4, "note")]})
    log.add("content", 1, 6, "agreements", "x")
    log.add("content", 4, 7, "agreements", "y")
    assert [(m.field, m.text) for m in log.items] == [("note", "def")]


# -- the graph and the store ---------------------------------------------------------------------

_SUPPORTED = """PREFIX sg: <https://w3id.org/smolgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?mention ?supported WHERE {
  ?event sg:evidence ?mention . ?mention sg:fact ?fact ; sg:gave ?value .
  OPTIONAL { ?event ?fact ?value . BIND(true AS ?direct) }
  OPTIONAL { ?event sg:participation ?part . ?part ?fact ?value . BIND(true AS ?person) }
  BIND(BOUND(?direct) || BOUND(?person) AS ?supported)
}"""


def test_every_mention_in_the_store_supports_a_triple_of_its_event(real_store):
    rows = real_store.query(_SUPPORTED).rows
    assert rows
    unsupported = {str(r["mention"]) for r in rows} - {str(r["mention"]) for r in rows if r["supported"].toPython()}
    assert not unsupported, sorted(unsupported)[:5]


def test_the_card_marks_are_the_stored_cell_text(real_store):
    bench = Workbench(real_store)
    rows = {str(r["row"]) for r in library.ask("events", store=real_store)}
    assert len(rows) == 35
    marked = 0
    for row in sorted(rows):
        card = bench.event(REAL_REPORT, row)
        for cell in card["cells"]:
            chars = list(cell["text"])  # offsets count code points, as Python's str does
            for mark in cell["marks"]:
                assert "".join(chars[mark["start"] : mark["end"]]) == mark["text"], (row, cell["field"], mark)
                assert mark["fact"] and mark["value"]
                marked += 1
    assert marked > len(rows)


def test_row_20_marks_the_district_in_the_participants_cell(real_store):
    card = Workbench(real_store).event(REAL_REPORT, "20")
    cell = next(c for c in card["cells"] if c["field"] == "participantsCell")
    district = [m for m in cell["marks"] if m["value"] == "Оршанский район"]
    assert district, cell["marks"]
    assert all(m["fact"] == "partner place" and not m["implied"] for m in district)
    mark = district[0]
    assert mark["text"] in cell["text"] and mark["text"] != "Оршанский район"  # the cell's own case
    region = [m for m in cell["marks"] if (m["start"], m["end"]) == (mark["start"], mark["end"]) and m["value"] == "Витебская область"]
    assert region and region[0]["implied"] and region[0]["fact"] == "partner region"


def test_coverage_of_each_kind_of_fact(real_store, capsys):
    """The share of each kind of fact with words: every partner place and country here; print the rest."""
    facts = collections.defaultdict(set)
    for row in library.ask("event-facts", {"report": REAL_REPORT}, store=real_store):
        facts[row["property"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]].add((row["event"], str(row["value"])))
    marked = collections.defaultdict(set)
    stated = collections.defaultdict(set)
    events = {row["event"] for row in library.ask("event-facts", {"report": REAL_REPORT}, store=real_store)}
    for row in real_store.query(
        "PREFIX sg: <https://w3id.org/smolgraph/ontology#> SELECT ?event ?fact ?value ?implied WHERE { "
        "?event sg:evidence ?m . ?m sg:fact ?fact ; sg:gave ?value OPTIONAL { ?m sg:implied ?implied } }"
    ).rows:
        key = str(row["fact"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        value = row["value"].toPython() if isinstance(row["value"], Literal) else row["value"]
        pair = (str(row["event"]), value.isoformat() if hasattr(value, "isoformat") else str(value))
        marked[key].add(pair)
        if row.get("implied") is None:
            stated[key].add(pair)
    assert events
    lines = []
    for kind in sorted(facts):
        have = {(str(e), v) for e, v in facts[kind]}
        if not marked.get(kind):
            continue
        lines.append(f"{kind}: {len(have & marked[kind])}/{len(have)} marked, {len(have & stated[kind])} stated outright")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    places = {(str(e), v) for e, v in facts["partnerPlace"]}
    countries = {(str(e), v) for e, v in facts["partnerCountry"]}
    assert places and places <= marked["partnerPlace"]
    assert countries and countries <= marked["partnerCountry"]


def test_a_store_written_before_the_marks_opens_and_upgrade_adds_them(real_docx, tmp_path, monkeypatch):
    from smolgraph.extract.evidence import EvidenceLog
    from smolgraph.upgrade import upgrade_store

    folder = tmp_path / "store"
    # What ontology 1.0 wrote: the same graph without the words of each fact.
    with monkeypatch.context() as patched:
        patched.setattr(EvidenceLog, "kept", lambda self, event: [])
        library.ingest(real_docx, store=folder)
    store = open_store(folder)
    card = Workbench(store).event(REAL_REPORT, "20")
    assert card["cells"] and all(c["marks"] == [] for c in card["cells"])
    store.close()
    upgrade_store(folder)
    store = open_store(folder)
    try:
        card = Workbench(store).event(REAL_REPORT, "20")
        assert any(m["value"] == "Оршанский район" for c in card["cells"] for m in c["marks"])
    finally:
        store.close()


# -- the page ------------------------------------------------------------------------------------


@pytest.mark.browser
def test_the_card_of_row_20_marks_the_district_in_chromium(real_store):
    from smolgraph.app.server import make_app_server
    from test_network_page import Browser, _chromium

    binary = _chromium()
    if binary is None:
        pytest.skip("no chromium binary on PATH (install Debian's chromium, or set SMOLGRAPH_CHROMIUM); .ci/run installs it")
    server = make_app_server(real_store, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
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
        browser.js(f"window.smolgraph.openCard({REAL_REPORT!r}, 20)")
        settle("opening the card")
        marks = browser.js(
            "[...document.querySelectorAll('#card-cells dd[data-field=\"participantsCell\"] mark')]"
            ".map(m => ({text: m.textContent, title: m.title}))"
        )
        district = [m for m in marks if "Оршанский район" in m["title"]]
        assert district, marks
        # The innermost such mark is the words themselves, in the cell's case; its title says what they gave.
        words = min(district, key=lambda m: len(m["text"]))
        assert fold(words["text"]).startswith("оршанск") and words["text"] != "Оршанский район"
        assert "partner place: Оршанский район" in words["title"] and "Витебская область" in words["title"]
        # The cell still reads as written: the marks only wrap its words.
        cell = browser.js("document.querySelector('#card-cells dd[data-field=\"participantsCell\"]').textContent")
        card = Workbench(real_store).event(REAL_REPORT, "20")
        assert cell == next(c["text"] for c in card["cells"] if c["field"] == "participantsCell")
        browser.drain(0.3)
        assert browser.errors() == []
        assert all(u.startswith(f"http://127.0.0.1:{port}/") for u in browser.requests()), browser.requests()
    finally:
        browser.close()
        server.shutdown()
        server.server_close()


def test_title_words_of_the_sphere_are_marked_as_an_upgrade_would_mark_them(gazetteer):
    # `smolgraph upgrade` hands the extractor the sphere the store had as the row's sphere: the words
    # of the title that gave it must be marked all the same, as a fresh ingest marks them.
    cells = {"title": "Открытый турнир по мини-футболу", "venue": "г. Смоленск"}
    fresh = _extract(cells, gazetteer)
    assert fresh.sphere and any(m.fact == "sphere" and m.field == "title" for m in fresh.evidence)
    from smolgraph.extract import extract_event

    row = _row(cells)
    row.sphere = fresh.sphere
    again = extract_event(row, ReportMeta(source_file="r.txt", year=2025, region="Смоленская область"), gazetteer=gazetteer)
    assert again.evidence == fresh.evidence
