"""Organisations named in a row: quoted names with their legal form, and
government bodies written out ("Правительство Смоленской области")."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..morph import fold, is_adjective, lemma, nominative_phrase
from ..lexicon import lexicon_lines, lexicon_table

__all__ = ["OrgMention", "find_orgs", "international_orgs", "international_org_spans"]


@dataclass
class OrgMention:
    name: str  # nominative
    start: int
    end: int
    after: str  # the text right after the name (a "(Республика Беларусь)" note)
    prefix: str | None  # the legal form, "ГУО"


_QUOTED = re.compile(r"(?P<prefix>(?:[А-ЯЁA-Z]{2,}(?:\s+[А-ЯЁA-Z]{2,})*\s*)?)«(?P<inner>[^«»]*(?:«[^«»]*»?[^«»]*)?)»")
_GENERIC_STARTS = {
    "представители", "представителей", "делегация", "делегации", "руководство", "сотрудники", "обучающиеся",
    "команды", "участники", "семьи", "руководитель", "в", "с", "и", "на", "из", "для", "при", "по",
}
_CLAUSE_CUT = re.compile(r"[,;:()\n»]|\bи\s|\bс\s|\bво главе с\s|\bв составе\s|\bвошли\s")


# The lexicons are read once; the sets and indexes below are built from them
# once too, since they were rebuilt for every cell before.


@lru_cache(maxsize=1)
def _org_nouns() -> frozenset[str]:
    return frozenset(fold(w) for w in lexicon_lines("org_nouns"))


@lru_cache(maxsize=1)
def _heads_by_first() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The lemmas of ``org_heads`` grouped by their first lemma, longest first.

    Only the heads starting with a word's lemma can match at that word, so
    ``_bodies`` looks them up rather than trying every head at every word.
    """
    heads = sorted((tuple(fold(w) for w in line.split()) for line in lexicon_lines("org_heads")), key=len, reverse=True)
    index: dict[str, list[tuple[str, ...]]] = {}
    for head in heads:
        index.setdefault(head[0], []).append(head)
    return {first: tuple(group) for first, group in index.items()}


@lru_cache(maxsize=1)
def _capitalised_heads() -> frozenset[str]:
    # Heads listed with a capital ("Посольство") name a body only when the
    # text capitalises them too: "посольство о развитии …" is not a name.
    return frozenset(fold(line.split()[0]) for line in lexicon_lines("org_heads") if line[:1].isupper())


@lru_cache(maxsize=1)
def _international_patterns() -> tuple[tuple[str, tuple[tuple[str, re.Pattern[str]], ...]], ...]:
    """Each international organisation with its folded stems, as text and as a whole-word pattern."""
    return tuple(
        (name, tuple((fold(stem), re.compile(r"(?<![а-яё])" + re.escape(fold(stem)) + r"(?![а-яё])")) for stem in stems))
        for name, stems in lexicon_table("international_orgs")
    )


def international_orgs(text: str) -> list[str]:
    """International organisations a text names, by their lexicon name."""
    low = fold(text)
    # The substring test is cheap and rules out nearly every stem before the regex runs.
    return [
        name
        for name, stems in _international_patterns()
        if any(stem in low and pattern.search(low) for stem, pattern in stems)
    ]


def international_org_spans(text: str) -> list[tuple[str, int, int]]:
    """Each international organisation ``text`` names, by its lexicon name, with where the words stand.

    >>> text = "форум государств – участников СНГ"
    >>> [(name, text[s:e]) for name, s, e in international_org_spans(text)]
    [('Содружество Независимых Государств', 'СНГ')]
    """
    low = fold(text)
    if len(low) != len(text):  # fold() changed a length: offsets into it would not fit the text
        return []
    return [
        (name, m.start(), m.end())
        for name, stems in _international_patterns()
        for stem, pattern in stems
        if stem in low
        for m in pattern.finditer(low)
    ]


