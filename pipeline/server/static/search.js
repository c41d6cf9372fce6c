// The search page: free text or « projets comme … », title suggestions, filters, results.
import {
  actorKind, h, initiativeHref, replace, shorten, territoryLabel, themeChips,
} from "./dom.js";
import { errorBlock, getJSON } from "./http.js";
import { loadBasemap, territoryMap } from "./map.js";

const FILTERS = ["theme", "region", "departement", "actor_kind"];
const K = 10;

const form = () => document.getElementById("search-form");
const input = () => document.getElementById("q");
const out = () => document.getElementById("search-out");

export function searchHref(params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  return "#/?" + query;
}

export function initSearch() {
  form().addEventListener("submit", (event) => {
    event.preventDefault();
    closeSuggestions();
    const params = Object.fromEntries(FILTERS.map((f) => [f, form().elements[f].value]));
    params.q = input().value.trim();
    if (params.q) location.hash = searchHref(params);
  });
  for (const name of FILTERS) {
    form().elements[name].addEventListener("change", () => {
      countFilters();
      if (input().value.trim()) form().requestSubmit();
    });
  }
  initSuggestions();
  loadFilters();
}

export async function showSearch(params) {
  input().value = params.get("q") || "";
  for (const name of FILTERS) form().elements[name].dataset.wanted = params.get(name) || "";
  applyWantedFilters();
  const q = params.get("q");
  const like = params.get("similaire");
  if (!q && !like) return welcome();
  replace(out(), h("p", { class: "loading" }, "Recherche…"));
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f)]));
  try {
    const data = like ? await getJSON("/api/similar", { id: like, k: K, ...filters })
      : await getJSON("/api/search", { q, k: K, ...filters });
    let base = null;
    try {
      base = await loadBasemap();
    } catch (err) {
      base = null;  // the results are shown without their map
    }
    replace(out(), resultsBlock(q, data, Boolean(like) || data.query !== q, base, filters.departement));
  } catch (err) {
    replace(out(), errorBlock(err, (c) => searchHref({ ...filters, q: "projets comme " + c.title, similaire: c.id })));
  }
}

function resultsBlock(q, data, isLike, base, departement) {
  const n = data.results.length;
  const heading = isLike ? ["Initiatives proches de « ", data.query, " »"] : ["Résultats pour « ", q, " »"];
  const map = base && data.map && (n || departement) ? territoryMap(base, data.map, {
    title: "Où sont ces résultats", selected: departement, onPick: pickDepartement,
    hint: "Survolez ou choisissez un département (flèches, Entrée) pour filtrer les résultats.",
  }) : null;
  return h("div", { class: map ? "results-layout" : null },
    h("div", { class: "results-main" },
      h("h2", { class: "results-title" }, heading, h("span", { class: "muted" }, ` (${n})`)),
      n ? h("ol", { class: "hits" }, data.results.map((hit) => hitCard(hit)))
        : h("p", { class: "empty" }, "Aucune initiative trouvée. Essayez d'autres mots ou retirez des filtres.")),
    map ? h("aside", { class: "map-panel", "aria-label": "Carte des résultats" }, map) : null);
}

// A département chosen on the map becomes the département filter; chosen again, it is lifted.
function pickDepartement(code) {
  const select = form().elements.departement;
  const wanted = select.value === code ? "" : code;
  select.dataset.wanted = wanted;
  applyWantedFilters();
  form().requestSubmit();
}

export function hitCard(hit, compact = false) {
  const where = territoryLabel(hit.metadata, hit.places);
  return h("li", { class: compact ? "hit compact" : "hit" },
    h("h3", {}, h("a", { href: initiativeHref(hit.id) }, hit.title)),
    h("p", { class: "hit-meta" },
      where ? h("span", { class: "where" }, where) : null,
      h("span", { class: "score", title: "Score de proximité (plus haut = plus proche)" },
        "score " + hit.score.toFixed(2))),
    compact ? themeLine(hit.themes) : themeChips(hit.themes, false, 5),
    compact ? null : h("blockquote", { class: "passage" }, "« " + shorten(hit.passage, 320) + " »"),
    hit.reasons && hit.reasons.length
      ? h("ul", { class: "reasons", "aria-label": "Points communs" }, hit.reasons.map((r) => h("li", {}, r)))
      : null);
}

// In a narrow column, the strongest themes as one line rather than chips.
function themeLine(themes) {
  if (!themes || !themes.length) return null;
  const labels = [...themes].sort((a, b) => (b.score || 0) - (a.score || 0)).map((t) => t.label || t.id);
  const more = labels.length > 3 ? ` · + ${labels.length - 3}` : "";
  return h("p", { class: "hit-themes" }, labels.slice(0, 3).join(" · ") + more);
}

