"""Double-random draws (双随机、一公开): draw enterprises and officers, reproducibly, and
publish the result.

The draw is a pure function of (seed, object list, inspector list, size): `draw_result`.
`create_draw` stores all four with the result, so `replay(draw)` can show anyone that the
published result is the one the seed gives. Officers are spread evenly: each enterprise gets
the least-loaded officers so far, ties broken by the seeded shuffle.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.accounts.permissions import can, roles_with
from anjian.accounts.scope import scope_of
from anjian.audit.log import plain, record
from anjian.draws.models import Draw, DrawItem
from anjian.enterprises.filters import EnterpriseFilter
from anjian.enterprises.models import Enterprise
from anjian.fieldwork.models import VisitKind
from anjian.lib.errors import InvalidInput, NotAllowed
from anjian.regions.models import RegionLevel

OFFICERS_PER_ENTERPRISE = 2
# Seeds are printed on the published result, so they are kept to 12 digits.
SEED_LIMIT = 10**12
# Who may be drawn: those who carry out double-random inspections, people holding an
# enforcement certificate (执法证); grid workers and third parties may not inspect
# (国办发〔2024〕54号).
INSPECTOR_ROLES = roles_with("visits.double_random")


class DrawError(InvalidInput):
    """Input a draw cannot be made with; names the field."""


def draw_result(
    seed: int, enterprise_ids: list[int], officer_ids: list[int], size: int, per: int
) -> list[tuple[int, list[int]]]:
    """[(enterprise id, [officer ids])] in the order drawn. The same arguments always give
    the same result: the lists are sorted first, so only their contents matter."""
    rng = random.Random(seed)
    chosen = rng.sample(sorted(enterprise_ids), size)
    officers = sorted(officer_ids)
    load = dict.fromkeys(officers, 0)
    result = []
    for enterprise_id in chosen:
        order = list(officers)
        rng.shuffle(order)
        order.sort(key=load.__getitem__)  # stable: equally loaded officers stay shuffled
        team = sorted(order[:per])
        for officer_id in team:
            load[officer_id] += 1
        result.append((enterprise_id, team))
    return result


def replay(draw: Draw) -> list[tuple[int, list[int]]]:
    """The result the draw's stored seed and lists give."""
    return draw_result(
        draw.seed, draw.enterprise_ids, draw.officer_ids, draw.size, draw.per_enterprise
    )


def stored_result(
    draw: Draw, items: Iterable[DrawItem] | None = None
) -> list[tuple[int, list[int]]]:
    """The published result as stored; `items` in position order, officers prefetched, when
    the caller has them already."""
    if items is None:
        items = draw.items.order_by("position").prefetch_related("officers")
    return [(i.enterprise_id, sorted(o.pk for o in i.officers.all())) for i in items]


def is_reproduced(draw: Draw, items: Iterable[DrawItem] | None = None) -> bool:
    """Whether the stored seed and lists give the stored result again (anyone may check)."""
    return replay(draw) == stored_result(draw, items)


def eligible_officers(user: User) -> Any:
    """The inspector list a user may draw from: certified officers of their area."""
    path = scope_of(user).region_path
    if path is None:
        return User.objects.none()
    return (
        User.objects.filter(role__in=INSPECTOR_ROLES, is_active=True, region__path__startswith=path)
        .exclude(certificate_no="")
        .order_by("username")
    )


def object_list(user: User, criteria: dict[str, Any]) -> list[int]:
    """The ids of the enterprises the registry filter picks in the user's scope. Without a
    status in the filter only operating enterprises are in the list."""
    form = EnterpriseFilter(criteria, user=user)
    if not form.is_valid():
        field, messages = next(iter(form.errors.items()))
        raise DrawError(str(messages[0]), field)
    qs = form.apply(Enterprise.objects.visible_to(user))
    if not form.cleaned_data.get("status"):
        qs = qs.operating()
    return sorted(qs.values_list("id", flat=True).distinct())


def _office_of(user: User, criteria: dict[str, Any]) -> int | None:
    scope = scope_of(user)
    if scope.region_level == RegionLevel.OFFICE:
        return scope.region_id
    office = criteria.get("office")
    return int(office) if office not in (None, "") else None


def _inspectors(user: User, officer_ids: list[int] | None) -> list[int]:
    eligible = set(eligible_officers(user).values_list("id", flat=True))
    chosen = set(officer_ids) if officer_ids else eligible
    if not chosen <= eligible:
        raise DrawError(
            _("Only certified officers of your area can be drawn as inspectors."), "officers"
        )
    if len(chosen) < OFFICERS_PER_ENTERPRISE:
        raise DrawError(
            _("The inspector list needs at least %(n)d certified officers.")
            % {"n": OFFICERS_PER_ENTERPRISE},
            "officers",
        )
    return sorted(chosen)


