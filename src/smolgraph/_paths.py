"""Where the project's own files (data, ontology, shapes, queries) live.

The repository keeps them at its top (``ontology/``, ``shapes/``,
``queries/``, ``data/``), where people edit them. A wheel carries copies
under ``smolgraph/_resources/`` in the same layout (``pyproject.toml`` maps
them there at build time), so an installed package needs no checkout. An
editable install has no such copies and reads the checkout itself, so an
edit to a query or the lexicon counts at once, without reinstalling.
"""
from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["resources_root", "data_dir", "ontology_dir", "shapes_dir", "queries_dir"]

#: The folder of the package that a wheel fills with the repository's data folders.
_PACKAGED = "_resources"

#: What marks a folder as holding the project's files (both layouts have it).
_MARKER = Path("ontology") / "smolgraph.ttl"


def resources_root() -> Path:
    """The folder holding ``data/``, ``ontology/``, ``shapes/`` and ``queries/``.

    In order: ``SMOLGRAPH_HOME`` (a checkout to read instead, e.g. to try
    an edited gazetteer against an installed package); the copies inside the
    installed package; the checkout above ``src/`` for an editable install.

    >>> (resources_root() / "ontology" / "smolgraph.ttl").is_file()
    True
    """
    home = os.environ.get("SMOLGRAPH_HOME")
    if home:
        return Path(home)
    return _installed_root()


@lru_cache(maxsize=1)
def _installed_root() -> Path:
    # Cached: callers ask on every load, and where the package sits does not change in a process.
    packaged = resources.files("smolgraph") / _PACKAGED
    # A real folder is required: the store, the gazetteer cache and pyshacl open these files by
    # path, so a package imported from a zip archive (never done by pip) is not supported.
    if isinstance(packaged, Path) and (packaged / _MARKER).is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / _MARKER).is_file():
        return checkout
    raise FileNotFoundError(
        f"smolgraph's data files are missing: neither {packaged} (an installed wheel) nor {checkout} "
        "(a checkout installed with pip install -e) holds ontology/smolgraph.ttl; reinstall the package, "
        "or set SMOLGRAPH_HOME to a checkout")


def data_dir() -> Path:
    """``data/``: the gazetteer, the lexicon and the invented sample."""
    return resources_root() / "data"


def ontology_dir() -> Path:
    return resources_root() / "ontology"


def shapes_dir() -> Path:
    return resources_root() / "shapes"


def queries_dir() -> Path:
    return resources_root() / "queries"
