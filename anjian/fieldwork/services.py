"""Recording visits: one transaction for the visit, its answers, photos and hazards."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.accounts.permissions import roles_with
from anjian.accounts.scope import scope_of
from anjian.audit.log import record
from anjian.checklists.models import (
    Checklist,
    ChecklistItem,
    ChecklistVersion,
    Determination,
    VersionStatus,
)
from anjian.enterprises.models import Enterprise
from anjian.evidence.models import Photo
from anjian.evidence.services import photos_for
from anjian.fieldwork import purposes
from anjian.fieldwork.filters import VisitFilter
from anjian.fieldwork.models import Answer, Outcome, Result, Visit, VisitKind, VisitQuerySet
from anjian.fieldwork.schemas import VisitIn
from anjian.hazards import workflow
from anjian.hazards.models import Hazard, Level, RectifyType, Source
from anjian.lib.errors import InvalidInput, NotAllowed
from anjian.lib.once import create_once

# Who records which kind of visit, and who may go along: read from the one table of who
# may do what (accounts.permissions, "visits.<kind>" and "visits.<kind>.join").
KIND_ROLES: dict[str, frozenset[str]] = {k: roles_with(f"visits.{k}") for k in VisitKind.values}
COMPANION_ROLES: dict[str, frozenset[str]] = {
    k: roles_with(f"visits.{k}.join") for k in VisitKind.values
}
# Where a visit's hazards come from (dangerSrc): the kind of visit says it (a device sends no
# source). A patrol is not a supervisory inspection (国办发〔2024〕54号); a leader's liaison
# visit is the government's own look, so it counts as supervision.
KIND_SOURCE: dict[str, str] = {
    VisitKind.PATROL: Source.GRID_PATROL,
    VisitKind.INSPECTION: Source.GOVERNMENT,
    VisitKind.DOUBLE_RANDOM: Source.GOVERNMENT,
    VisitKind.EXPERT_CHECK: Source.EXTERNAL_EXPERT,
    VisitKind.SELF_INSPECTION: Source.DAILY,
    VisitKind.LIAISON: Source.GOVERNMENT,
}
# A phone's clock may run a little ahead of the server's: a visit "starting" within this
# margin of now is taken as now, anything later is refused as in the future.
CLOCK_SKEW = datetime.timedelta(minutes=5)


class VisitError(InvalidInput):
    """Input a visit cannot be recorded with; names the field."""


@dataclass
class _Finding:
    """A hazard to register on the visit, resolved: its fields, the checklist clause it
    breaches, the device's client UUID, and its photos."""

    data: dict[str, Any]
    item: ChecklistItem | None = None
    client_uuid: uuid.UUID | None = None
    before_photos: list[Photo] = field(default_factory=list)
    after_photos: list[Photo] = field(default_factory=list)


def filtered_visits(data: Any, user: User) -> tuple[VisitFilter, VisitQuerySet | None]:
    """The user's visits narrowed by the filters in `data` (None when they are bad), with the
    form that read them: the one lookup of the list page and the API."""
    form = VisitFilter(data, user=user)
    if not form.is_valid():
        return form, None
    return form, Visit.objects.visible_to(user).filter(form.condition())


def prefill_from_item(item: ChecklistItem) -> dict[str, Any]:
    """A hazard's fields as the checklist item states them (major when it is determined
    major directly)."""
    standard = item.version.checklist.standard
    basis = "，".join(p for p in (str(standard) if standard else "", item.clause) if p)
    return {
        "name": item.text[:200],
        "description": item.text,
        "level": Level.MAJOR if item.determination == Determination.MAJOR_DIRECT else Level.GENERAL,
        "basis": basis[:300],
    }


def record_visit(data: VisitIn, *, by: User) -> tuple[Visit, bool]:
    """Record a visit with its answers and hazards, all or nothing.

    Returns (visit, created). A retry with the same client_uuid returns the first visit.
    """
    return create_once(
        Visit,
        data.client_uuid,
        lambda: _record_visit(data, by=by),
        by=by,
        owner="recorded_by",
        error=VisitError,
    )


