"""The coverage page's tables (coverage/page.html) — by grid, by person, the enterprises —
rendered in one pass (lib.rows): a city's zone lists ~1,000 grids and ~1,200 people."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from anjian.coverage.services import EnterpriseRow, GridRow, PersonRow
from anjian.lib.rows import escape, path_to

register = template.Library()


def _or_dash(value: int | None) -> str:
    return "—" if value is None else str(value)


@register.simple_tag
def grid_rows(grids: Iterable[GridRow]) -> SafeString:
    return mark_safe(  # every part escaped or a number
        "".join(
            f"<tr><td>{escape(g.grid_name)}</td><td>{g.enterprises}</td><td>{g.met}</td>"
            f"<td>{g.unvisited}</td><td>{g.required}</td><td>{g.checks}</td>"
            f"<td>{g.other}</td></tr>"
            for g in grids
        )
    )


@register.simple_tag
def person_rows(people: Iterable[PersonRow]) -> SafeString:
    return mark_safe(  # every part escaped or a number
        "".join(
            f'<tr><td>{escape(p.name)}</td><td class="small">'
            f"{escape('、'.join(p.grids)) or '—'}</td><td>{_or_dash(p.required)}</td>"
            f"<td>{_or_dash(p.unvisited)}</td><td>{p.checks}</td><td>{p.enterprises}</td>"
            f"<td>{p.other}</td></tr>"
            for p in people
        )
    )


@register.simple_tag
def enterprise_rows(rows: Iterable[EnterpriseRow]) -> SafeString:
    detail = path_to("enterprises:detail")
    out = []
    for r in rows:
        outcomes = " ".join(f"{escape(str(label))} {n}" for label, n in r.outcome_labels) or "—"
        out.append(
            f'<tr><td><a href="{detail[0]}{r.id}{detail[1]}">{escape(r.name)}</a></td>'
            f"<td>{escape(r.grid_name)}</td><td>{r.required}</td><td>{r.done}</td>"
            f'<td class="small">{outcomes}</td>'
            f"<td>{r.last_visit.isoformat() if r.last_visit else '—'}</td></tr>"
        )
    return mark_safe("".join(out))  # every part escaped above
