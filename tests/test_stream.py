"""Streaming: rows as the store produces them, without the final ORDER BY."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

import smolgraph.store
from smolgraph.ask import bind_params, get_query, load_queries, run_named, stream_named, stream_query
from smolgraph.cli import main
from smolgraph.errors import QueryError
from smolgraph.ingest import ingest
from smolgraph.sparql_text import bind_values, drop_order_by, limit_rows, top_level_grouping
from smolgraph.store import RowStream
from smolgraph.store import EmbeddedStore
from smolgraph.vocab import SCHEMA, SG

from conftest import REAL_DOCX, SAMPLES

#: Events in the synthetic store: its CSV is far more than a pipe holds (64 KiB).
MANY = 3000
#: A function the tests give the engine; it counts how often the engine calls it.
TICK = "urn:smolgraph:test:tick"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The invented sample report, and the real one when the shared folder is here."""
    store = EmbeddedStore(tmp_path_factory.mktemp("stream") / "db")
    ingest([SAMPLES / "invented-smolensk-2025-q2.docx", *([REAL_DOCX] if REAL_DOCX.exists() else [])], store)
    return store


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """The directory of a store with MANY bare events: a report, a row and its position, a title, the attendance mode."""
    path = tmp_path_factory.mktemp("many") / "db"
    store = EmbeddedStore(path)
    graph = Graph(identifier=URIRef("https://w3id.org/smolgraph/graph/report/synthetic"))
    report = URIRef("https://w3id.org/smolgraph/id/report/synthetic")
    graph.add((report, SG.reportId, Literal("synthetic")))
    for number in range(1, MANY + 1):
        event = URIRef(f"https://w3id.org/smolgraph/id/event/synthetic/{number}")
        graph.add((event, RDF.type, SG.Event))
        graph.add((event, SG.report, report))
        graph.add((event, SG.rowNumber, Literal(number, datatype=XSD.integer)))
        graph.add((event, SG.rowPosition, Literal(number, datatype=XSD.integer)))
        graph.add((event, RDFS.label, Literal(f"Событие номер {number} синтетического отчёта", lang="ru")))
        graph.add((event, SCHEMA.eventAttendanceMode, SCHEMA.OfflineEventAttendanceMode))
    store.replace_graph(graph)
    store.close()
    return path


def _bag(rows) -> Counter:
    """Rows as a multiset; partner names joined by GROUP_CONCAT compared as sets.

    SPARQL leaves the order of a GROUP_CONCAT to the engine, and Oxigraph
    joins the names in another order when it groups per event than when it
    groups the whole answer (tests/test_remote.py compares them so too).
    """
    def plain(name, term):
        if name.startswith("partner_") and isinstance(term, Literal):
            return Literal("; ".join(sorted(str(term).split("; "))), lang=term.language, datatype=term.datatype)
        return term

    return Counter(frozenset((name, plain(name, term)) for name, term in row.items()) for row in rows)


def _ticks_before_first_row(engine: ox.Store, sparql: str, bindings=None) -> int:
    """How often the engine looked at an event before it gave the first row of ``sparql``.

    A call of the counting function goes at the start of every WHERE group
    (the query's and a LATERAL subquery's), so it runs once for each event
    the engine takes up there.
    """
    calls = []

    def tick(term):
        calls.append(term)
        return ox.Literal("true", datatype=ox.NamedNode(str(XSD.boolean)))

    text = bind_values(sparql.replace("WHERE {", f"WHERE {{ FILTER(<{TICK}>(?event))"), bindings)
    solutions = engine.query(text, use_default_graph_as_union=True, custom_functions={ox.NamedNode(TICK): tick})
    next(iter(solutions))
    return len(calls)


# -- every listing: the same rows as the ordered form ----------------------------------------
PARAMS = {
    "contacts": {"place": "Витебская область"},
    "events-with-person": {"person": "Крылов"},
}


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_stream_gives_the_rows_of_the_ordered_query(store, name):
    params = PARAMS.get(name, {})
    ordered = run_named(store, name, params).rows
    with stream_named(store, name, params) as rows:
        streamed = list(rows)
    assert ordered, "the sample has rows for every named query"
    assert _bag(streamed) == _bag(ordered)


@pytest.mark.parametrize("place", ["Беларусь", "Минск", "Оршанский район"])
def test_contacts_stream_for_other_places(store, place):
    ordered = run_named(store, "contacts", {"place": place}).rows
    assert _bag(stream_named(store, "contacts", {"place": place})) == _bag(ordered)


def test_partner_names_joined_by_several_are_the_same_names(store):
    joined = [row for row in stream_named(store, "events") if "; " in str(row.get("partner_regions", ""))]
    assert joined, "the sample has events with several partner regions"
    assert _bag(joined) <= _bag(run_named(store, "events").rows)


def test_every_grouped_listing_has_a_streaming_form():
    for query in load_queries().values():
        if top_level_grouping(query.sparql):
            assert query.stream_sparql is not None, f"{query.name} groups its answer but has no .stream.rq"
        if query.stream_sparql is not None:
            assert top_level_grouping(query.stream_sparql) is None
    assert not any(name.endswith(".stream") for name in load_queries())


