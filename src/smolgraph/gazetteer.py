"""Places: their names in any grammatical case, their codes and their hierarchy."""
from __future__ import annotations

import csv
import difflib
import hashlib
import os
import pickle
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from . import morph
from ._paths import data_dir
from .i18n import _

__all__ = ["Place", "PlaceMatch", "Gazetteer", "load_gazetteer"]


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


@dataclass(frozen=True)
class PlaceMatch:
    """A place mentioned in a text: ``text[start:end]`` is how it was written."""

    place: Place
    start: int
    end: int
    text: str


class Gazetteer:
    """The places of ``data/gazetteer/places.csv``, looked up by id, name or mention.

    Build one with :func:`load_gazetteer`; the constructor takes the rows of
    the CSV as dictionaries.

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

    def __init__(self, rows: list[dict[str, str]], *, index: _Index | None = None) -> None:
        self._places: dict[str, Place] = {}
        for row in rows:
            place = _place_from_row(row)
            if place.id in self._places:
                raise ValueError(f"gazetteer: id {place.id!r} appears twice")
            self._places[place.id] = place
        for place in self._places.values():
            for ref in (place.parent, place.country):
                if ref and ref not in self._places:
                    raise ValueError(f"gazetteer: {place.id} refers to {ref!r}, which is not in the gazetteer")
        self._index = index if index is not None else _Index.build(self._places.values())
        self._lower_ids = {pid.lower(): pid for pid in self._places}
        # The keys that start a name: a word with none of them starts no
        # match, which :meth:`find` checks before walking the trie.
        self._first_keys = frozenset(self._index.trie)

    # -- container protocol ------------------------------------------------

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._places

    def __iter__(self) -> Iterator[Place]:
        return iter(self._places.values())

    def __len__(self) -> int:
        return len(self._places)

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
            return self._places[place_id]
        except KeyError:
            close = difflib.get_close_matches(str(place_id), list(self._places), n=3, cutoff=0.6)
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
            place = self._places[place.parent]
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
        return self._places[place.country] if place.country else None

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
        text = _normalise_query(name)
        prefixed = False
        m = _QUERY_PREFIX.match(text)
        if m and m.end() < len(text):
            prefixed, text = True, text[m.end():]
        text = _expand_abbreviations(text)
        found: dict[str, int] = {}

        def hit(place_id: str, rank: int) -> None:
            if rank < found.get(place_id, 99):
                found[place_id] = rank

        pid = self._lower_ids.get(text.lower())
        if pid is not None:
            hit(pid, 0)
        for rank, place_id in self._index.exact.get(morph.fold(text), ()):
            hit(place_id, rank)
        tokens = [t for t in morph.tokenize(text)]
        if tokens:
            keys = [self._index.word_keys(t.text) for t in tokens]
            for entry in self._index.walk(keys, 0, full=True):
                hit(entry.place_id, 3)
        places = [self._places[pid] for pid in found]
        if country is not None:
            wanted = self._country_id(country)
            places = [p for p in places if p.country == wanted]
        places.sort(key=lambda p: (found[p.id], _kind_rank(p, prefixed), p.level, _KIND_ORDER.get(p.kind, 9), p.id))
        return places

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """Up to ``n`` known names closest to ``name``, for error messages.

        Examples
        --------
        >>> load_gazetteer().suggest("Витебская обласць", n=1)
        ['Витебская область']
        """
        key = morph.fold(_expand_abbreviations(_normalise_query(name)))
        close = difflib.get_close_matches(key, list(self._index.display), n=max(n * 3, n), cutoff=0.6)
        out: list[str] = []
        for k in close:
            shown = self._index.display[k]
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
        for key in _adjective_keys(adjective):
            for pid in self._index.adjectives.get(key, ()):
                if pid not in found:
                    found.append(pid)
        places = [self._places[pid] for pid in found]
        if kind is not None:
            places = [p for p in places if p.kind == kind]
        places.sort(key=lambda p: (p.level, _KIND_ORDER.get(p.kind, 9), p.id))
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
        tokens = morph.tokenize(text)
        if not tokens:
            return []
        keys = [self._index.word_keys(t.text) for t in tokens]
        first_keys = self._first_keys
        candidates: list[_Candidate] = []
        for i in range(len(tokens)):
            if keys[i].isdisjoint(first_keys):
                continue  # most words start no name
            best: tuple[int, list[_Entry]] | None = None
            for length, entries in self._index.walk_prefixes(keys, i, tokens, text):
                ok = [e for e in entries if self._acceptable(e, tokens, i, length, text)]
                if ok:
                    best = (length, ok)  # walk_prefixes yields shorter first; keep the longest
            if best is not None:
                length, entries = best
                candidates.append(_Candidate(i, i + length, entries))
        chosen = _longest_non_overlapping(candidates)
        chosen = self._expand_lists(chosen, tokens, text)
        chosen = self._drop_city_districts(chosen, tokens, text)
        return self._pick_places(chosen, tokens, text)

    # -- internals ---------------------------------------------------------

    def _country_id(self, country: str) -> str | None:
        if country in self._places and self._places[country].kind == "country":
            return country
        for place in self.resolve(country):
            if place.kind == "country":
                return place.id
        return None

    def _acceptable(self, entry: _Entry, tokens: list[morph.Token], i: int, length: int, text: str) -> bool:
        words = tokens[i:i + length]
        name_tokens = entry.tokens
        # acronyms (ДНР, США, РБ) only in capitals
        for word, name_tok in zip(words, name_tokens):
            if len(name_tok) > 1 and name_tok.isupper() and not word.text.isupper():
                return False
        prefixed = _prefix_start(tokens, i, text) is not None
        before = text[max(0, words[0].start - 40): words[0].start]
        if _NAMED_AFTER.search(before) or _INITIALS_BEFORE.search(before):
            return False
        if length == 1:
            word = words[0].text
            if not word[:1].isupper():
                return False
            if _INITIALS_AFTER.match(text, words[0].end):
                return False
            if prefixed:
                return True
            if _is_everyday_word(name_tokens[0]):
                if _sentence_start(before):
                    return False
                # "Лида Иванова": a first name and a surname, not two places
                if (_is_personal_name(word) and i + 1 < len(tokens)
                        and _looks_like_surname(tokens[i + 1], text, words[0].end)):
                    return False
                if (i > 0 and _is_surname(word) and _SPACES.fullmatch(text[tokens[i - 1].end:words[0].start])
                        and tokens[i - 1].text[:1].isupper() and _is_first_name(tokens[i - 1].text)):
                    return False
            if _adjective_with_noun(tokens, i, text) or not _adjective_agrees(word, name_tokens[0]):
                return False
            return True
        # several words: each capitalised word of the name that is not a generic
        # term ("республика", "область") must be capitalised in the text too,
        # and at least one word must be
        capitals = 0
        for word, name_tok in zip(words, name_tokens):
            if word.text[:1].isupper():
                capitals += 1
            elif name_tok[:1].isupper() and morph.lemma(name_tok) not in _GENERIC:
                return False
        return capitals > 0

    def _expand_lists(self, chosen: list[_Candidate], tokens: list[morph.Token], text: str) -> list[_Candidate]:
        out = list(chosen)
        taken = {j for c in chosen for j in range(c.start, c.end)}
        for cand in chosen:
            entry = cand.entries[0]
            if len(entry.tokens) < 2 or not entry.tokens[0][:1].isupper():
                continue
            if any(t[:1].isupper() for t in entry.tokens[1:]):
                continue
            head_words = tokens[cand.start + 1:cand.end]
            if not _is_plural(head_words[-1].text):
                continue
            head_keys = [self._index.word_keys(t.text) for t in head_words]
            j = cand.start
            while j > 0:
                k = j - 1
                gap = text[tokens[k].end:tokens[j].start]
                if tokens[k].text == "и" and _SPACES.fullmatch(gap):
                    k -= 1
                    if k < 0 or not _OPTIONAL_COMMA_GAP.fullmatch(text[tokens[k].end:tokens[k + 1].start]):
                        break
                elif not _COMMA_GAP.fullmatch(gap):
                    break
                if k in taken or not tokens[k].text[:1].isupper():
                    break
                keys = [self._index.word_keys(tokens[k].text)] + head_keys
                entries = [e for e in self._index.walk(keys, 0, full=True) if len(e.tokens) == len(keys)]
                if not entries:
                    break
                out.append(_Candidate(k, k + 1, entries, head=(cand.start + 1, cand.end)))
                taken.add(k)
                j = k
        out.sort(key=lambda c: c.start)
        return out

    def _drop_city_districts(self, chosen: list[_Candidate], tokens: list[morph.Token], text: str) -> list[_Candidate]:
        out = []
        for n, cand in enumerate(chosen):
            nxt = chosen[n + 1] if n + 1 < len(chosen) else None
            if nxt is not None and all(self._places[e.place_id].kind in ("district", "municipality") for e in cand.entries):
                prefix = _prefix_start(tokens, nxt.start, text)
                if (prefix == cand.end and _SPACES.fullmatch(text[tokens[cand.end - 1].end:tokens[prefix].start])
                        and any(self._places[e.place_id].kind in ("city", "town") for e in nxt.entries)):
                    continue  # "Октябрьского района г. Витебска": a district of the city
            out.append(cand)
        return out

    def _pick_places(self, chosen: list[_Candidate], tokens: list[morph.Token], text: str) -> list[PlaceMatch]:
        resolved: list[tuple[_Candidate, int | None, list[Place]]] = []
        for cand in chosen:
            prefix = _prefix_start(tokens, cand.start, text)
            resolved.append((cand, prefix, self._ranked_places(cand.entries, prefix is not None)))
        sure = [(c, ps[0]) for c, _, ps in resolved if len(ps) == 1]
        out: list[PlaceMatch] = []
        for cand, prefix, places in resolved:
            place = places[0]
            if len(places) > 1 and sure:
                nearest = min(sure, key=lambda s: abs(s[0].start - cand.start))[1]
                place = max(places, key=lambda p: self._affinity(p, nearest))
                if self._affinity(place, nearest) == 0:
                    place = places[0]
            start = tokens[prefix if prefix is not None else cand.start].start
            end = tokens[cand.end - 1].end
            if cand.head is not None:  # an adjective of a list: the head noun is shared
                end = tokens[cand.start].end
            elif text[end:end + 1] == "." and tokens[cand.end - 1].text.lower() in _DOTTED:
                end += 1
            elif text[end:end + 1] == ")" and text.count("(", start, end) > text.count(")", start, end):
                end += 1  # "Республики Саха (Якутия)"
            out.append(PlaceMatch(place, start, end, text[start:end]))
        return out

    def _ranked_places(self, entries: list[_Entry], prefixed: bool) -> list[Place]:
        """The places of a name's entries, best first (as :meth:`resolve` ranks them)."""
        if len(entries) == 1:  # the usual case: nothing to rank
            return [self._places[entries[0].place_id]]
        ids = list(dict.fromkeys(e.place_id for e in sorted(entries, key=lambda e: e.rank)))
        rank = {pid: min(e.rank for e in entries if e.place_id == pid) for pid in ids}
        return sorted((self._places[pid] for pid in ids),
                      key=lambda p: (_kind_rank(p, prefixed), rank[p.id], p.level, _KIND_ORDER.get(p.kind, 9), p.id))

    def _affinity(self, place: Place, other: Place) -> int:
        if place.id == other.id:
            return 0
        chain = {place.id} | {p.id for p in self.ancestors(place.id)}
        other_region = self.region_of(other.id) if other.level >= 1 else None
        if other_region is not None and other_region.id in chain:
            return 2
        if other.country and other.country == place.country:
            return 1
        return 0


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


