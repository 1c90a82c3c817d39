"""Checklist reads and writes: which checklists apply to an enterprise, and draft editing.

A published (or retired) version never changes: visits pin it and hazards cite its items.
A change is a new draft copied from it, edited, then published (checklists.workflow).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.accounts.permissions import can
from anjian.accounts.scope import scope_of
from anjian.audit.log import diff, record
from anjian.checklists.models import Checklist, ChecklistItem, ChecklistVersion, VersionStatus
from anjian.checklists.workflow import VersionError, publish_version
from anjian.enterprises.models import Enterprise, EnterpriseTag
from anjian.lib.errors import NotAllowed

__all__ = [
    "CHECKLIST_FIELDS",
    "ITEM_FIELDS",
    "Applicable",
    "ImmutableVersion",
    "VersionError",
    "add_item",
    "applicable_for",
    "create_checklist",
    "edit_item",
    "get_version_for",
    "may_edit",
    "new_draft",
    "publish_version",
    "remove_item",
]

ITEM_FIELDS = ["code", "position", "text", "clause", "determination", "verification", "tags"]


class ImmutableVersion(VersionError):
    """An edit to a version that is no longer a draft."""

    def __init__(self) -> None:
        super().__init__(
            _("A published version cannot be changed; start a new draft from it."), "version"
        )


@dataclass
class Applicable:
    """A published version that applies to an enterprise, with the items that apply to it."""

    version: ChecklistVersion
    items: list[ChecklistItem]


def get_version_for(user: User, pk: int) -> ChecklistVersion:
    """A version the user may read (drafts only for editors); anything else is not found."""
    version = (
        ChecklistVersion.objects.visible_to(user)
        .select_related("checklist__standard", "published_by")
        .filter(pk=pk)
        .first()
    )
    if version is None:
        raise Http404("checklist version")
    return version


def enterprise_tags(enterprise: Enterprise) -> set[str]:
    return set(EnterpriseTag.objects.filter(enterprise=enterprise).values_list("tag", flat=True))


def item_applies(item: ChecklistItem, tags: set[str]) -> bool:
    return not item.tags or bool(set(item.tags) & tags)


def items_for(version: ChecklistVersion, enterprise: Enterprise | None) -> list[ChecklistItem]:
    """A version's items; for an enterprise, those its tags make apply."""
    items = list(version.items.all())
    if enterprise is None:
        return items
    tags = enterprise_tags(enterprise)
    return [i for i in items if item_applies(i, tags)]


def applicable_for(enterprise: Enterprise) -> list[Applicable]:
    """The published versions of the platform's and the enterprise's zone's checklists
    that apply to its sector and tags, each with its items narrowed by the items' own tags
    (three queries in all)."""
    tags = enterprise_tags(enterprise)
    versions = (
        ChecklistVersion.objects.published()
        .filter(checklist__in=Checklist.objects.usable_in(enterprise.zone_id))
        .select_related("checklist__standard")
        .prefetch_related("items")
        .order_by("checklist__code")
    )
    found = []
    for version in versions:
        if not version.checklist.applies_to(enterprise, tags):
            continue
        items = [i for i in version.items.all() if item_applies(i, tags)]
        if items:
            found.append(Applicable(version, items))
    return found


def may_edit(user: User, checklist: Checklist) -> bool:
    """A zone admin edits their own zone's checklists; the platform's belong to no zone."""
    return (
        can(user, "checklists.manage")
        and checklist.zone_id is not None
        and checklist.zone_id == scope_of(user).zone_id
    )


def _check(by: User, checklist: Checklist) -> None:
    if not can(by, "checklists.manage"):
        raise NotAllowed("checklists.manage")
    if not may_edit(by, checklist):
        raise NotAllowed(
            "checklists.manage",
            _(
                "The platform's checklists are national and industry standards and are not "
                "changed by a zone: start a checklist of your zone from this one instead."
            ),
        )


def _locked_draft(version_id: int) -> ChecklistVersion:
    """The version, re-read under the checklist's lock (the one publish_version takes), so
    an edit and a publication of the same draft cannot interleave."""
    checklist_id = ChecklistVersion.objects.values_list("checklist_id", flat=True).get(
        pk=version_id
    )
    Checklist.objects.select_for_update().get(pk=checklist_id)
    version = ChecklistVersion.objects.get(pk=version_id)
    if version.status != VersionStatus.DRAFT:
        raise ImmutableVersion()
    return version


CHECKLIST_FIELDS = ["code", "title", "clause", "sectors", "tags", "note"]