def test_a_remote_store_gets_the_ordinary_text_without_its_order():
    class Recorder:
        """A store that is not the embedded one, noting what it is asked."""

        streams_lazily = False  # what a server says of itself (smolgraph.storeapi.Store)

        def stream(self, sparql, *, bindings=None):
            self.sparql = sparql
            return RowStream(["report"], [])

    remote = Recorder()
    stream_named(remote, "events")
    assert "LATERAL" not in remote.sparql and "ORDER BY" not in remote.sparql
    assert remote.sparql == drop_order_by(get_query("events").sparql)


# -- the first row comes before the rest is computed ---------------------------------------
def test_engine_gives_the_first_event_before_it_looks_at_the_others(many):
    engine = ox.Store.read_only(str(many))
    query = get_query("events")
    # The ordered form reads every event before its first row; the streaming form reads one.
    assert _ticks_before_first_row(engine, query.sparql) >= MANY
    assert _ticks_before_first_row(engine, drop_order_by(query.stream_sparql)) <= 2


@pytest.mark.parametrize("name", ["events", "contacts", "online-events", "signed-documents"])
def test_every_listing_streams_on_the_sample(store, name):
    params = PARAMS.get(name, {})
    query = get_query(name)
    bindings = bind_params(query, params)
    rows = len(run_named(store, name, params).rows)
    if rows < 2:
        pytest.skip(f"{name} has {rows} row on the sample alone; the real report adds more")
    engine = ox.Store.read_only(str(store.path))
    ordered = _ticks_before_first_row(engine, query.sparql, bindings)
    streamed = _ticks_before_first_row(engine, drop_order_by(query.stream_sparql or query.sparql), bindings)
    # Streamed, the engine stops at the first event that makes a row (online-events passes over
    # some that are not online); ordered, it has looked at every event of the answer and more.
    assert streamed < rows <= ordered


def test_one_row_read_is_one_row_converted(many, monkeypatch):
    converted = []

    def counting(term):
        converted.append(term)
        return to_rdflib(term)

    to_rdflib = smolgraph.store.to_rdflib
    monkeypatch.setattr(smolgraph.store, "to_rdflib", counting)
    store = EmbeddedStore(many, read_only=True)
    rows = stream_named(store, "events")
    first = next(rows)
    assert len(converted) == len(first)  # of MANY rows
    rows.close()
    converted.clear()
    assert len(list(stream_named(store, "events", limit=10))) == 10
    assert len(converted) == 10 * len(first)  # the stream stopped at the limit


def test_an_engine_error_mid_stream_is_a_query_error():
    rows = EmbeddedStore(None).stream("SELECT ?s WHERE { { VALUES ?s { <urn:a> } } UNION { SERVICE <urn:nowhere> { ?s ?p ?o } } }")
    with pytest.raises(QueryError, match="the query stopped with an error after"):
        list(rows)


# -- the text: only the top-level ORDER BY goes -------------------------------------------------
@pytest.mark.parametrize(
    "sparql, expected",
    [
        ("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", "SELECT ?s WHERE { ?s ?p ?o }"),
        ("select ?s where { ?s ?p ?o } order by desc(?o) str(?s) limit 3", "select ?s where { ?s ?p ?o } limit 3"),
        ("SELECT ?s WHERE { ?s ?p ?o }\nORDER BY ?s\nOFFSET 2 LIMIT 3", "SELECT ?s WHERE { ?s ?p ?o }\n\nOFFSET 2 LIMIT 3"),
        ("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s VALUES ?s { <urn:a> }", "SELECT ?s WHERE { ?s ?p ?o } VALUES ?s { <urn:a> }"),
        # a comment line just before the clause keeps its newline, so the LIMIT is not commented out
        ("SELECT ?s WHERE { ?s ?p ?o } # all of them\nORDER BY ?s LIMIT 2", "SELECT ?s WHERE { ?s ?p ?o } # all of them\n LIMIT 2"),
    ],
)
def test_drop_order_by(sparql, expected):
    assert drop_order_by(sparql) == expected
    EmbeddedStore(None).stream(expected).close()  # still a query the engine reads


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?o LIMIT 1 } }",
        'SELECT ?s WHERE { ?s ?p "ORDER BY ?s" }',
        "SELECT ?s WHERE { ?s ?p ?o }  # ORDER BY ?s",
        "SELECT ?s WHERE { ?s <urn:ORDER> ?order }",
        "PREFIX order: <urn:x#>\nSELECT ?s WHERE { ?s order:by ?o }",
    ],
)
def test_order_by_elsewhere_is_kept(sparql):
    assert drop_order_by(sparql) == sparql