# ---------------------------------------------------------------------------
# private helpers

_KIND_ORDER = {"country": 0, "macroregion": 1, "region": 2, "city": 3, "municipality": 4, "district": 5, "town": 6}
_GENERIC = {
    "республика", "народный", "демократический", "федеративный", "федерация", "королевство", "государство",
    "союз", "объединенный", "автономный", "область", "край", "округ", "район", "провинция", "штат",
    "эмират", "аймак", "город", "остров", "муниципальный", "социалистический", "исламский", "арабский",
    "марз", "территория", "столичный", "национальный", "соединенный",
}
_DOTTED = {"обл", "респ", "г", "гор"}
_ABBREVIATIONS = {"обл": "область", "р-н": "район", "р-на": "район", "р-не": "район", "р-ну": "район",
                  "р-ном": "район", "респ": "республика"}
_SETTLEMENT_WORDS = {"город", "поселок", "деревня", "село", "агрогородок", "пгт", "посёлок"}
_SETTLEMENT_ABBR = {"г", "гор", "пос", "п", "аг", "д", "дер", "с", "пгт", "рп"}
_QUERY_PREFIX = re.compile(
    r"^(?:г|гор|пос|п|аг|д|дер|с|пгт|рп)\.\s*|^(?:город|пгт|поселок|посёлок|деревня|село|агрогородок)\s+", re.I)