def _record_visit(data: VisitIn, *, by: User) -> Visit:
    if data.kind not in KIND_ROLES:
        raise VisitError(_("Unknown kind of visit."), "kind")
    if by.role not in KIND_ROLES[data.kind]:
        if data.kind in (VisitKind.INSPECTION, VisitKind.DOUBLE_RANDOM):
            raise NotAllowed(
                data.kind,
                _(
                    "Only enforcement officers record administrative inspections; "
                    "record a patrol and report the hazards to the officer."
                ),
            )
        raise NotAllowed(data.kind)
    enterprise = Enterprise.objects.visible_to(by).filter(pk=data.enterprise).first()
    if enterprise is None:
        raise Http404("enterprise")
    version = _version(data, enterprise)
    if data.outcome not in Outcome.values:
        raise VisitError(_("Unknown outcome."), "outcome")
    if data.outcome != Outcome.INSPECTED and (data.answers or data.hazards):
        raise VisitError(_("Only an inspected enterprise has answers and hazards."), "outcome")
    started, ended = _times(data)
    people = [by, *_companions(data, enterprise, by)]
    visit = Visit.objects.create(
        client_uuid=data.client_uuid,
        kind=data.kind,
        enterprise=enterprise,
        grid_id=enterprise.grid_id,
        office_id=enterprise.office_id,
        zone_id=enterprise.zone_id,
        recorded_by=by,
        started_at=started,
        ended_at=ended,
        visited_on=timezone.localtime(started).date(),
        latitude=data.latitude,
        longitude=data.longitude,
        outcome=data.outcome,
        checklist_version=version,
        note=data.note,
        purpose=_purpose(data, by),
    )
    visit.people.add(*people)
    visit.photos.add(*photos_for(by, data.photos))
    hazards = [*_answers(visit, data, version, by), *_findings(data, by)]
    for h in hazards:
        workflow.register_hazard(
            enterprise,
            # Found on the day of the visit, also when a phone sends it days later.
            {
                **h.data,
                "found_on": visit.visited_on,
                "source": KIND_SOURCE[visit.kind],
            },
            by=by,
            origin=visit,
            item=h.item,
            client_uuid=h.client_uuid,
            before_photos=h.before_photos,
            after_photos=h.after_photos,
            latitude=data.latitude,
            longitude=data.longitude,
        )
    record(
        by,
        "visit.create",
        visit,
        changes={"kind": data.kind, "outcome": data.outcome, "hazards": len(hazards)},
    )
    return visit


def _times(data: VisitIn) -> tuple[datetime.datetime, datetime.datetime | None]:
    """The visit's start and end, neither in the future nor the end before the start."""
    latest = timezone.now() + CLOCK_SKEW
    started = _aware(data.started_at)
    if started > latest:
        raise VisitError(_("A visit cannot start in the future."), "started_at")
    ended = _aware(data.ended_at) if data.ended_at is not None else None
    if ended is not None and ended > latest:
        raise VisitError(_("A visit cannot end in the future."), "ended_at")
    if ended is not None and ended < started:
        raise VisitError(_("A visit cannot end before it starts."), "ended_at")
    return started, ended


def companions_for(kind: str, zone_id: int | None, enterprise_id: int | None) -> Any:
    """The people who may go along on a visit of this kind to an enterprise of this zone:
    active accounts of the zone in a role COMPANION_ROLES allows (for a self-inspection, the
    enterprise's own people)."""
    qs = User.objects.filter(
        is_active=True, zone_id=zone_id, role__in=COMPANION_ROLES.get(kind, ())
    )
    if kind == VisitKind.SELF_INSPECTION:
        qs = qs.filter(enterprise_id=enterprise_id)
    return qs


def companion_choices(user: User, kind: str) -> list[tuple[int, str]]:
    """(id, name) of the people the field page offers to go along on the user's visits of
    this kind: those companions_for accepts anywhere in the user's zone."""
    zone_id = scope_of(user).zone_id
    if zone_id is None:
        return []
    qs = companions_for(kind, zone_id, user.enterprise_id)
    rows = qs.exclude(pk=user.pk).values_list("pk", "display_name", "username")
    return sorted(((pk, name or login) for pk, name, login in rows), key=lambda r: (r[1], r[0]))


def _companions(data: VisitIn, enterprise: Enterprise, by: User) -> list[User]:
    wanted = set(data.people) - {by.pk}
    if not wanted:
        return []
    found = {u.pk: u for u in User.objects.filter(pk__in=wanted)}
    eligible = set(
        companions_for(data.kind, enterprise.zone_id, enterprise.pk)
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    )
    for pk in sorted(wanted):
        person = found.get(pk)
        # Someone of another zone is as unknown as someone who does not exist.
        if person is None or person.zone_id != enterprise.zone_id:
            raise VisitError(_("Person %(id)s is unknown.") % {"id": pk}, "people")
        if not person.is_active:
            raise VisitError(
                _("%(name)s's account is closed: they cannot take part.") % {"name": person},
                "people",
            )
        if pk not in eligible:
            raise VisitError(
                _("%(name)s (%(role)s) cannot take part in a visit of this kind (%(kind)s).")
                % {
                    "name": person,
                    "role": person.get_role_display() or "—",
                    "kind": VisitKind(data.kind).label,
                },
                "people",
            )
    return [found[pk] for pk in sorted(wanted)]


