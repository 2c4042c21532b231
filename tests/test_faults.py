"""Faults: killed ingests, two writers, old stores, bad rows, runaway and broken queries."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from smolgraph.build import report_graph_iri
from smolgraph.cli import main
from smolgraph.errors import QueryError, ReportError, StoreError
from smolgraph.ingest import ingest
from smolgraph.store import EmbeddedStore, open_store


def _graph_triples(path, report_id):
    store = EmbeddedStore(path, read_only=True)
    return frozenset(store.graph(str(report_graph_iri(report_id))))


def _changed_copy(real_txt, tmp_path):
    text = real_txt.read_text(encoding="utf-8").replace("Проведение телемоста", "Проведение большого телемоста")
    changed = tmp_path / "changed" / "smolensk-2025-q1.txt"
    changed.parent.mkdir()
    changed.write_text(text, encoding="utf-8")
    return changed


def test_killed_ingest_leaves_old_or_whole_new_report(tmp_path, real_txt):
    store_dir = tmp_path / "db"
    ingest([real_txt], EmbeddedStore(store_dir))
    old = _graph_triples(store_dir, "smolensk-2025-q1")
    changed = _changed_copy(real_txt, tmp_path)
    code = f"from smolgraph.ingest import ingest; from smolgraph.store import EmbeddedStore; ingest([{str(changed)!r}], EmbeddedStore({str(store_dir)!r}))"
    # Measure one full run, then kill at points spread over it.
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", code], check=True)
    full = time.monotonic() - started
    new = _graph_triples(store_dir, "smolensk-2025-q1")
    assert new != old
    subprocess.run([sys.executable, "-c", f"from smolgraph.ingest import ingest; from smolgraph.store import EmbeddedStore; ingest([{str(real_txt)!r}], EmbeddedStore({str(store_dir)!r}))"], check=True)
    outcomes = set()
    for fraction in (0.5, 0.7, 0.8, 0.9, 0.95, 1.0):
        child = subprocess.Popen([sys.executable, "-c", code])
        time.sleep(full * fraction)
        child.send_signal(signal.SIGKILL)
        child.wait()
        now = _graph_triples(store_dir, "smolensk-2025-q1")
        assert now in (old, new), f"half-written report after a kill at {fraction:.0%} of a run"
        outcomes.add("new" if now == new else "old")
    assert outcomes  # which ones occur depends on timing; every one must be whole


def test_second_writer_is_told_the_store_is_busy(tmp_path, real_txt):
    store_dir = tmp_path / "db"
    holder = EmbeddedStore(store_dir)
    code = f"from smolgraph.store import EmbeddedStore; EmbeddedStore({str(store_dir)!r})"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode != 0 and "busy" in run.stderr
    holder.close()
    del holder


def test_readers_work_beside_a_writer(tmp_path, real_txt):
    store_dir = tmp_path / "db"
    writer = EmbeddedStore(store_dir)
    ingest([real_txt], writer)
    reader = EmbeddedStore(store_dir, read_only=True)
    assert reader.query("ASK WHERE { ?e a <https://w3id.org/smolgraph/ontology#Event> }").boolean


def test_store_of_another_format_is_detected(tmp_path):
    import pyoxigraph as ox

    store_dir = tmp_path / "db"
    raw = ox.Store(str(store_dir))
    raw.add(ox.Quad(ox.NamedNode("https://w3id.org/smolgraph/id/store"), ox.NamedNode("https://w3id.org/smolgraph/store#storeFormat"),
                    ox.Literal("99", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), ox.NamedNode("https://w3id.org/smolgraph/graph/meta")))
    del raw
    with pytest.raises(StoreError, match="format 99"):
        EmbeddedStore(store_dir)


def test_foreign_store_is_not_taken_for_ours(tmp_path):
    import pyoxigraph as ox

    store_dir = tmp_path / "db"
    raw = ox.Store(str(store_dir))
    raw.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("x"), ox.NamedNode("urn:g")))
    del raw
    with pytest.raises(StoreError, match="not written by smolgraph"):
        EmbeddedStore(store_dir)


def _with_bad_row(real_txt, tmp_path):
    text = real_txt.read_text(encoding="utf-8").replace("11 февраля\n2025 года", "31 февраля\n2025 года")
    bad = tmp_path / "smolensk-2025-q1.txt"
    bad.write_text(text, encoding="utf-8")
    return bad


def test_one_bad_row_rejects_the_report_by_default(tmp_path, real_txt, capsys):
    bad = _with_bad_row(real_txt, tmp_path)
    assert main(["--store", str(tmp_path / "db"), "ingest", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "row 3" in err and "31.02.2025" in err


def test_keep_good_rows_stores_the_others_and_lists_the_bad(tmp_path, real_txt, capsys):
    bad = _with_bad_row(real_txt, tmp_path)
    assert main(["--store", str(tmp_path / "db"), "ingest", str(bad), "--keep-good-rows"]) == 0
    captured = capsys.readouterr()
    assert "rows left out 1" in captured.out and "row 3" in captured.err
    store = open_store(tmp_path / "db", read_only=True)
    rows = store.query("SELECT ?n WHERE { ?e <https://w3id.org/smolgraph/ontology#rowNumber> ?n ; a <https://w3id.org/smolgraph/ontology#Event> }").rows
    assert sorted(int(r["n"]) for r in rows) == [n for n in range(1, 36) if n != 3]


def test_dates_outside_the_period_warn_but_a_wrong_year_is_an_error(tmp_path, real_txt):
    text = real_txt.read_text(encoding="utf-8")
    straddle = tmp_path / "a" / "smolensk-2025-q1.txt"
    straddle.parent.mkdir()
    straddle.write_text(text.replace("18 марта \n2025 года", "28 марта – 3 апреля\n2025 года").replace("5 января\n2025 года", "5 мая\n2025 года"), encoding="utf-8")
    [result] = ingest([straddle], EmbeddedStore(None))
    assert any("row 7" in w and "outside the report's period" in w for w in result.warnings)
    wrong = tmp_path / "b" / "smolensk-2025-q1.txt"
    wrong.parent.mkdir()
    wrong.write_text(text.replace("5 января\n2025 года", "5 января\n2052 года"), encoding="utf-8")
    with pytest.raises(ReportError, match="row 7.*years away"):
        ingest([wrong], EmbeddedStore(None))


def test_huge_cell_is_refused_with_its_place(tmp_path, real_txt):
    text = real_txt.read_text(encoding="utf-8").replace("Проведение телемоста", "Проведение телемоста " + "x" * 1_000_000)
    path = tmp_path / "smolensk-2025-q1.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReportError, match=r"row 20, cell 'Наименование мероприятия'"):
        ingest([path], EmbeddedStore(None))


def test_syntax_error_in_users_query_gives_position(tmp_path, real_txt, capsys):
    store_dir = tmp_path / "db"
    ingest([real_txt], EmbeddedStore(store_dir))
    query = tmp_path / "bad.rq"
    query.write_text("SELECT ?x WHERE {\n  ?x ?y\n}", encoding="utf-8")
    assert main(["--store", str(store_dir), "query", str(query)]) == 2
    err = capsys.readouterr().err
    assert "bad.rq" in err and "error at 3:" in err


def test_runaway_query_is_stopped_at_its_timeout(tmp_path, real_txt):
    store_dir = tmp_path / "db"
    ingest([real_txt], EmbeddedStore(store_dir))
    store = EmbeddedStore(store_dir, read_only=True)
    started = time.monotonic()
    with pytest.raises(QueryError, match="longer than 1 s"):
        store.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=1)
    assert time.monotonic() - started < 30
    answer = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?e a <https://w3id.org/smolgraph/ontology#Event> }", timeout=30)
    assert int(answer.rows[0]["n"]) == 35


@pytest.fixture(scope="module")
def ingested_dir(tmp_path_factory, real_txt):
    store_dir = tmp_path_factory.mktemp("faults") / "db"
    ingest([real_txt], EmbeddedStore(store_dir))
    return store_dir


@pytest.mark.parametrize(
    "command, message",
    [
        (["ask", "events-with-person", "--param", "person"], "--param takes KEY=VALUE, not 'person'"),
        (["ask", "no-such-query"], "no named query 'no-such-query'; the named queries are: contacts"),
        (["query", "nope.rq"], "nope.rq: cannot read the query file"),
    ],
)
def test_wrong_query_requests_are_named(ingested_dir, tmp_path, capsys, monkeypatch, command, message):
    store_dir = ingested_dir
    before = sorted(EmbeddedStore(store_dir, read_only=True).quads(), key=str)
    monkeypatch.chdir(tmp_path)
    assert main(["--store", str(store_dir), *command]) == 2
    assert message in capsys.readouterr().err
    assert sorted(EmbeddedStore(store_dir, read_only=True).quads(), key=str) == before


def test_an_engine_failure_mid_query_is_a_message_not_a_traceback(ingested_dir, tmp_path, capsys):
    """A SERVICE the engine cannot reach fails inside Oxigraph (an OSError): the user reads what and where."""
    query = tmp_path / "remote-part.rq"
    query.write_text("SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }", encoding="utf-8")
    before = sorted(EmbeddedStore(ingested_dir, read_only=True).quads(), key=str)
    assert main(["--store", str(ingested_dir), "query", "--allow-service", str(query)]) == 2
    err = capsys.readouterr().err
    assert "remote-part.rq: the query stopped with an error:" in err and "Traceback" not in err
    store = EmbeddedStore(ingested_dir, read_only=True)
    with pytest.raises(QueryError, match="stopped with an error"):
        store.select_values(query.read_text(encoding="utf-8"))
    assert sorted(store.quads(), key=str) == before
