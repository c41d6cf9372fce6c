// Building the page from data. Every text goes in through textContent or a text node,
// never parsed as markup: a title holding "<script>" shows as those characters.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (name === "class") el.className = value;
    else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

export function initiativeHref(id) {
  return "#/initiative/" + encodeURIComponent(id);
}

export const PLACE_KINDS = {
  commune: "Commune", epci: "Intercommunalité", departement: "Département",
  region: "Région", pnr: "Parc naturel régional", pays: "Pays", other: "Autre lieu",
};

export const ACTOR_KINDS = {
  collectivite: "Collectivité", epci: "Intercommunalité", etat_agence: "État ou agence",
  association: "Association", cooperative: "Coopérative", entreprise: "Entreprise",
  recherche_enseignement: "Recherche, enseignement", reseau: "Réseau",
  pnr: "Parc naturel régional", autre: "Autre acteur",
};

export function actorKind(kind) {
  return ACTOR_KINDS[kind] || kind;
}

// The territory to show: as the source wrote it, else the places found in the text.
export function territoryLabel(metadata, places) {
  if (metadata && typeof metadata.territory === "string" && metadata.territory) {
    return metadata.territory;
  }
  const names = (places || []).filter((p) => p.kind !== "other").map((p) => p.name || p.text);
  return [...new Set(names)].join(", ");
}

export function shorten(text, width) {
  const flat = String(text).split(/\s+/).join(" ").trim();
  if (flat.length <= width) return flat;
  const cut = flat.slice(0, width - 1);
  return cut.slice(0, Math.max(cut.lastIndexOf(" "), width / 2)) + "…";
}

// Themes as chips, strongest first; beyond ``limit``, a count of the others.
export function themeChips(themes, withScore = false, limit = Infinity) {
  if (!themes || !themes.length) return null;
  const sorted = [...themes].sort((a, b) => (b.score || 0) - (a.score || 0));
  const rest = sorted.slice(limit);
  return h("ul", { class: "chips", "aria-label": "Thèmes" },
    sorted.slice(0, limit).map((t) => h("li", {
      class: "chip theme",
      title: (t.evidence || []).length ? "Indices : " + t.evidence.join(", ") : null,
    }, t.label || t.id, withScore && t.score != null ? h("small", {}, " " + percent(t.score)) : null)),
    rest.length ? h("li", { class: "chip more", title: rest.map((t) => t.label || t.id).join(", ") },
      `+ ${rest.length} autre${rest.length > 1 ? "s" : ""}`) : null);
}

export function percent(score) {
  return Math.round(score * 100) + " %";
}

// Entities as marks over the text. Offsets count Unicode code points (Python's str),
// so the text is cut as an array of code points, not of UTF-16 units.
export function highlightedText(text, entities) {
  const chars = Array.from(text);
  const spans = entitySpans(entities).sort((a, b) => a.start - b.start || b.end - a.end);
  const out = h("div", { class: "doc-text" });
  let at = 0;
  for (const span of spans) {
    if (span.start < at || span.end > chars.length || span.end <= span.start) continue;
    out.append(chars.slice(at, span.start).join(""));
    out.append(h("mark", { class: span.cls, title: span.title },
      chars.slice(span.start, span.end).join("")));
    at = span.end;
  }
  out.append(chars.slice(at).join(""));
  return out;
}

function entitySpans(entities) {
  const spans = [];
  for (const p of (entities && entities.places) || []) {
    const where = [PLACE_KINDS[p.kind] || p.kind, p.name, p.code].filter(Boolean).join(" · ");
    spans.push({ start: p.start, end: p.end, cls: "ent place", title: where });
  }
  for (const o of (entities && entities.organisations) || []) {
    const what = [actorKind(o.kind), o.acronym].filter(Boolean).join(" · ");
    spans.push({ start: o.start, end: o.end, cls: "ent org", title: what });
  }
  const byExtent = new Map();
  for (const span of spans.filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end))) {
    const key = span.start + ":" + span.end;
    const same = byExtent.get(key);
    if (!same) byExtent.set(key, span);
    else if (!same.cls.includes(span.cls)) {
      same.cls += " " + span.cls.replace("ent ", "");
      same.title += " — " + span.title;
    }
  }
  return [...byExtent.values()];
}

export function legend() {
  return h("p", { class: "legend" },
    h("mark", { class: "ent place" }, "lieu"), " ",
    h("mark", { class: "ent org" }, "organisation"),
    h("span", { class: "muted" }, " (survolez pour le détail)"));
}

// Places and organisations as lists, grouped by kind: readable on a phone, where
// a mark's title does not show.
export function entityLists(entities) {
  const places = (entities && entities.places) || [];
  const orgs = (entities && entities.organisations) || [];
  const blocks = [];
  if (places.length) {
    blocks.push(h("h3", {}, "Lieux"), h("ul", { class: "entities" }, unique(places, (p) => p.code || p.text)
      .map((p) => h("li", {}, h("span", { class: "kind place" }, PLACE_KINDS[p.kind] || p.kind), " ",
        p.name || p.text, p.code ? h("small", { class: "muted" }, " " + p.code) : null))));
  }
  if (orgs.length) {
    blocks.push(h("h3", {}, "Organisations"), h("ul", { class: "entities" }, orgs.map((o) =>
      h("li", {}, h("span", { class: "kind org" }, actorKind(o.kind)), " ", o.name,
        o.acronym ? h("small", { class: "muted" }, " (" + o.acronym + ")") : null))));
  }
  return blocks;
}

function unique(items, key) {
  const seen = new Set();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)));
}
