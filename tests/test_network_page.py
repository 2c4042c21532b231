"""The network page in a real headless browser (Debian's chromium), driven over the DevTools protocol.

Chromium is spoken to through ``--remote-debugging-pipe`` (JSON messages on
file descriptors 3 and 4), so the tests need no package beyond the
standard library. They skip, saying why, when no chromium binary is found;
CI installs Debian's ``chromium``.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import networkx as nx
import pytest

from smolgraph.network import analyse, load_events, write_page

from test_network import EVIL_NAME, make_store

pytestmark = pytest.mark.browser


def _chromium() -> str | None:
    for name in (os.environ.get("SMOLGRAPH_CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


class Browser:
    """A headless chromium with one page, and the DevTools protocol over a pipe."""

    def __init__(self, binary: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="smolgraph-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire() -> None:  # in the child: the pipe ends become fds 3 and 4
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        args = [
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
            "--mute-audio", "--window-size=1400,900", f"--user-data-dir={self.profile}",
            "--remote-debugging-pipe", "about:blank",
        ]
        self.proc = subprocess.Popen(
            args, preexec_fn=wire, pass_fds=(3, 4), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.call(f"{domain}.enable", session=True)

    # -- protocol ------------------------------------------------------
    def _send(self, message: dict) -> None:
        os.write(self._to_child, json.dumps(message).encode() + b"\0")

    def _receive(self, timeout: float) -> dict:
        import select

        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer in time")
            ready, _, _ = select.select([self._from_child], [], [], left)
            if ready:
                chunk = os.read(self._from_child, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, *, session: bool = False, timeout: float = 60) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        self._send(message)
        while True:
            answer = self._receive(timeout)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            if "method" in answer:
                self.events.append(answer)

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                answer = self._receive(deadline - time.monotonic())
            except TimeoutError:
                return
            if "method" in answer:
                self.events.append(answer)

    # -- page ----------------------------------------------------------
    def open(self, path: Path, *, settle_timeout: float = 120) -> None:
        self.events.clear()
        self.url = path.resolve().as_uri()
        self.call("Page.navigate", {"url": self.url}, session=True)
        deadline = time.monotonic() + settle_timeout
        while time.monotonic() < deadline:
            if self.js("!!(window.smolgraph && window.smolgraph.settled())"):
                return
            self.drain(0.2)
            if self.errors():
                raise AssertionError(f"the page failed while loading: {self.errors()}")
        raise TimeoutError(f"the page did not settle in {settle_timeout} s")

    def js(self, expression: str):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def errors(self) -> list[str]:
        found = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(json.dumps(params["exceptionDetails"])[:500])
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(" ".join(str(a.get("value", a.get("description"))) for a in params.get("args", [])))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(params["entry"].get("text", ""))
        return found

    def requests(self) -> list[str]:
        urls = [e["params"]["request"]["url"] for e in self.events if e["method"] == "Network.requestWillBeSent"]
        return [u for u in urls if u != self.url and not u.startswith("data:")]

    def screenshot(self, path: Path) -> None:
        shot = self.call("Page.captureScreenshot", {"format": "png"}, session=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        try:
            self._send({"id": 0, "method": "Browser.close"})
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_child, self._from_child):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    binary = _chromium()
    if binary is None:
        pytest.skip("no chromium binary on PATH (install Debian's chromium, or set SMOLGRAPH_CHROMIUM); .ci/run installs it")
    b = Browser(binary)
    yield b
    b.close()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The bipartite page of the fixture store: agencies and foreign organisations."""
    data = load_events(make_store())
    analysis = analyse(data, "bipartite", "organisation")
    path = tmp_path_factory.mktemp("page") / "network.html"
    result = write_page(analysis, path)
    return path, result, analysis


