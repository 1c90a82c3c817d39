"""Test personas and `make_*` factories shared by every app's tests.

The world: zone Z with office O1 (village V1: grids A and A2) and office O2 (village V2:
grid B). Chen is the zone admin, Li the officer of O1 and Qian the officer of O2, Zhang the
grid worker of A and Wang of B (who must see nothing of A), Zhao the enterprise user of
enterprise EA in grid A, Sun an expert, Zhou the zone leader, Wu a fire-department member.
"""

from __future__ import annotations

import datetime
import itertools
import shutil
import tempfile
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from django.contrib.auth.hashers import make_password
from django.http.response import HttpResponseBase
from django.test import TestCase, override_settings

from anjian.accounts.models import Agency, Department, DepartmentKind, Role, User
from anjian.enterprises.models import Enterprise, Sector
from anjian.lib import uscc
from anjian.regions.models import Grid, GridAssignment, GridRole, Region, RegionLevel

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


@cache
def password_hash() -> str:
    """One real (argon2) hash per test process: hashing for every persona would be slow."""
    return make_password(PASSWORD)


def make_region(name: str, level: str, parent: Region | None = None, code: str = "") -> Region:
    code = code or f"{next(_seq):03d}"
    path = f"{parent.path if parent else ''}{code}."
    return Region.objects.create(name=name, code=code, level=level, parent=parent, path=path)


def make_grid(village: Region, name: str = "", code: str = "", boundary: str = "") -> Grid:
    code = code or f"G{next(_seq):04d}"
    assert village.parent is not None and village.parent.parent is not None
    return Grid.objects.create(
        name=name or f"{village.name}网格{code}",
        code=code,
        village=village,
        office=village.parent,
        zone=village.parent.parent,
        path=f"{village.path}{code}.",
        boundary=boundary,
    )


def make_neighbour_zone(code: str = "09") -> tuple[Region, Region, Grid]:
    """Another zone (邻区) with one office, village and grid: (zone, office, grid). Nothing in
    it may be seen from the World's zone, nor the other way round."""
    zone = make_region("邻区", RegionLevel.ZONE, code=code)
    office = make_region("邻区办事处", RegionLevel.OFFICE, zone, code="01")
    village = make_region("邻村", RegionLevel.VILLAGE, office, code="001")
    return zone, office, make_grid(village, "邻区网格")


def make_uscc() -> str:
    n = next(_seq)
    return uscc.complete(f"91320500{n:09d}")


def make_enterprise(grid: Grid, name: str = "", **fields: Any) -> Enterprise:
    fields.setdefault("sector", Sector.MACHINERY)
    fields.setdefault("uscc", make_uscc())
    return Enterprise.objects.create(
        name=name or f"测试企业{next(_seq)}有限公司",
        grid=grid,
        village_id=grid.village_id,
        office_id=grid.office_id,
        zone_id=grid.zone_id,
        **fields,
    )


def make_user(username: str, role: str = "", **fields: Any) -> User:
    """A person; their zone is taken from their area, enterprise, agency or department."""
    if "zone" not in fields:
        for key in ("region", "enterprise", "agency", "department"):
            if fields.get(key) is not None:
                obj = fields[key]
                fields["zone_id"] = (
                    obj.zone_id
                    if hasattr(obj, "zone_id")
                    else int(Region.objects.get(path=obj.path.split(".")[0] + ".").pk)
                )
                break
    return User.objects.create(
        username=username,
        role=role,
        password=password_hash(),
        display_name=fields.pop("display_name", username),
        **fields,
    )


