"""Import of hazard ledgers (隐患排查治理台账) from xlsx and CSV: preview, then all or nothing.

A zone's old ledgers become ordinary Hazard rows, with their state and dates as the file
gives them, and HazardEvents marked as imported (which upload, which row). The file is read
as a stream, a chunk of rows at a time: enterprises are looked up and the ledger is searched
for duplicates once per chunk, and a commit writes each chunk with bulk inserts, so memory
holds a chunk of rows rather than the file.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q, TextChoices
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.accounts.models import User
from anjian.accounts.permissions import can
from anjian.audit.log import channel, record_rows
from anjian.audit.models import Channel
from anjian.enterprises.models import Enterprise, ImportBatch, ImportKind
from anjian.hazards import accident_types
from anjian.hazards.accident_types import edition_for
from anjian.hazards.models import (
    Finder,
    Hazard,
    HazardEvent,
    HazardType,
    Level,
    ManagementClass,
    RectifyType,
    Source,
    Status,
)
from anjian.hazards.workflow import DEFAULT_SOURCE
from anjian.jobs import services as jobs
from anjian.jobs.models import Job
from anjian.jobs.registry import handler
from anjian.lib import bulk, tabular, uscc
from anjian.lib.choices import choice_lookup, not_allowed, read_choice
from anjian.lib.errors import NotAllowed
from anjian.lib.imports import BaseReport, ImportRejected, RowError

CHUNK = 1000
Progress = Callable[..., None]

# (field, the header the ledger export writes, other headers zones write by hand)
COLUMNS: list[tuple[str, str, list[str]]] = [
    ("enterprise", "企业名称", ["单位名称", "企业全称", "被检查单位", "生产经营单位", "企业"]),
    ("uscc", "统一社会信用代码", ["信用代码", "社会信用代码", "统一代码", "USCC"]),
    ("found_on", "发现时间", ["检查时间", "发现日期", "检查日期", "排查时间", "排查日期"]),
    ("found_by", "发现人", ["检查人", "排查人", "检查人员"]),
    ("finder", "发现类型", ["发现方式"]),
    ("source", "隐患来源", ["检查方式", "排查类型", "排查方式"]),
    ("location", "隐患位置", ["位置", "隐患部位", "部位"]),
    ("name", "隐患名称", []),
    (
        "description",
        "隐患描述",
        ["存在问题", "隐患内容", "问题描述", "主要问题", "重大隐患描述", "隐患情况"],
    ),
    ("reason", "原因分析", ["隐患原因"]),
    ("hazard_type", "隐患类型", ["隐患类别", "隐患分类"]),
    ("management_class", "人物管理分类", ["管理分类"]),
    ("accident_type", "事故类型（GB 6441）", ["事故类型", "可能导致的事故类型"]),
    ("basis", "判定依据", ["依据", "检查依据", "判定标准"]),
    ("level", "隐患等级", ["隐患级别", "等级"]),
    ("rectify_type", "治理类型", ["整改类型", "整改方式"]),
    ("liable_person", "整改责任人", ["责任人"]),
    ("liable_department", "整改责任部门", ["责任部门", "整改责任单位", "责任单位"]),
    (
        "deadline",
        "整改期限",
        ["要求整改日期", "整改时限", "治理期限", "要求完成时间", "整改完成期限"],
    ),
    ("measures", "整改措施", ["治理措施", "控制措施", "整改方案"]),
    ("funds", "整改资金（元）", ["整改资金", "投入资金", "整改投入"]),
    ("rectified", "是否整改", ["整改情况", "整改状态"]),
    ("rectified_on", "实际完成时间", ["整改完成时间", "实际整改完成时间", "完成时间"]),
    ("acceptor", "验收人", ["复查人"]),
    ("accepted_at", "验收时间", ["验收日期", "复查时间"]),
    ("accept_comment", "验收意见", ["验收情况"]),
    ("status", "状态", ["隐患状态", "治理状态"]),
    ("rejections", "驳回次数", []),
    ("extensions", "延期次数", []),
    ("production_suspended", "停产停业", []),
]
# What a commit does with rows that look like hazards already recorded.
DUPLICATE_CHOICES = ("skip", "keep")
HEADERS = {f: header for f, header, _aliases in COLUMNS}
ALIASES = {f: [header, *aliases] for f, header, aliases in COLUMNS}
TEXT_LIMITS = {
    "name": 200,
    "location": 200,
    "basis": 300,
    "liable_person": 50,
    "found_by": 50,
    "acceptor": 50,
}

LEVEL_WORDS: dict[str, list[str]] = {
    Level.GENERAL: ["一般", "一般隐患", "一般事故隐患"],
    Level.MAJOR: ["重大", "重大隐患", "重大事故隐患"],
}
RECTIFY_WORDS: dict[str, list[str]] = {
    RectifyType.IMMEDIATE: ["立即整改", "当场整改", "现场整改"],
    RectifyType.DEADLINE: ["限期", "限期整改"],
}
HAZARD_TYPE_WORDS: dict[str, list[str]] = {
    HazardType.ELECTRICAL: ["用电安全", "电气安全"],
    HazardType.FIRE: ["消防安全"],
    HazardType.EQUIPMENT: ["设备设施"],
}
SOURCE_WORDS: dict[str, list[str]] = {
    Source.DAILY: ["日常检查"],
    Source.GOVERNMENT: ["监管部门监督检查", "执法检查", "监督检查"],
    Source.OTHER: ["其它"],
}
STATUS_WORDS: dict[str, list[str]] = {
    Status.CLOSED: ["已整改", "已验收", "已销号", "验收销号", "已完成", "已闭环", "销号"],
    Status.RECTIFYING: ["未整改", "待整改", "正在整改"],
    Status.SUBMITTED: ["已提交"],
    Status.WRITTEN_OFF: ["已核销", "核销"],
    Status.VOID: ["作废", "已作废"],
}
# 是否整改 / 整改情况: done, not done, or handed in and awaiting acceptance.
# Ledgers tick the column (√ / ×), and a yes/no cell of a workbook reads as true / false.
RECTIFIED_WORDS = {
    "yes": ["是", "已整改", "已完成", "完成", "已验收", "√", "✓", "✔", "true"],
    "no": ["否", "未整改", "整改中", "待整改", "未完成", "×", "✗", "✘", "false"],
    "submitted": ["待验收"],
}
YES = {"是", "yes", "y", "true", "1", "√"}
# A general hazard's state named in a major hazard's row means its major counterpart.
MAJOR_OF = {
    Status.REGISTERED: Status.REPORTED,
    Status.RECTIFYING: Status.CONFIRMED,
    Status.SUBMITTED: Status.UNDER_REVIEW,
    Status.CLOSED: Status.WRITTEN_OFF,
}
GENERAL_STATES = frozenset(
    {Status.REGISTERED, Status.RECTIFYING, Status.SUBMITTED, Status.CLOSED, Status.VOID}
)
# 20250304, as ledgers and some systems write a day.
COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?!\d)")
# 2025-03-04, 2025/3/4, 2025.3.4, 2025年3月4日, with full-width separators as IMEs type them,
# and a time of day as 08:30, 08：30:15 or 8时30分.
DATE = re.compile(
    r"(\d{4})\s*[-/.年－／．]\s*(\d{1,2})\s*[-/.月－／．]\s*(\d{1,2})\s*日?"
    r"(?:[T\s]+(\d{1,2})[:：时](\d{1,2})(?:分|[:：分](\d{1,2})(\.\d+)?秒?)?)?"
)


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
        return place, data

    def enterprise(self, raw: dict[str, str], errors: list[tuple[str, str]]) -> Place | None:
        """By credit code, else by exact name within the importer's area; never guessed."""
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
            elif name and any(p.id != place.id for p in self.lookups.named(name)):
                # The code says one enterprise, the name another: a slip in either is possible,
                # so the row is listed. (A name no enterprise has is a former name: the code
                # decides.)
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
        elif status not in GENERAL_STATES:
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


