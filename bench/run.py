"""make bench: throughput and latency of kzmigration against Datasette and the framework ceiling.

For each size (instruments; agreements are a fifth of that) and each database (SQLite,
PostgreSQL), the same synthetic data is generated with the same seed on top of the real
knowledge base; the project is served by gunicorn (2 workers, 127.0.0.1:8101) and driven by
wrk, first with response caching off (every request does the full work), then on. In the
same run, Datasette 0.65 serves the same rows exported to SQLite (127.0.0.1:8102; default
settings, then suggest_facets off), and a minimal Django view returns a precomputed JSON
body under the same gunicorn settings (the framework ceiling, 127.0.0.1:8103). SQL queries
per request are counted with Django's test client. Results go to var/bench/results.json;
bench/report.py turns them into docs/performance.md and prints the ratio table.

Environment:
  BENCH_SIZES=0,1000,10000,100000 synthetic instruments on top of the real ones (0: the real
                                  knowledge base alone, 117 instruments; about 10×, 100× and 100,000)
  BENCH_DATABASES=postgresql,sqlite
  BENCH_DURATION=5s               wrk -d per measurement (plus a 1 s warm-up)
  BENCH_CACHED_DURATION=3s        wrk -d for the cached measurements
  BENCH_CONNECTIONS=4             wrk -c (2 workers, so up to 2 requests queue per worker)
  BENCH_MAX_MINUTES=25            stop starting new measurements past this; what was skipped is recorded
  BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/kzbench  (created and dropped by the run)
  BENCH_REDIS_URL=                serve the PostgreSQL runs with Redis as cache (make bench sets
                                  redis://127.0.0.1:6379/7 when Redis answers; SQLite runs, the
                                  embedded default, keep the local-memory cache)
"""

import datetime
import os
import shutil
import sys
import time
import urllib.request
from pathlib import Path

# Run as a script (make bench): import the bench package from the project root, not this folder.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.config import (  # noqa: E402
    CACHED_DURATION,
    CONNECTIONS,
    COUNTRY,
    DATABASES,
    DURATION,
    HOST,
    IN_FORCE_ON,
    MAX_MINUTES,
    OUT,
    PAGE_SIZE,
    PORT_CEILING,
    PORT_DATASETTE,
    PORT_OURS,
    REAL_DEEP_AFTER,
    REAL_DETAIL,
    REDIS_URL,
    SEARCH_WORD,
    SEED,
    SIZES,
    STARTED,
    SUBJECT,
    WORKERS,
    log,
    over_time,
)
from bench.data import data_counts, drop_postgres, generate, prepare_database, query_counts, validate_files  # noqa: E402
from bench.endpoints import endpoints  # noqa: E402
from bench.machine import machine  # noqa: E402
from bench.measure import fetch_count, measure, reported_count, response_shape, save  # noqa: E402
from bench.processes import datasette, gunicorn, project_env, run  # noqa: E402


def bench_size(results, vendor, url, size, datasette_done):
    record_base = {"database": vendor, "size": size}
    results["generation_seconds"].setdefault(vendor, {})[str(size)] = generate(vendor, url, size)
    results["data"].setdefault(vendor, {})[str(size)] = data_counts(url)
    detail_id = f"syn-{size // 2:06d}" if size else REAL_DETAIL
    deep_id = f"syn-{size * 4 // 5:06d}" if size else REAL_DEEP_AFTER
    eps = endpoints(detail_id, deep_id, SUBJECT)
    results["queries"].setdefault(vendor, {})[str(size)] = {
        name: counts for (name, _path, _ds), counts in zip(eps, query_counts(url, [p for _n, p, _d in eps]).values())
    }
    base = f"http://{HOST}:{PORT_OURS}"

    with gunicorn("kzmigration.wsgi:application", PORT_OURS, project_env(url, cached=False), "/healthz"):
        shapes = results["shapes"].setdefault(vendor, {}).setdefault(str(size), {})
        for position, (name, path, ds_path) in enumerate(eps):
            shape = shapes[name] = response_shape(base + path)
            if ds_path:  # what Datasette must match: our count for the same question
                results["equivalence"].setdefault(str(size), {}).setdefault(name, {})[vendor] = reported_count(shape)
            measure(
                results, {**record_base, "target": "kzmigration", "endpoint": name}, base + path, first=position == 0
            )
        body_file = OUT / "ceiling-body.json"
        with urllib.request.urlopen(base + eps[0][1], timeout=60) as response:
            body_file.write_bytes(response.read())
    with gunicorn("kzmigration.wsgi:application", PORT_OURS, project_env(url, cached=True), "/healthz"):
        for position, (name, path, _ds) in enumerate(eps):
            measure(
                results,
                {**record_base, "target": "kzmigration cached", "endpoint": name},
                base + path,
                CACHED_DURATION,
                first=position == 0,
            )
    with gunicorn(
        "bench.ceiling.wsgi:application",
        PORT_CEILING,
        {"CEILING_BODY_FILE": str(body_file), "DJANGO_SETTINGS_MODULE": "bench.ceiling.settings"},
        "/ceiling",
    ):
        measure(
            results,
            {**record_base, "target": "ceiling", "endpoint": "precomputed_json"},
            f"http://{HOST}:{PORT_CEILING}/ceiling",
            first=True,
        )

    if size not in datasette_done and not over_time():
        export_dir = OUT / f"datasette-{size}"
        export_dir.mkdir(parents=True, exist_ok=True)
        db_file = export_dir / "bench.db"
        run([sys.executable, "bench/export_datasette.py", str(db_file)], project_env(url, cached=False))
        for suggest, label in ((True, "datasette default"), (False, "datasette facets off")):
            with datasette(db_file, suggest):
                if suggest:
                    for name, _path, ds_path in eps:
                        if ds_path:
                            results["equivalence"].setdefault(str(size), {}).setdefault(name, {})["datasette"] = (
                                fetch_count(f"http://{HOST}:{PORT_DATASETTE}{ds_path}", "filtered_table_rows_count")
                            )
                for position, (name, _path, ds_path) in enumerate(eps):
                    if ds_path:
                        measure(
                            results,
                            {"database": "sqlite export", "size": size, "target": label, "endpoint": name},
                            f"http://{HOST}:{PORT_DATASETTE}{ds_path}",
                            first=position == 0,
                        )
        datasette_done.add(size)


