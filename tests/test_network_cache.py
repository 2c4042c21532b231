"""What the network stage read from a store is kept and reused until the store changes."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from smolgraph.build import build_report_graph
from smolgraph.gazetteer import load_gazetteer
from smolgraph.network import load_events
from smolgraph.store import EmbeddedStore
from smolgraph.vocab import VOID_GRAPH
from rdflib import Graph, Literal, URIRef

from test_network import make_store, reports

SMOLGRAPH = Path(sys.executable).with_name("smolgraph")


class _NoReads(EmbeddedStore):
    """A store that fails any query: what it returns must come from the cache."""

    def select_values(self, sparql, *, timeout=None):
        raise AssertionError("the store was read although the cache was current")

    def query(self, sparql, **kwargs):
        raise AssertionError("the store was read although the cache was current")


def _facts(data):
    return [(e.key, e.title, e.start, e.countries, e.regions, e.foreign_orgs, e.participants) for e in data.events]


def test_a_second_load_comes_from_the_cache_until_the_store_changes(tmp_path):
    path, cache = tmp_path / "store", tmp_path / "cache"
    store = make_store(path)
    first = load_events(store, cache_dir=cache)
    assert len(list(cache.glob("events-*.pickle"))) == 1
    store.close()

    reader = _NoReads(path, read_only=True)
    again = load_events(reader, cache_dir=cache)
    assert _state(again) == _state(first) and again.with_people
    reader.close()

    # A new version of one report: the cache no longer answers, the new titles show.
    store = EmbeddedStore(path)
    meta, events = reports()[0]
    events = [type(e)(**{**e.__dict__, "title": e.title + " (исправлено)"}) for e in events]
    store.replace_graph(build_report_graph(meta, events, gazetteer=load_gazetteer()))
    changed = load_events(store, cache_dir=cache)
    assert sum(e.title.endswith("(исправлено)") for e in changed.events) == len(events)
    # the file of the old revision is gone, the new one is there
    assert len(list(cache.glob("events-*.pickle"))) == 1


def test_writing_only_the_derived_description_keeps_the_revision(tmp_path):
    store = make_store(tmp_path / "store")
    before = store.revision()
    void = Graph(identifier=VOID_GRAPH)
    void.add((URIRef("urn:x"), URIRef("urn:p"), Literal(1)))
    store.replace_graph(void)
    assert store.revision() == before
    store.drop_graph(str(URIRef("urn:no-such-graph")))
    assert store.revision() != before


def test_a_broken_cache_file_is_read_past(tmp_path):
    path, cache = tmp_path / "store", tmp_path / "cache"
    store = make_store(path)
    expected = _facts(load_events(store))
    load_events(store, cache_dir=cache)
    (written,) = cache.glob("events-*.pickle")
    written.write_bytes(b"not a pickle")
    assert _facts(load_events(store, cache_dir=cache)) == expected
    assert written.read_bytes() != b"not a pickle"  # written again


def test_stores_in_memory_or_without_a_revision_are_not_cached(tmp_path):
    cache = tmp_path / "cache"
    load_events(make_store(None), cache_dir=cache)
    assert not cache.exists() or not any(cache.iterdir())


def test_the_threaded_reader_gives_what_rdflib_gives_over_the_same_quads(tmp_path):
    """The store's reader (plain strings, queries in threads) and rdflib's engine over the same quads agree."""
    from smolgraph.api import dataset

    store = make_store(None)
    fast, generic = load_events(store), load_events(dataset(store))
    assert _facts(fast) == _facts(generic)
    assert {k: (v.label, v.kind, v.country, v.region, v.level) for k, v in fast.entities.items()} == {
        k: (v.label, v.kind, v.country, v.region, v.level) for k, v in generic.entities.items()}


@pytest.mark.parametrize("no_cache", [False, True])
def test_the_command_line_keeps_its_cache_where_told(tmp_path, no_cache):
    path, cache = tmp_path / "store", tmp_path / "cache"
    make_store(path).close()
    command = [str(SMOLGRAPH), "--store", str(path), "network", "--wide"] + (["--no-cache"] if no_cache else [])
    env = {"SMOLGRAPH_CACHE": str(cache), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    first = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    second = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    assert first == second and "Витебская область" in first
    assert bool(list(cache.glob("events-*.pickle"))) is not no_cache


def test_events_read_without_people_are_cached_apart_and_refuse_the_people_network(tmp_path):
    from smolgraph.errors import QueryError
    from smolgraph.network import people_network

    path, cache = tmp_path / "store", tmp_path / "cache"
    store = make_store(path)
    without = load_events(store, cache_dir=cache, people=False)
    with_people = load_events(store, cache_dir=cache)
    assert len(list(cache.glob("events-*.pickle"))) == 2  # one per kind, same revision
    assert _facts(without) == [f[:-1] + ((),) for f in _facts(with_people)]
    assert any(e.participants for e in with_people.events)
    assert people_network(with_people).number_of_nodes() > 0
    with pytest.raises(QueryError, match="without their participants"):
        people_network(without)
    # the cache gives back each kind as it was read
    assert not any(e.participants for e in load_events(store, cache_dir=cache, people=False).events)


class _Counting(EmbeddedStore):
    """A store that notes what the network stage reads of it: whole-store queries and copied graphs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sent: list[str] = []
        self.copied: set[str] = set()

    def select_values(self, sparql, *, timeout=None):
        self.sent.append(sparql)
        return super().select_values(sparql, timeout=timeout)

    def copy_graphs(self, iris):
        iris = list(iris)
        self.copied.update(iris)
        return super().copy_graphs(iris)


