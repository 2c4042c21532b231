"""Where smolgraph keeps what it can make again: ``$SMOLGRAPH_CACHE``, else ``$XDG_CACHE_HOME/smolgraph`` (``~/.cache/smolgraph``)."""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["cache_dir"]


def cache_dir() -> Path | None:
    """The cache folder (not created here), or None when caching is off (``SMOLGRAPH_CACHE=""``) or there is no home.

    >>> cache_dir() is None or cache_dir().is_absolute() or "SMOLGRAPH_CACHE" in os.environ
    True
    """
    base = os.environ.get("SMOLGRAPH_CACHE")
    if base == "":
        return None
    if base is not None:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    try:
        return Path(xdg) / "smolgraph" if xdg else Path.home() / ".cache" / "smolgraph"
    except (RuntimeError, KeyError):  # no home folder
        return None
