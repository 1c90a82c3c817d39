"""The platform's URLs plus the benchmarks' yardsticks: bare Django views returning the rows
of each list page and API with nothing but the ORM and JsonResponse, and the Django admin's
changelist of the ledger (registered here, in the benchmark only, never in the product)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.urls import path

from anjian.accounts.models import User
from anjian.audit.models import Entry
from anjian.draws.models import Draw
from anjian.enforcement.models import Notice
from anjian.enterprises.models import Enterprise, EnterpriseTag
from anjian.fieldwork.api import ROW_COLUMNS, visit_row
from anjian.fieldwork.models import Visit
from config.urls import urlpatterns as platform

LIMIT = 50


def bare_enterprises(request: HttpRequest) -> JsonResponse:
    """The API's rows for office + sector + q (each optional), with nothing but the ORM and
    JsonResponse; `with_count=true` counts them as Django would (`.count()`)."""
    g = request.GET
    qs = Enterprise.objects.visible_to(request.user)  # type: ignore[arg-type]
    if g.get("office"):
        qs = qs.filter(office_id=int(g["office"]))
    if g.get("sector"):
        qs = qs.filter(sector=g["sector"])
    if term := g.get("q", ""):
        qs = qs.filter(
            Q(name__contains=term) | Q(uscc__contains=term.upper()) | Q(address__contains=term)
        )
    rows = list(
        qs.order_by("name", "id").values(
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
    return _page(request, items, rows, qs)


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


def _page(request: HttpRequest, items: list[Any], rows: list[Any], qs: Any = None) -> JsonResponse:
    """A page of `items` (the first LIMIT of `rows`), counted with `qs.count()` when asked."""
    payload: dict[str, Any] = {"items": items, "next": None if len(rows) <= LIMIT else "more"}
    if qs is not None and request.GET.get("with_count") == "true":
        payload["count"] = qs.count()
    return JsonResponse(payload)


def _bare_list(
    rows_of: Callable[[Any], Any],
    order: tuple[str, ...],
    columns: Sequence[str],
    shape: Callable[[dict[str, Any]], Any] = lambda r: r,
    counted: bool = True,
) -> Callable[[HttpRequest], JsonResponse]:
    """A bare view of a list page's rows: the user's rows (`rows_of(user)`, their
    visible_to) in `order`, read as `columns`, each shaped as the API shapes it; counted with
    `.count()` when asked (unless the page never counts)."""

    def view(request: HttpRequest) -> JsonResponse:
        qs = rows_of(request.user)
        rows = list(qs.order_by(*order).values(*columns)[: LIMIT + 1])
        return _page(request, [shape(r) for r in rows[:LIMIT]], rows, qs if counted else None)

    return view


bare_visits = _bare_list(Visit.objects.visible_to, ("-visited_on", "-id"), ROW_COLUMNS, visit_row)
bare_notices = _bare_list(
    Notice.objects.visible_to,
    ("-issued_on", "-id"),
    ("id", "type", "number", "enterprise_id", "enterprise__name", "issued_on", "deadline",
     "served_on"),
)  # fmt: skip
bare_draws = _bare_list(
    Draw.objects.visible_to,
    ("-created_at", "-id"),
    ("id", "title", "office_id", "size", "enterprise_ids", "seed", "created_at", "published_at"),
    lambda r: (
        {k: v for k, v in r.items() if k != "enterprise_ids"}
        | {"objects": len(r["enterprise_ids"])}
    ),
)
bare_people = _bare_list(
    User.objects.visible_to,
    ("username", "id"),
    ("id", "username", "display_name", "role", "phone", "is_active", "region__name",
     "enterprise__name", "agency__name", "department__name"),
)  # fmt: skip
bare_audit = _bare_list(
    Entry.objects.visible_to,
    ("-at", "-id"),
    ("id", "at", "actor_name", "action", "object_type", "object_id", "object_repr", "channel"),
    counted=False,
)


def bare_coverage(request: HttpRequest) -> JsonResponse:
    """The coverage list's rows (state, period as the page reads them). Its rows are computed
    from policies and visits, not stored, so the bare way is the coverage service's own list
    with JsonResponse: no API layer, no schema, no page."""
    from anjian.coverage.api import row_out
    from anjian.coverage.forms import CoverageFilter
    from anjian.coverage.pages import listed

    form = CoverageFilter(request.GET, user=request.user)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=422)
    page = listed(
        form.query(), form.list_state(), None, LIMIT, request.GET.get("with_count") == "true"
    )
    payload: dict[str, Any] = {"items": [row_out(r) for r in page.items], "next": page.next}
    if page.count is not None:
        payload["count"] = page.count
    return JsonResponse(payload)


class LedgerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The ledger as a Django user would first build it: the admin's changelist with the
    ledger's columns, filters and free-text search, 50 rows a page."""

    list_display = ("name", "enterprise", "level", "status", "found_on", "deadline", "office")
    list_select_related = ("enterprise", "office")
    list_filter = ("status", "level")
    search_fields = ("name", "description", "location", "enterprise__name")
    ordering = ("-found_on", "-id")
    list_per_page = LIMIT


def _bench_admin() -> admin.AdminSite:
    from anjian.hazards.models import Hazard

    site = admin.AdminSite(name="bench_admin")
    site.register(Hazard, LedgerAdmin)
    return site


urlpatterns = [
    path("bench/enterprises", bare_enterprises),
    path("bench/hazards", bare_hazards),
    path("bench/visits", bare_visits),
    path("bench/notices", bare_notices),
    path("bench/draws", bare_draws),
    path("bench/people", bare_people),
    path("bench/audit", bare_audit),
    path("bench/coverage", bare_coverage),
    path("bench/admin/", _bench_admin().urls),
    *platform,
]
