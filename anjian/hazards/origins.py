"""Where hazards come from: the kinds of record that find them, registered by the apps that
own those records (a visit today; a dual-prevention check task, a campaign task, an expert's
service, a public report tomorrow). The ledger stores the origin by content type and id
(Hazard.origin) and asks this registry how to name and link it; it imports none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from anjian.hazards.models import Hazard


@dataclass(frozen=True)
class OriginKind:
    """A kind of record hazards are found in."""

    # How the API names its id on a hazard ("visit" → HazardOut.visit_id).
    name: str
    # How a page names it ("the visit").
    label: StrOrPromise
    # The URL name of one such record's page, reversed with its id.
    url_name: str


_KINDS: dict[type[models.Model], OriginKind] = {}


def register(model: type[models.Model], *, name: str, label: StrOrPromise, url_name: str) -> None:
    """Called from the owning app's AppConfig.ready()."""
    _KINDS[model] = OriginKind(name, label, url_name)


def kind_of(hazard: Hazard) -> OriginKind | None:
    if hazard.origin_type_id is None:
        return None
    model = ContentType.objects.get_for_id(hazard.origin_type_id).model_class()
    return _KINDS.get(model) if model is not None else None


def origin_id(hazard: Hazard, name: str) -> int | None:
    """The id of the hazard's origin if it is of the kind called `name`, else None."""
    kind = kind_of(hazard)
    return hazard.origin_id if kind is not None and kind.name == name else None


def link(hazard: Hazard) -> tuple[StrOrPromise, str] | None:
    """(label, url) of the record the hazard was found in, for its page."""
    kind = kind_of(hazard)
    if kind is None or hazard.origin_id is None:
        return None
    return kind.label, reverse(kind.url_name, args=[hazard.origin_id])
