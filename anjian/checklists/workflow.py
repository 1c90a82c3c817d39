"""A checklist version's status: draft → published → retired, and nothing else.

Publishing a draft retires the version it replaces in the same transaction, so a checklist
has one published version at any moment and visits keep pinning the version they used.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.accounts.permissions import can
from anjian.accounts.scope import scope_of
from anjian.audit.log import record
from anjian.checklists.models import Checklist, ChecklistVersion, VersionStatus
from anjian.lib.errors import InvalidInput, NotAllowed

# status -> the statuses it may move to
TRANSITIONS: dict[str, frozenset[str]] = {
    VersionStatus.DRAFT: frozenset({VersionStatus.PUBLISHED}),
    VersionStatus.PUBLISHED: frozenset({VersionStatus.RETIRED}),
    VersionStatus.RETIRED: frozenset(),
}


class VersionError(InvalidInput):
    """A change a checklist version cannot take; names the field it is about."""

    default_field = "status"


def _move(version: ChecklistVersion, to: str) -> None:
    if to not in TRANSITIONS[version.status]:
        raise VersionError(
            _("A %(status)s version cannot become %(to)s.")
            % {"status": version.get_status_display(), "to": VersionStatus(to).label}
        )
    version.status = to


@transaction.atomic
def publish_version(version: ChecklistVersion, *, by: User) -> ChecklistVersion:
    """Publish a draft; the version published before it is retired."""
    if not can(by, "checklists.manage"):
        raise NotAllowed("checklists.manage")
    # Only the zone that owns the checklist publishes it: the platform's belong to no zone,
    # and a zone's publication never reaches another zone.
    owner = Checklist.objects.values_list("zone_id", flat=True).get(pk=version.checklist_id)
    if owner is None or owner != scope_of(by).zone_id:
        raise NotAllowed("checklists.manage")
    # Lock the checklist: two publishers of the same checklist queue here, and the second
    # finds the draft already published.
    Checklist.objects.select_for_update().get(pk=version.checklist_id)
    version = ChecklistVersion.objects.get(pk=version.pk)
    if not version.items.exists():
        raise VersionError(_("An empty version cannot be published."), "items")
    _move(version, VersionStatus.PUBLISHED)
    previous = (
        ChecklistVersion.objects.filter(checklist_id=version.checklist_id).published().first()
    )
    if previous is not None:
        _move(previous, VersionStatus.RETIRED)
        # Retire first: the one-published-version constraint holds at every statement.
        previous.save(update_fields=["status"])
        record(by, "checklist.retire", previous, changes={"status": ["published", "retired"]})
    version.published_at = timezone.now()
    version.published_by = by
    version.save(update_fields=["status", "published_at", "published_by"])
    record(
        by,
        "checklist.publish",
        version,
        changes={
            "status": ["draft", "published"],
            "replaces": previous.number if previous else None,
        },
    )
    return version
