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
  BENCH_SIZES=1000,10000,100000   instrument counts
  BENCH_DATABASES=postgresql,sqlite
  BENCH_DURATION=5s               wrk -d per measurement (plus a 1 s warm-up)
  BENCH_CACHED_DURATION=3s        wrk -d for the cached measurements
  BENCH_CONNECTIONS=4             wrk -c (2 workers, so up to 2 requests queue per worker)
  BENCH_MAX_MINUTES=25            stop starting new measurements past this; what was skipped is recorded
  BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/kzbench  (created and dropped by the run)
  BENCH_REDIS_URL=                 serve the project with Redis as cache (default: local memory)
"""

import datetime
import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
OUT = BASE / "var" / "bench"
HOST = "127.0.0.1"
PORT_OURS, PORT_DATASETTE, PORT_CEILING = 8101, 8102, 8103
WORKERS = 2
SEED = 1
IN_FORCE_ON = datetime.date(2020, 1, 1)
SEARCH_WORD = "readmission"
COUNTRY = "DE"
PAGE_SIZE = 50


def env(name, default):
    return os.environ.get(name, default) or default


SIZES = [int(s) for s in env("BENCH_SIZES", "1000,10000,100000").split(",") if s.strip()]
DATABASES = [s.strip() for s in env("BENCH_DATABASES", "postgresql,sqlite").split(",") if s.strip()]
DURATION = env("BENCH_DURATION", "5s")
CACHED_DURATION = env("BENCH_CACHED_DURATION", "3s")  # cached responses vary little: shorter runs
WARMUP = env("BENCH_WARMUP", "1s")  # per URL: both workers load the view's code (and fill the cache)
FIRST_WARMUP = env("BENCH_FIRST_WARMUP", "3s")
CONNECTIONS = int(env("BENCH_CONNECTIONS", "4"))
MAX_MINUTES = float(env("BENCH_MAX_MINUTES", "25"))
PG_URL = env("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kzbench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")
STARTED = time.monotonic()


def log(message):
    elapsed = time.monotonic() - STARTED
    print(f"[bench {elapsed / 60:5.1f} min] {message}", flush=True)


def over_time():
    return (time.monotonic() - STARTED) / 60 > MAX_MINUTES


# --------------------------------------------------------------------------- endpoints


def in_force_where(on):
    """Datasette's `_where` with the same meaning as Instrument.objects.in_force_on(on)."""
    from calendar import monthrange

    def minus_months(day, months):
        month0 = day.month - 1 - months
        year, month = day.year + month0 // 12, month0 % 12 + 1
        return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))

    after = on + datetime.timedelta(days=1)
    return (
        f"((entry_into_force_precision = 'day' and entry_into_force <= '{on}')"
        f" or (entry_into_force_precision = 'month' and entry_into_force <= '{minus_months(after, 1)}')"
        f" or (entry_into_force_precision = 'year' and entry_into_force <= '{minus_months(after, 12)}'))"
        f" and (end_of_validity is null or end_of_validity >= '{on}')"
        " and not exists (select 1 from relationships r where r.object_id = instruments.id"
        f" and r.type = 'repeals' and (r.date_effective is null or r.date_effective <= '{on}'))"
    )


def endpoints(detail_id):
    """(name, our URL, Datasette's equivalent or None)."""
    where = urllib.parse.quote(in_force_where(IN_FORCE_ON))
    return [
        (
            "api_list_country",
            f"/api/v1/agreements/?country={COUNTRY}&page_size={PAGE_SIZE}",
            f"/bench/agreement_partners.json?country={COUNTRY}&_sort=date_signed&_size={PAGE_SIZE}",
        ),
        (
            "api_list_in_force",
            f"/api/v1/instruments/?in_force_on={IN_FORCE_ON}&page_size={PAGE_SIZE}",
            f"/bench/instruments.json?_where={where}&_sort=date_adopted&_size={PAGE_SIZE}",
        ),
        ("api_detail", f"/api/v1/instruments/{detail_id}/", None),
        ("api_facets", "/api/v1/instruments/?facets=kind,jurisdiction,status&page_size=20", None),
        ("api_search", f"/api/v1/instruments/?q={SEARCH_WORD}&page_size={PAGE_SIZE}", None),
        ("html_list", "/en/instruments/", None),
        ("html_detail", f"/en/instruments/{detail_id}/", None),
    ]


# --------------------------------------------------------------------------- processes


