"""The main job end to end: files into a store, questions out."""
from __future__ import annotations

import json
import re
import time

import pytest
from rdflib import BNode, URIRef

from smolgraph.ask import resolve_place, rows_as_python, run_named
from smolgraph.cli import main
from smolgraph.build import entity_graph_iri
from smolgraph.errors import ReportError, StoreError, UnknownPlaceError, ValidationError
from smolgraph.ingest import ingest
from smolgraph.store import EmbeddedStore
from smolgraph.validate import validate_store

from conftest import SAMPLES


@pytest.fixture(scope="module")
def store(tmp_path_factory, real_docx):
    store = EmbeddedStore(tmp_path_factory.mktemp("store") / "db")
    ingest([real_docx, SAMPLES / "invented-smolensk-2025-q2.docx"], store)
    return store


def _rows(store, name, **params):
    return rows_as_python(run_named(store, name, params))


def test_every_event_is_stored_with_report_and_row(store):
    rows = _rows(store, "events")
    by_report = {}
    for row in rows:
        by_report.setdefault(row["report"], []).append(row["row"])
    assert sorted(by_report["smolensk-2025-q1"]) == list(range(1, 36))
    assert sorted(by_report["invented-smolensk-2025-q2"]) == list(range(1, 23))
    assert all(isinstance(r["row"], int) for r in rows)


def test_contacts_with_vitebsk_include_districts_towns_and_organisations(store):
    rows = {(r["report"], r["row"]) for r in _rows(store, "contacts", place="Витебская область")}
    real = {n for report, n in rows if report == "smolensk-2025-q1"}
    # 3: the oblast executive committee; 15: a school of Сенненский район; 20: Оршанский район;
    # 21: a district of Витебск; 26: Новополоцк; 4 and 10 name the oblast and Витебск.
    assert real == {3, 4, 10, 15, 20, 21, 26}
    sample = {n for report, n in rows if report == "invented-smolensk-2025-q2"}
    assert {1, 10, 12, 15, 19} <= sample


@pytest.mark.parametrize("name", ["Витебская область", "Витебской области", "Витебская обл.", "витебская область", "BY-VI"])
def test_place_written_any_way_resolves_to_the_oblast(name):
    assert str(resolve_place(name)).endswith("/place/BY-VI")


@pytest.mark.parametrize("name, expected", [("Беларусь", "BY"), ("Белоруссия", "BY"), ("BY", "BY"), ("Витебск", "BY-VI-vitebsk")])
def test_countries_and_cities_resolve(name, expected):
    assert str(resolve_place(name)).endswith(f"/place/{expected}")


def test_unknown_place_suggests_close_names():
    with pytest.raises(UnknownPlaceError) as info:
        resolve_place("Витебская обласць")
    assert "Витебская область" in info.value.suggestions


def test_minsk_city_is_not_minsk_oblast(store):
    city = {(r["report"], r["row"]) for r in _rows(store, "contacts", place="Минск")}
    oblast = {(r["report"], r["row"]) for r in _rows(store, "contacts", place="Минская область")}
    assert ("smolensk-2025-q1", 2) in city and ("smolensk-2025-q1", 2) not in oblast
    assert oblast and not oblast & {("smolensk-2025-q1", 2), ("smolensk-2025-q1", 11)}


def test_contacts_with_a_country_cover_all_its_events(store):
    belarus = {(r["report"], r["row"]) for r in _rows(store, "contacts", place="Беларусь")}
    events = _rows(store, "events")
    with_by = {(r["report"], r["row"]) for r in events if "Беларусь" in (r["partner_countries"] or "")}
    assert belarus == with_by


def test_person_in_any_case(store):
    for written in ("Стрельцов", "Стрельцовым", "стрельцова", "А.В. Стрельцов", "А. В. Стрельцовым"):
        rows = _rows(store, "events-with-person", person=written)
        assert {(r["report"], r["row"]) for r in rows} == {("smolensk-2025-q1", 1), ("smolensk-2025-q1", 2)}, written
    assert _rows(store, "events-with-person", person="Б.В. Стрельцов") == []


