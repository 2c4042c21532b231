"""Holding Python's cyclic garbage collector while a stage makes many small objects.

The network stage makes millions of rows, records, nodes and edges, none of
them in reference cycles; yet every generation-2 collection walks all that
are alive. Measured at 100,000 events on the 2-core bench machine: reading
the events 10.5 s with the collector, 4.7 s without; writing the page 2.6 s
and 1.0 s. Memory is still freed as usual by reference counting.
"""
from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

__all__ = ["gc_paused", "without_gc"]

F = TypeVar("F", bound=Callable)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block; leave it as it was after.

    >>> with gc_paused():
    ...     gc.isenabled()
    False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def without_gc(func: F) -> F:
    """Decorate ``func`` to run inside :func:`gc_paused`."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with gc_paused():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
