"""The workbench's map (``/api/map``, ``map.js``) on a store holding the real report.

The counts are checked against the contacts table's own rows, counted here
independently (the partner countries' codes and the partner places' names of
each row); the coordinates against Belarus's extent; the shapes' ids against
the vendored ``world-atlas`` file. The page is driven in headless chromium.
"""
from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest

import smolgraph.api as library
import smolgraph.app
from smolgraph.gazetteer import load_gazetteer
from test_app import get_json
from workbench import serving

STATIC = Path(smolgraph.app.__file__).parent / "static"
# Belarus between its extreme points (51°16′–56°10′ N, 23°11′–32°47′ E), a little wider.
SOUTH, NORTH, WEST, EAST = 51.2, 56.2, 23.1, 32.8


@pytest.fixture(scope="module")
def real_app(tmp_path_factory, real_docx):
    """A server over a store holding the real report (Q1 2025), on a free port; yields (store, port)."""
    folder = tmp_path_factory.mktemp("map-store")
    library.ingest(real_docx, store=folder)
    with serving(folder) as served:
        yield served


def split(cell) -> list[str]:
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


def table_counts(port: int, **params) -> tuple[list[dict], Counter, Counter]:
    """The contacts table's rows for ``params``, and per partner country code and per partner place name the events naming it."""
    status, table = get_json(port, "/api/contacts", **params)
    assert status == 200, table
    rows = table["rows"]
    # the table shows partner_countries by name; the codes come from the same events, through the gazetteer
    gaz = load_gazetteer()
    by_country: Counter = Counter()
    by_place: Counter = Counter()
    for row in rows:
        codes = {next(p.id for p in gaz.resolve(name) if p.kind == "country") for name in split(row["partner_countries"])}
        by_country.update(codes)
        by_place.update(set(split(row["partner_places"])))
    return rows, by_country, by_place


def test_vitebsk_oblast_is_belarus_shaded_and_its_points(real_app):
    _store, port = real_app
    rows, by_country, by_place = table_counts(port, place="BY-VI")
    assert len(rows) >= 7  # the count for the oblast
    status, answer = get_json(port, "/api/map", place="BY-VI")
    assert status == 200, answer
    assert answer["events"] == len(rows)
    countries = {c["code"]: c for c in answer["countries"]}
    assert countries["BY"]["events"] == by_country["BY"] == len(rows)  # every event of the oblast has Belarus as partner
    assert countries["BY"]["numeric"] == "112" and countries["BY"]["name"] == "Беларусь"
    assert {code: c["events"] for code, c in countries.items()} == dict(by_country)
    places = {p["id"]: p for p in answer["places"]}
    assert "BY-VI" in places and places["BY-VI"]["kind"] == "region"
    gaz = load_gazetteer()
    inside = [pid for pid in places if pid == "BY-VI" or "BY-VI" in {a.id for a in gaz.ancestors(pid)}]
    assert len(inside) >= 4, inside  # the oblast and places in it: Витебск, Новополоцк, Оршанский район …
    for place in answer["places"]:
        assert SOUTH < place["lat"] < NORTH and WEST < place["lon"] < EAST, place
        assert place["events"] == by_place[place["name"]], place  # as many as the table's rows naming it
    assert answer["places_without_coordinates"] == []


def test_the_whole_report_every_partner_place_is_placed(real_app):
    _store, port = real_app
    rows, by_country, by_place = table_counts(port)
    _status, answer = get_json(port, "/api/map")
    assert answer["events"] == len(rows)
    assert {c["code"]: c["events"] for c in answer["countries"]} == dict(by_country)
    placed = {p["name"] for p in answer["places"]}
    named = set(by_place)
    assert placed | set(answer["places_without_coordinates"]) == named
    share = len(placed) / len(named)
    print(f"\npartner places of the real report with coordinates: {len(placed)} of {len(named)} ({share:.0%})")
    assert share >= 0.9
    # most events first
    counts = [c["events"] for c in answer["countries"]]
    assert counts == sorted(counts, reverse=True)


def test_filters_narrow_the_map_as_they_narrow_the_table(real_app):
    _store, port = real_app
    _status, all_events = get_json(port, "/api/contacts")
    other = next(c["value"] for c in all_events["facets"]["countries"] if c["value"] != "BY")
    for params in ({"country": other}, {"format": "online"}, {"to": "2025-01-31"}):
        rows, by_country, _by_place = table_counts(port, **params)
        _status, answer = get_json(port, "/api/map", **params)
        assert answer["events"] == len(rows), params
        assert {c["code"]: c["events"] for c in answer["countries"]} == dict(by_country), params
    status, answer = get_json(port, "/api/map", format="by-pigeon")
    assert status == 400 and "format" in answer["error"]


