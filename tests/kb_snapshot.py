"""The loaded knowledge base, kept as a copy: each xdist worker (and each later run) restores it
instead of running load_kb again (about 13 s a worker on two cores).

A copy is valid for one key: a hash of every file under fixtures/, of every Python file of
the project outside tests/ (the models, their migrations, load_kb and what it calls), of
Django's version and of the database's vendor, and the day (UTC), so that the load's own
timestamps (history rows) are never of an earlier day than a fresh load's. Any edit to the
data, a model, a migration or the loader makes a new key, and the first worker to need it
runs load_kb once and saves the copy; the others wait for it (a file lock) and restore it.

- SQLite: the copy is a database file (var/test-kb/<key>.sqlite3), written and restored with
  SQLite's online backup, page for page; the browser tests' server and the two-instances
  test copy the same file instead of migrating and loading a database of their own.
- PostgreSQL: the copy is a template database on the test server (`<test db name>_kb_<key>`);
  each worker's test database is dropped and created again from it (CREATE DATABASE …
  TEMPLATE, a file-level copy). Templates of other keys are dropped.

What load_kb does beside its writes — one bump of the data version on commit
(datafiles/sync.py) — is done after a restore too.
"""

import datetime
import fcntl
import functools
import hashlib
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIRECTORY = ROOT / "var" / "test-kb"
# Not what load_kb reads or runs: the tests, documentation, benchmarks, tools, built files.
SKIPPED = {"tests", "docs", "bench", "tools", "var", "node_modules", "staticfiles", "static", "locale", "templates"}


@functools.cache
def key(vendor):
    """This process's key (the day in it is read once: a run across midnight stays consistent)."""
    import django

    digest = hashlib.sha256(f"{vendor} {django.get_version()} {datetime.datetime.now(datetime.UTC).date()}".encode())
    files = sorted(p for p in (ROOT / "fixtures").rglob("*") if p.is_file())
    for top in sorted(ROOT.iterdir()):
        if top.is_dir() and not top.is_symlink() and top.name not in SKIPPED and not top.name.startswith("."):
            files += sorted(top.rglob("*.py"))
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@contextmanager
def locked():
    """One worker at a time, across the workers of a run and across runs on this machine."""
    DIRECTORY.mkdir(parents=True, exist_ok=True)
    with open(DIRECTORY / "lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def available(connection):
    """Whether a copy of this key exists (then the test database need not be migrated: the
    copy replaces all of it, its schema and its django_migrations rows included)."""
    if connection.vendor == "sqlite":
        return (DIRECTORY / f"{key('sqlite')}.sqlite3").exists()
    if connection.vendor == "postgresql":
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [_template(connection)])
            return cursor.fetchone() is not None
    return False


def _template(connection):
    return _template_prefix(connection) + key("postgresql")


def _template_prefix(connection):
    # The worker's test database name (…_gw0) less the worker; the template is shared.
    return re.sub(r"_gw\d+$", "", connection.creation._get_test_db_name())[:40] + "_kb_"


def load_or_restore(connection, load):
    """Fill the (migrated, empty) test database: restore the copy of this key, or `load()` and
    save a copy. Returns the SQLite copy's path (None on PostgreSQL)."""
    from core.versioning import bump_data_version

    with locked():
        if connection.vendor == "sqlite":
            path, restored = _sqlite(connection, load, key("sqlite"))
        elif connection.vendor == "postgresql":
            path, restored = None, _postgresql(connection, load, key("postgresql"))
        else:
            load()
            return None
    if restored:
        bump_data_version()
    return path


def _sqlite(connection, load, name):
    import sqlite3

    path = DIRECTORY / f"{name}.sqlite3"
    connection.ensure_connection()
    if path.exists():
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return path, True
    load()
    partial = path.with_suffix(f".{os.getpid()}.partial")
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    for old in DIRECTORY.glob("*.sqlite3"):  # copies of other keys, unless another run may still read one
        if old.stat().st_mtime < time.time() - 86400:
            old.unlink(missing_ok=True)
    os.replace(partial, path)
    return path, False


def _postgresql(connection, load, name):
    from django.db import DatabaseError

    own = connection.settings_dict["NAME"]
    prefix = _template_prefix(connection)
    template = prefix + name
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix.replace("_", r"\_") + "%"])
        templates = {row[0] for row in cursor.fetchall()}
    if template in templates:
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE {quote(own)}")
            cursor.execute(f"CREATE DATABASE {quote(own)} TEMPLATE {quote(template)}")
        return True
    load()
    connection.close()  # CREATE DATABASE … TEMPLATE needs no session on the source
    with connection._nodb_cursor() as cursor:
        for old in templates:
            try:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(old)}")
            except DatabaseError:  # in use by another run: it drops it itself later
                pass
        cursor.execute(f"CREATE DATABASE {quote(template)} TEMPLATE {quote(own)}")
    return False