@transaction.atomic
def create_checklist(
    data: dict[str, Any], *, by: User, from_version: ChecklistVersion | None = None
) -> ChecklistVersion:
    """A checklist of the zone admin's zone, with a first draft holding a copy of
    `from_version`'s items when given (e.g. a platform standard adapted to local practice)."""
    if not can(by, "checklists.manage") or scope_of(by).zone_id is None:
        raise NotAllowed("checklists.manage")
    zone_id = scope_of(by).zone_id
    if from_version is not None:
        from_version = get_version_for(by, from_version.pk)
    if Checklist.objects.filter(zone_id=zone_id, code=data["code"]).exists():
        raise VersionError(_("Your zone has a checklist with this code."), "code")
    fields = {f: data[f] for f in CHECKLIST_FIELDS if f in data}
    if from_version is not None:
        fields.setdefault("standard_id", from_version.checklist.standard_id)
    checklist = Checklist.objects.create(zone_id=zone_id, **fields)
    record(by, "checklist.create", checklist, changes={f: [None, v] for f, v in fields.items()})
    version = ChecklistVersion.objects.create(
        checklist=checklist, number=1, status=VersionStatus.DRAFT
    )
    if from_version is not None:
        _copy_items(from_version, version)
    record(
        by,
        "checklist.draft",
        version,
        changes={"from_version": from_version.pk if from_version else None},
    )
    return version


def _copy_items(source: ChecklistVersion, target: ChecklistVersion) -> None:
    ChecklistItem.objects.bulk_create(
        ChecklistItem(version=target, **{f: getattr(item, f) for f in ITEM_FIELDS})
        for item in source.items.all()
    )


@transaction.atomic
def new_draft(from_version: ChecklistVersion, *, by: User) -> ChecklistVersion:
    """A new draft of the checklist holding a copy of `from_version`'s items."""
    _check(by, from_version.checklist)
    checklist = Checklist.objects.select_for_update().get(pk=from_version.checklist_id)
    draft = checklist.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        raise VersionError(
            _("Version %(n)s is a draft already: edit it instead.") % {"n": draft.number},
            "version",
        )
    last = checklist.versions.aggregate(n=Max("number"))["n"] or 0
    version = ChecklistVersion.objects.create(
        checklist=checklist, number=last + 1, status=VersionStatus.DRAFT
    )
    _copy_items(from_version, version)
    record(by, "checklist.draft", version, changes={"from_version": from_version.number})
    return version


def _check_code(version: ChecklistVersion, code: str, item_id: int | None = None) -> None:
    same = version.items.filter(code=code)
    if item_id is not None:
        same = same.exclude(pk=item_id)
    if same.exists():
        raise VersionError(_("This version already has an item %(c)s.") % {"c": code}, "code")


@transaction.atomic
def add_item(version: ChecklistVersion, data: dict[str, Any], *, by: User) -> ChecklistItem:
    """Add an item to a draft; without a position it goes last."""
    _check(by, version.checklist)
    version = _locked_draft(version.pk)
    _check_code(version, data["code"])
    fields = {f: data[f] for f in ITEM_FIELDS if f in data}
    if not fields.get("position"):
        fields["position"] = (version.items.aggregate(p=Max("position"))["p"] or 0) + 1
    item = ChecklistItem.objects.create(version=version, **fields)
    record(by, "checklist.item.add", item, changes={f: [None, v] for f, v in fields.items()})
    return item


@transaction.atomic
def edit_item(item: ChecklistItem, data: dict[str, Any], *, by: User) -> ChecklistItem:
    """Change the fields given of an item of a draft."""
    _check(by, item.version.checklist)
    version = _locked_draft(item.version_id)
    item = ChecklistItem.objects.get(pk=item.pk)
    if "code" in data:
        _check_code(version, data["code"], item.pk)
    before = {f: getattr(item, f) for f in ITEM_FIELDS}
    for f in ITEM_FIELDS:
        if f in data:
            setattr(item, f, data[f])
    changes = diff(before, {f: getattr(item, f) for f in ITEM_FIELDS})
    if changes:
        item.save()
        record(by, "checklist.item.edit", item, changes=changes)
    return item


@transaction.atomic
def remove_item(item: ChecklistItem, *, by: User) -> None:
    """Remove an item from a draft."""
    _check(by, item.version.checklist)
    _locked_draft(item.version_id)
    record(by, "checklist.item.remove", item, changes={"code": [item.code, None]})
    item.delete()
