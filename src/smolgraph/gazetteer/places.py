"""Places: the table of data/gazetteer/places.csv, their ids, hierarchy and codes, and lookups by name.

Finding places in running text is :mod:`.find`; the name index both use is :mod:`.names`.
"""
from __future__ import annotations

import csv
import difflib
import hashlib
import os
import pickle
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from .. import morph
from .._cache import cache_dir
from .._paths import data_dir
from ..i18n import _
from .names import (KIND_ORDER, QUERY_PREFIX, NameIndex, adjective_keys, expand_abbreviations, kind_rank,
                    normalise_query)

if TYPE_CHECKING:
    from .find import PlaceMatch

__all__ = ["Place", "Gazetteer", "load_gazetteer"]

_PLACE_FIELDS = ("id", "kind", "level", "name_ru")


@dataclass(frozen=True)
class Place:
    """A country, region, district, municipality, city, town or macro-region.

    ``level`` is 0 for countries and macro-regions, 1 for first-level units
    (oblasts, provinces, and cities of republican or federal status such as
    Минск or Москва), 2 for districts and municipal okrugs, 3 for settlements.
    ``parent`` is the id of the direct container and ``country`` the id of the
    country (None for macro-regions). ``adjective`` is the masculine adjective
    used in organisation names ("Витебский"); ``adjectives`` holds it and any
    alternatives ("Кыргызский", "Киргизский").

    ``lat`` and ``lon`` are WGS84 degrees from GeoNames: a settlement's own
    point, or, when ``coord_source`` is ``"centre"``, the point of the unit's
    administrative centre (a country's capital); None where neither is known.
    ``numeric`` is a country's ISO 3166-1 numeric code (``"112"``), the id of
    its shape in Natural Earth's ``world-atlas``.
    """

    id: str
    kind: str
    level: int
    name: str
    country: str | None
    parent: str | None
    iso: str | None
    geonames: int | None
    wikidata: str | None
    adjective: str | None
    aliases: tuple[str, ...]
    name_en: str | None
    adjectives: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    coord_source: str | None = None
    numeric: str | None = None


