"""The hazard state machines (RULES.md §3.1 general, §3.2 major): the only place a hazard's
status changes.

Each action is a row of ACTIONS: the statuses it starts from, where it goes, who may take it
and what it needs. `transition()` locks the row, checks the version the caller read, applies
the action and writes a HazardEvent, all in one transaction.
"""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field, Model, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.accounts.models import Role, User
from anjian.accounts.permissions import can
from anjian.accounts.scope import area_staff, enterprise_staff
from anjian.audit.log import record
from anjian.enterprises.models import Enterprise
from anjian.evidence.models import Photo
from anjian.hazards.events import HazardStepTaken
from anjian.hazards.models import (
    Finder,
    Hazard,
    HazardEvent,
    Level,
    RectifyType,
    Source,
    Status,
)
from anjian.lib.errors import Conflict, InvalidInput, NotAllowed
from anjian.lib.events import publish
from anjian.lib.once import create_once

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class TransitionError(InvalidInput):
    """An action that does not fit the hazard now, or input it lacks; names the field."""

    default_field = "action"


# --- who may act ---------------------------------------------------------------------------

FINDER_OF_ROLE = {
    Role.GRID_WORKER: Finder.GRID,
    Role.OFFICER: Finder.OFFICER,
    Role.ZONE_ADMIN: Finder.OFFICER,
    Role.EXPERT: Finder.EXPERT,
    Role.ENTERPRISE: Finder.ENTERPRISE,
    Role.LEADER: Finder.LEADER,
}
DEFAULT_SOURCE = {
    Finder.GRID: Source.GRID_PATROL,
    Finder.OFFICER: Source.GOVERNMENT,
    Finder.LEADER: Source.GOVERNMENT,
    Finder.EXPERT: Source.EXTERNAL_EXPERT,
    Finder.ENTERPRISE: Source.DAILY,
    Finder.IMPORT: Source.OTHER,
}


def is_government(user: User, hazard: Hazard) -> bool:
    return can(user, "hazards.supervise")


def is_own_enterprise(user: User, hazard: Hazard) -> bool:
    return user.role == Role.ENTERPRISE and user.enterprise_id == hazard.enterprise_id


def accepted_by_enterprise(hazard: Hazard) -> bool:
    """An enterprise accepts its own general hazards; everything found by others is closed
    by the competent officer (RULES.md §3.1; 国办发〔2024〕54号 for patrols and experts)."""
    return hazard.finder == Finder.ENTERPRISE and hazard.level == Level.GENERAL


def is_acceptor(user: User, hazard: Hazard) -> bool:
    if is_government(user, hazard):
        return True
    return accepted_by_enterprise(hazard) and is_own_enterprise(user, hazard)


def is_rectifier(user: User, hazard: Hazard) -> bool:
    """Whoever may hand in rectification evidence: the enterprise for its own, or a role
    that hands in fixes (the officer on its behalf, the grid worker confirming it on site)."""
    return is_own_enterprise(user, hazard) or can(user, "hazards.hand_in")


def is_enterprise_or_government(user: User, hazard: Hazard) -> bool:
    return is_own_enterprise(user, hazard) or is_government(user, hazard)


# --- the table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Moment:
    """Who takes a step and when: now, by the signed-in person, for a live step; the
    recorded moments for a history built from a ledger file or for the demo's year."""

    by_id: int | None
    at: datetime.datetime


# An action's effect on a hazard — a Hazard, or any object with its fields (the demo's rows,
# the importer's scratch copy) — from the step's input and its moment.
Apply = Callable[[Any, dict[str, Any], Moment], None]


@dataclass(frozen=True)
class Action:
    # Lazy: the table is built at import, the label is read in the reader's language.
    label: StrOrPromise
    sources: frozenset[str]
    target: str | None  # None: the status does not change
    may: Callable[[User, Hazard], bool]
    needs: tuple[str, ...] = ()
    needs_photo: bool = False
    apply: Apply | None = None
    # Whether the step can succeed on this hazard now beyond its status (a pending extension
    # request, the suspension flag): pages offer only steps that can.
    ready: Callable[[Any], bool] | None = None
    # Whether the step's photos show the fix (the hazard's "after" photos).
    shows_fix: bool = False


