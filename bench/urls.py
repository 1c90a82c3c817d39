"""The platform's URLs plus a bare Django view of the registry, the API benchmark's yardstick."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.urls import path

from anjian.enterprises.models import Enterprise, EnterpriseTag
from config.urls import urlpatterns as platform

LIMIT = 50


def bare_enterprises(request: HttpRequest) -> JsonResponse:
    """The API's rows for office + sector + q, with nothing but the ORM and JsonResponse."""
    term = request.GET["q"]
    rows = list(
        Enterprise.objects.visible_to(request.user)  # type: ignore[arg-type]
        .filter(office_id=int(request.GET["office"]), sector=request.GET["sector"])
        .filter(Q(name__contains=term) | Q(uscc__contains=term.upper()) | Q(address__contains=term))
        .order_by("name", "id")
        .values(
            "id",
            "name",
            "uscc",
            "address",
            "grid_id",
            "grid__name",
            "office_id",
            "office__name",
            "sector",
            "risk_class",
            "scale",
            "status",
        )[: LIMIT + 1]
    )
    page = rows[:LIMIT]
    tags: dict[int, list[str]] = {}
    for enterprise_id, tag in EnterpriseTag.objects.filter(
        enterprise_id__in=[r["id"] for r in page]
    ).values_list("enterprise_id", "tag"):
        tags.setdefault(enterprise_id, []).append(tag)
    items: list[dict[str, Any]] = [
        {
            "id": r["id"],
            "name": r["name"],
            "uscc": r["uscc"],
            "address": r["address"],
            "grid": {"id": r["grid_id"], "name": r["grid__name"]},
            "office": {"id": r["office_id"], "name": r["office__name"]},
            "sector": r["sector"],
            "risk_class": r["risk_class"],
            "scale": r["scale"],
            "status": r["status"],
            "tags": tags.get(r["id"], []),
        }
        for r in page
    ]
    return JsonResponse({"items": items, "next": None if len(rows) <= LIMIT else "more"})


urlpatterns = [path("bench/enterprises", bare_enterprises), *platform]