# --- the file ------------------------------------------------------------------------------


class Reader:
    """Reads the file a chunk at a time and checks each row: errors and duplicates go into
    the report, good rows come out in chunks ready to write."""

    def __init__(
        self, table: tabular.Table, report: Report, by: User, stash: tabular.Stash | None = None
    ) -> None:
        self.table = table
        self.stash = stash
        self.report = report
        self.lookups = Lookups(by)
        self.today = timezone.localdate()
        self.parser = RowParser(self.lookups, table.headers, self.today)
        self.window = settings.HAZARD_IMPORT_DUPLICATE_DAYS
        self.ratio = settings.HAZARD_IMPORT_DUPLICATE_RATIO
        # For duplicates inside the file: per enterprise, (day, compared text, row) of the
        # rows read so far — a few dozen bytes a row, not the rows themselves.
        self.seen: dict[int, list[tuple[int, str, int]]] = {}
        # The ledger as it was when the import began: what a commit writes is not compared
        # with itself a second time.
        self.last_id = Hazard.objects.aggregate(m=Max("id"))["m"] or 0

    def chunks(self) -> Iterator[list[ParsedRow]]:
        batch: list[tuple[int, dict[str, str]]] = []
        for row_no, raw in self.table.rows:
            batch.append((row_no, raw))
            if self.stash is not None:
                self.stash.add(row_no, raw)
            if len(batch) == CHUNK:
                yield self.check(batch)
                batch = []
        if batch:
            yield self.check(batch)

    def check(self, batch: list[tuple[int, dict[str, str]]]) -> list[ParsedRow]:
        report = self.report
        self.lookups.load(
            {c for _r, raw in batch if (c := uscc.normalize(raw.get("uscc", "")))},
            {n for _r, raw in batch if (n := raw.get("enterprise", "").strip())},
        )
        parsed: list[ParsedRow] = []
        for row_no, raw in batch:
            report.rows += 1
            errors: list[tuple[str, str]] = []
            self.parser.match = ""
            place, data = self.parser.parse(raw, errors)
            if errors:
                for column, message in errors:
                    report.errors.append(RowError(row_no, self.parser.header(column), message))
                report.unmatched += self.parser.match == "unmatched"
                report.ambiguous += self.parser.match == "ambiguous"
                continue
            assert place is not None
            data["status"] = data.pop("status_override", data["status"])
            compare = normalized(data["description"] or data["name"])
            parsed.append(ParsedRow(row_no, place, data, compare))
        self.duplicates(parsed)
        for row in parsed:
            status = row.hazard["status"]
            report.by_status[status] = report.by_status.get(status, 0) + 1
        return parsed

    def duplicates(self, parsed: list[ParsedRow]) -> None:
        """Flag rows like a hazard in the ledger or on an earlier row: same enterprise, found
        within the window, descriptions alike. Only same-enterprise, same-window pairs are
        compared, so the cost follows the number of near neighbours, not the file."""
        if not parsed:
            return
        window = datetime.timedelta(days=self.window)
        days = [r.hazard["found_on"] for r in parsed]
        existing: dict[int, list[tuple[datetime.date, str, int]]] = {}
        rows = (
            Hazard.objects.filter(
                enterprise_id__in={r.place.id for r in parsed},
                found_on__range=(min(days) - window, max(days) + window),
                id__lte=self.last_id,
            )
            .exclude(status=Status.VOID)
            .values_list("enterprise_id", "found_on", "name", "description", "id")
        )
        for enterprise_id, found_on, name, description, pk in rows:
            existing.setdefault(enterprise_id, []).append(
                (found_on, normalized(description or name), pk)
            )
        for row in parsed:
            self.flag(row, existing.get(row.place.id, []), window)

    def flag(
        self, row: ParsedRow, existing: list[tuple[datetime.date, str, int]], window: Any
    ) -> None:
        found_on: datetime.date = row.hazard["found_on"]
        day = found_on.toordinal()
        for other_day, text, pk in existing:
            if abs(other_day - found_on) <= window and similar(row.compare, text, self.ratio):
                row.duplicate = True
                self.report.duplicates.append(
                    self._duplicate(row, existing_id=pk, existing_found_on=other_day.isoformat())
                )
                break
        seen = self.seen.setdefault(row.place.id, [])
        if not row.duplicate:
            for other_day_no, text, other_row in seen:
                if abs(other_day_no - day) <= self.window and similar(
                    row.compare, text, self.ratio
                ):
                    row.duplicate = True
                    self.report.duplicates.append(self._duplicate(row, other_row=other_row))
                    break
        seen.append((day, row.compare[:120], row.row))

    def _duplicate(self, row: ParsedRow, **where: Any) -> Duplicate:
        return Duplicate(
            row=row.row,
            enterprise=row.place.name,
            description=(row.hazard["description"] or row.hazard["name"])[:80],
            found_on=row.hazard["found_on"].isoformat(),
            **where,
        )


