// The timeline view (docs/app.md, "Timeline"): events of the current filter per month or quarter, stacked by
// sphere or partner country, drawn as SVG bars in #timeline-panel from /api/timeline. A brush (drag across
// the bars, or click a bar and shift-click another) sets the page's from/to filters; the timeline itself is
// asked without from/to, so the whole span stays in view with the brushed periods marked.
"use strict";
(function () {
  const sg = window.smolgraph;
  const SVG = "http://www.w3.org/2000/svg";
  const W = 720, H = 240, M = { left: 44, right: 8, top: 12, bottom: 42 };
  // Ten colours told apart by most readers (Tableau 10), two more for a long list of spheres; grey for "other"/"none".
  const COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
                   "#9c755f", "#17becf", "#8c6d31", "#393b79"];
  const GREYS = { other: "#bab0ac", none: "#dddddd" };
  const view = { by: "month", stack: "sphere", data: null, seq: 0, range: null, drag: null, focus: null };

  const $panel = () => document.getElementById("timeline-panel");

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function colourOf(series, index) {
    return series.kind === "value" ? COLOURS[index % COLOURS.length] : GREYS[series.kind];
  }

  // -- names of periods, in the reader's language ----------------------------------------------
  function lang() { return document.documentElement.lang || undefined; }

  function periodName(period, long) {
    const [year, part] = period.period.split("-");
    if (part.startsWith("Q")) return sg.t("timeline.quarter_label").replace("{q}", part.slice(1)).replace("{year}", year);
    const format = new Intl.DateTimeFormat(lang(), { month: long ? "long" : "short", year: "numeric", timeZone: "UTC" });
    return format.format(new Date(Date.UTC(Number(year), Number(part) - 1, 1)));
  }

  // -- loading -----------------------------------------------------------------------------------
  async function load(params) {
    const seq = ++view.seq;
    const asked = new URLSearchParams(params || sg.filterParams());
    view.range = asked.get("from") || asked.get("to") ? { from: asked.get("from") || "", to: asked.get("to") || "" } : null;
    // The brushed period filters the rest of the page, not the timeline: it shows the whole span with the period marked.
    asked.delete("from");
    asked.delete("to");
    asked.set("by", view.by);
    asked.set("stack", view.stack);
    const body = frame();
    try {
      const data = await sg.api("/api/timeline?" + asked);
      if (seq !== view.seq) return;
      view.data = data;
      draw(body, data);
    } catch (error) {
      if (seq === view.seq) sg.showError(body, error);
    }
  }

  // The panel's fixed part (heading, toggles, clear button), made once; returns the box the chart goes in.
  function frame() {
    const panel = $panel();
    let body = document.getElementById("timeline-body");
    if (body) {
      updateControls();
      return body;
    }
    const controls = sg.el("div", null, { class: "timeline-controls" });
    const toggle = (name, options) => {
      const group = sg.el("span", null, { class: "timeline-toggle", role: "group" });
      for (const option of options) {
        const button = sg.el("button", sg.t("timeline." + option), { type: "button", ["data-" + name]: option, id: "timeline-" + option });
        button.addEventListener("click", () => { view[name] = option; load(); });
        group.append(button);
      }
      return group;
    };
    const clear = sg.el("button", sg.t("timeline.clear"), { type: "button", id: "timeline-clear" });
    clear.addEventListener("click", () => sg.setFilters({ from: "", to: "" }));
    controls.append(toggle("by", ["month", "quarter"]), toggle("stack", ["sphere", "country"]), clear);
    body = sg.el("div", null, { id: "timeline-body" });
    panel.replaceChildren(sg.el("h3", sg.t("timeline.heading")), controls, body,
                          sg.el("p", sg.t("timeline.hint"), { class: "timeline-hint" }));
    updateControls();
    return body;
  }

  function updateControls() {
    for (const button of document.querySelectorAll("#timeline-panel .timeline-toggle button")) {
      const [name, value] = button.dataset.by ? ["by", button.dataset.by] : ["stack", button.dataset.stack];
      button.setAttribute("aria-pressed", String(view[name] === value));
    }
    const clear = document.getElementById("timeline-clear");
    if (clear) clear.disabled = !view.range;
  }

  // -- drawing -------------------------------------------------------------------------------------
  function niceStep(max) {
    const rough = Math.max(max, 1) / 4;
    const power = Math.pow(10, Math.floor(Math.log10(rough)));
    const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= rough);
    return Math.max(1, step);
  }

  function selected(period) {
    const range = view.range;
    if (!range) return false;
    return (!range.from || period.last >= range.from) && (!range.to || period.first <= range.to);
  }

  function draw(body, data) {
    updateControls();
    body.replaceChildren();
    const periods = data.periods;
    if (!periods.length) {
      body.append(sg.el("p", sg.t("timeline.empty"), { class: "timeline-empty" }));
    } else {
      body.append(chart(data));
    }
    body.append(legend(data));
    if (view.focus) {
      const again = body.querySelector(`g.period[data-period="${view.focus}"]`);
      view.focus = null;
      if (again) again.focus();
    }
    if (data.undated.events) {
      body.append(sg.el("p", data.undated.events + " " + sg.t("timeline.undated"), { class: "timeline-undated", "data-count": data.undated.events }));
    }
  }

  function chart(data) {
    const periods = data.periods;
    const plotW = W - M.left - M.right, plotH = H - M.top - M.bottom;
    const band = plotW / periods.length;
    const highest = Math.max(1, ...periods.map((p) => p.counts.reduce((a, b) => a + b, 0)));
    const step = niceStep(highest);
    const top = Math.ceil(highest / step) * step;
    const y = (value) => M.top + plotH - (value / top) * plotH;
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "timeline-chart", role: "img",
                              "aria-label": sg.t("timeline.heading"), "data-by": data.by, "data-stack": data.stack });
    // The y axis: grid lines and event counts.
    const axis = svg("g", { class: "axis y" });
    for (let value = 0; value <= top; value += step) {
      axis.append(svg("line", { x1: M.left, x2: W - M.right, y1: y(value), y2: y(value) }),
                  svg("text", { x: M.left - 6, y: y(value) + 4, "text-anchor": "end" }, value));
    }
    axis.append(svg("text", { x: 12, y: M.top + plotH / 2, "text-anchor": "middle", class: "axis-title",
                              transform: `rotate(-90 12 ${M.top + plotH / 2})` }, sg.t("events")));
    root.append(axis);
    // The brushed periods, behind the bars, and the live brush while dragging.
    const marks = svg("g", { class: "marks" });
    root.append(marks);
    const labels = svg("g", { class: "axis x" });
    // At most one label per 56 units of width; the rest are in each bar's tooltip.
    const every = Math.max(1, Math.ceil(56 / band));
    const bars = svg("g", { class: "bars" });
    periods.forEach((period, index) => {
      const x = M.left + index * band;
      const group = svg("g", { class: "period" + (selected(period) ? " selected" : ""), "data-period": period.period,
                               "data-count": period.events, "data-first": period.first, "data-last": period.last,
                               "data-index": index, tabindex: 0, role: "button",
                               "aria-label": periodName(period, true) + ": " + period.events + " " + sg.t("events") });
      if (selected(period)) marks.append(svg("rect", { class: "brushed", x, y: M.top, width: band, height: plotH }));
      // The whole column takes the pointer, so a short bar (or none) can be clicked too.
      group.append(svg("rect", { class: "hit", x, y: M.top, width: band, height: plotH }));
      let base = 0;
      const lines = [periodName(period, true) + ": " + period.events + " " + sg.t("events")];
      data.series.forEach((series, s) => {
        const count = period.counts[s];
        if (!count) return;
        group.append(svg("rect", { class: "bar", x: x + band * 0.12, width: band * 0.76, y: y(base + count),
                                   height: y(base) - y(base + count), fill: colourOf(series, s),
                                   "data-series": series.value === null ? series.kind : series.value, "data-count": count }));
        base += count;
        lines.push(series.label + ": " + count);
      });
      group.append(svg("title", null, lines.join("\n")));
      bars.append(group);
      if (index % every === 0) {
        labels.append(svg("text", { x: x + band / 2, y: H - M.bottom + 16, "text-anchor": "middle" }, periodName(period, false)));
      }
    });
    labels.append(svg("line", { x1: M.left, x2: W - M.right, y1: M.top + plotH, y2: M.top + plotH }));
    root.append(bars, labels);
    wireBrush(root, periods, marks, band, plotH);
    return root;
  }

  function legend(data) {
    const list = sg.el("ul", null, { class: "timeline-legend" });
    data.series.forEach((series, s) => {
      const item = sg.el("li", null, { "data-series": series.value === null ? series.kind : series.value, "data-count": series.total });
      const swatch = sg.el("span", null, { class: "swatch" });
      swatch.style.background = colourOf(series, s);
      item.append(swatch, sg.el("span", series.label), sg.el("span", String(series.total), { class: "total" }));
      list.append(item);
    });
    return list;
  }

  // -- the brush -------------------------------------------------------------------------------------
  function choose(periods, first, last) {
    const [a, b] = first <= last ? [first, last] : [last, first];
    return sg.setFilters({ from: periods[a].first, to: periods[b].last });
  }

  // A click (or Enter) selects the period; with Shift it extends the brushed range to take the period in.
  function pick(periods, index, extend) {
    const period = periods[index];
    if (extend && view.range) {
      const from = view.range.from && view.range.from < period.first ? view.range.from : period.first;
      const to = view.range.to && view.range.to > period.last ? view.range.to : period.last;
      return sg.setFilters({ from, to });
    }
    return choose(periods, index, index);
  }

  function wireBrush(root, periods, marks, band, plotH) {
    const xOf = (event) => {
      const box = root.getBoundingClientRect();
      return (event.clientX - box.left) * (W / box.width);
    };
    const indexAt = (event) => Math.min(periods.length - 1, Math.max(0, Math.floor((xOf(event) - M.left) / band)));
    const live = svg("rect", { class: "brush", y: M.top, height: plotH, width: 0, x: M.left });
    root.addEventListener("pointerdown", (event) => {
      if (event.button !== 0 || xOf(event) < M.left || xOf(event) > W - M.right) return;
      view.drag = { start: indexAt(event), end: indexAt(event), moved: false };
      root.setPointerCapture(event.pointerId);
    });
    root.addEventListener("pointermove", (event) => {
      const drag = view.drag;
      if (!drag) return;
      drag.end = indexAt(event);
      if (drag.end !== drag.start) drag.moved = true;
      if (!drag.moved) return;
      const [a, b] = drag.start <= drag.end ? [drag.start, drag.end] : [drag.end, drag.start];
      live.setAttribute("x", M.left + a * band);
      live.setAttribute("width", (b - a + 1) * band);
      if (!live.parentNode) marks.append(live);
    });
    const finish = (event, apply) => {
      const drag = view.drag;
      view.drag = null;
      if (root.hasPointerCapture(event.pointerId)) root.releasePointerCapture(event.pointerId);
      live.remove();
      if (!apply || !drag) return;
      // A press and release on one period is a click on it (handled here: under pointer capture the click
      // event's target is the chart, not the bar); across periods, a brush.
      if (drag.moved) choose(periods, drag.start, drag.end);
      else pick(periods, drag.start, event.shiftKey);
    };
    root.addEventListener("pointerup", (event) => finish(event, true));
    root.addEventListener("pointercancel", (event) => finish(event, false));
    root.addEventListener("keydown", (event) => {
      const group = event.target.closest && event.target.closest("g.period");
      if (!group || (event.key !== "Enter" && event.key !== " ")) return;
      event.preventDefault();
      view.focus = group.dataset.period;  // the chart is drawn anew: the key's period gets the focus back
      pick(periods, Number(group.dataset.index), event.shiftKey);
    });
  }

  sg.onFilter(load);
  // What tests read: the timeline's own state (by, stack, the brushed range, the last answer).
  sg.timeline = view;
})();
