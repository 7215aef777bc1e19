"""Migrations are reversible: migrate the project's apps to zero and back, with the real data
loaded, in a separate throwaway database (never the session's test database).

On PostgreSQL (marked `postgres`) the database is created on the server the suite runs
against; in the SQLite pass the same walk runs on a temporary SQLite file.
"""

import os
import uuid

import pytest
from django.conf import settings

from .support import clean_env

pytestmark = pytest.mark.slow

# One fresh process per database (never the session's test database): migrate, load the real
# data, unapply the project's apps (highest layer first: each depends only on those after it),
# check nothing of them is left applied, migrate forward again and load the data again.
WALK = """
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

APPS = ["datafiles", "errata", "agreements", "instruments", "subjects", "countries", "sources"]

def applied():
    return {app: sorted(n for a, n in MigrationRecorder(connection).applied_migrations() if a == app) for app in APPS}

call_command("migrate", interactive=False, verbosity=0)
call_command("load_kb", verbosity=0)
full = applied()
assert all(full.values()), full
for app in APPS:
    call_command("migrate", app, "zero", interactive=False, verbosity=0)
assert applied() == {app: [] for app in APPS}, applied()
tables = set(connection.introspection.table_names())
assert not any(t.startswith(tuple(f"{app}_" for app in APPS)) for t in tables), sorted(tables)
call_command("migrate", interactive=False, verbosity=0)
assert applied() == full, (applied(), full)
call_command("load_kb", verbosity=1)
call_command("makemigrations", *APPS, check=True, dry_run=True, verbosity=0)
print("walk complete")
"""


def walk_to_zero_and_back(env):
    import subprocess

    from .support import PYTHON, ROOT

    result = subprocess.run(
        [PYTHON, "-c", WALK],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**env, "DJANGO_SETTINGS_MODULE": "kzmigration.settings.base"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Knowledge base loaded" in result.stdout
    assert "walk complete" in result.stdout


def test_migrations_reverse_to_zero_and_back_on_sqlite(tmp_path):
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("this pass walks the migrations on its own database server instead (test below)")
    env = clean_env(
        DJANGO_SECRET_KEY="migration-test-" + "x" * 50, DATABASE_URL=f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    )
    walk_to_zero_and_back(env)


@pytest.mark.postgres
def test_migrations_reverse_to_zero_and_back_on_postgresql(django_db_blocker):
    import psycopg2
    from psycopg2 import sql

    server = settings.DATABASES["default"]
    name = f"kz_migrations_{uuid.uuid4().hex[:10]}"
    params = {
        "host": server["HOST"] or None,
        "port": server["PORT"] or None,
        "user": server["USER"] or None,
        "password": server["PASSWORD"] or None,
        "dbname": "postgres",
    }
    admin = psycopg2.connect(**{k: v for k, v in params.items() if v is not None})
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        user = server["USER"] or os.environ.get("USER", "postgres")
        auth = f"{user}:{server['PASSWORD']}@" if server["PASSWORD"] else f"{user}@"
        url = f"postgres://{auth}{server['HOST'] or '127.0.0.1'}:{server['PORT'] or 5432}/{name}"
        walk_to_zero_and_back(clean_env(DJANGO_SECRET_KEY="migration-test-" + "x" * 50, DATABASE_URL=url))
    finally:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()
