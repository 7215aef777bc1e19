"""Processes: commands run to completion, and servers (gunicorn for the project and the
ceiling, Datasette) started in their own process group and stopped with it."""

import os
import signal
import subprocess
import time
import urllib.request

from bench.config import BASE, HOST, OUT, PORT_DATASETTE, REDIS_URL, VENV_BIN, WORKERS


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
        "DJANGO_DATA_VERSION_DIR": str(OUT / "data-version"),
        "DJANGO_LOG_LEVEL": "ERROR",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    # Redis for the PostgreSQL runs (production's pair); SQLite keeps the embedded default.
    extra["REDIS_URL"] = REDIS_URL if REDIS_URL and database_url.startswith("postgres") else ""
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
