"""The workbench's speed on a generated store: every API call behind a view, over HTTP, and the page in chromium.

    python bench/bench_app.py                                   # the 100,000-event store in /work/bench-stores
    python bench/bench_app.py --size 1000000 --runs 5 --json app-1m.json
    python bench/bench_app.py STORE_DIR --info g100000-s1.json  # any store built by run.py's load part

The store is the one ``bench/run.py`` loads (``python bench/run.py --child load
--size N --workdir DIR`` builds ``DIR/storeN-s1`` and ``DIR/gN-s1.json``, whose
``picks`` name a region, a district, an organisation and a surname that the
generated graph holds); it is built here when missing. The app runs as a user
starts it, ``smolgraph app --store STORE --no-browser``, in its own process on a
free port; every call is a fresh HTTP connection, as the page's fetches are.

Printed, per call: the first (cold) answer, in the order of the table, right after
the app started; then the median, min and max of ``--runs`` answers after one
warm-up. A route that answers 404 is listed as missing (the views still being
built). Then "page usable": from ``Page.navigate`` to ``window.smolgraph.settled()``
in headless chromium (the page's own clock, ``performance.now()``, whose origin
is the navigation), ``--page-runs`` times, and the same after choosing a region.
The issue's targets are checked at the end: every call under 300 ms, the page under 1 s.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: The issue's targets.
CALL_TARGET_S = 0.300
PAGE_TARGET_S = 1.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, *, timeout: float = 600) -> tuple[int, bytes, float]:
    """Status, body and seconds of one GET on a fresh connection (the whole body read)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, time.perf_counter() - started


def start_app(store: Path, port: int, cache: Path) -> tuple[subprocess.Popen, float]:
    """``smolgraph app`` over ``store`` in its own process, and the seconds until it answered its first call.

    ``cache`` is its ``SMOLGRAPH_CACHE``: where it keeps the table it read (an empty folder: a first start).
    """
    command = [sys.executable, "-c", "import sys; from smolgraph.cli import main; sys.exit(main(sys.argv[1:]))",
               "app", "--store", str(store), "--port", str(port), "--no-browser"]
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "SMOLGRAPH_CACHE": str(cache)})
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the app stopped: " + proc.stderr.read().decode(errors="replace")[-2000:])
        try:
            status, _body, _s = get(port, "/api/messages", timeout=5)
            if status == 200:
                return proc, time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("the app did not answer within 300 s")


