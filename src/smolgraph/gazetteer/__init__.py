"""Places: their names in any grammatical case, their codes and their hierarchy.

The package has three parts: :mod:`.places` holds the table (ids, hierarchy, codes, lookups by id and
name), :mod:`.find` finds places in a text, and :mod:`.names` is the index of names both use.
``Place``, ``PlaceMatch``, ``Gazetteer`` and ``load_gazetteer`` are importable from here as before.
"""
from __future__ import annotations

from .find import PlaceMatch
from .places import Gazetteer, Place, cache_file, load_gazetteer  # noqa: F401  (cache_file: for tests)

# tests/test_gazetteer.py still imports the old private name; it goes when that test reads cache_file.
_cache_file = cache_file

__all__ = ["Place", "PlaceMatch", "Gazetteer", "load_gazetteer"]