def _state(data):
    """Everything the projections use, comparable."""
    events = [(e.key, e.title, e.start, e.end, e.sphere, e.online, e.home, e.local_orgs, e.foreign_orgs,
               e.international_orgs, e.countries, e.regions, e.places, e.participants) for e in data.events]
    return events, {k: (v.label, v.kind, v.country, v.region, v.level, v.place, v.aliases) for k, v in data.entities.items()}


def _fresh(path):
    reader = EmbeddedStore(path, read_only=True)
    try:
        return _state(load_events(reader))
    finally:
        reader.close()


@pytest.mark.parametrize("bulk", [False, True], ids=["one-transaction", "bulk-loaded"])
def test_after_an_ingest_only_the_graphs_it_wrote_are_read_again(tmp_path, real_txt, monkeypatch, bulk):
    import smolgraph.ingest
    from smolgraph.build import report_graph_iri
    from smolgraph.ingest import ingest

    from conftest import SAMPLES

    if bulk:  # the bulk loader even for one report, as for a batch of hundreds
        monkeypatch.setattr(smolgraph.ingest, "BULK_FROM_TRIPLES", 1)
    path, cache = tmp_path / "store", tmp_path / "cache"
    store = EmbeddedStore(path)
    ingest([SAMPLES / "invented-smolensk-2025-q2.docx"], store)
    load_events(store, cache_dir=cache)
    ingest([real_txt], store)
    store.close()

    reader = _Counting(path, read_only=True)
    again = load_events(reader, cache_dir=cache)
    reader.close()
    new, kept = str(report_graph_iri("smolensk-2025-q1")), str(report_graph_iri("invented-smolensk-2025-q2"))
    assert not reader.sent  # no question to the whole store
    assert new in reader.copied and kept not in reader.copied
    assert {e.report for e in again.events} == {"smolensk-2025-q1", "invented-smolensk-2025-q2"}
    assert _state(again) == _fresh(path)


def test_a_dropped_graph_and_a_new_version_show_in_what_is_kept(tmp_path):
    from smolgraph.build import report_graph_iri

    path, cache = tmp_path / "store", tmp_path / "cache"
    store = make_store(path)
    load_events(store, cache_dir=cache)
    (first_meta, first_events), (second_meta, _) = reports()
    store.drop_graph(str(report_graph_iri(second_meta.report_id)))
    dropped = load_events(store, cache_dir=cache)
    assert {e.report for e in dropped.events} == {first_meta.report_id}
    renamed = [type(e)(**{**e.__dict__, "title": "Новое название"}) for e in first_events]
    store.replace_graph(build_report_graph(first_meta, renamed, gazetteer=load_gazetteer()))
    store.close()
    assert {e.title for e in load_events(EmbeddedStore(path, read_only=True), cache_dir=cache).events} == {"Новое название"}
    assert _state(load_events(EmbeddedStore(path, read_only=True), cache_dir=cache)) == _fresh(path)


def test_a_bulk_load_counts_every_graph_as_written(tmp_path):
    path, cache = tmp_path / "store", tmp_path / "cache"
    store = make_store(path)
    load_events(store, cache_dir=cache)
    before = store.graph_revisions()
    store.bulk_load(b"<urn:s> <urn:p> <urn:o> <urn:extra> .\n")
    after = store.graph_revisions()
    assert after.keys() == before.keys() | {"urn:extra"}
    assert all(after[g] != before[g] for g in before)
    store.close()
    reader = _Counting(path, read_only=True)
    load_events(reader, cache_dir=cache)
    # nothing kept: every graph is read again (copied one by one, or all at once)
    assert reader.copied >= after.keys() or (reader.sent and not reader.copied)


def test_a_graph_written_empty_or_dropped_keeps_no_revision():
    from smolgraph.build import GraphText
    from smolgraph.vocab import META_GRAPH

    store = EmbeddedStore(None)
    store.replace_graphs([GraphText("urn:a", b"<urn:s> <urn:p> 1 .\n"), GraphText("urn:b", b"<urn:s> <urn:p> 2 .\n")])
    store.replace_graphs([GraphText("urn:a", b"")])
    store.drop_graph("urn:b")
    assert store.graph_revisions() == {}
    assert not any(URIRef(g) in store.graph(str(META_GRAPH)).subjects() for g in ("urn:a", "urn:b"))
