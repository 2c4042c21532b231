from datetime import date

import pytest

from smolgraph.extract.dates import DateError, extract_dates


@pytest.mark.parametrize(
    "text, start, end, precision",
    [
        ("3 февраля \n2025 года", date(2025, 2, 3), date(2025, 2, 3), "day"),
        ("3-4 февраля 2025 года", date(2025, 2, 3), date(2025, 2, 4), "day"),
        ("28 февраля – \n15 марта\n2025 года", date(2025, 2, 28), date(2025, 3, 15), "day"),
        ("с 20 по 22 мая", date(2025, 5, 20), date(2025, 5, 22), "day"),
        ("17.06.2025", date(2025, 6, 17), date(2025, 6, 17), "day"),
        ("17.06.2025 - 19.06.2025", date(2025, 6, 17), date(2025, 6, 19), "day"),
        ("февраль \n2025 года", date(2025, 2, 1), date(2025, 2, 28), "month"),
        ("февраль-март 2025 года", date(2025, 2, 1), date(2025, 3, 31), "month"),
        ("28 декабря 2024 года – 3 января 2025 года", date(2024, 12, 28), date(2025, 1, 3), "day"),
        ("28 декабря – 3 января 2025 года", date(2024, 12, 28), date(2025, 1, 3), "day"),
        ("1-20 марта", date(2025, 3, 1), date(2025, 3, 20), "day"),
    ],
)
def test_date_forms(text, start, end, precision):
    span = extract_dates(text, year=2025)
    assert (span.start, span.end, span.precision) == (start, end, precision)


@pytest.mark.parametrize("text", ["31 февраля 2025 года", "30.02.2025", "5 2025"])
def test_impossible_dates_raise(text):
    with pytest.raises(DateError):
        extract_dates(text, year=2025)


def test_no_date_is_none():
    assert extract_dates("в течение квартала", year=2025) is None
