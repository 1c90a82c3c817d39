"""Job kinds used by the job tests: real handlers, registered like any other."""

from __future__ import annotations

import threading
from typing import Any

from anjian.jobs.models import Job
from anjian.jobs.registry import Progress, handler
from anjian.regions.models import Region

# The slow handler waits on these so a test can look at a job while it runs.
REACHED_HALF = threading.Event()
MAY_FINISH = threading.Event()


@handler("test.count", label="计数")
def count(job: Job, progress: Progress) -> dict[str, Any]:
    total = int(job.params["n"])
    for i in range(1, total + 1):
        progress(i, total, f"row {i}")
    return {"counted": total, "regions": Region.objects.count()}


@handler("test.fail")
def fail(job: Job, progress: Progress) -> dict[str, Any]:
    progress(3, 10)
    raise ValueError("第 4 行无法读取")


@handler("test.slow")
def slow(job: Job, progress: Progress) -> dict[str, Any]:
    progress(5, 10, "half way")
    REACHED_HALF.set()
    if not MAY_FINISH.wait(timeout=20):
        raise TimeoutError("the test never let the job finish")
    progress(10, 10)
    return {"ok": True}