def _purpose(data: VisitIn, by: User) -> Model | None:
    """The plan the visit carries out, checked by the app that made it (fieldwork.purposes):
    today the drawn enterprise of a double-random draw."""
    purpose = purposes.named("draw_item")
    if data.draw_item is None or purpose is None:
        return None
    try:
        return purpose.check(by, data.draw_item, data.kind, data.enterprise)
    except InvalidInput as exc:
        raise VisitError(str(exc), exc.field) from exc


def _aware(moment: datetime.datetime) -> datetime.datetime:
    """A device that sends its clock without an offset means local (zone) time."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _version(data: VisitIn, enterprise: Enterprise) -> ChecklistVersion | None:
    if data.checklist_version is None:
        if data.answers:
            raise VisitError(
                _("Answers need the checklist version they answer."), "checklist_version"
            )
        return None
    # The platform's checklists and the enterprise's zone's own; another zone's is unknown.
    version = (
        ChecklistVersion.objects.filter(
            pk=data.checklist_version,
            checklist__in=Checklist.objects.usable_in(enterprise.zone_id),
        )
        .select_related("checklist__standard")
        .first()
    )
    if version is None or version.status != VersionStatus.PUBLISHED:
        raise VisitError(_("Use a published checklist version."), "checklist_version")
    return version


def _answers(
    visit: Visit, data: VisitIn, version: ChecklistVersion | None, by: User
) -> list[_Finding]:
    """Write the answers; the hazards their non-compliant items found, prefilled from them."""
    found: list[_Finding] = []
    items = _items(data, version)
    seen: set[int] = set()
    for a in data.answers:
        item = items[a.item]
        if item.pk in seen:
            raise VisitError(_("Item %(c)s is answered twice.") % {"c": item.code}, "answers")
        if a.result not in Result.values:
            raise VisitError(_("Unknown result for item %(c)s.") % {"c": item.code}, "answers")
        seen.add(item.pk)
        photos = photos_for(by, a.photos)
        answer = Answer.objects.create(visit=visit, item=item, result=a.result, note=a.note)
        answer.photos.add(*photos)
        if a.result == Result.NON_COMPLIANT:
            sent = a.hazard.dict(exclude_unset=True, exclude_none=True, exclude={"after_photos"})
            hazard_data = {**prefill_from_item(item), **sent}
            if item.determination == Determination.MAJOR_DIRECT:
                hazard_data["level"] = Level.MAJOR
            hazard_data.setdefault("rectify_type", RectifyType.DEADLINE)
            found.append(
                _Finding(
                    data=hazard_data,
                    item=item,
                    client_uuid=a.hazard.client_uuid,
                    before_photos=photos,
                    after_photos=photos_for(by, a.hazard.after_photos),
                )
            )
    return found


def _items(data: VisitIn, version: ChecklistVersion | None) -> dict[int, ChecklistItem]:
    """The answered checklist items by id: each one of the visit's checklist version."""
    wanted = {a.item for a in data.answers}
    items = {
        i.pk: i
        for i in ChecklistItem.objects.filter(pk__in=wanted).select_related(
            "version__checklist__standard"
        )
    }
    for pk in sorted(wanted):
        item = items.get(pk)
        if item is None:
            raise VisitError(_("Checklist item %(id)s is unknown.") % {"id": pk}, "answers")
        if version is None or item.version_id != version.pk:
            raise VisitError(
                _("Item %(c)s is not in this checklist version.") % {"c": item.code}, "answers"
            )
    return items


def _findings(data: VisitIn, by: User) -> list[_Finding]:
    """The hazards the device sent on their own (not from an answer), resolved."""
    return [
        _Finding(
            data=h.dict(exclude={"client_uuid", "before_photos", "after_photos"}),
            client_uuid=h.client_uuid,
            before_photos=photos_for(by, h.before_photos),
            after_photos=photos_for(by, h.after_photos),
        )
        for h in data.hazards
    ]


def hazards_of(visit: Visit) -> list[Hazard]:
    return list(visit.hazards.order_by("id"))