def test_aggregates(store):
    spheres = {r["sphere"]: r["events"] for r in _rows(store, "events-per-sphere")}
    assert sum(spheres.values()) == 35 + 22
    # Shared descriptions (a sphere named in both reports) are stored once: no sum counts an event twice.
    online = sum(r["online_events"] for r in _rows(store, "events-per-sphere"))
    assert online == sum(1 for r in _rows(store, "events") if r["online"])
    rows = _rows(store, "events-with-person", person="Анохин")
    assert len(rows) == len({(r["report"], r["row"]) for r in rows})
    countries = {r["code"]: r["events"] for r in _rows(store, "partners-by-country")}
    assert max(countries, key=countries.get) == "BY"
    signed = {(r["report"], r["row"]) for r in _rows(store, "signed-documents")}
    assert {("smolensk-2025-q1", 28), ("smolensk-2025-q1", 33)} <= signed


def test_store_validates(store):
    report = validate_store(store)
    assert report.conforms, report.text


def test_reingest_replaces_without_duplicates(tmp_path, real_txt, real_docx):
    store = EmbeddedStore(tmp_path / "db")
    ingest([real_txt], store)
    first = len(store)
    ingest([real_docx], store)  # the same report in its other form: the same graph id
    ingest([real_docx], store)
    assert len(store) == first
    assert len(_rows(store, "events")) == 35


def test_bad_file_leaves_the_store_as_it_was(tmp_path, real_docx):
    store = EmbeddedStore(tmp_path / "db")
    ingest([real_docx], store)
    before = sorted(store.quads())
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"%PDF-1.4 not a report")
    with pytest.raises(ReportError, match="broken.docx"):
        ingest([real_docx, broken], store)
    assert sorted(store.quads()) == before


def test_workers_store_what_one_process_stores(tmp_path, real_docx):
    files = [real_docx] + sorted(SAMPLES.glob("*.docx"))
    alone, together = EmbeddedStore(tmp_path / "alone"), EmbeddedStore(tmp_path / "together")
    ingest(files, alone)
    results = ingest(files, together, workers=2)
    assert [r.source_file for r in results] == [str(f) for f in files]

    def named(store):  # the ontology's blank nodes get new ids in every store
        return sorted(q for q in store.quads() if not any(isinstance(t, BNode) for t in q))

    assert len(together) == len(alone) and named(together) == named(alone)


def test_a_bad_row_in_a_worker_stops_the_batch_with_its_place(tmp_path, real_docx, real_txt):
    store = EmbeddedStore(tmp_path / "db")
    ingest([real_docx], store)
    before = sorted(store.quads())
    text = real_txt.read_text(encoding="utf-8").replace("11 февраля\n2025 года", "31 февраля\n2025 года")
    bad = tmp_path / "other-2025-q1.txt"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ReportError) as info:
        ingest([real_docx, bad, *sorted(SAMPLES.glob("*.docx"))], store, workers=2)
    assert info.value.row == 3 and "other-2025-q1.txt" in str(info.value) and "Сроки проведения" in str(info.value)
    assert sorted(store.quads()) == before


def test_impossible_date_names_file_row_and_cell(tmp_path, real_txt):
    text = real_txt.read_text(encoding="utf-8").replace("11 февраля\n2025 года", "31 февраля\n2025 года")
    bad = tmp_path / "smolensk-2025-q1.txt"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ReportError) as info:
        ingest([bad], EmbeddedStore(None))
    message = str(info.value)
    assert "smolensk-2025-q1.txt" in message and "row 3" in message and "Сроки проведения" in message


def test_violations_are_reported_in_words(real_docx):
    from rdflib import Literal
    from smolgraph.build import event_iri
    from smolgraph.ingest import prepare_report
    from smolgraph.validate import validate_graph
    from smolgraph.vocab import SCHEMA

    graph = prepare_report(real_docx).graph
    graph.set((event_iri("smolensk-2025-q1", 7), SCHEMA.endDate, Literal("2024-01-01", datatype=SCHEMA.Date)))
    report = validate_graph(graph)
    assert not report.conforms
    text = report.text
    assert "report smolensk-2025-q1, row 7" in text and "end date" in text