def _submit(h: Any, d: dict[str, Any], m: Moment) -> None:
    today = timezone.localdate(m.at)
    rectified: datetime.date = d.get("rectified_on") or today
    if rectified > today:
        raise TransitionError(_("The rectification date cannot be in the future."), "rectified_on")
    if rectified < h.found_on:
        raise TransitionError(
            _("It cannot have been rectified before it was found (%(d)s).")
            % {"d": h.found_on.isoformat()},
            "rectified_on",
        )
    h.rectified_on = rectified


def _accept(h: Any, d: dict[str, Any], m: Moment) -> None:
    h.acceptor_id, h.accepted_at, h.closed_at = m.by_id, m.at, m.at
    h.accept_comment = d.get("note", "")


def _reject(h: Any, d: dict[str, Any], m: Moment) -> None:
    h.rejections += 1


def _request_extension(h: Any, d: dict[str, Any], m: Moment) -> None:
    until: datetime.date = d["deadline"]
    if h.deadline and until <= h.deadline:
        raise TransitionError(
            _("The new deadline must be after the current one (%(d)s).")
            % {"d": h.deadline.isoformat()},
            "deadline",
        )
    if h.extension_requested_until:
        raise TransitionError(_("An extension request is already waiting for a decision."))
    h.extension_requested_until, h.extension_reason = until, d["note"][:300]


def _decide_extension(approve: bool) -> Apply:
    def apply(h: Any, d: dict[str, Any], m: Moment) -> None:
        if not h.extension_requested_until:
            raise TransitionError(_("There is no extension request to decide."))
        if approve:
            h.deadline = h.extension_requested_until
            h.extensions += 1
        h.extension_requested_until, h.extension_reason = None, ""

    return apply


def _to_major(h: Any, d: dict[str, Any], m: Moment) -> None:
    h.level = Level.MAJOR


def _downgrade(h: Any, d: dict[str, Any], m: Moment) -> None:
    h.level, h.rectify_type, h.deadline = Level.GENERAL, RectifyType.DEADLINE, d["deadline"]


def _set(*names: str) -> Apply:
    def apply(h: Any, d: dict[str, Any], m: Moment) -> None:
        for name in names:
            setattr(h, name, d[name])

    return apply


def _suspend(value: bool) -> Apply:
    def apply(h: Any, d: dict[str, Any], m: Moment) -> None:
        h.production_suspended = value

    return apply


GENERAL_OPEN = frozenset({Status.REGISTERED, Status.RECTIFYING, Status.SUBMITTED})
MAJOR_OPEN = frozenset(
    {
        Status.REPORTED,
        Status.CONFIRMED,
        Status.PLAN_FILED,
        Status.REMEDIATING,
        Status.SELF_ASSESSED,
        Status.UNDER_REVIEW,
    }
)
# The statuses a general hazard can be in (the rest are a major hazard's, RULES.md §3.2).
GENERAL_STATUSES = GENERAL_OPEN | {Status.CLOSED, Status.VOID}
PLAN_FIELDS = (
    "plan_objectives",
    "plan_methods",
    "plan_funding",
    "plan_organisation",
    "plan_time_limit",
    "plan_safety_measures",
)

