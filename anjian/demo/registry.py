"""Demo enterprises: ~2,500 a zone, 600+ of them tenants of clusters and rented factories."""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.utils import timezone

from anjian.accounts.models import DepartmentKind, Role
from anjian.demo import names
from anjian.demo.organisation import Org, People
from anjian.enterprises.models import (
    Enterprise,
    EnterpriseTag,
    Kind,
    RiskClass,
    SafetyManager,
    Scale,
    Sector,
    Status,
    Tag,
)
from anjian.lib import uscc
from anjian.regions.models import Grid

SECTOR_WEIGHTS = {
    Sector.MACHINERY: 30,
    Sector.LIGHT_INDUSTRY: 15,
    Sector.COMMERCE: 14,
    Sector.TEXTILE: 8,
    Sector.BUILDING_MATERIALS: 8,
    Sector.METALLURGY: 3,
    Sector.NONFERROUS: 3,
    Sector.HAZARDOUS_CHEMICALS: 3,
    Sector.CROWDED_PLACES: 5,
    Sector.CONSTRUCTION: 2,
    Sector.TRANSPORT: 3,
    Sector.GAS: 1,
    Sector.OTHER: 5,
}
SECTOR_DEPARTMENT: dict[str, str] = {
    Sector.CROWDED_PLACES: DepartmentKind.FIRE,
    Sector.CONSTRUCTION: DepartmentKind.CONSTRUCTION,
    Sector.TRANSPORT: DepartmentKind.TRANSPORT,
    Sector.GAS: DepartmentKind.GAS,
}
# (tag, probability, sectors it applies to; empty = any)
TAG_RULES: list[tuple[str, float, set[str]]] = [
    (Tag.DUST_EXPLOSION, 0.25, {Sector.MACHINERY, Sector.LIGHT_INDUSTRY, Sector.TEXTILE}),
    (Tag.AMMONIA_REFRIGERATION, 0.15, {Sector.LIGHT_INDUSTRY, Sector.COMMERCE}),
    (Tag.CONFINED_SPACE, 0.15, set()),
    (Tag.METAL_SMELTING, 0.7, {Sector.METALLURGY, Sector.NONFERROUS}),
    (Tag.HAZCHEM_PRODUCTION, 0.4, {Sector.HAZARDOUS_CHEMICALS}),
    (Tag.HAZCHEM_TRADE, 0.5, {Sector.HAZARDOUS_CHEMICALS}),
    (Tag.HAZCHEM_USE, 0.12, set()),
    (Tag.MAJOR_HAZARD_SOURCE, 0.3, {Sector.HAZARDOUS_CHEMICALS}),
    (Tag.CROWDED_PLACE, 1.0, {Sector.CROWDED_PLACES}),
    (Tag.GAS_USE, 0.2, set()),
    (Tag.SPECIAL_EQUIPMENT, 0.4, set()),
]
STATUS_WEIGHTS = {
    Status.OPERATING: 94,
    Status.SUSPENDED: 2,
    Status.SHUT: 1,
    Status.CLOSED: 1,
    Status.MOVED: 2,
}
RISK_WEIGHTS = {RiskClass.RED: 1, RiskClass.ORANGE: 6, RiskClass.YELLOW: 30, RiskClass.BLUE: 63}


