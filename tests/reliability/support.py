"""Helpers for the reliability tests (fixtures in conftest.py): subprocesses of manage.py, a throwaway PostgreSQL
server, a gunicorn on a free port, and the production environment of docs/reliability.md.
"""

import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
# Ports this suite may use for servers it starts (loopback only).
APP_PORTS = range(8201, 8221)

# The production environment documented in docs/reliability.md (the secret is per run).
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "kb.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://kb.example.org",
    "DJANGO_HTTPS": "1",
    "DJANGO_HSTS_PRELOAD": "1",
}


def in_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


# The Redis server of the tests that share a cache between processes (each on a database number of its own).
REDIS = ("127.0.0.1", 6379)


def redis_answers():
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


def require_redis():
    """Skip when no Redis answers on 127.0.0.1:6379; in CI (CI=true) fail instead, with the reason."""
    if redis_answers():
        return
    message = f"needs Redis on {REDIS[0]}:{REDIS[1]} (apt-get install redis-server; REDIS_URL)"
    if in_ci():
        pytest.fail(f"{message}, and CI must run the tests of the shared cache", pytrace=False)
    pytest.skip(message)


def clean_env(**overrides):
    """The test process's environment less Django settings, plus `overrides`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(overrides)
    return env


def manage(*args, env, timeout=300, check=True):
    """Run manage.py in a subprocess; returns the CompletedProcess."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def free_port(candidates=None):
    for port in candidates or [0]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port among {candidates}")


def postgres_bindir():
    """The newest PostgreSQL server binaries on this machine, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def require_postgres_binaries():
    bindir = postgres_bindir()
    if bindir is None:
        if in_ci():
            pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) are missing, and CI must run the fault tests")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    return bindir


class ThrowawayPostgres:
    """A PostgreSQL server in a temporary directory, on a free port on 127.0.0.1, trust auth.

    initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
    """

    def __init__(self, bindir):
        self.bindir = bindir
        self.tmp = Path(tempfile.mkdtemp(prefix="kz-throwaway-pg-"))
        self.data = self.tmp / "data"
        self.port = free_port()
        self.as_user = []
        if os.geteuid() == 0:
            shutil.chown(self.tmp, "postgres", "postgres")
            os.chmod(self.tmp, 0o700)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/kzmigration"

    def run(self, *args, timeout=60):
        return subprocess.run([*self.as_user, *args], capture_output=True, text=True, timeout=timeout, check=True)

    def init(self):
        self._watchdog()
        self.run(
            str(self.bindir / "initdb"),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale",
            "C.UTF-8",
            "-D",
            str(self.data),
        )
        self.start()
        self.run(
            str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "kzmigration"
        )
        return self

    def _watchdog(self):
        """Stop the server and remove its files when this test process ends, even if it is killed
        before its fixtures can clean up (a timeout, ^C twice)."""
        as_user = " ".join(self.as_user)
        script = (
            f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 2; done; "
            f"{as_user} {self.bindir / 'pg_ctl'} -D {self.data} -m immediate stop >/dev/null 2>&1; "
            f"rm -rf {self.tmp}"
        )
        subprocess.Popen(
            ["bash", "-c", script],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.tmp} -c fsync=off"
        self.run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.tmp / "log"),
            "-w",
            "-t",
            "30",
            "start",
        )

    def stop(self):
        self.run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")

    def destroy(self):
        subprocess.run(
            [*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.tmp, ignore_errors=True)


class Gunicorn:
    """gunicorn serving the project on 127.0.0.1:<port>, stopped by the fixture.

    Tests on other workers start servers from the same ports at the same time: a port free when
    chosen may be taken a moment later, and then the health probe would reach the other test's
    server. So the server counts as started only once its log says that this process listens
    on the port; a server that lost the port is stopped and another port tried."""

    def __init__(self, env, workers=2):
        for _attempt in range(5):
            if self.start(env, workers):
                return
        raise AssertionError("gunicorn found no free port in five tries")

    def start(self, env, workers):
        self.port = free_port(APP_PORTS)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="kz-gunicorn-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "kzmigration.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        listening = f"Listening at: {self.base} ({self.process.pid})"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            log = Path(self.log.name).read_text()
            if "Connection in use" in log:
                self.stop()  # another test's server took the port first
                return False
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {log}")
            if listening in log:
                try:
                    self.get("/healthz")
                    return True
                except (urllib.error.URLError, ConnectionError):
                    pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not start: {Path(self.log.name).read_text()}")

    def get(self, path, headers=None):
        """(status, headers, body text) without raising on HTTP errors."""
        request = urllib.request.Request(self.base + path, headers={"Host": "127.0.0.1", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8", "replace")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        Path(self.log.name).unlink(missing_ok=True)


# ----------------------------------------------------------------------------- the site's URLs


def _route(pattern):
    """A route string for a path() pattern or a simple regex one (REST framework's router)."""
    from django.urls.resolvers import RegexPattern

    if not isinstance(pattern, RegexPattern):
        return str(pattern)
    regex = str(pattern.regex.pattern)
    if "format" in regex:  # format-suffix duplicates of the same views
        return None
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", regex.lstrip("^").rstrip("$"))
    return None if re.search(r"[\\()\[\]*+?|]", route) else route


def _walk(patterns, prefix=""):
    from django.urls import URLPattern, URLResolver

    for entry in patterns:
        part = _route(entry.pattern)
        if part is None:
            continue
        route = prefix + part
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def site_routes():
    """Every route of the site as (route, pattern), with the language prefix shown as 'en/'.

    Complex regex routes (ELI redirects, format suffixes) are left out; admin is tested apart.
    """
    from django.urls import get_resolver
    from django.utils import translation

    with translation.override("en"):
        routes = []
        for route, pattern in _walk(get_resolver().url_patterns):
            if route.startswith(("admin/", "i18n/")):
                continue
            routes.append((route, pattern))
        return routes


def api_list_paths():
    """API routes without parameters (lists and other collection endpoints), as paths."""
    return sorted(
        "/" + route
        for route, _ in site_routes()
        if route.startswith("api/v1/")
        and "<" not in route
        and route != "api/v1/"
        and not route.startswith(("api/v1/schema", "api/v1/docs"))
    )


def api_detail_routes():
    return sorted("/" + route for route, _ in site_routes() if route.startswith("api/v1/") and "<" in route)


def html_list_paths():
    """Language-prefixed HTML routes without parameters (home, lists, search, maps…)."""
    return sorted("/" + route for route, _ in site_routes() if route.startswith("en/") and "<" not in route)


def html_detail_routes():
    return sorted("/" + route for route, _ in site_routes() if route.startswith("en/") and "<" in route)