ACTIONS: dict[str, Action] = {
    # General hazards (RULES.md §3.1)
    "assign": Action(
        gettext_lazy("Set the rectification"),
        frozenset({Status.REGISTERED}),
        Status.RECTIFYING,
        is_government,
        needs=("deadline",),
        apply=_set("deadline"),
    ),
    "submit": Action(
        gettext_lazy("Submit the rectification"),
        frozenset({Status.RECTIFYING}),
        Status.SUBMITTED,
        is_rectifier,
        needs_photo=True,
        apply=_submit,
        shows_fix=True,
    ),
    "accept": Action(
        gettext_lazy("Accept and close"),
        frozenset({Status.SUBMITTED}),
        Status.CLOSED,
        is_acceptor,
        apply=_accept,
    ),
    "reject": Action(
        gettext_lazy("Reject the rectification"),
        frozenset({Status.SUBMITTED}),
        Status.RECTIFYING,
        is_acceptor,
        needs=("note",),
        apply=_reject,
    ),
    "request_extension": Action(
        gettext_lazy("Ask for more time"),
        frozenset({Status.RECTIFYING, Status.REMEDIATING}),
        None,
        is_enterprise_or_government,
        needs=("deadline", "note"),
        apply=_request_extension,
        ready=lambda h: h.extension_requested_until is None,
    ),
    "approve_extension": Action(
        gettext_lazy("Grant the extension"),
        frozenset({Status.RECTIFYING, Status.REMEDIATING}),
        None,
        is_acceptor,
        apply=_decide_extension(True),
        ready=lambda h: h.extension_requested_until is not None,
    ),
    "deny_extension": Action(
        gettext_lazy("Refuse the extension"),
        frozenset({Status.RECTIFYING, Status.REMEDIATING}),
        None,
        is_acceptor,
        needs=("note",),
        apply=_decide_extension(False),
        ready=lambda h: h.extension_requested_until is not None,
    ),
    "void": Action(
        gettext_lazy("Void"),
        GENERAL_OPEN | frozenset({Status.REPORTED}),
        Status.VOID,
        is_acceptor,
        needs=("note",),
    ),
    "escalate": Action(
        gettext_lazy("Reclassify as a major hazard"),
        frozenset({Status.REGISTERED, Status.RECTIFYING}),
        Status.REPORTED,
        is_government,
        needs=("note",),
        apply=_to_major,
    ),
    # Major hazards (RULES.md §3.2)
    "confirm": Action(
        gettext_lazy("Confirm as a major hazard"),
        frozenset({Status.REPORTED}),
        Status.CONFIRMED,
        is_government,
        needs=("basis",),
        apply=_set("basis"),
    ),
    "downgrade": Action(
        gettext_lazy("Downgrade to a general hazard"),
        frozenset({Status.REPORTED}),
        Status.RECTIFYING,
        is_government,
        needs=("deadline", "note"),
        apply=_downgrade,
    ),
    "file_plan": Action(
        gettext_lazy("File the remediation plan"),
        frozenset({Status.CONFIRMED}),
        Status.PLAN_FILED,
        is_enterprise_or_government,
        needs=(*PLAN_FIELDS, "liable_person", "funds", "deadline"),
        apply=_set(*PLAN_FIELDS, "liable_person", "funds", "deadline"),
    ),
    "start_remediation": Action(
        gettext_lazy("Start remediation"),
        frozenset({Status.PLAN_FILED}),
        Status.REMEDIATING,
        is_enterprise_or_government,
    ),
    "self_assess": Action(
        gettext_lazy("Report remediation done (self-assessment)"),
        frozenset({Status.REMEDIATING}),
        Status.SELF_ASSESSED,
        is_enterprise_or_government,
        needs=("note",),
        needs_photo=True,
        apply=_submit,
        shows_fix=True,
    ),
    "apply_review": Action(
        gettext_lazy("Apply for write-off review"),
        frozenset({Status.SELF_ASSESSED}),
        Status.UNDER_REVIEW,
        is_enterprise_or_government,
    ),
    "write_off": Action(
        gettext_lazy("Write off after review"),
        frozenset({Status.UNDER_REVIEW}),
        Status.WRITTEN_OFF,
        is_government,
        needs=("note", "reviewers"),
        needs_photo=True,
        apply=_accept,
        shows_fix=True,
    ),
    "fail_review": Action(
        gettext_lazy("Send back: review failed"),
        frozenset({Status.UNDER_REVIEW}),
        Status.REMEDIATING,
        is_government,
        needs=("note",),
        apply=_reject,
    ),
    "suspend_production": Action(
        gettext_lazy("Order production suspended"),
        MAJOR_OPEN,
        None,
        is_government,
        needs=("note",),
        apply=_suspend(True),
        ready=lambda h: not h.production_suspended,
    ),
    "resume_production": Action(
        gettext_lazy("Allow production to resume"),
        MAJOR_OPEN,
        None,
        is_government,
        needs=("note",),
        apply=_suspend(False),
        ready=lambda h: h.production_suspended,
    ),
}