def peak_rss_gb(pid: int) -> float | None:
    """The process's peak resident memory (``VmHWM``), in GB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1e6
    except OSError:
        return None
    return None


def calls(picks: dict, event: tuple[str, str] | None) -> list[tuple[str, str]]:
    """(label, path) of every call the views make, in the order they are timed."""
    q = urllib.parse.urlencode
    out = [
        ("contacts: every event (first page)", "/api/contacts"),
        ("contacts: every event, page 3", "/api/contacts?" + q({"offset": 400})),
        ("contacts: every event, sorted by -start", "/api/contacts?" + q({"sort": "-start"})),
        ("contacts: every event, country BY", "/api/contacts?" + q({"country": "BY"})),
        ("contacts: every event, a year and a format", "/api/contacts?" + q({"from": "2020-01-01", "to": "2020-12-31",
                                                                           "format": "online"})),
        ("contacts: a region", "/api/contacts?" + q({"place": picks["region"]})),
        ("contacts: a region, country + sort", "/api/contacts?" + q({"place": picks["region"], "country": "BY",
                                                                    "sort": "title"})),
        ("contacts: a district", "/api/contacts?" + q({"place": picks["district"]})),
        ("contacts: an organisation", "/api/contacts?" + q({"organisation": picks["organisation"]})),
        ("contacts: a person", "/api/contacts?" + q({"person": picks["surname"]})),
        ("search: Витебск", "/api/search?" + q({"q": "Витебск"})),
        ("search: Vitebsk", "/api/search?" + q({"q": "Vitebsk"})),
        ("search: a surname's start", "/api/search?" + q({"q": picks["surname"][:4]})),
        ("search: an organisation's word", "/api/search?" + q({"q": picks["organisation"].split()[0]})),
    ]
    if event:
        out.append(("event card", "/api/event?" + q({"report": event[0], "row": event[1]})))
    out += [
        ("reports", "/api/reports"),
        ("questions", "/api/questions"),
        ("messages", "/api/messages"),
    ]
    for view in ("map", "timeline", "network"):
        out.append((f"{view}: every event", f"/api/{view}"))
        out.append((f"{view}: a region", f"/api/{view}?" + q({"place": picks["region"]})))
    return out


def time_calls(port: int, runs: int, once_over: float) -> tuple[list[dict], tuple[str, str] | None]:
    """Every call: the first answer right after start, then ``runs`` after one warm-up (none when the first took over ``once_over`` s)."""
    picks = _PICKS
    # The first call the page makes decides the event to open: the table's first row.
    status, body, seconds = get(port, "/api/contacts?limit=1", timeout=7200)
    first = json.loads(body)["rows"][:1] if status == 200 else []
    event = (first[0]["report"], str(first[0]["row"])) if first else None
    # The app's first call waits for the table it reads (or loads from its cache) when it starts.
    results = [{"call": "contacts: the first call after the start", "path": "/api/contacts?limit=1", "status": status,
                "bytes": len(body), "first": seconds, "once": True}]
    print(f"  first contacts call: {seconds * 1000:,.0f} ms", file=sys.stderr)
    for label, path in calls(picks, event):
        status, body, cold = get(port, path)
        entry = {"call": label, "path": path, "status": status, "bytes": len(body), "first": cold}
        if status == 404 and path.split("?")[0] in ("/api/map", "/api/timeline", "/api/network"):
            entry["missing"] = True
            results.append(entry)
            print(f"  {label}: missing (404)", file=sys.stderr)
            continue
        if status != 200:
            entry["error"] = body[:300].decode(errors="replace")
            results.append(entry)
            print(f"  {label}: {status} {entry['error']}", file=sys.stderr)
            continue
        if cold > once_over:
            entry["slow"] = True
            results.append(entry)
            print(f"  {label}: first {cold:.1f} s, not repeated", file=sys.stderr)
            continue
        get(port, path)  # warm-up
        times = [get(port, path)[2] for _ in range(runs)]
        entry.update(median=statistics.median(times), min=min(times), max=max(times), n=runs)
        results.append(entry)
        print(f"  {label}: first {cold * 1000:.0f} ms, median {entry['median'] * 1000:.0f} ms", file=sys.stderr)
    return results, event


def page_usable(port: int, runs: int, picks: dict) -> dict:
    """Seconds from navigation to ``settled()``, ``runs`` times, and after choosing a region; None without chromium."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from test_network_page import Browser, _chromium
    except ImportError as exc:  # the tests are not beside this checkout
        return {"error": f"cannot import tests/test_network_page.py: {exc}"}
    binary = _chromium()
    if binary is None:
        return {"error": "no chromium binary (install Debian's chromium, or set SMOLGRAPH_CHROMIUM)"}
    browser = Browser(binary)
    url = f"http://127.0.0.1:{port}/"
    # Resolves with the page's own clock when settled() first holds: performance.now() counts from the navigation.
    wait = ("new Promise(done => { const tick = () => (window.smolgraph && window.smolgraph.settled())"
            " ? done(performance.now()) : setTimeout(tick, 5); tick(); })")
    try:
        loads, choices, errors = [], [], []
        for _ in range(runs + 1):  # the first is the cold one (the browser's cache is empty; the app's is warm)
            browser.call("Page.navigate", {"url": "about:blank"}, session=True)
            browser.events.clear()
            browser.url = url
            browser.call("Page.navigate", {"url": url}, session=True)
            deadline = time.monotonic() + 120
            while not browser.js("document.readyState !== 'loading' && location.href === " + json.dumps(url)):
                if time.monotonic() > deadline:
                    raise TimeoutError("the page did not load")
                time.sleep(0.002)
            ms = browser.call("Runtime.evaluate", {"expression": wait, "awaitPromise": True, "returnByValue": True},
                              session=True, timeout=120)["result"]["value"]
            loads.append(ms / 1000)
            rows = browser.js("document.querySelectorAll('#contacts tbody tr').length")
            choose = ("new Promise(done => { const t0 = performance.now(); window.smolgraph.chooseSubject("
                      + json.dumps({"param": "place", "id": picks["region"], "name": picks["region"]})
                      + "); const tick = () => window.smolgraph.settled() ? done(performance.now() - t0)"
                        " : setTimeout(tick, 5); setTimeout(tick, 0); })")
            chose = browser.call("Runtime.evaluate", {"expression": choose, "awaitPromise": True, "returnByValue": True},
                                 session=True, timeout=120)["result"]["value"]
            choices.append(chose / 1000)
            browser.drain(0.05)
            errors += browser.errors()
        return {"cold": loads[0], "median": statistics.median(loads[1:]), "min": min(loads[1:]), "max": max(loads[1:]),
                "n": runs, "rows_shown": rows, "choose_region_median": statistics.median(choices[1:]),
                "console_errors": errors[:5]}
    finally:
        browser.close()


def machine() -> dict:
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
               platform.processor())
    mem = next((int(l.split()[1]) / 1e6 for l in open("/proc/meminfo") if l.startswith("MemTotal")), None)
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(mem, 1) if mem else None,
            "python": platform.python_version(), "os": f"{platform.system()} {platform.release()}",
            "load_avg_at_start": [round(x, 2) for x in os.getloadavg()]}


