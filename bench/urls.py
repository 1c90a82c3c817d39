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


def bare_hazards(request: HttpRequest) -> JsonResponse:
    """The ledger API's rows for its common filters, with nothing but the ORM and JsonResponse
    (no filter form, no schema): the yardstick of bench/ledger.py."""
    from django.utils import timezone

    from anjian.hazards.filters import text_matches
    from anjian.hazards.models import OPEN, Hazard

    g = request.GET
    today = timezone.localdate()
    qs = Hazard.objects.visible_to(request.user)  # type: ignore[arg-type]
    if g.get("state") == "open":
        qs = qs.open()  # the same SQL as the API's: open codes written out (lib.lookups)
    elif g.get("state") == "overdue":
        qs = qs.overdue(today)
    if g.get("level"):
        qs = qs.filter(level=g["level"])
    if g.get("office"):
        qs = qs.filter(office_id=int(g["office"]))
    if g.get("found_from"):
        qs = qs.filter(found_on__gte=g["found_from"])
    if g.get("found_to"):
        qs = qs.filter(found_on__lte=g["found_to"])
    if g.get("q"):
        # The same SQL as the API's (the enterprise-name arm computed once, as text_matches
        # writes it), so API / bare compares the layers, not two queries.
        qs = qs.filter(text_matches(g["q"].strip()))
    rows = list(
        qs.order_by("-found_on", "-id").values(
            "id", "name", "enterprise_id", "enterprise__name", "grid_id", "office_id", "level",
            "source", "rectify_type", "hazard_type", "status", "found_on", "deadline", "finder",
        )[: LIMIT + 1]
    )  # fmt: skip
    items = [
        {
            **{k: v for k, v in r.items() if k != "enterprise__name"},
            "enterprise_name": r["enterprise__name"],
            "overdue": bool(r["status"] in OPEN and r["deadline"] and r["deadline"] < today),
        }
        for r in rows[:LIMIT]
    ]
    return JsonResponse({"items": items, "next": None if len(rows) <= LIMIT else "more"})


urlpatterns = [
    path("bench/enterprises", bare_enterprises),
    path("bench/hazards", bare_hazards),
    *platform,
]
