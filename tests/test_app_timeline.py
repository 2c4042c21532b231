"""The workbench's timeline (``/api/timeline``, ``timeline.js``) and the Excel download, on a store holding the real report.

The counts are checked against the contacts table's own rows, counted here
independently (the month of each start date, the spheres, the partner
countries); the page is driven in headless chromium with real mouse events.
"""
from __future__ import annotations

import calendar
import io
import time
import urllib.parse
from collections import Counter
from datetime import date, datetime

import pytest

import smolgraph.api as library
from smolgraph.store import open_store
from test_app import get_json, request
from workbench import serving


@pytest.fixture(scope="module")
def real_app(tmp_path_factory, real_docx):
    """A server over a store holding the real report (Q1 2025), on a free port; yields (store, port)."""
    folder = tmp_path_factory.mktemp("timeline-store")
    library.ingest(real_docx, store=folder)
    with serving(folder) as served:
        yield served


def months_between(first: str, last: str) -> list[str]:
    """Every month from the one of ``first`` to the one of ``last``, as YYYY-MM."""
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year}-{month:02d}" <= last[:7]:
        out.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def countries(row: dict) -> set[str]:
    """The partner countries of a row of the table, by their names as the table shows them."""
    return {c.strip() for c in (row["partner_countries"] or "").split(";") if c.strip()}


def test_months_are_the_start_months_of_the_table_s_events(real_app):
    _store, port = real_app
    _status, table = get_json(port, "/api/contacts")
    status, timeline = get_json(port, "/api/timeline")
    assert status == 200 and timeline["by"] == "month" and timeline["stack"] == "sphere"
    rows = table["rows"]
    by_start = Counter(r["start"][:7] for r in rows if r["start"])
    counted = {p["period"]: p["events"] for p in timeline["periods"] if p["events"]}
    assert counted == dict(by_start)
    assert timeline["events"] == len(rows) == sum(p["events"] for p in timeline["periods"]) + timeline["undated"]["events"]
    assert timeline["undated"]["events"] == sum(1 for r in rows if not r["start"])
    # Continuous, with each month's first and last day.
    assert [p["period"] for p in timeline["periods"]] == months_between(min(by_start), max(by_start))
    for p in timeline["periods"]:
        year, month = int(p["period"][:4]), int(p["period"][5:])
        assert p["first"] == date(year, month, 1).isoformat()
        assert p["last"] == date(year, month, calendar.monthrange(year, month)[1]).isoformat()
        assert sum(p["counts"]) == p["events"]  # one sphere (or none) per event


def test_the_report_s_months_have_bars(real_app):
    _store, port = real_app
    _status, reports = get_json(port, "/api/reports")
    (report,) = reports["rows"]
    _status, timeline = get_json(port, "/api/timeline")
    with_bars = [p["period"] for p in timeline["periods"] if p["events"]]
    assert with_bars == months_between(report["period_start"], report["period_end"]) == ["2025-01", "2025-02", "2025-03"]


def test_spheres_and_countries_are_the_table_s(real_app):
    _store, port = real_app
    _status, table = get_json(port, "/api/contacts")
    rows = table["rows"]
    _status, spheres = get_json(port, "/api/timeline", stack="sphere")
    expected = Counter(r["sphere"] for r in rows)
    got = {s["value"] if s["kind"] == "value" else None: s["total"] for s in spheres["series"]}
    assert got == dict(expected)
    if None in expected:
        assert next(s for s in spheres["series"] if s["kind"] == "none")["label"] == "no sphere"

    _status, by_country = get_json(port, "/api/timeline", stack="country")
    named = [s for s in by_country["series"] if s["kind"] == "value"]
    assert 0 < len(named) <= 8
    per_country = Counter(name for r in rows for name in countries(r))
    for series in named:  # an event with two countries counts under each
        assert series["total"] == per_country[series["label"]], series
    # The countries with most events get a series; every other country counts under "other", once per event.
    kept = {s["label"] for s in named}
    assert min(s["total"] for s in named) >= max((n for c, n in per_country.items() if c not in kept), default=0)
    totals = {s["kind"]: s["total"] for s in by_country["series"] if s["kind"] != "value"}
    assert totals.get("other", 0) == sum(1 for r in rows if countries(r) - kept)
    assert totals.get("none", 0) == sum(1 for r in rows if not countries(r))
    assert len(per_country) <= 8 or "other" in totals
    assert [p["events"] for p in by_country["periods"]] == [p["events"] for p in spheres["periods"]]
    assert next(s for s in named if s["label"] == "Беларусь")["value"] == "BY"  # the value the country filter takes


