"""What a finder says about a hazard, as one declaration for every face that records one:
the ledger's own endpoint (HazardIn) and a visit's hazards (fieldwork.schemas.HazardFound)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from ninja import Schema

from anjian.lib.api import Id


# The fields a hazard is recorded with wherever it is found. (A comment, not a docstring: a
# schema's docstring becomes its description in the OpenAPI document.)
class HazardFields(Schema):
    client_uuid: uuid.UUID | None = None
    name: str
    level: str = "0"
    rectify_type: str = "1"
    description: str = ""
    location: str = ""
    hazard_type: str = "1"
    management_class: str = ""
    measures: str = ""
    liable_person: str = ""
    deadline: datetime.date | None = None
    before_photos: list[Id] = []
    after_photos: list[Id] = []


class HazardIn(HazardFields):
    enterprise: int
    reason: str = ""
    source: str = ""
    accident_type: str = ""
    basis: str = ""
    funds: Decimal | None = None
    # The day it was found, when recorded later (default: today); never in the future.
    found_on: datetime.date | None = None