_NAMED_AFTER = re.compile(r"(?:\b(?:ул|пл|пр|просп|пер|бул|наб|им)\.\s*|\b(?:улиц\w*|площад\w*|проспект\w*|переул\w*|"
                          r"бульвар\w*|набережн\w*|имени|пр-т\w*|б-р)\s+)$", re.I)
_INITIALS_BEFORE = re.compile(r"(?:^|[\s(«\"])[А-ЯЁ]\.\s*(?:[А-ЯЁ]\.\s*)?$")
_INITIALS_AFTER = re.compile(r"\s+[А-ЯЁ]\.\s*[А-ЯЁ]?\.?")
_SPACES = re.compile(r"\s+")
_INLINE_SPACES = re.compile(r"[ \t\u00a0]+")
_DOT_SPACES = re.compile(r"\.\s*")
_COMMA_GAP = re.compile(r"\s*,\s*")
_OPTIONAL_COMMA_GAP = re.compile(r"\s*,?\s*")
_JOINABLE_GAP = re.compile(r"[\s\u00a0]*(?:[—–-][\s\u00a0]*)?\(?|\)?[\s\u00a0]*|[\s\u00a0]*\(")
_CYRILLIC = re.compile("[А-Яа-яЁё]")
_SHORT_WORD_DOT = re.compile(r"\b[А-Яа-яЁё]{1,4}\.$")
_PLACE_FIELDS = ("id", "kind", "level", "name_ru")