def _ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def print_table(res: dict) -> None:
    m = res["machine"]
    print(f"\n# smolgraph app on {res['events']:,} events ({res['store']})")
    print(f"\nMachine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB, Python {m['python']}, {m['os']}; "
          f"load average at start {m['load_avg_at_start']}. App started in {_ms(res['startup'])}; "
          f"its peak RSS {res['peak_rss_gb']:.2f} GB; its cache {res['cache']}.\n")
    print(f"| call | first (cold) | median of {res['runs']} | min–max | answer | under 300 ms |")
    print("|---|---|---|---|---|---|")
    for c in res["calls"]:
        if c.get("once"):
            print(f"| {c['call']} | {_ms(c['first'])} | (once) | | {c['bytes'] / 1024:,.0f} KB | |")
        elif c.get("slow"):
            print(f"| {c['call']} | {_ms(c['first'])} | not repeated (first over {res['once_over']:.0f} s) | | "
                  f"{c['bytes'] / 1024:,.0f} KB | NO |")
        elif c.get("missing"):
            print(f"| {c['call']} | missing (404) | | | | |")
        elif "error" in c:
            print(f"| {c['call']} | {c['status']}: {c['error'][:60]} | | | | NO |")
        else:
            ok = "yes" if c["median"] < CALL_TARGET_S else "NO"
            print(f"| {c['call']} | {_ms(c['first'])} | {_ms(c['median'])} | {_ms(c['min'])}–{_ms(c['max'])} "
                  f"| {c['bytes'] / 1024:,.0f} KB | {ok} |")
    p = res["page"]
    if "error" in p:
        print(f"\nPage usable: not measured ({p['error']})")
    else:
        print(f"\nPage usable (navigation → settled(), {p['n']} runs after a cold one): median {_ms(p['median'])} "
              f"({_ms(p['min'])}–{_ms(p['max'])}), cold {_ms(p['cold'])}, {p['rows_shown']} rows in the table; "
              f"choosing a region → settled: median {_ms(p['choose_region_median'])}; "
              f"console errors: {len(p['console_errors'])}; under 1 s: {'yes' if p['median'] < PAGE_TARGET_S else 'NO'}")
    missing = [c["path"].split("?")[0] for c in res["calls"] if c.get("missing")]
    if missing:
        print("Missing routes (404): " + ", ".join(sorted(set(missing))))


_PICKS: dict = {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", nargs="?", type=Path, help="a store built by bench/run.py (default: WORKDIR/storeSIZE-s1)")
    parser.add_argument("--size", type=int, default=100_000, help="events of the generated store (default 100,000)")
    parser.add_argument("--workdir", type=Path, default=Path("/work/bench-stores"), help="where run.py keeps its stores")
    parser.add_argument("--info", type=Path, help="the gN-s1.json beside the N-Quads (default: WORKDIR/gSIZE-s1.json)")
    parser.add_argument("--runs", type=int, default=5, help="timed answers per call after one warm-up (default 5)")
    parser.add_argument("--page-runs", type=int, default=5, help="page loads in chromium (default 5; 0: none)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--cache", type=Path, help="the app's SMOLGRAPH_CACHE (default WORKDIR/app-cache): what it "
                                                   "kept from an earlier start over the same store is reused")
    parser.add_argument("--once-over", type=float, default=60, help="a call whose first answer took longer is not "
                                                                   "repeated (default 60 s)")
    parser.add_argument("--cold", action="store_true", help="start with an empty cache: the app reads the store whole")
    args = parser.parse_args(argv)

    store = args.store or args.workdir / f"store{args.size}-s1"
    info_path = args.info or args.workdir / f"g{args.size}-s1.json"
    if not (store / "bench-loaded.json").exists() and args.store is None:
        print(f"· building the {args.size:,}-event store in {args.workdir} (bench/run.py's load part)", file=sys.stderr)
        subprocess.run([sys.executable, str(HERE / "run.py"), "--child", "load", "--size", str(args.size),
                        "--workdir", str(args.workdir)], check=True, stdout=subprocess.DEVNULL)
    info = json.loads(info_path.read_text())
    _PICKS.update(info["picks"])

    res = {"machine": machine(), "store": str(store), "events": info["events"], "runs": args.runs,
           "once_over": args.once_over}
    cache = Path(tempfile.mkdtemp(prefix="smolgraph-app-cache-")) if args.cold else (args.cache or args.workdir / "app-cache")
    res["cache"] = "empty (--cold)" if args.cold else str(cache)
    port = free_port()
    proc, res["startup"] = start_app(store, port, cache)
    try:
        res["calls"], _event = time_calls(port, args.runs, args.once_over)
        res["page"] = page_usable(port, args.page_runs, _PICKS) if args.page_runs else {"error": "--page-runs 0"}
        res["peak_rss_gb"] = peak_rss_gb(proc.pid) or 0.0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    print_table(res)
    measured = [c for c in res["calls"] if "median" in c or c.get("slow")]
    slow = [c["call"] for c in measured if c.get("slow") or c["median"] >= CALL_TARGET_S]
    print(f"\nCalls under 300 ms (median): {len(measured) - len(slow)} of {len(measured)}"
          + (f"; over: {', '.join(slow)}" if slow else ""))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1, ensure_ascii=False))
        print(f"JSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
