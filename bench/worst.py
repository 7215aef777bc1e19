"""make bench-worst: the worst requests the documented parameters allow, at 20,000 instruments.

A measurement, not a test. On PostgreSQL (database `kzworst` on 127.0.0.1:5432, created and
dropped by the run): migrate, load the real knowledge base, add 20,000 synthetic instruments and
4,000 agreements (`gen_synthetic`, seed 1), VACUUM ANALYZE; serve the project with gunicorn
(2 workers × 4 threads as docs/deploy.md advises, 127.0.0.1:8121, the production settings: debug
off, persistent connections, `statement_timeout` as kzmigration/database.py sets it, gunicorn's
`--timeout 30`), with the
response cache off (an attacker varies one character to miss it) and the rate limits off (one
client plays many). Then:

(a) every request of the list below, alone, RUNS times each: status, bytes, median and max;
(b) the ordinary pages, one after another, for CONCURRENT_SECONDS while eight threads request
    the worst requests of (a) (the slowest by median, in turn) without pause.

Results: var/bench/worst.json and var/bench/worst.md (docs/reliability.md quotes them).

Environment:
  WORST_PG_URL=postgres://postgres@127.0.0.1:5432/kzworst
  WORST_INSTRUMENTS=20000        WORST_RUNS=5        WORST_CONCURRENT_SECONDS=40
  WORST_THREADS=4                threads per gunicorn worker (1: sync workers)
  WORST_KEEP_DB=1                keep the database afterwards (and reuse it when it holds the data)
"""

import datetime
import http.client
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from worst_report import markdown  # bench/ is the script's directory

BASE = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
OUT = BASE / "var" / "bench"
HOST, PORT, WORKERS = "127.0.0.1", 8121, 2
# Threads per worker (WORST_THREADS; more than 1 is gunicorn's gthread worker, as docs/deploy.md
# advises): an export holds one thread and its process's export slot (api/exports.py), not a whole
# worker, and pages are answered beside it. 1: sync workers (ordinary pages then waited 25–39 s).
THREADS = int(os.environ.get("WORST_THREADS") or 4)
PG_URL = os.environ.get("WORST_PG_URL") or "postgres://postgres@127.0.0.1:5432/kzworst"
INSTRUMENTS = int(os.environ.get("WORST_INSTRUMENTS") or 20000)
RUNS = int(os.environ.get("WORST_RUNS") or 5)
CONCURRENT_SECONDS = float(os.environ.get("WORST_CONCURRENT_SECONDS") or 40)
ATTACKERS = 8
KEEP_DB = os.environ.get("WORST_KEEP_DB") == "1"
SEED = 1
STARTED = time.monotonic()

# Ten distinct words of two letters or more, at most 200 characters: the longest q allowed.
COMMON_WORDS = "migration labour residence foreign citizens workers agreement regulation rights protection"
RARE_WORDS = "zqxwv readmisson labuor residnce forein citizns workrs agrement regulaton protectin"
MAX_RELATIONSHIP_FILTERS = 4
ORDINARY = ["/en/instruments/", "/api/v1/instruments/?party=DE", "/api/v1/agreements/?country=DE"]


def log(message):
    print(f"[worst {(time.monotonic() - STARTED) / 60:5.1f} min] {message}", flush=True)


