"""The API reference builds from the docstrings with pdoc, as the README says, and documents the top-level functions."""
from __future__ import annotations

import html
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pdoc")

import smolgraph  # noqa: E402
import smolgraph.api as api  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: The command of the README, which writes into build/api (``-o`` is replaced here by a folder of the test).
COMMAND = "python -m pdoc --docformat numpy -o build/api smolgraph"


def _text(page: Path) -> str:
    """A page's words: tags dropped, entities and spaces undone."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))).split())


def _first_sentence(function) -> str:
    """The docstring's first sentence, without the markup pdoc renders (``code``, :func:`x`)."""
    doc = " ".join(inspect.getdoc(function).split("\n\n")[0].split())
    doc = re.sub(r":\w+:`~?([^`]+)`", r"\1", doc).replace("``", "")
    return doc.split(": ")[0].split(" (")[0]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("api-reference")
    args = COMMAND.split()[1:]
    args[args.index("-o") + 1] = str(out)
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SMOLGRAPH_LANG": "en"})
    assert done.returncode == 0, done.stderr
    return out


def test_the_readme_says_how_to_build_it():
    assert COMMAND in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_top_level_function_has_its_documented_entry(reference):
    page = reference / "smolgraph" / "api.html"
    source = page.read_text(encoding="utf-8")
    text = _text(page)
    for name in api.__all__:
        assert f'id="{name}"' in source, name
        function = getattr(api, name)
        assert _first_sentence(function) in text, name


def test_the_package_page_lists_the_api(reference):
    page = reference / "smolgraph.html"
    source = page.read_text(encoding="utf-8")
    text = _text(page)
    assert "The Python API, at the package's top level" in text
    for name in ("contacts", "open_store", "inspect_report", "read_report", "dataset", "to_dataframe", "Rows"):
        assert f'id="{name}"' in source, name
        assert _first_sentence(getattr(smolgraph, name)) in text, name
    # ingest, ask and network are the modules of those names (calling one is the function of smolgraph.api)
    for name in ("ingest", "ask", "network", "api", "store", "errors"):
        assert (reference / "smolgraph" / f"{name}.html").exists(), name
    assert "Read, check and store report files" in _text(reference / "smolgraph" / "api.html")
