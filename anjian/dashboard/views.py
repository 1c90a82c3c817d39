from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render

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
