"""In Russian (SMOLGRAPH_LANG=ru) the store, the remote client, validation and the network page speak Russian."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from smolgraph.errors import EndpointError, StoreError, UnknownPlaceError
from smolgraph.store import MARKER_FILE, EmbeddedStore


@pytest.fixture(autouse=True)
def _russian(monkeypatch):
    monkeypatch.setenv("SMOLGRAPH_LANG", "ru")


def test_a_busy_store_is_named_in_russian(tmp_path):
    folder = tmp_path / "store"
    with EmbeddedStore(folder):
        with pytest.raises(StoreError) as caught:
            EmbeddedStore(folder)
    message = str(caught.value)
    assert message.startswith(f"{folder}: хранилище занято (в него пишет другой процесс smolgraph)"), message
    assert "busy" not in message.removeprefix(str(folder))


def test_a_damaged_store_is_named_in_russian(tmp_path):
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / MARKER_FILE).write_text('{"written_by": "smolgraph", "store_format": 1}\n', encoding="utf-8")
    (folder / "000004.log").write_bytes(b"")  # engine files without their CURRENT
    with pytest.raises(StoreError) as caught:
        EmbeddedStore(folder, read_only=True)
    message = str(caught.value)
    assert "хранилище повреждено (отсутствует его файл CURRENT)" in message, message
    assert "smolgraph ingest --store NEW_DIR FILE" in message  # commands and options stay as they are
    assert "damaged" not in message.removeprefix(str(folder))


def test_an_unknown_place_and_its_suggestions_come_in_russian(gazetteer):
    from smolgraph.ask import resolve_place

    with pytest.raises(UnknownPlaceError) as caught:
        resolve_place("Витебская обласць", gazetteer=gazetteer)
    message = str(caught.value)
    assert caught.value.suggestions, "the test needs a name with suggestions"
    assert "Витебская обласць" in message and caught.value.suggestions[0] in message
    assert "unknown place" not in message and "Did you mean" not in message


def test_a_remote_endpoint_that_is_down_is_named_in_russian():
    from smolgraph.remote import RemoteStore

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/sparql"
    with pytest.raises(EndpointError) as caught:
        RemoteStore(url, retries=1, backoff=0.01, timeout=5.0).query("ASK {}")
    message = str(caught.value)
    assert message.startswith(f"{url}: не удалось связаться с точкой доступа: в соединении отказано"), message
    assert "Запущен ли сервер и верен ли URL?" in message
    assert "cannot" not in message and "Is the server running" not in message


def test_a_validation_violation_reads_in_russian():
    from smolgraph.validate import validate_graph
    from smolgraph.vocab import ID, SG

    g = Graph()
    g.add((ID["event/r/1"], RDF.type, SG.Event))
    report = validate_graph(g)
    shown = [str(v) for v in report.violations]
    assert "отчёт r, строка 1, поле «подписан документ»: не имеет значения" in shown, shown
    assert any("у мероприятия нет наименования или их несколько" in line for line in shown), shown
    assert report.text.startswith(f"{len(report.violations)} нарушени")
    # Code still compares the English field names.
    assert "document signed" in {v.field for v in report.violations}
    assert not any("field" in line or "has no value" in line for line in shown)


def test_the_network_page_controls_are_in_russian(tmp_path):
    pytest.importorskip("pyvis")
    from smolgraph.network.centrality import analyse
    from smolgraph.network.page import write_page
    from smolgraph.network.projections import _example

    page = write_page(analyse(_example(), "bipartite", "organisation"), tmp_path / "net.html")
    text = Path(page).read_text(encoding="utf-8")
    for russian in ("<h2>Поиск</h2>", 'placeholder="Название узла"', ">Найти</button>", "<h2>Фильтры</h2>",
                    ">все сферы</option>", ">Показать все</button>", "<h2>Легенда</h2>", "Построение сети…",
                    "Ничего не найдено.", "Местные ведомства и зарубежные партнёры"):
        assert russian in text, russian
    for english in ("<h2>Search</h2>", "Name of a node", ">Find</button>", "<h2>Filters</h2>", "all spheres",
                    ">Show all</button>", "<h2>Legend</h2>", "Laying out the network", "Nothing found",
                    "Local agencies and foreign partners"):
        assert english not in text, english
