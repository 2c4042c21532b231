"""Both stores implement the declared store interface, and nothing above the store asks which one it has."""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from smolgraph.errors import StoreError
from smolgraph.remote import RemoteStore
from smolgraph.store import EmbeddedStore
from smolgraph.storeapi import STORE_METHODS, Store

SRC = Path(__file__).resolve().parents[1] / "src" / "smolgraph"
#: Where a store class may be named and its engine touched: the store layer itself.
STORE_LAYER = {"store.py", "remote.py", "storeapi.py", "http.py"}

#: Ways of asking a store what it is instead of calling the interface.
PROBES = [
    re.compile(r"\bhasattr\(\s*(store|source|remote|self\.store)\b"),
    re.compile(r"\bgetattr\(\s*(store|source|remote|self\.store)\s*,\s*['\"]\w+['\"]\s*,"),
    re.compile(r"\bisinstance\([^)]*,\s*\(?[^)]*\b\w*Store\b"),
    re.compile(r"\._store\b"),
]

#: Probes in files that other people are changing now, each to go when its file is next touched.
#: The test fails when one of them is gone, so that this list only ever shrinks.
PENDING: dict = {}


def _stores():
    return [EmbeddedStore(None), RemoteStore("http://127.0.0.1:9/sparql")]


@pytest.mark.parametrize("store", _stores(), ids=["embedded", "remote"])
def test_each_store_is_a_store(store):
    assert isinstance(store, Store)


@pytest.mark.parametrize("cls", [EmbeddedStore, RemoteStore])
@pytest.mark.parametrize("name", STORE_METHODS)
def test_every_method_has_the_declared_signature(cls, name):
    """Parameter names, kinds and defaults as the protocol declares them (annotations are documentation)."""
    declared = inspect.signature(getattr(Store, name))
    actual = inspect.signature(getattr(cls, name))

    def shape(signature):
        params = list(signature.parameters.values())
        if params and params[-1].kind is inspect.Parameter.VAR_POSITIONAL:
            return [(p.name if p.kind is not inspect.Parameter.VAR_POSITIONAL else "*", p.kind, p.default)
                    for p in params]
        return [(p.name, p.kind, p.default) for p in params]

    # The name of *args does not matter (``*exc`` or ``*args``); everything else must match.
    assert shape(actual) == shape(declared), f"{cls.__name__}.{name}{actual} does not match Store.{name}{declared}"


def test_the_protocol_covers_what_callers_use():
    assert {"graphs", "has_graph", "graph", "graph_ntriples", "write_graph_ntriples", "quads", "engine_quads",
            "query", "stream", "select_values", "revision", "graph_revisions", "copy_graphs", "replace_graph",
            "replace_graphs", "drop_graph", "bulk_load", "close"} <= set(STORE_METHODS)


def test_what_a_server_cannot_do_says_so():
    with pytest.raises(StoreError, match="embedded store only"):
        RemoteStore("http://127.0.0.1:9/sparql").bulk_load(b"")


def test_a_server_keeps_no_revision():
    assert RemoteStore("http://127.0.0.1:9/sparql").revision() is None


def _probes() -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for path in sorted(SRC.rglob("*.py")):
        name = path.relative_to(SRC).as_posix()
        if name in STORE_LAYER:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            for probe in PROBES:
                for match in probe.finditer(code):
                    # The whole call as written, so that the pending list names it exactly.
                    text = code[match.start():]
                    depth, end = 0, len(text)
                    for i, ch in enumerate(text):
                        depth += ch == "("
                        depth -= ch == ")"
                        if depth == 0 and ch == ")":
                            end = i + 1
                            break
                    found[(name, text[:end] if "(" in text[:end] else match.group())] = number
    return found


def test_no_module_probes_what_store_it_has():
    found = _probes()
    new = {key: line for key, line in found.items() if key not in PENDING}
    assert not new, "call the Store interface instead of probing the store: " + "; ".join(
        f"{name}:{line}: {text}" for (name, text), line in new.items())


def test_pending_probes_are_still_there():
    """A probe fixed in its file is taken off PENDING, so that it cannot come back unnoticed."""
    gone = [key for key in PENDING if key not in _probes()]
    assert not gone, f"no longer in the source, remove from PENDING: {gone}"
