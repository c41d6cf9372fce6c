// The initiative page, the "analyser un texte" page and the themed catalogue.
import {
  actorKind, entityLists, h, highlightedText, initiativeHref, legend, replace, shorten, territoryLabel,
  themeChips,
} from "./dom.js";
import { errorBlock, getJSON, postJSON } from "./http.js";
import { loadBasemap, territoryMap } from "./map.js";
import { hitCard } from "./search.js";

const MAX_TEXT_BYTES = 200_000;  // the server's limit on a request body
const META_LABELS = {
  territory: "Territoire", park: "Parc", source: "Source", contact: "Contact", url: "Lien",
  year: "Année", porteur: "Porteur", region: "Région", departement: "Département",
};

export async function showInitiative(root, id, backHref) {
  replace(root, h("p", { class: "loading" }, "Chargement…"));
  let doc;
  try {
    doc = await getJSON("/api/documents/" + encodeURIComponent(id));
  } catch (err) {
    replace(root, backLink(backHref), errorBlock(err));
    return;
  }
  document.title = doc.title + " — Tisser";
  const nearest = h("ol", { class: "hits compact" }, h("li", { class: "loading" }, "Recherche…"));
  const where = territoryLabel(doc.meta, doc.entities && doc.entities.places);
  const territory = h("div", { class: "territory-map" });
  replace(root, h("article", { class: "initiative" },
    backLink(backHref),
    h("h1", { tabindex: "-1" }, doc.title),
    where ? h("p", { class: "where" }, where) : null,
    themeChips(doc.themes, true),
    h("div", { class: "columns" },
      h("section", { class: "doc" }, h("h2", {}, "Texte"), legend(),
        highlightedText(doc.text, doc.entities)),
      h("aside", {},
        territory,
        h("h2", {}, "Initiatives proches"), nearest,
        entityLists(doc.entities),
        metaList(doc.meta)))));
  showTerritory(territory, doc.map);
  try {
    const data = await getJSON("/api/similar", { id: doc.id, k: 5 });
    replace(nearest, data.results.length ? data.results.map((hit) => hitCard(hit, true))
      : h("li", { class: "empty" }, "Aucune autre initiative dans l'index."));
  } catch (err) {
    replace(nearest, h("li", {}, errorBlock(err)));
  }
}

// The initiative's départements shaded on the map; a région or no territory said in words.
async function showTerritory(box, counts) {
  if (!counts) return;
  try {
    const base = await loadBasemap();
    replace(box, h("h2", {}, "Territoire"), territoryMap(base, counts, { highlight: true }));
  } catch (err) {
    replace(box);  // the page stays whole without its map
  }
}

function backLink(href) {
  return h("p", { class: "back" }, h("a", { href: href || "#/" }, "← Retour à la recherche"));
}

function metaList(meta) {
  const rows = Object.entries(meta || {}).filter(([, v]) =>
    typeof v === "string" || typeof v === "number" || (Array.isArray(v) && v.every((x) => typeof x !== "object")));
  if (!rows.length) return null;
  return [h("h3", {}, "Fiche"), h("dl", { class: "meta" }, rows.map(([key, value]) => [
    h("dt", {}, META_LABELS[key] || key.replaceAll("_", " ")),
    h("dd", {}, [value].flat().join(", ")),
  ]))];
}

// -- analyser un texte ---------------------------------------------------------------------

export function initTag() {
  const form = document.getElementById("tag-form");
  const text = document.getElementById("tag-text");
  const size = document.getElementById("tag-size");
  const bytes = () => new TextEncoder().encode(JSON.stringify({ text: text.value })).length;
  text.addEventListener("input", () => {
    const n = text.value.length;
    size.textContent = `${n.toLocaleString("fr-FR")} caractère${n > 1 ? "s" : ""}`;
    size.classList.toggle("too-long", bytes() > MAX_TEXT_BYTES);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const out = document.getElementById("tag-out");
    if (bytes() > MAX_TEXT_BYTES) {
      replace(out, errorBlock({ status: 413, message: "" }));
      return;
    }
    replace(out, h("p", { class: "loading" }, "Analyse en cours…"));
    try {
      const result = await postJSON("/api/tag", { text: text.value });
      replace(out, tagged(text.value, result, await knownNames()));
      out.scrollIntoView({ block: "start" });
    } catch (err) {
      replace(out, errorBlock(err));
    }
  });
}

function tagged(text, result, names) {
  const similar = Array.isArray(result.similar) ? result.similar : (result.similar || {}).results || [];
  const territory = territoryNames(result.territory, result.places, names);
  return h("div", { class: "tagged" },
    h("h2", {}, "Ce que Tisser y lit"),
    territory ? h("p", { class: "where" }, territory) : null,
    themeChips(result.themes, true) || h("p", { class: "muted" }, "Aucun thème reconnu."),
    h("div", { class: "columns" },
      h("section", { class: "doc" }, h("h3", {}, "Texte annoté"), legend(),
        highlightedText(text, result), h("div", { class: "entity-columns" }, entityLists(result))),
      h("aside", {},
        h("h3", {}, "Initiatives les plus proches"),
        similar.length ? h("ol", { class: "hits compact" }, similar.map((hit) => hitCard(hit, true)))
          : h("p", { class: "muted" }, "Aucune initiative proche dans l'index."))));
}