@pytest.mark.parametrize("stack", ["sphere", "country"])
def test_a_quarter_is_the_sum_of_its_months(real_app, stack):
    _store, port = real_app
    _status, months = get_json(port, "/api/timeline", stack=stack)
    _status, quarters = get_json(port, "/api/timeline", stack=stack, by="quarter")
    assert quarters["by"] == "quarter" and quarters["series"] == months["series"]
    for quarter in quarters["periods"]:
        year, q = int(quarter["period"][:4]), int(quarter["period"][-1])
        assert quarter["first"] == date(year, 3 * q - 2, 1).isoformat()
        inside = [m for m in months["periods"] if quarter["first"] <= m["first"] <= quarter["last"]]
        assert quarter["events"] == sum(m["events"] for m in inside)
        assert quarter["counts"] == [sum(column) for column in zip(*(m["counts"] for m in inside))]
    assert sum(q["events"] for q in quarters["periods"]) == sum(m["events"] for m in months["periods"])


def test_a_brushed_period_narrows_the_contacts(real_app):
    _store, port = real_app
    _status, everything = get_json(port, "/api/contacts")
    _status, timeline = get_json(port, "/api/timeline")
    february = next(p for p in timeline["periods"] if p["period"] == "2025-02")
    brush = {"from": february["first"], "to": february["last"]}
    _status, narrowed = get_json(port, "/api/contacts", **brush)
    assert 0 < len(narrowed["rows"]) < len(everything["rows"])
    # The table keeps the events that overlap the period: all that start in it, and those running into it.
    started = {(r["report"], r["row"]) for r in everything["rows"] if (r["start"] or "")[:7] == "2025-02"}
    shown = {(r["report"], r["row"]) for r in narrowed["rows"]}
    assert started <= shown and len(started) == february["events"]
    assert all(r["start"] <= brush["to"] and (r["end"] or r["start"]) >= brush["from"] for r in narrowed["rows"])
    # The timeline of the same filter counts the same events.
    _status, again = get_json(port, "/api/timeline", **brush)
    assert again["events"] == len(narrowed["rows"])


def test_the_timeline_follows_the_subject_and_filters(real_app):
    _store, port = real_app
    for params in ({"place": "BY-VI"}, {"country": "BY"}, {"format": "online"}, {"place": "Беларусь", "stack": "country"}):
        _status, table = get_json(port, "/api/contacts", **params)
        status, timeline = get_json(port, "/api/timeline", **params)
        assert status == 200 and timeline["events"] == len(table["rows"]), params
        assert sum(p["events"] for p in timeline["periods"]) == sum(1 for r in table["rows"] if r["start"])


def test_wrong_parameters_are_refused(real_app):
    _store, port = real_app
    status, answer = get_json(port, "/api/timeline", by="week")
    assert status == 400 and "month" in answer["error"] and "week" in answer["error"]
    status, answer = get_json(port, "/api/timeline", stack="region")
    assert status == 400 and "country" in answer["error"]
    status, answer = get_json(port, "/api/timeline", **{"from": "March"})
    assert status == 400 and "2025-03-31" in answer["error"]
    status, _answer = get_json(port, "/api/timeline", place="Нарния")
    assert status == 404


# -- the Excel download ----------------------------------------------------------------------------
def read_xlsx(body: bytes):
    openpyxl = pytest.importorskip("openpyxl")
    return openpyxl.load_workbook(io.BytesIO(body)).active


