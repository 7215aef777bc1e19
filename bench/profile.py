"""Where a request's time goes under load: py-spy samples both gunicorn workers while wrk keeps
one address busy, and the samples are summed by function.

    make profile URL='/en/compare/?on=2020-01-01'          # var/kzmigration.sqlite3 (make load)
    DATABASE_URL=postgres://…/kzprof make profile URL='…'   # any database already loaded

Prints the functions with the most samples of their own and the project's functions with their
share including what they call; py-spy's stacks are kept in var/bench/profile.txt (its "raw"
format, which flamegraph.pl and speedscope read). Unlike cProfile in the test client, this sees
the server as deployed (gunicorn, persistent connections, gc.freeze), time spent in C and
waiting on the database, and costs the workers little. py-spy needs ptrace rights over the
workers (root, or kernel.yama.ptrace_scope 0).

PROFILE_SECONDS (default 8) sets how long; the response cache is off, as in the uncached runs,
unless PROFILE_CACHED=1 (then the warm-up fills it, and with PostgreSQL it is Redis, as in the
cached runs).
"""

import collections
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.config import BASE, HOST, OUT, PORT_OURS, VENV_BIN  # noqa: E402
from bench.processes import gunicorn, project_env  # noqa: E402

FRAME = re.compile(r"(?P<function>.*) \((?P<path>[^()]*?)(?::\d+)?\)$")
STACK_END = re.compile(r" (\d+)$")
OWN = ("agreements/", "api/", "compare/", "core/", "countries/", "instruments/", "kzmigration/", "subjects/")


def stacks(text):
    """(frames, samples) per stack of py-spy's raw output, whose frames are `function (path:line)`
    joined by ';' and the sample count last. A frame may hold a line break (a name py-spy read
    from a docstring), so a stack ends only at a line ending in its count."""
    pending = ""
    for line in text.splitlines():
        pending += line
        found = STACK_END.search(pending)
        if found:
            frames = [frame for frame in pending[: found.start()].split(";") if not frame.startswith("process ")]
            yield frames, int(found.group(1))
            pending = ""


def name(frame):
    found = FRAME.match(frame)
    if not found:
        return frame
    path = found["path"].split("site-packages/")[-1].replace(f"{BASE}/", "")
    return f"{found['function']} ({path})"


def summary(text, top=25):
    own, including, total = collections.Counter(), collections.Counter(), 0
    for frames, samples in stacks(text):
        names = [name(frame) for frame in frames]
        total += samples
        if names:
            own[names[-1]] += samples
        for each in set(names):
            including[each] += samples
    lines = [f"{total:,} samples", "", "own samples:"]
    lines += [f"{count / total:6.1%}  {each}" for each, count in own.most_common(top)]
    lines += ["", "the project's functions, with what they call:"]
    project = [(each, count) for each, count in including.most_common() if each.split(" (")[-1].startswith(OWN)]
    lines += [f"{count / total:6.1%}  {each}" for each, count in project[:top]]
    return "\n".join(lines)


def main():
    path = os.environ.get("URL") or (sys.argv[1] if len(sys.argv) > 1 else "")
    if not path.startswith("/"):
        sys.exit("Give the address to profile: make profile URL='/api/v1/instruments/?in_force_on=2020-01-01'")
    seconds = int(os.environ.get("PROFILE_SECONDS", "8"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE / 'var' / 'kzmigration.sqlite3'}"
    OUT.mkdir(parents=True, exist_ok=True)
    raw = OUT / "profile.txt"
    url = f"http://{HOST}:{PORT_OURS}{path}"
    cached = os.environ.get("PROFILE_CACHED", "") == "1"
    with gunicorn("kzmigration.wsgi:application", PORT_OURS, project_env(database_url, cached), "/healthz") as server:
        subprocess.run(["wrk", "-t1", "-c4", "-d2s", url], check=True, capture_output=True)  # warm up
        load = subprocess.Popen(["wrk", "-t1", "-c4", f"-d{seconds + 2}s", url], stdout=subprocess.PIPE, text=True)
        spy = [str(VENV_BIN / "py-spy"), "record", "--pid", str(server.process.pid), "--subprocesses"]
        spy += ["--duration", str(seconds), "--rate", "250", "--nonblocking", "--format", "raw", "-o", str(raw)]
        subprocess.run(spy, check=True, capture_output=True)
        rate = next((line for line in load.communicate()[0].splitlines() if "Requests/sec" in line), "")
    state = "cached" if cached else "uncached"
    print(f"{path} ({state}): {rate.split(':')[-1].strip()} requests/s while sampled (4 connections, 2 workers)\n")
    print(summary(raw.read_text(errors="replace")))
    print(f"\nstacks: {raw}")


if __name__ == "__main__":
    main()
