"""Places: their names in any grammatical case, their codes and their hierarchy.

The package has three parts: :mod:`.places` holds the table (ids, hierarchy, codes, lookups by id and
name), :mod:`.find` finds places in a text, and :mod:`.names` is the index of names both use.
``Place``, ``PlaceMatch``, ``Gazetteer`` and ``load_gazetteer`` are importable from here as before.
"""
from __future__ import annotations

from .find import PlaceMatch
from .places import Gazetteer, Place, _cache_file, load_gazetteer  # noqa: F401  (_cache_file: for tests)

__all__ = ["Place", "PlaceMatch", "Gazetteer", "load_gazetteer"]