def test_the_excel_download_is_the_table_shown(real_app):
    _store, port = real_app
    params = {"place": "Беларусь", "sort": "-start", "format": "offline"}
    _status, shown = get_json(port, "/api/contacts", **params)
    _status, texts = get_json(port, "/api/messages")
    status, headers, body = request(port, "GET", "/api/contacts?" + urllib.parse.urlencode({**params, "download": "xlsx"}))
    assert status == 200 and headers["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in headers["Content-Disposition"] and ".xlsx" in headers["Content-Disposition"]
    sheet = read_xlsx(body)
    lines = list(sheet.iter_rows(values_only=True))
    assert list(lines[0]) == [texts["messages"]["col." + c] for c in shown["columns"]]
    assert len(lines) == len(shown["rows"]) + 1
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    col = {c: i for i, c in enumerate(shown["columns"])}
    for line, row in zip(lines[1:], shown["rows"]):
        assert line[col["row"]] == (int(row["row"]) if str(row["row"]).isdigit() else str(row["row"]))
        for day in ("start", "end"):
            expected = datetime.fromisoformat(row[day]) if row[day] else None
            assert line[col[day]] == expected
        assert line[col["title"]] == row["title"]
        assert line[col["format"]] == texts["messages"]["format." + row["format"]]
        assert line[col["partner_countries"]] == row["partner_countries"]
    # Widths from the values, within bounds (XlsxWriter stores them with its padding; equal neighbours share an entry).
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    assert widths and all(6 <= w <= 63 for w in widths.values())
    assert widths["E"] > widths["B"] and shown["columns"][col["title"]] == shown["columns"][4]


def test_excel_cells_are_never_formulas(tmp_path):
    """Titles that start with = or + are text cells in the workbook, not formulas."""
    from conftest import report_document
    from smolgraph.app.api import Workbench

    document, _table = report_document([
        "Сотрудничество в сфере культуры",
        ["1", '=HYPERLINK("http://example.org","x") концерт', "г. Минск, Республика Беларусь", "15 января 2025 г.",
         "представители Республики Беларусь"],
        ["2", "+7 встреча с делегацией", "г. Смоленск", "3 февраля 2025 г.", "представители Республики Беларусь"],
    ])
    path = tmp_path / "formulas-2025-q1.docx"
    document.save(path)
    library.ingest(path, store=tmp_path / "store")
    store = open_store(tmp_path / "store")
    try:
        download = Workbench(store).contacts_download({"sort": "row"}, "xlsx")
    finally:
        store.close()
    sheet = read_xlsx(download.body)
    titles = [sheet.cell(row=r, column=5) for r in (2, 3)]
    assert [c.value for c in titles] == ['=HYPERLINK("http://example.org","x") концерт', "+7 встреча с делегацией"]
    assert [c.data_type for c in titles] == ["s", "s"]
    assert sheet.cell(row=2, column=3).is_date and sheet.cell(row=2, column=2).value == 1


# -- the page in a real browser --------------------------------------------------------------------
@pytest.mark.browser
def test_the_timeline_shows_the_months_and_brushes_the_table(real_app):
    from test_network_page import Browser, _chromium

    binary = _chromium()
    if binary is None:
        pytest.skip("no chromium binary on PATH (install Debian's chromium, or set SMOLGRAPH_CHROMIUM); .ci/run installs it")
    _store, port = real_app
    _status, everything = get_json(port, "/api/contacts")
    browser = Browser(binary)

    def settle(what: str, condition: str = "true", timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if browser.js(f"!!(window.smolgraph && window.smolgraph.settled() && ({condition}))"):
                return
            browser.drain(0.1)
        raise TimeoutError(f"the page did not settle after {what}")

    def centre(period: str) -> tuple[float, float]:
        box = browser.js(f"(() => {{ const g = document.querySelector('#timeline-panel g.period[data-period=\"{period}\"] .hit');"
                         "g.scrollIntoView({block: 'center'}); const r = g.getBoundingClientRect();"
                         "return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        return box[0], box[1]

    def mouse(kind: str, x: float, y: float, modifiers: int = 0) -> None:
        browser.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1,
                                                  "buttons": 0 if kind == "mouseReleased" else 1,
                                                  "modifiers": modifiers}, session=True)

    def shown_rows() -> int:
        return browser.js("document.querySelectorAll('#contacts tbody tr[data-row]').length")

    def filters() -> tuple[str, str]:
        return tuple(browser.js("[document.querySelector('#filters [name=from]').value,"
                                "document.querySelector('#filters [name=to]').value]"))

    def bars() -> dict[str, int]:
        return dict(browser.js("[...document.querySelectorAll('#timeline-panel g.period')]"
                               ".map(g => [g.dataset.period, Number(g.dataset.count)])"))

    try:
        url = f"http://127.0.0.1:{port}/"
        browser.url = url
        browser.call("Page.navigate", {"url": url}, session=True)
        settle("loading", "document.querySelector('#timeline-panel g.period')")
        assert shown_rows() == len(everything["rows"])
        months = Counter(r["start"][:7] for r in everything["rows"] if r["start"])
        assert bars() == dict(months) and set(months) == {"2025-01", "2025-02", "2025-03"}
        assert browser.js("document.querySelectorAll('#timeline-panel g.period[data-period=\"2025-02\"] rect.bar').length") > 0
        assert browser.js("document.querySelectorAll('#timeline-panel .timeline-legend li').length") > 0
        assert browser.js("document.querySelector('#timeline-panel g.period[data-period=\"2025-02\"] title').textContent") \
            .startswith("February 2025")  # the reader's language (en in tests), from Intl

        # A drag from February to March sets the period of the two months.
        x1, y1 = centre("2025-02")
        x2, _y2 = centre("2025-03")
        mouse("mousePressed", x1, y1)
        mouse("mouseMoved", (x1 + x2) / 2, y1)
        mouse("mouseMoved", x2, y1)
        mouse("mouseReleased", x2, y1)
        settle("the drag", "document.querySelector('#filters [name=from]').value !== ''")
        assert filters() == ("2025-02-01", "2025-03-31")
        _status, brushed = get_json(port, "/api/contacts", **{"from": "2025-02-01", "to": "2025-03-31"})
        assert shown_rows() == len(brushed["rows"]) < len(everything["rows"])
        # The timeline still shows every month, with the brushed ones marked.
        assert bars() == dict(months)
        assert browser.js("[...document.querySelectorAll('#timeline-panel g.period.selected')].map(g => g.dataset.period)") \
            == ["2025-02", "2025-03"]

        # A click selects one month; a shift-click extends the period.
        x, y = centre("2025-01")
        mouse("mousePressed", x, y)
        mouse("mouseReleased", x, y)
        settle("a click", "document.querySelector('#filters [name=to]').value === '2025-01-31'")
        assert filters() == ("2025-01-01", "2025-01-31")
        assert shown_rows() == len(get_json(port, "/api/contacts", **{"from": "2025-01-01", "to": "2025-01-31"})[1]["rows"])
        x, y = centre("2025-02")
        mouse("mousePressed", x, y, modifiers=8)
        mouse("mouseReleased", x, y, modifiers=8)
        settle("a shift-click", "document.querySelector('#filters [name=to]').value === '2025-02-28'")
        assert filters() == ("2025-01-01", "2025-02-28")

        # The keyboard: Enter on a focused month selects it.
        browser.js("document.querySelector('#timeline-panel g.period[data-period=\"2025-03\"]').focus()")
        browser.call("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Enter", "code": "Enter",
                                                "windowsVirtualKeyCode": 13}, session=True)
        browser.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Enter", "code": "Enter",
                                                "windowsVirtualKeyCode": 13}, session=True)
        settle("Enter", "document.querySelector('#filters [name=from]').value === '2025-03-01'")
        assert filters() == ("2025-03-01", "2025-03-31")

        browser.js("document.getElementById('timeline-clear').click()")
        settle("clearing", "document.querySelector('#filters [name=from]').value === ''")
        assert filters() == ("", "") and shown_rows() == len(everything["rows"])
        assert browser.js("document.querySelectorAll('#timeline-panel g.period.selected').length") == 0

        # By quarter: one bar with every dated event; by country: Belarus in the legend.
        browser.js("document.getElementById('timeline-quarter').click()")
        settle("by quarter", "document.querySelector('#timeline-panel g.period[data-period=\"2025-Q1\"]')")
        assert bars() == {"2025-Q1": sum(months.values())}
        browser.js("document.getElementById('timeline-country').click()")
        settle("by country", "document.querySelector('#timeline-panel .timeline-legend li[data-series=\"BY\"]')")
        by_country = sum(1 for r in everything["rows"] if "Беларусь" in countries(r))
        assert browser.js("Number(document.querySelector('#timeline-panel .timeline-legend li[data-series=\"BY\"]')"
                          ".dataset.count)") == by_country
        assert browser.js("document.getElementById('download-xlsx').getAttribute('href')").endswith("download=xlsx")

        browser.drain(0.3)
        assert browser.errors() == []
        assert all(u.startswith(f"http://127.0.0.1:{port}/") for u in browser.requests()), browser.requests()
    finally:
        browser.close()
