"""The reporting period a report's title states, and the one a user types.

Regions word their periods in many ways: a quarter ("в I квартале 2025
года"), a half-year ("за первое полугодие 2024 года"), nine months, a
whole year, a single month, or an explicit span of days or months. This
module turns such a phrase into a :class:`Period`; it knows nothing about
files or reports, so readers and the command line can share it.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..i18n import _

__all__ = ["apply_period", "Period", "parse_period", "parse_period_option", "KINDS"]

#: Every value :attr:`Period.kind` takes.
KINDS: tuple[str, ...] = ("quarter", "half", "nine_months", "year", "month", "range")


@dataclass(frozen=True)
class Period:
    """A reporting period: its first and last day and how it was named.

    ``year`` is the year the period starts in. ``quarter`` (1–4) and ``half``
    (1–2) are set whenever the span is exactly that calendar quarter or
    half-year, whatever ``kind`` of phrase named it.

    >>> Period.of_quarter(2025, 2)
    Period(start=datetime.date(2025, 4, 1), end=datetime.date(2025, 6, 30), year=2025, quarter=2, half=None, kind='quarter')
    """

    start: date
    end: date
    year: int
    quarter: int | None
    half: int | None
    kind: str

    @classmethod
    def of_quarter(cls, year: int, quarter: int) -> Period:
        """Quarter ``quarter`` (1–4) of ``year``.

        >>> Period.of_quarter(2024, 4).end
        datetime.date(2024, 12, 31)
        """
        if not 1 <= quarter <= 4:
            raise ValueError(_("a year has quarters 1 to 4, not {quarter}").format(quarter=quarter))
        return cls(*_months(year, 3 * quarter - 2, 3 * quarter), year, quarter, None, "quarter")

    @classmethod
    def of_half(cls, year: int, half: int) -> Period:
        """Half-year ``half`` (1 or 2) of ``year``.

        >>> Period.of_half(2024, 2).start
        datetime.date(2024, 7, 1)
        """
        if half not in (1, 2):
            raise ValueError(_("a year has half-years 1 and 2, not {half}").format(half=half))
        return cls(*_months(year, 6 * half - 5, 6 * half), year, None, half, "half")

    @classmethod
    def of_year(cls, year: int) -> Period:
        """The whole calendar year.

        >>> Period.of_year(2024).kind
        'year'
        """
        return cls(*_months(year, 1, 12), year, None, None, "year")

    @classmethod
    def of_span(cls, start: date, end: date, kind: str = "range") -> Period:
        """Any span of days; quarter or half is filled in when the span is exactly one.

        >>> Period.of_span(date(2025, 1, 1), date(2025, 3, 31)).quarter
        1
        """
        if end < start:
            raise ValueError(
                _("the period ends ({end}) before it starts ({start})").format(end=end.isoformat(), start=start.isoformat())
            )
        quarter = half = None
        if start.year == end.year and start.day == 1 and end == _last_day(end.year, end.month):
            months = (start.month, end.month)
            if end.month - start.month == 2 and start.month % 3 == 1:
                quarter = (start.month + 2) // 3
            elif months in ((1, 6), (7, 12)):
                half = 1 if start.month == 1 else 2
        return cls(start, end, start.year, quarter, half, kind)


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _months(year: int, first: int, last: int) -> tuple[date, date]:
    return date(year, first, 1), _last_day(year, last)


# --- grammar ---------------------------------------------------------------

# A month is its stem and any case ending (январь, января, январе, январю,
# январем); May's stem is too short to stand alone, so its endings are spelt out.
_MONTH_STEMS: tuple[tuple[str, int], ...] = (
    ("январ", 1), ("феврал", 2), ("март", 3), ("апрел", 4), ("ма(?:й|я|е|ю|ем)", 5), ("июн", 6),
    ("июл", 7), ("август", 8), ("сентябр", 9), ("октябр", 10), ("ноябр", 11), ("декабр", 12),
)
_MONTH = (
    "(?:"
    + "|".join(stem if number == 5 else stem + "(?:ь|я|е|ю|ем|а|у|ом|)" for stem, number in _MONTH_STEMS)
    + ")(?![а-я])"
)

_ROMAN_DIGITS = {"i": 1, "v": 5, "x": 10}
# Ordinal words by stem: "первом", "второе", "третьего", "четвёртый", "пятый".
# Numbers past 4 are kept so that "пятый квартал" is refused rather than ignored.
_ORDINAL_WORDS = {"перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6}
_COUNT_WORDS = {"три": 3, "трех": 3, "шест": 6, "девят": 9, "двенадцат": 12}

_YEAR = r"(?P<year>\d{4})(?!\d)"
_YEAR_WORD = r"(?:\s*-?\s*(?:го|й|м))?\s*(?:год[а-я]*|гг?\.?)"  # "года", "году", "г.", "2024-й год"
_ORDINAL = (
    r"(?:(?P<roman>[ivx]+)|(?P<digit>\d{1,2})(?:\s*-?\s*[а-я]{1,3})?|(?P<word>"
    + "|".join(_ORDINAL_WORDS)
    + r")[а-я]*)"
)


def _date_pattern(side: str) -> str:
    """One end of a span of days: "01.01.2025", "1 января 2025 г." or just "1 января" / "1"."""
    numeric = rf"(?P<{side}num>\d{{1,2}}\.\d{{1,2}}\.\d{{4}})(?:\s*(?:года|г\.?))?"
    words = rf"(?P<{side}day>\d{{1,2}})(?:\s+(?P<{side}month>{_MONTH}))?(?:\s+(?P<{side}year>\d{{4}})(?:{_YEAR_WORD})?)?"
    return rf"(?:{numeric}|{words})"


# Order is priority: a stated span of days beats a named part of the year,
# which beats a bare year, so the year is always read from the period phrase.
_DAY_RANGE = re.compile(
    rf"(?<![\d.])(?:\bс\s+)?{_date_pattern('a')}\s*(?:\bпо\b|-)\s*{_date_pattern('b')}(?!\d)"
)
_MONTH_RANGE = re.compile(
    rf"(?<![\w.])(?:\bс\s+)?(?P<m1>{_MONTH})(?:\s+(?P<y1>\d{{4}})(?:{_YEAR_WORD})?)?\s*(?:\bпо\b|-)\s*(?P<m2>{_MONTH})\s+{_YEAR}"
)
_MONTHS_COUNT = re.compile(
    rf"(?<![\w.])(?:(?P<count>\d{{1,2}})|(?P<cword>{'|'.join(_COUNT_WORDS)})[а-яё]*)\s+месяц[а-я]*\s+{_YEAR}"
)
# The year is optional here only so that "за 5 квартал" is seen, and refused.
_HALF = re.compile(rf"(?<![\w.]){_ORDINAL}\s+полугоди[а-я]*(?:\s+{_YEAR})?")
_QUARTER = re.compile(rf"(?<![\w.]){_ORDINAL}\s+квартал[а-я]*(?:\s+{_YEAR})?")
_ONE_MONTH = re.compile(rf"\b(?:за|в|во)\s+(?P<month>{_MONTH})\s+{_YEAR}")
_WHOLE_YEAR = re.compile(rf"\b(?P<prep>за|в|во)\s+{_YEAR}{_YEAR_WORD}(?![а-я])")


def _normalise(text: str) -> str:
    # Titles come with every kind of dash, non-breaking spaces and the
    # Cyrillic look-alike "І" for a roman one; fold them so the patterns stay plain.
    text = text.lower().replace("ё", "е").replace("\u0456", "i").replace("\xa0", " ")
    text = re.sub(r"\s*[\u2010-\u2015\u2212-]\s*", "-", text)
    return re.sub(r"\s+", " ", text)


def _month_number(word: str) -> int:
    return next(number for stem, number in _MONTH_STEMS if re.match(stem, word))


def _roman(text: str) -> int | None:
    values = [_ROMAN_DIGITS[c] for c in text]
    total = sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    # Reject spellings such as "iiii" or "vx" by writing the number back.
    canonical = {1: "i", 2: "ii", 3: "iii", 4: "iv", 5: "v", 6: "vi", 7: "vii", 8: "viii", 9: "ix", 10: "x"}
    return total if canonical.get(total) == text else None


def _ordinal(found: re.Match[str]) -> int | None:
    if found.group("roman"):
        return _roman(found.group("roman"))
    if found.group("digit"):
        return int(found.group("digit"))
    return _ORDINAL_WORDS[found.group("word")]


def _day(found: re.Match[str], prefix: str, *, month: int | None, year: int | None) -> date | None:
    """The date one side of a range names; month and year fall back to the other side's."""
    if found.group(prefix + "num"):
        day_, month_, year_ = (int(x) for x in found.group(prefix + "num").split("."))
        return date(year_, month_, day_)
    day_ = int(found.group(prefix + "day"))
    if found.group(prefix + "month"):
        month = _month_number(found.group(prefix + "month"))
    if found.group(prefix + "year"):
        year = int(found.group(prefix + "year"))
    if month is None or year is None:
        return None
    return date(year, month, day_)


