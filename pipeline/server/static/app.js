// The page's router: #/?q=… (recherche), #/initiative/ID, #/etiqueter, #/catalogue.
import { initSearch, showSearch } from "./search.js";
import { initTag, showCatalogue, showInitiative } from "./views.js";
import { getJSON } from "./http.js";

const VIEWS = ["search", "initiative", "tag", "catalogue"];
let lastSearch = "#/";

function show(name) {
  for (const view of VIEWS) document.getElementById("view-" + view).hidden = view !== name;
  for (const link of document.querySelectorAll("nav a[data-view]")) {
    if (link.dataset.view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  return document.getElementById("view-" + name);
}

function route() {
  const hash = location.hash.slice(1) || "/";
  const cut = hash.indexOf("?");
  const path = cut < 0 ? hash : hash.slice(0, cut);
  const params = new URLSearchParams(cut < 0 ? "" : hash.slice(cut + 1));
  window.scrollTo(0, 0);
  document.title = "Tisser — coopérations économiques territoriales";
  if (path.startsWith("/initiative/")) {
    showInitiative(show("initiative"), decoded(path.slice("/initiative/".length)), lastSearch);
  } else if (path === "/etiqueter") {
    show("tag");
    document.querySelector("#view-tag h1").focus();
  } else if (path === "/catalogue") {
    showCatalogue(show("catalogue"));
  } else {
    lastSearch = location.hash || "#/";
    show("search");
    showSearch(params);
  }
}

function decoded(text) {
  try {
    return decodeURIComponent(text);
  } catch (err) {
    return text;  // a hand-typed address with a stray "%"
  }
}

async function showStatus() {
  const status = document.getElementById("index-status");
  try {
    const s = await getJSON("/api/status");
    status.textContent = `${s.documents} initiatives indexées · modèle ${s.model}`;
  } catch (err) {
    status.textContent = "Index indisponible";
  }
}

initSearch();
initTag();
window.addEventListener("hashchange", route);
route();
showStatus();