def run(args, extra_env=None, check=True, capture=False, timeout=None):
    full_env = {**os.environ, **(extra_env or {})}
    result = subprocess.run(
        args,
        cwd=BASE,
        env=full_env,
        check=False,
        text=True,
        timeout=timeout,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.PIPE if capture else None,
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, args))} failed ({result.returncode}): "
            f"{(result.stderr or '')[-2000:] if capture else ''}"
        )
    return result


class Server:
    """A server process in its own process group, stopped (group and all) on exit."""

    def __init__(self, args, extra_env, port, probe):
        self.args, self.port, self.probe = args, port, probe
        self.env = {**os.environ, **extra_env}
        self.process = None

    def __enter__(self):
        log_path = OUT / f"server-{self.port}.log"
        self.log = open(log_path, "a")
        self.process = subprocess.Popen(
            self.args, cwd=BASE, env=self.env, stdout=self.log, stderr=self.log, start_new_session=True
        )
        deadline = time.monotonic() + 90
        url = f"http://{HOST}:{self.port}{self.probe}"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server on port {self.port} exited; see {log_path}")
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    if response.status == 200:
                        return self
            except Exception:
                time.sleep(0.3)
        raise RuntimeError(f"server on port {self.port} did not answer {url}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def project_env(database_url, cached):
    extra = {
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": "benchmark-only-not-secret",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
        # Persistent connections, as in production (docs/deploy.md): no connect per request.
        "DJANGO_CONN_MAX_AGE": "600",
        # The benchmark measures the application, not the per-client rate limit.
        "DJANGO_API_THROTTLE_ANON": "off",
        "DJANGO_PAGE_THROTTLE": "off",
        "DJANGO_RESPONSE_CACHE_SECONDS": "600" if cached else "0",
        "DJANGO_DATA_VERSION_FILE": str(OUT / "data-version"),
        "DJANGO_LOG_LEVEL": "ERROR",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if REDIS_URL:
        extra["REDIS_URL"] = REDIS_URL
    else:
        extra["REDIS_URL"] = ""
    return extra


def gunicorn(app, port, extra_env, probe):
    args = [
        str(VENV_BIN / "gunicorn"),
        app,
        "--workers",
        str(WORKERS),
        "--bind",
        f"{HOST}:{port}",
        "--timeout",
        "120",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
        "--chdir",
        str(BASE),
    ]
    return Server(args, extra_env, port, probe)


def datasette(db_file, suggest_facets):
    args = [str(VENV_BIN / "datasette"), "serve", str(db_file), "-h", HOST, "-p", str(PORT_DATASETTE)]
    if not suggest_facets:
        args += ["--setting", "suggest_facets", "off"]
    return Server(args, {}, PORT_DATASETTE, "/bench.json")


def wrk(url, duration=None):
    duration = duration or DURATION
    args = [
        "wrk",
        "-t1",
        f"-c{CONNECTIONS}",
        f"-d{duration}",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(BASE / "bench" / "report.lua"),
        url,
    ]
    result = run(args, capture=True, check=False, timeout=600)
    match = re.search(r"BENCH_JSON (\{.*\})", result.stdout or "")
    if not match:
        raise RuntimeError(f"wrk gave no result for {url}: {result.stdout} {result.stderr}")
    return json.loads(match.group(1))


def seconds(text):
    return float(text.rstrip("s"))


def warm_up(url, duration):
    """Requests in pairs (one per worker) until `duration` has passed, each waited for, so
    no request is left running; returns the slowest request's time (the service time)."""
    from concurrent.futures import ThreadPoolExecutor

    def get(_):
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=120) as response:
                response.read()
        except Exception:
            pass
        return time.monotonic() - started

    slowest, until, rounds = 0.0, time.monotonic() + seconds(duration), 0
    with ThreadPoolExecutor(WORKERS) as pool:
        while True:
            slowest = max([slowest, *pool.map(get, range(WORKERS))])
            rounds += 1
            if rounds >= 2 and time.monotonic() >= until:  # two rounds: each worker's own cache is filled
                return slowest


def measure(results, record, url, duration=None, first=False):
    """Warm up, then measure; the load average before says what else was running. The first
    URL after a server start warms up longer: each worker also loads the project's code.

    wrk stops at the end of its duration with up to one request per connection unanswered;
    the server still works through them. So that they do not slow the next measurement, the
    run waits for them, as long as the service time seen in the warm-up says they take."""
    if over_time():
        results["skipped"].append({**record, "reason": f"time budget of {MAX_MINUTES} min reached"})
        log(f"  skipped {record['target']} {record['endpoint']} (time budget)")
        return None
    service = warm_up(url, FIRST_WARMUP if first else WARMUP)
    load_before = os.getloadavg()[0]
    figures = wrk(url, duration)
    backlog = -(-CONNECTIONS // WORKERS) * service
    if backlog > 0.1:
        time.sleep(min(120.0, backlog * 1.2 + 0.2))
    row = {
        **record,
        "url": url,
        **figures,
        "loadavg_1min_before": round(load_before, 2),
        "duration": duration or DURATION,
        "warmup_service_s": round(service, 3),
    }
    results["runs"].append(row)
    bad = figures["errors"]["status"] + figures["errors"]["timeout"] + figures["errors"]["connect"]
    log(
        f"  {record['target']:<22} {record['endpoint']:<18} {figures['rps']:8.1f} req/s  "
        f"p50 {figures['p50_ms']:6.1f}  p95 {figures['p95_ms']:6.1f}  p99 {figures['p99_ms']:6.1f} ms"
        + (f"  ERRORS {figures['errors']}" if bad else "")
    )
    save(results)
    return row


def fetch_count(url, key):
    """The number of matching rows a JSON list reports (ours: count; Datasette: filtered_table_rows_count)."""
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return json.loads(response.read()).get(key)
    except Exception as exc:  # recorded, not fatal: the figures still stand
        return f"error: {exc.__class__.__name__}"


def save(results):
    (OUT / "results.json").write_text(json.dumps(results, indent=1, default=str))


# --------------------------------------------------------------------------- databases


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
    loaded = run([sys.executable, "manage.py", "load_kb", "-v0"], extra, check=False, capture=True)
    if loaded.returncode != 0:
        log(f"{vendor}: load_kb failed, continuing with synthetic data only: {loaded.stderr[-300:]}")
    return url


def drop_postgres():
    admin_url = urllib.parse.urlsplit(PG_URL)._replace(path="/postgres").geturl()
    name = urllib.parse.urlsplit(PG_URL).path.lstrip("/")
    run(["psql", "-X", "-q", admin_url, "-c", f'DROP DATABASE IF EXISTS "{name}"'], check=False, capture=True)


def generate(vendor, url, size):
    agreements = max(1, size // 5)
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
        "from instruments.models import Instrument, Relationship, Provenance;"
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


# --------------------------------------------------------------------------- machine


def machine():
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))

    def version(args):
        try:
            out = subprocess.run(args, capture_output=True, text=True, timeout=20)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except Exception as exc:  # a missing tool is recorded, not fatal
            return f"unavailable ({exc.__class__.__name__})"

    import django

    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu,
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": version(
            ["psql", "-X", "-At", PG_URL.rsplit("/", 1)[0] + "/postgres", "-c", "show server_version"]
        ),
        "wrk": version(["wrk", "--version"]),
        "gunicorn": version([str(VENV_BIN / "gunicorn"), "--version"]),
        "datasette": version([str(VENV_BIN / "datasette"), "--version"]),
        "loadavg_at_start": os.getloadavg(),
    }