# --- who is told -----------------------------------------------------------------------------


class Party(StrEnum):
    """Who hears about a step: the enterprise's users, the officers over its area, or whoever
    accepts this hazard's rectification (the enterprise for its own general hazards)."""

    ENTERPRISE = "enterprise"
    OFFICERS = "officers"
    ACCEPTORS = "acceptors"


# Step -> who is told of it (anjian.notifications turns this into messages).
TOLD: dict[str, Party] = {
    "register": Party.ENTERPRISE,
    "reject": Party.ENTERPRISE,
    "fail_review": Party.ENTERPRISE,
    "approve_extension": Party.ENTERPRISE,
    "deny_extension": Party.ENTERPRISE,
    "submit": Party.ACCEPTORS,
    "apply_review": Party.OFFICERS,
}


def people(hazard: Hazard, party: Party) -> QuerySet[User]:
    """The active accounts of a party for this hazard."""
    if party == Party.ACCEPTORS:
        party = Party.ENTERPRISE if accepted_by_enterprise(hazard) else Party.OFFICERS
    if party == Party.ENTERPRISE:
        return enterprise_staff(hazard.enterprise_id)
    return area_staff(
        Role.OFFICER,
        zone_id=hazard.zone_id,
        office_id=hazard.office_id,
        village_id=hazard.village_id,
    )


def told(hazard: Hazard, action: str) -> QuerySet[User]:
    """Who is told of `action` on this hazard (nobody for a step not in TOLD)."""
    party = TOLD.get(action)
    return people(hazard, party) if party is not None else User.objects.none()


# Steps of a timeline that are not actions taken on the hazard: its registration, and the
# move that follows its enterprise to another grid (hazards.listeners).
OTHER_STEPS: dict[str, StrOrPromise] = {
    "register": gettext_lazy("Registered"),
    "move": gettext_lazy("Moved with its enterprise"),
}


def step_label(action: str) -> StrOrPromise:
    """How a step of the timeline is named."""
    spec = ACTIONS.get(action)
    return spec.label if spec else OTHER_STEPS.get(action, action)


def allowed_actions(hazard: Hazard, user: User) -> list[str]:
    """The actions this user may take on this hazard now (for the page's buttons)."""
    return [
        name
        for name, a in ACTIONS.items()
        if hazard.status in a.sources
        and a.may(user, hazard)
        and (a.ready is None or a.ready(hazard))
    ]


# --- writes --------------------------------------------------------------------------------


def _check_needs(action: Action, data: dict[str, Any], photos: list[Photo]) -> None:
    for name in action.needs:
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise TransitionError(_("This step needs “%(f)s”.") % {"f": name}, name)
    if action.needs_photo and not photos:
        raise TransitionError(_("This step needs at least one photo as evidence."), "photos")
    deadline = data.get("deadline")
    if "deadline" in action.needs and deadline and deadline < timezone.localdate():
        raise TransitionError(_("The deadline cannot be in the past."), "deadline")
    funds = data.get("funds")
    if funds is not None and Decimal(funds) < 0:
        raise TransitionError(_("Funds cannot be negative."), "funds")


HAZARD_FIELDS = frozenset(f.name for f in Hazard._meta.concrete_fields)


def _clean_fields(hazard: Hazard, names: Iterable[str]) -> None:
    """Check input values against their columns (codes in the national lists, lengths,
    digits) and convert them, so bad input is named instead of failing in the database:
    PostgreSQL refuses an over-long value with an error, SQLite keeps it silently."""
    for name in names:
        f = Hazard._meta.get_field(name)
        assert isinstance(f, Field)
        value = getattr(hazard, f.attname)
        if f.blank and value in f.empty_values:
            continue
        try:
            setattr(hazard, f.attname, f.clean(value, hazard))
        except ValidationError as exc:
            label = capfirst(str(getattr(f, "verbose_name", name)))
            raise TransitionError(f"{label}: {' '.join(exc.messages)}", name) from exc


