"""The import contract: the layers of smolgraph depend one way (read → extract → build → validate → store → ask/network/export → cli).

Every module's imports are read with ``ast`` (imports inside functions
included: a lazy import is still a dependency) and checked against the
layer each module belongs to. A module may import its own layer and the
layers it is allowed to see; never one above it, and never a private name
(``_name``) of another module.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "smolgraph"

#: Which layer each module is in: the first prefix that matches wins.
LAYER_OF = [
    ("base", ("_cache", "_gc", "_paths", "errors", "i18n", "slugs", "textout", "sparql_text", "vocab", "records", "lexicon", "storeapi")),
    ("read", ("read",)),
    ("extract", ("extract", "morph", "gazetteer")),
    ("build", ("build",)),
    ("validate", ("validate",)),
    ("store", ("store", "remote", "http")),
    ("inspect", ("inspection",)),
    ("use", ("ingest", "ask", "network", "export", "describe", "push", "output", "ontology_docs", "upgrade", "sparql_protocol")),
    ("app", ("serve", "demo", "api")),
    ("cli", ("cli", "app")),  # the workbench (smolgraph.app) is a consumer of the library beside the CLI
    ("package", ("",)),
]

#: What each layer may import besides itself. The pipeline stages do not see
#: each other except through data (records, graphs): the store stores any RDF
#: and knows nothing of the builder; reading knows formats, not meaning.
MAY_IMPORT = {
    "base": set(),
    "read": {"base"},
    "extract": {"base"},
    "build": {"base", "extract"},
    "validate": {"base", "build"},
    "store": {"base"},
    "inspect": {"base", "read", "extract"},
    "use": {"base", "read", "extract", "build", "validate", "store"},
    "app": {"base", "read", "extract", "build", "validate", "store", "inspect", "use"},
    "cli": {"base", "read", "extract", "build", "validate", "store", "inspect", "use", "app"},
    "package": {"base", "read", "extract", "build", "validate", "store", "inspect", "use", "app", "cli"},
}

#: Backward imports in files other people are changing now; each goes when its file is next touched.
#: The test fails when one is gone, so this list only shrinks.
PENDING: dict[tuple[str, str], str] = {}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _layer(module: str) -> str:
    for layer, prefixes in LAYER_OF:
        for prefix in prefixes:
            if module == prefix or (prefix and module.startswith(prefix + ".")) or (not prefix and module == ""):
                return layer
    raise AssertionError(f"smolgraph.{module} is in no layer: add it to LAYER_OF")


def _imports(module: str, path: Path, known: dict[str, Path]) -> list[tuple[str, list[str], int]]:
    """``(imported module, names, line)`` for every import of smolgraph's own modules."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    package = [p for p in package if p]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module and (node.module == "smolgraph" or node.module.startswith("smolgraph.")):
                target = node.module.removeprefix("smolgraph").lstrip(".")
            else:
                continue
            names = [a.name for a in node.names]
            # ``from . import morph`` imports the module smolgraph.morph, not a name of the package.
            submodules = [n for n in names if ".".join(filter(None, [target, n])) in known]
            for name in submodules:
                out.append((".".join(filter(None, [target, name])), [], node.lineno))
            rest = [n for n in names if n not in submodules]
            if rest:
                out.append((target, rest, node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "smolgraph" or alias.name.startswith("smolgraph."):
                    out.append((alias.name.removeprefix("smolgraph").lstrip("."), [], node.lineno))
    return out


def _violations() -> dict[tuple[str, str], str]:
    known = _modules()
    found = {}
    for module, path in known.items():
        layer = _layer(module)
        for target, names, line in _imports(module, path, known):
            where = f"smolgraph/{path.relative_to(SRC)}:{line}"
            if target != module and names and target == "" and all(n.startswith("__") for n in names):
                continue  # the package's metadata (__version__) is no dependency on what it re-exports
            if target != module:
                private = [n for n in names if n.startswith("_") and not n.startswith("__") and n != "_"]
                if private and not module.startswith("i18n"):
                    found[(module, f"{target}.{private[0]}")] = f"{where}: imports the private name {private[0]} of smolgraph.{target}"
            wanted = _layer(target)
            if wanted != layer and wanted not in MAY_IMPORT[layer]:
                found[(module, target)] = f"{where}: smolgraph.{module} ({layer}) imports smolgraph.{target} ({wanted})"
    return found


def test_every_module_has_a_layer():
    for module in _modules():
        _layer(module)


def test_no_backward_import():
    found = {key: text for key, text in _violations().items() if key not in PENDING}
    assert not found, "imports against the layers:\n" + "\n".join(sorted(found.values()))


def test_pending_exceptions_are_still_needed():
    gone = [key for key in PENDING if key not in _violations()]
    assert not gone, f"fixed, so take them off PENDING: {gone}"


@pytest.mark.parametrize("source, wanted", [
    ("from .build import GraphText\n", ("store", "build")),
    ("from ..morph import nominative_phrase\n", ("read.common", "morph")),
    ("from .projections import _where\n", ("network.centrality", "network.projections._where")),
])
def test_the_contract_catches(tmp_path, monkeypatch, source, wanted):
    """Each kind of backward import the contract is for, planted in a copy of the source, is caught."""
    import shutil

    copy = tmp_path / "smolgraph"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "locale", "assets"))
    module, _ = wanted
    target = copy / (module.replace(".", "/") + ".py")
    target.write_text(source + target.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "SRC", copy)
    assert wanted in _violations()


def test_reading_names_regions_as_the_gazetteer_does():
    """read/common.py's rule for a region's nominative (no morphology below extraction) against every Russian region of its shape."""
    import csv
    import re

    import pymorphy3

    from smolgraph.read.common import _adjective_region_nominative

    morph = pymorphy3.MorphAnalyzer()
    genitive_heads = {"область": "области", "край": "края", "автономный округ": "автономного округа",
                      "автономная область": "автономной области"}
    places = Path(__file__).resolve().parents[1] / "data" / "gazetteer" / "places.csv"
    names = {row["name_ru"] for row in csv.DictReader(places.open(encoding="utf-8")) if row["country"] == "RU"}
    shaped = sorted(n for n in names if re.fullmatch(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)? (?:область|край|автономный округ|автономная область)", n))
    assert len(shaped) > 50
    for name in shaped:
        adjective, head = name.split(" ", 1)
        parts = adjective.split("-")
        parse = next(p for p in morph.parse(parts[-1].lower()) if "nomn" in p.tag and "ADJF" in p.tag)
        parts[-1] = parts[-1][0] + parse.inflect({"gent"}).word[1:]
        assert _adjective_region_nominative("-".join(parts) + " " + genitive_heads[head]) == name
