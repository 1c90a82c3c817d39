"""How a figure reads on a page: its value with its unit, and its change from the last period."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from anjian.dashboard.homes import Home
from anjian.statistics.figures import Figure

register = template.Library()


@register.filter
def shown(figure: Figure | None) -> str:
    """The value as people read it: 12, 87.5%, 4.2 days; "—" when there is nothing to show."""
    if figure is None or figure.value is None:
        return "—"
    if figure.unit == "%":
        return f"{figure.value}%"
    if figure.unit == "days":
        return _("%(n)s days") % {"n": figure.value}
    return f"{figure.value:,}" if isinstance(figure.value, int) else str(figure.value)


@register.filter
def change(current: Figure, previous: Figure | None) -> str:
    """+12 / −3 / ±0 from the previous period (points for a rate); "" when either is empty."""
    if previous is None or current.value is None or previous.value is None:
        return ""
    delta = Decimal(current.value) - Decimal(previous.value)
    unit = _("pt") if current.unit == "%" else ""
    if delta == 0:
        return "±0"
    sign = "+" if delta > 0 else "−"
    return f"{sign}{abs(delta):,}{unit}"


@register.simple_tag
def figure_link(figure: Figure) -> SafeString:
    """The attributes of a link to the list a figure counts: where it goes, and which figure
    and value it stands for (so a browser test can follow each and compare the counts).
    (Escaped here with the standard library's escape: a page may hold a thousand of these.)"""
    return mark_safe(link_attributes(figure))  # every part escaped above


def link_attributes(figure: Figure) -> str:
    return (
        f'href="{escape(figure.page or "")}" data-figure="{escape(figure.key)}" '
        f'data-value="{escape(str(figure.value))}"'
    )


@register.simple_tag
def grid_map(home: Home) -> SafeString:
    """The grids as SVG paths, each in its colour and linking to the enterprises that give
    it: built in one pass (a city draws ~1,000 grids; the template language took ~40 ms)."""
    shapes = []
    for g in home.map:
        link, title = "", escape(g.name)
        if g.count is not None:
            link = " " + link_attributes(g.count)
            title += f" · {escape(str(g.count.label))} {escape(shown(g.count))}"
        shapes.append(
            f'<a{link}><path d="{escape(g.path)}" class="grid-shape risk-fill-'
            f'{escape(g.colour or "none")}" data-grid="{g.id}"><title>{title}</title></path></a>'
        )
    return mark_safe("".join(shapes))  # every part escaped above


@register.filter
def get_item(mapping: dict[object, object], key: object) -> object:
    return mapping.get(key, key)


@register.simple_tag
def area_rows(rows: list[dict[str, Any]], focus_link: bool, period: str) -> SafeString:
    """A per-area table's rows (name, reported, closed, closure rate, overdue, overdue rate,
    coverage), each count a link to its list: built in one pass (a city's office table and
    an office's grid table link hundreds of figures)."""
    out = []
    for r in rows:
        name = escape(str(r["name"]))
        if focus_link:
            query = escape(urlencode({"period": period, "office": r["id"]}))
            name = f'<a href="?{query}">{name}</a>'
        figures = r["figures"]
        overdue = figures["overdue"]
        coverage = shown(r["coverage"])
        if r["coverage"]:
            coverage += (
                f' <span class="small text-secondary">({_linked(r["coverage_met"])}/'
                f"{_linked(r['coverage_required'])})</span>"
            )
        out.append(
            f"<tr><td>{name}</td>"
            f'<td class="text-end">{_linked(figures["found"])}</td>'
            f'<td class="text-end">{_linked(figures["closed"])}</td>'
            f'<td class="text-end">{escape(shown(r["closed_rate"]))}</td>'
            f'<td class="text-end">{_linked(overdue, danger=bool(overdue.value))}</td>'
            f'<td class="text-end">{escape(shown(r["overdue_rate"]))}</td>'
            f'<td class="text-end">{coverage}</td></tr>'
        )
    return mark_safe("".join(out))  # every part escaped above


def _linked(figure: Figure | None, danger: bool = False) -> str:
    if figure is None:
        return "—"
    marked = ' class="text-danger"' if danger else ""
    return f"<a {link_attributes(figure)}{marked}>{escape(shown(figure))}</a>"