# --------------------------------------------------------------------------- main


def bench_size(results, vendor, url, size, datasette_done):
    record_base = {"database": vendor, "size": size}
    results["generation_seconds"].setdefault(vendor, {})[str(size)] = generate(vendor, url, size)
    results["data"].setdefault(vendor, {})[str(size)] = data_counts(url)
    detail_id = f"syn-{max(1, size // 2):06d}"
    eps = endpoints(detail_id)
    results["queries"].setdefault(vendor, {})[str(size)] = {
        name: counts for (name, _path, _ds), counts in zip(eps, query_counts(url, [p for _n, p, _d in eps]).values())
    }
    base = f"http://{HOST}:{PORT_OURS}"

    with gunicorn("kzmigration.wsgi:application", PORT_OURS, project_env(url, cached=False), "/healthz"):
        for position, (name, path, ds_path) in enumerate(eps):
            if ds_path:  # what Datasette must match: our count for the same question
                results["equivalence"].setdefault(str(size), {}).setdefault(name, {})[vendor] = fetch_count(
                    base + path, "count"
                )
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
    (OUT / "data-version").unlink(missing_ok=True)
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
            "cache": "redis" if REDIS_URL else "local memory",
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
    }
    save(results)
    urls = {}
    for vendor in DATABASES:
        try:
            urls[vendor] = prepare_database(vendor)
        except Exception as exc:
            results["notes"].append(f"{vendor}: not measured, the database could not be prepared: {exc}")
            log(f"{vendor}: cannot prepare the database: {exc}")
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