// The territory of a pasted text, named: the server may give {code, name} objects or codes;
// a code is named from the places of the text, else from the index's filter choices.
function territoryNames(territory, places, names) {
  if (!territory) return "";
  const named = (kind) => (t) => {
    if (typeof t === "object") return t.name ? `${t.name}` : t.code;
    const place = (places || []).find((p) => p.kind === kind && p.code === t && p.name);
    const name = place ? place.name : names[kind].get(t);
    return name ? (kind === "departement" ? `${name} (${t})` : name) : t;
  };
  return [...(territory.departements || []).map(named("departement")),
    ...(territory.regions || []).map(named("region"))].join(", ");
}

let filterNames = null;

function knownNames() {
  const table = (list) => new Map((list || []).map((x) => [x.code, x.name]));
  filterNames = filterNames || getJSON("/api/filters")
    .then((c) => ({ departement: table(c.departements), region: table(c.regions) }))
    .catch(() => ({ departement: new Map(), region: new Map() }));
  return filterNames;
}

// -- catalogue -----------------------------------------------------------------------------

export async function showCatalogue(root) {
  replace(root, h("h1", { tabindex: "-1" }, "Catalogue thématique"), h("p", { class: "loading" }, "Chargement…"));
  let cat;
  try {
    cat = await getJSON("/api/themes");
  } catch (err) {
    root.lastChild.replaceWith(errorBlock(err));
    return;
  }
  const shown = cat.themes.filter((t) => t.count);
  const empty = cat.themes.filter((t) => !t.count).map((t) => t.label);
  let base = null;
  try {
    base = await loadBasemap();
  } catch (err) {
    base = null;  // the catalogue is shown without its maps
  }
  root.lastChild.replaceWith(h("div", {},
    h("p", { class: "intro" }, `${cat.initiatives} initiatives, ${shown.length} thèmes représentés. `,
      "À partager : ", shareLinks()),
    h("nav", { class: "toc", "aria-label": "Thèmes" }, h("ul", { class: "chips" }, shown.map((t) =>
      h("li", {}, h("button", { type: "button", class: "chip theme", onclick: () => scrollToTheme(t.id) },
        t.label, h("small", {}, " " + t.count)))))),
    shown.map((theme) => themeSection(theme, base)),
    empty.length ? h("p", { class: "muted" }, "Thèmes sans initiative : " + empty.join(", ") + ".") : null,
    cat.untagged.length ? h("section", { class: "theme-section" }, h("h2", {}, "Sans thème"),
      h("ul", { class: "catalogue-items" }, cat.untagged.map(catalogueItem))) : null));
}

function shareLinks() {
  const formats = [["html", "page HTML"], ["md", "Markdown"], ["csv", "CSV"], ["json", "JSON"],
    ["map-csv", "CSV des cartes"]];
  return formats.map(([fmt, label], i) => [i ? " · " : "",
    h("a", { href: "/api/themes?format=" + fmt, target: fmt === "html" ? "_blank" : null, rel: "noopener" }, label)]);
}

function scrollToTheme(id) {
  const section = document.getElementById("theme-" + id);
  if (section) section.scrollIntoView({ behavior: "smooth", block: "start" });
}

function themeSection(theme, base) {
  const facts = [["Régions", theme.regions], ["Départements", theme.departements], ["Acteurs", theme.actor_kinds]]
    .filter(([, values]) => values && values.length);
  const titles = Object.fromEntries(theme.initiatives.map((i) => [i.id, i.title]));
  return h("section", { class: "theme-section", id: "theme-" + theme.id },
    h("h2", {}, theme.label, h("span", { class: "muted" }, ` (${theme.count})`)),
    theme.description ? h("p", { class: "muted" }, theme.description) : null,
    h("div", { class: base && theme.map ? "theme-where" : null },
      facts.length ? h("ul", { class: "facts" }, facts.map(([name, values]) => h("li", {},
        h("strong", {}, name + " : "), values.map((v) =>
          `${name === "Acteurs" ? actorKind(v.name) : v.name} (${v.count})`).join(", ")))) : null,
      base && theme.map ? territoryMap(base, theme.map, { noun: "initiative" }) : null),
    theme.subgroups.length ? h("ul", { class: "subgroups" }, theme.subgroups.map((g) => h("li", {},
      h("span", { class: "chip" }, g.name), " ", g.initiatives.map((i) => titles[i] || i).join(", ")))) : null,
    h("ul", { class: "catalogue-items" }, theme.initiatives.map(catalogueItem)));
}

function catalogueItem(item) {
  return h("li", {},
    h("a", { href: initiativeHref(item.id) }, item.title),
    item.territory ? h("span", { class: "where" }, " " + item.territory) : null,
    item.summary ? h("p", { class: "muted" }, shorten(item.summary, 240)) : null);
}