@dataclass(frozen=True)
class _Entry:
    place_id: str
    rank: int  # 1 the name, 2 an alias
    tokens: tuple[str, ...]  # the name's words as written in the gazetteer


@dataclass
class _Candidate:
    start: int  # token index
    end: int
    entries: list[_Entry]
    head: tuple[int, int] | None = None


class _Index:
    """Everything needed to look names up, built once from the places."""

    VERSION = 3

    def __init__(self) -> None:
        self.exact: dict[str, list[tuple[int, str]]] = {}
        self.trie: dict = {}
        self.forms: dict[str, frozenset[str]] = {}
        self.adjectives: dict[str, list[str]] = {}
        self.display: dict[str, str] = {}

    @classmethod
    def build(cls, places) -> _Index:
        index = cls()
        forms: dict[str, set[str]] = {}
        for place in places:
            names = [(1, place.name)] + [(2, a) for a in place.aliases]
            for rank, name in names:
                folded = morph.fold(name)
                index.exact.setdefault(folded, []).append((rank, place.id))
                index.display.setdefault(folded, name)
                words = [t.text for t in morph.tokenize(name)]
                if not words:
                    continue
                keys = [_name_key(w) for w in words]
                node = index.trie
                for k in keys:
                    node = node.setdefault(k, {})
                node.setdefault("", []).append(_Entry(place.id, rank, tuple(words)))
                for w, k in zip(words, keys):
                    if w[:1].isupper() and not w.isupper():
                        for form in _oblique_forms(morph.fold(w)):
                            forms.setdefault(form, set()).add(k)
            for adj in place.adjectives:
                index.adjectives.setdefault(morph.fold(adj), []).append(place.id)
        index.forms = {k: frozenset(v) for k, v in forms.items()}
        return index

    # Keyed on the index and the word; the cache lives on the class, so the
    # pickled index stays as it was. Reports repeat the same words.
    @lru_cache(maxsize=100_000)
    def word_keys(self, word: str) -> frozenset[str]:
        """The keys a text word may match a name word by, in this index."""
        return _word_keys(word, self.forms)

    def walk(self, keys: list[frozenset[str]], start: int, *, full: bool = False) -> list[_Entry]:
        """Entries of names matching ``keys[start:]`` (all of it when ``full``)."""
        frontier = [self.trie]
        out: list[_Entry] = []
        for n in range(start, len(keys)):
            nxt = []
            for node in frontier:
                for k in keys[n]:
                    child = node.get(k)
                    if child is not None:
                        nxt.append(child)
            frontier = nxt
            if not frontier:
                break
            if not full or n == len(keys) - 1:
                for node in frontier:
                    out.extend(node.get("", ()))
        return out

    def walk_prefixes(self, keys: list[frozenset[str]], start: int, tokens: list[morph.Token], text: str):
        """Yield ``(length, entries)`` for names starting at token ``start``, shorter first."""
        frontier = [self.trie]
        n = start
        while n < len(keys):
            if n > start and not _joinable(text[tokens[n - 1].end:tokens[n].start]):
                return
            nxt = []
            for node in frontier:
                for k in keys[n]:
                    child = node.get(k)
                    if child is not None and not any(child is x for x in nxt):
                        nxt.append(child)
            frontier = nxt
            if not frontier:
                return
            entries = [e for node in frontier for e in node.get("", ())]
            if entries:
                yield n - start + 1, entries
            n += 1


