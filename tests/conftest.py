"""Shared fixtures: the real knowledge base, loaded once per test database, and the production
settings as the environment makes them."""

import os
import runpy
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command

SETTINGS_FILE = Path(__file__).resolve().parents[1] / "kzmigration" / "settings" / "base.py"

# Playwright's sync API keeps an event loop running; Django would refuse ORM calls in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, django_db_blocker):
    """With a copy of the loaded knowledge base at hand (tests/kb_snapshot.py), the test
    database is made without migrations (Django's TEST MIGRATE False, for its creation only):
    django_db_setup then replaces all of it with the copy, which was migrated."""
    from django.conf import settings
    from django.db import connection

    from tests import kb_snapshot

    with django_db_blocker.unblock():
        if kb_snapshot.available(connection):
            settings.DATABASES["default"]["TEST"]["MIGRATE"] = False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real data once; each test runs in a transaction rolled back afterwards.

    The first worker to need it runs load_kb and keeps a copy; the others, and later runs with
    the same data files and code, restore the copy (tests/kb_snapshot.py)."""
    from django.db import connection

    from tests import kb_snapshot

    def load():
        # A database made without migrations is only ever replaced by a copy, never loaded.
        assert connection.settings_dict["TEST"].get("MIGRATE", True), "the knowledge base's copy went missing"
        call_command("load_kb", verbosity=0)

    with django_db_blocker.unblock():
        path = kb_snapshot.load_or_restore(connection, load)
    connection.settings_dict["TEST"]["MIGRATE"] = True
    return path


@pytest.fixture(scope="session")
def kb_sqlite_copy(django_db_setup):
    """`kb_sqlite_copy(path)`: a database file at `path` holding what the session's test
    database held after django_db_setup (migrated, the real data loaded); SQLite only."""
    import shutil

    def copy(path):
        assert django_db_setup is not None, "the knowledge base's SQLite copy exists on SQLite only"
        shutil.copyfile(django_db_setup, path)
        return path

    return copy


@pytest.fixture(scope="session")
def module_transaction(django_db_setup, django_db_blocker):
    """`with module_transaction():` in a module-scoped fixture: a transaction around the tests
    of the module, rolled back after its last test.

    For data that a module's tests only read and that costs seconds to make (gen_synthetic):
    the fixture writes it once inside this transaction (under `django_db_blocker.unblock()`),
    and each test of the module sees it. Nothing is ever committed, so no other
    module (nor the browser tests' server) sees it. Each test still runs in its own savepoint
    inside it (pytest-django's `db`): what one test writes, or deletes, is rolled back before
    the next test starts. Its tests need `db` (or `kb`), not `transactional_db`.
    """
    from django.db import transaction

    @contextmanager
    def around_the_module():
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
        try:
            yield
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    return around_the_module


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_default_language():
    """LocaleMiddleware activates a request's language in the thread and leaves it active: after
    a test client's /kk/ request, a later test's direct call (build_matrix, a label) would speak
    Kazakh."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


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


@pytest.fixture
def cached(settings, kb):
    """The response cache on (the test settings turn it off), empty before and after the test."""
    from django.core.cache import caches

    settings.KB_RESPONSE_CACHE_SECONDS = 600
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def kept_counts(settings, kb):
    """What core/counts.py keeps per data version and day kept (the test settings count every
    time), in a default cache empty before and after the test."""
    from django.core.cache import caches

    settings.KB_COUNT_CACHE_SECONDS = 600
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def api(client):
    """The test client, as the API's clients reach it: absolute URLs in answers start http://127.0.0.1/."""
    client.defaults["HTTP_HOST"] = "127.0.0.1"
    return client


@pytest.fixture
def pinned_today(settings):
    """Statuses "today" computed for tests.recorded.TODAY, the day the expected answers are for."""
    from tests.recorded import TODAY

    settings.KB_TODAY = TODAY
    return TODAY


@pytest.fixture
def production_settings(monkeypatch):
    """`production_settings(DJANGO_DEBUG="1", …)`: the module kzmigration.settings.base as it
    reads that environment (and no other DJANGO_*, DATABASE_URL or REDIS_URL), as a dict.

    The file runs in this process, as Django would import it; a test of what Django does at
    start-up with those settings (check --deploy, refusing to start) needs a process of its own.
    """

    def read(**env):
        for name in list(os.environ):
            if name.startswith("DJANGO_") or name in {"DATABASE_URL", "REDIS_URL"}:
                monkeypatch.delenv(name)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return read


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL; on SQLite they skip with a reason CI can see."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://…)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