def pick(rng: random.Random, weights: Mapping[Any, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class CodeMaker:
    """Unique, valid credit codes (GB 32100 check character included)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.used = rng, set[str]()

    def __call__(self) -> str:
        while True:
            body = (
                "913205"
                + f"{self.rng.randrange(100):02d}"
                + "".join(self.rng.choice(uscc.ALPHABET) for _ in range(9))
            )
            code = uscc.complete(body)
            if code not in self.used:
                self.used.add(code)
                return code


def build_enterprises(
    rng: random.Random, org: Org, people: People, factor: int, progress: Callable[[str], None]
) -> list[Enterprise]:
    """Landlords first (so tenants can point at them), then everyone else, in bulk."""
    total = 2500 * factor
    landlords_n = 55 * factor
    codes = CodeMaker(rng)
    today = timezone.localdate()
    grids = org.grids
    landlords = [
        _enterprise(
            rng,
            org,
            grids[i % len(grids)],
            codes,
            today,
            kind=Kind.CLUSTER_OPERATOR if i % 5 == 0 else Kind.LANDLORD,
        )
        for i in range(landlords_n)
    ]
    Enterprise.objects.bulk_create(landlords, batch_size=500)
    enterprises = list(landlords)
    tenants_n = 0
    batch: list[Enterprise] = []
    for _ in range(total - landlords_n):
        # About a quarter of enterprises rent their premises in a cluster or a rented factory.
        landlord = landlords[rng.randrange(len(landlords))] if rng.random() < 0.27 else None
        grid = landlord.grid if landlord else grids[rng.randrange(len(grids))]
        e = _enterprise(rng, org, grid, codes, today, landlord=landlord)
        tenants_n += landlord is not None
        batch.append(e)
        if len(batch) == 2000:
            Enterprise.objects.bulk_create(batch, batch_size=500)
            enterprises += batch
            batch = []
            progress(f"  enterprises {len(enterprises)}/{total}")
    Enterprise.objects.bulk_create(batch, batch_size=500)
    enterprises += batch
    demo = _demo_enterprise_in_demo_grid(enterprises, grids[0], org)
    _children(rng, enterprises)
    progress(f"  enterprises {len(enterprises)}/{total} ({tenants_n} tenants)")
    for e in enterprises:
        people.add(f"ent-{e.pk:06d}", Role.ENTERPRISE, enterprise=e)
    org.users["demo-enterprise"] = people.add(
        "demo-enterprise", Role.ENTERPRISE, enterprise=demo, display_name="赵安全"
    )
    people.save()
    return enterprises


def _enterprise(
    rng: random.Random,
    org: Org,
    grid: Grid,
    codes: CodeMaker,
    today: datetime.date,
    *,
    kind: str = Kind.ORDINARY,
    landlord: Enterprise | None = None,
) -> Enterprise:
    sector = pick(rng, SECTOR_WEIGHTS) if kind == Kind.ORDINARY else Sector.OTHER
    employees = int(rng.lognormvariate(3.3, 0.9)) + 3
    office_name = org.office_names[grid.office_id]
    status = pick(rng, STATUS_WEIGHTS) if kind == Kind.ORDINARY else Status.OPERATING
    grade = rng.choices(["", "3", "2", "small"], weights=[63, 15, 2, 20])[0]
    dept_kind = SECTOR_DEPARTMENT.get(sector, DepartmentKind.EMERGENCY)
    lat, lng = _inside(rng, grid)
    return Enterprise(
        name=names.company(rng, "实业" if kind != Kind.ORDINARY else None),
        # A few small workshops have no credit code at all.
        uscc=codes() if rng.random() > 0.03 else "",
        legal_representative=names.person(rng),
        principal=names.person(rng),
        principal_phone=names.phone(rng),
        address=landlord.address if landlord else names.address(rng, office_name),
        latitude=lat,
        longitude=lng,
        grid=grid,
        village_id=grid.village_id,
        office_id=grid.office_id,
        zone_id=grid.zone_id,
        industry_code=rng.choice(
            [
                "C3311",
                "C3484",
                "C2927",
                "C1713",
                "C3032",
                "F5212",
                "C2641",
                "C3340",
                "C3599",
                "C2231",
                "G5434",
                "E4700",
            ]
        ),
        sector=sector,
        employees=employees,
        scale=Scale.ABOVE if employees > 120 or rng.random() < 0.15 else Scale.BELOW,
        competent_department=org.departments[dept_kind],
        risk_class=pick(rng, RISK_WEIGHTS),
        standardization_grade=grade,
        standardization_expires_on=(
            today + datetime.timedelta(days=rng.randrange(-60, 1000)) if grade else None
        ),
        kind=kind,
        landlord=landlord,
        status=status,
        status_since=today - datetime.timedelta(days=rng.randrange(1, 900)),
        status_reason="" if status == Status.OPERATING else "网格巡查核实",
    )


def _inside(rng: random.Random, grid: Grid) -> tuple[Decimal, Decimal]:
    ring = json.loads(grid.boundary)["coordinates"][0]
    lngs, lats = [p[0] for p in ring], [p[1] for p in ring]
    lat = rng.uniform(min(lats), max(lats))
    lng = rng.uniform(min(lngs), max(lngs))
    return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")


def _demo_enterprise_in_demo_grid(
    enterprises: list[Enterprise], grid: Grid, org: Org
) -> Enterprise:
    """Make sure the demo grid holds an operating crowded place the demo department oversees."""
    e = next(e for e in enterprises if e.grid_id == grid.pk and e.kind == Kind.ORDINARY)
    e.status, e.sector = Status.OPERATING, Sector.CROWDED_PLACES
    e.competent_department = org.departments[DepartmentKind.FIRE]
    Enterprise.objects.filter(pk=e.pk).update(
        status=e.status, sector=e.sector, competent_department=e.competent_department
    )
    return e


def _children(rng: random.Random, enterprises: list[Enterprise]) -> None:
    tags, managers = [], []
    for e in enterprises:
        for tag, p, sectors in TAG_RULES:
            if (not sectors or e.sector in sectors) and rng.random() < p:
                tags.append(EnterpriseTag(enterprise=e, tag=tag))
        for _ in range(1 if (e.employees or 0) < 100 else 2):
            managers.append(
                SafetyManager(enterprise=e, name=names.person(rng), phone=names.phone(rng))
            )
    EnterpriseTag.objects.bulk_create(tags, batch_size=900)
    SafetyManager.objects.bulk_create(managers, batch_size=900)
