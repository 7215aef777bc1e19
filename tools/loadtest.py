"""Bounded load test: 50 concurrent clients for 60 s against two app instances behind nginx.

    .venv/bin/python tools/loadtest.py [--duration 60] [--connections 50] [--port 8210] [--instances 2]
                                       [--database-url postgres://postgres@127.0.0.1:5432/kzmigration_loadtest]
                                       [--redis-url redis://127.0.0.1:6379/8]

What it does, all on 127.0.0.1 and bounded in time:
1. creates the database if missing, migrates it and loads the knowledge base (load_kb);
2. starts --instances app instances, each a gunicorn of --workers workers (production settings,
   debug off) on ports <port>+1, <port>+2, …, sharing PostgreSQL and Redis (REDIS_URL: the
   response cache, the data version, the throttles' counts), and Debian's nginx on <port> in
   front of them, round robin (docs/deploy.md); with --instances 1, gunicorn alone on <port>;
3. runs wrk (Debian's package) with a Lua script that cycles through a mix of pages and API
   calls (lists, searches, filters, details, 404s excluded), for --duration seconds;
4. stops the servers, and writes the figures (and how many requests each instance answered)
   to var/loadtest/result.json and as Markdown on stdout. Exit status 1 when any request failed
   (socket errors, timeouts or a non-2xx/3xx status) or an instance answered none.

The machine's other work shares its 2 cores with the servers and wrk, so figures are noisy.
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from loadtest_servers import Nginx, get, gunicorn, log, redis_answers

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# The request mix: what readers and API clients do most (list, search, filter, read one record).
STATIC_PATHS = [
    "/en/",
    "/en/instruments/",
    "/en/instruments/?q=readmission",
    "/en/instruments/?jurisdiction=eu",
    "/en/agreements/",
    "/ru/agreements/",
    "/kk/instruments/",
    "/en/errata/",
    "/en/sources/",
    "/en/map/",
    "/en/timeline/",
    "/api/v1/instruments/",
    "/api/v1/instruments/?q=migration",
    "/api/v1/agreements/",
    "/api/v1/countries/",
    "/api/v1/discrepancies/",
    "/healthz",
    "/readyz",
]

LUA = r"""
local paths = {PATHS}
local counter = 0
local statuses = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1], {["Host"] = "127.0.0.1"})
end