def test_numeric_codes_name_shapes_of_the_vendored_atlas(real_app):
    _store, port = real_app
    _status, answer = get_json(port, "/api/map")
    with open(STATIC / "vendor" / "world-atlas" / "countries-50m.json", encoding="utf-8") as f:
        shapes = {g.get("id"): g["properties"]["name"] for g in json.load(f)["objects"]["countries"]["geometries"]}
    assert shapes["112"] == "Belarus"
    for country in answer["countries"]:
        assert country["numeric"] in shapes, country  # every partner of the real report has a shape
    assert answer["country_names"]["112"] == {"code": "BY", "name": "Беларусь"}
    assert len(answer["country_names"]) >= 240


@pytest.mark.browser
def test_choose_vitebsk_oblast_and_see_belarus_and_its_points_in_chromium(real_app, tmp_path):
    from test_network_page import Browser, _chromium

    binary = _chromium()
    if binary is None:
        pytest.skip("no chromium binary on PATH (install Debian's chromium, or set SMOLGRAPH_CHROMIUM); .ci/run installs it")
    store, port = real_app
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
        # every partner country of the whole report is on the map, shaded (a shape, or a square where it has none)
        _status, everything = get_json(port, "/api/map")
        shaded = browser.js("[...document.querySelectorAll('#map .partner[data-code], #map .country-marker')]"
                            ".map(n => n.dataset.code)")
        assert sorted(shaded) == sorted(c["code"] for c in everything["countries"])
        assert browser.js("document.querySelectorAll('#map path.country').length") > 100  # and their neighbours
        browser.js("document.getElementById('search').focus()")
        browser.call("Input.insertText", {"text": "Витебск"}, session=True)
        settle("typing")
        browser.js("document.querySelector('#suggestions li[data-id=\"BY-VI\"]')"
                   ".dispatchEvent(new MouseEvent('mousedown', {bubbles: true}))")
        settle("choosing")
        _status, answer = get_json(port, "/api/map", place="BY-VI")
        fill = "(s) => { const n = document.querySelector(s); return n && n.getAttribute('fill'); }"
        belarus = browser.js(f"({fill})('#map path.country[data-code=\"BY\"]')")
        poland = browser.js(f"({fill})('#map path.country[data-code=\"PL\"]')")
        assert belarus and poland and belarus != poland, (belarus, poland)
        assert browser.js("document.querySelector('#map [data-code=\"BY\"]').dataset.events") == str(len(
            library.contacts("Витебская область", store=store)))
        shown = browser.js("[...document.querySelectorAll('#map circle.point')].map(c => c.dataset.placeId)")
        assert sorted(shown) == sorted(p["id"] for p in answer["places"])
        assert {"BY-VI", "BY-VI-vitebsk", "BY-VI-novopolotsk"} <= set(shown)
        # the points lie in the frame, and Belarus fills a good part of it (zoomed to the partners)
        box = browser.js("(() => { const b = document.querySelector('#map path.country[data-code=\"BY\"]').getBBox();"
                         " return [b.x, b.y, b.width, b.height]; })()")
        assert box[2] > 300 and 0 <= box[0] and box[0] + box[2] <= 960, box
        title = browser.js("document.querySelector('#map circle[data-place-id=\"BY-VI\"] title').textContent")
        assert title.startswith("Витебская область: ") and title.endswith(" events")
        browser.screenshot(tmp_path / "map-vitebsk.png")

        # Keyboard: a point is focusable, and Enter opens its place's contacts
        browser.js("document.querySelector('#map circle[data-place-id=\"BY-VI-novopolotsk\"]').focus()")
        assert browser.js("document.activeElement.dataset.placeId") == "BY-VI-novopolotsk"
        browser.call("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Enter", "code": "Enter",
                                                "windowsVirtualKeyCode": 13}, session=True)
        browser.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Enter", "code": "Enter",
                                                "windowsVirtualKeyCode": 13}, session=True)
        settle("opening a point")
        assert "Новополоцк" in browser.js("document.getElementById('contacts-heading').textContent")
        rows = browser.js("[...document.querySelectorAll('#contacts tbody tr')].map(tr => tr.dataset.row)")
        assert sorted(rows) == sorted(str(r["row"]) for r in library.contacts("Новополоцк", store=store))

        # The whole world on demand, and back
        browser.js("document.getElementById('map-toggle').click()")
        assert browser.js("document.getElementById('map').dataset.mode") == "world"
        browser.js("document.getElementById('map-toggle').click()")
        assert browser.js("document.getElementById('map').dataset.mode") == "partners"
        browser.drain(0.3)
        assert browser.errors() == []
        assert all(u.startswith(f"http://127.0.0.1:{port}/") for u in browser.requests()), browser.requests()
    finally:
        browser.close()
