"""The themed index as one HTML page: no external file, script or font; every text escaped."""

from __future__ import annotations

from html import escape

from .map_svg import MAP_STYLE, credit, map_defs, map_figure
from .model import Catalogue, CatalogueItem, ThemeSection


def listed(titles: list[str], most: int = 8) -> str:
    """A few titles of a sub-group (all of them are in the table below it)."""
    shown = ", ".join(titles[:most])
    more = len(titles) - most
    return f"{shown}… et {more} autres" if more > 0 else shown


_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:70rem;
padding:1rem 1.5rem;color:#1d2a22;line-height:1.45}
h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #3c7a4e;padding-bottom:.2rem}
nav ul{columns:2;padding-left:1.2rem}.muted{color:#5b6b61}
.facts{display:grid;grid-template-columns:9rem 1fr;gap:.2rem .8rem;margin:.6rem 0}
.facts dt{font-weight:600}.facts dd{margin:0}
.groups li{margin:.2rem 0}.tag{background:#e3efe6;border-radius:.3rem;padding:0 .35rem}
table{border-collapse:collapse;width:100%;margin-top:.6rem}
th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid #dde5df}
th{background:#f3f7f4}td.score{white-space:nowrap;font-variant-numeric:tabular-nums}
.bar{display:inline-block;height:.55rem;background:#3c7a4e;margin-right:.35rem;border-radius:2px}
.where{display:grid;grid-template-columns:minmax(0,1fr) 16rem;gap:1rem;align-items:start}
.overview{max-width:30rem}
@media (max-width:40rem){.where{grid-template-columns:1fr}.where .map{max-width:20rem}}
@media print{nav{display:none}}
"""


def render_html(catalogue: Catalogue) -> str:
    shown = [(k, s) for k, s in enumerate(catalogue.sections) if s.count]
    parts = [
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Index thématique</title>\n<style>{_STYLE}{MAP_STYLE}</style>\n</head>\n<body>",
        map_defs(),
        "<h1>Index thématique</h1>",
        f'<p class="muted">{catalogue.total} initiatives, {len(shown)} thèmes représentés.</p>',
        _contents(catalogue, shown),
    ]
    if catalogue.map is not None:
        parts.append(_overview(catalogue))
    parts += [_section(k, s) for k, s in shown]
    empty = [s.theme.label for s in catalogue.sections if not s.count]
    if empty:
        parts.append(f'<p class="muted">Thèmes sans initiative : {escape(", ".join(empty))}.</p>')
    if catalogue.untagged:
        parts.append('<h2 id="sans-theme">Sans thème</h2>')
        parts.append(_table(catalogue.untagged, {}, with_score=False))
    parts.append(credit())
    parts.append("</body>\n</html>\n")
    return "\n".join(parts)


def _contents(catalogue: Catalogue, shown) -> str:
    items = [
        f'<li><a href="#theme-{k}">{escape(s.theme.label)}</a> ({s.count})</li>' for k, s in shown
    ]
    if catalogue.untagged:
        items.append(f'<li><a href="#sans-theme">Sans thème</a> ({len(catalogue.untagged)})</li>')
    return "<nav><ul>\n" + "\n".join(items) + "\n</ul></nav>"


def _section(k: int, section: ThemeSection) -> str:
    theme = section.theme
    plural = "s" if section.count > 1 else ""
    parts = [
        f'<section id="theme-{k}">',
        f'<h2>{escape(theme.label)} <small class="muted">'
        f"{section.count} initiative{plural}</small></h2>",
    ]
    if theme.description:
        parts.append(f'<p class="muted">{escape(theme.description)}</p>')
    facts = _facts(section)
    if section.map is not None:
        figure = map_figure(section.map, f"Où sont les initiatives « {theme.label} »")
        facts = f'<div class="where"><div>{facts}</div>{figure}</div>'
    parts.append(facts)
    group_of = {i: g.name for g in section.subgroups for i in g.item_ids}
    if section.subgroups:
        parts.append(_groups(section))
    parts.append(_table(section.items, group_of, with_score=True))
    parts.append("</section>")
    return "\n".join(parts)


def _overview(catalogue: Catalogue) -> str:
    counts = catalogue.map
    return (
        '<div class="overview" id="carte">'
        + map_figure(counts, "Où sont toutes les initiatives")
        + _facts_list(_without_departement(counts))
        + "</div>"
    )


def _facts(section: ThemeSection) -> str:
    rows = [
        (name, _pairs(values))
        for name, values in (
            ("Régions", section.regions),
            ("Départements", section.departements),
            ("Acteurs", section.actor_kinds),
        )
    ]
    return _facts_list(rows + (_without_departement(section.map) if section.map else []))


def _without_departement(counts) -> list[tuple[str, str]]:
    """What a map cannot shade, said beside it: places it does not draw, régions alone, and
    no territory at all."""
    alone = _pairs([(r.name, r.count) for r in counts.regions_only])
    off_map = _pairs(
        [(f"{d.name} ({d.code})", d.count) for d in counts.departements if not d.on_map]
    )
    none = counts.without_territory
    nowhere = f"{none} initiative{'s' * (none > 1)}" if none else ""
    return [("Hors carte", off_map), ("Région seule", alone), ("Sans territoire", nowhere)]


def _pairs(values) -> str:
    return ", ".join(f"{escape(v)} ({c})" for v, c in values)


def _facts_list(rows: list[tuple[str, str]]) -> str:
    found = [f"<dt>{name}</dt><dd>{text}</dd>" for name, text in rows if text]
    return f'<dl class="facts">{"".join(found)}</dl>' if found else ""


def _groups(section: ThemeSection) -> str:
    titles = {i.id: i.title for i in section.items}
    items = [
        f'<li><span class="tag">{escape(g.name)}</span> ({len(g.item_ids)}) : '
        + escape(listed([titles[i] for i in g.item_ids]))
        + "</li>"
        for g in section.subgroups
    ]
    return '<p>Sous-groupes :</p>\n<ul class="groups">\n' + "\n".join(items) + "\n</ul>"


def _table(items: tuple[CatalogueItem, ...], group_of: dict[str, str], with_score: bool) -> str:
    head = "<tr><th>Initiative</th><th>Territoire</th>"
    head += "<th>Score</th>" if with_score else ""
    head += "<th>Sous-groupe</th>" if group_of else ""
    head += "<th>Résumé</th></tr>"
    rows = [_row(item, group_of, with_score) for item in items]
    return (
        "<table>\n<thead>" + head + "</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
    )


def _row(item: CatalogueItem, group_of: dict[str, str], with_score: bool) -> str:
    cells = [
        f"<td><strong>{escape(item.title)}</strong></td>",
        f"<td>{escape(item.territory)}</td>",
    ]
    if with_score:
        width = max(0.0, min(1.0, item.score)) * 4
        cells.append(
            f'<td class="score"><span class="bar" style="width:{width:.2f}rem"></span>'
            f"{item.score:.2f}</td>"
        )
    if group_of:
        cells.append(f"<td>{escape(group_of.get(item.id, ''))}</td>")
    cells.append(f"<td>{escape(item.summary)}</td>")
    return "<tr>" + "".join(cells) + "</tr>"
