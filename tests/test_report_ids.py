"""A report's id (issue 15 item 1): two different reports never share one, the same report keeps its own.

The id used to be the file stem with every non-ASCII letter cut out, so
Cyrillic names collapsed ("Смоленская область.docx" and "Отчёт за второй
квартал.docx" both gave ``report``) and a second ingest replaced the first
report without a word. These tests write small reports with python-docx
(see ``conftest.report_document``) under the names of the issue.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import report_document
from smolgraph.build import GraphText
from smolgraph.errors import ValidationError
from smolgraph.ingest import ingest
from smolgraph.records import ReportMeta
from smolgraph.store import EmbeddedStore

SMOLENSK_Q1 = "Отчет о международных мероприятиях Смоленской области за I квартал 2025 года"
SMOLENSK_Q2 = "Отчет о международных мероприятиях Смоленской области за II квартал 2025 года"
SMOLENSK_2024_Q1 = "Отчет о международных мероприятиях Смоленской области за I квартал 2024 года"
BRYANSK_Q1 = "Отчет о международных мероприятиях Брянской области за I квартал 2025 года"

_ROWS = [
    ["1.", "Турнир по волейболу с командой г. Гомеля", "г. Смоленск", "{month} {year} года", "Команды Гомельской области"],
    ["2.", "Концерт белорусских исполнителей", "г. Витебск", "{month} {year} года", "Артисты"],
    ["3.", "Переговоры с делегацией Витебской области", "г. Смоленск", "{month} {year} года", "Делегация"],
]
_MONTH = {"I квартал 2025": ("12 марта", 2025), "II квартал 2025": ("12 мая", 2025), "I квартал 2024": ("12 марта", 2024)}


def _write(path: Path, title: str, rows: int) -> Path:
    """A report named ``path`` with the title ``title`` and its first ``rows`` rows, dated inside its period."""
    month, year = next(v for k, v in _MONTH.items() if k in title)
    cells = [[c.format(month=month, year=year) for c in row] for row in _ROWS[:rows]]
    document, _ = report_document(cells, title=title)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


_EVENTS_PER_REPORT = """PREFIX sg: <https://w3id.org/smolgraph/ontology#>
SELECT ?id ?file (COUNT(?e) AS ?n) WHERE {
  ?r a sg:Report ; sg:reportId ?id ; sg:sourceFile ?file . ?e a sg:Event ; sg:report ?r
} GROUP BY ?id ?file"""


def _events(store) -> dict[str, tuple[str, int]]:
    """Each stored report's id with its source file and number of events."""
    _, rows = store.select_values(_EVENTS_PER_REPORT)
    return {rid: (file, int(n)) for rid, file, n in rows}


def _report_graphs(store) -> list[str]:
    return sorted(g.rsplit("/", 1)[-1] for g in store.graphs() if "/graph/report/" in g)


# The two collisions of the issue: each pair used to give one id ("report", "1-2025").
COLLISIONS = [
    (("Смоленская область.docx", SMOLENSK_Q1, 2), ("Отчёт за второй квартал.docx", SMOLENSK_Q2, 3),
     ("smolenskaya-oblast", "otchet-za-vtoroy-kvartal")),
    (("Отчет_Смоленская_обл_1_кв_2025.docx", SMOLENSK_Q1, 2), ("Отчет_Брянская_обл_1_кв_2025.docx", BRYANSK_Q1, 3),
     ("otchet-smolenskaya-obl-1-kv-2025", "otchet-bryanskaya-obl-1-kv-2025")),
]


@pytest.mark.parametrize("first, second, ids", COLLISIONS, ids=["region-and-quarter", "two-regions"])
def test_cyrillic_names_ingested_in_two_commands_stay_two_reports(tmp_path, first, second, ids):
    store = EmbeddedStore(None)
    [a] = ingest([_write(tmp_path / first[0], first[1], first[2])], store)
    [b] = ingest([_write(tmp_path / second[0], second[1], second[2])], store)
    assert (a.report_id, b.report_id) == ids
    assert _events(store) == {ids[0]: (first[0], 2), ids[1]: (second[0], 3)}
    assert "stored as" not in a.summary() + b.summary()


def test_reingesting_the_same_file_replaces_it(tmp_path):
    store = EmbeddedStore(None)
    path = tmp_path / "Отчет_Смоленская_обл_1_кв_2025.docx"
    ingest([_write(path, SMOLENSK_Q1, 3)], store)
    [again] = ingest([_write(path, SMOLENSK_Q1, 2)], store)  # corrected: a row less
    assert again.report_id == "otchet-smolenskaya-obl-1-kv-2025" and "stored as" not in again.summary()
    assert _events(store) == {"otchet-smolenskaya-obl-1-kv-2025": (path.name, 2)}


def test_one_name_in_two_folders_for_two_regions_gives_two_reports(tmp_path):
    store = EmbeddedStore(None)
    smolensk = _write(tmp_path / "smolensk" / "Отчет.docx", SMOLENSK_Q1, 2)
    bryansk = _write(tmp_path / "bryansk" / "Отчет.docx", BRYANSK_Q1, 3)
    [a] = ingest([smolensk], store)
    [b] = ingest([bryansk], store)
    assert (a.report_id, b.report_id) == ("otchet", "otchet-ru-bry-2025-q1")
    assert "stored as otchet-ru-bry-2025-q1 because the store holds another report under otchet" in b.summary()
    assert _events(store) == {"otchet": ("Отчет.docx", 2), "otchet-ru-bry-2025-q1": ("Отчет.docx", 3)}
    # Either file ingested again finds its own id and replaces only its own report.
    assert [r.report_id for r in ingest([bryansk], store)] == ["otchet-ru-bry-2025-q1"]
    assert [r.report_id for r in ingest([smolensk], store)] == ["otchet"]
    assert _events(store) == {"otchet": ("Отчет.docx", 2), "otchet-ru-bry-2025-q1": ("Отчет.docx", 3)}