@dataclass(frozen=True)
class Taken:
    """One step as it goes into the timeline (a HazardEvent): made by take_step and
    register_step, for a live step, an imported ledger's history and the demo alike."""

    action: str
    from_status: str
    to_status: str
    by_id: int | None
    at: datetime.datetime
    note: str
    data: dict[str, Any]


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """A step's input as its event keeps it: dates as ISO text, amounts as text, no note."""
    return {
        k: v.isoformat()
        if isinstance(v, datetime.date)
        else str(v)
        if isinstance(v, Decimal)
        else v
        for k, v in data.items()
        if k != "note"
    }


def take_step(h: Any, action_name: str, data: dict[str, Any], moment: Moment) -> Taken:
    """Take one action of the table on `h`: its effect, its status, one more version. Pure
    (nothing is saved): transition() saves a locked Hazard after it, history() and the demo
    walk rows of their own. Raises TransitionError when the step does not fit `h` now."""
    action = ACTIONS[action_name]
    if h.status not in action.sources:
        raise TransitionError(
            _("“%(action)s” is not possible while the hazard is %(status)s.")
            % {"action": action.label, "status": Status(h.status).label}
        )
    before = h.status
    if action.apply:
        action.apply(h, data, moment)
    if action.target:
        h.status = action.target
    h.version += 1
    note = str(data.get("note", ""))
    return Taken(action_name, before, h.status, moment.by_id, moment.at, note, _plain(data))


