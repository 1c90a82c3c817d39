"""One row of a hazard ledger: matched to its enterprise (never guessed), read into hazard
fields, or refused with errors naming the file's columns."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from typing import Any

from django.db.models import CheckConstraint, Q, TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.enterprises.models import Enterprise
from anjian.hazards import accident_types
from anjian.hazards.accident_types import edition_for
from anjian.hazards.importing.vocabulary import (
    COMPACT_DATE,
    DATE,
    HAZARD_TYPE_WORDS,
    HEADERS,
    LEVEL_WORDS,
    MAJOR_OF,
    RECTIFIED_WORDS,
    RECTIFY_WORDS,
    SOURCE_WORDS,
    STATUS_WORDS,
    TEXT_LIMITS,
    YES,
)
from anjian.hazards.models import (
    Finder,
    Hazard,
    HazardType,
    Level,
    ManagementClass,
    RectifyType,
    Source,
    Status,
)
from anjian.hazards.workflow import DEFAULT_SOURCE, GENERAL_STATUSES
from anjian.imports.reports import BaseReport
from anjian.lib import tabular, uscc
from anjian.lib.choices import choice_lookup, not_allowed, read_choice
from anjian.lib.conditions import holds

# Every column of a hazard row, with the value a new hazard has when the file says nothing.
HAZARD_DEFAULTS = {
    f.attname: f.get_default() for f in Hazard._meta.concrete_fields if f.attname != "id"
}
# Each check constraint of Hazard and the column a row that breaks it is refused on: a row the
# check passes is a row the database takes. A constraint missing here fails at import, so a
# new one cannot be forgotten (test_importing reads them all).
CONSTRAINT_COLUMNS = {
    "hazard_deadline_when_rectifying": "deadline",
    "hazard_closed_has_acceptance": "accepted_at",
}
CHECKS = [
    (c, CONSTRAINT_COLUMNS[c.name])
    for c in Hazard._meta.constraints
    if isinstance(c, CheckConstraint)
]


def constraint_errors(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The (column, message) of each of Hazard's check constraints the row's values break."""
    values = {**HAZARD_DEFAULTS, **data}
    return [
        (column, str(c.violation_error_message))
        for c, column in CHECKS
        if not holds(c.condition, values)  # type: ignore[arg-type]
    ]


@dataclass
class Duplicate:
    """A row that looks like a hazard already in the ledger or on an earlier row."""

    row: int
    enterprise: str
    description: str
    found_on: str
    other_row: int | None = None
    existing_id: int | None = None
    existing_found_on: str = ""


@dataclass
class Report(BaseReport):
    """What a hazard ledger import found (preview) or did (commit)."""

    duplicates: list[Duplicate] = field(default_factory=list)
    unmatched: int = 0
    ambiguous: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    batch: int | None = None


@dataclass
class Place:
    """An enterprise as a hazard row needs it: its id, name and the scope columns."""

    id: int
    name: str
    grid_id: int
    village_id: int
    office_id: int
    zone_id: int


@dataclass
class ParsedRow:
    row: int
    place: Place
    hazard: dict[str, Any]
    compare: str
    duplicate: bool = False


class Lookups:
    """The choice tables, and the importer's enterprises fetched a chunk at a time."""

    ENTERPRISE_VALUES = ("id", "name", "uscc", "grid_id", "village_id", "office_id", "zone_id")

    def __init__(self, user: User) -> None:
        self.user = user
        self.choices: dict[str, tuple[type[TextChoices], dict[str, str]]] = {
            "level": (Level, choice_lookup(Level, LEVEL_WORDS)),
            "rectify_type": (RectifyType, choice_lookup(RectifyType, RECTIFY_WORDS)),
            "hazard_type": (HazardType, choice_lookup(HazardType, HAZARD_TYPE_WORDS)),
            "management_class": (ManagementClass, choice_lookup(ManagementClass)),
            "source": (Source, choice_lookup(Source, SOURCE_WORDS)),
            "finder": (Finder, choice_lookup(Finder)),
            "status": (Status, choice_lookup(Status, STATUS_WORDS)),
        }
        self.rectified = {w: k for k, words in RECTIFIED_WORDS.items() for w in words}
        self.by_uscc: dict[str, Place | None] = {}
        self.by_name: dict[str, list[Place]] = {}
        self.visible = Enterprise.objects.visible_to(user)

    def load(self, codes: set[str], names: set[str]) -> None:
        """Fetch, in one query, the enterprises a chunk names that were not fetched before."""
        codes = {c for c in codes if c not in self.by_uscc}
        keys = {name_key(n) for n in names} - set(self.by_name)
        if not codes and not keys:
            return
        for code in codes:
            self.by_uscc[code] = None
        for key in keys:
            self.by_name[key] = []
        # A name as registered (full-width brackets) or as typed (half-width): both are asked.
        spellings = keys | {k.replace("（", "(").replace("）", ")") for k in keys}
        found = self.visible.filter(Q(uscc__in=codes) | Q(name__in=spellings))
        for values in found.values_list(*self.ENTERPRISE_VALUES):
            place = Place(values[0], values[1], *values[3:])
            if values[2] in codes:
                self.by_uscc[values[2]] = place
            if (key := name_key(values[1])) in keys:
                self.by_name[key].append(place)

    def named(self, name: str) -> list[Place]:
        return self.by_name.get(name_key(name), [])


