"""The ledger's rows (hazards/_table.html), rendered in one pass (lib.rows)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from anjian.hazards.models import Finder, Level, Source, Status, overdue
from anjian.hazards.pages import LedgerRow
from anjian.lib.rows import escape, labels, path_to, shorten

register = template.Library()


@register.simple_tag
def ledger_rows(hazards: Iterable[LedgerRow]) -> SafeString:
    today = timezone.localdate()
    level, source, status, finder = labels(Level), labels(Source), labels(Status), labels(Finder)
    enterprise_path, hazard_path = path_to("enterprises:detail"), path_to("hazards:detail")
    found_on, level_label, source_label = _("found on"), _("level"), _("source")
    deadline_label, found_by_label = _("deadline"), _("found by")
    overdue_label = escape(_("Overdue"))  # outside the f-string: makemessages reads it
    late = (
        ' <span class="badge text-bg-danger overdue-badge" data-overdue="true">'
        f"{overdue_label}</span>"
    )
    marked = ' class="overdue"'
    out = []
    for h in hazards:
        is_late = overdue(h.status, h.deadline, today)
        shown_level = level.get(h.level, "")
        if h.level == Level.MAJOR:
            shown_level = f'<span class="badge text-bg-danger">{shown_level}</span>'
        out.append(
            f'<tr data-hazard="{h.pk}"{marked if is_late else ""}>'
            f'<td data-label="{escape(found_on)}">{h.found_on.isoformat()}</td>'
            f'<td class="wraps card-wide"><a href="{enterprise_path[0]}{h.enterprise_id}'
            f'{enterprise_path[1]}">{escape(h.enterprise_name)}</a></td>'
            f'<td class="hazard-name wraps card-title"><a href="{hazard_path[0]}{h.pk}'
            f'{hazard_path[1]}">{escape(shorten(h.name, 40))}</a></td>'
            f'<td data-label="{escape(level_label)}">{shown_level}</td>'
            f'<td class="small" data-label="{escape(source_label)}">{source.get(h.source, "")}</td>'
            f'<td><span class="badge text-bg-light border hazard-status" data-status="'
            f'{escape(h.status)}">{status.get(h.status, "")}</span>{late if is_late else ""}</td>'
            f'<td data-label="{escape(deadline_label)}">'
            f"{h.deadline.isoformat() if h.deadline else '—'}</td>"
            f'<td class="small" data-label="{escape(found_by_label)}">{escape(h.found_by or "—")} · '
            f"{finder.get(h.finder, '')}</td></tr>"
        )
    return mark_safe("".join(out))  # every part escaped above
