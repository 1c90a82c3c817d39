"""The ledger exports of a zone-year stream in constant memory (issue 3, item 15).

A small zone (one office, 4 grids, 200 enterprises, a zone admin) gets 5,000 hazards, then
20,000 (a zone-year is ~19,000). After each, the zone admin downloads the xlsx ledger and the
national JSON through the real views (django.test.Client, the response read chunk by chunk
and thrown away, as a server would send it), under tracemalloc. The figure is the peak of
Python allocations during the download; the check is that it does not grow with the rows:
peak(20,000) / peak(5,000) ≤ 1.5, where a build in memory would be ~4×.

tracemalloc sees Python's allocations, not lxml's C buffers or the temporary files on disk,
which is what "constant memory" is about: nothing per row is kept.
"""

from __future__ import annotations

import datetime
import random
import tracemalloc
from typing import Any

from bench.common import engine, note, report, stopwatch

SIZES = {"zone": (5_000, 20_000), "city": (20_000, 80_000), "province": (20_000, 80_000)}
BUDGET_GROWTH = 1.5
BUDGET_PEAK_MB = 40.0
# A zone-year downloaded while the person waits: issue 9's 2 s for 20,000 rows (the city-scale
# figure is bench/ledger_export_time.py's).
BUDGET_S = 2.0
NAMES = ["配电箱前堆放杂物", "消防通道堵塞", "灭火器过期未更换", "有限空间作业未审批",
         "除尘系统未设置泄爆装置", "叉车司机无证驾驶", "危化品仓库通风不良", "安全出口上锁"]  # fmt: skip
PLACES = ["一号车间", "二号车间", "仓库", "配电房", "食堂", "办公楼", "喷涂线", "宿舍"]


def _zone() -> tuple[Any, list[Any]]:
    from anjian.accounts.models import Role
    from anjian.regions.models import RegionLevel
    from anjian.test import make_enterprise, make_grid, make_region, make_user

    zone = make_region("基准开发区", RegionLevel.ZONE, code="90")
    office = make_region("基准办事处", RegionLevel.OFFICE, zone, code="01")
    village = make_region("基准村", RegionLevel.VILLAGE, office, code="001")
    grids = [make_grid(village, f"基准网格{i}", f"BG{i}") for i in range(4)]
    enterprises = [make_enterprise(grids[i % 4], f"基准企业{i:03d}有限公司") for i in range(200)]
    admin = make_user("bench-export-admin", Role.ZONE_ADMIN, region=zone)
    return admin, enterprises


def _add_hazards(enterprises: list[Any], count: int, admin: Any, rng: random.Random) -> None:
    """`count` hazards with the spread of a zone-year: most closed, some open and overdue."""
    from django.utils import timezone

    from anjian.hazards.models import Finder, Hazard, Status

    now = timezone.now()
    start = datetime.date(2025, 1, 1)
    batch = []
    for _ in range(count):
        e = enterprises[rng.randrange(len(enterprises))]
        found = start + datetime.timedelta(days=rng.randrange(365))
        closed = rng.random() < 0.9
        batch.append(
            Hazard(
                enterprise=e, grid_id=e.grid_id, village_id=e.village_id, office_id=e.office_id,
                zone_id=e.zone_id, name=rng.choice(NAMES), description=f"现场检查发现{rng.choice(NAMES)}，需限期整改。",
                location=rng.choice(PLACES), level="0", source=rng.choice(["1", "2", "11"]),
                rectify_type="1", hazard_type=str(rng.randint(1, 8)), management_class="2",
                basis="工贸企业重大事故隐患判定标准 第四条", finder=Finder.OFFICER,
                found_by=admin, found_on=found, liable_person="王工", measures="立即整改，加强管理",
                funds=rng.randint(0, 5000), deadline=found + datetime.timedelta(days=15),
                rectified_on=found + datetime.timedelta(days=10) if closed else None,
                status=Status.CLOSED if closed else Status.RECTIFYING,
                acceptor=admin if closed else None, accepted_at=now if closed else None,
                accept_comment="复查合格" if closed else "", closed_at=now if closed else None,
            )
        )  # fmt: skip
        if len(batch) == 2000:
            Hazard.objects.bulk_create(batch)
            batch = []
    Hazard.objects.bulk_create(batch)


def _download(client: Any, url: str, trace: bool) -> tuple[float, float, int]:
    """(peak MB of Python allocations when traced, seconds, bytes) for one download read to
    the end. Tracing slows allocation-heavy code several times, so time untraced runs."""
    if trace:
        tracemalloc.start()
        tracemalloc.reset_peak()
    with stopwatch() as t:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
    peak = 0
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak / 1e6, t[0], size


def run(scale: str = "zone") -> bool:
    from django.db import connection
    from django.test import Client, override_settings

    from anjian.hazards.models import Hazard

    small, big = SIZES[scale]
    rng = random.Random(11)
    admin, enterprises = _zone()
    # The downloads themselves are measured: larger exports would otherwise go to the job
    # queue (HAZARD_EXPORT_BACKGROUND_ROWS), which writes the workbook the same way.
    direct = override_settings(HAZARD_EXPORT_BACKGROUND_ROWS=10 * big)
    direct.enable()
    client = Client()
    client.force_login(admin)
    exports: dict[str, str] = {
        "xlsx ledger": "/hazards/exports/ledger.xlsx",
        "national JSON": "/hazards/exports/ledger.json",
    }
    peaks: dict[str, dict[int, float]] = {name: {} for name in exports}
    seconds: dict[str, dict[int, float]] = {name: {} for name in exports}
    for rows in (small, big):
        with stopwatch() as t:
            _add_hazards(enterprises, rows - Hazard.objects.count(), admin, rng)
            if connection.vendor == "sqlite":
                connection.cursor().execute("ANALYZE")
        note(f"{rows:,} hazards loaded in {t[0]:.1f} s")
        _download(client, exports["xlsx ledger"], trace=False)  # warm up imports and caches
        for name, url in exports.items():
            _peak, seconds[name][rows], size = _download(client, url, trace=False)
            peaks[name][rows], _seconds, _size = _download(client, url, trace=True)
            note(
                f"{name}, {rows:,} rows: {seconds[name][rows]:.1f} s, {size / 1e6:.1f} MB; "
                f"peak {peaks[name][rows]:.1f} MB traced"
            )
    ok = True
    for name in exports:
        ok &= report(
            f"{name} export of {big:,} rows ({engine()})", seconds[name][big], BUDGET_S, "s"
        )
        ok &= report("  peak memory (tracemalloc)", peaks[name][big], BUDGET_PEAK_MB, "MB")
        ok &= report(
            f"  constant memory: peak at {big:,} / peak at {small:,} rows",
            peaks[name][big] / peaks[name][small],
            BUDGET_GROWTH,
            "×",
            f"{big // small}× the rows",
            fmt=".2f",
        )
    return ok