class Gazetteer:
    """The places of ``data/gazetteer/places.csv``, looked up by id, name or mention.

    Build one with :func:`load_gazetteer`; the constructor takes the rows of
    the CSV as dictionaries.

    Attributes
    ----------
    places_by_id : dict of str to Place
        Every place by its id; read it, never change it (``get`` is the
        lookup that explains a missing id).
    index : NameIndex
        The index of names (:mod:`.names`), which :mod:`.find` walks too.
    first_keys : frozenset of str
        The keys that start a name: a word with none of them starts no
        match, which :meth:`find` checks before walking the index.

    Examples
    --------
    >>> gaz = load_gazetteer()
    >>> gaz.get("BY-VI").name
    'Витебская область'
    >>> [p.id for p in gaz.resolve("Витебской области")]
    ['BY-VI']
    >>> [(m.place.id, m.text) for m in gaz.find("делегация из г. Новополоцка (Республика Беларусь)")]
    [('BY-VI-novopolotsk', 'г. Новополоцка'), ('BY', 'Республика Беларусь')]
    """

    def __init__(self, rows: list[dict[str, str]], *, index: NameIndex | None = None) -> None:
        self.places_by_id: dict[str, Place] = {}
        for row in rows:
            place = _place_from_row(row)
            if place.id in self.places_by_id:
                raise ValueError(f"gazetteer: id {place.id!r} appears twice")
            self.places_by_id[place.id] = place
        for place in self.places_by_id.values():
            for ref in (place.parent, place.country):
                if ref and ref not in self.places_by_id:
                    raise ValueError(f"gazetteer: {place.id} refers to {ref!r}, which is not in the gazetteer")
        self.index = index if index is not None else NameIndex.build(self.places_by_id.values())
        self._lower_ids = {pid.lower(): pid for pid in self.places_by_id}
        self.first_keys = frozenset(self.index.trie)

    # -- container protocol ------------------------------------------------

    def __contains__(self, place_id: object) -> bool:
        return place_id in self.places_by_id

    def __iter__(self) -> Iterator[Place]:
        return iter(self.places_by_id.values())

    def __len__(self) -> int:
        return len(self.places_by_id)

    def __repr__(self) -> str:
        return f"<Gazetteer of {len(self)} places>"

    # -- lookups by id -----------------------------------------------------

    def get(self, place_id: str) -> Place:
        """The place with id ``place_id``.

        Parameters
        ----------
        place_id : str
            A gazetteer id such as ``"BY-VI"`` or ``"RU-SMO-vyazma"``.

        Returns
        -------
        Place

        Raises
        ------
        KeyError
            When no place has that id; the message suggests close ids.

        Examples
        --------
        >>> load_gazetteer().get("BY-HM").name
        'Минск'
        >>> load_gazetteer().get("BY-XX")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        KeyError: "no place with id 'BY-XX' in the gazetteer (close ids: ...)"
        """
        try:
            return self.places_by_id[place_id]
        except KeyError:
            close = difflib.get_close_matches(str(place_id), list(self.places_by_id), n=3, cutoff=0.6)
            if close:
                message = _("no place with id {id} in the gazetteer (close ids: {close})").format(
                    id=repr(place_id), close=", ".join(sorted(close))
                )
            else:
                message = _("no place with id {id} in the gazetteer").format(id=repr(place_id))
            raise KeyError(message) from None

    def ancestors(self, place_id: str) -> list[Place]:
        """The places containing ``place_id``, nearest first, up to its country.

        Examples
        --------
        >>> [p.id for p in load_gazetteer().ancestors("BY-VI-senno")]
        ['BY-VI-senno-district', 'BY-VI', 'BY']
        >>> load_gazetteer().ancestors("BY")
        []
        """
        out: list[Place] = []
        place = self.get(place_id)
        while place.parent:
            place = self.places_by_id[place.parent]
            out.append(place)
        return out

    def region_of(self, place_id: str) -> Place | None:
        """The first-level unit containing ``place_id`` (itself when it is one).

        None for countries, macro-regions and places directly under a country.

        Examples
        --------
        >>> gaz = load_gazetteer()
        >>> gaz.region_of("BY-VI-senno-district").name
        'Витебская область'
        >>> gaz.region_of("BY-HM").name
        'Минск'
        >>> gaz.region_of("BY") is None
        True
        """
        place = self.get(place_id)
        if place.level == 1:
            return place
        return next((p for p in self.ancestors(place_id) if p.level == 1), None)

    def country_of(self, place_id: str) -> Place | None:
        """The country of ``place_id`` (itself for a country; None for macro-regions).

        Examples
        --------
        >>> load_gazetteer().country_of("RU-SMO-vyazma").id
        'RU'
        """
        place = self.get(place_id)
        return self.places_by_id[place.country] if place.country else None

    # -- lookups by name ---------------------------------------------------

    def resolve(self, name: str, *, country: str | None = None) -> list[Place]:
        """The places a user may mean by ``name``, best first.

        Any written form works: the nominative or another case, an alias, an
        abbreviation ("обл.", "р-н", "г."), an id or ISO code, in any letter
        case, with ё or е. Exact names rank above aliases, aliases above
        inflected forms; among equals a higher unit (a lower ``level``) comes
        first, except after a settlement prefix such as "г.", which puts
        cities and towns first.

        Parameters
        ----------
        name : str
            How the user wrote the place.
        country : str, optional
            Keep only places of this country (an id such as ``"BY"`` or a
            country name such as ``"Беларусь"``).

        Returns
        -------
        list of Place
            Empty when nothing matches; see :meth:`suggest` for close names.

        Examples
        --------
        >>> gaz = load_gazetteer()
        >>> [p.id for p in gaz.resolve("Витебская обл.")]
        ['BY-VI']
        >>> [p.id for p in gaz.resolve("Белоруссия")]
        ['BY']
        >>> [p.id for p in gaz.resolve("Минском")]
        ['BY-HM']
        >>> [p.id for p in gaz.resolve("Дубай")]
        ['AE-DU', 'AE-DU-dubay']
        >>> [p.id for p in gaz.resolve("г. Дубай")]
        ['AE-DU-dubay', 'AE-DU']
        """
        text = normalise_query(name)
        prefixed = False
        m = QUERY_PREFIX.match(text)
        if m and m.end() < len(text):
            prefixed, text = True, text[m.end():]
        text = expand_abbreviations(text)
        found: dict[str, int] = {}

        def hit(place_id: str, rank: int) -> None:
            if rank < found.get(place_id, 99):
                found[place_id] = rank

        pid = self._lower_ids.get(text.lower())
        if pid is not None:
            hit(pid, 0)
        for rank, place_id in self.index.exact.get(morph.fold(text), ()):
            hit(place_id, rank)
        tokens = [t for t in morph.tokenize(text)]
        if tokens:
            keys = [self.index.word_keys(t.text) for t in tokens]
            for entry in self.index.walk(keys, 0, full=True):
                hit(entry.place_id, 3)
        places = [self.places_by_id[pid] for pid in found]
        if country is not None:
            wanted = self._country_id(country)
            places = [p for p in places if p.country == wanted]
        places.sort(key=lambda p: (found[p.id], kind_rank(p, prefixed), p.level, KIND_ORDER.get(p.kind, 9), p.id))
        return places

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """Up to ``n`` known names closest to ``name``, for error messages.

        Examples
        --------
        >>> load_gazetteer().suggest("Витебская обласць", n=1)
        ['Витебская область']
        """
        key = morph.fold(expand_abbreviations(normalise_query(name)))
        close = difflib.get_close_matches(key, list(self.index.display), n=max(n * 3, n), cutoff=0.6)
        out: list[str] = []
        for k in close:
            shown = self.index.display[k]
            if shown not in out:
                out.append(shown)
        return out[:n]

    def by_adjective(self, adjective: str, *, kind: str | None = None) -> list[Place]:
        """The places whose adjective is ``adjective`` in any form.

        Parameters
        ----------
        adjective : str
            An adjective as written: "Витебского", "белорусских", "Лидского".
        kind : str, optional
            Keep only places of this kind ("country", "region", "district", …).

        Examples
        --------
        >>> gaz = load_gazetteer()
        >>> [p.id for p in gaz.by_adjective("Витебского", kind="region")]
        ['BY-VI']
        >>> [p.id for p in gaz.by_adjective("Лидского", kind="district")]
        ['BY-HR-lida-district']
        >>> [p.id for p in gaz.by_adjective("белорусских", kind="country")]
        ['BY']
        """
        found: list[str] = []
        for key in adjective_keys(adjective):
            for pid in self.index.adjectives.get(key, ()):
                if pid not in found:
                    found.append(pid)
        places = [self.places_by_id[pid] for pid in found]
        if kind is not None:
            places = [p for p in places if p.kind == kind]
        places.sort(key=lambda p: (p.level, KIND_ORDER.get(p.kind, 9), p.id))
        return places

    def find(self, text: str) -> list[PlaceMatch]:
        """Every gazetteer place mentioned in ``text``, in text order.

        Names are matched on lemmas, so any case and number is found
        ("Витебской области", "в г. Минске", "Республикой Беларусь"), and so
        are the abbreviations "обл.", "р-н"/"р-на" and a settlement prefix
        ("г.", "город", "пос.", "аг.", "д."), which becomes part of the match.
        The longest match wins and matches never overlap. An adjective alone
        is not a place ("белорусских производителей", "Минский колледж"); a
        name that is also an everyday word or a personal name ("Глубокое",
        "Мир", "Гагарин") is taken only when capitalised and not at the
        start of a sentence, unless a settlement prefix stands before it.
        A district directly followed by a city ("Октябрьского района
        г. Витебска") is a district of that city and is left out; the city is
        kept. In a list such as "Витебской, Могилевской областей" each
        adjective is matched with the shared head noun.

        When a name fits several places, the one nearest in the text's other
        mentions (same region, then same country) is chosen, and otherwise
        the one :meth:`resolve` would put first.

        Examples
        --------
        >>> gaz = load_gazetteer()
        >>> [(m.place.id, m.text) for m in gaz.find(
        ...     "мастера Лидского района Гродненской области Республики Беларусь")]
        [('BY-HR-lida-district', 'Лидского района'), ('BY-HR', 'Гродненской области'), ('BY', 'Республики Беларусь')]
        >>> [m.place.id for m in gaz.find("агропредприятия Витебской, Могилевской областей и г. Минска")]
        ['BY-VI', 'BY-MA', 'BY-HM']
        >>> gaz.find("Минский колледж белорусских производителей")
        []
        """
        from .find import find_places

        return find_places(self, text)

    # -- internals ---------------------------------------------------------

    def _country_id(self, country: str) -> str | None:
        if country in self.places_by_id and self.places_by_id[country].kind == "country":
            return country
        for place in self.resolve(country):
            if place.kind == "country":
                return place.id
        return None


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """Load the gazetteer from ``path`` (a folder holding places.csv, or the CSV).

    The default is ``data/gazetteer`` of the project. The result is cached per
    path, and the lemma index is cached on disk (under ``$SMOLGRAPH_CACHE`` or
    the user cache folder) keyed by the CSV's content, so a later process loads
    in a few milliseconds.

    Raises
    ------
    FileNotFoundError
        When there is no places.csv at ``path``.

    Examples
    --------
    >>> gaz = load_gazetteer()
    >>> "BY-VI" in gaz and len(gaz) > 1000
    True
    >>> load_gazetteer() is gaz
    True
    """
    csv_path = Path(path) if path is not None else data_dir() / "gazetteer"
    if csv_path.is_dir():
        csv_path = csv_path / "places.csv"
    return _load(str(csv_path.resolve()))


