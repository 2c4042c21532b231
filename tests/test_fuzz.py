"""Property-based tests: on any input, a result or the project's own error with a location."""
from __future__ import annotations

import datetime
import importlib.util
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smolgraph.errors import ReportError, SmolgraphError
from smolgraph.extract.dates import DateError, extract_dates
from smolgraph.read import read_report

from conftest import ROOT

CASES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
russian = st.text(alphabet=st.sampled_from(list("абвгдежзийклмнопрстуфхцчшщыьэюяАВГДМНОСТ.,-–() 0123456789\n\t«»")), max_size=200)
date_words = st.lists(
    st.sampled_from(["1", "3", "15", "28", "31", "30", "-", "–", "с", "по", "января", "февраля", "марта", "май", "июня",
                     "декабря", "2024", "2025", "года", "17.06.2025", "31.02.2025", "февраль", "март", "г."]),
    max_size=8,
).map(" ".join)


@CASES
@given(st.one_of(russian, date_words, st.text(max_size=80)))
def test_dates_return_a_span_or_raise_date_error(text):
    try:
        span = extract_dates(text, year=2025)
    except DateError as error:
        assert str(error)
        return
    if span is not None:
        assert isinstance(span.start, datetime.date) and span.start <= span.end
        assert span.precision in {"day", "month"}


@CASES
@given(st.binary(max_size=2000))
def test_text_reader_on_any_bytes(tmp_path, data):
    path = tmp_path / "fuzz.txt"
    path.write_bytes(data)
    try:
        report = read_report(path)
    except ReportError as error:
        assert "fuzz.txt" in str(error)
        return
    assert all(row.number >= 0 for row in report.rows)


cells = st.lists(st.one_of(russian, st.sampled_from(["1.", "2.", "12.", "Сотрудничество в сфере спорта", "г. Минск", "3 февраля 2025 года"])), max_size=20)


@CASES
@given(cells)
def test_text_reader_on_report_like_text(tmp_path, parts):
    header = "\t№ п/п\n\tНаименование мероприятия\n\tМесто проведения\n\tСроки проведения\n\tУчастники\n\n"
    path = tmp_path / "fuzz.txt"
    path.write_text("Отчет … Смоленской области в I квартале 2025 года\n\n" + header + "".join(f"\t{p}\n" for p in parts), encoding="utf-8")
    try:
        report = read_report(path)
    except ReportError as error:
        assert "fuzz.txt" in str(error)
        return
    assert len({row.number for row in report.rows}) == len(report.rows)


@CASES
@given(st.one_of(russian, st.text(max_size=60)))
def test_place_resolver_and_finder_never_crash(gazetteer, text):
    for place in gazetteer.resolve(text):
        assert place.id in gazetteer
    for match in gazetteer.find(text):
        assert 0 <= match.start < match.end <= len(text)
    assert isinstance(gazetteer.suggest(text), list)


@CASES
@given(st.one_of(russian, st.text(max_size=60)))
def test_person_and_place_parameters_never_break_a_query(gazetteer, text):
    from smolgraph.ask import get_query, bind_params

    try:
        bindings = bind_params(get_query("events-with-person"), {"person": text}, gazetteer=gazetteer)
    except SmolgraphError:
        return
    assert "surname" in bindings


def _fuzz_readers():
    """bench/fuzz_readers.py as a module: the test runs a small share of what the script runs."""
    spec = importlib.util.spec_from_file_location("fuzz_readers", ROOT / "bench" / "fuzz_readers.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("fuzz_readers", module)  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_damaged_word_and_excel_files_end_in_a_report_or_a_report_error(tmp_path):
    """300 mutated .docx and .xlsx files, each read in a child under 1 GB and 20 s of CPU.

    A crash, a hang, a limit hit or any exception but ReportError is a
    finding; a few survivors are then ingested, and the refused ones must
    leave the store's quads as they were.
    """
    fuzz = _fuzz_readers()
    summary = fuzz.run(300, seed=15, folder=tmp_path)
    assert not summary["findings"], summary["findings"][:3]
    tally = summary["tally"]
    for kind in (".docx report", ".docx refused", ".xlsx report", ".xlsx refused"):
        assert tally.get(kind, 0) > 10, tally  # the mutations reach both outcomes of both readers
    ingested = fuzz.ingest_survivors(summary["survivors"], 4, seed=15)
    assert not ingested["problems"], ingested
    assert ingested["tally"].get("refused, store unchanged", 0) >= 2, ingested
