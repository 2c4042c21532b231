"""Every named question answers the real Q1 2025 report as it did before the ontology's 1.0 (issue 17).

``tests/data/answers-smolensk-2025-q1.json`` holds the answers of every named
question (with the parameters below) on the real report, written by this
module before the model changed. A change to the ontology, the builder or the
queries that moves an answer fails here; regenerate with
``python tests/test_answers_pinned.py`` only when an answer is meant to change,
and review the diff.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from conftest import digested

PINNED = Path(__file__).with_name("data") / "answers-smolensk-2025-q1.json"

#: The parameters each question is asked with.
QUESTIONS = {
    "contacts": [{"place": "Витебская область"}, {"place": "Беларусь"}, {"place": "Оршанский район"}, {"place": "Китай"}],
    "events-with-person": [{"person": "Стрельцов"}, {"person": "Анохиным"}],
    "events-per-sphere": [{}],
    "events": [{}],
    "online-events": [{}],
    "partners-by-country": [{}],
    "signed-documents": [{}],
}


def answers(report: Path, store_dir: Path) -> dict:
    """Question → list of (parameters, rows as plain JSON values), rows in the question's order."""
    from smolgraph.ask import rows_as_python, run_named
    from smolgraph.ingest import ingest
    from smolgraph.store import open_store

    store = open_store(store_dir)
    ingest([report], store)
    out = {}
    for name, asked in QUESTIONS.items():
        out[name] = [
            {"params": params, "rows": digested(json.loads(json.dumps(rows_as_python(run_named(store, name, params)), default=str, ensure_ascii=False)))}
            for params in asked
        ]
    store.close()
    return out


def test_every_question_answers_as_pinned(real_docx, tmp_path):
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    got = answers(real_docx, tmp_path / "store")
    assert set(got) == set(pinned)
    for name in pinned:
        for before, now in zip(pinned[name], got[name]):
            assert now["params"] == before["params"]
            assert now["rows"] == before["rows"], f"{name} {before['params']} answers differently"


if __name__ == "__main__":  # regenerate: python tests/test_answers_pinned.py
    import tempfile

    sys.path.insert(0, str(Path(__file__).parent))
    from conftest import REAL_DOCX

    with tempfile.TemporaryDirectory() as scratch:
        data = answers(REAL_DOCX, Path(scratch) / "store")
    PINNED.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {sum(len(v) for v in data.values())} answers to {PINNED}")