function done(summary, latency, requests)
  local out = {
    requests = summary.requests,
    duration_us = summary.duration,
    bytes = summary.bytes,
    errors = {connect = summary.errors.connect, read = summary.errors.read, write = summary.errors.write,
              status = summary.errors.status, timeout = summary.errors.timeout},
    latency_us = {mean = latency.mean, max = latency.max, p50 = latency:percentile(50),
                  p90 = latency:percentile(90), p95 = latency:percentile(95), p99 = latency:percentile(99),
                  p999 = latency:percentile(99.9)},
  }
  local parts = {}
  for k, v in pairs(out) do
    if type(v) == "table" then
      local inner = {}
      for k2, v2 in pairs(v) do inner[#inner + 1] = string.format('"%s": %s', k2, tostring(v2)) end
      parts[#parts + 1] = string.format('"%s": {%s}', k, table.concat(inner, ", "))
    else
      parts[#parts + 1] = string.format('"%s": %s', k, tostring(v))
    end
  end
  io.write("RESULT_JSON {" .. table.concat(parts, ", ") .. "}\n")
end
"""


def ensure_database(url):
    import psycopg2
    from psycopg2 import sql

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    params = {
        "host": parts.hostname,
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "password": parts.password,
        "dbname": "postgres",
    }
    connection = psycopg2.connect(**{k: v for k, v in params.items() if v is not None})
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log(f"created database {name}")
    connection.close()


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=900)


def detail_paths(base):
    """A few real records' pages and API details, found through the API."""
    paths = []
    for kind in ("instruments", "agreements"):
        _, body = get(base, f"/api/v1/{kind}/")
        data = json.loads(body)
        records = data.get("results", data) if isinstance(data, dict) else data
        for record in records[:4]:
            paths += [f"/en/{kind}/{record['id']}/", f"/api/v1/{kind}/{record['id']}/"]
    return paths


def prepare(args):
    """The environment of the app instances, and their database migrated and loaded."""
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    if args.redis_url and not redis_answers(args.redis_url):
        sys.exit(f"Redis does not answer at {args.redis_url}: apt-get install -y redis-server, or --redis-url")
    if args.instances > 1 and not args.redis_url:
        sys.exit("several instances need a shared cache: --redis-url (docs/deploy.md)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "REDIS_URL"}
    env.update(
        {
            "DATABASE_URL": args.database_url,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),  # the same on every instance
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_CONN_MAX_AGE": "60",
            # Measure the application, not the per-address API throttle (one client address here).
            "DJANGO_API_THROTTLE_ANON": "off",
            "DJANGO_PAGE_THROTTLE": "off",
            "DJANGO_LOG_LEVEL": "ERROR",
        }
    )
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    if args.instances > 1:
        env["DJANGO_TRUSTED_PROXIES"] = "1"  # nginx in front
    if args.response_cache_seconds is not None:  # e.g. 0: every request reaches the views and the database
        env["DJANGO_RESPONSE_CACHE_SECONDS"] = str(args.response_cache_seconds)
    ensure_database(args.database_url)
    log("migrate, load_kb, collectstatic")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_kb", "-v0")  # and, with Redis, a new data version: no older cached answer counts
    manage(env, "collectstatic", "--noinput", "-v0")
    return env


def run_wrk(args, base, paths):
    script = Path(tempfile.mkstemp(prefix="kz-loadtest-", suffix=".lua")[1])
    script.write_text(LUA.replace("{PATHS}", "{" + ", ".join(json.dumps(p) for p in paths) + "}"))
    log(f"wrk: {args.connections} connections, {args.threads} threads, {args.duration}s, {len(paths)} paths")
    command = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.duration}s"]
    command += ["--timeout", "10s", "-s", str(script), base]
    result = subprocess.run(command, capture_output=True, text=True, timeout=args.duration + 60)
    script.unlink(missing_ok=True)
    print(result.stdout, file=sys.stderr)
    line = next((text for text in result.stdout.splitlines() if text.startswith("RESULT_JSON ")), None)
    if line is None:
        sys.exit(f"wrk gave no result:\n{result.stdout}\n{result.stderr}")
    return json.loads(line[len("RESULT_JSON ") :])


def run(args):
    env = prepare(args)
    ports = [args.port + 1 + n for n in range(args.instances)] if args.instances > 1 else [args.port]
    servers, proxy, server_log = [], None, ""
    base = f"http://127.0.0.1:{args.port}"
    try:
        servers = [gunicorn(port, env, args.workers) for port in ports]
        for port, server in zip(ports, servers, strict=True):
            server.wait_for(f"http://127.0.0.1:{port}")
        if args.instances > 1:
            proxy = Nginx(args.port, ports)
            proxy.wait_for(base)
        paths = STATIC_PATHS + detail_paths(base)
        for path in paths:  # warm the caches a little, and fail early on a broken page
            status, _ = get(base, path)
            if status != 200:
                sys.exit(f"{path} answered {status} before the load test")
        started = time.time()
        figures = run_wrk(args, base, paths)
        still_up = all(server.alive() for server in servers) and (proxy is None or proxy.alive())
    finally:
        if proxy is not None:
            server_log += proxy.stop()
        for server in servers:
            server_log += server.stop()
    per_instance = {}
    if proxy is not None:
        for (address, status), count in sorted(proxy.upstream_counts().items()):
            per_instance.setdefault(address, {})[status] = count
        proxy.cleanup()
    return summarise(args, env, paths, started, figures, still_up, server_log, per_instance, proxy)


def summarise(args, env, paths, started, figures, still_up, server_log, per_instance, proxy):
    seconds = figures["duration_us"] / 1e6
    errors = sum(figures["errors"].values())
    summary = {
        "started_utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(started)),
        "tool": " ".join(subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[:2]),
        "connections": args.connections,
        "threads": args.threads,
        "duration_s": round(seconds, 1),
        "instances": args.instances,
        "gunicorn_workers_per_instance": args.workers,
        "proxy": proxy.version if proxy else None,
        "redis_url": args.redis_url or None,
        "requests_per_instance": per_instance,
        "paths": paths,
        "response_cache_seconds": env.get("DJANGO_RESPONSE_CACHE_SECONDS", "site default"),
        "requests": figures["requests"],
        "errors": errors,
        "error_detail": figures["errors"],
        "throughput_rps": round(figures["requests"] / seconds, 1),
        "latency_ms": {k: round(v / 1000, 1) for k, v in figures["latency_us"].items()},
        "server_still_up": still_up,
        "server_log_lines": [text for text in server_log.splitlines() if text.strip()][-20:],
        "load_average": os.getloadavg(),
    }
    out = ROOT / "var" / "loadtest"
    out.mkdir(parents=True, exist_ok=True)
    (out / "result.json").write_text(json.dumps(summary, indent=1) + "\n")
    latency = summary["latency_ms"]
    columns = ["p50", "p90", "p95", "p99", "p999", "max"]
    print(
        "| requests | errors | throughput | p50 | p90 | p95 | p99 | p99.9 | max |\n|" + "---|" * 9 + "\n"
        f"| {summary['requests']} | {errors} | {summary['throughput_rps']} req/s | "
        + " | ".join(f"{latency[column]} ms" for column in columns)
        + " |"
    )
    if per_instance:
        print("\nrequests per instance (status: count): " + json.dumps(per_instance))
    log(f"written to {out / 'result.json'}; load average after the run: {summary['load_average']}")
    every_instance_served = proxy is None or len(per_instance) == args.instances
    return 0 if errors == 0 and still_up and every_instance_served else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--connections", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--instances", type=int, default=2, help="app instances behind nginx (default 2; 1: no proxy)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance (default 2)")
    parser.add_argument(
        "--port", type=int, default=8210, help="127.0.0.1 port of the one address (default 8210; instances above it)"
    )
    parser.add_argument(
        "--response-cache-seconds",
        type=int,
        default=None,
        help="override the response cache lifetime (0: off; default: the site's setting)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kzmigration_loadtest"),
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/8"),
        help="the instances' shared cache (REDIS_URL; empty: each worker's memory, one instance only)",
    )
    args = parser.parse_args()
    if args.duration > 600:
        parser.error("--duration is capped at 600 s")
    if not 1 <= args.instances <= 8:
        parser.error("--instances is between 1 and 8")
    sys.exit(run(args))


if __name__ == "__main__":
    main()
