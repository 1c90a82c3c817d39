"""POST /api/v1/visits: a grid worker submits a patrol with 3 hazards, p95 ≤ 100 ms on SQLite
(issue 3, item 15).

On the zone demo with its year of activity (kept under var/bench/, see common.cached_seed),
the demo grid worker submits patrols of enterprises in their grid, as the field page does:
the checklist answered (the general list, when one is published), three hazards (two with a
deadline, one fixed on the spot with its after-photo), photos uploaded beforehand (the page
uploads each photo as it is taken, before the submit). Every submit has new client UUIDs;
a retry of the same submit (which must return the first visit) is timed apart.
"""

from __future__ import annotations

import datetime
import time
import uuid
from typing import Any

from bench.common import cached_seed, engine, note, p95, report

BUDGET_MS = 100.0
URL = "/api/v1/visits"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048


def _photos(user: Any, n: int) -> list[int]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anjian.evidence.services import save_photo

    return [
        save_photo(
            SimpleUploadedFile("p.png", PNG, content_type="image/png"),
            by=user,
            client_uuid=uuid.uuid4(),
        )[0].pk
        for _ in range(n)
    ]


def _checklist() -> tuple[int | None, list[int]]:
    """The published checklist for every enterprise with the most general items."""
    from anjian.checklists.models import ChecklistVersion, Determination

    best: tuple[int | None, list[int]] = (None, [])
    for version in ChecklistVersion.objects.published().prefetch_related("items", "checklist"):
        if version.checklist.sectors or version.checklist.tags:
            continue
        items = [i for i in version.items.all() if not i.tags]
        general = [i for i in items if i.determination == Determination.GENERAL]
        if len(general) > len(best[1]) and 2 * len(general) > len(items):
            best = (version.pk, [i.pk for i in items])
    return best


def _payload(enterprise_id: int, photos: list[int], version: int | None, items: list[int]) -> Any:
    from django.utils import timezone

    now = timezone.now()
    deadline = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    hazards = [
        {"name": "消防通道堆放杂物", "deadline": deadline, "before_photos": [photos[0]]},
        {"name": "配电箱未上锁", "deadline": deadline, "before_photos": [photos[1]]},
        {
            "name": "灭火器被遮挡",
            "rectify_type": "0",
            "before_photos": [photos[2]],
            "after_photos": [photos[3]],
        },
    ]
    return {
        "client_uuid": str(uuid.uuid4()),
        "kind": "patrol",
        "enterprise": enterprise_id,
        "outcome": "inspected",
        "started_at": (now - datetime.timedelta(minutes=40)).isoformat(),
        "ended_at": now.isoformat(),
        "latitude": "31.230000",
        "longitude": "120.510000",
        "checklist_version": version,
        "answers": [{"item": item, "result": "compliant"} for item in items],
        "hazards": [{**h, "client_uuid": str(uuid.uuid4())} for h in hazards],
    }


def run(scale: str = "zone", requests: int = 120) -> bool:
    from django.test import Client

    from anjian.accounts.models import User
    from anjian.enterprises.models import Enterprise

    seconds, how = cached_seed(scale)
    note(f"{scale}: {how}" + (f" in {seconds:.0f} s" if seconds is not None else ""))
    worker = User.objects.get(username="demo-grid")
    enterprises = list(
        Enterprise.objects.visible_to(worker).operating().values_list("id", flat=True)
    )
    photos = _photos(worker, 4)
    version, items = _checklist()
    client = Client()
    client.force_login(worker)

    def post(payload: Any) -> float:
        started = time.perf_counter()
        response = client.post(URL, payload, content_type="application/json")
        ms = (time.perf_counter() - started) * 1000
        if response.status_code not in (200, 201):
            raise RuntimeError(f"{response.status_code} {response.content[:300]!r}")
        return ms

    for n in range(10):  # warm up
        post(_payload(enterprises[n % len(enterprises)], photos, version, items))
    first, retry = [], []
    for n in range(requests):
        payload = _payload(enterprises[n % len(enterprises)], photos, version, items)
        first.append(post(payload))
        retry.append(post(payload))
    note(
        f"{len(enterprises)} enterprises in the demo grid worker's grids; "
        f"{len(items)} checklist answers a submit" + ("" if version else " (no checklist)")
    )
    where = f"{scale}, {engine()}, 3 hazards, {requests} submits"
    ok = report(f"POST {URL} patrol p95 ({where})", p95(first), BUDGET_MS, "ms",
                "" if engine() == "sqlite" else "the budget is set for SQLite")  # fmt: skip
    report("  the same submit retried (answers the first visit) p95", p95(retry), None, "ms")
    return ok
