"""Programs run in worker processes (app/workers.py): start the pool once, before any timed test."""

import pytest

from app import workers


@pytest.fixture(scope="session", autouse=True)
def worker_pool():
    pool = workers.get_pool()
    yield pool
    workers.close_pool()
