"""The README's tour runs as written (issue 16): every command of "A short tour", top to bottom, then its Python.

The tour names files a reader has (report.docx, other-report.txt, report.xlsx,
odd.docx, my-question.rq); they are written into a fresh folder from the
invented sample and the layouts of ``tests/corpus.py``, and the commands run
there, after the first of "The two commands" (the demo), as a reader would.
The Russian section must give the same commands.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import corpus
from conftest import SAMPLES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

#: A command that the README documents as ending with another code than 0 (none in the tour today).
EXPECTED_CODES: dict[str, int] = {}

MY_QUESTION = """\
# How many events each report holds
PREFIX sg: <https://w3id.org/smolgraph/ontology#>
SELECT ?report (COUNT(?event) AS ?events)
WHERE { ?event a sg:Event ; sg:report/sg:reportId ?report }
GROUP BY ?report
ORDER BY ?report
"""


def section(title: str) -> str:
    """The text of the README's ``## title`` section, its ``###`` subsections included."""
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.S | re.M)
    assert found, f"README has no section '## {title}'"
    return found.group(1)


def subsection(text: str, title: str) -> str:
    found = re.search(rf"^### {re.escape(title)}\n(.*?)(?=^### |\Z)", text, re.S | re.M)
    assert found, f"no subsection '### {title}'"
    return found.group(1)


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.S | re.M)


def commands(block: str) -> list[str]:
    """The command lines of a bash block, comments left out."""
    lines = (re.sub(r"(^|\s+)#.*$", "", line).strip() for line in block.splitlines())
    return [line for line in lines if line]


def _tour_files(folder: Path) -> None:
    shutil.copy(SAMPLES / "invented-smolensk-2025-q2.docx", folder / "report.docx")
    made = folder / "made"
    for layout, name, region in (
        ("xlsx", "report.xlsx", "Смоленская область"),
        ("text_dump", "other-report.txt", corpus.OTHER_REGION),  # another region's report: one store for several
        ("sphere_column_unknown_header", "odd.docx", "Смоленская область"),  # a "Тематика" column no rule knows
    ):
        shutil.move(corpus.write_layout(layout, made, region=region), folder / name)
    (folder / "my-question.rq").write_text(MY_QUESTION, encoding="utf-8")
    shutil.rmtree(made)


def _environment(folder: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "SMOLGRAPH_STORE"}  # the default store, as written
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])  # this venv's smolgraph
    env["COLUMNS"] = "200"
    return env


@pytest.fixture
def tour_folder(tmp_path) -> Path:
    _tour_files(tmp_path)
    return tmp_path


def test_the_tour_runs_as_written(tour_folder):
    if shutil.which("smolgraph", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("the smolgraph command is not installed beside this Python")
    first = commands(blocks(section("The two commands"), "bash")[0])[0]
    demo = first.split("&&")[-1].strip()
    assert demo.startswith("smolgraph "), first
    tour = [line for block in blocks(section("A short tour"), "bash") for line in commands(block)]
    assert len(tour) >= 10 and all(line.startswith("smolgraph ") for line in tour)
    env = _environment(tour_folder)
    for line in [demo, *tour]:
        done = subprocess.run(["bash", "-o", "pipefail", "-c", line], cwd=tour_folder, env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == EXPECTED_CODES.get(line, 0), f"{line}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        if line.startswith("smolgraph contacts"):
            assert "Витебск" in done.stdout, line  # an answer, not only a header
        if line.startswith("smolgraph ask events-with-person"):
            assert "Крылов" in done.stdout, line
    assert (tour_folder / "graph.trig").stat().st_size > 0
    assert (tour_folder / ".smolgraph" / "store").is_dir()


def _run_python(code: str, folder: Path) -> str:
    script = folder / "tour.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=folder, env=_environment(folder),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{code}\n{done.stderr[-3000:]}"
    return done.stdout


def test_the_python_of_the_tour_and_of_the_api_section_runs(tour_folder):
    pytest.importorskip("pandas")  # the tour turns rows into a DataFrame
    code = "\n".join(blocks(section("A short tour"), "python") + blocks(section("The Python API"), "python"))
    assert "smolgraph.contacts(" in code and "to_dataframe()" in code
    out = _run_python(code, tour_folder)
    assert "Смоленская область" in out and "Псковская область" in out  # contacts per reporting region
    assert "Р.С. Крылов" in out and "Беларусь" in out


def test_the_python_of_the_russian_section_runs(tour_folder):
    pytest.importorskip("pandas")
    code = "\n".join(blocks(section("По-русски"), "python"))
    assert code
    _run_python(code + "\nprint(len(frame))\n", tour_folder)


def test_the_russian_section_gives_the_same_commands():
    russian = section("По-русски")
    for english, title in ((section("The two commands"), "Две команды"), (section("A short tour"), "Краткий обзор")):
        same = [commands(block) for block in blocks(english, "bash")]
        assert [commands(block) for block in blocks(subsection(russian, title), "bash")] == same, title