def estimated_minutes(results, size):
    """Minutes one (size, database) step may take: its data generation as measured for this
    size on the other database (else 3 s per 1,000 instruments), plus the measurements."""
    known = [seconds[str(size)] for seconds in results["generation_seconds"].values() if str(size) in seconds]
    generation = max(known) if known else 3 * size / 1000
    return (generation + 150) / 60


def plan(sizes, vendors):
    """(size, database) in the order that secures the issue's targets first if time runs out:
    PostgreSQL at the largest size, then every database at the smallest, then the rest,
    the largest SQLite run last (it is the slowest to prepare)."""
    sizes = sorted(sizes)
    order = []
    if sizes and "postgresql" in vendors:
        order.append((sizes[-1], "postgresql"))
    for size in sizes:
        for vendor in vendors:
            if (size, vendor) not in order:
                order.append((size, vendor))
    return order


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (make bench installs it: apt-get install wrk)")
    shutil.rmtree(OUT / "data-version", ignore_errors=True)  # a fresh data version for the run
    results = {
        "started_utc": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "config": {
            "sizes": SIZES,
            "databases": DATABASES,
            "duration": DURATION,
            "cached_duration": CACHED_DURATION,
            "connections": CONNECTIONS,
            "wrk_threads": 1,
            "gunicorn_workers": WORKERS,
            "seed": SEED,
            "agreements_per_instrument": 0.2,
            "in_force_on": str(IN_FORCE_ON),
            "search_word": SEARCH_WORD,
            "country": COUNTRY,
            "page_size": PAGE_SIZE,
            "cache": "Redis for the PostgreSQL runs, local memory for SQLite" if REDIS_URL else "local memory",
            "max_minutes": MAX_MINUTES,
        },
        "machine": machine(),
        "runs": [],
        "skipped": [],
        "data": {},
        "queries": {},
        "generation_seconds": {},
        "notes": [],
        "equivalence": {},
        "shapes": {},
        "load_kb_seconds": {},
    }
    save(results)
    urls = {}
    for vendor in DATABASES:
        try:
            urls[vendor], results["load_kb_seconds"][vendor] = prepare_database(vendor)
        except Exception as exc:
            results["notes"].append(f"{vendor}: not measured, the database could not be prepared: {exc}")
            log(f"{vendor}: cannot prepare the database: {exc}")
    log("validate 10,000 record files (check_data)")
    results["validation"] = validate_files()
    log(f"validated {results['validation']['record_files']:,} files in {results['validation']['seconds']} s")
    datasette_done = set()
    try:
        for size, vendor in plan(SIZES, [v for v in DATABASES if v in urls]):
            estimate = estimated_minutes(results, size)
            if over_time() or (time.monotonic() - STARTED) / 60 + estimate > MAX_MINUTES:
                results["skipped"].append(
                    {
                        "database": vendor,
                        "size": size,
                        "target": "all",
                        "endpoint": "all",
                        "reason": f"would end past the time budget of {MAX_MINUTES:g} min "
                        f"(about {estimate:.0f} min needed)",
                    }
                )
                log(f"{vendor} {size}: skipped (time budget)")
                continue
            log(f"{vendor}, {size:,} instruments")
            bench_size(results, vendor, urls[vendor], size, datasette_done)
    finally:
        if "postgresql" in urls:
            drop_postgres()
        results["finished_utc"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        results["machine"]["loadavg_at_end"] = os.getloadavg()
        results["minutes"] = round((time.monotonic() - STARTED) / 60, 1)
        save(results)
    run([sys.executable, "bench/report.py", str(OUT / "results.json")])


if __name__ == "__main__":
    main()
