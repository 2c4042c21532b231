"""What every reader shares: column names, the title block and row numbers."""
from __future__ import annotations

import re

from ..errors import ReportError
from ..morph import nominative_phrase
from ..records import COLUMNS, ReportMeta
from .period import apply_period, parse_period

__all__ = ["column_of", "match_columns", "parse_title", "parse_row_number", "clean_cell", "REQUIRED_COLUMNS"]

#: Columns a report cannot do without; the others may be absent.
REQUIRED_COLUMNS = ("number", "title", "venue", "dates")

# Header words, checked in this order: "Место проведения мероприятия" names
# the venue even though it also says "мероприятия".
_HEADER_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("number", ("№", "п/п", "номер")),
    ("venue", ("место", "площадка", "локация")),
    ("dates", ("срок", "дата", "даты", "период", "время проведения")),
    ("participants", ("участник", "состав", "количество")),
    ("content", ("цель", "содержани", "результат", "итог", "описание", "договоренност")),
    ("title", ("наименование", "название", "мероприяти", "тема")),
)


def column_of(header: str) -> str | None:
    text = header.lower().replace("\n", " ")
    for column, keys in _HEADER_KEYS:
        if any(key in text for key in keys):
            return column
    return None


def match_columns(headers: list[str], *, file: str) -> list[str]:
    """Map header cells to canonical columns by their words, not their position.

    >>> match_columns(["№", "Наименование мероприятия", "Дата проведения",
    ...                "Место проведения", "Итоги мероприятия", "Участники"], file="x.docx")
    ['number', 'title', 'dates', 'venue', 'content', 'participants']

    Raises
    ------
    ReportError
        When a header names no known column, two headers name the same one,
        or a required column is missing.
    """
    columns: list[str] = []
    for position, header in enumerate(headers, start=1):
        column = column_of(header)
        if column is None:
            raise ReportError(
                f"column {position} of the table header, '{clean_cell(header)}', is not a column smolgraph knows; "
                f"expected headers naming: {', '.join(COLUMNS)} (e.g. 'Наименование мероприятия', 'Место проведения', "
                "'Сроки проведения'). Rename the header or remove the column.",
                file=file,
            )
        if column in columns:
            raise ReportError(
                f"columns {columns.index(column) + 1} and {position} of the table header both look like '{column}' "
                f"('{clean_cell(headers[columns.index(column)])}', '{clean_cell(header)}'); rename one of them.",
                file=file,
            )
        columns.append(column)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ReportError(
            f"the table header has no column for {', '.join(missing)} (found: "
            f"{'; '.join(clean_cell(h) for h in headers)}). Each report needs at least: {', '.join(REQUIRED_COLUMNS)}.",
            file=file,
        )
    return columns


_REGION = re.compile(
    r"(?P<name>(?:[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+)(?:области|края|автономного округа|автономной области)"
    r"|Республики\s+[А-ЯЁ][а-яё]+(?:\s+[А-ЯЁ][а-яё]+)?"
    r"|(?:г\.\s*|города\s+)(?:Москвы|Санкт-Петербурга|Севастополя))"
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
    region = _REGION.search(title)
    if region:
        meta.region = _region_nominative(region.group("name"))
    return meta


def _region_nominative(name: str) -> str:
    name = re.sub(r"\s+", " ", name)
    city = re.match(r"(?:г\.\s*|города\s+)(\w+(?:-\w+)*)", name)
    if city:
        return {"Москвы": "Москва", "Санкт-Петербурга": "Санкт-Петербург", "Севастополя": "Севастополь"}[city.group(1)]
    if name.startswith("Республики"):
        return "Республика" + name[len("Республики"):]
    return nominative_phrase(name)


_NUMBER = re.compile(r"^\s*(\d{1,5})\s*[.)]?\s*$")


def parse_row_number(text: str) -> int | None:
    """The row number of a "№" cell, or None when the cell holds no number.

    >>> parse_row_number("12. ")
    12
    >>> parse_row_number("Сотрудничество в сфере спорта") is None
    True
    """
    m = _NUMBER.match(text)
    return int(m.group(1)) if m else None


_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")


def clean_cell(text: str) -> str:
    """Cell text with editor artefacts removed and whitespace normalised.

    Line breaks are kept as single newlines: extractors use them as
    separators between items of a list.

    >>> clean_cell(" г.\\xa0Минск, \\n\\n Республика  Беларусь ")
    'г. Минск,\\nРеспублика Беларусь'
    """
    text = _BOOKMARK.sub("", text).replace("\xa0", " ").replace("\t", " ")
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)
