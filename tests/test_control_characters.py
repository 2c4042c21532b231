"""Control characters in a report's cells (issue 15 item 10): dropped at reading, named in a warning, never in an output."""
from __future__ import annotations

from xml.dom import minidom

from smolgraph.cli import main

ESC, NUL = "\x1b", "\x00"


def _dirty_copy(real_txt, tmp_path):
    text = real_txt.read_text(encoding="utf-8")
    # The title cell of row 2 gets a NUL and a terminal escape.
    assert "\tВизит делегации Смоленской области" in text
    text = text.replace("\tВизит делегации Смоленской области", f"\tВизит делегации{NUL} Смоленской{ESC}[31m области", 1)
    path = tmp_path / "smolensk-2025-q1.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_control_characters_are_dropped_with_a_warning_and_outputs_stay_well_formed(real_txt, tmp_path, capsys):
    path = _dirty_copy(real_txt, tmp_path)
    store = str(tmp_path / "store")
    assert main(["--store", store, "ingest", str(path)]) == 0
    warnings = capsys.readouterr().err  # results on stdout, warnings on stderr
    assert "control characters (NUL, ESC …) removed from the cells 'Наименование мероприятия'" in warnings
    assert main(["--store", store, "contacts", "Минск"]) == 0
    table = capsys.readouterr().out
    assert ESC not in table and NUL not in table
    target = tmp_path / "graph.rdf"
    assert main(["--store", store, "export", "--format", "xml", "-o", str(target)]) == 0
    minidom.parse(str(target))  # well-formed XML 1.0: raises otherwise
    assert ESC not in target.read_text(encoding="utf-8")
