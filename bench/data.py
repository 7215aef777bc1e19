"""The benchmark databases: created and loaded with the real knowledge base, filled with
synthetic data, counted (rows, size, SQL queries per request), dropped."""

import json
import sqlite3
import sys
import time
import urllib.parse

from bench.config import OUT, PG_URL, SEED, log
from bench.processes import project_env, run


def sqlite_url():
    return f"sqlite:///{OUT / 'kzbench.sqlite3'}"


def prepare_database(vendor):
    """Create the benchmark database from scratch: migrate and load the real knowledge base."""
    if vendor == "sqlite":
        path = OUT / "kzbench.sqlite3"
        if path.exists():
            path.unlink()
        url = sqlite_url()
    else:
        url = PG_URL
        admin_url = urllib.parse.urlsplit(PG_URL)._replace(path="/postgres").geturl()
        name = urllib.parse.urlsplit(PG_URL).path.lstrip("/")
        run(
            [
                "psql",
                "-X",
                "-q",
                admin_url,
                "-c",
                f'DROP DATABASE IF EXISTS "{name}"',
                "-c",
                f'CREATE DATABASE "{name}"',
            ],
            capture=True,
        )
    extra = {**project_env(url, cached=False)}
    log(f"{vendor}: migrate and load the real knowledge base")
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], extra)
    started = time.monotonic()
    loaded = run([sys.executable, "manage.py", "load_kb", "-v0"], extra, check=False, capture=True)
    seconds = time.monotonic() - started  # Django's start-up included, as a user runs it
    if loaded.returncode != 0:
        log(f"{vendor}: load_kb failed, continuing with synthetic data only: {loaded.stderr[-300:]}")
        seconds = None
    return url, seconds


def validate_files(total=10000):
    """Target 6: check_data over `total` record files (bench/validate_files.py)."""
    env = project_env(sqlite_url(), cached=False)  # settings to start Django; no database is touched
    result = run([sys.executable, "bench/validate_files.py", str(total)], env, capture=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def drop_postgres():
    admin_url = urllib.parse.urlsplit(PG_URL)._replace(path="/postgres").geturl()
    name = urllib.parse.urlsplit(PG_URL).path.lstrip("/")
    run(["psql", "-X", "-q", admin_url, "-c", f'DROP DATABASE IF EXISTS "{name}"'], check=False, capture=True)


def generate(vendor, url, size):
    agreements = size // 5  # size 0: the real knowledge base alone
    started = time.monotonic()
    run(
        [
            sys.executable,
            "manage.py",
            "gen_synthetic",
            "--clear",
            "--instruments",
            str(size),
            "--agreements",
            str(agreements),
            "--seed",
            str(SEED),
            "-v0",
        ],
        project_env(url, cached=False),
    )
    if vendor == "postgresql":
        run(["psql", "-X", "-q", PG_URL, "-c", "VACUUM ANALYZE"], capture=True)
    else:
        connection = sqlite3.connect(OUT / "kzbench.sqlite3")
        connection.execute("ANALYZE")
        connection.close()
    seconds = time.monotonic() - started
    log(f"{vendor}: {size:,} instruments and {agreements:,} agreements generated in {seconds:.0f} s")
    return seconds


def data_counts(url):
    script = (
        "import json;"
        "from instruments.models import Instrument, Relationship;"
        "from sources.models import Provenance;"
        "from agreements.models import Agreement, Party;"
        "from django.db import connection;"
        "c = {'instruments': Instrument.objects.count(),"
        "'synthetic_instruments': Instrument.objects.filter(is_synthetic=True).count(),"
        "'agreements': Agreement.objects.count(), 'parties': Party.objects.count(),"
        "'relationships': Relationship.objects.count(), 'provenance': Provenance.objects.count(),"
        "'subject_links': Instrument.subjects.through.objects.count()};"
        "cur = connection.cursor();"
        "cur.execute('select pg_database_size(current_database())') if connection.vendor == 'postgresql' else None;"
        "c['database_bytes'] = cur.fetchone()[0] if connection.vendor == 'postgresql' else None;"
        "print('COUNTS', json.dumps(c))"
    )
    result = run([sys.executable, "manage.py", "shell", "-c", script], project_env(url, cached=False), capture=True)
    counts = json.loads(result.stdout.split("COUNTS", 1)[1])
    if counts["database_bytes"] is None:
        counts["database_bytes"] = (OUT / "kzbench.sqlite3").stat().st_size
    return counts


def query_counts(url, paths):
    result = run([sys.executable, "bench/count_queries.py", *paths], project_env(url, cached=False), capture=True)
    return json.loads(result.stdout.strip().splitlines()[-1])
