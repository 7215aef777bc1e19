"""The markdown summary of bench/worst.py's results (var/bench/worst.md)."""

import os


def workers(result):
    threads = result.get("gunicorn_threads", 1)
    if threads == 1:
        return f"{result['gunicorn_workers']} sync workers"
    return f"{result['gunicorn_workers']} threaded workers × {threads} threads"


def markdown(result):
    lines = [
        f"Worst requests at {result['data']['instruments']:,} instruments and {result['data']['agreements']:,} "
        f"agreements, {result['started']} UTC, PostgreSQL, gunicorn {workers(result)}, "
        f"response cache and rate limits off, statement_timeout {result['statement_timeout_ms']} ms; "
        f"load average before {result['load_before']}, after {result['load_after']} "
        f"(the machine's {os.cpu_count()} cores are shared).",
        "",
        f"Alone ({result['runs']} runs each after one warm-up):",
        "",
        "| request | status | bytes | median | max |",
        "|---|---|---|---|---|",
    ]
    for entry in sorted(result["alone"], key=lambda e: -e["median_s"]):
        status = "/".join(map(str, entry["statuses"]))
        lines.append(
            f"| {entry['name']} | {status} | {entry['bytes']:,} | {entry['median_s']:.3f} s | {entry['max_s']:.3f} s |"
        )
    concurrent = result["concurrent"]
    attacks = concurrent["attacks"]
    lines += [
        "",
        f"Ordinary pages, one after another for {concurrent['seconds']:.0f} s, while {concurrent['attackers']} "
        f"threads request the {len(concurrent['attack_paths'])} slowest of the above without pause "
        f"({attacks['requests']} attack requests, statuses {attacks['statuses']}, median {attacks['median_s']:.3f} s, "
        f"max {attacks['max_s']:.3f} s):",
        "",
        "| page | requests | status | median | p90 | max |",
        "|---|---|---|---|---|---|",
    ]
    for path, s in concurrent["ordinary"].items():
        status = "/".join(map(str, s["statuses"]))
        figures = f"{s['median_s']:.3f} s | {s['p90_s']:.3f} s | {s['max_s']:.3f} s"
        lines.append(f"| `{path}` | {s['requests']} | {status} | {figures} |")
    return "\n".join(lines) + "\n"