def find_orgs(text: str, *, place_spans=None) -> list[OrgMention]:
    """Organisations named in ``text``, each in the nominative.

    ``place_spans``, when given, is a function returning the ``(start, end)``
    spans of the places in a text: a name written out without quotes ends
    with its first place ("Правительства Смоленской области осуществлена …").

    Examples
    --------
    >>> [o.name for o in find_orgs("делегация ОГБПОУ «Смоленский техникум» (г. Смоленск) посетила УО «Колледж»")]
    ['ОГБПОУ «Смоленский техникум»', 'УО «Колледж»']
    >>> [o.name for o in find_orgs("с заместителем председателя Правительства Смоленской области")]
    ['Правительство Смоленской области']
    """
    found: list[OrgMention] = []
    for m in _QUOTED.finditer(text):
        prefix = m.group("prefix").strip() or None
        start = m.start() if prefix else m.start("inner") - 1
        name = f"{prefix + ' ' if prefix else ''}«{m.group('inner')}»"
        if not prefix:
            clause_start = _clause_start(text, start)
            clause = text[clause_start:start].strip()
            words = clause.split()
            nouns = _org_nouns()
            lemmas = [lemma(w.strip("«»().,")) for w in words]
            head_noun = next((l for w, l in zip(words, lemmas) if not is_adjective(w.strip("«»().,"))), None)
            if words and words[0][:1].isupper() and len(words) <= 8 and head_noun in nouns:
                name = nominative_phrase(f"{clause} «{m.group('inner')}»")
                start = clause_start + (len(text[clause_start:start]) - len(text[clause_start:start].lstrip()))
            elif words and lemmas[-1] in nouns:
                # The noun with the adjectives before it: "народной фольклорной группы".
                k = len(words) - 1
                while k > 0 and words[k - 1].islower() and lemmas[k - 1].endswith(("ый", "ий", "ой")):
                    k -= 1
                generic = nominative_phrase(" ".join(words[k:]))
                name = f"{generic} «{m.group('inner')}»"
                start = start - len(" ".join(words[k:])) - 1
            else:
                continue  # a quoted title of an event, exhibition or project
        found.append(OrgMention(name=_tidy(name), start=start, end=m.end(), after=text[m.end() : m.end() + 60], prefix=prefix))
    found.extend(_bodies(text, found, place_spans))
    found.sort(key=lambda o: o.start)
    return found


def _clause_start(text: str, end: int) -> int:
    last = 0
    for m in _CLAUSE_CUT.finditer(text, 0, end):
        last = m.end()
    return last


def _tidy(name: str) -> str:
    # Quotes stay as the report writes them, unbalanced ones included.
    return " ".join(name.split())


_WORD = re.compile(r"[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*")
_BODY_END = re.compile(r"[,;:()\n«]|\.\s|\s[–—-]\s|\s[А-ЯЁ]\.|\s(?:с|во|в|на|по|для|от)\s|\sи\s(?=[А-ЯЁ])")
_SEGMENT_END = re.compile(r"[,;:()\n«]|\.\s|\s[–—-]\s")
_ADJECTIVE_ENDINGS = ("ский", "цкий", "ской", "ный", "ной", "ий", "ый", "ой")


def _bodies(text: str, quoted: list[OrgMention], place_spans=None) -> list[OrgMention]:
    """Government bodies and similar names written without quotes."""
    spans = [(o.start, o.end) for o in quoted]
    heads = _heads_by_first()
    capitalised = _capitalised_heads()
    words = list(_WORD.finditer(text))
    lemmas = [lemma(w.group()) for w in words]
    out: list[OrgMention] = []
    resume = 0  # the end of the last name found: the next one starts after it
    for i, first in enumerate(lemmas):
        candidates = heads.get(first)
        if candidates is None or words[i].start() < resume:
            continue  # most words start no head
        matched = next((head for head in candidates if tuple(lemmas[i : i + len(head)]) == head), None)
        if (
            matched is None
            or any(s <= words[i].start() < e for s, e in spans)
            or text[: words[i].start()].count("«") > text[: words[i].start()].count("»")
            or (matched[0] in capitalised and not words[i].group()[:1].isupper())
        ):
            continue
        start = words[i].start()
        # Adjectives before the head belong to the name when the first of
        # them is capitalised: "Витебского областного Совета", "Государственной Думы".
        j = i
        while j > 0 and i - j < 3 and lemmas[j - 1].endswith(_ADJECTIVE_ENDINGS) and text[words[j - 1].end() : words[j].start()].strip() == "":
            j -= 1
        while j < i and not words[j].group()[:1].isupper():
            j += 1
        start = words[j].start()
        head_end = words[i + len(matched) - 1].end()
        tail = text[head_end:]
        cut = _BODY_END.search(tail)
        end = head_end + (cut.start() if cut else len(tail))
        if place_spans is not None:
            # A written-out name ends with its first place: "Министерства
            # сельского хозяйства и продовольствия Смоленской области".
            segment = _SEGMENT_END.search(tail)
            reach = tail[: segment.start()] if segment else tail
            inside = [e for _, e in place_spans(reach)]
            if inside:
                end = head_end + min(min(inside), cut.start() if cut else len(tail))
        # "… при Правительстве Российской Федерации", "… в Российской
        # Федерации", "… имени Г.И. Цитовича" continue the name.
        follow = re.match(r"(?:\s+(?:при|в)\s+(?:[А-ЯЁ][а-яё]+\s*){1,4}|\s+(?:им\.|имени)\s*[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.)?\s?[А-ЯЁ][а-яё]+)", text[end:])
        if follow:
            end += len(follow.group().rstrip())
        phrase = text[start:end].strip()
        others = text[start : words[i].start()] + " " + text[head_end:end]
        if len(phrase.split()) < 2 or not re.search(r"(?:^|\s)[А-ЯЁ]", others.strip()):
            continue  # a bare "комитет" or "совет" names nothing
        name = nominative_phrase(phrase)
        out.append(OrgMention(name=_tidy(name), start=start, end=end, after=text[end : end + 60], prefix=None))
        spans.append((start, end))
        resume = end
    return out
