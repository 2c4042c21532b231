"""bench/graphgen.py's fast N-Quads writer writes what the builder builds, triple for triple.

The writer copies build_report_graph by hand, for speed; these tests keep it
from drifting when the ontology changes (as it did in 1.0).
"""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import graphgen  # noqa: E402  (bench/ is not a package)

from smolgraph.build import _ROLE_KINDS  # noqa: E402
from smolgraph.gazetteer import load_gazetteer  # noqa: E402


def test_writer_matches_build_on_300_events():
    assert graphgen.check_matches_build(300) > 0


def test_generated_events_cover_every_attendance_mode():
    gazetteer = load_gazetteer()
    text = "".join(line for meta, events in graphgen.make_reports(300, gazetteer=gazetteer)
                   for line in graphgen.report_quads(meta, events, gazetteer))
    for mode in ("Offline", "Online", "Mixed"):
        assert f"<https://schema.org/{mode}EventAttendanceMode>" in text
    assert "ontology#online>" not in text and "ontology#hybrid>" not in text


def test_writer_matches_build_with_role_kinds_and_a_fuller_later_mention():
    # What make_reports does not fill: every role kind, and an organisation first named bare.
    gazetteer = load_gazetteer()
    meta, events = next(iter(graphgen.make_reports(60, gazetteer=gazetteer)))
    kinds = sorted(_ROLE_KINDS) + [None]
    people = [p for e in events for p in e.people]
    assert len(people) >= len(kinds)
    for i, person in enumerate(people):
        person.role_kind = kinds[i % len(kinds)]
    org = next(o for e in events[1:] for o in e.foreign_orgs if o.region_id)
    events[0].mentioned_orgs.append(dataclasses.replace(org, side="context", country=None, region_id=None))
    assert graphgen.compare_with_build(meta, events, gazetteer) > 0
