"""``smolgraph upgrade`` brings a store written by 0.x to the 1.0 ontology (issue 17).

``tests/data/store-0.x-invented.nq.gz`` is the invented sample as smolgraph
wrote it at a70bf9a, just before the ontology's 1.0: its report, description
and meta graphs as N-Quads (the gazetteer and ontology graphs left out: the
upgrade writes them afresh, and they would make the fixture thirty times
larger). The test makes a store of it and upgrades it; the result must be the
store a fresh ingest of the same sample makes now.
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.compare import to_isomorphic

from smolgraph.ask import rows_as_python, run_named
from smolgraph.ingest import ingest
from smolgraph.store import MARKER_FILE, StoreError, open_store
from smolgraph.upgrade import upgrade_store
from smolgraph.validate import validate_store
from smolgraph.vocab import GRAPH

from conftest import SAMPLES

OLD_STORE = Path(__file__).with_name("data") / "store-0.x-invented.nq.gz"
SAMPLE = SAMPLES / "invented-smolensk-2025-q2.docx"
QUESTIONS = {"events": {}, "online-events": {}, "events-with-person": {"person": "Лесков"},
             "contacts": {"place": "Витебская область"}, "partners-by-country": {}, "signed-documents": {}}


def old_store(folder: Path) -> Path:
    """A store folder holding what 0.x wrote, marker file included."""
    engine = ox.Store(str(folder))
    engine.load(gzip.decompress(OLD_STORE.read_bytes()), format=ox.RdfFormat.N_QUADS)
    engine.flush()
    del engine
    (folder / MARKER_FILE).write_text(json.dumps({"written_by": "smolgraph", "store_format": 1}) + "\n", encoding="utf-8")
    return folder


def _graphs(store) -> dict[str, object]:
    """Every graph's triples, but the bookkeeping and dataset description (not data).

    The ontology graph has blank nodes (its lists), named afresh on every
    load: it is compared as a graph up to their names.
    """
    skip = {str(GRAPH["meta"]), str(GRAPH["void"])}
    out: dict[str, object] = {g: set(store.graph_ntriples(g).splitlines()) for g in store.graphs() if g not in skip}
    out[str(GRAPH["ontology"])] = to_isomorphic(store.graph(str(GRAPH["ontology"])))
    return out


def _answers(store) -> dict:
    return {name: rows_as_python(run_named(store, name, params)) for name, params in QUESTIONS.items()}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("fresh") / "store")
    ingest([SAMPLE], store)
    yield store
    store.close()


def test_an_old_store_is_refused_with_the_command_that_upgrades_it(tmp_path, capsys):
    from smolgraph.cli import main

    folder = old_store(tmp_path / "old")
    with pytest.raises(StoreError, match=r"written by smolgraph before its ontology 1\.0; bring it up to date with smolgraph upgrade --store"):
        open_store(folder)
    assert main(["--store", str(folder), "contacts", "Витебская область"]) == 2
    assert "smolgraph upgrade --store" in capsys.readouterr().err
    assert main(["--store", str(folder), "upgrade"]) == 0
    capsys.readouterr()
    assert main(["--store", str(folder), "contacts", "Витебская область", "--format", "json"]) == 0


def test_an_upgraded_store_is_what_a_fresh_ingest_makes(tmp_path, fresh):
    folder = old_store(tmp_path / "old")
    result = upgrade_store(folder)
    assert result.moved > 0 and result.reports == ["invented-smolensk-2025-q2"] and result.events > 0
    store = open_store(folder)
    try:
        assert _graphs(store) == _graphs(fresh)
        assert _answers(store) == _answers(fresh)
        assert validate_store(store).conforms
        online = run_named(store, "online-events", {})
        assert online.rows, "the sample's online events keep their flag through the attendance mode"
    finally:
        store.close()


def test_upgrading_twice_changes_nothing(tmp_path):
    folder = old_store(tmp_path / "old")
    upgrade_store(folder)
    store = open_store(folder)
    before = _graphs(store)
    store.close()
    again = upgrade_store(folder)
    assert again.moved == 0
    store = open_store(folder)
    try:
        assert _graphs(store) == before
    finally:
        store.close()