def test_cli_json_has_report_and_integer_row(tmp_path, real_docx, capsys):
    store_dir = tmp_path / "db"
    assert main(["--store", str(store_dir), "ingest", str(real_docx), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["--store", str(store_dir), "contacts", "Витебской области", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(isinstance(r["row"], int) and r["report"] == "smolensk-2025-q1" for r in rows)
    assert main(["--store", str(store_dir), "contacts", "Нарния", "--format", "json"]) == 2
    assert "unknown place 'Нарния'" in capsys.readouterr().err
    assert main(["--store", str(store_dir), "validate"]) == 0


def test_cli_csv_and_named_query_params(tmp_path, real_docx, capsys):
    store_dir = tmp_path / "db"
    main(["--store", str(store_dir), "ingest", str(real_docx), "--quiet"])
    capsys.readouterr()
    assert main(["--store", str(store_dir), "ask", "events-with-person", "--param", "person=Гусевым", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].split(",")[:2] == ["report", "row"] and len(lines) == 3
    assert main(["--store", str(store_dir), "ask", "contacts"]) == 2
    assert "--param place" in capsys.readouterr().err


def test_hostile_parameter_finds_nothing_and_breaks_nothing(store):
    for text in ['") } UNION { ?s ?p ?o } #', "Стрельцов\" . ?x ?y ?z", "}\nDROP ALL", "'; DELETE WHERE {?s ?p ?o}"]:
        assert _rows(store, "events-with-person", person=text) == []
    assert len(_rows(store, "events")) == 57


def test_two_reports_with_one_id_are_refused(tmp_path, real_txt, real_docx):
    with pytest.raises(ValidationError, match="same report id"):
        ingest([real_txt, real_docx], EmbeddedStore(None))


def test_summary_paragraph_is_a_fact_of_the_report(store):
    answer = store.query(
        "PREFIX sg: <https://w3id.org/smolgraph/ontology#> "
        "SELECT ?id ?n ?place WHERE { ?r sg:reportId ?id ; sg:summaryCount ?n ; sg:summaryPlace ?place }"
    )
    facts = {str(r["id"]): (int(r["n"]), str(r["place"])) for r in answer.rows}
    assert facts["smolensk-2025-q1"] == (3, "Дом Советов (пл. Ленина, д. 1)")


def _break_row(store, report_id: str, row: int) -> None:
    """Store the report again with a negative participant count in ``row``, which the shapes refuse."""
    from rdflib import Literal
    from smolgraph.build import event_iri, report_graph_iri
    from smolgraph.vocab import SG

    graph = store.graph(str(report_graph_iri(report_id)))
    graph.add((event_iri(report_id, row), SG.participantsTotal, Literal(-3)))
    store.replace_graph(graph)


def test_validate_store_finds_a_broken_stored_report(tmp_path, real_docx, capsys):
    store = EmbeddedStore(tmp_path / "db")
    ingest([real_docx], store)
    _break_row(store, "smolensk-2025-q1", 5)
    report = validate_store(store)
    assert not report.conforms
    assert any(v.row == 5 and v.field == "participants total" for v in report.violations)
    del store
    assert main(["--store", str(tmp_path / "db"), "validate"]) == 1
    assert "row 5" in capsys.readouterr().out



def _two_broken_reports(tmp_path, real_docx):
    """A store on disk holding the real report and the sample, a row of each broken."""
    store = EmbeddedStore(tmp_path / "db")
    results = ingest([real_docx, SAMPLES / "invented-smolensk-2025-q2.txt"], store)
    for result, row in zip(results, (5, 2)):
        _break_row(store, result.report_id, row)
    return store, [r.report_id for r in results]


def test_validate_store_in_worker_processes(tmp_path, real_docx, monkeypatch):
    import os

    import smolgraph.validate as validate

    store, report_ids = _two_broken_reports(tmp_path, real_docx)
    one_process = validate_store(store, batch_size=1)
    # Each batch notes the process that checked it (the workers are forked, so they run this too).
    pids = tmp_path / "pids"
    checked = validate._check_batch

    def noting_pid(*args):
        with open(pids, "a") as out:
            out.write(f"{os.getpid()}\n")
        # Busy long enough that the other batch goes to the other worker: on a loaded machine
        # one fast worker could otherwise take both, and the test would say nothing of two.
        time.sleep(1)
        return checked(*args)

    monkeypatch.setattr(validate, "_check_batch", noting_pid)
    seen = []
    in_workers = validate_store(store, batch_size=1, workers=2, progress=lambda done, total: seen.append((done, total)))
    assert not in_workers.conforms
    assert in_workers.violations == one_process.violations
    assert {(v.report_id, v.row, v.field) for v in in_workers.violations} >= {
        (report_ids[0], 5, "participants total"), (report_ids[1], 2, "participants total")}
    assert seen == [(1, 2), (2, 2)]
    workers = set(pids.read_text().split())
    assert len(workers) == 2 and str(os.getpid()) not in workers


class _NoReadersStore(EmbeddedStore):
    """A store that cannot be opened read-only (as when its files were removed meanwhile)."""

    def __init__(self, path, read_only: bool = False):
        if read_only:
            raise StoreError(f"{path}: cannot be opened here")
        super().__init__(path)


def test_validate_store_says_why_a_worker_could_not_open_the_store(tmp_path, real_docx):
    _two_broken_reports(tmp_path, real_docx)
    store = _NoReadersStore(tmp_path / "db")
    with pytest.raises(StoreError, match="cannot be opened here"):
        validate_store(store, batch_size=1, workers=2)


def test_validate_command_with_workers(tmp_path, real_docx, capsys):
    store, _ = _two_broken_reports(tmp_path, real_docx)
    del store
    assert main(["--store", str(tmp_path / "db"), "validate", "--workers", "2"]) == 1
    out = capsys.readouterr().out
    assert "row 5" in out and "row 2" in out



_NAMED_ONCE = """PREFIX sg: <https://w3id.org/smolgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?org ?label WHERE { ?event sg:foreignOrganisation ?org . ?org skos:prefLabel ?label }
GROUP BY ?org ?label HAVING (COUNT(?event) = 1) ORDER BY ?org"""


def _rename_one_organisation(path):
    """Edit the report at ``path`` so that a foreign organisation it names once has another name.

    Returns the organisation's IRI before the edit and its new quoted name.
    """
    scratch = EmbeddedStore(None)
    ingest([path], scratch)
    text = path.read_text(encoding="utf-8")
    for org, label in scratch.select_values(_NAMED_ONCE)[1]:
        quoted = re.search(r"«[^»]+»", label)
        if quoted and text.count(quoted.group()) == 1:
            new = quoted.group()[:-1] + " Новый»"
            path.write_text(text.replace(quoted.group(), new), encoding="utf-8")
            return org, new
    pytest.skip("no organisation in the report is named once by a quoted name")


def _described(store, org):
    return store.has_graph(str(entity_graph_iri(URIRef(org))))


def _copies(real_txt, folder, *names):
    text = real_txt.read_text(encoding="utf-8")
    for name in names:
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in names]


def test_a_corrected_report_drops_descriptions_nothing_names(tmp_path, real_txt):
    store = EmbeddedStore(tmp_path / "db")
    [report] = _copies(real_txt, tmp_path, "report.txt")
    ingest([report], store)
    counts = {r["code"]: r["organisations"] for r in _rows(store, "partners-by-country")}
    org, new_name = _rename_one_organisation(report)
    assert _described(store, org)
    ingest([report], store)
    assert not _described(store, org)
    labels = store.select_values("SELECT ?l WHERE { ?o a <http://www.w3.org/ns/org#Organization> ; "
                                 "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }")[1]
    assert any(new_name in label for (label,) in labels)
    # renamed, not removed: the country still has as many organisations
    assert {r["code"]: r["organisations"] for r in _rows(store, "partners-by-country")} == counts
    assert validate_store(store).conforms


def test_a_description_another_report_names_stays(tmp_path, real_txt):
    store = EmbeddedStore(tmp_path / "db")
    first, second = _copies(real_txt, tmp_path, "first.txt", "second.txt")
    ingest([first, second], store)
    org, _ = _rename_one_organisation(second)
    ingest([second], store)
    assert _described(store, org)  # the first report still names it


def test_a_report_ingested_again_rewrites_its_own_graph_and_only_changed_descriptions(tmp_path, real_txt):
    from smolgraph.build import GraphText

    store = EmbeddedStore(tmp_path / "db")
    [result] = ingest([real_txt], store)
    own, shared = result.parts[0], result.parts[1:]
    altered = shared[0]
    store.replace_graphs([GraphText(altered.iri, altered.ntriples.replace(b"@ru", b"@be", 1))])
    before = store.graph_revisions()
    ingest([real_txt], store)
    after = store.graph_revisions()
    assert after[own.iri] != before[own.iri]
    assert after[altered.iri] != before[altered.iri]  # it differed from the report: written again
    assert set(store.graph_ntriples(altered.iri).splitlines()) == set(altered.ntriples.splitlines())
    assert all(after[p.iri] == before[p.iri] for p in shared[1:])  # the same words: left alone
    assert validate_store(store).conforms


@pytest.fixture
def bulk_for_few(monkeypatch):
    """Write even a few new reports through the bulk loader, as a batch of hundreds is."""
    import smolgraph.ingest

    monkeypatch.setattr(smolgraph.ingest, "BULK_FROM_TRIPLES", 1)


def _spy_on_writes(store, fail_on_bulk: bool = False) -> list[bool]:
    """Record whether each write of ``store`` went through the bulk loader; optionally fail the first bulk write half-way."""
    calls: list[bool] = []
    real = store.replace_graphs

    def replace_graphs(graphs, *, bulk=False):
        calls.append(bulk)
        if bulk and fail_on_bulk:
            graphs = list(graphs)
            real(graphs[: len(graphs) // 2], bulk=True)
            raise OSError("No space left on device (injected)")
        return real(graphs, bulk=bulk)

    store.replace_graphs = replace_graphs
    return calls


def test_new_reports_go_in_bulk_and_store_what_one_transaction_each_stores(tmp_path, real_docx, bulk_for_few):
    from smolgraph.vocab import VOID_GRAPH

    store = EmbeddedStore(tmp_path / "db")
    files = [real_docx, SAMPLES / "invented-smolensk-2025-q2.docx"]
    writes = _spy_on_writes(store)
    ingest(files, store)
    assert True in writes  # new to the store: written by the bulk loader
    bulk = sorted(store.quads())
    assert all(stamp is not None for graph, stamp in store.graph_revisions().items() if graph != str(VOID_GRAPH))
    writes.clear()
    ingest(files, store)  # stored already: each replaced in one transaction
    assert writes and True not in writes
    assert sorted(store.quads()) == bulk


def test_a_refused_file_after_bulk_writes_puts_every_graph_back(tmp_path, real_txt, real_docx, bulk_for_few):
    store = EmbeddedStore(tmp_path / "db")
    ingest([real_docx], store)
    before = sorted(store.quads())
    first, second = _copies(real_txt, tmp_path, "copy-a.txt", "copy-b.txt")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"%PDF-1.4 not a report")
    writes = _spy_on_writes(store)
    # The stored report makes the two new ones before it go in (in bulk) before it is replaced.
    files = [SAMPLES / "invented-smolensk-2025-q2.docx", first, real_docx, second, broken]
    with pytest.raises(ReportError, match="broken.docx"):
        ingest(files, store, workers=2)
    assert True in writes and False in writes
    assert sorted(store.quads()) == before
    assert not store.has_graph(str(URIRef("https://w3id.org/smolgraph/graph/report/copy-a")))


def test_an_interrupted_ingest_puts_every_graph_back(tmp_path, real_txt, real_docx, bulk_for_few):
    store = EmbeddedStore(tmp_path / "db")
    ingest([real_docx], store)
    before = sorted(store.quads())
    [copy] = _copies(real_txt, tmp_path, "copy-a.txt")

    def interrupt_at_the_third(number, total, path):
        if number == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest([SAMPLES / "invented-smolensk-2025-q2.docx", real_docx, copy], store, progress=interrupt_at_the_third)
    assert sorted(store.quads()) == before


def test_a_store_failing_mid_write_is_put_back(tmp_path, real_docx, bulk_for_few):
    store = EmbeddedStore(tmp_path / "db")
    ingest([real_docx], store)
    before = sorted(store.quads())
    _spy_on_writes(store, fail_on_bulk=True)
    with pytest.raises(StoreError, match="No space left.*holds what it held before"):
        ingest([SAMPLES / "invented-smolensk-2025-q2.docx"], store)
    assert sorted(store.quads()) == before


def test_a_few_new_reports_go_in_one_transaction(tmp_path, real_docx):
    store = EmbeddedStore(tmp_path / "db")
    writes = _spy_on_writes(store)
    ingest([real_docx, SAMPLES / "invented-smolensk-2025-q2.docx"], store)
    assert writes and True not in writes


def test_a_failed_ingest_puts_back_only_what_it_wrote(tmp_path, real_txt, real_docx, bulk_for_few):
    store = EmbeddedStore(tmp_path / "db")
    ingest([real_docx], store)
    revisions = store.graph_revisions()
    [copy] = _copies(real_txt, tmp_path, "copy-a.txt")  # a new report describing everything in the same words
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"%PDF-1.4 not a report")
    with pytest.raises(ReportError):
        ingest([copy, broken], store)
    assert store.graph_revisions() == revisions  # the descriptions were never written, so never put back
