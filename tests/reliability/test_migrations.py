"""Migrations are reversible: migrate the project's apps to zero and back, with the real data
loaded, in a separate throwaway database (never the session's test database).

On PostgreSQL (marked `postgres`) the database is created on the server the suite runs
against; the same walk also runs on a temporary SQLite file.
"""

import os
import uuid

import pytest
from django.conf import settings

from .support import clean_env, manage

pytestmark = pytest.mark.slow

# Unapply in reverse dependency order: agreements depends on instruments.
APPS = ["agreements", "instruments"]


def walk_to_zero_and_back(env):
    manage("migrate", "--noinput", "-v0", env=env)
    manage("load_kb", "-v0", env=env)
    for app in APPS:
        manage("migrate", app, "zero", "--noinput", "-v0", env=env)
    shown = manage("showmigrations", *APPS, env=env).stdout
    assert "[X]" not in shown, shown
    assert "[ ]" in shown
    manage("migrate", "--noinput", "-v0", env=env)
    shown = manage("showmigrations", *APPS, env=env).stdout
    assert "[ ]" not in shown, shown
    # The schema is whole again: the data loads and validates.
    out = manage("load_kb", "-v1", env=env).stdout
    assert "Knowledge base loaded" in out
    assert manage("makemigrations", "--check", "--dry-run", *APPS, env=env, check=False).returncode == 0


def test_migrations_reverse_to_zero_and_back_on_sqlite(tmp_path):
    env = clean_env(DJANGO_SECRET_KEY="migration-test-" + "x" * 50,
                    DATABASE_URL=f"sqlite:///{tmp_path / 'migrations.sqlite3'}")
    walk_to_zero_and_back(env)


@pytest.mark.postgres
def test_migrations_reverse_to_zero_and_back_on_postgresql(django_db_blocker):
    import psycopg2
    from psycopg2 import sql

    server = settings.DATABASES["default"]
    name = f"kz_migrations_{uuid.uuid4().hex[:10]}"
    params = {"host": server["HOST"] or None, "port": server["PORT"] or None, "user": server["USER"] or None,
              "password": server["PASSWORD"] or None, "dbname": "postgres"}
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
