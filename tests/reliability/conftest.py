"""Fixtures for the reliability tests; the helpers are in support.py."""

import pytest

from .support import ThrowawayPostgres, require_postgres_binaries


@pytest.fixture(scope="module")
def throwaway_pg():
    server = ThrowawayPostgres(require_postgres_binaries())
    try:
        yield server.init()
    finally:
        server.destroy()
