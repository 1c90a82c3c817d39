from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from anjian.accounts.typing import AuthedRequest
from anjian.enterprises.models import Enterprise
from anjian.regions.models import Grid


def home(request: AuthedRequest) -> HttpResponse:
    """What a person sees after signing in: their scope in figures."""
    enterprises = Enterprise.objects.visible_to(request.user)
    by_status = dict(enterprises.values_list("status").annotate(n=Count("id")).order_by())
    by_risk = dict(enterprises.values_list("risk_class").annotate(n=Count("id")).order_by())
    return render(
        request,
        "dashboard/home.html",
        {
            "enterprise_total": sum(by_status.values()),
            "by_status": by_status,
            "high_risk": by_risk.get("red", 0) + by_risk.get("orange", 0),
            "tenant_count": enterprises.filter(landlord__isnull=False).count(),
            "grid_count": Grid.objects.visible_to(request.user).count(),
        },
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for URLs that match no route: JSON under /api/, the page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found."), "errors": []}, status=404)
    return render(request, "404.html", status=404)
