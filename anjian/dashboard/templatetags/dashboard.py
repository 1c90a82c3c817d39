"""How a figure reads on a page: its value with its unit, and its change from the last period."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

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
    and value it stands for (so a browser test can follow each and compare the counts)."""
    return format_html(
        'href="{}" data-figure="{}" data-value="{}"', figure.page, figure.key, figure.value
    )


@register.filter
def get_item(mapping: dict[object, object], key: object) -> object:
    return mapping.get(key, key)