def _day_range(found: re.Match[str]) -> Period | None:
    end = _day(found, "b", month=None, year=None)
    if end is None:
        return None
    start = _day(found, "a", month=end.month, year=end.year)
    if start is None:
        return None
    return Period.of_span(start, end)


def _month_range(found: re.Match[str]) -> Period:
    end_year = int(found.group("year"))
    start_year = int(found.group("y1")) if found.group("y1") else end_year
    first, last = _month_number(found.group("m1")), _month_number(found.group("m2"))
    return Period.of_span(date(start_year, first, 1), _last_day(end_year, last))


def _months_count(found: re.Match[str]) -> Period:
    year = int(found.group("year"))
    count = int(found.group("count")) if found.group("count") else _COUNT_WORDS[found.group("cword")]
    if not 1 <= count <= 12:
        raise ValueError(f"a year has no {count} months")
    if count == 12:
        return Period.of_year(year)
    if count == 6:
        return Period.of_half(year, 1)
    if count == 3:
        return Period.of_quarter(year, 1)
    return Period.of_span(*_months(year, 1, count), kind="nine_months" if count == 9 else "range")


def _one_month(found: re.Match[str]) -> Period:
    year, month = int(found.group("year")), _month_number(found.group("month"))
    return Period(*_months(year, month, month), year, None, None, "month")


