"""The draw list's rows (draws/list.html), rendered in one pass (lib.rows)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from anjian.draws.models import Draw
from anjian.lib.rows import escape, path_to

register = template.Library()


@register.simple_tag
def draw_rows(draws: Iterable[Draw]) -> SafeString:
    detail = path_to("draws:detail")
    whole_zone = escape(_("whole zone"))
    not_published = escape(_("Not published"))  # outside the f-string: makemessages reads it
    unpublished = f'<span class="badge text-bg-warning">{not_published}</span>'
    out = []
    for d in draws:
        drawn = _("%(n)s of %(m)s") % {"n": d.size, "m": len(d.enterprise_ids)}
        made = timezone.localtime(d.created_at).strftime("%Y-%m-%d %H:%M")
        published = (
            '<span class="badge text-bg-success">'
            f"{timezone.localtime(d.published_at).date().isoformat()}</span>"
            if d.published_at
            else unpublished
        )
        out.append(
            f'<tr><td><a href="{detail[0]}{d.pk}{detail[1]}">{escape(d.title)}</a></td>'
            f"<td>{escape(d.office.name) if d.office is not None else whole_zone}</td>"
            f'<td>{escape(drawn)}</td><td class="small">{made} · '
            f"{escape(str(d.created_by or ''))}</td><td>{published}</td></tr>"
        )
    return mark_safe("".join(out))  # every part escaped above
