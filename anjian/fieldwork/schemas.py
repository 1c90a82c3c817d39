"""A visit as a device sends it: the one declaration of a visit's input, read by the API and
by fieldwork.services alike (ids, resolved and checked by the service)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from ninja import Schema

from anjian.hazards.schemas import HazardFields
from anjian.lib.api import Id


# A hazard found on the visit, with the fields of any hazard (hazards.schemas).
class HazardFound(HazardFields):
    pass


class AnswerHazard(Schema):
    """What the device adds to the hazard a non-compliant answer creates (the rest comes from
    the checklist item); only the fields sent override the item's."""

    client_uuid: uuid.UUID | None = None
    name: str | None = None
    level: str | None = None
    rectify_type: str | None = None
    description: str | None = None
    location: str | None = None
    hazard_type: str | None = None
    management_class: str | None = None
    measures: str | None = None
    liable_person: str | None = None
    deadline: datetime.date | None = None
    after_photos: list[Id] = []


class AnswerIn(Schema):
    item: Id
    result: str
    note: str = ""
    photos: list[Id] = []
    hazard: AnswerHazard = AnswerHazard()


class VisitIn(Schema):
    """A visit as a device sends it. `client_uuid` is made on the device before the first
    try: a retry returns the first visit (200) instead of writing another."""

    client_uuid: uuid.UUID
    kind: str
    enterprise: Id
    outcome: str
    started_at: datetime.datetime
    ended_at: datetime.datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    checklist_version: Id | None = None
    note: str = ""
    people: list[Id] = []
    photos: list[Id] = []
    answers: list[AnswerIn] = []
    hazards: list[HazardFound] = []
    # For a double-random inspection: the drawn enterprise (GET /api/v1/draws/{id}).
    draw_item: Id | None = None
