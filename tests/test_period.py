"""Reporting periods: the phrases titles use, the option users type, and what parse_title keeps."""
from __future__ import annotations

from datetime import date

import pytest

from smolgraph.read.common import parse_title
from smolgraph.read.period import Period, parse_period, parse_period_option

D = date


@pytest.mark.parametrize(
    "text, start, end, kind, quarter, half",
    [
        # quarters, as titles said them before this module existed
        ("в I квартале 2025 года", D(2025, 1, 1), D(2025, 3, 31), "quarter", 1, None),
        ("за 2 квартал 2025", D(2025, 4, 1), D(2025, 6, 30), "quarter", 2, None),
        ("в третьем квартале 2025 года", D(2025, 7, 1), D(2025, 9, 30), "quarter", 3, None),
        ("за IV квартал 2023 г.", D(2023, 10, 1), D(2023, 12, 31), "quarter", 4, None),
        ("за 1-й квартал 2024 г.", D(2024, 1, 1), D(2024, 3, 31), "quarter", 1, None),
        ("в 3-м квартале 2024 года", D(2024, 7, 1), D(2024, 9, 30), "quarter", 3, None),
        ("за четвёртый квартал 2024 года", D(2024, 10, 1), D(2024, 12, 31), "quarter", 4, None),
        ("в \u0406\u0406 квартале 2024 года", D(2024, 4, 1), D(2024, 6, 30), "quarter", 2, None),  # Cyrillic "І"
        ("за 3 месяца 2025 года", D(2025, 1, 1), D(2025, 3, 31), "quarter", 1, None),
        # half-years
        ("за 1 полугодие 2024 г.", D(2024, 1, 1), D(2024, 6, 30), "half", None, 1),
        ("за первое полугодие 2024 года", D(2024, 1, 1), D(2024, 6, 30), "half", None, 1),
        ("во II полугодии 2024 года", D(2024, 7, 1), D(2024, 12, 31), "half", None, 2),
        ("за 2-е полугодие 2024 г.", D(2024, 7, 1), D(2024, 12, 31), "half", None, 2),
        ("за 6 месяцев 2024 года", D(2024, 1, 1), D(2024, 6, 30), "half", None, 1),
        ("за шесть месяцев 2024 года", D(2024, 1, 1), D(2024, 6, 30), "half", None, 1),
        # nine months
        ("за 9 месяцев 2024 года", D(2024, 1, 1), D(2024, 9, 30), "nine_months", None, None),
        ("за девять месяцев 2024 г.", D(2024, 1, 1), D(2024, 9, 30), "nine_months", None, None),
        ("по итогам девяти месяцев 2024 года", D(2024, 1, 1), D(2024, 9, 30), "nine_months", None, None),
        # whole years
        ("за 2024 год", D(2024, 1, 1), D(2024, 12, 31), "year", None, None),
        ("в 2024 году", D(2024, 1, 1), D(2024, 12, 31), "year", None, None),
        ("за 2024 г.", D(2024, 1, 1), D(2024, 12, 31), "year", None, None),
        ("за 12 месяцев 2024 года", D(2024, 1, 1), D(2024, 12, 31), "year", None, None),
        # single months, in several cases
        ("за январь 2025 года", D(2025, 1, 1), D(2025, 1, 31), "month", None, None),
        ("в марте 2025 г.", D(2025, 3, 1), D(2025, 3, 31), "month", None, None),
        ("в мае 2025 года", D(2025, 5, 1), D(2025, 5, 31), "month", None, None),
        ("за февраль 2024 года", D(2024, 2, 1), D(2024, 2, 29), "month", None, None),
        # spans of days
        ("с 1 января по 31 марта 2025 года", D(2025, 1, 1), D(2025, 3, 31), "range", 1, None),
        ("с 01.01.2025 по 31.03.2025", D(2025, 1, 1), D(2025, 3, 31), "range", 1, None),
        ("за период с 1 января 2025 г. по 30 июня 2025 г.", D(2025, 1, 1), D(2025, 6, 30), "range", None, 1),
        ("с 15 января по 20 февраля 2025 года", D(2025, 1, 15), D(2025, 2, 20), "range", None, None),
        ("с 01.10.2024 по 31.03.2025.", D(2024, 10, 1), D(2025, 3, 31), "range", None, None),
        ("1 июля – 30 сентября 2025 г.", D(2025, 7, 1), D(2025, 9, 30), "range", 3, None),
        # spans of months
        ("январь – март 2025 года", D(2025, 1, 1), D(2025, 3, 31), "range", 1, None),
        ("январь-июнь 2025 г.", D(2025, 1, 1), D(2025, 6, 30), "range", None, 1),
        ("в январе—сентябре 2024 года", D(2024, 1, 1), D(2024, 9, 30), "range", None, None),
        ("с января по апрель 2025 года", D(2025, 1, 1), D(2025, 4, 30), "range", None, None),
        ("декабрь 2024 – февраль 2025 года", D(2024, 12, 1), D(2025, 2, 28), "range", None, None),
    ],
)
def test_title_phrases(text, start, end, kind, quarter, half):
    period = parse_period(text)
    assert period == Period(start, end, start.year, quarter, half, kind)


