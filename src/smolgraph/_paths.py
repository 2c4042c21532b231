"""Where the project's own files (data, ontology, shapes, queries) live."""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["project_root", "data_dir", "ontology_dir", "shapes_dir", "queries_dir"]


def project_root() -> Path:
    """The checkout holding ``data/``, ``ontology/``, ``shapes/`` and ``queries/``.

    ``SMOLGRAPH_HOME`` overrides it; by default it is two levels above the
    package, which is right for a source checkout installed with ``pip -e``.
    """
    home = os.environ.get("SMOLGRAPH_HOME")
    if home:
        return Path(home)
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return project_root() / "data"


def ontology_dir() -> Path:
    return project_root() / "ontology"


def shapes_dir() -> Path:
    return project_root() / "shapes"


def queries_dir() -> Path:
    return project_root() / "queries"
