"""One measurement: warm up, drive the URL with wrk, let the backlog drain, record the row
(results.json is saved after each one)."""

import json
import os
import re
import time
import urllib.request

from bench.config import BASE, CONNECTIONS, DURATION, FIRST_WARMUP, MAX_MINUTES, OUT, WARMUP, WORKERS, log, over_time
from bench.processes import run


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


def response_shape(url, count_key="count"):
    """What one response holds: its size in bytes and, for a JSON list, the items on the page and
    the matching rows it reports (ours: count; Datasette: filtered_table_rows_count). A list at
    1,000 instruments may hold fewer items than a page (9 agreements with Germany against 50 at
    100,000), which the growth of its p95 must be read with."""
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            body = response.read()
    except Exception as exc:  # recorded, not fatal: the figures still stand
        return {"error": exc.__class__.__name__}
    data = json.loads(body) if body[:1] == b"{" else {}
    results = data.get("results")
    return {
        "bytes": len(body),
        "items": len(results) if isinstance(results, list) else None,
        "count": data.get(count_key),
    }


def reported_count(shape):
    """The matching rows a response_shape() reports, or the error that prevented reading it."""
    return f"error: {shape['error']}" if "error" in shape else shape["count"]


def fetch_count(url, key):
    return reported_count(response_shape(url, key))


def save(results):
    (OUT / "results.json").write_text(json.dumps(results, indent=1, default=str))