def open_file(content: bytes, filename: str, report: Report) -> tabular.Table | None:
    """The file's table, or None with the reason in the report. `content` is the uploaded
    file, or the rows its preview kept (tabular.Stash)."""
    if tabular.is_stash(content):
        table = tabular.read_stash(content)
        report.header_row, report.unknown_headers = table.header_row, table.unknown_headers
        return table
    try:
        table = tabular.read_table(
            content,
            filename,
            ALIASES,
            required=["found_on"],
            max_bytes=settings.IMPORT_MAX_BYTES,
        )
    except tabular.FileRejected as exc:
        report.file_error = str(exc)
        return None
    present = set(table.headers)
    missing = [
        " / ".join(HEADERS[c] for c in group)
        for group in (("enterprise", "uscc"), ("description", "name"))
        if not present & set(group)
    ]
    if missing:
        report.file_error = _(
            "No header row was found in the first %(n)d rows. It must name at least: %(cols)s."
        ) % {"n": tabular.HEADER_SCAN_ROWS, "cols": "、".join(missing)}
        return None
    report.header_row, report.unknown_headers = table.header_row, table.unknown_headers
    return table


def _check_allowed(by: User) -> None:
    if not can(by, "hazards.import"):
        raise NotAllowed("hazards.import")


def _tell(progress: Progress | None, report: Report, total: int, message: str) -> None:
    if progress is not None:
        progress(report.rows, max(total, report.rows), message)