async function welcome() {
  const box = h("div", { class: "welcome" },
    h("p", {}, "Tapez quelques mots (« monnaie locale citoyenne », « filière alimentaire bio ») ou « projets comme » suivi du nom d'une initiative : les titres sont proposés au fil de la frappe."));
  replace(out(), box);
  try {
    const [first] = await getJSON("/api/titles", { limit: 1 });
    if (!first) return;
    const name = first.title.split(/\s[:–—-]\s|,\s/)[0];
    const examples = ["projets comme " + name, "monnaie locale citoyenne", "alimentation bio et locale"];
    box.append(h("p", { class: "examples" }, "Exemples : ",
      examples.map((e, i) => [i ? " · " : "", h("a", { href: searchHref({ q: e }) }, e)])));
  } catch (err) {
    box.append(errorBlock(err));
  }
}

// -- filters -------------------------------------------------------------------------------

async function loadFilters() {
  let choices;
  try {
    choices = await getJSON("/api/filters");
  } catch (err) {
    choices = { themes: [], regions: [], departements: [], actor_kinds: [] };
  }
  fill("theme", "Tous les thèmes", choices.themes.map((t) => [t.id, `${t.label} (${t.count})`]));
  fill("region", "Toutes les régions", choices.regions.map((r) => [r.code, `${r.name} (${r.count})`]));
  fill("departement", "Tous les départements",
    choices.departements.map((d) => [d.code, `${d.name} (${d.code})`]));
  fill("actor_kind", "Tous les acteurs",
    choices.actor_kinds.map((a) => [a.id, `${actorKind(a.id)} (${a.count})`]));
  applyWantedFilters();
  form().dataset.filters = "ready";
}

function fill(name, all, options) {
  const select = form().elements[name];
  replace(select, h("option", { value: "" }, options.length ? all : "— aucun dans l'index —"),
    options.map(([value, label]) => h("option", { value }, label)));
  select.disabled = !options.length;
}

function applyWantedFilters() {
  for (const name of FILTERS) {
    const select = form().elements[name];
    const wanted = select.dataset.wanted || "";
    if (wanted && ![...select.options].some((o) => o.value === wanted)) {
      select.append(h("option", { value: wanted }, wanted));  // from a shared link
    }
    select.value = wanted;
  }
  countFilters();
}

function countFilters() {
  const n = FILTERS.filter((f) => form().elements[f].value).length;
  document.getElementById("filter-count").textContent = n ? `(${n} actif${n > 1 ? "s" : ""})` : "";
  if (n) document.getElementById("filters").open = true;
}

// -- title suggestions ---------------------------------------------------------------------

let asked = 0;
let active = -1;
let timer = null;

function initSuggestions() {
  const box = input();
  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
  box.addEventListener("keydown", onKey);
  box.addEventListener("blur", () => setTimeout(closeSuggestions, 150));
}

// The server reads the question (« projets comme … ») and suggests titles for the name.
async function suggest() {
  const mine = ++asked;
  let found;
  try {
    found = await getJSON("/api/suggest", { q: input().value, limit: 8 });
  } catch (err) {
    return closeSuggestions();
  }
  if (mine !== asked || document.activeElement !== input()) return;
  if (!found.titles.length) return closeSuggestions();
  showSuggestions(found.titles, found.prefix || null);
}

function showSuggestions(titles, likePrefix) {
  const list = document.getElementById("suggestions");
  active = -1;
  replace(list, titles.map((t, i) => h("li", {
    id: "suggestion-" + i, role: "option", "aria-selected": "false",
    "data-id": t.id, "data-title": t.title,
    onmousedown: (event) => event.preventDefault(),  // keep the focus in the box
    onclick: () => choose(t, likePrefix),
  }, h("span", {}, t.title),
  h("small", {}, likePrefix ? "voir les initiatives comparables" : "ouvrir la fiche"))));
  list.hidden = !titles.length;
  list.likePrefix = likePrefix;
  input().setAttribute("aria-expanded", String(!list.hidden));
}

function closeSuggestions() {
  const list = document.getElementById("suggestions");
  clearTimeout(timer);
  asked++;  // an answer still on its way is not shown
  list.hidden = true;
  active = -1;
  input().setAttribute("aria-expanded", "false");
  input().removeAttribute("aria-activedescendant");
}

function choose(title, likePrefix) {
  closeSuggestions();
  if (!likePrefix) {
    location.hash = initiativeHref(title.id);
    return;
  }
  const params = Object.fromEntries(FILTERS.map((f) => [f, form().elements[f].value]));
  location.hash = searchHref({ ...params, q: likePrefix + title.title, similaire: title.id });
}

function onKey(event) {
  const list = document.getElementById("suggestions");
  const options = [...list.children];
  if (list.hidden || !options.length) return;
  if (event.key === "Escape") {
    event.preventDefault();  // close the list, keep what was typed
    closeSuggestions();
    return;
  }
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    active += event.key === "ArrowDown" ? 1 : -1;  // -1: back in the box
    if (active >= options.length) active = -1;
    if (active < -1) active = options.length - 1;
    options.forEach((o, i) => o.setAttribute("aria-selected", String(i === active)));
    if (active >= 0) input().setAttribute("aria-activedescendant", options[active].id);
    else input().removeAttribute("aria-activedescendant");
  } else if (event.key === "Enter" && active >= 0) {
    event.preventDefault();
    const o = options[active];
    choose({ id: o.dataset.id, title: o.dataset.title }, list.likePrefix);
  }
}