def test_one_name_for_two_periods_in_one_command_gives_two_reports(tmp_path):
    store = EmbeddedStore(None)
    new = _write(tmp_path / "2025" / "report.docx", SMOLENSK_Q1, 2)
    old = _write(tmp_path / "2024" / "report.docx", SMOLENSK_2024_Q1, 3)
    first, second = ingest([new, old], store)
    assert (first.report_id, second.report_id) == ("report", "report-ru-smo-2024-q1")
    assert "stored as report-ru-smo-2024-q1 because another file of this ingest is stored as report" in second.summary()
    assert _events(store) == {"report": ("report.docx", 2), "report-ru-smo-2024-q1": ("report.docx", 3)}
    # The same command again changes nothing: each file finds its own id, also when
    # workers prepare the files (the id is chosen where the store is written).
    assert [r.report_id for r in ingest([new, old], store, workers=2)] == ["report", "report-ru-smo-2024-q1"]
    assert _events(store) == {"report": ("report.docx", 2), "report-ru-smo-2024-q1": ("report.docx", 3)}


def test_one_report_twice_in_one_command_is_an_error(tmp_path):
    store = EmbeddedStore(None)
    a = _write(tmp_path / "a" / "Отчет.docx", SMOLENSK_Q1, 2)
    b = _write(tmp_path / "b" / "Отчет.docx", SMOLENSK_Q1, 3)
    with pytest.raises(ValidationError, match=r"same report id 'otchet'.*same region and period"):
        ingest([a, b], store)
    assert _report_graphs(store) == []


def _as_old_store(store: EmbeddedStore, new_id: str, old_id: str) -> EmbeddedStore:
    """A copy of ``store`` as the id scheme before issue 15 wrote it: every IRI and id of ``new_id`` under ``old_id``."""
    old = EmbeddedStore(None)
    texts = []
    for iri in store.graphs():
        body = store.graph_ntriples(iri).decode()
        for prefix in ("/report/", "/event/"):
            body = body.replace(f"{prefix}{new_id}>", f"{prefix}{old_id}>").replace(f"{prefix}{new_id}/", f"{prefix}{old_id}/")
        body = body.replace(f'"{new_id}"', f'"{old_id}"')
        texts.append(GraphText(iri.replace(f"/report/{new_id}", f"/report/{old_id}"), body.encode()))
    old.replace_graphs(texts)
    return old


def test_a_store_of_the_old_ids_is_upgraded_on_reingest(tmp_path):
    path = _write(tmp_path / "Отчет_Смоленская_обл_1_кв_2025.docx", SMOLENSK_Q1, 3)
    [written] = ingest([path], EmbeddedStore(None))
    store = EmbeddedStore(None)
    ingest([path], store)
    store = _as_old_store(store, written.report_id, "1-2025")
    assert _events(store) == {"1-2025": (path.name, 3)}
    # Another report whose old id was the same is not the one stored: it goes beside it.
    other = _write(tmp_path / "Отчет_Брянская_обл_1_кв_2025.docx", BRYANSK_Q1, 2)
    ingest([other], store)
    assert _events(store) == {"1-2025": (path.name, 3), "otchet-bryanskaya-obl-1-kv-2025": (other.name, 2)}
    # The same file again replaces its old-id graph: no duplicate, nothing of the old id left.
    [again] = ingest([_write(path, SMOLENSK_Q1, 2)], store)
    assert again.report_id == "otchet-smolenskaya-obl-1-kv-2025"
    assert _events(store) == {"otchet-smolenskaya-obl-1-kv-2025": (path.name, 2), "otchet-bryanskaya-obl-1-kv-2025": (other.name, 2)}
    assert _report_graphs(store) == ["otchet-bryanskaya-obl-1-kv-2025", "otchet-smolenskaya-obl-1-kv-2025"]
    _, left = store.select_values("SELECT ?s WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?s), '/1-2025')) } LIMIT 1")
    assert left == []


def test_names_with_nothing_to_transliterate_get_distinct_ids(tmp_path):
    ids = [ReportMeta(source_file=name).report_id for name in ("№№№.docx", "报告.docx", "报告二.docx", "A报告.docx", "A报.docx")]
    assert ids[0].startswith("report-") and ids[1].startswith("report-") and ids[3].startswith("a-")
    assert len(set(ids)) == len(ids)
    store = EmbeddedStore(None)
    [a] = ingest([_write(tmp_path / "№№№.docx", SMOLENSK_Q1, 2)], store)
    [b] = ingest([_write(tmp_path / "报告.docx", SMOLENSK_Q2, 3)], store)
    assert _events(store) == {a.report_id: ("№№№.docx", 2), b.report_id: ("报告.docx", 3)}


def test_long_names_keep_distinct_ids_of_a_sane_length():
    stem = "Отчет о международных и межрегиональных связях Смоленской области " * 3
    first, second = (ReportMeta(source_file=f"{stem}{n}.docx").report_id for n in (1, 2))
    assert first != second
    assert len(first) <= 80 and first.startswith("otchet-o-mezhdunarodnykh")


def test_ascii_names_keep_their_ids_and_an_id_can_be_set():
    assert ReportMeta(source_file="/x/smolensk-2025-q1.docx").report_id == "smolensk-2025-q1"
    assert ReportMeta(source_file="Smolensk_2025 Q1.txt").report_id == "smolensk-2025-q1"
    meta = ReportMeta(source_file="Отчет.docx")
    meta.report_id = "otchet-ru-bry-2025-q1"
    assert meta.report_id == "otchet-ru-bry-2025-q1"
