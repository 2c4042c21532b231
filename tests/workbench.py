"""What the workbench's tests share: a store served by the app on a free port, for as long as a block runs."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from smolgraph.app.server import make_app_server
from smolgraph.store import open_store


@contextmanager
def serving(folder: Path) -> Iterator[tuple[object, int]]:
    """The store in ``folder`` opened and served by ``smolgraph app`` on a free port; yields (store, port).

    The server stops, and the store is closed, when the block ends, also after a failure inside it.
    """
    store = open_store(folder)
    server = make_app_server(store, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield store, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        store.close()
