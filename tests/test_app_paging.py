"""The contacts table a page at a time, and the table the workbench keeps in memory and on disk (app/table.py).

Paging over HTTP, as the page and scripts ask: pages cover the filtered table
once and in order, ``total`` and ``matched`` count before and after the
filters, a limit beyond the maximum is refused, and a download is the whole
filtered table whatever page is shown. Then the kept table: an ingest through
the app shows its events at once (also for a place), an unchanged store is not
asked again when the app starts again, and a report ingested from the command
line meanwhile is read alone.
"""
from __future__ import annotations

import http.client
import json
import threading
import urllib.parse

import pytest

import smolgraph.api as library
from smolgraph._paths import data_dir
from smolgraph.app import table as kept_table
from smolgraph.app.api import PAGE_MAX, PAGE_SIZE, Workbench
from smolgraph.app.server import make_app_server
from smolgraph.store import open_store
from workbench import serving

SAMPLE = data_dir() / "samples" / "invented-smolensk-2025-q2.docx"


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request(method, path, body=body, headers={"Host": f"127.0.0.1:{port}", **(headers or {})})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, response.headers, data


def get_json(port: int, **params):
    status, _headers, body = request(port, "GET", "/api/contacts?" + urllib.parse.urlencode(params))
    return status, json.loads(body)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """A server over a store holding the sample; yields (store, port)."""
    folder = tmp_path_factory.mktemp("paging-store")
    library.ingest(SAMPLE, store=folder)
    with serving(folder) as served:
        yield served


def keys(rows: list[dict]) -> list[tuple[str, str]]:
    return [(r["report"], str(r["row"])) for r in rows]


def same_names(row: dict) -> dict:
    """The row with each "; "-joined column as the set of its names."""
    return {k: frozenset(v.split("; ")) if isinstance(v, str) and k.startswith("partner_") else v for k, v in row.items()}


def pages(port: int, size: int, **params) -> list[dict]:
    """Every page of ``size`` rows, from offset 0 until a page comes back short."""
    got, offset = [], 0
    while True:
        status, page = get_json(port, offset=offset, limit=size, **params)
        assert status == 200, page
        assert page["offset"] == offset and page["limit"] == size and len(page["rows"]) <= size
        got.append(page)
        offset += size
        if offset >= page["matched"]:
            return got