def preview(content: bytes, filename: str, *, by: User, progress: Progress | None = None) -> Report:
    """Read and check every row. Writes nothing."""
    return _preview(content, filename, by=by, progress=progress, keep=False)[0]


def _preview(
    content: bytes, filename: str, *, by: User, progress: Progress | None, keep: bool
) -> tuple[Report, bytes]:
    """The preview's report, and with `keep` the rows as read, for the commit (a Stash)."""
    _check_allowed(by)
    report = Report(filename=filename)
    table = open_file(content, filename, report)
    if table is None:
        return report, b""
    total = table.estimated_rows
    stash = tabular.Stash(table) if keep else None
    try:
        for chunk in Reader(table, report, by, stash).chunks():
            report.new += sum(1 for r in chunk if not r.duplicate)
            _tell(progress, report, total, _("Checking rows"))
    except tabular.FileRejected as exc:  # damage found past the header, as the rows are read
        report.file_error = str(exc)
        return report, b""
    _tell(progress, report, report.rows, _("Checked"))
    report.errors.sort(key=lambda e: e.row)
    return report, stash.finish() if stash is not None and report.ok else b""


def commit(
    content: bytes,
    filename: str,
    *,
    by: User,
    on_duplicate: str | None,
    batch: ImportBatch | None = None,
    progress: Progress | None = None,
) -> Report:
    """Import the file, or nothing: any bad row, or duplicates without a choice (`skip` or
    `keep`), refuses the whole file. Rows are written a chunk at a time as they are read, in
    one transaction that is rolled back when the file turns out to be refused."""
    _check_allowed(by)
    report = Report(filename=filename)
    table = open_file(content, filename, report)
    if table is None:
        raise ImportRejected(report, report.file_error)
    total = table.estimated_rows
    try:
        with channel(Channel.IMPORT), transaction.atomic():
            if batch is None:
                batch = ImportBatch.objects.create(
                    kind=ImportKind.HAZARDS, user=by, filename=filename
                )
            elif not _lock_pending(batch):
                raise ImportRejected(report, _("This file has already been imported."))
            try:
                for chunk in Reader(table, report, by).chunks():
                    keep = [r for r in chunk if not (r.duplicate and on_duplicate == "skip")]
                    report.skipped += len(chunk) - len(keep)
                    if report.ok and (on_duplicate in DUPLICATE_CHOICES or not report.duplicates):
                        report.created += write(keep, batch, by=by)
                    _tell(progress, report, total, _("Importing rows"))
            except tabular.FileRejected as exc:  # the rows written so far are rolled back
                report.file_error = str(exc)
                raise ImportRejected(report, report.file_error) from exc
            _tell(progress, report, report.rows, _("Checked"))
            reason = _refusal(report, on_duplicate)
            if reason:
                raise ImportRejected(report, reason)
            report.committed, report.batch = True, batch.pk
            report.new = report.created
            batch.committed_at, batch.rows, batch.content = timezone.now(), report.rows, b""
            batch.report = report.as_dict()
            batch.save(update_fields=["committed_at", "rows", "content", "report"])
    except ImportRejected as exc:
        exc.report.errors.sort(key=lambda e: e.row)
        exc.report.created = exc.report.skipped = 0
        exc.report.committed, exc.report.batch = False, None
        raise
    return report


