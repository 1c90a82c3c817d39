"""Creates that a device may retry: one row per client UUID, whoever asks twice.

Field devices make a UUID before the first try and send it with every retry (DESIGN: nothing
lost). A retry gets the first row instead of a second; a retry that races the first (both
passed the look-up) waits on the unique index until the first commits, and then gets it too.
A client UUID is no way into someone else's record: the first row must be the asker's.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from anjian.lib.errors import InvalidInput

M = TypeVar("M", bound=models.Model)


def create_once(
    model: type[M],
    client_uuid: uuid.UUID | None,
    create: Callable[[], M],
    *,
    by: Any,
    owner: str,
    discard: Callable[[], None] | None = None,
    error: type[InvalidInput] = InvalidInput,
) -> tuple[M, bool]:
    """(row, created): `create()`'s row, or the first row of this client UUID.

    `owner` is the column that holds who made a row (its `<owner>_id` must be `by`'s);
    `discard` undoes what `create` did outside the database (a file written) when it lost
    the race; `error` is the caller's kind of input error. Without a client UUID, `create()`
    simply runs.
    """
    if client_uuid is None:
        return create(), True
    existing = model._default_manager.filter(client_uuid=client_uuid).first()
    if existing is not None:
        return _theirs(existing, by, owner, error), False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = model._default_manager.filter(client_uuid=client_uuid).first()
        if existing is None:
            raise  # another constraint: a real error
        if discard is not None:
            discard()
        return _theirs(existing, by, owner, error), False


def _theirs(existing: M, by: Any, owner: str, error: type[InvalidInput]) -> M:
    if getattr(existing, f"{owner}_id") != by.pk:
        raise error(
            _("This client_uuid belongs to another %(what)s.")
            % {"what": existing._meta.verbose_name},
            "client_uuid",
        )
    return existing
