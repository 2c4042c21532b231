"""The graph side of reading any layout (issue 14): row labels as printed, positions, sections,
extra and unknown cells, reports without spheres, and contacts told apart by reporting region.
"""
from __future__ import annotations

import json
from datetime import date

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from smolgraph.build import build_report_graph, event_iri, row_iri
from smolgraph.records import DateSpan, EventRecord, ReportMeta
from smolgraph.validate import ENGINES, validate_graph
from smolgraph.vocab import ID, SG

from conftest import report_document

REPORT_ID = "layout-2025-h1"

EXTRA_CELLS = {
    "sphere": "Культура",
    "partners": "Республика Беларусь",
    "format": "очно",
    "responsible": "Министерство культуры Смоленской области",
    "note": "по плану",
    "participants_local": "20 человек",
    "participants_foreign": "5 человек",
}


def layout_records() -> tuple[ReportMeta, list[EventRecord]]:
    """A half-year report in a layout of its own: three kinds of labels, sections, extra and unknown columns."""
    meta = ReportMeta(source_file=f"{REPORT_ID}.docx", title="Отчет о мероприятиях Смоленской области за I полугодие 2025 года",
                      region="Смоленская область", year=2025, half=1)
    plain = EventRecord(
        report_id=REPORT_ID, row=3, sphere="Культура", title="Выставка белорусских художников",
        dates=DateSpan(date(2025, 2, 3), date(2025, 2, 5)), partner_countries=["BY"], position=1,
        cells={"number": "3.", "title": "Выставка белорусских художников", **EXTRA_CELLS},
        other_cells={"Бюджет": "100 тыс. руб.", "Ссылка": "https://example.org/3"},
    )
    dotted = EventRecord(
        report_id=REPORT_ID, row="2.3", sphere=None, title="Переговоры о поставках",
        partner_countries=["BY"], position=2, section="Взаимодействие с Республикой Беларусь", section_partner=True,
        cells={"number": "2.3", "title": "Переговоры о поставках"},
    )
    restarted = EventRecord(
        report_id=REPORT_ID, row="II.3", sphere=None, title="Семинар", position=3,
        section="II. Межрегиональное сотрудничество / Образование", cells={"number": "3", "title": "Семинар"},
    )
    return meta, [plain, dotted, restarted]


def layout_graph(gazetteer) -> Graph:
    """The layout report's graph with the gazetteer facts of its places, as ingest validates it."""
    from smolgraph.ingest import _referenced_places

    meta, events = layout_records()
    graph = build_report_graph(meta, events, gazetteer=gazetteer)
    return graph + _referenced_places(graph, gazetteer)


@pytest.fixture(scope="module")
def graph(gazetteer) -> Graph:
    return layout_graph(gazetteer)


def test_row_labels_keep_their_type_and_make_distinct_iris(graph):
    iris = [event_iri(REPORT_ID, label) for label in (3, "2.3", "II.3")]
    assert len(set(iris)) == 3
    assert [str(i).rsplit("/", 1)[-1] for i in iris] == ["3", "2.3", "II.3"]
    # A plain number written as text is the same row as the number: the IRIs of numbered reports do not change.
    assert event_iri(REPORT_ID, "3") == event_iri(REPORT_ID, 3) == ID[f"event/{REPORT_ID}/3"]
    assert row_iri(REPORT_ID, "3") == ID[f"report/{REPORT_ID}/row/3"]
    # Whatever a label holds, it stays one path segment.
    assert str(event_iri(REPORT_ID, "1/2")).endswith("/1%2F2")
    numbers = {node: graph.value(node, SG.rowNumber) for node in iris}
    assert numbers[iris[0]] == Literal(3, datatype=XSD.integer)
    assert numbers[iris[1]] == Literal("2.3") and numbers[iris[1]].datatype is None
    assert numbers[iris[2]] == Literal("II.3")
    for label in (3, "2.3", "II.3"):
        assert graph.value(row_iri(REPORT_ID, label), SG.rowNumber) == numbers[event_iri(REPORT_ID, label)]


def test_positions_sections_and_report_period(graph):
    for position, label in enumerate((3, "2.3", "II.3"), start=1):
        for node in (event_iri(REPORT_ID, label), row_iri(REPORT_ID, label)):
            assert graph.value(node, SG.rowPosition) == Literal(position, datatype=XSD.integer)
    dotted, restarted = event_iri(REPORT_ID, "2.3"), event_iri(REPORT_ID, "II.3")
    assert graph.value(dotted, SG.section) == Literal("Взаимодействие с Республикой Беларусь", lang="ru")
    assert graph.value(dotted, SG.sectionPartner) == Literal(True)
    assert graph.value(restarted, SG.sectionPartner) is None  # written only when true
    assert graph.value(restarted, SG.sphere) is None
    report = ID[f"report/{REPORT_ID}"]
    assert graph.value(report, SG.half) == Literal(1, datatype=XSD.integer)
    assert graph.value(report, SG.periodStart).toPython() == date(2025, 1, 1)
    assert graph.value(report, SG.periodEnd).toPython() == date(2025, 6, 30)


