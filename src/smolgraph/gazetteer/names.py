"""The index of place names: every name and alias by its lemmas, for looking places up and finding them in text.

Shared by :mod:`.places` (lookups by name) and :mod:`.find` (mentions in a text). What those two
modules use has a public name (no leading underscore): it is the package's own interface between
its parts, not part of ``smolgraph.gazetteer``'s API, which ``__init__`` declares.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import morph
from ..lexicon import lexicon_table

#: Which kind wins when a name fits places of several kinds at one level: the larger unit first.
KIND_ORDER = {"country": 0, "macroregion": 1, "region": 2, "city": 3, "municipality": 4, "district": 5, "town": 6}
# The word lists live in data/lexicon/ (see its README).
_ABBREVIATIONS = {key: values[0] for key, values in lexicon_table("place_abbreviations")}
#: The words ("город", "посёлок") and abbreviations ("г", "пос") that say a settlement's name follows.
SETTLEMENT_WORDS = frozenset(dict(lexicon_table("settlement_prefixes"))["word"])
SETTLEMENT_ABBR = frozenset(dict(lexicon_table("settlement_prefixes"))["abbr"])


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


#: A settlement word or abbreviation at the start of a name looked up ("г. Минск"): dropped, and the
#: lookup then prefers cities and towns (:func:`kind_rank`).
QUERY_PREFIX = re.compile(
    rf"^(?:{_alternation(SETTLEMENT_ABBR)})\.\s*|^(?:{_alternation(SETTLEMENT_WORDS)})\s+", re.I)
_JOINABLE_GAP = re.compile(r"[\s\u00a0]*(?:[—–-][\s\u00a0]*)?\(?|\)?[\s\u00a0]*|[\s\u00a0]*\(")
_CYRILLIC = re.compile("[А-Яа-яЁё]")


@dataclass(frozen=True)
class NameEntry:
    """One name or alias of a place, as stored at the end of its path in :attr:`NameIndex.trie`."""

    place_id: str
    rank: int  # 1 the name, 2 an alias
    tokens: tuple[str, ...]  # the name's words as written in the gazetteer


class NameIndex:
    """Everything needed to look names up, built once from the places.

    Pickled to the cache folder by :func:`~.places.cache_file`; :attr:`VERSION` is part of that
    file's name, so a change of layout is a new file rather than a wrong read.
    """

    VERSION = 3

    def __init__(self) -> None:
        self.exact: dict[str, list[tuple[int, str]]] = {}
        self.trie: dict = {}
        self.forms: dict[str, frozenset[str]] = {}
        self.adjectives: dict[str, list[str]] = {}
        self.display: dict[str, str] = {}

    @classmethod
    def build(cls, places) -> NameIndex:
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
                node.setdefault("", []).append(NameEntry(place.id, rank, tuple(words)))
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

    def walk(self, keys: list[frozenset[str]], start: int, *, full: bool = False) -> list[NameEntry]:
        """Entries of names matching ``keys[start:]`` (all of it when ``full``)."""
        frontier = [self.trie]
        out: list[NameEntry] = []
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


def normalise_query(name: str) -> str:
    """A name as a user typed it, without the spaces, quotes and punctuation that no place name has."""
    text = re.sub(r"\s+", " ", name.replace("\u00a0", " ")).strip()
    return text.strip(" «»\"',;:")


def expand_abbreviations(text: str) -> str:
    """``обл.``, ``р-н`` and ``респ.`` written out, as the gazetteer's names have them."""
    text = re.sub(r"\bобл\.?(?=\s|$)", "область", text, flags=re.I)
    text = re.sub(r"\bр-н\w*", "район", text, flags=re.I)
    return re.sub(r"\bресп\.\s*", "республика ", text, flags=re.I).strip()


def kind_rank(place, prefixed: bool) -> int:
    """How a place ranks for a name looked up: after a settlement word (``prefixed``) cities and towns
    come first (0, the rest 1); without one every place ranks 0."""
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
def adjective_keys(adjective: str) -> frozenset[str]:
    """The keys an adjective ("витебской") may match the adjectives of places by: its lemmas in every reading."""
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
