"""Organisations named in a row: quoted names with their legal form, and
government bodies written out ("Правительство Смоленской области")."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..morph import fold, lemma, nominative_phrase
from .lexicon import lexicon_lines, lexicon_table

__all__ = ["OrgMention", "find_orgs", "international_orgs"]


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
_CLAUSE_CUT = re.compile(r"[,;:()\n]|\bи\s|\bс\s|\bво главе с\s|\bв составе\s|\bвошли\s")


def _org_nouns() -> set[str]:
    return {fold(w) for w in lexicon_lines("org_nouns")}


def _heads() -> list[tuple[str, ...]]:
    return sorted((tuple(fold(w) for w in line.split()) for line in lexicon_lines("org_heads")), key=len, reverse=True)


def international_orgs(text: str) -> list[str]:
    """International organisations a text names, by their lexicon name."""
    low = fold(text)
    found = []
    for name, stems in lexicon_table("international_orgs"):
        for stem in stems:
            if re.search(r"(?<![а-яё])" + re.escape(fold(stem)) + r"(?![а-яё])", low):
                found.append(name)
                break
    return found


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
            if words and words[0][:1].isupper() and fold(words[0]) not in _GENERIC_STARTS and len(words) <= 8 and set(lemmas) & nouns:
                name = nominative_phrase(f"{clause} «{m.group('inner')}»")
                start = clause_start + (len(text[clause_start:start]) - len(text[clause_start:start].lstrip()))
            elif words and lemmas[-1] in nouns:
                generic = nominative_phrase(words[-1])
                name = f"{generic} «{m.group('inner')}»"
                start = start - len(words[-1]) - 1
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
    name = " ".join(name.split())
    if name.count("«") > name.count("»"):
        name += "»" * (name.count("«") - name.count("»"))
    return name


_WORD = re.compile(r"[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*")
_BODY_END = re.compile(r"[,;:()\n«]|\.\s|\s[–—-]\s|\s[А-ЯЁ]\.|\s(?:с|во|и|в|на|по|для|от)\s")
_ADJECTIVE_ENDINGS = ("ский", "цкий", "ской", "ный", "ной", "ий", "ый", "ой")


def _bodies(text: str, quoted: list[OrgMention], place_spans=None) -> list[OrgMention]:
    """Government bodies and similar names written without quotes."""
    spans = [(o.start, o.end) for o in quoted]
    heads = _heads()
    words = list(_WORD.finditer(text))
    lemmas = [lemma(w.group()) for w in words]
    out: list[OrgMention] = []
    i = 0
    while i < len(words):
        matched = None
        for head in heads:
            if tuple(lemmas[i : i + len(head)]) == head:
                matched = head
                break
        if matched is None or any(s <= words[i].start() < e for s, e in spans):
            i += 1
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
            inside = [e for s_, e in place_spans(text[head_end:end]) if s_ >= 0]
            if inside:
                end = head_end + min(inside)
        # "… при Правительстве Российской Федерации" continues the name.
        follow = re.match(r"\s+при\s+[А-ЯЁ][^,;:()\n]*", text[end:])
        if follow:
            end += follow.end()
        phrase = text[start:end].strip()
        others = text[start : words[i].start()] + " " + text[head_end:end]
        if len(phrase.split()) < 2 or not re.search(r"(?:^|\s)[А-ЯЁ]", others.strip()):
            i += 1
            continue  # a bare "комитет" or "совет" names nothing
        name = nominative_phrase(phrase)
        out.append(OrgMention(name=_tidy(name), start=start, end=end, after=text[end : end + 60], prefix=None))
        spans.append((start, end))
        while i < len(words) and words[i].start() < end:
            i += 1
    return out
