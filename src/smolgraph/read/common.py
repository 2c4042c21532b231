"""What every reader shares: the title block and cell text."""
from __future__ import annotations

import re
from functools import lru_cache

from ..lexicon import lexicon_table
from ..records import ReportMeta
from .period import apply_period, parse_period

__all__ = ["parse_title", "clean_cell", "has_control_characters"]

# Characters no report cell means and that break XML 1.0 or a terminal (NUL, ESC, C1 controls,
# noncharacters). Tab, line feed and the line separators splitlines() knows are layout, kept as such.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def has_control_characters(text: str) -> bool:
    r"""True when ``text`` holds characters :func:`clean_cell` drops.

    >>> has_control_characters("Минск\x1b[31m"), has_control_characters("Минск\n")
    (True, False)
    """
    return _CONTROL.search(text) is not None

@lru_cache(maxsize=1)
def _region_pattern() -> re.Pattern[str]:
    """A reporting region in a title: an adjective and a head word, a republic, or a federal city (genitive)."""
    heads = "|".join(re.escape(head) for head, _ in lexicon_table("region_heads"))
    cities = "|".join(re.escape(city) for city, _ in lexicon_table("federal_cities"))
    return re.compile(
        rf"(?P<name>(?:[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+)(?:{heads})"
        r"|Республики\s+[А-ЯЁ][а-яё]+(?:\s+[А-ЯЁ][а-яё]+)?"
        rf"|(?:г\.\s*|города\s+)(?:{cities}))"
    )

def parse_title(lines: list[str], *, file: str) -> ReportMeta:
    """Read the reporting region and the period from the title block.

    >>> meta = parse_title(["Отчет о мероприятиях ... Смоленской области", "в I квартале 2025 года"], file="r.txt")
    >>> (meta.region, meta.year, meta.quarter)
    ('Смоленская область', 2025, 1)
    >>> parse_title(["Отчет Тверской области", "за 9 месяцев 2024 года"], file="r.txt").period_end
    datetime.date(2024, 9, 30)
    """
    title = " ".join(clean_cell(line) for line in lines if line.strip())
    meta = ReportMeta(source_file=file, title=title)
    period = parse_period(title)
    if period is not None:
        apply_period(meta, period)
    region = _region_pattern().search(title)
    if region:
        meta.region = _region_nominative(region.group("name"))
    return meta


def _region_nominative(name: str) -> str:
    name = re.sub(r"\s+", " ", name)
    city = re.match(r"(?:г\.\s*|города\s+)(\w+(?:-\w+)*)", name)
    if city:
        return dict(lexicon_table("federal_cities"))[city.group(1)][0]
    if name.startswith("Республики"):
        return "Республика" + name[len("Республики"):]
    return _adjective_region_nominative(name)




def _adjective_region_nominative(name: str) -> str:
    """``Смоленской области`` → ``Смоленская область``: the nominative of the one region name shape _REGION finds.

    A rule rather than the morphology module: reading knows file formats,
    not language, and this one shape (an adjective in the genitive, then a
    fixed head) needs only the adjective's ending: feminine -ой → -ая,
    masculine -ого → -ий after к, г, х, ж, ш, ч, щ and -ый elsewhere. It gives
    the gazetteer's name of every Russian region of this shape (checked in
    tests/test_layers.py), where pymorphy3 lower-cased "Ямало-ненецкий".

    >>> _adjective_region_nominative("Ханты-Мансийского автономного округа")
    'Ханты-Мансийский автономный округ'
    """
    adjective, head = name.split(" ", 1)
    feminine = head.endswith("области")
    parts = adjective.split("-")
    last = parts[-1]
    if feminine and last.endswith("ой"):
        parts[-1] = last[:-2] + "ая"
    elif not feminine and last.endswith("ого"):
        parts[-1] = last[:-3] + ("ий" if last[-4:-3] in "кгхжшчщ" else "ый")
    return "-".join(parts) + " " + dict((head, nominative) for head, (nominative, *_) in lexicon_table("region_heads")).get(head, head)


_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")


def clean_cell(text: str) -> str:
    """Cell text with editor artefacts removed and whitespace normalised.

    Line breaks are kept as single newlines: extractors use them as
    separators between items of a list.

    >>> clean_cell(" г.\\xa0Минск, \\n\\n Республика  Беларусь ")
    'г. Минск,\\nРеспублика Беларусь'
    >>> clean_cell("Минск\\x00\\x1b[31m")
    'Минск[31m'
    """
    text = _CONTROL.sub("", _BOOKMARK.sub("", text)).replace("\xa0", " ").replace("\t", " ")
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)