def _lock_pending(batch: ImportBatch) -> bool:
    """Lock the upload for this commit; False if another commit of it got there first (a
    double click, a retried request): it waited on the lock, and must not import twice."""
    return (
        ImportBatch.objects.select_for_update()
        .filter(pk=batch.pk, committed_at__isnull=True)
        .exists()
    )


def _refusal(report: Report, on_duplicate: str | None) -> str:
    if not report.ok:
        return _("Correct the rows listed and retry.")
    if report.duplicates and on_duplicate not in DUPLICATE_CHOICES:
        return _(
            "%(n)d rows look like hazards already recorded: choose whether to skip or keep them."
        ) % {"n": len(report.duplicates)}
    return ""


def _at(day: datetime.date) -> datetime.datetime:
    """A day as a moment on the timeline: noon, so no time zone moves it to another day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


HAZARD_FIELDS = (
    "name", "description", "reason", "location", "level", "source", "rectify_type",
    "hazard_type", "management_class", "accident_type", "basis", "finder", "found_on",
    "found_by_name", "liable_person", "measures", "funds", "deadline", "rectified_on",
    "acceptor_name", "accepted_at", "accept_comment", "status", "rejections", "extensions",
    "production_suspended",
)  # fmt: skip


# Every column of a hazard row, with the value a new hazard has when the file says nothing.
HAZARD_DEFAULTS = {
    f.attname: f.get_default() for f in Hazard._meta.concrete_fields if f.attname != "id"
}
EVENT_COLUMNS = (
    "id", "hazard_id", "action", "from_status", "to_status", "actor_id", "at", "note", "data",
    "imported", "batch_id", "source_row",
)  # fmt: skip


def write(rows: list[ParsedRow], batch: ImportBatch, *, by: User) -> int:
    """Insert a chunk of checked rows as hazards, their imported events and audit entries.

    Ids are reserved first so the events and entries can name their hazard, and each table
    gets one executemany (lib.bulk): a zone-year's ledger is written in a few seconds.
    """
    if not rows:
        return 0
    now = timezone.now()
    ids = bulk.reserve_ids(Hazard, len(rows))
    columns = ["id", *HAZARD_DEFAULTS]
    hazards, events, audit = [], [], []
    for pk, row in zip(ids, rows, strict=True):
        data, place = row.hazard, row.place
        values = {
            **HAZARD_DEFAULTS,
            **{name: data[name] for name in HAZARD_FIELDS},
            "enterprise_id": place.id,
            "grid_id": place.grid_id,
            "village_id": place.village_id,
            "office_id": place.office_id,
            "zone_id": place.zone_id,
            "imported": True,
            "created_at": now,
        }
        if values["status"] in (Status.CLOSED, Status.WRITTEN_OFF):
            values["closed_at"] = values["accepted_at"]
        hazards.append([pk, *(values[c] for c in columns[1:])])
        events += _events(pk, values, row.row, batch, by)
        changes = {"status": [None, values["status"]], "batch": batch.pk, "row": row.row}
        audit.append(("hazards.hazard", pk, values["name"], place.zone_id, changes))
    bulk.insert(Hazard, columns, hazards)
    event_ids = bulk.reserve_ids(HazardEvent, len(events))
    bulk.insert(
        HazardEvent, EVENT_COLUMNS, [(i, *e) for i, e in zip(event_ids, events, strict=True)]
    )
    record_rows(by, "hazard.import", audit)
    return len(hazards)


def _events(
    pk: int, hazard: dict[str, Any], row: int, batch: ImportBatch, by: User
) -> list[tuple[Any, ...]]:
    """The history the file tells: found; for a general hazard, handed in and accepted when
    the file says so, each on its own date. Every event is marked as imported."""
    status = hazard["status"]
    steps: list[tuple[str, str, str, datetime.datetime]] = []
    general_progress = status in (Status.SUBMITTED, Status.CLOSED)
    first = Status.RECTIFYING if general_progress else status
    if hazard["rectify_type"] == RectifyType.IMMEDIATE and general_progress:
        first = status
    steps.append(("register", "", first, _at(hazard["found_on"])))
    if first != status:
        handed_in = hazard["rectified_on"] or hazard["found_on"]
        steps.append(("submit", first, Status.SUBMITTED, _at(handed_in)))
        if status == Status.CLOSED:
            steps.append(("accept", Status.SUBMITTED, Status.CLOSED, hazard["accepted_at"]))
    return [
        (pk, action, before, after, by.pk, at, "", {}, True, batch.pk, row)
        for action, before, after, at in steps
    ]


# --- large files, on the job queue ---------------------------------------------------------


def estimated_rows(content: bytes, filename: str) -> int:
    """Roughly how many rows a file has (0 when it cannot be read): decides whether the
    file is checked and imported in the background."""
    try:
        table = tabular.read_table(
            content, filename, ALIASES, required=[], max_bytes=settings.IMPORT_MAX_BYTES
        )
    except tabular.FileRejected:
        return 0
    return table.estimated_rows


def in_background(rows: int) -> bool:
    return rows > settings.HAZARD_IMPORT_BACKGROUND_ROWS


def check_batch(batch: ImportBatch, *, by: User, progress: Progress | None = None) -> Report:
    """Preview an uploaded batch and keep its report. A good file's rows are kept, as read,
    in place of the file, for the commit; a bad file is not kept at all."""
    content = bytes(batch.content)
    report, rows = _preview(content, batch.filename, by=by, progress=progress, keep=True)
    batch.rows, batch.report, batch.content = report.rows, report.as_dict(), rows
    batch.save(update_fields=["rows", "report", "content"])
    return report


def commit_batch(
    batch: ImportBatch, *, by: User, on_duplicate: str | None, progress: Progress | None = None
) -> Report:
    """Commit an uploaded batch; a refusal is kept on the batch's report and raised."""
    batch.refresh_from_db(fields=["committed_at"])
    if batch.committed_at is not None:
        raise ImportRejected(
            Report(filename=batch.filename), _("This file has already been imported.")
        )
    try:
        return commit(
            bytes(batch.content),
            batch.filename,
            by=by,
            on_duplicate=on_duplicate,
            batch=batch,
            progress=progress,
        )
    except ImportRejected as exc:
        batch.report = {**exc.report.as_dict(), "refused": exc.reason}
        batch.save(update_fields=["report"])
        raise


