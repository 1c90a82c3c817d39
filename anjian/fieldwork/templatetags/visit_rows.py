"""The visit list's rows (fieldwork/_visits.html), rendered in one pass (lib.rows)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from anjian.fieldwork.models import Outcome, Visit, VisitKind
from anjian.lib.rows import escape, labels, path_to

register = template.Library()


@register.simple_tag
def visit_rows(visits: Iterable[Visit]) -> SafeString:
    kind, outcome = labels(VisitKind), labels(Outcome)
    visit_path, enterprise_path = path_to("fieldwork:visit"), path_to("enterprises:detail")
    out = []
    for v in visits:
        shown = outcome.get(v.outcome, "")
        if v.outcome != Outcome.INSPECTED:
            shown = f'<span class="badge text-bg-warning">{shown}</span>'
        out.append(
            f'<tr data-visit="{v.pk}"><td><a href="{visit_path[0]}{v.pk}{visit_path[1]}">'
            f"{v.visited_on.isoformat()}</a></td><td>{kind.get(v.kind, '')}</td>"
            f'<td><a href="{enterprise_path[0]}{v.enterprise_id}{enterprise_path[1]}">'
            f'{escape(v.enterprise.name)}</a></td><td class="small">{escape(v.grid.name)}</td>'
            f'<td>{shown}</td><td class="small">{escape(str(v.recorded_by))}</td></tr>'
        )
    return mark_safe("".join(out))  # every part escaped above
