// Calls to the JSON API, and its errors told in French.
import { h, initiativeHref } from "./dom.js";

export class ApiError extends Error {
  constructor(status, message, candidates) {
    super(message);
    this.status = status;
    this.candidates = candidates || [];
  }
}

export async function getJSON(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const v of [value].flat()) if (v != null && v !== "") query.append(name, v);
  }
  const url = query.toString() ? path + "?" + query : path;
  return answer(await send(url, { headers: { accept: "application/json" } }));
}

export async function postJSON(path, body) {
  return answer(await send(path, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
  }));
}

async function send(url, options) {
  try {
    return await fetch(url, options);
  } catch (err) {
    throw new ApiError(0, String(err));
  }
}

async function answer(response) {
  let data = null;
  try {
    data = await response.json();
  } catch (err) {
    if (response.ok) throw new ApiError(response.status, "réponse illisible");
  }
  if (!response.ok) {
    throw new ApiError(response.status, (data && data.message) || response.statusText,
      data && data.candidates);
  }
  return data;
}

const SAYS = {
  0: "Le serveur ne répond pas. Est-il toujours lancé ?",
  400: "La demande n'a pas pu être comprise.",
  404: "Aucune initiative ne correspond à ce nom.",
  413: "Ce texte est trop long pour être analysé ici (200 ko au plus).",
  503: "L'index n'est pas disponible : il est absent ou en cours de construction. " +
       "Réessayez dans un instant, ou construisez-le avec « search.py build ».",
};

// An error as a block of the page: a French sentence, the detail, and for an
// ambiguous name the initiatives it may mean.
export function errorBlock(err, similarHref) {
  const status = err instanceof ApiError ? err.status : -1;
  const candidates = err.candidates || [];
  const lead = candidates.length ? "Plusieurs initiatives portent ce nom : laquelle ?"
    : SAYS[status] || "Une erreur est survenue.";
  return h("div", { class: "error", role: "alert" },
    h("p", {}, lead),
    candidates.length ? h("ul", {}, candidates.map((c) => h("li", {},
      h("a", { href: similarHref ? similarHref(c) : initiativeHref(c.id) }, c.title)))) : null,
    err.message ? h("p", { class: "detail" }, "Détail : " + err.message) : null);
}
