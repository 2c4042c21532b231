"""What the network stage read from a store, kept in pickle files until the store changes.

Reading every event of a large store takes seconds; the records it gives
take a fraction of that to load. Two files are kept per store: the records
of its current revision (:func:`read_cache`, :func:`write_cache`) and the
query rows behind them graph by graph (:func:`read_graph_rows`,
:func:`write_graph_rows`), so that after a write only the graphs written
since are read again. A file that is missing, half written or from another
version is never an error: the store is read again.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from rdflib import Graph

from .._cache import cache_dir
from .._gc import gc_paused
from .records import Entity, EventData, EventFact, Participant

__all__ = [
    "GraphRows",
    "cache_file",
    "cache_signature",
    "default_cache_dir",
    "graph_rows_file",
    "read_cache",
    "read_graph_rows",
    "write_cache",
    "write_graph_rows",
]

#: What was read from each named graph: query name -> rows without the graph column.
GraphRows = dict[str, list[tuple[str | None, ...]]]


def default_cache_dir() -> Path | None:
    """Where the command line keeps what it read from stores (:func:`smolgraph._cache.cache_dir`); None: no cache."""
    return cache_dir()


def cache_signature() -> str:
    """Changes when the records change shape, so an old cache file is never read into new classes."""
    from .. import __version__

    shapes = [__version__] + [f"{cls.__name__}:{','.join(cls.__dataclass_fields__)}" for cls in (EventData, EventFact, Entity, Participant)]
    return hashlib.sha1(";".join(shapes).encode()).hexdigest()[:10]


def cache_file(source, cache_dir: str | Path | None, people: bool) -> Path | None:
    """The cache file for this store at its current revision, or ``None`` when it cannot be cached."""
    if cache_dir is None or isinstance(source, Graph):  # an rdflib graph has no revision to key a cache on
        return None
    path = source.path
    revision = source.revision() if path is not None else None
    if revision is None:
        return None
    store_key = hashlib.sha1(str(Path(path).resolve()).encode()).hexdigest()[:16]
    what = "people" if people else "nopeople"
    return Path(cache_dir) / f"events-{store_key}-{revision}-{what}-{cache_signature()}.pickle"


def graph_rows_file(cache: Path) -> Path:
    """Where the rows behind ``cache`` are kept graph by graph: one file per store, not per revision."""
    _, store_key, _, what, signature = cache.stem.split("-")
    return cache.with_name(f"graphs-{store_key}-{what}-{signature}.pickle")


def read_graph_rows(path: Path):
    """``(revisions, rows by graph)`` kept by the last read of the store, or ``None``."""
    kept = _load_pickle(path)
    ok = isinstance(kept, tuple) and len(kept) == 2 and all(isinstance(part, dict) for part in kept)
    return kept if ok else None


def write_graph_rows(path: Path, revisions: dict[str, str | None], by_graph: dict[str, GraphRows]) -> None:
    """Keep the rows of every graph with the revisions they were read at, for the next read to compare."""
    _dump_pickle(path, (revisions, by_graph))


def read_cache(cache: Path) -> EventData | None:
    """The records kept for this revision, or ``None`` when there are none to trust."""
    data = _load_pickle(cache)
    return data if isinstance(data, EventData) else None


def write_cache(cache: Path, data: EventData) -> None:
    """Keep ``data`` for this revision and drop the store's other files (older revisions, older shapes): no read asks for them again."""
    _, store_key, revision, _, signature = cache.stem.split("-")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        for old in cache.parent.glob(f"events-{store_key}-*.pickle"):
            if f"-{revision}-" not in old.name or not old.stem.endswith(signature):
                old.unlink(missing_ok=True)  # an older revision of the same store: never read again
    except OSError:
        return
    _dump_pickle(cache, data)


# -- helpers ---------------------------------------------------------------


def _load_pickle(path: Path):
    # A missing, half-written or foreign file is not an error: the store is read again.
    try:
        with gc_paused(), path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None


def _dump_pickle(path: Path, value) -> None:
    # Written beside and moved into place, so a reader never sees half a file.
    try:
        partial = path.with_suffix(f".{os.getpid()}.partial")
        with gc_paused(), partial.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
    except OSError:
        pass  # a cache that cannot be written only costs the next call a read
