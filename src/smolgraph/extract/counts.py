"""Participant figures: the stated total, group sizes, views and visitors."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..lexicon import lexicon_table

__all__ = ["Counts", "extract_counts"]


@dataclass
class Counts:
    total: int | None = None
    qualifier: str | None = None
    groups: list[tuple[int, str]] = field(default_factory=list)  # (size, text before it)
    views: int | None = None
    visitors: int | None = None
    # Where each figure was read: the record's field ("participants_total", "views", "visitors") -> (start, end),
    # and one span per group, in the order of ``groups``.
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    group_spans: list[tuple[int, int]] = field(default_factory=list)


_NUM = r"(\d[\d  ]{0,7}\d|\d)"
# Words that make a count approximate ("более 50 человек"), from data/lexicon/count_qualifiers.txt.
_QUALIFIERS = {word: kind for word, (kind, *_) in lexicon_table("count_qualifiers")}
_Q = r"(?P<q>" + "|".join(re.escape(w) for w in _QUALIFIERS) + r")?\s*"
_TOTAL = re.compile(
    r"(?:общее\s+)?(?:количество|число)\s+участников(?!\s+(?:делегаци|групп|команд))(?:\s+[а-яё]+)?\s*(?:составило\s*)?[-–—:]?\s*" + _Q + r"(?P<n>" + _NUM[1:-1] + r")",
    re.IGNORECASE,
)
# Only the words that can open a participants cell ("Более 50 человек …"); "до" cannot.
_LEADING = re.compile(
    r"^\s*(?P<q>" + "|".join(re.escape(w) for w, kind in _QUALIFIERS.items() if kind != "up_to") + r")\s+(?P<n>\d[\d  ]*)\s+[а-яё]+",
    re.IGNORECASE,
)
_VISITORS = re.compile(r"(?:количество\s+посетителей(?:\s+[а-яё]+)?|посетител[а-яё]*)\s*[-–—:]?\s*" + _Q + r"(?P<n>\d[\d  ]*)", re.IGNORECASE)
_VIEWS = re.compile(r"(?P<n>\d[\d  ]*)\s+просмотр", re.IGNORECASE)
_GROUP = re.compile(
    r"\((?:в\s+составе\s+)?(?P<n>\d+)(?:-?(?:ти|х|ми|и))?\s+(?:человек|чел\.|участник)[а-яё]*\)"
    r"|(?:количество\s+участников\s+делегации|в\s+составе)\s*[-–—:]?\s*(?P<n2>\d+)(?:-?(?:ти|х|ми|и))?\s+человек"
    r"|(?P<n3>\d+)\s+человек\s*[-–—]\s*(?P<who>[а-яё ]+?)(?=[,.;)\n]|$)"
    r"|из\s+них\s+количество\s+(?P<who4>[^–—-]+?)\s*[-–—]\s*(?P<n4>\d+)\s+человек",
    re.IGNORECASE,
)


def _int(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def extract_counts(participants: str) -> Counts:
    """Read the explicit figures of a participants cell.

    Examples
    --------
    >>> c = extract_counts("Делегация (6 человек).\\nОбщее количество участников – 21 человек")
    >>> c.total, [n for n, _ in c.groups]
    (21, [6])
    >>> extract_counts("Более 170 ученых и педагогов").qualifier
    'more_than'
    >>> extract_counts("300 просмотров").views
    300
    """
    counts = Counts()
    total = _TOTAL.search(participants)
    if total:
        counts.total = _int(total.group("n"))
        counts.spans["participants_total"] = total.span()
        if total.group("q"):
            counts.qualifier = _QUALIFIERS[total.group("q").lower()]
    else:
        lead = _LEADING.search(participants)
        if lead:
            counts.total = _int(lead.group("n"))
            counts.spans["participants_total"] = lead.span()
            counts.qualifier = _QUALIFIERS[lead.group("q").lower()]
    visitors = _VISITORS.search(participants)
    if visitors:
        counts.visitors = _int(visitors.group("n"))
        counts.spans["visitors"] = visitors.span()
    views = _VIEWS.search(participants)
    if views:
        counts.views = _int(views.group("n"))
        counts.spans["views"] = views.span()
    for m in _GROUP.finditer(participants):
        n = m.group("n") or m.group("n2") or m.group("n3") or m.group("n4")
        context = m.group("who") or m.group("who4") or participants[max(0, m.start() - 200) : m.start()]
        counts.groups.append((int(n), context))
        counts.group_spans.append(m.span())
    return counts