@transaction.atomic
def create_draw(
    *,
    title: str,
    criteria: dict[str, Any],
    size: int,
    by: User,
    officer_ids: list[int] | None = None,
    seed: int | None = None,
) -> Draw:
    """Draw `size` enterprises from the filtered registry and two officers for each; the
    draw is kept unpublished until `publish_draw`."""
    zone_id = scope_of(by).zone_id
    if not can(by, "draws.manage") or zone_id is None:
        raise NotAllowed("draws.manage")
    criteria = {k: v for k, v in criteria.items() if v not in (None, "")}
    enterprises = object_list(by, criteria)
    officers = _inspectors(by, officer_ids)
    if not title.strip():
        raise DrawError(_("Give the draw a title."), "title")
    if size < 1 or size > len(enterprises):
        raise DrawError(
            _("Draw between 1 and %(n)d enterprises (the object list holds %(n)d).")
            % {"n": len(enterprises)},
            "size",
        )
    if seed is None:
        seed = secrets.randbelow(SEED_LIMIT)
    elif not 0 <= seed < SEED_LIMIT:
        raise DrawError(_("The seed is a number from 0 to 999999999999."), "seed")
    draw = Draw.objects.create(
        zone_id=zone_id,
        office_id=_office_of(by, criteria),
        title=title.strip(),
        seed=seed,
        criteria=criteria,
        enterprise_ids=enterprises,
        officer_ids=officers,
        size=size,
        per_enterprise=OFFICERS_PER_ENTERPRISE,
        created_by=by,
    )
    _store(draw, draw_result(seed, enterprises, officers, size, OFFICERS_PER_ENTERPRISE))
    record(
        by,
        "draw.create",
        draw,
        changes={"seed": seed, "size": size, "objects": len(enterprises), "officers": officers},
    )
    return draw


def _store(draw: Draw, result: list[tuple[int, list[int]]]) -> None:
    items = DrawItem.objects.bulk_create(
        DrawItem(draw=draw, position=n, enterprise_id=enterprise_id)
        for n, (enterprise_id, _team) in enumerate(result, start=1)
    )
    through = DrawItem.officers.through
    through.objects.bulk_create(
        through(drawitem_id=item.pk, user_id=officer_id)
        for item, (_e, team) in zip(items, result, strict=True)
        for officer_id in team
    )


@transaction.atomic
def publish_draw(draw: Draw, *, by: User) -> Draw:
    """Publish the result (公开). From now on the draw never changes."""
    if not can(by, "draws.manage"):
        raise NotAllowed("draws.manage")
    # Re-read in scope under a row lock: two publishers queue, the second is told it is done.
    locked = Draw.objects.visible_to(by).select_for_update().filter(pk=draw.pk).first()
    if locked is None:
        raise Http404("draw")
    if locked.is_published:
        raise DrawError(_("This draw is published already and cannot change."), "published")
    locked.published_at = timezone.now()
    locked.published_by = by
    locked.save(update_fields=["published_at", "published_by"])
    record(by, "draw.publish", locked, changes={"published_at": [None, plain(locked.published_at)]})
    return locked


def item_for_visit(by: User, item_id: int, kind: str, enterprise_id: int) -> DrawItem:
    """The drawn enterprise a double-random inspection carries out, checked: the draw is
    published, the enterprise is the one drawn, and the recorder is one of its officers."""
    item = DrawItem.objects.select_related("draw").filter(pk=item_id).first()
    if item is None or not item.officers.filter(pk=by.pk).exists():
        raise DrawError(_("You were not drawn for this enterprise."), "draw_item")
    if kind != VisitKind.DOUBLE_RANDOM:
        raise DrawError(_("Only a double-random inspection carries out a draw."), "kind")
    if not item.draw.is_published:
        raise DrawError(_("Publish the draw before inspecting."), "draw_item")
    if item.enterprise_id != enterprise_id:
        raise DrawError(_("This enterprise was not drawn in that item."), "enterprise")
    return item


def offered_item(user: User, raw: str) -> DrawItem | None:
    """The published draw's enterprise this officer was drawn to inspect (双随机), from a
    `?draw_item=` link on the field page; anything else leaves the page an ordinary visit."""
    if not raw.isdecimal() or not can(user, "visits.double_random"):
        return None
    return (
        DrawItem.objects.filter(
            pk=raw,
            officers=user,
            draw__published_at__isnull=False,
            enterprise__in=Enterprise.objects.visible_to(user),
        )
        .select_related("enterprise")
        .first()
    )
