"""Tests against the real production servers (scripts/test_prod.sh starts them).

Collected only with PROD_TESTS=1: `make test` runs `pytest tests` without it,
then scripts/test_prod.sh runs `PROD_TESTS=1 pytest tests/prod` with the
servers up and the environment of `scripts/run_prod.sh env`.
"""
import os

import pytest

collect_ignore_glob = [] if os.environ.get("PROD_TESTS") == "1" else ["test_*.py"]


@pytest.fixture(scope="session")
def prod():
    from tests.prod import util

    env = util.Prod.from_env()
    env.wait_ready()
    return env
