"""`{% hazard_notices hazard %}` and `{% visit_notices visit %}`: a hazard's or a visit's
notices with their download links, and the "issue a notice" link for those who may."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from anjian.hazards.models import OPEN, Notice
from anjian.hazards.notices import types_for

register = template.Library()


def _panel(user: Any, notices: Any, issue_url: str) -> dict[str, Any]:
    may_issue = bool(getattr(user, "is_authenticated", False) and types_for(user))
    return {
        "notices": list(notices.order_by("-issued_on", "-id")),
        "issue_url": issue_url if may_issue else "",
    }


@register.inclusion_tag("hazards/notices/_panel.html", takes_context=True)
def hazard_notices(context: template.Context, hazard: Any) -> dict[str, Any]:
    user = context["request"].user
    url = f"{reverse('notices:create')}?hazard={hazard.pk}" if hazard.status in OPEN else ""
    return _panel(user, Notice.objects.visible_to(user).filter(hazards=hazard), url)


@register.inclusion_tag("hazards/notices/_panel.html", takes_context=True)
def visit_notices(context: template.Context, visit: Any) -> dict[str, Any]:
    user = context["request"].user
    url = f"{reverse('notices:create')}?visit={visit.pk}"
    return _panel(user, Notice.objects.visible_to(user).filter(visit=visit), url)
