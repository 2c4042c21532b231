"""The Python API at the package's top level (issue 16): lazy imports, callable modules, answers as rows and DataFrames."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

import smolgraph
from conftest import SAMPLES

SAMPLE = SAMPLES / "invented-smolensk-2025-q2.docx"
FUNCTIONS = ("ingest", "open_store", "ask", "contacts", "network", "inspect_report", "read_report", "dataset", "to_dataframe")


def _python(code: str) -> str:
    """Run ``code`` in a fresh interpreter (imports start from nothing); returns its stdout."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env={**os.environ, "SMOLGRAPH_LANG": "en"}, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_import_smolgraph_loads_nothing_else():
    out = _python("""
        import sys
        before = set(sys.modules)
        import smolgraph
        print(sorted(m for m in set(sys.modules) - before))
    """)
    assert out.strip() == "['smolgraph']"


def test_every_top_level_function_is_there_and_documented():
    for name in FUNCTIONS:
        value = getattr(smolgraph, name)
        assert callable(value), name
        assert name in smolgraph.__all__ and name in dir(smolgraph)
    for name in ("contacts", "open_store", "inspect_report", "read_report", "dataset", "to_dataframe"):
        assert getattr(smolgraph, name).__doc__, name
    with pytest.raises(AttributeError):
        smolgraph.no_such_name  # noqa: B018


@pytest.mark.parametrize("first", [
    "import smolgraph",
    "import smolgraph.ask, smolgraph.ingest, smolgraph.network",
    "from smolgraph.ask import run_named; from smolgraph.ingest import prepare_report; from smolgraph.network import analyse",
    "from smolgraph import ask, ingest, network",
    "import smolgraph.cli",
    "import importlib; importlib.import_module('smolgraph.api')",
])
def test_ingest_ask_and_network_are_modules_and_functions_whatever_is_imported_first(first):
    out = _python(f"""
        {first}
        import smolgraph
        import smolgraph.ask as ask_module
        import smolgraph.ingest as ingest_module
        from smolgraph.network import analyse
        import smolgraph.network as network_module
        from smolgraph.api import ask, ingest, network
        assert ask_module is smolgraph.ask and ask_module.run_named and ask_module.bind_params
        assert ingest_module is smolgraph.ingest and ingest_module.prepare_report and ingest_module.IngestResult
        assert network_module is smolgraph.network and network_module.analyse is analyse
        assert smolgraph.contacts.__module__ == "smolgraph.api"
        print(all(callable(m) for m in (smolgraph.ask, smolgraph.ingest, smolgraph.network)))
    """)
    assert out.strip() == "True"


def test_calling_a_module_calls_the_function_of_the_api(monkeypatch):
    import smolgraph.api as api

    seen = []
    for name in ("ask", "ingest", "network"):
        monkeypatch.setattr(api, name, lambda *args, _name=name, **kwargs: seen.append((_name, args, kwargs)) or _name)
    assert smolgraph.ask("events", {"x": "1"}, store="s") == "ask"
    assert smolgraph.ingest(["a.docx"], store="s") == "ingest"
    assert smolgraph.network(store="s", level="country") == "network"
    assert seen == [("ask", ("events", {"x": "1"}), {"store": "s"}), ("ingest", (["a.docx"],), {"store": "s"}),
                    ("network", (), {"store": "s", "level": "country"})]


def test_the_module_attributes_tests_patch_are_still_the_modules(monkeypatch):
    import smolgraph.ingest

    monkeypatch.setattr(smolgraph.ingest, "BULK_FROM_TRIPLES", 1)
    from smolgraph.ingest import BULK_FROM_TRIPLES

    assert BULK_FROM_TRIPLES == 1


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    """A store folder with the invented sample, written through the top-level function (which closes the store)."""
    folder = tmp_path_factory.mktemp("api") / "store"
    [result] = smolgraph.ingest(SAMPLE, store=folder)
    assert result.report_id == "invented-smolensk-2025-q2" and len(result.events) == 22
    return folder


def test_ingest_closes_a_store_it_opened_and_leaves_an_open_one_open(store_dir, tmp_path):
    with smolgraph.open_store(store_dir) as store:  # a second writer would be refused while the first held it
        assert any("invented-smolensk-2025-q2" in iri for iri in store.graphs())
    store = smolgraph.open_store(tmp_path / "other")
    smolgraph.ingest([SAMPLES / "invented-smolensk-2025-q2.txt"], store, period="2025-H1")
    assert len(smolgraph.contacts("BY", store=store)) > 0  # still open
    store.close()


