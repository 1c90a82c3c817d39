"""What enforcement shows on other apps' pages (anjian.lib.slots): a hazard's or a visit's
notices with their download links, and the "issue a notice" link for those who may. Added
in EnforcementConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from anjian.enforcement.models import Notice
from anjian.enforcement.notices import types_for
from anjian.hazards.models import OPEN


def _panel(user: Any, notices: Any, issue_url: str) -> dict[str, Any]:
    may_issue = bool(getattr(user, "is_authenticated", False) and types_for(user))
    return {
        "notices": list(notices.order_by("-issued_on", "-id")),
        "issue_url": issue_url if may_issue else "",
    }


def hazard_notices(request: HttpRequest, hazard: Any) -> dict[str, Any]:
    url = f"{reverse('notices:create')}?hazard={hazard.pk}" if hazard.status in OPEN else ""
    notices = Notice.objects.visible_to(request.user).filter(hazards=hazard)
    return _panel(request.user, notices, url)


def visit_notices(request: HttpRequest, visit: Any) -> dict[str, Any]:
    url = f"{reverse('notices:create')}?visit={visit.pk}"
    return _panel(request.user, Notice.objects.visible_to(request.user).filter(visit=visit), url)