def _numbered(found: re.Match[str], make: Callable[[int, int], Period]) -> Period | None:
    number = _ordinal(found)
    if number is None:
        raise ValueError(f"{found.group('roman')!r} is not a roman number")
    # Check the number even without a year: "5 квартал" is wrong in any year.
    make(2000, number)
    return make(int(found.group("year")), number) if found.group("year") else None


_READERS = (
    (_DAY_RANGE, _day_range),
    (_MONTH_RANGE, _month_range),
    (_MONTHS_COUNT, _months_count),
    (_HALF, lambda found: _numbered(found, Period.of_half)),
    (_QUARTER, lambda found: _numbered(found, Period.of_quarter)),
    (_ONE_MONTH, _one_month),
)


def parse_period(text: str) -> Period | None:
    """The reporting period a title names, or None when it names none or an impossible one.

    >>> parse_period("Отчет о мероприятиях за 1 полугодие 2024 г.")
    Period(start=datetime.date(2024, 1, 1), end=datetime.date(2024, 6, 30), year=2024, quarter=None, half=1, kind='half')
    >>> parse_period("с 1 января по 31 марта 2025 года").quarter
    1
    >>> parse_period("за 9 месяцев 2024 года").end
    datetime.date(2024, 9, 30)
    >>> parse_period("за 5 квартал 2025 года") is None
    True
    """
    norm = _normalise(text)
    for pattern, read in _READERS:
        for found in pattern.finditer(norm):
            # The first phrase of the strongest kind decides: when it names a
            # day, quarter or month that cannot exist, the title gives no period
            # at all rather than one guessed from a weaker phrase elsewhere. A
            # phrase that is merely incomplete (no year) gives way to the next.
            try:
                period = read(found)
            except ValueError:
                return None
            if period is not None:
                return period
    # A year said "за 2024 год" names the period; "в 2023 году" may be when
    # something else happened, so it only counts when no "за" phrase is there.
    years = sorted(_WHOLE_YEAR.finditer(norm), key=lambda m: m.group("prep") != "за")
    if years:
        try:
            return Period.of_year(int(years[0].group("year")))
        except ValueError:
            return None
    return None


