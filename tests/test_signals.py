"""SIGTERM stops an ingest and every worker it started, as Ctrl-C does (issue 15 item 9)."""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import SAMPLES


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_ingest_and_its_workers(tmp_path, sig, code):
    # Enough reports that the ingest is still running when the signal comes: 24 of them took
    # about 2 s on a 2-core machine, as long as the wait below, and CI once caught it exiting.
    files = []
    for n in range(240):
        target = tmp_path / f"report-{n}.docx"
        shutil.copy(SAMPLES / "invented-smolensk-2025-q2.docx", target)
        files.append(str(target))
    store = tmp_path / "store"
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; from smolgraph.cli import main; sys.exit(main())",
         "--store", str(store), "ingest", "--workers", "2", *files],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # Wait until the ingest has opened its store and started its workers (the progress bar is
    # drawn only on a terminal, so there is nothing to read), then signal the parent alone.
    deadline = time.monotonic() + 60
    while not store.exists() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    time.sleep(1)
    assert child.poll() is None, "ingest ended before the signal; give it more files"
    child.send_signal(sig)
    try:
        # Every process holding the pipes must be gone for both to reach EOF: workers included.
        out, err = child.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        child.kill()
        pytest.fail("ingest or one of its workers kept the pipes open after the signal")
    assert child.returncode == code
    assert b"Traceback" not in err
    # The store holds whole reports only: each one there has all 22 events of the sample.
    if store.exists():
        from smolgraph.ask import rows_as_python
        from smolgraph.store import open_store
        from smolgraph.vocab import SG

        result = open_store(store, read_only=True).query(
            f"SELECT ?r (COUNT(?e) AS ?n) WHERE {{ ?e a <{SG.Event}> ; <{SG.report}> ?r }} GROUP BY ?r"
        )
        assert all(row["n"] == 22 for row in rows_as_python(result))
