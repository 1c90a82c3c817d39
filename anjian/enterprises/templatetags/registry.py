"""The registry's rows (enterprises/_table.html), rendered in one pass (lib.rows)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from anjian.enterprises.models import Enterprise, RiskClass, Sector, Status, Tag
from anjian.lib.rows import escape, labels, path_to

register = template.Library()


@register.simple_tag
def registry_rows(enterprises: Iterable[Enterprise]) -> SafeString:
    sector, risk, status, tag = labels(Sector), labels(RiskClass), labels(Status), labels(Tag)
    detail = path_to("enterprises:detail")
    out = []
    for e in enterprises:
        risk_badge = (
            f'<span class="badge risk-{escape(e.risk_class)}">{risk.get(e.risk_class, "")}</span>'
            if e.risk_class
            else ""
        )
        tags = "".join(
            f'<span class="badge text-bg-light border">{tag.get(t.tag, "")}</span> '
            for t in e.tags.all()
        )
        out.append(
            f'<tr><td><a href="{detail[0]}{e.pk}{detail[1]}">{escape(e.name)}</a></td>'
            f"<td><code>{escape(e.uscc or '—')}</code></td>"
            f"<td>{escape(e.office.name)} · {escape(e.grid.name)}</td>"
            f"<td>{sector.get(e.sector, '')}</td><td>{risk_badge}</td>"
            f'<td>{status.get(e.status, "")}</td><td class="small">{tags}</td></tr>'
        )
    return mark_safe("".join(out))  # every part escaped above