def test_page_loads_offline_without_errors(browser, page):
    path, result, analysis = page
    browser.open(path)
    browser.drain(0.5)
    assert browser.errors() == []
    assert browser.requests() == []
    counts = browser.js("window.smolgraph.visibleCounts()")
    assert counts == {"nodes": result.nodes, "edges": result.edges}
    assert counts == {"nodes": analysis.graph.number_of_nodes(), "edges": analysis.graph.number_of_edges()}
    assert browser.js("window.smolgraph.nodes.length") == result.nodes
    # the canvas was drawn and physics is off again
    assert browser.js("document.querySelector('#sg-network canvas') !== null")
    assert browser.js("window.smolgraph.network.physics.physicsEnabled") is False


def test_search_finds_a_node(browser, page):
    path, _, _ = page
    browser.open(path)
    browser.js("document.getElementById('sg-search').value = 'витебский'")
    browser.js("document.getElementById('sg-search-go').click()")
    selected = browser.js("window.smolgraph.network.getSelectedNodes().map(i => window.smolgraph.data.nodes[i].label)")
    assert selected == ["Витебский государственный университет"]
    assert browser.js("document.getElementById('sg-search-status').textContent").startswith("1 found")
    assert browser.js("window.smolgraph.search('no such partner').length") == 0
    assert "Nothing found" in browser.js("document.getElementById('sg-search-status').textContent")


def test_filters_hide_what_they_should(browser, page):
    path, _, analysis = page
    browser.open(path)
    options = browser.js("Array.from(document.querySelectorAll('#sg-country option')).map(o => [o.value, o.textContent])")
    china = next(v for v, label in options if label == "Китай")
    browser.js(f"var s = document.getElementById('sg-country'); s.value = '{china}'; s.dispatchEvent(new Event('change'))")
    shown = browser.js("window.smolgraph.nodesView.get().map(n => window.smolgraph.data.nodes[n.id].label).sort()")
    # China's events: the festival (culture department, Orsha and Peking), the tournament, the online lecture.
    assert shown == sorted([
        "Департамент Смоленской области по культуре", "Пекинский университет", EVIL_NAME,
        "Оршанский районный исполнительный комитет", "Смоленский государственный университет",
    ])
    assert browser.js("window.smolgraph.visibleCounts()") == {"nodes": 5, "edges": 4}

    browser.js("document.getElementById('sg-reset').click()")
    assert browser.js("window.smolgraph.visibleCounts()")["nodes"] == analysis.graph.number_of_nodes()

    periods = browser.js("Array.from(document.querySelectorAll('#sg-period option')).map(o => [o.value, o.textContent])")
    q2 = next(v for v, label in periods if label == "2025-Q2")
    browser.js(f"var s = document.getElementById('sg-period'); s.value = '{q2}'; s.dispatchEvent(new Event('change'))")
    shown = browser.js("window.smolgraph.nodesView.get().map(n => window.smolgraph.data.nodes[n.id].label).sort()")
    assert shown == sorted(["Смоленский государственный университет", "Витебский государственный университет",
                            "ОАО «МАЗ»", "Пекинский университет"])
    browser.js("document.getElementById('sg-reset').click()")

    spheres = browser.js("Array.from(document.querySelectorAll('#sg-sphere option')).map(o => [o.value, o.textContent])")
    inv = next(v for v, label in spheres if "инвестиц" in label)
    browser.js(f"var s = document.getElementById('sg-sphere'); s.value = '{inv}'; s.dispatchEvent(new Event('change'))")
    shown = browser.js("window.smolgraph.nodesView.get().map(n => window.smolgraph.data.nodes[n.id].label).sort()")
    assert shown == sorted(["Правительство Смоленской области", "Министерство экономического развития Смоленской области",
                            "компания «Asepto»", "ОАО «МАЗ»"])
    assert browser.errors() == []


def test_a_script_in_a_label_is_text(browser, page):
    path, _, _ = page
    browser.open(path)
    assert browser.js("document.querySelectorAll('script').length") == 3  # vis, the data block, the page script
    assert browser.js("typeof window.__smolgraph_pwned") == "undefined"
    labels = browser.js("window.smolgraph.data.nodes.map(n => n.label)")
    assert EVIL_NAME in labels
    browser.js("window.smolgraph.search('Клуб')")
    assert browser.js("document.getElementById('sg-details-title').textContent") == EVIL_NAME
    assert browser.js("document.getElementById('sg-details-title').children.length") == 0
    assert browser.errors() == []


