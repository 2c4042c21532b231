"""ASCII slugs of Russian and Latin text, for readable IRIs and report ids.

Kept apart from :mod:`smolgraph.build` (which mints the IRIs) and free of
any project import so that :mod:`smolgraph.records` can name a report
without pulling in RDF.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["slug", "report_slug", "REPORT_ID_LIMIT"]

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(),
    )
)

#: The longest report id made from a file name; longer names are cut and keep a hash of the whole.
REPORT_ID_LIMIT = 80


def _transliterate(text: str) -> str:
    # Lower-casing before the table also folds ё (the table maps it to "e"),
    # which is all morph.fold adds; the hard and soft signs ("_") are dropped.
    out = []
    for ch in text.lower():
        mapped = _TRANSLIT.get(ch, ch)
        out.append("" if mapped == "_" else mapped)
    return re.sub(r"[^a-z0-9]+", "-", "".join(out)).strip("-")


def slug(text: str, *, limit: int = 60) -> str:
    """An ASCII slug of a Russian or Latin name, for readable IRIs.

    >>> slug("Министерство сельского хозяйства")
    'ministerstvo-selskogo-khozyaystva'
    >>> slug("报告")
    'x'
    """
    return _transliterate(text)[:limit].strip("-") or "x"


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:8]


def _dropped_a_letter(text: str) -> bool:
    """Whether a letter or digit of ``text`` leaves no trace in its transliteration (Chinese, Belarusian ў, …).

    >>> _dropped_a_letter("Отчёт_2025"), _dropped_a_letter("Справаздача ў"), _dropped_a_letter("报告")
    (False, True, True)
    """
    for ch in text:
        if ch.isalnum() and _TRANSLIT.get(ch.lower()) != "_" and not _transliterate(ch):
            return True
    return False


def report_slug(stem: str) -> str:
    """The id of a report made from its file name without the extension.

    Every Cyrillic and Latin letter and digit is kept (transliterated), so
    names that differ in them give different ids, and an ASCII name gives
    the id it always gave. A name with letters the table does not know, or
    one too long for an IRI, gets a hash of the whole name, so that cutting
    or dropping never makes two names one.

    >>> report_slug("Отчет_Смоленская_обл_1_кв_2025"), report_slug("smolensk-2025-q1")
    ('otchet-smolenskaya-obl-1-kv-2025', 'smolensk-2025-q1')
    >>> report_slug("№№№"), report_slug("报告")
    ('report-9262a032', 'report-93e6f95f')
    >>> len(report_slug("Отчет " * 40)) <= REPORT_ID_LIMIT
    True
    """
    # A name from a Mac (or a zip made on one) spells й and ё as two code
    # points; both spellings are one name.
    stem = unicodedata.normalize("NFC", stem)
    # slug() drops an underscore along with the hard and soft signs (IRIs
    # minted that way stay as they are); in a file name it parts words.
    base = _transliterate(stem.replace("_", " "))
    if not base:
        return f"report-{_digest(stem)}"
    if len(base) <= REPORT_ID_LIMIT and not _dropped_a_letter(stem):
        return base
    head = base[: REPORT_ID_LIMIT - 9].rstrip("-")
    return f"{head}-{_digest(stem)}"
