"""The main job on the shipped sample: ingest, validate, answer questions, write the network page."""
from __future__ import annotations

import time
from pathlib import Path

from ._paths import data_dir

__all__ = ["SAMPLE", "run_demo"]

#: The invented sample report the project ships (see data/samples/README.md).
SAMPLE = data_dir() / "samples" / "invented-smolensk-2025-q2.docx"

_QUESTIONS = [
    ("contacts", {"place": "Витебская область"}, "All contacts with Vitebsk oblast"),
    ("partners-by-country", {}, "Partner countries"),
    ("events-per-sphere", {}, "Events per sphere"),
    ("online-events", {}, "Online and hybrid events"),
    ("signed-documents", {}, "Events where a document was signed"),
]


def run_demo(out: str | Path = "out", *, store_path: str | Path | None = None, report: str | Path | None = None) -> int:
    """Run the whole pipeline on the sample report and print what it found.

    Writes the store under ``out/store`` (unless ``store_path`` is given)
    and the network page to ``out/network.html``. Returns an exit code.
    """
    from .ask import rows_as_python, run_named
    from .cli import format_rows
    from .ingest import ingest
    from .store import open_store
    from .validate import validate_store

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    store = open_store(store_path or out / "store")
    started = time.perf_counter()
    [result] = ingest([report or SAMPLE], store)
    print(f"ingested {result.source_file} in {time.perf_counter() - started:.2f} s")
    print(result.summary())
    validation = validate_store(store)
    print(validation.text)
    for name, params, heading in _QUESTIONS:
        answer = run_named(store, name, params)
        print(f"\n== {heading} (smolgraph ask {name}{''.join(f' --param {k}={v}' for k, v in params.items())})")
        print(format_rows(rows_as_python(answer), answer.variables, "table"), end="")
    try:
        from .network import write_network_page
    except ImportError:
        print("\n(network page not available in this build)")
    else:
        page = write_network_page(store, out / "network.html")
        print(f"\nnetwork page: {page}")
    return 0 if validation.conforms else 1
