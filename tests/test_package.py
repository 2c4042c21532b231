"""The built wheel carries the project's data and works away from the checkout.

The wheel is built once for the module and installed into a venv of its own,
which borrows the test environment's dependencies through a ``.pth`` line
instead of downloading them: the point is what the wheel holds, not whether
PyPI answers. ``.ci/run`` does the full install from PyPI.
"""
from __future__ import annotations

import importlib.util
import json
import os
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("build", reason="the wheel is built with `build` (the test extra: pip install -e '.[test]')")

import smolgraph
from smolgraph._paths import resources_root
from smolgraph.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "invented-smolensk-2025-q2.docx"
PLACE = "Витебская область"
#: Rows of the sample with a partner in Vitebsk oblast or under it (the demo's first answer).
VITEBSK_ROWS = {1, 10, 12, 15, 19}


def _repo_files(pattern: str) -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob(pattern) if p.is_file())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist)]
    # With hatchling at hand (the test extra) the build needs no network; otherwise build
    # fetches it into an isolated environment, as pip does.
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-isolation")
    done = subprocess.run([*command, str(ROOT)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    [built] = dist.glob("smolgraph-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv holding the wheel; the dependencies come from this test environment."""
    home = tmp_path_factory.mktemp("wheel-venv")
    venv.create(home, with_pip=False)
    python = home / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # Appended after the venv's own site-packages, so the wheel's smolgraph wins over the editable
    # one; .pth files inside these folders are not run, so the editable install's path hook stays out.
    Path(purelib, "borrowed-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                           "--no-index", "-q", str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return home


def _away_env(tmp: Path) -> dict[str, str]:
    """The environment of a user who never saw the checkout, with caches in ``tmp``."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"SMOLGRAPH_HOME", "SMOLGRAPH_STORE", "SMOLGRAPH_CACHE", "PYTHONPATH", "VIRTUAL_ENV"}}
    env.update(XDG_CACHE_HOME=str(tmp / "xdg-cache"), HOME=str(tmp / "home"), SMOLGRAPH_LANG="en")
    return env


def _package_files(home: Path) -> set[Path]:
    [package] = home.glob("lib/python*/site-packages/smolgraph")
    return {p for p in package.rglob("*") if "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def demo(installed, tmp_path_factory):
    """``smolgraph demo`` of the installed wheel, run from a folder outside the checkout."""
    away = tmp_path_factory.mktemp("away")
    assert not away.is_relative_to(ROOT)
    before = _package_files(installed)
    env = _away_env(away)
    done = subprocess.run([str(installed / "bin" / "smolgraph"), "demo", "--out", "demo-out"], cwd=away, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return away, env, done.stdout, before


def test_wheel_holds_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = (_repo_files("ontology/*") + _repo_files("shapes/*.ttl") + _repo_files("queries/*.rq")
              + _repo_files("data/lexicon/*.txt")
              + ["data/gazetteer/places.csv", "data/gazetteer/SOURCES.md", f"data/samples/{SAMPLE}"])
    missing = [f for f in wanted if f"smolgraph/_resources/{f}" not in names]
    assert not missing, f"not in the wheel: {missing}"
    assert "smolgraph/locale/ru/LC_MESSAGES/smolgraph.po" in names
    assert len(_repo_files("queries/*.rq")) >= 5 and len(_repo_files("data/lexicon/*.txt")) >= 10
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_the_installed_package_reads_its_own_copies(installed, tmp_path):
    probe = "import smolgraph, smolgraph._paths as p; print(smolgraph.__file__); print(p.resources_root())"
    done = subprocess.run([str(installed / "bin" / "python"), "-c", probe], cwd=tmp_path, env=_away_env(tmp_path),
                          capture_output=True, text=True, check=True)
    module, root = (Path(line) for line in done.stdout.splitlines())
    assert module.is_relative_to(installed) and root.is_relative_to(installed), done.stdout
    assert root.name == "_resources"


def test_demo_from_the_wheel_answers(demo):
    away, _, out, _ = demo
    assert "22 events" in out and "conforms" in out
    assert "(5 rows)" in out  # the contacts with Vitebsk oblast
    assert (away / "demo-out" / "network.html").is_file()
    # It names its store, which is the default one, so the README's next command works as written.
    assert str(away / ".smolgraph" / "store") in out
    assert f'smolgraph contacts "{PLACE}"' in out


def test_the_next_command_answers_as_from_the_checkout(installed, demo, tmp_path, capsys):
    away, env, _, _ = demo
    done = subprocess.run([str(installed / "bin" / "smolgraph"), "contacts", PLACE, "--format", "json"],
                          cwd=away, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    from_wheel = json.loads(done.stdout)
    assert {r["row"] for r in from_wheel} == VITEBSK_ROWS

    store = tmp_path / "store"
    assert main(["--store", str(store), "ingest", str(ROOT / "data" / "samples" / SAMPLE)]) == 0
    capsys.readouterr()
    assert main(["--store", str(store), "contacts", PLACE, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == from_wheel


def test_nothing_is_written_beside_the_installed_data(installed, demo):
    away, _, _, before = demo
    # site-packages may be read-only (a system install, pipx as another user): the gazetteer's
    # index cache goes to the user cache folder, and the package folder stays as pip left it.
    assert _package_files(installed) == before
    assert list((away / "xdg-cache" / "smolgraph").glob("gazetteer-*.pickle"))


def test_an_editable_install_reads_the_checkout(monkeypatch):
    if not Path(smolgraph.__file__).resolve().is_relative_to(ROOT / "src"):
        pytest.skip("smolgraph is not imported from this checkout (installed from a wheel)")
    monkeypatch.delenv("SMOLGRAPH_HOME", raising=False)
    # An edit to a query or the lexicon must count without reinstalling.
    assert resources_root() == ROOT
