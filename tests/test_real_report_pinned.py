"""The real Q1 2025 report gives the facts it gave before reading became general.

``tests/data/smolensk-2025-q1.facts.json`` holds every extracted field of all
35 rows (not the cell text: the report itself stays in ../shared), written
by this module before the layout work of issue 14 began. A change to reading
or extraction that moves any fact of the real report fails here; when a
change is meant to improve a fact, regenerate the file with
``python tests/test_real_report_pinned.py`` and review its diff.
"""
from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import pytest

from conftest import digested

PINNED = Path(__file__).with_name("data") / "smolensk-2025-q1.facts.json"


def facts_of(path: Path, gazetteer) -> list[dict]:
    """Every field of every extracted event, as plain JSON values, without the cells' text."""
    from smolgraph.extract import extract_report
    from smolgraph.read import read_report

    out = []
    for event in extract_report(read_report(path), gazetteer=gazetteer):
        record = dataclasses.asdict(event)
        record.pop("cells")
        out.append(digested(json.loads(json.dumps(record, default=str, ensure_ascii=False))))
    return out


@pytest.mark.parametrize("fixture", ["real_txt", "real_docx"])
def test_real_report_gives_the_pinned_facts(fixture, request, gazetteer):
    path = request.getfixturevalue(fixture)
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    got = facts_of(path, gazetteer)
    assert len(got) == len(pinned) == 35
    for before, now in zip(pinned, got):
        # Fields added since are checked by their own tests; the pinned ones must not move.
        assert _as_pinned(now, before) == before, f"row {before['row']} changed"


def _as_pinned(now, before):
    """``now`` cut down to the fields ``before`` pins, at every depth.

    A field added since (a person's ``role_kind``, issue 17) is checked by its
    own tests; what was pinned must not move, whatever is added beside it.
    """
    if isinstance(before, dict) and isinstance(now, dict):
        return {key: _as_pinned(now.get(key), value) for key, value in before.items()}
    if isinstance(before, list) and isinstance(now, list) and len(now) == len(before):
        return [_as_pinned(n, b) for n, b in zip(now, before)]
    return now


if __name__ == "__main__":  # regenerate: python tests/test_real_report_pinned.py
    sys.path.insert(0, str(Path(__file__).parent))
    from conftest import REAL_TXT

    from smolgraph.gazetteer import load_gazetteer

    facts = facts_of(REAL_TXT, load_gazetteer())
    PINNED.write_text(json.dumps(facts, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(facts)} rows to {PINNED}")
