"""The word lists of ``data/lexicon/``, loaded once.

Readers (header words) and extractors (role words, event types) both read
them, so they live beside both rather than inside either stage.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ._paths import data_dir

__all__ = ["lexicon_lines", "lexicon_table"]


def _lines(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("им.") else line.strip()
        if line:
            out.append(line)
    return out


@lru_cache(maxsize=None)
def lexicon_lines(name: str) -> tuple[str, ...]:
    """The entries of ``data/lexicon/NAME.txt``, comments and blanks dropped."""
    return tuple(_lines(data_dir() / "lexicon" / f"{name}.txt"))


@lru_cache(maxsize=None)
def lexicon_table(name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Entries ``key | value | value …`` of ``data/lexicon/NAME.txt``."""
    rows = []
    for line in lexicon_lines(name):
        key, *values = [part.strip() for part in line.split("|")]
        rows.append((key, tuple(v for v in values if v)))
    return tuple(rows)