def test_contacts_are_rows_of_plain_values(store_dir):
    rows = smolgraph.contacts("Витебской области", store=store_dir)
    assert isinstance(rows, smolgraph.Rows) and isinstance(rows, list)
    assert rows.variables[:3] == ["report", "row", "title"] and "reporting_region" in rows.variables
    assert len(rows) == 5
    assert {row["report"] for row in rows} == {"invented-smolensk-2025-q2"}
    assert all(isinstance(row["row"], int) and isinstance(row["online"], bool) for row in rows)
    same = smolgraph.contacts("Витебская область", "Смоленская область", store=store_dir)
    assert [(r["report"], r["row"]) for r in same] == [(r["report"], r["row"]) for r in rows]
    other = smolgraph.contacts("Витебская область", reporting_region="Псковская область", store=store_dir)
    assert other == [] and other.variables == rows.variables


def test_ask_a_named_question(store_dir):
    rows = smolgraph.ask("events-with-person", {"person": "Крыловым"}, store=store_dir)
    assert [row["name"] for row in rows] == ["Р.С. Крылов"]
    assert smolgraph.ask("partners-by-country", store=store_dir, limit=2).variables
    from smolgraph.errors import QueryError, UnknownPlaceError

    with pytest.raises(QueryError):
        smolgraph.ask("no-such-question", store=store_dir)
    with pytest.raises(UnknownPlaceError):
        smolgraph.contacts("Витебской облости", store=store_dir)


def test_the_default_store_is_the_commands_default(store_dir, monkeypatch):
    monkeypatch.setenv("SMOLGRAPH_STORE", str(store_dir))
    assert len(smolgraph.contacts("Беларусь")) > 5


def test_network_analysis(store_dir):
    analysis = smolgraph.network(store=store_dir, level="country", cache=False)
    top = analysis.top(3)
    assert top[0]["label"] == "Беларусь" and top[0]["events"] == 14
    assert smolgraph.network(store_dir, "partners", "region", sphere="культур", cache=False).events < 22


def test_dataset_holds_the_stores_graphs(store_dir):
    from rdflib import Dataset, URIRef

    graphs = smolgraph.dataset(store=store_dir)
    assert isinstance(graphs, Dataset)
    with smolgraph.open_store(store_dir, read_only=True) as store:
        iris = store.graphs()
        assert len(graphs) == len(store)
        report_iri = next(iri for iri in iris if "invented-smolensk-2025-q2" in iri)
        assert len(graphs.graph(URIRef(report_iri))) == len(store.graph(report_iri))
    assert sorted(str(g.identifier) for g in graphs.graphs() if len(g)) == iris
    [(count,)] = graphs.query("SELECT (COUNT(?e) AS ?n) WHERE { ?e a <https://w3id.org/smolgraph/ontology#Event> }")
    assert int(count) == 22  # the default graph is the union, as in the store
    only = smolgraph.dataset(store=store_dir, graphs=[report_iri])
    assert [str(g.identifier) for g in only.graphs() if len(g)] == [report_iri]


def test_inspect_and_read_a_report_without_a_store():
    seen = smolgraph.inspect_report(SAMPLES / "invented-smolensk-2025-q2.txt", period="2025-H1", rows=1)
    assert seen.meta.region == "Смоленская область" and seen.rows == 22 and len(seen.events) == 1
    assert seen.as_dict()["period"] == {"start": "2025-01-01", "end": "2025-06-30"}
    report = smolgraph.read_report(str(SAMPLE))
    assert report.meta.quarter == 2 and len(report.rows) == 22


def test_to_dataframe_of_every_kind_of_answer(store_dir):
    pd = pytest.importorskip("pandas")
    from smolgraph.ask import run_named, stream_named

    rows = smolgraph.contacts("Витебская область", store=store_dir)
    frame = rows.to_dataframe()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == rows.variables and len(frame) == len(rows)
    assert frame.to_dict("records") == list(rows)
    assert smolgraph.to_dataframe(rows).equals(frame)
    with smolgraph.open_store(store_dir, read_only=True) as store:
        answer = smolgraph.to_dataframe(run_named(store, "contacts", {"place": "Витебская область"}))
        assert list(answer.columns) == rows.variables and list(answer["row"]) == list(frame["row"])
        streamed = smolgraph.to_dataframe(stream_named(store, "contacts", {"place": "Витебская область"}))
        assert list(streamed.columns) == rows.variables and len(streamed) == len(rows)
    empty = smolgraph.contacts("Витебская область", "Псковская область", store=store_dir).to_dataframe()
    assert empty.empty and list(empty.columns) == rows.variables
    ranking = smolgraph.to_dataframe(smolgraph.network(store=store_dir, level="country", cache=False))
    assert list(ranking.columns[:4]) == ["rank", "label", "kind", "country"] and ranking["label"][0] == "Беларусь"
    assert list(smolgraph.to_dataframe([{"a": 1}, {"a": 2, "b": 3}]).columns) == ["a", "b"]


def test_to_dataframe_without_pandas_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if it were not installed
    with pytest.raises(ImportError, match=r"smolgraph\[pandas\]"):
        smolgraph.Rows([{"a": 1}], ["a"]).to_dataframe()
