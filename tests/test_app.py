"""The workbench (``smolgraph app``): its JSON API on a store holding the invented sample, and its page in headless chromium.

The API is the contract (``docs/app.md``), so most tests speak HTTP to a real
server on a free port, as a script would; the browser test drives the page
over the DevTools protocol as ``test_network_page.py`` does.
"""
from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.parse

import pytest

import smolgraph.api as library
from smolgraph._paths import data_dir
from smolgraph.app.server import make_app_server
from smolgraph.store import open_store
from workbench import serving

SAMPLE = data_dir() / "samples" / "invented-smolensk-2025-q2.docx"
REPORT = "invented-smolensk-2025-q2"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """A server over a store holding the sample, on a free port; yields (store, port)."""
    folder = tmp_path_factory.mktemp("app-store")
    library.ingest(SAMPLE, store=folder)
    with serving(folder) as served:
        yield served


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """Status, headers and body of one request; ``Host`` is the server's own unless ``headers`` says otherwise."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sent = {"Host": f"127.0.0.1:{port}", **(headers or {})}
    connection.putrequest(method, path, skip_host=True)
    for key, value in sent.items():
        connection.putheader(key, value)
    if body is not None:
        connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, response.headers, data


def get_json(port: int, path: str, **params):
    status, _headers, body = request(port, "GET", path + ("?" + urllib.parse.urlencode(params) if params else ""))
    return status, json.loads(body)


def all_quads(store) -> set[tuple]:
    result = store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {tuple(str(row.get(v)) for v in ("s", "p", "o", "g")) for row in result.rows}


@pytest.mark.parametrize("typed", ["Витебск", "Vitebsk", "Витебской области"])
def test_search_finds_the_oblast(app, typed):
    _store, port = app
    status, answer = get_json(port, "/api/search", q=typed)
    assert status == 200
    found = [(r["kind"], r["id"]) for r in answer["results"]]
    assert ("region", "BY-VI") in found, found
    oblast = next(r for r in answer["results"] if r["id"] == "BY-VI")
    assert oblast["name"] == "Витебская область" and oblast["param"] == "place" and oblast["events"] > 0


def test_search_finds_people_in_another_case(app):
    _store, port = app
    _status, answer = get_json(port, "/api/search", q="Крыловым")
    assert ("person", "Р.С. Крылов") in [(r["kind"], r["id"]) for r in answer["results"]]


def test_contacts_are_the_library_s(app):
    store, port = app
    status, table = get_json(port, "/api/contacts", place="BY-VI")
    assert status == 200
    expected = library.contacts("Витебская область", store=store)
    assert sorted((r["report"], str(r["row"])) for r in table["rows"]) == sorted((r["report"], str(r["row"])) for r in expected)
    assert table["total"] == len(expected) and table["subject"]["name"] == "Витебская область"
    assert {"report", "row", "start", "end", "sphere", "partner_places", "format", "reporting_region"} <= set(table["columns"])
    assert {r["format"] for r in table["rows"]} <= {"online", "offline", "hybrid"}


def test_filters_and_sort(app):
    _store, port = app
    _status, every = get_json(port, "/api/contacts", place="Беларусь")
    _status, online = get_json(port, "/api/contacts", place="Беларусь", format="online", sort="-start")
    assert 0 < len(online["rows"]) < len(every["rows"]) and all(r["format"] == "online" for r in online["rows"])
    starts = [r["start"] for r in online["rows"]]
    assert starts == sorted(starts, reverse=True)
    _status, may = get_json(port, "/api/contacts", place="Беларусь", **{"from": "2025-05-01", "to": "2025-05-31"})
    assert may["rows"] and all(r["start"] <= "2025-05-31" and (r["end"] or r["start"]) >= "2025-05-01" for r in may["rows"])
    _status, by_name = get_json(port, "/api/contacts", country="Белоруссии")
    assert len(by_name["rows"]) == len(every["rows"])
    status, wrong = get_json(port, "/api/contacts", place="BY-VI", format="in-person")
    assert status == 400 and "online" in wrong["error"]
    status, unknown = get_json(port, "/api/contacts", place="Нарния")
    assert status == 404 and unknown["error"]


def test_downloads_are_what_is_shown(app):
    _store, port = app
    _status, shown = get_json(port, "/api/contacts", place="BY-VI", sort="row")
    status, headers, body = request(port, "GET", "/api/contacts?place=BY-VI&sort=row&download=csv")
    assert status == 200 and "attachment" in headers["Content-Disposition"]
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only after a byte-order mark
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].split(";") == shown["columns"] and len(lines) == len(shown["rows"]) + 1
    assert [line.split(";")[1] for line in lines[1:]] == [str(r["row"]) for r in shown["rows"]]
    status, _headers, body = request(port, "GET", "/api/contacts?place=BY-VI&sort=row&download=json")
    assert status == 200 and json.loads(body) == shown["rows"]


def test_event_card_carries_the_row_as_written(app):
    _store, port = app
    status, card = get_json(port, "/api/event", report=REPORT, row="20")
    assert status == 200
    written = next(row for row in library.read_report(SAMPLE).rows if str(row.number) == "20")
    cells = {cell["field"]: cell["text"] for cell in card["cells"]}
    for field in ("number", "title", "venue", "dates", "content", "participants"):
        assert cells[f"{field}Cell"] == written.cells[field], field
    facts = {fact["property"]: fact for fact in card["facts"]}
    assert "startDate" in facts and "contactArea" in facts
    countries = [v for v in facts["partnerCountry"]["values"] if v["label"] == "Беларусь"]
    assert {link["kind"] for link in countries[0]["links"]} >= {"GeoNames", "Wikidata", "ISO 3166"}
    _status, first = get_json(port, "/api/event", report=REPORT, row="1")
    assert {p["side"] for p in first["people"]} == {"local", "foreign"} and first["agreements"]
    status, missing = get_json(port, "/api/event", report=REPORT, row="999")
    assert status == 404 and "999" in missing["error"]


def test_reports_and_questions(app):
    _store, port = app
    _status, reports = get_json(port, "/api/reports")
    [report] = reports["rows"]
    assert report["report"] == REPORT and report["events"] == 22 and report["reporting_region"] == "Смоленская область"
    _status, questions = get_json(port, "/api/questions")
    names = {q["name"]: q for q in questions["questions"]}
    assert {"contacts", "events-with-person", "contacts-table"} <= set(names)
    assert names["events-with-person"]["params"][0]["name"] == "person"
    status, answer = get_json(port, "/api/ask", name="events-with-person", person="Крыловым")
    assert status == 200 and answer["rows"] and answer["columns"][:2] == ["report", "row"]
    status, wrong = get_json(port, "/api/ask", name="events-with-person", who="x")
    assert status == 400 and wrong["error"]


def test_inspect_stores_nothing(app):
    store, port = app
    before = all_quads(store)
    status, _headers, body = request(port, "POST", "/api/inspect", SAMPLE.read_bytes(),
                                     {"X-Filename": "other-name.docx", "Content-Type": "application/octet-stream"})
    seen = json.loads(body)
    assert status == 200 and seen["rows"] == 22 and len(seen["rows_read"]) == 22 and seen["file"] == "other-name.docx"
    assert all_quads(store) == before


def test_a_refused_upload_changes_nothing(app):
    store, port = app
    before = all_quads(store)
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
    boundary = "smolgraph-test-boundary"
    form = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"otchet.docx\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + pdf + f"\r\n--{boundary}--\r\n".encode()
    status, _headers, body = request(port, "POST", "/api/ingest", form,
                                     {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    answer = json.loads(body)
    assert status == 422 and answer["stored"] is False and "PDF" in answer["error"]
    assert "smolgraph-app-" not in answer["error"]  # the private folder the upload was kept in is not shown
    assert all_quads(store) == before
    _status, reports = get_json(port, "/api/reports")
    assert [r["report"] for r in reports["rows"]] == [REPORT]


def test_uploads_are_bounded_and_named(app):
    _store, port = app
    status, _headers, body = request(port, "POST", "/api/ingest", b"x", {"X-Filename": "../../etc/passwd"})
    assert status == 422  # the name keeps no folder: it is read as a file named passwd, which is no report
    status, _headers, body = request(port, "POST", "/api/ingest", b"x")
    assert status == 400 and "X-Filename" in json.loads(body)["error"]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest("POST", "/api/ingest", skip_host=True)
    connection.putheader("Host", f"127.0.0.1:{port}")
    connection.putheader("X-Filename", "big.docx")
    connection.putheader("Content-Length", str(200 * 1024 * 1024))
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 413 and "MB" in json.loads(response.read())["error"]
    connection.close()


def test_host_and_origin_are_checked(app):
    _store, port = app
    status, _headers, body = request(port, "GET", "/api/reports", headers={"Host": f"evil.example:{port}"})
    assert status == 421 and "evil.example" in json.loads(body)["error"]
    status, _headers, _body = request(port, "GET", "/api/reports", headers={"Host": f"localhost:{port}"})
    assert status == 200
    status, headers, body = request(port, "POST", "/api/ingest", b"x",
                                    {"Origin": "http://evil.example", "X-Filename": "r.docx"})
    assert status == 403 and "Access-Control-Allow-Origin" not in headers
    status, _headers, _body = request(port, "GET", "/api/reports", headers={"Origin": f"http://127.0.0.1:{port}"})
    assert status == 200


def test_the_page_and_its_texts(app):
    _store, port = app
    status, headers, body = request(port, "GET", "/")
    assert status == 200 and b'src="/app.js"' in body and "default-src 'none'" in headers["Content-Security-Policy"]
    for name in ("/app.js", "/app.css"):
        assert request(port, "GET", name)[0] == 200
    _status, texts = get_json(port, "/api/messages")
    assert texts["lang"] in ("ru", "en") and texts["messages"]["col.report"]


def test_a_network_address_needs_the_token(tmp_path):
    store = open_store(tmp_path / "store")
    server = make_app_server(store, host="0.0.0.0", port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        assert server.token
        status, _headers, body = request(port, "POST", "/api/inspect", b"x", {"Host": f"0.0.0.0:{port}", "X-Filename": "a.txt"})
        assert status == 403 and "token" in json.loads(body)["error"]
        status, _headers, _body = request(port, "POST", "/api/inspect", b"x", {
            "Host": f"0.0.0.0:{port}", "X-Filename": "a.txt", "X-Smolgraph-Token": server.token})
        assert status != 403
    finally:
        server.shutdown()
        server.server_close()
        store.close()


# -- the page in a real browser ------------------------------------------------------------------
@pytest.mark.browser
def test_search_pick_and_see_the_contacts_in_chromium(app):
    from test_network_page import Browser, _chromium

    binary = _chromium()
    if binary is None:
        pytest.skip("no chromium binary on PATH (install Debian's chromium, or set SMOLGRAPH_CHROMIUM); .ci/run installs it")
    store, port = app
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
        assert browser.js("document.querySelectorAll('#contacts tbody tr').length") == 22  # every event, before a search
        browser.js("document.getElementById('search').focus()")
        browser.call("Input.insertText", {"text": "Витебск"}, session=True)
        settle("typing")
        options = browser.js("[...document.querySelectorAll('#suggestions li')].map(li => li.dataset.id)")
        assert "BY-VI" in options, options
        browser.js("document.querySelector('#suggestions li[data-id=\"BY-VI\"]')"
                   ".dispatchEvent(new MouseEvent('mousedown', {bubbles: true}))")
        settle("choosing")
        shown = browser.js("[...document.querySelectorAll('#contacts tbody tr')].map(tr => tr.dataset.row)")
        expected = library.contacts("Витебская область", store=store)
        assert sorted(shown) == sorted(str(r["row"]) for r in expected)
        assert "Витебская область" in browser.js("document.getElementById('contacts-heading').textContent")
        browser.js("document.querySelector('#contacts tbody tr[data-row=\"1\"]').click()")
        settle("opening the card")
        assert "Рабочая встреча" in browser.js("document.querySelector('#card-cells dd[data-field=\"titleCell\"]').textContent")
        browser.drain(0.3)
        assert browser.errors() == []
        assert all(u.startswith(f"http://127.0.0.1:{port}/") for u in browser.requests()), browser.requests()
    finally:
        browser.close()