def _joinable(gap: str) -> bool:
    """Whether two words separated by ``gap`` may belong to one name."""
    return _JOINABLE_GAP.fullmatch(gap) is not None


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
    )


@lru_cache(maxsize=None)
def _load(csv_path: str) -> Gazetteer:
    path = Path(csv_path)
    if not path.is_file():
        raise FileNotFoundError(
            f"no gazetteer at {path}: expected a places.csv built by data/gazetteer/build_gazetteer.py")
    raw = path.read_bytes()
    rows = list(csv.DictReader(raw.decode("utf-8").splitlines()))
    cache = _cache_file(raw)
    index = None
    if cache is not None and cache.is_file():
        try:
            with open(cache, "rb") as f:
                index = pickle.load(f)
            if not isinstance(index, _Index):
                index = None
        except Exception:  # a stale or broken cache is rebuilt
            index = None
    gaz = Gazetteer(rows, index=index)
    if index is None and cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                pickle.dump(gaz._index, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache)
            old = sorted(cache.parent.glob("gazetteer-*.pickle"), key=lambda f: f.stat().st_mtime, reverse=True)
            for stale in old[8:]:  # keep the caches of the last few versions only
                stale.unlink(missing_ok=True)
        except OSError:
            pass
    return gaz


def _cache_file(raw: bytes) -> Path | None:
    base = os.environ.get("SMOLGRAPH_CACHE")
    if base == "":
        return None
    if base is None:
        xdg = os.environ.get("XDG_CACHE_HOME")
        try:
            base = str(Path(xdg) / "smolgraph") if xdg else str(Path.home() / ".cache" / "smolgraph")
        except (RuntimeError, KeyError):  # no home folder: no cache
            return None
    digest = hashlib.sha256(raw)
    digest.update(f"{_Index.VERSION}|{_morph_version()}|{sys.version_info[:2]}".encode())
    for source in (morph.__file__, __file__):  # the index holds their lemmas and layout
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


def _normalise_query(name: str) -> str:
    text = re.sub(r"\s+", " ", name.replace("\u00a0", " ")).strip()
    return text.strip(" «»\"',;:")


def _expand_abbreviations(text: str) -> str:
    text = re.sub(r"\bобл\.?(?=\s|$)", "область", text, flags=re.I)
    text = re.sub(r"\bр-н\w*", "район", text, flags=re.I)
    return re.sub(r"\bресп\.\s*", "республика ", text, flags=re.I).strip()


