"""The field page (phone first) and what it reads, and the page of one recorded visit.

The field page records through the API (/api/v1/photos, then /api/v1/visits) from a small
script, with client UUIDs made on the phone so a retried submit never duplicates.
"""

from __future__ import annotations

import heapq
import math
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.models import Role, User
from anjian.accounts.permissions import can
from anjian.accounts.typing import AuthedRequest
from anjian.checklists.models import Determination
from anjian.checklists.services import applicable_for
from anjian.enterprises.filters import search as registry_search
from anjian.enterprises.models import Enterprise
from anjian.enterprises.services import get_enterprise_for
from anjian.evidence import services as evidence
from anjian.fieldwork import purposes, services
from anjian.fieldwork.forms import prepare_visit_filter
from anjian.fieldwork.models import Outcome, Visit, VisitKind
from anjian.fieldwork.pages import VISIT_PAGE
from anjian.fieldwork.services import KIND_ROLES, companion_choices
from anjian.hazards.models import Hazard
from anjian.lib.access import requires
from anjian.lib.paging import page_from_request

NEAREST = 10
SEARCH_LIMIT = 20
# The nearest are looked for first in a box of about ±11 km around the phone (0.1°), which
# keeps a city's 50,000 enterprises out of Python; with fewer than NEAREST in the box, the
# whole scope is searched.
BOX_DEGREES = Decimal("0.1")
EARTH_RADIUS_M = 6_371_000
# Chinese as UTF-8 (3 bytes a character) rather than \uXXXX escapes (6): half the bytes.
UTF8 = {"ensure_ascii": False}


def kind_for(user: User) -> str:
    """The kind of visit the user's role records (grid workers patrol, officers inspect…)."""
    return next(kind for kind, roles in KIND_ROLES.items() if user.role in roles)


def field_config(request: AuthedRequest, kind: str, preset: Enterprise | None) -> dict[str, Any]:
    """What the field script needs: where to send things, the choices, and its messages in
    the page's language (no separate catalog download on a slow connection)."""
    return {
        "kind": kind,
        "enterprise": {"id": preset.pk, "name": preset.name} if preset else None,
        "user": request.user.pk,
        "urls": {
            "sw": reverse("fieldwork:service_worker"),
            "enterprises": reverse("fieldwork:enterprises"),
            "checklists": reverse("fieldwork:checklists", args=[0]),
            "photos": reverse("api:upload_photo"),
            "visits": reverse("api:create_visit"),
            "hazard": reverse("hazards:detail", args=[0]),
            "visit": reverse("fieldwork:visit", args=[0]),
        },
        # Officers may register a hazard and set its deadline later (workflow "assign").
        "deadlineRequired": not can(request.user, "hazards.supervise"),
        "today": timezone.localdate().isoformat(),
        "text": {
            "noMatch": _("No enterprise in your area matches."),
            "locating": _("Finding your position…"),
            "noPosition": _("Your position is not available: search by name instead."),
            "away": _("%(d)s m away"),
            "closedHint": _("not operating"),
            "hazardTitle": _("Hazard"),
            "fromItem": _("From checklist item"),
            "required": _("This is required."),
            "pickEnterprise": _("Choose the enterprise first."),
            "pickOutcome": _("Say what you found at the door."),
            "needDeadline": _("Give the rectification deadline."),
            "needAfterPhoto": _("A hazard fixed on the spot needs a photo of the fix."),
            "uploading": _("Sending photo %(n)s of %(total)s…"),
            "saving": _("Saving the visit…"),
            "network": _(
                "The connection failed. Nothing is lost: press Submit again when you have signal."
            ),
            "fix": _("Please correct the marked entries."),
            "saved": _("The visit is recorded."),
            "savedBefore": _("This visit had already been recorded; nothing was duplicated."),
            "hazardsFound": _("Hazards recorded:"),
            "noHazards": _("No hazards recorded."),
            "problem": _("The visit could not be recorded."),
            "kept": _(
                "Not sent yet: the visit is kept on this phone (waiting to upload) and is sent "
                "when you have signal. You can also press Submit again."
            ),
            "signIn": _("Sign in again to send the visits waiting on this phone."),
            "refused": _("Refused:"),
            "discard": _("Discard"),
        },
    }


@requires("fieldwork.record")
def field(request: AuthedRequest) -> HttpResponse:
    """Pick an enterprise, say what was found at the door, run a checklist, record hazards."""
    user = request.user
    preset: Enterprise | None = None
    wanted = request.GET.get("enterprise", "")
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        preset = get_enterprise_for(user, user.enterprise_id)
    elif wanted.isdecimal():
        preset = Enterprise.objects.visible_to(user).filter(pk=wanted).first()
    kind = kind_for(user)
    # A link from a drawn enterprise (双随机) makes the visit its double-random inspection.
    drawing = purposes.named("draw_item")
    drawn = drawing.offered(user, request.GET.get("draw_item", "")) if drawing else None
    if drawn is not None and drawing is not None:
        kind, preset = drawing.kind, drawn.enterprise
    config = field_config(request, kind, preset)
    config["drawItem"] = drawn.pk if drawn else None
    context = {
        "config": config,
        "companions": companion_choices(user, kind),
        "draw_item": drawn,
        "kind_label": VisitKind(kind).label,
        "outcomes": Outcome.choices,
        "preset": preset,
    }
    return render(request, "fieldwork/field.html", context)