def test_extra_and_unknown_cells_are_kept_on_the_row(graph):
    row = row_iri(REPORT_ID, 3)
    written = {
        "sphere": SG.sphereCell, "partners": SG.partnersCell, "format": SG.formatCell, "responsible": SG.responsibleCell,
        "note": SG.noteCell, "participants_local": SG.participantsLocalCell, "participants_foreign": SG.participantsForeignCell,
    }
    for field, prop in written.items():
        assert graph.value(row, prop) == Literal(EXTRA_CELLS[field], lang="ru"), field
    cells = sorted(graph.objects(row, SG.otherCell))
    assert all(isinstance(c, URIRef) and str(c).startswith(str(row) + "/") for c in cells)  # no blank nodes
    assert {(str(graph.value(c, SG.header)), str(graph.value(c, SG.text))) for c in cells} == {
        ("Бюджет", "100 тыс. руб."), ("Ссылка", "https://example.org/3")}
    assert all((c, RDF.type, SG.OtherCell) in graph for c in cells)
    # Searchable: every cell, known or not, through one query.
    found = graph.query(
        'SELECT ?row WHERE { ?row ?p ?cell . ?cell <%s> ?text . FILTER(CONTAINS(STR(?text), "тыс.")) }' % SG.text
    )
    assert [r[0] for r in found] == [row]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_layout_graph_conforms(graph, engine):
    report = validate_graph(graph, engine=engine)
    assert report.conforms, report.text


def _event(label) -> URIRef:
    return event_iri(REPORT_ID, label)


def _first_other_cell(g: Graph) -> URIRef:
    return sorted(g.subjects(RDF.type, SG.OtherCell))[0]


# (what, change(graph) -> list of (subject, predicate, object or None to drop), field named)
BROKEN = [
    ("row number 0", lambda g: [(_event(3), SG.rowNumber, Literal(0))], "row number"),
    ("row label empty", lambda g: [(_event("2.3"), SG.rowNumber, Literal(""))], "row number"),
    ("row label with a language", lambda g: [(_event("2.3"), SG.rowNumber, Literal("2.3", lang="ru"))], "row number"),
    ("row number a decimal", lambda g: [(_event(3), SG.rowNumber, Literal("3.0", datatype=XSD.decimal))], "row number"),
    ("no row number", lambda g: [(row_iri(REPORT_ID, "II.3"), SG.rowNumber, None)], "row number"),
    ("no row position", lambda g: [(_event("2.3"), SG.rowPosition, None)], "row position"),
    ("row position 0", lambda g: [(row_iri(REPORT_ID, 3), SG.rowPosition, Literal(0))], "row position"),
    ("row position as text", lambda g: [(_event(3), SG.rowPosition, Literal("1"))], "row position"),
    ("section in English", lambda g: [(_event("2.3"), SG.section, Literal("Belarus", lang="en"))], "section"),
    ("section partner as text", lambda g: [(_event("2.3"), SG.sectionPartner, Literal("да"))], "partner from the section"),
    ("note without language", lambda g: [(row_iri(REPORT_ID, 3), SG.noteCell, Literal("по плану"))], "note cell"),
    ("format cell twice", lambda g: [(row_iri(REPORT_ID, 3), SG.formatCell, Literal("очно", lang="ru")),
                                     (row_iri(REPORT_ID, 3), SG.formatCell, Literal("онлайн", lang="ru"))], "format cell"),
    ("other cell not a cell", lambda g: [(row_iri(REPORT_ID, "2.3"), SG.otherCell, ID["no-such-thing"])], "other cell"),
    ("other cell without header", lambda g: [(_first_other_cell(g), SG.header, None)], "other cell header"),
    ("other cell text without language", lambda g: [(_first_other_cell(g), SG.text, Literal("x"))], "other cell text"),
    ("half-year 3", lambda g: [(ID[f"report/{REPORT_ID}"], SG.half, Literal(3))], "half-year"),
]


@pytest.mark.parametrize("what, change, field", BROKEN, ids=[b[0] for b in BROKEN])
def test_each_new_constraint_fails_on_both_engines(graph, what, change, field):
    data = Graph()
    data += graph
    for s, p, o in change(graph):
        if o is None:
            data.remove((s, p, None))
    for s, p, o in change(graph):
        if o is not None:
            data.remove((s, p, None))
    for s, p, o in change(graph):
        if o is not None:
            data.add((s, p, o))
    reports = {engine: validate_graph(data, engine=engine) for engine in ENGINES}
    for engine, report in reports.items():
        assert not report.conforms, (engine, what)
        assert field in {v.field for v in report.violations}, (engine, report.text)
    assert len({tuple(str(v) for v in r.violations) for r in reports.values()}) == 1


