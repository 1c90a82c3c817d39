"""The audit trail's rows (audit/list.html), rendered in one pass (lib.rows)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from anjian.audit.models import Channel, Entry
from anjian.lib.rows import escape, labels

register = template.Library()


@register.simple_tag
def audit_rows(entries: Iterable[Entry]) -> SafeString:
    channel = labels(Channel)
    out = []
    for e in entries:
        changes = "".join(
            f"<div><strong>{escape(str(k))}</strong>: {escape(str(v))}</div>"
            for k, v in (e.changes or {}).items()
        )
        out.append(
            f"<tr><td>{timezone.localtime(e.at).strftime('%Y-%m-%d %H:%M:%S')}</td>"
            f"<td>{escape(e.actor_name or '—')}</td><td>{escape(e.action)}</td>"
            f"<td>{escape(e.object_repr)}</td><td>{channel.get(e.channel, '')}"
            f"{_client(e)}</td>"
            f'<td class="small">{changes}</td></tr>'
        )
    return mark_safe("".join(out))  # every part escaped above


def _client(e: Entry) -> str:
    """The client's address under the channel, its user agent on hover."""
    if not e.client_ip:
        return ""
    return (
        f'<div class="small text-secondary" data-client-ip="{escape(e.client_ip)}" '
        f'title="{escape(e.user_agent)}">{escape(e.client_ip)}</div>'
    )