_OPTION = re.compile(
    r"(?P<year>\d{4})(?:-(?:q(?P<quarter>\d)|h(?P<half>\d)|(?P<nine>9m)|(?P<month>\d{1,2})))?", re.IGNORECASE
)


def parse_period_option(text: str) -> Period:
    """A period as a user types it on the command line.

    >>> parse_period_option("2025-Q1").end
    datetime.date(2025, 3, 31)
    >>> parse_period_option("2025-01-01..2025-06-30").half
    1
    >>> parse_period_option("2025-Q5")
    Traceback (most recent call last):
    ...
    ValueError: '2025-Q5' is not a period: a year has quarters 1 to 4, not 5

    Raises
    ------
    ValueError
        When the text is none of the accepted forms or names a period that cannot exist.
    """
    value = text.strip()
    try:
        if ".." in value:
            first, _dots, last = value.partition("..")
            try:
                start, end = date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
            except ValueError as error:
                raise ValueError(_("both ends must be dates written YYYY-MM-DD ({error})").format(error=error)) from None
            return Period.of_span(start, end)
        found = _OPTION.fullmatch(value)
        if found is None:
            raise ValueError(
                _("expected 2025 (a year), 2025-Q1, 2025-H1, 2025-9M, 2025-03 (a month) or 2025-01-01..2025-03-31")
            )
        year = int(found.group("year"))
        if found.group("quarter"):
            return Period.of_quarter(year, int(found.group("quarter")))
        if found.group("half"):
            return Period.of_half(year, int(found.group("half")))
        if found.group("nine"):
            return Period.of_span(*_months(year, 1, 9), kind="nine_months")
        if found.group("month"):
            month = int(found.group("month"))
            if not 1 <= month <= 12:
                raise ValueError(_("a month is 01 to 12, not {month}").format(month=found.group("month")))
            return Period(*_months(year, month, month), year, None, None, "month")
        return Period.of_year(year)
    except ValueError as error:
        raise ValueError(_("{text} is not a period: {error}").format(text=repr(text), error=error)) from None


def apply_period(meta, period: Period) -> None:
    """Give a report's metadata (a :class:`~smolgraph.records.ReportMeta`) this period, replacing any it had.

    A quarter, half-year or year is fully said by its numbers; any other
    span keeps its own first and last day.

    >>> from smolgraph.records import ReportMeta
    >>> meta = ReportMeta(source_file="r.docx", year=2024, quarter=3)
    >>> apply_period(meta, parse_period_option("2025-H1"))
    >>> meta.year, meta.quarter, meta.half, meta.period
    (2025, None, 1, (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30)))
    """
    meta.year, meta.quarter, meta.half = period.year, period.quarter, period.half
    explicit = period.kind not in ("quarter", "half", "year")
    meta.period_start, meta.period_end = (period.start, period.end) if explicit else (None, None)
