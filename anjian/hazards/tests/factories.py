"""Factories for hazard and field-work tests: photos, checklists, hazards walked to a status.

Everything is made through the real write functions (save_photo, register_hazard,
transition), so a factory that works is itself evidence that the path works.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from anjian.accounts.models import Engagement, User
from anjian.checklists.models import (
    Checklist,
    ChecklistItem,
    ChecklistVersion,
    Determination,
    Standard,
    Verification,
    VersionStatus,
)
from anjian.enterprises.models import Enterprise
from anjian.evidence.models import Photo
from anjian.evidence.services import save_photo
from anjian.hazards.models import Hazard, Level, RectifyType, Status
from anjian.hazards.workflow import register_hazard, transition
from anjian.test import TemporaryMedia, World

# The smallest byte strings that pass the magic-number check.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 64


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def make_photo(user: User, content: bytes = JPEG, name: str = "p.jpg") -> Photo:
    photo, _created = save_photo(
        SimpleUploadedFile(name, content), by=user, client_uuid=uuid.uuid4()
    )
    return photo


def make_checklist(
    items: list[tuple[str, str]] | None = None,
    status: str = VersionStatus.PUBLISHED,
    code: str = "",
) -> ChecklistVersion:
    """A checklist version with items given as (code, determination)."""
    code = code or f"CL{uuid.uuid4().hex[:8]}"
    standard, _c = Standard.objects.get_or_create(
        code="MEM-10-2023",
        defaults={"title": "工贸企业重大事故隐患判定标准", "doc_no": "应急管理部令第10号"},
    )
    checklist = Checklist.objects.create(code=code, title=f"检查表{code}", standard=standard)
    version = ChecklistVersion.objects.create(
        checklist=checklist,
        number=1,
        status=status,
        published_at=timezone.now() if status == VersionStatus.PUBLISHED else None,
    )
    for position, (item_code, determination) in enumerate(
        items or [("1", Determination.GENERAL), ("2", Determination.MAJOR_DIRECT)]
    ):
        ChecklistItem.objects.create(
            version=version,
            code=item_code,
            position=position,
            text=f"第{item_code}项：安全出口畅通",
            clause=f"第{item_code}条",
            determination=determination,
            verification=Verification.VERIFIED,
        )
    return version


def engage(expert: User, *enterprises: Enterprise, active: bool = True) -> Engagement:
    """An engagement of the expert's agency: running today, or ended last month."""
    start, end = (days(-30), days(30)) if active else (days(-90), days(-30))
    assert expert.agency is not None
    engagement = Engagement.objects.create(
        zone_id=expert.agency.zone_id,
        agency=expert.agency,
        title="安全管家服务",
        starts_on=start,
        ends_on=end,
    )
    engagement.enterprises.add(*enterprises)
    engagement.experts.add(expert)
    return engagement


def general(**data: Any) -> dict[str, Any]:
    """The fields of a general hazard to rectify by a deadline a month away."""
    return {
        "name": "配电箱前堆放杂物",
        "level": Level.GENERAL,
        "rectify_type": RectifyType.DEADLINE,
        "deadline": days(30),
        **data,
    }


def major(**data: Any) -> dict[str, Any]:
    return {"name": "粉尘涉爆除尘系统未设置泄爆装置", "level": Level.MAJOR, **data}


PLAN = {
    "plan_objectives": "消除粉尘爆炸隐患",
    "plan_methods": "加装泄爆片",
    "plan_funding": "企业自筹",
    "plan_organisation": "设备部 王工",
    "plan_time_limit": "三十日内完成",
    "plan_safety_measures": "停用除尘系统，设置警戒",
}


def full_data() -> dict[str, Any]:
    """Everything any action needs, so one dict drives every step."""
    return {
        "note": "现场复查",
        "deadline": days(30),
        "basis": "应急管理部令第10号 第十二条",
        "liable_person": "王工",
        "funds": Decimal("5000.00"),
        "reviewers": "张专家、李专家",
        **PLAN,
    }


# How to reach each status from a registration, and who registers: an officer (Li) at EA.
PATHS: dict[str, tuple[str, list[str]]] = {
    Status.REGISTERED: ("general-no-deadline", []),
    Status.RECTIFYING: ("general-no-deadline", ["assign"]),
    Status.SUBMITTED: ("general-no-deadline", ["assign", "submit"]),
    Status.CLOSED: ("general-no-deadline", ["assign", "submit", "accept"]),
    Status.VOID: ("general-no-deadline", ["void"]),
    Status.REPORTED: ("major", []),
    Status.CONFIRMED: ("major", ["confirm"]),
    Status.PLAN_FILED: ("major", ["confirm", "file_plan"]),
    Status.REMEDIATING: ("major", ["confirm", "file_plan", "start_remediation"]),
    Status.SELF_ASSESSED: ("major", ["confirm", "file_plan", "start_remediation", "self_assess"]),
    Status.UNDER_REVIEW: (
        "major",
        ["confirm", "file_plan", "start_remediation", "self_assess", "apply_review"],
    ),
    Status.WRITTEN_OFF: (
        "major",
        ["confirm", "file_plan", "start_remediation", "self_assess", "apply_review", "write_off"],
    ),
}


def step(hazard: Hazard, action: str, by: User, photo: Photo | None = None, **data: Any) -> None:
    """Take one step with everything it could need; `data` overrides."""
    transition(
        hazard,
        action,
        {**full_data(), **data},
        by=by,
        version=hazard.version,
        photos=[photo] if photo else [],
    )


def hazard_in(status: str, enterprise: Enterprise, officer: User, photo: Photo) -> Hazard:
    """A hazard an officer found at `enterprise`, walked to `status` by the officer."""
    start, actions = PATHS[status]
    data = major() if start == "major" else general(deadline=None)
    hazard = register_hazard(enterprise, data, by=officer)
    for action in actions:
        step(hazard, action, officer, photo)
    assert hazard.status == status, (hazard.status, status)
    return hazard


class HazardWorld(TemporaryMedia, World):
    """The personas, with photos kept in a temporary media directory and English messages."""

    def setUp(self) -> None:
        super().setUp()
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        # Messages are asserted in English (the msgids), catalogs compiled or not.
        english = translation.override("en")
        english.__enter__()
        self.addCleanup(english.__exit__, None, None, None)
