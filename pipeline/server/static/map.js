// The map of France by département: each shaded by the count the server gives (the library
// counts, this file only draws), hover or focus names it, click or Enter picks it. The same
// counts are written under the map as text.
import { append, h } from "./dom.js";
import { getJSON } from "./http.js";

const SVG_NS = "http://www.w3.org/2000/svg";  // a namespace name, never fetched
let basemap = null;

export function loadBasemap() {
  basemap = basemap || getJSON("/api/basemap").catch((err) => { basemap = null; throw err; });
  return basemap;
}

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, String(value));
  }
  return append(el, children);
}

const plural = (n, word) => `${n} ${word}${n > 1 ? "s" : ""}`;

// counts: the ``map`` object of the API. options: noun ("résultat"), title, selected (a
// département code), onPick(code) to make départements buttons, highlight (a single
// initiative's territory: shaded without a legend of counts).
export function territoryMap(base, counts, options = {}) {
  const noun = options.noun || "résultat";
  const byCode = new Map(counts.departements.map((d) => [d.code, d]));
  const tip = h("p", { class: "map-tip", "aria-hidden": "true" }, options.hint || "");
  const paths = [];
  const shape = (dep, focusable) => {
    const found = byCode.get(dep.code);
    const n = found ? found.count : 0;
    const label = options.highlight ? `${dep.name} (${dep.code})${n ? " : son territoire" : ""}`
      : `${dep.name} (${dep.code}) : ${n ? plural(n, noun) : "aucun " + noun}`;
    const path = s("path", {
      d: dep.path, "data-code": dep.code,
      class: ["dep", found ? "l" + found.level : "l0", dep.code === options.selected ? "selected" : ""].join(" "),
      role: "button", "aria-label": label,
      tabindex: focusable ? "-1" : null,
      "aria-hidden": focusable ? null : "true",
      onmouseenter: () => { tip.textContent = label; },
      onfocus: () => { tip.textContent = label; },
      onclick: options.onPick ? () => options.onPick(dep.code) : null,
    }, s("title", {}, label));
    if (!options.onPick) {  // a picture: the figure's text says what it shows
      for (const name of ["role", "tabindex", "aria-label"]) path.removeAttribute(name);
      path.setAttribute("aria-hidden", "true");
    } else if (focusable) paths.push(path);
    return path;
  };
  const zoomed = new Set(base.insets.filter((i) => i.zoom).flatMap((i) => i.departements));
  const svg = s("svg", {
    viewBox: base.viewBox, class: "map-svg", role: options.onPick ? "group" : "img",
    "aria-label": options.highlight
      ? "Carte : " + (counts.departements.map((d) => d.name).join(", ") || "aucun département")
      : options.title || "Carte des départements",
  },
  base.insets.map((inset) => s("g", { class: "inset", "aria-hidden": "true" },
    s("rect", { x: inset.box[0], y: inset.box[1], width: inset.box[2], height: inset.box[3], rx: 4 }),
    s("text", { x: inset.box[0] + 4, y: inset.box[1] + 19 }, inset.label))),
  base.departements.map((dep) => shape(dep, !zoomed.has(dep.code))),
  base.insets.filter((i) => i.zoom).map((inset) => s("g", {
    transform: `translate(${inset.zoom.dx} ${inset.zoom.dy}) scale(${inset.zoom.scale})`, class: "zoom",
  }, base.departements.filter((d) => inset.departements.includes(d.code)).map((dep) => shape(dep, true)))));
  svg.addEventListener("mouseleave", () => { tip.textContent = options.hint || ""; });
  if (options.onPick) rovingFocus(paths, options.onPick, options.selected);
  return h("figure", { class: options.highlight ? "map highlight" : "map" },
    options.title ? h("figcaption", {}, options.title) : null,
    svg, tip,
    options.highlight ? null : legendOf(counts),
    textAlternative(counts, noun, options.highlight),
    h("p", { class: "map-credit" }, base.attribution));
}

// One tab stop for the whole map; arrows move between départements (in name order), Enter or
// Space picks the one focused.
function rovingFocus(paths, onPick, selected) {
  const order = [...paths].sort((a, b) =>
    a.getAttribute("aria-label").localeCompare(b.getAttribute("aria-label"), "fr"));
  const start = order.find((p) => p.dataset.code === selected)
    || order.find((p) => !p.classList.contains("l0")) || order[0];
  if (start) start.setAttribute("tabindex", "0");
  order.forEach((path, i) => path.addEventListener("keydown", (event) => {
    const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -i, End: order.length - 1 - i };
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      onPick(path.dataset.code);
    } else if (event.key in moves) {
      event.preventDefault();
      const next = order[(i + moves[event.key] + order.length) % order.length];
      path.setAttribute("tabindex", "-1");
      next.setAttribute("tabindex", "0");
      next.focus();
    }
  }));
}

// The shades, then what no shade shows: initiatives placed in a région only, or nowhere.
function legendOf(counts) {
  return h("ul", { class: "map-legend", "aria-hidden": "true" },
    h("li", {}, h("span", { class: "swatch l0" }), "aucun"),
    counts.legend.map((step) => h("li", {}, h("span", { class: "swatch l" + step.level }), step.label)),
    counts.regions_only.map((r) => h("li", { class: "unshaded" }, `${r.name} (région seule) : ${r.count}`)),
    counts.without_territory
      ? h("li", { class: "unshaded" }, `sans territoire : ${counts.without_territory}`) : null);
}

// The counts as text, most first: the map's alternative for a screen reader, and its
// detail for anyone.
function textAlternative(counts, noun, highlight) {
  const named = [...counts.departements].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, "fr"));
  const items = named.map((d) => h("li", {}, `${d.name} (${d.code})`,
    highlight ? null : ` : ${d.count}`, d.on_map ? null : " (hors carte)"));
  items.push(...counts.regions_only.map((r) => h("li", {},
    `${r.name} : région seule${highlight ? "" : ", " + r.count}`)));
  if (counts.without_territory) {
    items.push(h("li", {}, highlight ? "sans territoire connu" : `sans territoire : ${counts.without_territory}`));
  }
  const head = highlight ? "Territoire" : `Où sont les ${plural(counts.total, noun)}`;
  return h("div", { class: "map-list" }, h("p", { class: "map-list-head" }, head + " :"),
    items.length ? h("ul", {}, items) : h("p", {}, "aucun"));
}
