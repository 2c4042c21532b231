"""Dates of an event from its dates cell: days, ranges, month-only spans."""
from __future__ import annotations

import calendar
import re
from datetime import date

from ..i18n import _
from ..records import DateSpan

__all__ = ["DateError", "extract_dates", "date_words", "MONTHS"]

#: Month names in the forms reports use (nominative, genitive, prepositional).
MONTHS: dict[str, int] = {}
for _number, _stem, _endings in (
    (1, "январ", ("ь", "я", "е")), (2, "феврал", ("ь", "я", "е")), (3, "март", ("", "а", "е")),
    (4, "апрел", ("ь", "я", "е")), (5, "ма", ("й", "я", "е")), (6, "июн", ("ь", "я", "е")),
    (7, "июл", ("ь", "я", "е")), (8, "август", ("", "а", "е")), (9, "сентябр", ("ь", "я", "е")),
    (10, "октябр", ("ь", "я", "е")), (11, "ноябр", ("ь", "я", "е")), (12, "декабр", ("ь", "я", "е")),
):
    for _ending in _endings:
        MONTHS[_stem + _ending] = _number


class DateError(ValueError):
    """The dates cell cannot be read, or names a day that does not exist."""


# Numeric forms other regions write, rewritten to the full dates the tokens read:
# "15-17.03.2025", "28.02-03.03.2025" (a range sharing the year), "2025-03-15" (ISO, from spreadsheets).
_DAY_RANGE = re.compile(r"\b(\d{1,2})\s*[-–—]\s*(\d{1,2})\.(\d{1,2})\.(\d{2,4})\b")
_DAY_MONTH_RANGE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\s*[-–—]\s*(\d{1,2})\.(\d{1,2})\.(\d{2,4})\b")
_ISO = re.compile(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b")


def _spell_out(text: str) -> str:
    text = _ISO.sub(r"\3.\2.\1", text)
    text = _DAY_MONTH_RANGE.sub(r"\1.\2.\5 - \3.\4.\5", text)
    return _DAY_RANGE.sub(r"\1.\3.\4 - \2.\3.\4", text)


_TOKEN = re.compile(r"(?P<numeric>\d{1,2}\.\d{1,2}\.\d{2,4})|(?P<year>\b(?:19|20)\d{2}\b)|(?P<day>\b\d{1,2}\b)|(?P<word>[а-яё]+)")


def extract_dates(text: str, *, year: int | None = None) -> DateSpan | None:
    """Read the start and end of an event from a dates cell.

    ``year`` fills in a missing year (the report's year). Returns None when
    the cell names no date at all.

    Examples
    --------
    >>> extract_dates("3-4 февраля 2025 года")
    DateSpan(start=datetime.date(2025, 2, 3), end=datetime.date(2025, 2, 4), precision='day')
    >>> extract_dates("28 февраля – 15 марта 2025 года").end
    datetime.date(2025, 3, 15)
    >>> extract_dates("с 20 по 22 мая", year=2025).start
    datetime.date(2025, 5, 20)
    >>> extract_dates("февраль-март 2025 года")
    DateSpan(start=datetime.date(2025, 2, 1), end=datetime.date(2025, 3, 31), precision='month')
    >>> extract_dates("17.06.2025").start
    datetime.date(2025, 6, 17)
    >>> extract_dates("15-17.03.2025").end, extract_dates("28.02-03.03.2025").start, extract_dates("2025-03-15").start
    (datetime.date(2025, 3, 17), datetime.date(2025, 2, 28), datetime.date(2025, 3, 15))

    Raises
    ------
    DateError
        A day that does not exist ("31 февраля"), or a day without a month.
    """
    norm = _spell_out(text.lower().replace("ё", "е"))
    items: list[tuple[str, int | date]] = []
    for m in _TOKEN.finditer(norm):
        if m.group("numeric"):
            d, mo, y = (int(x) for x in m.group("numeric").split("."))
            if y < 100:
                y += 2000
            items.append(("date", _make(y, mo, d, m.group())))
        elif m.group("year"):
            items.append(("year", int(m.group("year"))))
        elif m.group("day"):
            items.append(("day", int(m.group("day"))))
        elif m.group("word") in MONTHS:
            items.append(("month", MONTHS[m.group("word")]))
    if not items:
        return None

    dates: list[date] = []
    months_only: list[tuple[int, int]] = []
    pending_days: list[int] = []
    entries: list[tuple[str, list[int], int]] = []  # (kind, days, month) awaiting a year

    def flush_year(y: int) -> None:
        for kind, days, month in entries:
            if kind == "days":
                dates.extend(_make(y, month, d, text) for d in days)
            else:
                months_only.append((y, month))
        entries.clear()

    for kind, value in items:
        if kind == "date":
            dates.append(value)  # type: ignore[arg-type]
        elif kind == "day":
            pending_days.append(value)  # type: ignore[arg-type]
        elif kind == "month":
            if pending_days:
                entries.append(("days", pending_days, value))  # type: ignore[arg-type]
                pending_days = []
            else:
                entries.append(("month", [], value))  # type: ignore[arg-type]
        elif kind == "year":
            if pending_days and not entries:
                raise DateError(_("'{text}' has a day without a month").format(text=_short(text)))
            flush_year(value)  # type: ignore[arg-type]
    if pending_days:
        raise DateError(_("'{text}' has a day without a month").format(text=_short(text)))
    if entries:
        if year is None:
            raise DateError(_("'{text}' gives no year, and the report's year is unknown").format(text=_short(text)))
        flush_year(year)

    if dates:
        start, end = min(dates), max(dates)
        if len(dates) >= 2 and dates[0].year == dates[-1].year and dates[0].month > dates[-1].month:
            # "28 декабря – 3 января 2025": the first day is in the year before.
            start = dates[0].replace(year=dates[0].year - 1)
            end = dates[-1]
        return DateSpan(start, end, "day")
    if months_only:
        first, last = min(months_only), max(months_only)
        return DateSpan(
            date(first[0], first[1], 1),
            date(last[0], last[1], calendar.monthrange(last[0], last[1])[1]),
            "month",
        )
    return None


def date_words(text: str) -> list[tuple[int, int]]:
    """The span of a dates cell from its first to its last word of a date: what :func:`extract_dates` read.

    >>> text = "с 21 февраля по 3 марта 2025 года"
    >>> [text[s:e] for s, e in date_words(text)]
    ['21 февраля по 3 марта 2025']
    >>> date_words("по согласованию")
    []
    """
    low = text.lower().replace("ё", "е")
    if len(low) != len(text):  # a lower case of another length: offsets would not fit
        return []
    # The tokens as extract_dates reads them; "15-17.03.2025" and ISO dates are digits and separators throughout.
    found = [m.span() for m in _TOKEN.finditer(low) if not m.group("word") or m.group("word") in MONTHS]
    return [(found[0][0], found[-1][1])] if found else []


def _make(y: int, m: int, d: int, source: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise DateError(
            _("'{text}' names a day that does not exist ({day})").format(text=_short(source), day=f"{d:02d}.{m:02d}.{y}")
        ) from None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."
