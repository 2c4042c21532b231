"""The main job on the shipped sample: ingest, validate, answer questions, write the network page."""
from __future__ import annotations

import os
import shlex
import time
from pathlib import Path

from ._paths import data_dir
from .i18n import _

__all__ = ["SAMPLE", "run_demo"]

#: The invented sample report the project ships (see data/samples/README.md).
SAMPLE = data_dir() / "samples" / "invented-smolensk-2025-q2.docx"


def _questions() -> list[tuple[str, dict[str, str], str]]:
    """The named questions the demo asks, with their headings in the reader's language."""
    return [
        ("contacts", {"place": "Витебская область"}, _("All contacts with Vitebsk oblast")),
        ("partners-by-country", {}, _("Partner countries")),
        ("events-per-sphere", {}, _("Events per sphere")),
        ("online-events", {}, _("Online and hybrid events")),
        ("signed-documents", {}, _("Events where a document was signed")),
    ]


def run_demo(out: str | Path = "out", *, store_path: str | Path | None = None, report: str | Path | None = None) -> int:
    """Run the whole pipeline on the sample report and print what it found.

    Writes into the default store (``$SMOLGRAPH_STORE`` or ``./.smolgraph/store``)
    unless ``store_path`` is given, so that the commands a reader tries next,
    which read the default store too, find the sample there; ingesting it again
    replaces it rather than adding a copy. The network page goes to
    ``out/network.html``. Ends by naming the store and a command that asks it
    more. Returns an exit code.
    """
    from .ask import rows_as_python, run_named
    from .ingest import ingest
    from .output import format_rows
    from .store import default_store_path, open_store
    from .validate import validate_store

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    location = Path(store_path) if store_path is not None else default_store_path()
    store = open_store(location)
    started = time.perf_counter()
    [result] = ingest([report or SAMPLE], store)
    print(_("ingested {file} in {seconds} s").format(file=result.source_file, seconds=f"{time.perf_counter() - started:.2f}"))
    print(result.summary())
    validation = validate_store(store)
    print(validation.text)
    for name, params, heading in _questions():
        answer = run_named(store, name, params)
        print(f"\n== {heading} (smolgraph ask {name}{''.join(f' --param {k}={v}' for k, v in params.items())})")
        print(format_rows(rows_as_python(answer), answer.variables, "table"), end="")
    try:
        from .network import write_network_page
    except ImportError:
        print("\n" + _("(network page not available in this build)"))
    else:
        page = write_network_page(store, out / "network.html")
        print("\n" + _("network page: {path}").format(path=page))
    print(_where_to_ask(location, default=store_path is None))
    return 0 if validation.conforms else 1


def _where_to_ask(location: Path, *, default: bool) -> str:
    """The closing lines: where the store is, and a command that reads that same store."""
    # The default store is the one the next command finds by itself, so no --store is shown;
    # without SMOLGRAPH_STORE it is relative to the current folder, which the reader is told.
    store_option = "" if default else f"--store {shlex.quote(str(location))} "
    if not default:
        where = _("store: {path}")
    elif os.environ.get("SMOLGRAPH_STORE"):
        where = _("store: {path} (the default store, from SMOLGRAPH_STORE)")
    else:
        where = _("store: {path} (the default store: other commands run from this folder read it)")
    ask = _('ask it more: smolgraph {option}contacts "Витебская область"  ·  smolgraph {option}ask')
    app = _("work with it in the browser: smolgraph {option}app  (search, map, timeline, network, SPARQL; Ctrl-C stops it)")
    return ("\n" + where.format(path=location.absolute()) + "\n" + ask.format(option=store_option)
            + "\n" + app.format(option=store_option))