def test_an_event_without_a_sphere_conforms_but_not_with_two(graph):
    assert graph.value(_event("II.3"), SG.sphere) is None  # and the graph conforms (above)
    data = Graph()
    data += graph
    data.add((_event(3), SG.sphere, ID["sphere/x"]))
    assert not validate_graph(data).conforms


# -- two regions in one store -----------------------------------------------------

def _event_row(number: int, title: str) -> list[str]:
    return [f"{number}.", title, "г. Минск, Республика Беларусь", f"{10 + number} марта 2025 г.",
            "Представители Министерства культуры Республики Беларусь"]


@pytest.fixture(scope="module")
def two_regions(tmp_path_factory, gazetteer):
    from smolgraph.ingest import ingest
    from smolgraph.store import open_store

    folder = tmp_path_factory.mktemp("two-regions")
    smolensk, _ = report_document(
        ["Сотрудничество в сфере культуры", _event_row(1, "Выставка смоленских художников в Минске"),
         _event_row(2, "Концерт смоленского оркестра в Минске")],
        title="Отчет о международных мероприятиях Смоленской области в I квартале 2025 года",
    )
    bryansk, _ = report_document(
        ["Сотрудничество в сфере культуры", _event_row(1, "Дни брянской культуры в Минске")],
        title="Отчет о международных мероприятиях Брянской области во II квартале 2025 года",
    )
    paths = [folder / "smolensk-2025-q1.docx", folder / "bryansk-2025-q2.docx"]
    smolensk.save(paths[0])
    bryansk.save(paths[1])
    location = folder / "store"
    store = open_store(location)
    ingest(paths, store, gazetteer=gazetteer)
    return store, location


def test_contacts_name_the_reporting_region(two_regions, gazetteer):
    from smolgraph.ask import rows_as_python, run_named

    store, _ = two_regions
    rows = rows_as_python(run_named(store, "contacts", {"place": "Беларусь"}, gazetteer=gazetteer))
    assert {(r["report"], r["row"], r["reporting_region"]) for r in rows} == {
        ("smolensk-2025-q1", 1, "Смоленская область"), ("smolensk-2025-q1", 2, "Смоленская область"),
        ("bryansk-2025-q2", 1, "Брянская область")}
    events = rows_as_python(run_named(store, "events", gazetteer=gazetteer))
    assert {r["reporting_region"] for r in events} == {"Смоленская область", "Брянская область"}


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_contacts_narrow_to_one_reporting_region(two_regions, gazetteer, stream):
    from smolgraph.ask import row_as_python, rows_as_python, run_named, stream_named

    store, _ = two_regions

    def ask(region: str) -> list[dict]:
        params = {"place": "Беларусь", "reported_by": region}
        if stream:
            with stream_named(store, "contacts", params, gazetteer=gazetteer) as rows:
                return [row_as_python(r, rows.variables) for r in rows]
        return rows_as_python(run_named(store, "contacts", params, gazetteer=gazetteer))

    bryansk = ask("Брянской области")
    assert [(r["report"], r["title"], r["reporting_region"]) for r in bryansk] == [
        ("bryansk-2025-q2", "Дни брянской культуры в Минске", "Брянская область")]
    assert {r["report"] for r in ask("Смоленская область")} == {"smolensk-2025-q1"}
    assert ask("Витебская область") == []  # a region that reported nothing


def test_contacts_command_takes_a_reporting_region(two_regions, capsys):
    from smolgraph.cli import main

    _, location = two_regions
    assert main(["--store", str(location), "contacts", "Беларусь", "--reporting-region", "Смоленская область",
                 "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["row"] for r in rows] == [1, 2] and {r["reporting_region"] for r in rows} == {"Смоленская область"}


def test_json_rows_keep_the_label_type(gazetteer):
    from smolgraph.ask import rows_as_python, run_named
    from smolgraph.cli import format_rows
    from smolgraph.ingest import ensure_reference_graphs
    from smolgraph.store import EmbeddedStore

    meta, events = layout_records()
    store = EmbeddedStore(None)
    ensure_reference_graphs(store, gazetteer)  # the places, whose names the answer shows
    store.replace_graph(build_report_graph(meta, events, gazetteer=gazetteer))
    result = run_named(store, "events", gazetteer=gazetteer)
    rows = rows_as_python(result)
    # In report order (sg:rowPosition), whatever the labels.
    assert [r["row"] for r in rows] == [3, "2.3", "II.3"]
    assert [r["row"] for r in json.loads(format_rows(rows, result.variables, "json"))] == [3, "2.3", "II.3"]
    assert rows[0]["reporting_region"] == "Смоленская область"


def test_a_violation_names_the_row_label_as_printed(graph):
    # A text label ("2.3") is read back from the event's IRI, not cut to its first number.
    data = Graph()
    data += graph
    data.add((_event("2.3"), SG.participantsTotal, Literal(-5)))
    report = validate_graph(data)
    assert not report.conforms
    assert {v.row for v in report.violations} == {"2.3"}
