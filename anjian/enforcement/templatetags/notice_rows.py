"""The notice list's rows (enforcement/notices/list.html), rendered in one pass (lib.rows)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from anjian.enforcement.models import Notice, NoticeType
from anjian.lib.rows import escape, labels, path_to

register = template.Library()


def _day(value: datetime.date | None, empty: str = "") -> str:
    return value.isoformat() if value else empty


@register.simple_tag
def notice_rows(notices: Iterable[Notice]) -> SafeString:
    kind = labels(NoticeType)
    detail = path_to("notices:detail")
    out = []
    for n in notices:
        out.append(
            f'<tr><td><a href="{detail[0]}{n.pk}{detail[1]}">{escape(n.number)}</a></td>'
            f"<td>{kind.get(n.type, '')}</td><td>{escape(n.enterprise.name)}</td>"
            f"<td>{_day(n.issued_on)}</td><td>{_day(n.deadline)}</td>"
            f"<td>{_day(n.served_on, '—')}</td><td>{escape(str(n.issued_by or ''))}</td></tr>"
        )
    return mark_safe("".join(out))  # every part escaped above
