"""The themed index as Markdown, one self-contained HTML page, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..errors import InputError
from ..search.territories import MapCounts
from .html_page import listed, render_html
from .model import Catalogue, CatalogueItem, ThemeSection

FORMATS = ("md", "html", "csv", "json", "map-csv")
MAP_CSV_COLUMNS = ("theme_id", "theme_label", "place", "code", "name", "count")
CSV_COLUMNS = (
    "theme_id", "theme_label", "subgroup", "initiative_id", "title", "territory", "score",
    "regions", "departements", "actor_kinds", "summary",
)  # fmt: skip


def render_catalogue(catalogue: Catalogue, fmt: str) -> str:
    renderers = {
        "md": render_markdown,
        "html": render_html,
        "csv": render_csv,
        "json": _json,
        "map-csv": render_map_csv,
    }
    if fmt not in renderers:
        raise InputError(f"unknown catalogue format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return renderers[fmt](catalogue)


def catalogue_to_dict(catalogue: Catalogue) -> dict[str, Any]:
    return {
        "initiatives": catalogue.total,
        "themes": [_section_dict(s) for s in catalogue.sections],
        "untagged": [_item_dict(i) for i in catalogue.untagged],
        "map": catalogue.map.to_dict() if catalogue.map else None,
    }


def _json(catalogue: Catalogue) -> str:
    return json.dumps(catalogue_to_dict(catalogue), ensure_ascii=False, indent=2) + "\n"


def _section_dict(section: ThemeSection) -> dict[str, Any]:
    return {
        "id": section.theme.id,
        "label": section.theme.label,
        "description": section.theme.description,
        "count": section.count,
        "regions": [{"name": n, "count": c} for n, c in section.regions],
        "departements": [{"name": n, "count": c} for n, c in section.departements],
        "actor_kinds": [{"name": n, "count": c} for n, c in section.actor_kinds],
        "subgroups": [
            {"name": g.name, "terms": list(g.terms), "initiatives": list(g.item_ids)}
            for g in section.subgroups
        ],
        "initiatives": [_item_dict(i) for i in section.items],
        "map": section.map.to_dict() if section.map else None,
    }


def _item_dict(item: CatalogueItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "territory": item.territory,
        "score": item.score,
        "summary": item.summary,
        "regions": list(item.regions),
        "departements": list(item.departements),
        "actor_kinds": list(item.actor_kinds),
    }


def render_csv(catalogue: Catalogue) -> str:
    """One row per (theme, initiative); an initiative under no theme has empty theme cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for section in catalogue.sections:
        group_of = {i: g.name for g in section.subgroups for i in g.item_ids}
        for item in section.items:
            writer.writerow(_csv_row(section.theme.id, section.theme.label,
                                     group_of.get(item.id, ""), item))  # fmt: skip
    for item in catalogue.untagged:
        writer.writerow(_csv_row("", "", "", item))
    return out.getvalue()


def render_map_csv(catalogue: Catalogue) -> str:
    """The counts the maps are drawn from, one row per (theme, place): ``place`` is
    ``departement``, ``region_seule`` (initiatives placed in a région and no département) or
    ``sans_territoire``; the corpus as a whole comes first, with empty theme cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(MAP_CSV_COLUMNS)
    maps = [("", "", catalogue.map)] + [
        (s.theme.id, s.theme.label, s.map) for s in catalogue.sections if s.count
    ]
    for theme_id, label, counts in maps:
        writer.writerows([theme_id, label, *row] for row in _map_rows(counts))
    return out.getvalue()


def _map_rows(counts: MapCounts | None) -> list[list]:
    if counts is None:
        return []
    rows = [["departement", d.code, d.name, d.count] for d in counts.departements]
    rows += [["region_seule", r.code, r.name, r.count] for r in counts.regions_only]
    if counts.without_territory:
        rows.append(["sans_territoire", "", "", counts.without_territory])
    return rows


def _csv_row(theme_id: str, label: str, group: str, item: CatalogueItem) -> list[str]:
    return [
        theme_id, label, group, item.id, item.title, item.territory, f"{item.score:.3f}",
        "; ".join(item.regions), "; ".join(item.departements), "; ".join(item.actor_kinds),
        item.summary,
    ]  # fmt: skip


def render_markdown(catalogue: Catalogue) -> str:
    shown = [s for s in catalogue.sections if s.count]
    lines = [
        "# Index thématique",
        "",
        f"{catalogue.total} initiatives, {len(shown)} thèmes représentés.",
        "",
    ]
    for section in shown:
        lines += _markdown_section(section)
    empty = [s.theme.label for s in catalogue.sections if not s.count]
    if empty:
        lines += [f"Thèmes sans initiative : {', '.join(_md(x) for x in empty)}.", ""]
    if catalogue.untagged:
        lines += ["## Sans thème", ""]
        lines += [f"- **{_md(i.title)}**{_where(i)}" for i in catalogue.untagged] + [""]
    return "\n".join(lines)


def _markdown_section(section: ThemeSection) -> list[str]:
    lines = [f"## {_md(section.theme.label)} ({_initiatives(section.count)})", ""]
    for name, values in (
        ("Régions", section.regions),
        ("Départements", section.departements),
        ("Acteurs", section.actor_kinds),
    ):
        if values:
            lines.append(f"- {name} : " + ", ".join(f"{_md(v)} ({c})" for v, c in values))
    lines += _markdown_unplaced(section.map)
    titles = {i.id: i.title for i in section.items}
    if section.subgroups:
        lines += ["", "Sous-groupes :", ""]
        for group in section.subgroups:
            members = _md(listed([titles[i] for i in group.item_ids]))
            lines.append(f"- *{_md(group.name)}* ({len(group.item_ids)}) : {members}")
    lines.append("")
    for item in section.items:
        summary = f" : {_md(item.summary)}" if item.summary else ""
        lines.append(f"- **{_md(item.title)}**{_where(item)} ({item.score:.2f}){summary}")
    return lines + [""]


def _markdown_unplaced(counts: MapCounts | None) -> list[str]:
    """What a map cannot shade: initiatives placed in a région only, or nowhere."""
    if counts is None:
        return []
    lines = []
    if counts.regions_only:
        places = ", ".join(f"{_md(r.name)} ({r.count})" for r in counts.regions_only)
        lines.append(f"- Région seule : {places}")
    if counts.without_territory:
        lines.append(f"- Sans territoire : {_initiatives(counts.without_territory)}")
    return lines


def _where(item: CatalogueItem) -> str:
    return f" ({_md(item.territory)})" if item.territory else ""


def _initiatives(n: int) -> str:
    return f"{n} initiative" if n == 1 else f"{n} initiatives"


def _md(text: str) -> str:
    """One line, with the characters that would start Markdown markup escaped."""
    text = " ".join(str(text).split())
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text
