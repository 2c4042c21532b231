"""What was read with a doubt stays in the graph: on the row it is about, and counted in the reports' listing."""
from __future__ import annotations

import smolgraph.api as library
from conftest import report_document
from smolgraph.store import open_store
from smolgraph.vocab import SG


def test_a_row_without_a_date_keeps_its_warning(tmp_path):
    document, _table = report_document([
        "Сотрудничество в сфере культуры",
        ["1.", "Концерт в г. Витебске", "г. Витебск, Республика Беларусь", "в течение квартала", "Артисты"],
        ["2.", "Выставка в г. Минске", "г. Минск, Республика Беларусь", "12 марта 2025 г.", "Художники"],
    ])
    path = tmp_path / "report.docx"
    document.save(path)
    (result,) = library.ingest(path, store=tmp_path / "store")
    assert any("no date found" in w for w in result.warnings)

    store = open_store(tmp_path / "store", read_only=True)
    said = store.query(f"SELECT ?label ?said WHERE {{ ?row <{SG.readingWarning}> ?said ; <{SG.rowNumber}> ?label }}").rows
    assert [(int(r["label"]), "no date found" in str(r["said"])) for r in said] == [(1, True)]
    (listed,) = library.ask("reports", store=tmp_path / "store")
    assert listed["warnings"] == 1
    assert listed["warning_texts"].startswith("1: no date found")
    assert result.validation.conforms  # ingest checked the warnings against the shapes
