import os

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


@pytest.fixture(autouse=True, scope="session")
def _jobs_run_in_the_request() -> None:
    """Jobs run inside the request that submits them, on huey's in-memory store, so tests see
    their outcome at once. anjian/jobs/tests also runs a real worker against a queue file."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
