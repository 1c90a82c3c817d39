"""The people list's rows (accounts/people.html), rendered in one pass (lib.rows)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.lib.rows import escape, labels, path_to

register = template.Library()


@register.simple_tag
def people_rows(people: Iterable[User]) -> SafeString:
    role = labels(Role)
    person = path_to("accounts:person")
    # Each message outside the f-strings: makemessages does not read calls inside them.
    deactivated_label, locked_label = escape(_("deactivated")), escape(_("locked"))
    deactivated = f'<span class="badge text-bg-secondary">{deactivated_label}</span>'
    locked = f'<span class="badge text-bg-warning">{locked_label}</span>'
    out = []
    for p in people:
        scope = "".join(
            escape(str(place))
            for place in (p.region, p.enterprise, p.agency, p.department)
            if place is not None
        )
        state = deactivated if not p.is_active else locked if p.is_locked() else ""
        out.append("<tr>" if p.is_active else '<tr class="text-secondary">')
        out.append(
            f'<td><a href="{person[0]}{p.pk}{person[1]}">{escape(p.username)}</a></td>'
            f"<td>{escape(p.display_name)}</td><td>{role.get(p.role, '')}</td>"
            f"<td>{scope}</td><td>{escape(p.phone)}</td><td>{state}</td></tr>"
        )
    return mark_safe("".join(out))  # every part escaped above