@transaction.atomic
def transition(
    hazard: Hazard,
    action_name: str,
    data: dict[str, Any] | None = None,
    *,
    by: User,
    version: int | None,
    photos: Iterable[Photo] = (),
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> HazardEvent:
    """Take one step. Raises Http404 (out of scope), NotAllowed (role), Conflict (stale
    version) or TransitionError (wrong status or missing input)."""
    data = dict(data or {})
    locked = Hazard.objects.visible_to(by).select_for_update().filter(pk=hazard.pk).first()
    if locked is None:
        raise Http404("hazard")
    action = ACTIONS.get(action_name)
    if action is None:
        raise TransitionError(_("Unknown action “%(a)s”.") % {"a": action_name})
    if version is not None and version != locked.version:
        raise Conflict(f"version {version} is stale; the current version is {locked.version}")
    if locked.status not in action.sources:
        raise TransitionError(
            _("“%(action)s” is not possible while the hazard is %(status)s.")
            % {"action": action.label, "status": Status(locked.status).label}
        )
    if not action.may(by, locked):
        raise NotAllowed(action_name)
    photo_list = list(photos)
    _check_needs(action, data, photo_list)
    taken = take_step(locked, action_name, data, Moment(by.pk, timezone.now()))
    _clean_fields(locked, [n for n in action.needs if n in HAZARD_FIELDS])
    locked.save()
    if action.shows_fix:
        locked.after_photos.add(*photo_list)
    event = _event(locked, taken, photo_list, latitude, longitude)
    publish(HazardStepTaken(event.pk, locked.pk, action_name))
    before, after = taken.from_status, taken.to_status
    changes = {"status": [before, after]} if before != after else {}
    record(by, f"hazard.{action_name}", locked, changes=changes)
    hazard.status, hazard.version = locked.status, locked.version
    return event


def _event(
    hazard: Hazard,
    taken: Taken,
    photos: list[Photo],
    latitude: Decimal | None,
    longitude: Decimal | None,
) -> HazardEvent:
    event = HazardEvent.objects.create(
        hazard=hazard,
        action=taken.action,
        from_status=taken.from_status,
        to_status=taken.to_status,
        actor_id=taken.by_id,
        at=taken.at,
        note=taken.note,
        data=taken.data,
        latitude=latitude,
        longitude=longitude,
    )
    if photos:
        event.photos.add(*photos)
    return event


# --- where a hazard starts, and the way to where it is -------------------------------------


def entry_statuses(h: Any) -> tuple[str, ...]:
    """Where a registration may leave a hazard (RULES.md §3.1, §3.2): a major hazard is
    reported; one fixed on the spot is closed, when its finder may accept it, or awaits
    acceptance; one with a deadline is rectifying; one without waits for the officer to set
    it (assign)."""
    if h.level == Level.MAJOR:
        return (Status.REPORTED,)
    if h.rectify_type == RectifyType.IMMEDIATE:
        return (Status.CLOSED, Status.SUBMITTED)
    if h.deadline is None:
        return (Status.REGISTERED,)
    return (Status.RECTIFYING,)


def register_step(h: Any, status: str, moment: Moment, data: dict[str, Any]) -> Taken:
    """The registration's effect on `h`, pure as take_step: its first status (one of
    entry_statuses), and acceptance at once when a fix on the spot is closed by its finder."""
    assert status in entry_statuses(h), (status, entry_statuses(h))
    h.status, h.version = status, 1
    if status == Status.CLOSED:
        h.acceptor_id, h.accepted_at, h.closed_at = moment.by_id, moment.at, moment.at
    if status in (Status.CLOSED, Status.SUBMITTED):
        h.rectified_on = h.found_on
    return Taken("register", "", status, moment.by_id, moment.at, "", _plain(data))


@functools.cache
def _way(start: str, target: str) -> tuple[str, ...] | None:
    """The shortest run of status-changing actions from `start` to `target` (breadth first
    through ACTIONS), or None when the table has no way."""
    ways: dict[str, tuple[str, ...]] = {start: ()}
    queue = [start]
    while queue:
        status = queue.pop(0)
        if status == target:
            return ways[status]
        for name, action in ACTIONS.items():
            if action.target and status in action.sources and action.target not in ways:
                ways[action.target] = (*ways[status], name)
                queue.append(action.target)
    return None


def history(h: Any, target: str, moments: dict[str, Moment], data: dict[str, Any]) -> list[Taken]:
    """The steps that bring a hazard like `h` (its level, rectification type, deadline) to
    `target`: its registration where the table lets it start, then the shortest way through
    ACTIONS, each step at `moments[action]` ("register" for the first; a step without a
    moment of its own is taken at the one before it). `data` is what the steps read (the
    deadline, the basis, the plan …). `h` itself is not changed: the steps are walked on a
    copy, so a ledger file keeps the values it gives.

    Raises TransitionError when the table has no way to `target` from where `h` starts.
    """
    row = SimpleNamespace(**(h if isinstance(h, dict) else vars(h)))
    ways = [(s, _way(s, target)) for s in entry_statuses(row)]
    reachable = [(s, w) for s, w in ways if w is not None]
    if not reachable:
        raise TransitionError(
            _("A hazard like this cannot come to be %(status)s.")
            % {"status": Status(target).label},
            "status",
        )
    start, way = min(reachable, key=lambda sw: len(sw[1] or ()))
    moment = moments["register"]
    steps = [register_step(row, start, moment, {})]
    for name in way or ():
        moment = moments.get(name, moment)
        # The steps read the row's own values; their events record the step alone.
        steps.append(replace(take_step(row, name, {**data, "note": ""}, moment), data={}))
    return steps


REGISTER_FIELDS = (
    "name",
    "description",
    "reason",
    "location",
    "level",
    "source",
    "rectify_type",
    "hazard_type",
    "management_class",
    "accident_type",
    "basis",
    "liable_person",
    "measures",
    "funds",
    "deadline",
)


def finder_of(user: User) -> str:
    finder = FINDER_OF_ROLE.get(Role(user.role)) if user.role else None
    if finder is None:
        raise NotAllowed("hazard.register")
    return finder


class Found(TypedDict, total=False):
    """What else a registration may say: the record the hazard was found in (`origin`, such
    as a visit) and the checklist clause it breaches (`item`), the device's `client_uuid`,
    the photos, and where the finder stood."""

    origin: Model | None
    item: Any
    client_uuid: uuid.UUID | None
    before_photos: Iterable[Photo]
    after_photos: Iterable[Photo]
    latitude: Decimal | None
    longitude: Decimal | None


def register_hazard(
    enterprise: Enterprise, data: dict[str, Any], *, by: User, **found: Unpack[Found]
) -> Hazard:
    """Record a hazard found at an enterprise. Where it starts:

    - major → reported (the enterprise and the officer take it from there);
    - general, fixed on the spot with an after-photo → closed when the finder may accept it
      (an officer, or the enterprise for its own), otherwise awaiting the officer's acceptance;
    - general with a deadline → rectifying.
    A retried registration with the same client_uuid returns the first hazard.
    """
    return register_hazard_once(enterprise, data, by=by, **found)[0]


def register_hazard_once(
    enterprise: Enterprise, data: dict[str, Any], *, by: User, **found: Unpack[Found]
) -> tuple[Hazard, bool]:
    """register_hazard(), answering (hazard, created): created is False for a retry that
    found the first hazard."""
    return create_once(
        Hazard,
        found.get("client_uuid"),
        lambda: _register(enterprise, data, by, found),
        by=by,
        owner="found_by",
        error=TransitionError,
    )


def _register(enterprise: Enterprise, data: dict[str, Any], by: User, found: Found) -> Hazard:
    finder = finder_of(by)
    locked = Enterprise.objects.visible_to(by).filter(pk=enterprise.pk).first()
    if locked is None:
        raise Http404("enterprise")
    if by.role == Role.ENTERPRISE and data.get("source") == Source.GOVERNMENT:
        raise TransitionError(
            _("An enterprise's own finding is not a government inspection."), "source"
        )
    before, after = list(found.get("before_photos", ())), list(found.get("after_photos", ()))
    hazard = Hazard(
        client_uuid=found.get("client_uuid"),
        enterprise=locked,
        grid_id=locked.grid_id,
        village_id=locked.village_id,
        office_id=locked.office_id,
        zone_id=locked.zone_id,
        origin=found.get("origin"),
        item=found.get("item"),
        finder=finder,
        found_by=by,
        found_on=data.get("found_on") or timezone.localdate(),
        **{k: data[k] for k in REGISTER_FIELDS if data.get(k) not in (None, "")},
    )
    hazard.source = hazard.source or DEFAULT_SOURCE[Finder(finder)]
    if not hazard.name:
        raise TransitionError(_("Name the hazard."), "name")
    if hazard.level not in Level.values:
        raise TransitionError(_("Give the level: general or major."), "level")
    hazard.rectify_type = hazard.rectify_type or RectifyType.DEADLINE
    _clean_fields(hazard, (*REGISTER_FIELDS, "found_on"))
    # "Today" is the zone's (Asia/Shanghai) date, whatever the server's clock zone.
    if hazard.found_on > timezone.localdate():
        raise TransitionError(_("A hazard cannot be found in the future."), "found_on")
    if hazard.funds is not None and hazard.funds < 0:
        raise TransitionError(_("Funds cannot be negative."), "funds")
    noted = {"level": hazard.level, "finder": finder}
    taken = register_step(
        hazard, _initial_status(hazard, by, after), Moment(by.pk, timezone.now()), noted
    )
    hazard.save()
    hazard.before_photos.add(*before)
    hazard.after_photos.add(*after)
    place = found.get("latitude"), found.get("longitude")
    event = _event(hazard, taken, before + after, *place)
    publish(HazardStepTaken(event.pk, hazard.pk, "register"))
    record(by, "hazard.register", hazard, changes={"status": [None, hazard.status]})
    return hazard


def _initial_status(hazard: Hazard, by: User, after: list[Photo]) -> str:
    """Which of entry_statuses a live registration starts in, after the checks it needs."""
    if hazard.level == Level.GENERAL and hazard.rectify_type == RectifyType.IMMEDIATE:
        if not after:
            raise TransitionError(
                _("A hazard fixed on the spot needs a photo of the fix."), "after_photos"
            )
        return Status.CLOSED if is_acceptor(by, hazard) else Status.SUBMITTED
    if (
        hazard.level == Level.GENERAL
        and hazard.deadline is None
        and not can(by, "hazards.supervise")
    ):
        # Only an officer registers a hazard and sets its deadline later ("assign").
        raise TransitionError(_("Give the rectification deadline."), "deadline")
    if hazard.deadline is not None and hazard.deadline < hazard.found_on:
        raise TransitionError(_("The deadline cannot be before the day it was found."), "deadline")
    return entry_statuses(hazard)[0]
