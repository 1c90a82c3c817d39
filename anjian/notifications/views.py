from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from anjian.accounts.typing import AuthedRequest
from anjian.lib.paging import page_from_request
from anjian.notifications import services
from anjian.notifications.models import Notification


def notification_list(request: AuthedRequest) -> HttpResponse:
    """Everyone's own notifications (there is nothing here to hide by role); those shown
    are read by being shown."""
    qs = Notification.objects.visible_to(request.user)
    if request.GET.get("unread"):
        qs = qs.unread()
    page, query = page_from_request(request, qs, key="created_at", descending=True)
    # Before rendering, so the header's badge already counts the ones on this page as read.
    services.mark_seen(page.items, by=request.user)
    return render(request, "notifications/list.html", {"page": page, "query": query})


@require_POST
def notification_read(request: AuthedRequest, pk: int) -> HttpResponse:
    notification = Notification.objects.get_for(request.user, pk)
    services.mark_read(notification, by=request.user)
    if request.POST.get("go") and notification.target.startswith("/"):
        return redirect(notification.target)
    return redirect("notifications:list")


@require_POST
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    services.mark_all_read(by=request.user)
    return redirect("notifications:list")