@pytest.mark.parametrize(
    "sparql, expected",
    [
        ("SELECT ?s WHERE { ?s ?p ?o } LIMIT 50", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"),
        ("SELECT ?s WHERE { ?s ?p ?o } LIMIT 2", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2"),
        ("SELECT ?s WHERE { ?s ?p ?o } OFFSET 7", "SELECT ?s WHERE { ?s ?p ?o } OFFSET 7 LIMIT 5"),
        ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 9 } }", "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 9 } } LIMIT 5"),
        ("SELECT ?s WHERE { ?s ?p ?o } VALUES ?s { <urn:a> }", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5\nVALUES ?s { <urn:a> }"),
        ("SELECT ?s WHERE { ?s ?p ?o }\n# the end", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5\n# the end"),
    ],
)
def test_limit_rows(sparql, expected):
    assert limit_rows(sparql, 5) == expected
    EmbeddedStore(None).stream(expected).close()


@pytest.mark.parametrize(
    "sparql, reason",
    [
        ("SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s", "GROUP BY"),
        ("SELECT ?s WHERE { ?s ?p ?o } GROUP BY ?s HAVING (?s != <urn:a>)", "GROUP BY"),
        ("SELECT (SAMPLE(?s) AS ?one) WHERE { ?s ?p ?o }", "SAMPLE"),
        ("SELECT DISTINCT ?s WHERE { ?s ?p ?o }", None),
        ("SELECT ?s ?n WHERE { { SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s } }", None),
        ('SELECT ?s WHERE { ?s ?p "GROUP BY" } # COUNT', None),
    ],
)
def test_top_level_grouping(sparql, reason):
    assert top_level_grouping(sparql) == reason


def test_a_query_grouped_at_the_top_is_refused_with_why(store):
    with pytest.raises(QueryError, match="GROUP BY at the top level"):
        stream_query(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")
    with pytest.raises(QueryError, match="only a SELECT"):
        stream_query(store, "ASK { ?s ?p ?o }")


def test_limit_in_the_query_is_kept_in_the_stream(store):
    sparql = get_query("signed-documents").sparql + " LIMIT 2"
    assert len(list(stream_query(store, sparql))) == 2
    assert len(list(stream_query(store, sparql, limit=1))) == 1


# -- the command ------------------------------------------------------------------------
def test_cli_stream_limit_and_formats(many, capsys):
    store = str(many)
    assert main(["--store", store, "ask", "events", "--stream", "--limit", "3", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "report,row,title,sphere,start,end,online,partner_countries,partner_regions,reporting_region"
    assert len(lines) == 4
    assert main(["--store", store, "ask", "events", "--stream", "--limit", "2", "--format", "json"]) == 0
    objects = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(objects) == 2 and all(o["report"] == "synthetic" and isinstance(o["row"], int) for o in objects)
    assert main(["--store", store, "ask", "events", "--stream", "--limit", "25"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["report", "row", "title"] and table[-1] == "(25 rows)" and len(table) == 28


def test_cli_query_file_streams(many, tmp_path, capsys):
    query = tmp_path / "rows.rq"
    query.write_text(
        "PREFIX sg: <https://w3id.org/smolgraph/ontology#>\n"
        "SELECT ?row WHERE { ?e sg:rowNumber ?row } ORDER BY DESC(?row)\n",
        encoding="utf-8",
    )
    assert main(["--store", str(many), "query", str(query), "--stream", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert sorted(map(int, rows)) == list(range(1, MANY + 1))


def test_cli_refusals_say_why(many, tmp_path, capsys):
    grouped = tmp_path / "grouped.rq"
    grouped.write_text("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p", encoding="utf-8")
    assert main(["--store", str(many), "query", str(grouped), "--stream"]) == 2
    assert "grouped.rq: this query cannot stream" in capsys.readouterr().err
    assert main(["--store", str(many), "ask", "events", "--stream", "--timeout", "5"]) == 2
    assert "--timeout does not go with --stream" in capsys.readouterr().err


def test_closed_pipe_stops_quietly(many):
    command = [sys.executable, "-c", "import sys; from smolgraph.cli import main; sys.exit(main())",
               "--store", str(many), "ask", "events", "--stream", "--format", "csv"]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    header = child.stdout.readline()
    first = child.stdout.readline()
    child.stdout.close()  # like `| head -n 2`: the rest has nowhere to go
    err = child.stderr.read().decode()
    assert child.wait(timeout=120) == 0, err
    assert header.startswith(b"report,row,") and first.startswith(b"synthetic,")
    assert "Traceback" not in err and "Error" not in err, err


def test_cli_contacts_streams_the_same_events(store, capsys):
    """`smolgraph contacts PLACE --stream` gives the events of the ordered command, in store order."""
    path = str(store.path)
    assert main(["--store", path, "contacts", "Витебская область", "--format", "json"]) == 0
    ordered = json.loads(capsys.readouterr().out)
    assert main(["--store", path, "contacts", "Витебская область", "--stream", "--format", "json"]) == 0
    streamed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert ordered and sorted((r["report"], r["row"]) for r in streamed) == sorted((r["report"], r["row"]) for r in ordered)
    assert main(["--store", path, "contacts", "Витебская область", "--stream", "--limit", "2", "--format", "json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