def _kind_rank(place: Place, prefixed: bool) -> int:
    if prefixed:
        return 0 if place.kind in ("city", "town") else 1
    return 0


def _name_key(word: str) -> str:
    return morph.lemma(word)


def _word_keys(word: str, forms: dict[str, frozenset[str]]) -> frozenset[str]:
    """Every key a text word may match a name word by: its lemmas, itself, and
    the name words it is a case form of (``forms``)."""
    keys = _base_keys(word)
    extra = forms.get(morph.fold(word))
    return keys | extra if extra else keys


@lru_cache(maxsize=100_000)
def _base_keys(word: str) -> frozenset[str]:
    folded = morph.fold(word)
    keys = {folded, morph.lemma(word)}
    if _CYRILLIC.search(word):
        keys.update(morph.fold(p.normal_form) for p in morph.parses(word))
    if folded in _ABBREVIATIONS:
        keys.add(_ABBREVIATIONS[folded])
    return frozenset(keys)


def _oblique_forms(word: str) -> set[str]:
    """Case forms of a proper name that pymorphy may not know, by its ending.

    ``"кардымово"`` gives ``"кардымова"``, ``"кардымове"``, …; the forms
    only ever map back to the name, so over-generating is harmless.
    """
    out: set[str] = set()
    if len(word) < 3 or word.endswith(("ий", "ый", "ой", "ая", "яя", "ое", "ее", "ие", "ые")):
        return out
    last, stem = word[-1], word[:-1]
    hard = stem[-1:] in "гкхжшчщц"
    if last in "бвгджзклмнпрстфхцчшщ":
        out |= {word + e for e in ("а", "у", "ом", "е", "ем", "ы", "ов", "ам", "ами", "ах")}
    elif last == "й":
        out |= {stem + e for e in ("я", "ю", "ем", "е")}
    elif last == "ь":
        out |= {stem + e for e in ("я", "ю", "ем", "е", "и", "ью")}
    elif last == "а":
        out |= {stem + e for e in ("ы", "и", "е", "у", "ой", "ою", "ей")}
        if hard:
            out.discard(stem + "ы")
    elif last == "я":
        out |= {stem + e for e in ("и", "е", "ю", "ей", "ею")}
    elif last in "ое":
        out |= {stem + e for e in ("а", "у", "ом", "ем", "е")}
    elif last in "ыи":
        out |= {stem + e for e in ("ов", "ей", "ев", "ам", "ям", "ами", "ями", "ах", "ях", "")}
    out.discard(word)
    return out


@lru_cache(maxsize=20_000)
def _adjective_keys(adjective: str) -> frozenset[str]:
    word = adjective.strip()
    keys = {morph.fold(word), morph.lemma(word)}
    for p in morph.parses(word):
        if p.tag.POS in ("ADJF", "ADJS", None):
            keys.add(morph.fold(p.normal_form))
    # a hyphenated adjective ("Кабардино-Балкарского") may lemmatise only in its last part
    if "-" in word:
        head, _, tail = word.rpartition("-")
        keys.add(morph.fold(head) + "-" + morph.lemma(tail))
    return frozenset(keys)


@lru_cache(maxsize=20_000)
def _is_everyday_word(name_word: str) -> bool:
    """Whether a one-word name is also a common word or a personal name."""
    analyzer = morph.analyzer()
    if not analyzer.word_is_known(name_word):
        return False
    return any("Geox" not in p.tag for p in morph.parses(name_word))


# The word tests below read only the analyser's parses of their arguments, so
# they are cached like the parses: a tag's attributes are slow to read.


@lru_cache(maxsize=20_000)
def _is_personal_name(word: str) -> bool:
    return any(g in p.tag for p in morph.parses(word) for g in ("Name", "Surn", "Patr"))


@lru_cache(maxsize=20_000)
def _is_surname(word: str) -> bool:
    return any("Surn" in p.tag for p in morph.parses(word))