def submit_batch(
    batch: ImportBatch, *, by: User, step: str, on_duplicate: str | None = None
) -> Job:
    """Put a step (`check` or `commit`) of an uploaded batch on the job queue; when it is
    done, the job points to the batch's preview."""
    params: dict[str, Any] = {"batch": batch.pk, "step": step}
    if step == "commit":
        params["on_duplicate"] = on_duplicate
    return jobs.submit(
        "hazards.import",
        user=by,
        params=params,
        next_url=reverse("hazards:import_preview", args=[batch.pk]),
    )


@handler("hazards.import", label=gettext_lazy("Hazard ledger import"))
def run_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Check (`step` = check) or commit (`step` = commit) an uploaded batch on the queue."""
    batch = ImportBatch.objects.get(pk=job.params["batch"], user=job.user, kind=ImportKind.HAZARDS)
    if job.params.get("step") == "commit":
        try:
            report = commit_batch(
                batch, by=job.user, on_duplicate=job.params.get("on_duplicate"), progress=progress
            )
        except ImportRejected as exc:
            return {"committed": False, "refused": exc.reason, "rows": exc.report.rows}
        return {"committed": True, "created": report.created, "skipped": report.skipped}
    report = check_batch(batch, by=job.user, progress=progress)
    return {
        "rows": report.rows,
        "errors": len(report.errors),
        "duplicates": len(report.duplicates),
        "ok": report.ok,
    }
