import os

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


@pytest.fixture(autouse=True, scope="session")
def _jobs_run_in_the_request() -> None:
    """Jobs run inside the request that submits them, on huey's in-memory store, so tests see
    their outcome at once. anjian/jobs/tests also runs a real worker against a queue file."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True


@pytest.fixture(autouse=True)
def _each_test_counts_afresh() -> None:
    """Every test starts with nothing in the cache, so what it counts (statements, answers)
    does not hang on which tests ran before it. (A kept answer could not be wrong for it:
    statistics.versions keys each by the versions of its tables, and those are random.)"""
    from django.core.cache import cache

    cache.clear()
