"""Shared fixtures: the real knowledge base, loaded once per test database."""

import os

import pytest
from django.core.management import call_command

# Playwright's sync API keeps an event loop running; Django would refuse ORM calls in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real data once; each test runs in a transaction rolled back afterwards."""
    with django_db_blocker.unblock():
        call_command("load_kb", verbosity=0)


@pytest.fixture(autouse=True)
def _content_type_cache_follows_rollbacks():
    """A test that flushes and re-creates content types inside its transaction leaves their
    new ids in ContentType's process-wide cache after the rollback; forget them."""
    yield
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture
def warm_caches(db):
    """What a running server has cached after its first request (content types, which the
    tests above forget after each test), so query budgets count what every request costs."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture
def kb(db):
    """The knowledge base with the real data (loaded in django_db_setup)."""
    return db


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL; on SQLite they skip with a reason CI can see."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://…)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
