"""Service of a document (送达 / 签收): when it was served and who signed for it."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.audit.log import record
from anjian.documents.models import OfficialDocument
from anjian.lib.errors import InvalidInput


class ServiceError(InvalidInput):
    """Service that cannot be recorded as given; names the field."""


def record_service(
    locked: OfficialDocument,
    *,
    served_on: datetime.date,
    received_by: str,
    by: Any,
    error: type[InvalidInput] = ServiceError,
) -> None:
    """Record the service of a document the caller has found in `by`'s scope, locked, and
    checked `by` may serve; written to the audit trail. Bad input raises `error` (the
    caller's kind of input error) naming the field."""
    received_by = received_by.strip()
    if not received_by:
        raise error(_("Name the person who signed for it."), "received_by")
    if served_on < locked.issued_on or served_on > timezone.localdate():
        raise error(_("It is served between the day of issue and today."), "served_on")
    before = {"served_on": locked.served_on, "received_by": locked.received_by}
    locked.served_on, locked.received_by = served_on, received_by[:50]
    locked.save(update_fields=["served_on", "received_by"])
    record(
        by,
        f"{locked._meta.model_name}.serve",
        locked,
        changes={k: [str(v or ""), str(getattr(locked, k))] for k, v in before.items()},
        zone_id=locked.body_id,
    )