def test_colour_switch_and_legend(browser, page):
    path, _, _ = page
    browser.open(path)
    kinds = browser.js("Array.from(document.querySelectorAll('#sg-legend li')).map(li => li.textContent)")
    assert kinds == ["local agency", "foreign organisation"]
    browser.js("window.smolgraph.setColour('country')")
    countries = browser.js("Array.from(document.querySelectorAll('#sg-legend li')).map(li => li.textContent)")
    assert "Беларусь" in countries and "Китай" in countries
    tip = browser.js("window.smolgraph.edges.get(0).title.textContent")
    assert "smolensk-2025-q" in tip and "#" in tip
    assert browser.errors() == []


def test_two_thousand_nodes_stay_usable(browser, tmp_path):
    G = _big_graph(2000, 6000)
    started = time.perf_counter()
    result = write_page(G, tmp_path / "big.html", title="2,000 nodes")
    written = time.perf_counter() - started
    assert result.nodes == 2000 and not any("the page shows" in n for n in result.notes)
    started = time.perf_counter()
    browser.open(tmp_path / "big.html", settle_timeout=180)
    settled = time.perf_counter() - started
    browser.drain(0.3)
    assert browser.errors() == []
    assert browser.js("window.smolgraph.visibleCounts()") == {"nodes": 2000, "edges": result.edges}
    assert browser.js("window.smolgraph.search('partner 1999').length") == 1
    print(f"2,000 nodes: page written in {written:.1f} s, settled in the browser in {settled:.1f} s")
    assert written < 60 and settled < 150, (written, settled)


def test_beyond_the_limit_the_page_aggregates_and_says_so(browser, tmp_path):
    G = _big_graph(300, 600)
    result = write_page(G, tmp_path / "cut.html", max_nodes=100)
    assert result.nodes == 100
    assert result.notes and "300 nodes" in result.notes[0]
    browser.open(tmp_path / "cut.html")
    note = browser.js("document.getElementById('sg-notes').textContent")
    assert "300 nodes" in note and "100" in note
    assert browser.js("window.smolgraph.visibleCounts().nodes") == 100
    assert browser.errors() == []


def _big_graph(n: int, m: int) -> nx.DiGraph:
    """A random partner network with events, built directly (no store)."""
    import random

    rng = random.Random(5)
    G = nx.DiGraph()
    G.graph["events"] = {}
    G.graph["projection"] = "bipartite"
    agencies = max(1, n // 20)
    for i in range(n):
        kind = "local_org" if i < agencies else "foreign_org"
        G.add_node(f"n{i}", label=f"{'agency' if kind == 'local_org' else 'partner'} {i}", kind=kind,
                   country_label=rng.choice(["Беларусь", "Китай", "Индия", "Сербия"]), events=[])
    edges = 0
    e = 0
    while edges < m:
        u, v = f"n{rng.randrange(agencies)}", f"n{rng.randrange(agencies, n)}"
        eid = f"urn:e{e}"
        e += 1
        month = rng.randint(1, 12)
        G.graph["events"][eid] = {"report": f"r-{month}", "row": e, "title": f"event {e}", "sphere": "s",
                                  "start": f"2025-{month:02d}-01", "end": f"2025-{month:02d}-02", "online": False,
                                  "countries": [G.nodes[v]["country_label"]]}
        if G.has_edge(u, v):
            G[u][v]["events"].append(eid)
            G[u][v]["weight"] += 1
        else:
            G.add_edge(u, v, weight=1, events=[eid])
            edges += 1
        G.nodes[u]["events"].append(eid)
        G.nodes[v]["events"].append(eid)
    # every node has at least one event, so isolates can be filtered too
    for v, a in G.nodes(data=True):
        if not a["events"]:
            eid = f"urn:e{e}"
            e += 1
            G.graph["events"][eid] = {"report": "r", "row": e, "title": "solo", "sphere": "s", "start": "2025-01-01",
                                      "end": "2025-01-01", "online": False, "countries": []}
            a["events"].append(eid)
    return G
