"""The workbench's map: partner countries and partner places of the current filter, counted and placed.

One function, :func:`map_view`, over the rows :meth:`Workbench.events
<smolgraph.app.api.Workbench.events>` gives for the filter, so the map counts
exactly the events the contacts table shows. ``/api/map`` answers it;
``static/map.js`` draws it over Natural Earth's country shapes (the vendored
``world-atlas``), offline.

- A country counts the events that name it as a partner country; an event
  with two partner countries counts for each.
- A place counts the events that name it as a partner region or place
  (``partner_places`` of ``contacts-table``, Russian names). The name is
  matched to the gazetteer by its exact name or alias only: a name the
  gazetteer does not hold is not guessed at, it is listed in
  ``places_without_coordinates``, as is a place the gazetteer holds without
  a coordinate. Of places sharing a name (Иваново in Belarus and Russia), the
  one in the event's partner countries is taken.
- Coordinates are the gazetteer's (GeoNames, WGS84); a region or district
  stands at its administrative centre (``coord_source`` ``centre``).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ..gazetteer import Gazetteer, Place
from ..morph import fold
from .api import Workbench, split_values

__all__ = ["map_view"]


def map_view(bench: Workbench, params: Mapping[str, str]) -> dict:
    """The map of the events ``bench`` gives for ``params`` (subject and filters, as ``/api/contacts`` takes them).

    Parameters
    ----------
    bench : Workbench
        The workbench over the store.
    params : mapping
        Every parameter of ``/api/contacts`` that chooses and filters events
        (``place``, ``organisation``, ``person``, ``reported_by``, ``from``,
        ``to``, ``sphere``, ``country``, ``format``).

    Returns
    -------
    dict
        ``events``: the number of events shown; ``countries``: ``[{code,
        numeric, name, events, lat, lon}]``, most events first, where
        ``numeric`` is the ISO 3166-1 numeric code that names the country's
        shape in ``world-atlas`` (None for a country without one) and
        ``lat``/``lon`` its capital's point (for a country without a shape);
        ``places``: ``[{id, name, kind, lat, lon, events, coord_source}]``,
        most events first; ``places_without_coordinates``: the partner place
        names that have no point, sorted; ``country_names``: ``{numeric:
        {code, name}}`` for every country of the gazetteer with a numeric
        code, so that the page names (and opens) a country without events too.

    Raises
    ------
    ApiError
        As :meth:`Workbench.events` does, for a bad filter.

    Examples
    --------
    >>> class Bench:  # what map_view uses of a Workbench: events() and the gazetteer
    ...     from smolgraph.gazetteer import load_gazetteer
    ...     gazetteer = load_gazetteer()
    ...     def events(self, params):
    ...         return [{"partner_country_codes": "BY", "partner_places": "Витебская область; Сенненский район"},
    ...                 {"partner_country_codes": "BY; KZ", "partner_places": "Витебская область; Нигде"}]
    >>> answer = map_view(Bench(), {})
    >>> [(c["code"], c["numeric"], c["events"]) for c in answer["countries"]]
    [('BY', '112', 2), ('KZ', '398', 1)]
    >>> [(p["id"], p["events"], p["coord_source"]) for p in answer["places"]]
    [('BY-VI', 2, 'centre'), ('BY-VI-senno-district', 1, 'centre')]
    >>> answer["places_without_coordinates"]
    ['Нигде']
    """
    rows = bench.events(params)
    gazetteer = bench.gazetteer
    country_events: Counter[str] = Counter()
    place_events: Counter[str] = Counter()
    unplaced: set[str] = set()
    countries: dict[str, dict[str, Any]] = {}
    places: dict[str, Place] = {}
    # Rows repeat the same few cells: count each distinct pair of cells, then split and match it once
    # (100,000 rows in well under 0.1 s); each name is looked up in the gazetteer once per process.
    entries: dict[str, dict[str, Any]] = {}  # a country as the cells give it
    pairs = Counter((row.get("partner_country_codes") or "", row.get("partner_places") or "") for row in rows)
    for (country_cell, place_cell), n in pairs.items():
        in_row: set[str] = set()
        for raw in split_values(country_cell):
            if raw not in entries:
                entries[raw] = _country_entry(gazetteer, raw)
            entry = entries[raw]
            countries.setdefault(entry["code"], entry)
            in_row.add(entry["code"])
        for code in in_row:
            country_events[code] += n
        seen: set[str] = set()
        for name in split_values(place_cell):
            found = _places_named(gazetteer, name)
            # of places sharing the name (Иваново in Belarus and in Russia), the one in the event's countries
            place = next((p for p in found if p.country in in_row), found[0] if found else None)
            if place is None or place.lat is None or place.lon is None:
                unplaced.add(name)
                continue
            places[place.id] = place
            seen.add(place.id)
        for pid in seen:
            place_events[pid] += n
    shown_countries = [{**countries[code], "events": n} for code, n in country_events.items()]
    shown_countries.sort(key=lambda c: (-c["events"], c["name"]))
    shown_places = [{"id": p.id, "name": p.name, "kind": p.kind, "lat": p.lat, "lon": p.lon,
                     "coord_source": p.coord_source, "events": place_events[p.id]} for p in places.values()]
    shown_places.sort(key=lambda p: (-p["events"], p["name"]))
    return {
        "events": len(rows),
        "countries": shown_countries,
        "places": shown_places,
        "places_without_coordinates": sorted(unplaced),
        "country_names": _country_names(gazetteer),
    }


def _country_entry(gazetteer: Gazetteer, raw: str) -> dict[str, Any]:
    """A partner country as ``contacts-table`` gives it (its ISO code, or its name when it has none)."""
    place = gazetteer.places_by_id.get(raw)
    if place is None or place.kind != "country":
        place = next((p for p in gazetteer.resolve(raw) if p.kind == "country"), None)
    if place is None:  # a country the gazetteer lacks: named, not placed
        return {"code": raw, "numeric": None, "name": raw, "lat": None, "lon": None}
    return {"code": place.id, "numeric": place.numeric, "name": place.name, "lat": place.lat, "lon": place.lon}


@lru_cache(maxsize=8192)  # the gazetteer does not change while the app runs; a store names a few thousand places
def _places_named(gazetteer: Gazetteer, name: str) -> tuple[Place, ...]:
    """The gazetteer places (not countries) the store may name ``name``: by exact name or alias, best first."""
    wanted = fold(name)
    return tuple(p for p in gazetteer.resolve(name)
                 if p.level > 0 and wanted in {fold(n) for n in (p.name, *p.aliases)})


def _country_names(gazetteer: Gazetteer) -> dict[str, dict[str, str]]:
    names: dict[str, dict[str, str]] = {}
    for place in gazetteer:
        if place.kind == "country" and place.numeric:
            names[place.numeric] = {"code": place.id, "name": place.name}
    return names