def name_key(name: str) -> str:
    """An enterprise's name as matched: exact, but for the width of its brackets — 有限公司
    names are registered with （）, and ledgers type them either way."""
    return name.strip().replace("(", "（").replace(")", "）")


# --- one row -------------------------------------------------------------------------------


class RowParser:
    """Turns one row of the file into hazard fields, or into errors naming its columns."""

    def __init__(self, lookups: Lookups, headers: dict[str, str], today: datetime.date) -> None:
        self.lookups = lookups
        self.headers = headers
        self.today = today
        self.match = ""  # how the last row's enterprise was found: matched/unmatched/ambiguous

    def header(self, name: str) -> str:
        """The column as the file names it (存在问题, say), else the export's header."""
        return self.headers.get(name) or HEADERS.get(name, name)

    def parse(
        self, raw: dict[str, str], errors: list[tuple[str, str]]
    ) -> tuple[Place | None, dict[str, Any]]:
        for name, value in raw.items():
            if isinstance(value, tabular.Formula):
                errors.append((name, _("This cell holds a formula. Paste the values instead.")))
        if errors:
            return None, {}
        place = self.enterprise(raw, errors)
        data: dict[str, Any] = {}
        for name in ("location", "reason", "basis", "measures", "accept_comment"):
            data[name] = raw.get(name, "")
        data["description"] = raw.get("description", "")
        data["name"] = raw.get("name", "") or _short(data["description"])
        if not data["name"]:
            errors.append(("description", _("Describe the hazard.")))
        data["found_by_name"] = raw.get("found_by", "")
        data["acceptor_name"] = raw.get("acceptor", "")
        self.liable(raw, data, errors)
        self.lengths(raw, data, errors)
        data["found_on"] = self.date(raw, "found_on", errors, required=True)
        data["deadline"] = self.date(raw, "deadline", errors)
        data["rectified_on"] = self.date(raw, "rectified_on", errors)
        data["accepted_at"] = self.moment(raw, "accepted_at", errors)
        for name in ("level", "rectify_type", "hazard_type", "management_class", "source"):
            data[name] = self.choice(name, raw.get(name, ""), errors)
        data["level"] = data["level"] or Level.GENERAL
        data["hazard_type"] = data["hazard_type"] or HazardType.SAFETY
        data["finder"] = self.choice("finder", raw.get("finder", ""), errors) or Finder.IMPORT
        data["source"] = data["source"] or DEFAULT_SOURCE[Finder(data["finder"])]
        data["accident_type"] = self.accident(raw.get("accident_type", ""), data, errors)
        data["funds"] = self.funds(raw.get("funds", ""), errors)
        for name in ("rejections", "extensions"):
            data[name] = self.count(name, raw.get(name, ""), errors)
        data["production_suspended"] = raw.get("production_suspended", "").lower() in YES
        if not errors:
            self.state(raw, data, errors)
        if not errors:
            final = {**data, "status": data.get("status_override", data["status"])}
            errors += constraint_errors(final)
        return place, data

    def enterprise(self, raw: dict[str, str], errors: list[tuple[str, str]]) -> Place | None:
        """By credit code, else by exact name within the importer's area; never guessed: a
        code that matches decides, a name alone must name one enterprise."""
        code, name = uscc.normalize(raw.get("uscc", "")), raw.get("enterprise", "").strip()
        self.match = "unmatched"
        if code:
            place = self.lookups.by_uscc.get(code)
            self.match = "matched" if place else "unmatched"
            if place is None:
                errors.append(
                    (
                        "uscc",
                        _("No enterprise in your area has the credit code %(c)s.") % {"c": code},
                    )
                )
            elif (named := self.lookups.named(name)) and all(p.id != place.id for p in named):
                # The code says one enterprise, the name another: a slip in either is possible,
                # so the row is listed. The code decides when the name is also this
                # enterprise's (names are not unique: 239 are shared in the demo zone) or no
                # enterprise's (a former name).
                self.match = "ambiguous"
                errors.append(
                    (
                        "uscc",
                        _(
                            "The credit code %(c)s is that of “%(a)s”, but “%(n)s” is another "
                            "enterprise in your area: correct the one that is wrong."
                        )
                        % {"c": code, "a": place.name, "n": name},
                    )
                )
                return None
            return place
        if not name:
            errors.append(("enterprise", _("Name the enterprise, or give its credit code.")))
            return None
        matches = self.lookups.named(name)
        if len(matches) == 1:
            self.match = "matched"
            return matches[0]
        self.match = "ambiguous" if matches else "unmatched"
        if not matches:
            errors.append(
                ("enterprise", _("No enterprise in your area is called “%(n)s”.") % {"n": name})
            )
        else:
            errors.append(
                (
                    "enterprise",
                    _("%(k)d enterprises in your area are called “%(n)s”: give the credit code.")
                    % {"k": len(matches), "n": name},
                )
            )
        return None

    def liable(self, raw: dict[str, str], data: dict[str, Any], errors: list[Any]) -> None:
        person, department = raw.get("liable_person", ""), raw.get("liable_department", "")
        data["liable_person"] = " ".join(p for p in (department, person) if p)

    def lengths(self, raw: dict[str, str], data: dict[str, Any], errors: list[Any]) -> None:
        values = {
            "name": data["name"],
            "location": data["location"],
            "basis": data["basis"],
            "liable_person": data["liable_person"],
            "found_by": data["found_by_name"],
            "acceptor": data["acceptor_name"],
        }
        for name, limit in TEXT_LIMITS.items():
            if len(values[name]) > limit:
                column = name
                message = _("At most %(n)d characters; this has %(m)d.")
                if name == "liable_person" and not raw.get("liable_person"):
                    column = "liable_department"
                elif name == "liable_person" and raw.get("liable_department"):
                    # Both cells go into one field: the count is theirs together, not this cell's.
                    message = _(
                        "The department and the person responsible are kept together, in at "
                        "most %(n)d characters; together they have %(m)d."
                    )
                errors.append((column, message % {"n": limit, "m": len(values[name])}))

    def choice(self, name: str, text: str, errors: list[tuple[str, str]]) -> str:
        cls, lookup = self.lookups.choices[name]
        messages: list[str] = []
        value = read_choice(text, lookup, cls, messages)
        errors += [(name, m) for m in messages]
        return value

    def accident(self, text: str, data: dict[str, Any], errors: list[tuple[str, str]]) -> str:
        """A GB 6441 code ("WSA10009", as the export writes it with its name), or a name read
        in the edition in force on the day the hazard was found."""
        if not text:
            return ""
        code = text.split()[0]
        if code in accident_types.NAMES:
            return code
        found_on = data.get("found_on") or self.today
        for candidate, name in edition_for(found_on):
            if name == text.strip():
                return candidate
        errors.append(
            (
                "accident_type",
                _("“%(v)s” is not an accident type of GB 6441: write its code or its name.")
                % {"v": text},
            )
        )
        return ""

    def date(
        self, raw: dict[str, str], name: str, errors: list[Any], required: bool = False
    ) -> datetime.date | None:
        moment = self.moment(raw, name, errors, required=required)
        return moment.date() if moment else None

    def moment(
        self, raw: dict[str, str], name: str, errors: list[Any], required: bool = False
    ) -> datetime.datetime | None:
        text = raw.get(name, "").strip()
        if not text:
            if required:
                errors.append((name, _("The date is required.")))
            return None
        match = DATE.fullmatch(COMPACT_DATE.sub(r"\1-\2-\3", text, count=1))
        try:
            if match is None:
                raise ValueError(text)
            *parts, fraction = match.groups()
            moment = datetime.datetime(*(int(p) if p else 0 for p in parts))  # type: ignore[arg-type,misc]
            return moment + datetime.timedelta(seconds=float(fraction or 0))
        except ValueError:
            errors.append((name, _("“%(v)s” is not a date: write it as 2026-03-31.") % {"v": text}))
            return None

    def funds(self, text: str, errors: list[tuple[str, str]]) -> Decimal | None:
        text = text.replace(",", "").replace("，", "").removesuffix("元").strip()
        if not text:
            return None
        try:
            value = Decimal(text).quantize(Decimal("0.01"))
        except InvalidOperation:
            errors.append(("funds", _("“%(v)s” is not an amount in yuan.") % {"v": text}))
            return None
        if value < 0 or value >= Decimal("1e10"):
            errors.append(("funds", _("The amount must be between 0 and 9,999,999,999.99.")))
            return None
        return value

    def count(self, name: str, text: str, errors: list[tuple[str, str]]) -> int:
        if not text:
            return 0
        if not text.isdecimal() or len(text) > 4 or int(text) > 1000:
            errors.append((name, _("“%(v)s” is not a whole number.") % {"v": text}))
            return 0
        return int(text)

    def state(self, raw: dict[str, str], data: dict[str, Any], errors: list[Any]) -> None:
        """The status from 状态, else 是否整改, else the dates; then the dates it needs."""
        status = self.choice("status", raw.get("status", ""), errors)
        if not status and raw.get("rectified"):
            said = self.lookups.rectified.get(raw["rectified"].strip().lower())
            if said is None:
                errors.append(("rectified", not_allowed(raw["rectified"], "是、否、待验收")))
                return
            status = {"yes": Status.CLOSED, "no": Status.RECTIFYING}.get(said, Status.SUBMITTED)
        if not status:
            done = data["accepted_at"] or data["rectified_on"]
            status = Status.CLOSED if done else Status.RECTIFYING
        if errors:
            return
        major = data["level"] == Level.MAJOR
        if major:
            status = MAJOR_OF.get(Status(status), status)
        elif status not in GENERAL_STATUSES:
            errors.append(
                (
                    "status",
                    _("“%(v)s” is a major hazard's state, but the level is general.")
                    % {"v": raw.get("status", "")},
                )
            )
            return
        self.dates(status, data, errors)
        data["status"] = status

    def dates(self, status: str, data: dict[str, Any], errors: list[Any]) -> None:
        found_on = data["found_on"]
        if found_on and found_on > self.today:
            errors.append(("found_on", _("The date is in the future.")))
        for name in ("deadline", "rectified_on"):
            if data[name] and found_on and data[name] < found_on:
                errors.append((name, _("The date is before the day the hazard was found.")))
        accepted = data["accepted_at"]
        if accepted and found_on and accepted.date() < found_on:
            errors.append(("accepted_at", _("The date is before the day the hazard was found.")))
        if not data["rectify_type"]:
            immediate = data["deadline"] is None and status in (Status.CLOSED, Status.SUBMITTED)
            data["rectify_type"] = RectifyType.IMMEDIATE if immediate else RectifyType.DEADLINE
        if status in (Status.CLOSED, Status.WRITTEN_OFF):
            moment = accepted or (
                datetime.datetime.combine(data["rectified_on"], datetime.time(12))
                if data["rectified_on"]
                else None
            )
            if moment is None:
                errors.append(
                    (
                        "accepted_at",
                        _(
                            "A rectified hazard needs the day it was accepted or rectified: "
                            "fill in 验收时间 or 实际完成时间."
                        ),
                    )
                )
                return
            data["accepted_at"] = timezone.make_aware(moment)
        elif accepted:
            data["accepted_at"] = timezone.make_aware(accepted)
        needs_deadline = status in (Status.RECTIFYING, Status.SUBMITTED, Status.CLOSED)
        if (
            needs_deadline
            and data["rectify_type"] == RectifyType.DEADLINE
            and data["deadline"] is None
        ):
            if status == Status.RECTIFYING:
                data["status_override"] = Status.REGISTERED  # open; an officer sets the deadline
            else:
                errors.append(
                    ("deadline", _("A hazard rectified by a deadline needs the deadline."))
                )


def _short(text: str) -> str:
    """A name made from a description: its first sentence, cut to the name's length."""
    first = re.split(r"[。；;\n]", text.strip(), maxsplit=1)[0]
    return first[:60]


def normalized(text: str) -> str:
    """Text as compared for duplicates: no spaces, no punctuation, lower case."""
    return re.sub(r"[\W_]+", "", text).lower()


def similar(a: str, b: str, ratio: float) -> bool:
    if a == b:
        return True
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return (
        matcher.real_quick_ratio() >= ratio
        and matcher.quick_ratio() >= ratio
        and matcher.ratio() >= ratio
    )
