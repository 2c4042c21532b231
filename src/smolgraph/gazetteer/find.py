"""Finding places in a text: which gazetteer places a sentence mentions, and where.

:func:`find_places` is what :meth:`Gazetteer.find <smolgraph.gazetteer.Gazetteer.find>` does; the
extractor and ``ask``'s place resolution reach it through that method.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .. import morph
from ..lexicon import lexicon_lines
from .names import KIND_ORDER, SETTLEMENT_ABBR, SETTLEMENT_WORDS, NameEntry, kind_rank
from .places import Place

if TYPE_CHECKING:
    from .places import Gazetteer

__all__ = ["PlaceMatch", "find_places"]

_GENERIC = frozenset(lexicon_lines("place_generic_words"))
_DOTTED = frozenset(lexicon_lines("place_dotted_abbreviations"))
_NAMED_AFTER = re.compile(r"(?:\b(?:ул|пл|пр|просп|пер|бул|наб|им)\.\s*|\b(?:улиц\w*|площад\w*|проспект\w*|переул\w*|"
                          r"бульвар\w*|набережн\w*|имени|пр-т\w*|б-р)\s+)$", re.I)
_INITIALS_BEFORE = re.compile(r"(?:^|[\s(«\"])[А-ЯЁ]\.\s*(?:[А-ЯЁ]\.\s*)?$")
_INITIALS_AFTER = re.compile(r"\s+[А-ЯЁ]\.\s*[А-ЯЁ]?\.?")
_SPACES = re.compile(r"\s+")
_INLINE_SPACES = re.compile(r"[ \t\u00a0]+")
_DOT_SPACES = re.compile(r"\.\s*")
_COMMA_GAP = re.compile(r"\s*,\s*")
_OPTIONAL_COMMA_GAP = re.compile(r"\s*,?\s*")
_SHORT_WORD_DOT = re.compile(r"\b[А-Яа-яЁё]{1,4}\.$")


@dataclass(frozen=True)
class PlaceMatch:
    """A place mentioned in a text: ``text[start:end]`` is how it was written."""

    place: Place
    start: int
    end: int
    text: str


@dataclass
class _Candidate:
    start: int  # token index
    end: int
    entries: list[NameEntry]
    head: tuple[int, int] | None = None


def find_places(gaz: Gazetteer, text: str) -> list[PlaceMatch]:
    """Every place of ``gaz`` mentioned in ``text``, in text order (see :meth:`Gazetteer.find`)."""
    tokens = morph.tokenize(text)
    if not tokens:
        return []
    keys = [gaz.index.word_keys(t.text) for t in tokens]
    first_keys = gaz.first_keys
    candidates: list[_Candidate] = []
    for i in range(len(tokens)):
        if keys[i].isdisjoint(first_keys):
            continue  # most words start no name
        best: tuple[int, list[NameEntry]] | None = None
        for length, entries in gaz.index.walk_prefixes(keys, i, tokens, text):
            ok = [e for e in entries if _acceptable(gaz, e, tokens, i, length, text)]
            if ok:
                best = (length, ok)  # walk_prefixes yields shorter first; keep the longest
        if best is not None:
            length, entries = best
            candidates.append(_Candidate(i, i + length, entries))
    chosen = _longest_non_overlapping(candidates)
    chosen = _expand_lists(gaz, chosen, tokens, text)
    chosen = _drop_city_districts(gaz, chosen, tokens, text)
    return _pick_places(gaz, chosen, tokens, text)


def _acceptable(gaz: Gazetteer, entry: NameEntry, tokens: list[morph.Token], i: int, length: int, text: str) -> bool:
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

def _expand_lists(gaz, chosen: list[_Candidate], tokens: list[morph.Token], text: str) -> list[_Candidate]:
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
        head_keys = [gaz.index.word_keys(t.text) for t in head_words]
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
            keys = [gaz.index.word_keys(tokens[k].text)] + head_keys
            entries = [e for e in gaz.index.walk(keys, 0, full=True) if len(e.tokens) == len(keys)]
            if not entries:
                break
            out.append(_Candidate(k, k + 1, entries, head=(cand.start + 1, cand.end)))
            taken.add(k)
            j = k
    out.sort(key=lambda c: c.start)
    return out

def _drop_city_districts(gaz, chosen: list[_Candidate], tokens: list[morph.Token], text: str) -> list[_Candidate]:
    out = []
    for n, cand in enumerate(chosen):
        nxt = chosen[n + 1] if n + 1 < len(chosen) else None
        if nxt is not None and all(gaz.places_by_id[e.place_id].kind in ("district", "municipality") for e in cand.entries):
            prefix = _prefix_start(tokens, nxt.start, text)
            if (prefix == cand.end and _SPACES.fullmatch(text[tokens[cand.end - 1].end:tokens[prefix].start])
                    and any(gaz.places_by_id[e.place_id].kind in ("city", "town") for e in nxt.entries)):
                continue  # "Октябрьского района г. Витебска": a district of the city
        out.append(cand)
    return out

def _pick_places(gaz, chosen: list[_Candidate], tokens: list[morph.Token], text: str) -> list[PlaceMatch]:
    resolved: list[tuple[_Candidate, int | None, list[Place]]] = []
    for cand in chosen:
        prefix = _prefix_start(tokens, cand.start, text)
        resolved.append((cand, prefix, _ranked_places(gaz, cand.entries, prefix is not None)))
    sure = [(c, ps[0]) for c, _, ps in resolved if len(ps) == 1]
    out: list[PlaceMatch] = []
    for cand, prefix, places in resolved:
        place = places[0]
        if len(places) > 1 and sure:
            nearest = min(sure, key=lambda s: abs(s[0].start - cand.start))[1]
            place = max(places, key=lambda p: _affinity(gaz, p, nearest))
            if _affinity(gaz, place, nearest) == 0:
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

def _ranked_places(gaz, entries: list[NameEntry], prefixed: bool) -> list[Place]:
    """The places of a name's entries, best first (as :meth:`resolve` ranks them)."""
    if len(entries) == 1:  # the usual case: nothing to rank
        return [gaz.places_by_id[entries[0].place_id]]
    ids = list(dict.fromkeys(e.place_id for e in sorted(entries, key=lambda e: e.rank)))
    rank = {pid: min(e.rank for e in entries if e.place_id == pid) for pid in ids}
    return sorted((gaz.places_by_id[pid] for pid in ids),
                  key=lambda p: (kind_rank(p, prefixed), rank[p.id], p.level, KIND_ORDER.get(p.kind, 9), p.id))

def _affinity(gaz, place: Place, other: Place) -> int:
    if place.id == other.id:
        return 0
    chain = {place.id} | {p.id for p in gaz.ancestors(place.id)}
    other_region = gaz.region_of(other.id) if other.level >= 1 else None
    if other_region is not None and other_region.id in chain:
        return 2
    if other.country and other.country == place.country:
        return 1
    return 0


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
    if low in SETTLEMENT_ABBR and _DOT_SPACES.fullmatch(gap):
        return i - 1
    if low in ("г", "пгт", "рп") and _SPACES.fullmatch(gap):
        return i - 1
    if _SPACES.fullmatch(gap) and prev.lemma in SETTLEMENT_WORDS:
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