@lru_cache(maxsize=20_000)
def _is_first_name(word: str) -> bool:
    return any("Name" in p.tag for p in morph.parses(word))


@lru_cache(maxsize=20_000)
def _is_surname_or_patronymic(word: str) -> bool:
    return any("Surn" in p.tag or "Patr" in p.tag for p in morph.parses(word))


def _looks_like_surname(token: morph.Token, text: str, prev_end: int) -> bool:
    if not _SPACES.fullmatch(text[prev_end:token.start]) or not token.text[:1].isupper():
        return False
    return _is_surname_or_patronymic(token.text)


@lru_cache(maxsize=20_000)
def _adjective_readings(word: str) -> frozenset[tuple[str | None, str | None]]:
    """The (case, number) pairs of ``word`` read as an adjective."""
    return frozenset((p.tag.case, p.tag.number) for p in morph.parses(word) if p.tag.POS == "ADJF")


@lru_cache(maxsize=20_000)
def _noun_readings(word: str) -> frozenset[tuple[str | None, str | None]]:
    """The (case, number) pairs of ``word`` read as a noun; none unless a noun is its first reading."""
    readings = morph.parses(word)
    if not readings or readings[0].tag.POS != "NOUN":  # "и", "в" can parse as nouns too
        return frozenset()
    return frozenset((p.tag.case, p.tag.number) for p in readings if p.tag.POS == "NOUN")


def _adjective_with_noun(tokens: list[morph.Token], i: int, text: str) -> bool:
    """Whether word ``i`` is an adjective followed by a noun it agrees with ("Минском колледже")."""
    adj_cases = _adjective_readings(tokens[i].text)
    if not adj_cases or i + 1 >= len(tokens):
        return False
    if not _INLINE_SPACES.fullmatch(text[tokens[i].end:tokens[i + 1].start]):
        return False
    return not adj_cases.isdisjoint(_noun_readings(tokens[i + 1].text))


@lru_cache(maxsize=20_000)
def _adjective_agrees(word: str, name_word: str) -> bool:
    """For a name that is an adjective ("Глубокое"), whether ``word`` has its gender and number."""
    name_parses = [p for p in morph.parses(name_word) if p.tag.POS == "ADJF" and p.tag.case == "nomn"]
    if not name_parses:
        return True
    lemma = morph.lemma(name_word)
    word_parses = [p for p in morph.parses(word) if p.tag.POS == "ADJF" and morph.fold(p.normal_form) == lemma]
    if not word_parses:
        return True
    wanted = {(p.tag.gender, p.tag.number) for p in name_parses}
    return any((p.tag.gender, p.tag.number) in wanted for p in word_parses)


@lru_cache(maxsize=20_000)
def _is_plural(word: str) -> bool:
    return any(p.tag.number == "plur" for p in morph.parses(word) if p.tag.POS == "NOUN")


def _sentence_start(before: str) -> bool:
    stripped = before.rstrip(" \u00a0")
    if not stripped or stripped[-1] in "\n\t«\"(":
        return True
    return stripped[-1] in ".!?" and not _SHORT_WORD_DOT.search(stripped)


def _prefix_start(tokens: list[morph.Token], i: int, text: str) -> int | None:
    """Index of the settlement prefix ("г.", "город") right before token ``i``, if any."""
    if i == 0:
        return None
    prev = tokens[i - 1]
    gap = text[prev.end:tokens[i].start]
    low = prev.text.lower()
    if low in _SETTLEMENT_ABBR and _DOT_SPACES.fullmatch(gap):
        return i - 1
    if low in ("г", "пгт", "рп") and _SPACES.fullmatch(gap):
        return i - 1
    if _SPACES.fullmatch(gap) and prev.lemma in _SETTLEMENT_WORDS:
        return i - 1
    return None


def _longest_non_overlapping(candidates: list[_Candidate]) -> list[_Candidate]:
    taken: set[int] = set()
    out: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (-(c.end - c.start), c.start)):
        span = set(range(cand.start, cand.end))
        if span & taken:
            continue
        taken |= span
        out.append(cand)
    out.sort(key=lambda c: c.start)
    return out