def test_the_pages_cover_the_table_once_in_order(app):
    store, port = app
    _status, whole = get_json(port, limit=PAGE_MAX)
    every = library.ask("contacts-table", {}, store=store)
    assert whole["total"] == whole["matched"] == len(every) == len(whole["rows"]) > 10
    got = pages(port, 5)
    assert len(got) == -(-len(every) // 5)
    assert all(p["total"] == p["matched"] == len(every) for p in got)
    assert keys([r for p in got for r in p["rows"]]) == keys(whole["rows"]) == keys(every)


def test_pages_of_a_filtered_and_sorted_table(app):
    _store, port = app
    _status, everything = get_json(port, place="Беларусь", limit=PAGE_MAX)
    _status, online = get_json(port, place="Беларусь", format="online", sort="-start", limit=PAGE_MAX)
    assert 2 < online["matched"] < online["total"] == everything["total"]
    got = pages(port, 2, place="Беларусь", format="online", sort="-start")
    rows = [r for p in got for r in p["rows"]]
    assert keys(rows) == keys(online["rows"]) and all(r["format"] == "online" for r in rows)
    starts = [r["start"] for r in rows]
    assert starts == sorted(starts, reverse=True)
    assert {p["matched"] for p in got} == {online["matched"]} and {p["total"] for p in got} == {everything["total"]}


def test_default_page_and_past_the_end(app):
    _store, port = app
    status, first = get_json(port)
    assert status == 200 and first["offset"] == 0 and first["limit"] == PAGE_SIZE
    status, beyond = get_json(port, offset=first["matched"] + 10)
    assert status == 200 and beyond["rows"] == [] and beyond["matched"] == first["matched"]


@pytest.mark.parametrize("params", [{"limit": PAGE_MAX + 1}, {"limit": 0}, {"limit": -3}, {"limit": "many"},
                                    {"offset": -1}, {"offset": "2.5"}])
def test_a_wrong_page_is_refused(app, params):
    _store, port = app
    status, answer = get_json(port, **params)
    assert status == 400 and answer["error"]
    assert ("offset" if "offset" in params else "limit") in answer["error"]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_download_is_the_whole_filtered_table_whatever_the_page(app, fmt):
    _store, port = app
    _status, shown = get_json(port, place="Беларусь", format="online", sort="start", limit=PAGE_MAX)
    query = urllib.parse.urlencode({"place": "Беларусь", "format": "online", "sort": "start", "offset": 2, "limit": 1,
                                    "download": fmt})
    status, headers, body = request(port, "GET", "/api/contacts?" + query)
    assert status == 200 and "attachment" in headers["Content-Disposition"]
    if fmt == "json":
        assert keys(json.loads(body)) == keys(shown["rows"])
    else:
        lines = body.decode("utf-8").lstrip("\ufeff").splitlines()
        assert len(lines) == shown["matched"] + 1 > 3


def test_an_ingest_through_the_app_shows_its_events_at_once(tmp_path, real_docx):
    folder = tmp_path / "store"
    library.ingest(SAMPLE, store=folder)
    store = open_store(folder)
    server = make_app_server(store, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        _status, before = get_json(port, limit=PAGE_MAX)
        _status, vitebsk_before = get_json(port, place="BY-VI", limit=PAGE_MAX)
        status, _headers, body = request(port, "POST", "/api/ingest", real_docx.read_bytes(),
                                         {"X-Filename": real_docx.name, "Content-Type": "application/octet-stream"})
        assert status == 200, body[:300]
        stored = json.loads(body)["reports"][0]
        _status, after = get_json(port, limit=PAGE_MAX)
        assert after["total"] == before["total"] + stored["events"]
        assert stored["report"] in {r["report"] for r in after["rows"]}
        assert keys(after["rows"]) == keys(library.ask("contacts-table", {}, store=store))
        # A place is opened from the kept index: the new report's events of the oblast are there too.
        _status, vitebsk = get_json(port, place="BY-VI", limit=PAGE_MAX)
        expected = library.contacts("Витебская область", store=store)
        assert sorted(keys(vitebsk["rows"])) == sorted(keys(expected))
        assert {r["report"] for r in vitebsk["rows"]} - {r["report"] for r in vitebsk_before["rows"]} == {stored["report"]}
    finally:
        server.shutdown()
        server.server_close()
        store.close()


def test_the_kept_table_survives_a_restart_and_reads_only_new_reports(tmp_path, real_docx, monkeypatch):
    folder = tmp_path / "store"
    library.ingest(SAMPLE, store=folder)
    reads = []
    real_read = kept_table._read

    def spy(source):
        found = real_read(source)
        reads.append((source.path, sorted(found)))
        return found

    monkeypatch.setattr(kept_table, "_read", spy)

    def open_workbench():
        store = open_store(folder)
        bench = Workbench(store)
        table = bench.contacts({"limit": str(PAGE_MAX)})
        bench._warming.join(60)  # the start-up reads hold the store: done before it is closed and written to
        return store, bench, table

    store, _bench, first = open_workbench()
    store.close()
    assert len(reads) == 1 and reads[0][0] is not None  # the whole store, once
    # The store unchanged: the next app reads the kept file, not the store.
    store, _bench, again = open_workbench()
    store.close()
    assert len(reads) == 1 and keys(again["rows"]) == keys(first["rows"])
    # A report ingested by the command line meanwhile: only its graph is read, on an in-memory copy.
    result = library.ingest(real_docx, store=folder)[0]
    store, bench, after = open_workbench()
    try:
        assert len(reads) == 2 and reads[1] == (None, [result.report_id])
        assert keys(after["rows"]) == keys(library.ask("contacts-table", {}, store=store))
        # The same rows as the whole store's answer; names joined by "; " may come in another order (the engine's).
        fresh = [{c: r.get(c) for c in after["columns"]} for r in library.ask("contacts-table", {}, store=store)]
        assert [same_names(r) for r in after["rows"]] == [same_names(r) for r in fresh]
        assert after["total"] == first["total"] + len(result.events)
    finally:
        store.close()