@pytest.mark.parametrize(
    "text, year",
    [
        ("Отчет о реализации Программы 2021-2025 за 1 полугодие 2024 года", 2024),
        ("План на 2021–2025 годы, принятый в 2020 году: отчет за 2024 год", 2024),
        ("Отчет за 2023 год о мероприятиях, начатых в 2022 году", 2023),
        ("По состоянию на 1 апреля 2025 года: итоги I квартала 2025 года", 2025),
    ],
)
def test_the_year_comes_from_the_period_phrase(text, year):
    assert parse_period(text).year == year


@pytest.mark.parametrize(
    "text",
    [
        "с 31 марта по 1 января 2025",  # ends before it starts
        "с 1 по 31 февраля 2025 года",  # no such day
        "с 30.02.2025 по 31.03.2025",
        "за 5 квартал",
        "за 5 квартал 2025 года, в 2025 году",  # a wrong quarter is not replaced by the year nearby
        "за V квартал 2025 года",
        "за IIII квартал 2025 года",
        "за третье полугодие 2024 года",
        "за 13 месяцев 2024 года",
        "март – январь 2025 года",
    ],
)
def test_impossible_periods_are_refused(text):
    assert parse_period(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Отчет о мероприятиях в международной сфере",
        "Программа 2021-2025",
        "на 1 апреля 2025 года",  # a date the state is given on, not a period
        "до декабря 2025 года",
        "с 1 января по 31 марта",  # no year anywhere
    ],
)
def test_no_period_named(text):
    assert parse_period(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025-Q1", Period(D(2025, 1, 1), D(2025, 3, 31), 2025, 1, None, "quarter")),
        ("2025-q4", Period(D(2025, 10, 1), D(2025, 12, 31), 2025, 4, None, "quarter")),
        ("2025-H1", Period(D(2025, 1, 1), D(2025, 6, 30), 2025, None, 1, "half")),
        ("2025-H2", Period(D(2025, 7, 1), D(2025, 12, 31), 2025, None, 2, "half")),
        ("2025-9M", Period(D(2025, 1, 1), D(2025, 9, 30), 2025, None, None, "nine_months")),
        ("2025", Period(D(2025, 1, 1), D(2025, 12, 31), 2025, None, None, "year")),
        ("2025-03", Period(D(2025, 3, 1), D(2025, 3, 31), 2025, None, None, "month")),
        (" 2024-02 ", Period(D(2024, 2, 1), D(2024, 2, 29), 2024, None, None, "month")),
        ("2025-01-01..2025-03-31", Period(D(2025, 1, 1), D(2025, 3, 31), 2025, 1, None, "range")),
        ("2025-02-10..2025-05-20", Period(D(2025, 2, 10), D(2025, 5, 20), 2025, None, None, "range")),
    ],
)
def test_period_option(text, expected):
    assert parse_period_option(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("2025-Q5", "quarters 1 to 4"),
        ("2025-H3", "half-years 1 and 2"),
        ("2025-13", "01 to 12"),
        ("2025-03-31..2025-01-01", "ends .* before it starts"),
        ("2025-02-30..2025-03-31", "YYYY-MM-DD"),
        ("Q1 2025", "expected 2025"),
        ("первый квартал", "is not a period"),
        ("", "is not a period"),
    ],
)
def test_period_option_refusals(text, message):
    with pytest.raises(ValueError, match=message):
        parse_period_option(text)


@pytest.mark.parametrize(
    "lines, year, quarter, half, period",
    [
        (["Отчет … Брянской области", "за 2 квартал 2024 года"], 2024, 2, None, (D(2024, 4, 1), D(2024, 6, 30))),
        (["Информация Тверской области", "за первое полугодие 2024 года"], 2024, None, 1, (D(2024, 1, 1), D(2024, 6, 30))),
        (["Отчет Псковской области", "за 9 месяцев 2024 года"], 2024, None, None, (D(2024, 1, 1), D(2024, 9, 30))),
        (["Отчет Республики Карелия", "за 2024 год"], 2024, None, None, (D(2024, 1, 1), D(2024, 12, 31))),
        (["Отчет Калужской области", "за март 2025 года"], 2025, None, None, (D(2025, 3, 1), D(2025, 3, 31))),
        (["Отчет Курской области", "с 1 января по 31 марта 2025 года"], 2025, 1, None, (D(2025, 1, 1), D(2025, 3, 31))),
        (["Отчет Орловской области", "за период", "с 01.01.2025 по 30.06.2025"], 2025, None, 1, (D(2025, 1, 1), D(2025, 6, 30))),
        (["Реализация Программы 2021-2025 Смоленской области", "за 1 полугодие 2024 года"], 2024, None, 1, (D(2024, 1, 1), D(2024, 6, 30))),
        (["Отчет Смоленской области", "за 5 квартал 2025 года"], None, None, None, None),
    ],
)
def test_parse_title_keeps_the_period(lines, year, quarter, half, period):
    meta = parse_title(lines, file="x")
    assert (meta.year, meta.quarter, meta.half, meta.period) == (year, quarter, half, period)


def test_parse_title_stores_days_only_for_spans_a_year_number_cannot_say():
    quarter = parse_title(["Отчет", "в I квартале 2025 года"], file="x")
    assert (quarter.period_start, quarter.period_end) == (None, None)
    nine = parse_title(["Отчет", "за девять месяцев 2024 г."], file="x")
    assert (nine.year, nine.period_start, nine.period_end) == (2024, D(2024, 1, 1), D(2024, 9, 30))