def _place_from_row(row: dict[str, str]) -> Place:
    for field in _PLACE_FIELDS:
        if not row.get(field):
            raise ValueError(f"gazetteer: a row has no {field}: {row}")
    adjectives = tuple(a for a in (row.get("adjective_ru") or "").split("|") if a)
    return Place(
        id=row["id"],
        kind=row["kind"],
        level=int(row["level"]),
        name=row["name_ru"],
        country=row.get("country") or None,
        parent=row.get("parent_id") or None,
        iso=row.get("iso3166") or None,
        geonames=int(row["geonames_id"]) if row.get("geonames_id") else None,
        wikidata=row.get("wikidata") or None,
        adjective=adjectives[0] if adjectives else None,
        aliases=tuple(a for a in (row.get("aliases_ru") or "").split("|") if a),
        name_en=row.get("name_en") or None,
        adjectives=adjectives,
        lat=float(row["lat"]) if row.get("lat") else None,
        lon=float(row["lon"]) if row.get("lon") else None,
        coord_source=row.get("coord_source") or None,
        numeric=row.get("iso3166_numeric") or None,
    )


@lru_cache(maxsize=None)
def _load(csv_path: str) -> Gazetteer:
    path = Path(csv_path)
    if not path.is_file():
        raise FileNotFoundError(
            f"no gazetteer at {path}: expected a places.csv built by data/gazetteer/build_gazetteer.py")
    raw = path.read_bytes()
    rows = list(csv.DictReader(raw.decode("utf-8").splitlines()))
    cache = cache_file(raw)
    index = None
    if cache is not None and cache.is_file():
        try:
            with open(cache, "rb") as f:
                index = pickle.load(f)
            if not isinstance(index, NameIndex):
                index = None
        except Exception:  # a stale or broken cache is rebuilt
            index = None
    gaz = Gazetteer(rows, index=index)
    if index is None and cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                pickle.dump(gaz.index, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache)
            old = sorted(cache.parent.glob("gazetteer-*.pickle"), key=lambda f: f.stat().st_mtime, reverse=True)
            for stale in old[8:]:  # keep the caches of the last few versions only
                stale.unlink(missing_ok=True)
        except OSError:
            pass
    return gaz


def cache_file(raw: bytes) -> Path | None:
    """Where the name index built from the CSV bytes ``raw`` is kept; ``None`` without a cache folder.

    The name changes with anything the index depends on (the CSV, the index
    layout, the morphology and its dictionaries, this package's code), so a
    stale file is never read, only left to be pruned.
    """
    base = cache_dir()
    if base is None:
        return None
    digest = hashlib.sha256(raw)
    digest.update(f"{NameIndex.VERSION}|{_morph_version()}|{sys.version_info[:2]}".encode())
    package = Path(__file__).parent
    for source in (morph.__file__, *sorted(str(f) for f in package.glob("*.py"))):  # the index holds their lemmas and layout
        try:
            digest.update(Path(source).read_bytes())
        except (OSError, TypeError):
            pass
    return Path(base) / f"gazetteer-{digest.hexdigest()[:20]}.pickle"


def _morph_version() -> str:
    try:
        from importlib.metadata import version

        return f"{version('pymorphy3')}/{version('pymorphy3-dicts-ru')}"
    except Exception:
        return "unknown"
