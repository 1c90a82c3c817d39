"""Demo regions, grids, departments, agencies and staff at the seed article's scale."""

from __future__ import annotations

import datetime
import json
import math
import random
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from anjian.accounts.models import Agency, Department, DepartmentKind, Role, User
from anjian.demo import names
from anjian.regions.models import Grid, GridAssignment, GridRole, Region, RegionLevel

DEMO_PASSWORD = "anjian-demo"


@dataclass
class Org:
    zone: Region
    offices: list[Region]
    villages: list[Region]
    grids: list[Grid]
    departments: dict[str, Department]
    agencies: list[Agency]
    users: dict[str, User] = field(default_factory=dict)

    @cached_property
    def office_names(self) -> dict[int, str]:
        return {o.pk: o.name for o in self.offices}


def square(lat: float, lng: float, half: float) -> str:
    ring = [
        [lng - half, lat - half],
        [lng + half, lat - half],
        [lng + half, lat + half],
        [lng - half, lat + half],
        [lng - half, lat - half],
    ]
    return json.dumps(
        {"type": "Polygon", "coordinates": [[[round(x, 5), round(y, 5)] for x, y in ring]]}
    )


def build_regions(rng: random.Random, factor: int) -> tuple[Region, list[Region], list[Region]]:
    zone = Region.objects.create(
        name="示范经济开发区", code="01", level=RegionLevel.ZONE, path="01."
    )
    offices: list[Region] = []
    villages: list[Region] = []
    for i in range(3 * factor):
        base = names.OFFICE_NAMES[i % len(names.OFFICE_NAMES)]
        name = base if i < len(names.OFFICE_NAMES) else f"{base}{i // len(names.OFFICE_NAMES) + 1}"
        offices.append(
            Region(
                name=name,
                code=f"{i + 1:02d}",
                level=RegionLevel.OFFICE,
                parent=zone,
                path=f"{zone.path}{i + 1:02d}.",
            )
        )
    Region.objects.bulk_create(offices)
    for office in offices:
        for j in range(5):
            word = names.VILLAGE_WORDS[(len(villages) * 7 + j) % len(names.VILLAGE_WORDS)]
            kind = "社区" if j % 2 else "村"
            villages.append(
                Region(
                    name=f"{word}{kind}"
                    if len(villages) < len(names.VILLAGE_WORDS)
                    else f"{word}{kind}{len(villages)}",
                    code=f"{j + 1:03d}",
                    level=RegionLevel.VILLAGE,
                    parent=office,
                    path=f"{office.path}{j + 1:03d}.",
                )
            )
    Region.objects.bulk_create(villages)
    return zone, offices, villages


