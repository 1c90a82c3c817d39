"""Enterprise status (operating, suspended, shut, closed, moved): the only place it changes."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.accounts.permissions import can
from anjian.audit.log import record
from anjian.enterprises.models import Enterprise, Status, StatusChange
from anjian.lib.errors import Conflict, InvalidInput, NotAllowed

# from -> the statuses it may move to. Closed (注销/关闭) is final: a reopened business is a new
# registration. Shut (取缔/关停) may reopen once the cause is put right.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.OPERATING: frozenset({Status.SUSPENDED, Status.SHUT, Status.CLOSED, Status.MOVED}),
    Status.SUSPENDED: frozenset({Status.OPERATING, Status.SHUT, Status.CLOSED, Status.MOVED}),
    Status.SHUT: frozenset({Status.OPERATING, Status.CLOSED}),
    Status.MOVED: frozenset({Status.OPERATING}),
    Status.CLOSED: frozenset(),
}


class TransitionError(InvalidInput):
    """A status change the table does not allow; the message says which, `field` what to fix."""

    default_field = "to"


@transaction.atomic
def change_status(
    enterprise: Enterprise,
    to: str,
    *,
    on: datetime.date,
    reason: str,
    by: User,
    version: int | None = None,
) -> StatusChange:
    locked = Enterprise.objects.visible_to(by).select_for_update().filter(pk=enterprise.pk).first()
    if locked is None:
        raise Http404("enterprise")
    if not can(by, "registry.status"):
        raise NotAllowed("registry.status")
    if version is not None and version != locked.version:
        raise Conflict(f"version {version} is stale; the current version is {locked.version}")
    if to not in Status.values:
        raise TransitionError(
            _("Unknown status “%(to)s”; use one of: %(allowed)s.")
            % {"to": to, "allowed": ", ".join(Status.values)}
        )
    if to not in TRANSITIONS[locked.status]:
        raise TransitionError(
            _("An enterprise that is %(from)s cannot become %(to)s.")
            % {"from": Status(locked.status).label, "to": Status(to).label}
        )
    if not reason.strip():
        raise TransitionError(_("Give the reason for the status change."), field="reason")
    change = StatusChange.objects.create(
        enterprise=locked,
        from_status=locked.status,
        to_status=to,
        effective_on=on,
        reason=reason.strip(),
        by=by,
    )
    locked.status, locked.status_since, locked.status_reason = to, on, reason.strip()
    locked.version += 1
    locked.save(update_fields=["status", "status_since", "status_reason", "version"])
    record(
        by,
        "enterprise.status",
        locked,
        changes={"status": [change.from_status, to], "reason": reason.strip()},
    )
    enterprise.status, enterprise.version = locked.status, locked.version
    return change
