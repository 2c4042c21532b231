// The map of the current filter (docs/app.md, "Map"): partner countries shaded by events, partner places as
// circles sized by events, over Natural Earth's country shapes (vendor/world-atlas), drawn with d3-geo and
// topojson-client as SVG. Nothing is fetched from outside: no tiles. Clicking a country or a circle (or Enter
// on it) opens its contacts. Everything from the store goes in through textContent and setAttribute.
"use strict";
(function () {
  const sg = window.smolgraph;
  const NS = "http://www.w3.org/2000/svg";
  const WIDTH = 960, HEIGHT = 500, PAD = 24;
  // Sequential blues (ColorBrewer "Blues", 6 classes): one per class of event counts, light to dark.
  const COLOURS = ["#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"];
  const UNSHADED = "#e9e9e4";
  // Class bounds of event counts: 1, 2, 5, 10, 20, 50 … (a class runs up to the next bound minus one).
  const STEPS = [1, 2, 5];
  // Natural Earth at 1:110m (108 kB) for wide views, where it is detailed enough and four times faster to
  // project; at 1:50m (756 kB, with the small states: Singapore, Bahrain, Malta …) once a view is narrower than this.
  const DETAILED_BELOW = 60;  // degrees of longitude in view
  const worlds = {};         // resolution -> promise of the country features, each loaded once
  let last = null;           // the last answer, redrawn when the view mode changes
  let whole = false;         // false: fitted to the partners; true: the whole world
  let seq = 0;

  function svg(tag, attrs) {
    const node = document.createElementNS(NS, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    return node;
  }

  function loadWorld(resolution) {
    if (!worlds[resolution]) {
      worlds[resolution] = sg.api("/vendor/world-atlas/countries-" + resolution + ".json")
        .then((topology) => {
          const features = topojson.feature(topology, topology.objects.countries).features;
          for (const feature of features) {
            feature.box = lonLatBox(feature.geometry);
            feature.paths = new Map();  // projection -> path, for the views drawn so far (two kept)
          }
          return features;
        })
        .catch((error) => { delete worlds[resolution]; throw error; });
    }
    return worlds[resolution];
  }

  // The plain longitude/latitude box of a geometry ([west, south, east, north]), to leave out shapes outside the
  // view before projecting them: projecting all 241 shapes of the 1:50m file takes 100–300 ms on a busy 2-core box.
  function lonLatBox(geometry) {
    const box = [Infinity, Infinity, -Infinity, -Infinity];
    const walk = (c) => {
      if (typeof c[0] === "number") {
        if (c[0] < box[0]) box[0] = c[0];
        if (c[1] < box[1]) box[1] = c[1];
        if (c[0] > box[2]) box[2] = c[0];
        if (c[1] > box[3]) box[3] = c[1];
      } else {
        for (const part of c) walk(part);
      }
    };
    if (geometry) walk(geometry.coordinates);
    return box;
  }

  // The longitudes and latitudes the frame shows, from the projection's inverse at points along its edges,
  // longitudes taken relative to the view's central meridian; null when some point has no inverse.
  function visibleBox(project) {
    const centre = -project.rotate()[0];
    const box = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i <= 8; i += 1) {
      for (const [x, y] of [[i * WIDTH / 8, 0], [i * WIDTH / 8, HEIGHT], [0, i * HEIGHT / 8], [WIDTH, i * HEIGHT / 8]]) {
        const at = project.invert([x, y]);
        if (!at || !isFinite(at[0]) || !isFinite(at[1])) return null;
        const lon = relative(at[0], centre);
        box[0] = Math.min(box[0], lon); box[2] = Math.max(box[2], lon);
        box[1] = Math.min(box[1], at[1]); box[3] = Math.max(box[3], at[1]);
      }
    }
    return [box[0] - 3, box[1] - 3, box[2] + 3, box[3] + 3];
  }

  function relative(lon, centre) {
    return ((lon - centre) % 360 + 540) % 360 - 180;
  }

  function inView(shape, view, centre) {
    if (!view || shape[2] - shape[0] > 180) return true;  // a shape across the antimeridian, or huge: always drawn
    const west = relative(shape[0], centre), east = relative(shape[2], centre);
    if (east < west) return true;  // cut by the meridian opposite the centre
    return west <= view[2] && east >= view[0] && shape[1] <= view[3] && shape[3] >= view[1];
  }

  // The class bounds for counts up to `max` (at least 1): 1, 2, 5, 10 … up to max, at most COLOURS.length of them.
  function classes(max) {
    const bounds = [];
    for (let scale = 1; bounds.length < 30; scale *= 10) {
      for (const step of STEPS) {
        if (step * scale > max) {
          while (bounds.length > COLOURS.length) bounds.splice(1, 1);  // merge the smallest classes first
          return bounds;
        }
        bounds.push(step * scale);
      }
    }
    return bounds;
  }

  function classOf(bounds, events) {
    let index = 0;
    for (let i = 0; i < bounds.length; i += 1) if (events >= bounds[i]) index = i;
    return index;
  }

  function colour(bounds, events) {
    if (!events) return UNSHADED;
    // spread the classes over the palette so that two classes are light and dark, not two light blues
    const index = classOf(bounds, events);
    const at = bounds.length === 1 ? COLOURS.length - 2 : Math.round(index * (COLOURS.length - 1) / (bounds.length - 1));
    return COLOURS[at];
  }

  function rangeLabel(bounds, index) {
    const low = bounds[index], next = bounds[index + 1];
    if (next === undefined) return low + (index === 0 ? "" : "+");
    return next - 1 === low ? String(low) : low + "–" + (next - 1);
  }

  // The projection: the whole world in Natural Earth's projection, or a conic fitted to the partners.
  function projection(features, data) {
    const frame = [[PAD, PAD], [WIDTH - PAD, HEIGHT - PAD]];
    const inner = [[PAD * 2, PAD * 2], [WIDTH - PAD * 2, HEIGHT - PAD * 2]];  // room for the circles at the edges
    const sphere = { type: "Sphere" };
    const partners = new Set(data.countries.map((c) => c.numeric).filter(Boolean));
    const shown = { type: "FeatureCollection", features: features.filter((f) => partners.has(f.id)) };
    const points = data.places.map((p) => [p.lon, p.lat]).concat(
      data.countries.filter((c) => !shown.features.some((f) => f.id === c.numeric) && c.lat !== null).map((c) => [c.lon, c.lat]));
    if (points.length) shown.features.push({ type: "Feature", geometry: { type: "MultiPoint", coordinates: points } });
    if (whole || !shown.features.length) return d3.geoNaturalEarth1().fitExtent(frame, sphere);
    let [[west, south], [east, north]] = d3.geoBounds(shown);
    let span = ((east - west) % 360 + 360) % 360;  // across the antimeridian too (Russia's Chukotka)
    const centre = west + span / 2;
    // Never closer than about 10° by 6°: a small country, or one town, keeps its neighbours in view.
    if (span < 10) { west = centre - 5; span = 10; }
    if (north - south < 6) { const middle = (north + south) / 2; south = middle - 3; north = middle + 3; }
    const box = { type: "MultiPoint", coordinates: [0, 0.5, 1].flatMap((f) => [[west + f * span, south], [west + f * span, north]]) };
    if (span > 150 || north - south > 70) {  // a hemisphere or more: Natural Earth, turned to the partners
      return d3.geoNaturalEarth1().rotate([-centre, 0]).fitExtent(inner, box);
    }
    // A conic with its standard parallels a sixth of the way in from the southern and northern edges (the
    // usual rule of thumb) shows a country or a continent with little distortion.
    const height = north - south;
    const parallels = [south + height / 6, north - height / 6].map((p) => Math.max(-80, Math.min(80, p)));
    return d3.geoConicConformal().rotate([-centre, 0]).parallels(parallels).fitExtent(inner, box);
  }

  function open(id, name) {
    sg.chooseSubject({ param: "place", id, name });
  }

  function focusable(node, id, name, label) {
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", "button");
    node.setAttribute("aria-label", label);
    node.addEventListener("click", () => open(id, name));
    node.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        open(id, name);
      }
    });
  }

  function countLabel(name, events) {
    return name + ": " + events + " " + sg.t("events");
  }

  function render(features, data) {
    const panel = document.getElementById("map-panel");
    const heading = sg.el("h2", sg.t("map.heading"));
    const toggle = sg.el("button", sg.t(whole ? "map.partners" : "map.world"), { type: "button", id: "map-toggle" });
    toggle.addEventListener("click", () => {
      whole = !whole;
      if (last) draw(last, seq).catch((error) => sg.showError(document.getElementById("map-panel"), error));
    });
    const bar = sg.el("div", null, { class: "map-bar" });
    bar.append(heading, toggle);
    const byNumeric = new Map(data.countries.filter((c) => c.numeric).map((c) => [c.numeric, c]));
    const max = Math.max(0, ...data.countries.map((c) => c.events));
    const bounds = classes(Math.max(max, 1));
    const project = projection(features, data);
    // Zoomed in, adaptive resampling would split every long edge of shapes far outside the frame (all of
    // Russia around Belarus) into thousands of points: the shapes' own points are dense enough there.
    if (!whole) project.precision(0);
    const path = d3.geoPath(project).digits(1);
    const view = whole ? null : visibleBox(project), centre = -project.rotate()[0];
    const key = [project.scale(), ...project.translate(), ...project.rotate(), ...(project.parallels ? project.parallels() : [])].join();
    const map = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, id: "map", role: "group", "aria-label": sg.t("map.label"),
                             "data-mode": whole ? "world" : "partners" });
    map.append(svg("path", { d: path({ type: "Sphere" }), class: "sphere" }));
    const countries = svg("g", { class: "countries" });
    const drawn = new Set();
    for (const feature of features) {
      if (!inView(feature.box, view, centre)) continue;
      // A view seen before (the whole world; a new filter on the same partners) reuses its shapes' paths.
      const cached = feature.paths.get(key);
      const d = cached !== undefined ? cached : path(feature);
      if (cached === undefined) {
        if (feature.paths.size >= 2) feature.paths.delete(feature.paths.keys().next().value);
        feature.paths.set(key, d);
      }
      if (!d) continue;
      const partner = byNumeric.get(feature.id);
      const named = (feature.id && data.country_names[feature.id]) || null;
      const node = svg("path", { d, class: partner ? "country partner" : "country", fill: colour(bounds, partner ? partner.events : 0),
                                 "data-events": partner ? partner.events : 0 });
      if (feature.id) node.setAttribute("data-numeric", feature.id);
      if (named) node.setAttribute("data-code", named.code);
      const title = svg("title");
      title.textContent = partner ? countLabel(partner.name, partner.events) : (named ? named.name : (feature.properties.name || ""));
      node.append(title);
      if (partner) {
        drawn.add(partner.code);
        focusable(node, partner.code, partner.name, title.textContent);
      } else if (named) {
        node.addEventListener("click", () => open(named.code, named.name));
      }
      countries.append(node);
    }
    map.append(countries);
    // Partner countries without a shape at this scale (Абхазия, Южная Осетия, small islands): a square at the capital.
    const markers = svg("g", { class: "country-markers" });
    for (const country of data.countries) {
      if (drawn.has(country.code) || country.lat === null || country.lat === undefined) continue;
      const at = project([country.lon, country.lat]);
      if (!at) continue;
      const node = svg("rect", { x: at[0] - 5, y: at[1] - 5, width: 10, height: 10, class: "country-marker",
                                 fill: colour(bounds, country.events), "data-code": country.code, "data-events": country.events });
      const title = svg("title");
      title.textContent = countLabel(country.name, country.events);
      node.append(title);
      focusable(node, country.code, country.name, title.textContent);
      markers.append(node);
    }
    map.append(markers);
    // Circles: area by events, the largest first so that a town is drawn over its region's circle.
    const points = svg("g", { class: "points" });
    const most = Math.max(1, ...data.places.map((p) => p.events));
    const places = data.places.slice().sort((a, b) => b.events - a.events);
    for (const place of places) {
      const at = project([place.lon, place.lat]);
      if (!at) continue;
      const node = svg("circle", { cx: at[0].toFixed(1), cy: at[1].toFixed(1), r: (2.5 + 11.5 * Math.sqrt(place.events / most)).toFixed(1),
                                   class: "point point-" + place.kind, "data-place-id": place.id, "data-events": place.events });
      const title = svg("title");
      title.textContent = countLabel(place.name, place.events);
      node.append(title);
      focusable(node, place.id, place.name, title.textContent);
      points.append(node);
    }
    map.append(points);

    const legend = sg.el("ul", null, { class: "map-legend", id: "map-legend" });
    legend.append(sg.el("li", sg.t("map.legend") + ":", { class: "map-legend-title" }));
    bounds.forEach((low, index) => {
      const item = sg.el("li");
      const swatch = sg.el("span", null, { class: "map-swatch" });
      swatch.style.background = colour(bounds, low);
      item.append(swatch, document.createTextNode(rangeLabel(bounds, index)));
      legend.append(item);
    });
    const notes = [sg.el("p", sg.t("map.points"), { class: "map-note" })];
    if (!data.countries.length) notes.unshift(sg.el("p", sg.t("map.empty"), { class: "map-note", id: "map-empty" }));
    if (data.places_without_coordinates.length) {
      notes.push(sg.el("p", sg.t("map.unplaced") + ": " + data.places_without_coordinates.join(", "),
                       { class: "map-note", id: "map-unplaced" }));
    }
    notes.push(sg.el("p", sg.t("map.credit"), { class: "map-credit" }));
    panel.replaceChildren(bar, map, legend, ...notes);
  }

  // Draws `data` with the shapes its view needs: the wide shapes first decide how wide the view is.
  async function draw(data, mine) {
    let features = await loadWorld("110m");
    const view = whole ? null : visibleBox(projection(features, data));
    if (view && view[2] - view[0] < DETAILED_BELOW) features = await loadWorld("50m");
    if (mine === seq) render(features, data);
  }

  async function load(params) {
    const mine = ++seq;
    const panel = document.getElementById("map-panel");
    try {
      const [, data] = await Promise.all([loadWorld("110m"), sg.api("/api/map?" + params)]);
      if (mine !== seq) return;
      last = data;
      await draw(data, mine);
    } catch (error) {
      if (mine === seq) sg.showError(panel, error);
    }
  }

  sg.onFilter(load);
})();