def build_grids(
    rng: random.Random, zone: Region, villages: list[Region], factor: int
) -> list[Grid]:
    """46 grids a zone: every village/community gets 3, and a few get a fourth."""
    total = 46 * factor
    per_village = [3] * len(villages)
    for k in range(total - 3 * len(villages)):
        per_village[k % len(villages)] += 1
    grids: list[Grid] = []
    # Laid out in a square of squares, village by village, so the grid map reads as a map.
    side = math.ceil(math.sqrt(total))
    for village, count in zip(villages, per_village, strict=True):
        for k in range(count):
            n = len(grids) + 1
            lat = 31.20 + ((n - 1) % side) * 0.012
            lng = 120.50 + ((n - 1) // side) * 0.012
            grids.append(
                Grid(
                    name=f"{village.name}第{k + 1}网格",
                    code=f"G{n:04d}",
                    village=village,
                    office=village.parent,
                    zone=zone,
                    path=f"{village.path}G{n:04d}.",
                    boundary=square(lat, lng, 0.005),
                )
            )
    Grid.objects.bulk_create(grids)
    return grids


DEPARTMENTS = [
    ("安监办（应急管理）", DepartmentKind.EMERGENCY),
    ("消防救援大队", DepartmentKind.FIRE),
    ("住房和城乡建设局", DepartmentKind.CONSTRUCTION),
    ("市场监督管理局（特种设备）", DepartmentKind.SPECIAL_EQUIPMENT),
    ("生态环境分局", DepartmentKind.ENVIRONMENT),
    ("交通运输局", DepartmentKind.TRANSPORT),
    ("城镇燃气管理处", DepartmentKind.GAS),
]


def build_organisations(
    rng: random.Random, zone: Region
) -> tuple[dict[Any, Department], list[Agency]]:
    departments = {
        kind: Department.objects.create(zone=zone, name=name, kind=kind)
        for name, kind in DEPARTMENTS
    }
    agencies = Agency.objects.bulk_create(
        [
            Agency(
                zone=zone,
                name=f"{names.PLACE_WORDS[i * 3 % len(names.PLACE_WORDS)]}"
                f"{'安全技术服务' if i % 2 else '安全咨询'}有限公司",
                contact=names.person(rng),
                phone=names.phone(rng),
            )
            for i in range(12)
        ]
    )
    return departments, agencies


class People:
    """Builds users with one shared password hash (hashing thousands would take minutes)."""

    def __init__(self, rng: random.Random, password_hash: str, zone: Region) -> None:
        self.rng = rng
        self.zone = zone
        self.password_hash = password_hash
        self.pending: list[User] = []

    def add(self, username: str, role: str, **fields: object) -> User:
        user = User(
            zone=self.zone,
            username=username,
            role=role,
            password=self.password_hash,
            display_name=str(fields.pop("display_name", names.person(self.rng))),
            phone=names.phone(self.rng),
            **fields,
        )
        self.pending.append(user)
        return user

    def save(self) -> None:
        User.objects.bulk_create(self.pending, batch_size=500)
        self.pending = []


def build_staff(
    rng: random.Random, org: Org, people: People, factor: int, start: datetime.date
) -> None:
    """Admins, officers, leaders, department members, experts, grid chiefs and workers."""
    zone, offices = org.zone, org.offices
    users = org.users
    users["demo-admin"] = people.add(
        "demo-admin",
        Role.ZONE_ADMIN,
        region=zone,
        is_staff=True,
        is_superuser=True,
        display_name="陈主任",
    )
    users["demo-leader"] = people.add(
        "demo-leader", Role.LEADER, region=zone, display_name="周书记"
    )
    users["demo-officer"] = people.add(
        "demo-officer",
        Role.OFFICER,
        region=offices[0],
        certificate_no="苏安执01000001",
        display_name="李执法",
    )
    users["demo-department"] = people.add(
        "demo-department",
        Role.DEPARTMENT,
        department=org.departments[DepartmentKind.FIRE],
        display_name="吴消防",
    )
    users["demo-expert"] = people.add(
        "demo-expert", Role.EXPERT, agency=org.agencies[0], display_name="孙专家"
    )
    users["demo-grid"] = people.add("demo-grid", Role.GRID_WORKER, display_name="张网格")
    for i, office in enumerate(offices):
        for k in range(3):
            people.add(
                f"officer-{i + 1:03d}-{k + 1}",
                Role.OFFICER,
                region=office,
                certificate_no=f"苏安执{i + 1:02d}{k + 2:06d}",
            )
        people.add(f"leader-{i + 1:03d}", Role.LEADER, region=office)
    for n in range(2 * factor):
        people.add(
            f"zone-officer-{n + 1:03d}",
            Role.OFFICER,
            region=zone,
            certificate_no=f"苏安执99{n + 1:06d}",
        )
    for kind, dept in org.departments.items():
        people.add(f"dept-{kind}", Role.DEPARTMENT, department=dept)
    for a, agency in enumerate(org.agencies):
        for k in range(3):
            people.add(f"expert-{a + 1:02d}-{k + 1}", Role.EXPERT, agency=agency)
    people.save()
    _grid_terms(rng, org, people, factor, start)


def _grid_terms(
    rng: random.Random, org: Org, people: People, factor: int, start: datetime.date
) -> None:
    """28 full-time grid workers a zone (1–2 grids each) and a chief per village."""
    workers = [org.users["demo-grid"]]
    workers += [people.add(f"grid-{n + 1:04d}", Role.GRID_WORKER) for n in range(28 * factor - 1)]
    chiefs = [people.add(f"chief-{n + 1:04d}", Role.GRID_WORKER) for n in range(len(org.villages))]
    people.save()
    terms = []
    for g, grid in enumerate(org.grids):
        worker = workers[g % len(workers)]
        terms.append(GridAssignment(grid=grid, user=worker, role=GridRole.WORKER, starts_on=start))
    # Some grids changed hands during the year: the earlier term is kept, ended.
    for grid in org.grids[5::9]:
        former = workers[(org.grids.index(grid) + 3) % len(workers)]
        terms.append(
            GridAssignment(
                grid=grid,
                user=former,
                role=GridRole.WORKER,
                starts_on=start - datetime.timedelta(days=400),
                ends_on=start - datetime.timedelta(days=1),
            )
        )
    village_index = {v.pk: i for i, v in enumerate(org.villages)}
    for grid in org.grids:
        chief = chiefs[village_index[grid.village_id]]
        terms.append(GridAssignment(grid=grid, user=chief, role=GridRole.CHIEF, starts_on=start))
    GridAssignment.objects.bulk_create(terms, batch_size=500)