@login_not_required
def service_worker(request: HttpRequest) -> HttpResponse:
    """The field page's service worker: keeps the last copy of the page and what it loaded,
    so the page opens without signal and the visits waiting on the phone can be sent later.
    Served from /field/ so that it may control the field page; it holds no user data."""
    response = render(request, "fieldwork/field-sw.js", content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


def _coordinate(value: str, limit: int) -> Decimal | None:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) <= limit else None


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine): plenty for choosing the factory across the road."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


COLUMNS = ("id", "name", "address", "status", "grid__name", "latitude", "longitude")


def _row(r: dict[str, Any], distance: float | None = None) -> dict[str, Any]:
    return {
        "id": r["id"],
        "name": r["name"],
        "address": r["address"],
        "grid": r["grid__name"],
        "operating": r["status"] == "operating",
        "distance_m": round(distance) if distance is not None else None,
    }


def nearest(qs: Any, lat: Decimal, lon: Decimal) -> list[dict[str, Any]]:
    """The NEAREST enterprises of `qs` that have coordinates, closest first."""
    located = qs.filter(latitude__isnull=False, longitude__isnull=False)
    box = located.filter(
        latitude__range=(lat - BOX_DEGREES, lat + BOX_DEGREES),
        longitude__range=(lon - BOX_DEGREES, lon + BOX_DEGREES),
    )
    rows = list(box.values(*COLUMNS))
    if len(rows) < NEAREST:
        rows = list(located.values(*COLUMNS))
    here = (float(lat), float(lon))
    scored = ((distance_m(*here, float(r["latitude"]), float(r["longitude"])), r) for r in rows)
    best = heapq.nsmallest(NEAREST, scored, key=lambda pair: (pair[0], pair[1]["id"]))
    return [_row(r, d) for d, r in best]


@requires("fieldwork.record")
def enterprise_choices(request: AuthedRequest) -> JsonResponse:
    """Enterprises in scope for the field page: `?lat=&lon=` for the nearest, `?q=` to
    search name, credit code or address."""
    qs = Enterprise.objects.visible_to(request.user)
    lat_s, lon_s = request.GET.get("lat"), request.GET.get("lon")
    if lat_s is not None or lon_s is not None:
        lat, lon = _coordinate(lat_s or "", 90), _coordinate(lon_s or "", 180)
        if lat is None or lon is None:
            field = "lat" if lat is None else "lon"
            message = _("Give the position as decimal degrees.")
            return JsonResponse(
                {"detail": message, "errors": [{"field": field, "message": message}]}, status=400
            )
        return JsonResponse({"items": nearest(qs, lat, lon)}, json_dumps_params=UTF8)
    term = request.GET.get("q", "").strip()[:100]
    if term:
        qs = registry_search(qs, term)
    rows = qs.order_by("name", "id").values(*COLUMNS)[:SEARCH_LIMIT]
    return JsonResponse({"items": [_row(r) for r in rows]}, json_dumps_params=UTF8)


@requires("fieldwork.record")
def enterprise_checklists(request: AuthedRequest, pk: int) -> JsonResponse:
    """The published checklists that apply to the enterprise, with the items that apply."""
    enterprise = get_enterprise_for(request.user, pk)
    items = [
        {
            "id": a.version.pk,
            "title": a.version.checklist.title,
            "number": a.version.number,
            "items": [
                {
                    "id": i.pk,
                    "code": i.code,
                    "text": i.text,
                    "clause": i.clause,
                    "major": i.determination == Determination.MAJOR_DIRECT,
                }
                for i in a.items
            ],
        }
        for a in applicable_for(enterprise)
    ]
    return JsonResponse({"items": items}, json_dumps_params=UTF8)


VISIT_LIST_COLUMNS = (
    "kind", "outcome", "visited_on", "enterprise__name", "grid__name",
    "recorded_by__display_name", "recorded_by__username",
)  # fmt: skip


@requires("fieldwork.view")
def visit_list(request: AuthedRequest) -> HttpResponse:
    """The visits in scope, newest first, filtered through htmx (the list behind the
    statistics' checks and patrols)."""
    form, qs = services.filtered_visits(request.GET, request.user)
    if qs is None:
        qs = Visit.objects.none()
    prepare_visit_filter(form)
    qs = qs.select_related("enterprise", "grid", "recorded_by").only(*VISIT_LIST_COLUMNS)
    page, query = page_from_request(request, qs, key="visited_on", descending=True)
    template = "fieldwork/_visits.html" if request.htmx else "fieldwork/visits.html"
    return render(request, template, {"filter": form, "page": page, "query": query})


@requires("registry.view")
def visit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One visit: who, when, the outcome, the answers and the hazards found."""
    visit = Visit.objects.get_for(request.user, pk)
    answers = (
        visit.answers.select_related("item")
        .prefetch_related("photos")
        .order_by("item__position", "item_id")
    )
    hazards = Hazard.objects.visible_to(request.user).filter(visit=visit).order_by("id")
    context = {
        "v": visit,
        "answers": answers,
        "hazards": hazards,
        "photos": list(visit.photos.all()),
        "people": list(visit.people.all()),
        "panels": VISIT_PAGE.render(request, visit),
    }
    return render(request, "fieldwork/visit.html", context)


@requires("registry.view")
def visit_photo(request: AuthedRequest, pk: int, photo_pk: int) -> FileResponse:
    """A photo of the visit or of one of its answers, to those who can see the visit."""
    visit = Visit.objects.get_for(request.user, pk)
    return evidence.serve(
        evidence.attached_photo(photo_pk, Q(visits=visit) | Q(answers__visit=visit))
    )
