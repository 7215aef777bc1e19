"""What the run was measured on: CPU, memory, versions of the tools, the load."""

import os
import platform
import re
import sqlite3
import subprocess
from pathlib import Path

from bench.config import PG_URL, VENV_BIN


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