def run(args, extra_env=None, capture=True, check=True):
    result = subprocess.run(
        args, cwd=BASE, env={**os.environ, **(extra_env or {})}, text=True, capture_output=capture, check=False
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed: {(result.stderr or '')[-2000:]}")
    return result


def admin_psql(sql):
    admin = urllib.parse.urlsplit(PG_URL)._replace(path="/postgres").geturl()
    return run(["psql", "-X", "-q", admin, "-c", sql])


def db_name():
    return urllib.parse.urlsplit(PG_URL).path.lstrip("/")


def server_env():
    return {
        "DATABASE_URL": PG_URL,
        "DJANGO_SETTINGS_MODULE": "kzmigration.settings.base",
        "DJANGO_SECRET_KEY": "worst-request-benchmark-only-not-a-secret-0123456789abcdef",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
        "DJANGO_CONN_MAX_AGE": "600",
        "DJANGO_RESPONSE_CACHE_SECONDS": "0",
        "DJANGO_API_THROTTLE_ANON": "off",
        "DJANGO_PAGE_THROTTLE": "off",
        "DJANGO_EXPORT_THROTTLE": "off",
        "DJANGO_DATA_VERSION_FILE": str(OUT / "worst-data-version"),
        "DJANGO_LOG_LEVEL": "ERROR",
        "REDIS_URL": "",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def statement_timeout_ms():
    """The ceiling the web processes set, as the settings compute it."""
    script = "import django; django.setup(); from django.conf import settings; print(settings.KB_STATEMENT_TIMEOUT_MS)"
    return int(run([sys.executable, "-c", script], server_env()).stdout.strip())


def count_instruments():
    result = run(["psql", "-X", "-tA", PG_URL, "-c", "SELECT count(*) FROM instruments_instrument"], check=False)
    return int(result.stdout.strip()) if result.returncode == 0 and result.stdout.strip().isdigit() else 0


def prepare():
    if KEEP_DB and count_instruments() >= INSTRUMENTS:
        log(f"reusing database {db_name()} ({count_instruments():,} instruments)")
        return
    admin_psql(f'DROP DATABASE IF EXISTS "{db_name()}"')
    admin_psql(f'CREATE DATABASE "{db_name()}"')
    env = server_env()
    log("migrate and load the real knowledge base")
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([sys.executable, "manage.py", "load_kb", "-v0"], env)
    log(f"generate {INSTRUMENTS:,} synthetic instruments and {INSTRUMENTS // 5:,} agreements")
    started = time.monotonic()
    run(
        [sys.executable, "manage.py", "gen_synthetic", "--instruments", str(INSTRUMENTS)]
        + ["--agreements", str(INSTRUMENTS // 5), "--seed", str(SEED), "-v0"],
        env,
    )
    run(["psql", "-X", "-q", PG_URL, "-c", "VACUUM ANALYZE"])
    log(f"generated in {time.monotonic() - started:.0f} s; {count_instruments():,} instruments in all")


class Gunicorn:
    def __enter__(self):
        OUT.mkdir(parents=True, exist_ok=True)
        self.log = open(OUT / "worst-server.log", "w")
        args = [str(VENV_BIN / "gunicorn"), "kzmigration.wsgi:application", "--workers", str(WORKERS)]
        args += ["--threads", str(THREADS)]
        args += ["--bind", f"{HOST}:{PORT}", "--timeout", "30", "--graceful-timeout", "5", "--chdir", str(BASE)]
        self.process = subprocess.Popen(
            args, cwd=BASE, env={**os.environ, **server_env()}, stdout=self.log, stderr=self.log, start_new_session=True
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {OUT / 'worst-server.log'}")
            try:
                if get("/healthz", timeout=5)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz")

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def get(path, timeout=60):
    """(status, bytes, seconds) of one GET, the whole body read."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(f"http://{HOST}:{PORT}{path}", timeout=timeout) as response:
            size = len(response.read())
            status = response.status
    except urllib.error.HTTPError as error:
        size, status = len(error.read()), error.code
    except (OSError, http.client.HTTPException) as error:
        # A body cut short (a worker killed by gunicorn's --timeout mid-stream) or no answer.
        size, status = getattr(error, "partial", b"") and len(error.partial), f"cut: {type(error).__name__}"
    return status, size, time.perf_counter() - started


def get_json(path):
    with urllib.request.urlopen(f"http://{HOST}:{PORT}{path}", timeout=60) as response:
        return json.load(response)


def facet_names(schema, path):
    for parameter in schema["paths"][path]["get"].get("parameters", []):
        if parameter["name"] == "facets":
            items = parameter["schema"].get("items", {})
            if "enum" in items:
                return items["enum"]
            return [n.strip(" .") for n in parameter["description"].split(":", 1)[1].split(",")]
    return []


def relationship_parameters(schema):
    """Every relationship filter of the instruments list, each naming an instrument of the data
    that has such a relationship (so each EXISTS has rows to look at)."""
    names = [p["name"] for p in schema["paths"]["/api/v1/instruments/"]["get"]["parameters"]]
    rows = get_json("/api/v1/relationships/?page_size=200")["results"]
    by_type = {}
    for row in rows:
        by_type.setdefault(row["type"], row)
    fallback = rows[0]["object"]
    params = {}
    for name in names:
        if name in by_type:
            params[name] = by_type[name]["object"]
        elif name.endswith("_by") or name in ("cited_by", "basis_for", "replaced_in_substance_by"):
            params[name] = fallback
    return {k: (v["id"] if isinstance(v, dict) else v) for k, v in params.items()}


def worst_requests():
    """The requests, built from the schema and the data: name → path."""
    schema = get_json("/api/v1/schema/?format=json")
    instruments = get_json("/api/v1/instruments/?page_size=1&fields=id")["count"]
    agreements = get_json("/api/v1/agreements/?page_size=1&fields=id")["count"]
    subject = get_json("/api/v1/subjects/?page_size=1")["results"][0]["code"]
    relations = relationship_parameters(schema)
    every_filter = {
        "status": "in_force",
        "on": "2020-01-01",
        "kind": "regulation",
        "level": "regional",
        "jurisdiction": "eu",
        "subject": subject,
        "party": "DE,FR,KZ,RU,IT,ES,PL,UZ,KG,TJ",
        "in_force_on": "2020-01-01",
        "applicable_on": "2020-01-01",
        "in_force_for_kazakhstan_on": "2020-01-01",
        "adopted_from": "1950-01-01",
        "adopted_to": "2026-12-01",
        "cited_in_article": "false",
        # As many relationship filters as one request may have (instruments.filters.MAX_RELATIONSHIP_FILTERS).
        **dict(list(relations.items())[:MAX_RELATIONSHIP_FILTERS]),
    }
    facets_i = ",".join(facet_names(schema, "/api/v1/instruments/"))
    facets_a = ",".join(facet_names(schema, "/api/v1/agreements/"))
    q = urllib.parse.quote_plus
    last_i = -(-instruments // 200)
    last_a = -(-agreements // 200)
    orders = "eu,eaeu,cis,kz,treaties_kz,kz_agreements"
    enc = urllib.parse.urlencode
    return {
        "api instruments, q = 10 common words": f"/api/v1/instruments/?q={q(COMMON_WORDS)}",
        "api instruments, q = 10 rare words (trigram fallback)": f"/api/v1/instruments/?q={q(RARE_WORDS)}",
        "api instruments, q common + every facet": f"/api/v1/instruments/?q={q(COMMON_WORDS)}&facets={facets_i}",
        "api instruments, q rare + every facet": f"/api/v1/instruments/?q={q(RARE_WORDS)}&facets={facets_i}",
        "api instruments, every filter + q + every facet": "/api/v1/instruments/?"
        + enc({**every_filter, "q": COMMON_WORDS, "facets": facets_i}),
        "api instruments, every relationship filter (refused)": "/api/v1/instruments/?"
        + enc({**relations, "facets": facets_i}),
        "api instruments, every facet, no filter": f"/api/v1/instruments/?facets={facets_i}",
        "api instruments, last page of 200, fields=*": f"/api/v1/instruments/?page_size=200&page={last_i}&fields=*",
        "api instruments, ordering=-date_adopted, last page": f"/api/v1/instruments/?page_size=200&page={last_i}"
        "&ordering=-date_adopted",
        "api instruments, CSV export (every row)": "/api/v1/instruments/?format=csv",
        "api instruments, CSV of one kind (under the row cap)": "/api/v1/instruments/?format=csv&kind=directive",
        "api instruments, JSON-LD page of 200": "/api/v1/instruments/?format=jsonld&page_size=200",
        "api agreements, q rare + every facet": f"/api/v1/agreements/?q={q(RARE_WORDS)}&facets={facets_a}",
        "api agreements, last page of 200, fields=*": f"/api/v1/agreements/?page_size=200&page={last_a}&fields=*",
        "api agreements, CSV export (every row)": "/api/v1/agreements/?format=csv",
        "api compare, every column, since 1950": f"/api/v1/compare/?orders={orders}&since=1950-01-01&on=2026-12-01",
        "api compare, every column, CSV": f"/api/v1/compare/?orders={orders}&since=1950-01-01&on=2026-12-01&format=csv",
        "api events, 50 years, CSV": "/api/v1/events/?from=1976-12-02&to=2026-12-01&format=csv",
        "api events, 10 years, CSV": "/api/v1/events/?from=2016-12-02&to=2026-12-01&format=csv",
        "api events, 50 years, page of 200": "/api/v1/events/?from=1976-12-02&to=2026-12-01&page_size=200",
        "api changes since 2000, page of 200": "/api/v1/changes/?since=2000-01-01T00:00:00Z&page_size=200",
        "api relationships, page of 200": "/api/v1/relationships/?page_size=200",
        "api provenance, page of 200": "/api/v1/provenance/?page_size=200",
        "api instrument-parties, page of 200": "/api/v1/instrument-parties/?page_size=200",
        "page instruments, q rare": f"/en/instruments/?q={q(RARE_WORDS)}",
        "page instruments, q common + every filter": "/en/instruments/?" + enc({**every_filter, "q": COMMON_WORDS}),
        "page instruments, last page": f"/en/instruments/?page={-(-instruments // 50)}",
        "page agreements, q rare": f"/en/agreements/?q={q(RARE_WORDS)}",
        "page compare, every column, since 1950": f"/en/compare/?since=1950-01-01&on=2026-12-01&orders={orders}",
        "page events, 50 years": "/en/events/?from=1976-12-02&to=2026-12-01",
        "page timeline": "/en/timeline/",
        "page map": "/en/map/",
        "page country DE": "/en/countries/DE/",
        "page country KZ": "/en/countries/KZ/",
        "feed events": "/en/events/feed/",
    }


def measure_alone(requests):
    results = []
    for name, path in requests.items():
        get(path)  # warm: both workers' code and PostgreSQL's cache; not counted
        runs = [get(path) for _ in range(RUNS)]
        times = [r[2] for r in runs]
        entry = {
            "name": name,
            "path": path,
            "statuses": sorted({str(r[0]) for r in runs}),
            "bytes": runs[-1][1],
            "median_s": round(statistics.median(times), 3),
            "max_s": round(max(times), 3),
            "runs_s": [round(t, 3) for t in times],
        }
        results.append(entry)
        log(f"{entry['median_s']:7.3f} s median, {entry['max_s']:7.3f} s max, {entry['statuses']} {name}")
    return results


def measure_concurrent(attack_paths, ordinary_paths):
    stop = threading.Event()
    attacks = []

    def attacker(index):
        i = index
        while not stop.is_set():
            status, _, seconds = get(attack_paths[i % len(attack_paths)], timeout=120)
            attacks.append((status, seconds))
            i += 1

    threads = [threading.Thread(target=attacker, args=(n,), daemon=True) for n in range(ATTACKERS)]
    for thread in threads:
        thread.start()
    time.sleep(2)  # let all eight be in flight
    ordinary = {path: [] for path in ordinary_paths}
    deadline = time.monotonic() + CONCURRENT_SECONDS
    rounds = 0
    while time.monotonic() < deadline or rounds < 3:  # at least three samples of each page
        rounds += 1
        for path in ordinary_paths:
            ordinary[path].append(get(path, timeout=120))
    stop.set()
    for thread in threads:
        thread.join(timeout=180)

    def summary(samples):
        times = sorted(s[-1] for s in samples)
        return {
            "requests": len(times),
            "statuses": sorted({str(s[0]) for s in samples}),
            "median_s": round(statistics.median(times), 3),
            "p90_s": round(times[int(0.9 * (len(times) - 1))], 3),
            "max_s": round(times[-1], 3),
        }

    return {
        "attackers": ATTACKERS,
        "attack_paths": attack_paths,
        "seconds": CONCURRENT_SECONDS,
        "attacks": summary(attacks),
        "ordinary": {path: summary(samples) for path, samples in ordinary.items()},
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    result = {
        "started": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "load_before": round(os.getloadavg()[0], 1),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "gunicorn_workers": WORKERS,
        "gunicorn_threads": THREADS,
        "runs": RUNS,
    }
    try:
        prepare()
        with Gunicorn():
            result["statement_timeout_ms"] = statement_timeout_ms()
            result["data"] = {
                "instruments": get_json("/api/v1/instruments/?page_size=1&fields=id")["count"],
                "agreements": get_json("/api/v1/agreements/?page_size=1&fields=id")["count"],
            }
            requests = worst_requests()
            log(f"{len(requests)} requests, {RUNS} runs each")
            result["alone"] = measure_alone(requests)
            slowest = sorted(result["alone"], key=lambda e: -e["median_s"])[:3]
            result["ordinary_alone"] = measure_alone({f"ordinary {p}": p for p in ORDINARY})
            log(f"{ATTACKERS} attackers for {CONCURRENT_SECONDS:.0f} s over the 3 slowest")
            result["concurrent"] = measure_concurrent([e["path"] for e in slowest], ORDINARY)
            for path, s in result["concurrent"]["ordinary"].items():
                log(f"ordinary {path}: median {s['median_s']} s, max {s['max_s']} s, {s['statuses']}")
    finally:
        if not KEEP_DB:
            admin_psql(f'DROP DATABASE IF EXISTS "{db_name()}"')
    result["load_after"] = round(os.getloadavg()[0], 1)
    (OUT / "worst.json").write_text(json.dumps(result, indent=2) + "\n")
    (OUT / "worst.md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()