def assign(
    user: User,
    grid: Grid,
    role: str = GridRole.WORKER,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> GridAssignment:
    return GridAssignment.objects.create(
        grid=grid,
        user=user,
        role=role,
        starts_on=starts_on or datetime.date(2020, 1, 1),
        ends_on=ends_on,
    )


def error_fields(response: HttpResponseBase) -> set[str]:
    """The fields an API error answer names."""
    return {e["field"] for e in response.json()["errors"]}  # type: ignore[attr-defined]


class TemporaryMedia:
    """Mix into a test class: the photos and files it writes land in a temporary MEDIA_ROOT,
    removed when the class is done."""

    media: str

    @classmethod
    def setUpClass(cls) -> None:
        cls.media = tempfile.mkdtemp(prefix="anjian-test-media-")
        media = override_settings(MEDIA_ROOT=cls.media)
        media.enable()
        cls.addClassCleanup(media.disable)  # type: ignore[attr-defined]
        cls.addClassCleanup(shutil.rmtree, cls.media, ignore_errors=True)  # type: ignore[attr-defined]
        super().setUpClass()  # type: ignore[misc]


class World(TestCase):
    """TestCase with the personas loaded once per class (each test still runs isolated)."""

    zone: Region
    o1: Region
    o2: Region
    v1: Region
    v2: Region
    grid_a: Grid
    grid_a2: Grid
    grid_b: Grid
    fire: Department
    agency: Agency
    ea: Enterprise
    ea2: Enterprise
    eb: Enterprise
    chen: User
    li: User
    qian: User
    zhang: User
    wang: User
    zhao: User
    sun: User
    zhou: User
    wu: User
    nobody: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.zone = make_region("示范区", RegionLevel.ZONE, code="01")
        cls.o1 = make_region("东城办事处", RegionLevel.OFFICE, cls.zone, code="01")
        cls.o2 = make_region("西城街道", RegionLevel.OFFICE, cls.zone, code="02")
        cls.v1 = make_region("杨桥村", RegionLevel.VILLAGE, cls.o1, code="001")
        cls.v2 = make_region("石塘社区", RegionLevel.VILLAGE, cls.o2, code="001")
        cls.grid_a = make_grid(cls.v1, "杨桥第一网格", "GA")
        cls.grid_a2 = make_grid(cls.v1, "杨桥第二网格", "GA2")
        cls.grid_b = make_grid(cls.v2, "石塘第一网格", "GB")
        cls.fire = Department.objects.create(
            zone=cls.zone, name="消防救援大队", kind=DepartmentKind.FIRE
        )
        cls.agency = Agency.objects.create(zone=cls.zone, name="安达安全技术服务有限公司")
        cls.ea = make_enterprise(cls.grid_a, "杨桥精密机械有限公司", competent_department=cls.fire)
        cls.ea2 = make_enterprise(cls.grid_a2, "杨桥五金制品厂")
        cls.eb = make_enterprise(cls.grid_b, "石塘纺织有限公司")
        cls.chen = make_user("chen", Role.ZONE_ADMIN, region=cls.zone)
        cls.li = make_user("li", Role.OFFICER, region=cls.o1, certificate_no="执01")
        cls.qian = make_user("qian", Role.OFFICER, region=cls.o2, certificate_no="执02")
        cls.zhang = make_user("zhang", Role.GRID_WORKER, zone=cls.zone)
        cls.wang = make_user("wang", Role.GRID_WORKER, zone=cls.zone)
        assign(cls.zhang, cls.grid_a)
        assign(cls.wang, cls.grid_b)
        cls.zhao = make_user("zhao", Role.ENTERPRISE, enterprise=cls.ea)
        cls.sun = make_user("sun", Role.EXPERT, agency=cls.agency)
        cls.zhou = make_user("zhou", Role.LEADER, region=cls.zone)
        cls.wu = make_user("wu", Role.DEPARTMENT, department=cls.fire)
        cls.nobody = make_user("nobody")

    def assert_faces_agree(
        self, users: Sequence[User], queries: Sequence[str], same_answer: Callable[[str], str]
    ) -> None:
        """For a list whose filters are declared once: `same_answer(query)` asserts that its
        page, API and exports answer `query` alike and says how ("rows", "none" or
        "refused"). Run for each persona and query, the cases must meet all three answers,
        so that none of the comparisons passes vacuously."""
        answers = set()
        for user in users:
            self.client.force_login(user)
            for query in queries:
                with self.subTest(user=user.username, query=query):
                    answers.add(same_answer(query))
        self.assertEqual(answers, {"rows", "none", "refused"})
