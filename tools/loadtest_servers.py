"""The servers of `tools/loadtest.py`: gunicorn app instances and the nginx in front of them.

Everything binds to 127.0.0.1 and runs in the foreground of its own process group, so that
stopping it stops its workers too. nginx is Debian's (`apt-get install nginx-light`, done by
`make loadtest` when it is missing); it runs from a temporary prefix directory with a
configuration written here, never the system's.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    # Round robin over the app instances (docs/deploy.md, "nginx"); which one answered each request
    # is logged so the run can show that both served.
    log_format upstream '$upstream_addr $status';
    upstream kzmigration {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        access_log {prefix}/access.log upstream buffer=64k flush=1s;
        location / {{
            proxy_pass http://kzmigration;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""


def log(message):
    print(f"[loadtest] {message}", file=sys.stderr, flush=True)


def get(base, path):
    with urllib.request.urlopen(base + path, timeout=30) as response:
        return response.status, response.read()


class Process:
    """A server process with its log in a temporary file; `stop()` ends its process group."""

    def __init__(self, name, command, env):
        self.name = name
        self.log = tempfile.NamedTemporaryFile(prefix=f"kz-loadtest-{name}-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def alive(self):
        return self.process.poll() is None

    def wait_for(self, base, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            try:
                get(base, "/healthz")
                return
            except (urllib.error.URLError, ConnectionError):
                if not self.alive() or time.monotonic() > deadline:
                    sys.exit(f"{self.name} did not start:\n{self.log_text()}")
                time.sleep(0.3)

    def log_text(self):
        return Path(self.log.name).read_text(errors="replace")

    def stop(self, sig=signal.SIGTERM):
        if self.alive():
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        text = self.log_text()
        Path(self.log.name).unlink(missing_ok=True)
        return text


def gunicorn(port, env, workers):
    """One app instance: gunicorn with the settings of docs/deploy.md on 127.0.0.1:<port>."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "kzmigration.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "30",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
    ]
    return Process(f"gunicorn-{port}", command, env)


def nginx_binary():
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


class Nginx(Process):
    """nginx on 127.0.0.1:<port>, round robin over the app instances' ports."""

    def __init__(self, port, upstream_ports):
        binary = nginx_binary()
        if binary is None:
            sys.exit("nginx is not installed: apt-get install -y nginx-light (make loadtest does it)")
        self.prefix = Path(tempfile.mkdtemp(prefix="kz-loadtest-nginx-"))
        os.chmod(self.prefix, 0o755)  # the worker (user nobody when started as root) writes its temp files here
        servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in upstream_ports)
        conf = self.prefix / "nginx.conf"
        conf.write_text(NGINX_CONF.format(prefix=self.prefix, servers=servers, port=port))
        subprocess.run([binary, "-t", "-q", "-p", str(self.prefix), "-c", str(conf)], check=True, timeout=30)
        version = subprocess.run([binary, "-v"], capture_output=True, text=True).stderr.strip()
        self.version = version.split(":", 1)[-1].strip()
        super().__init__("nginx", [binary, "-p", str(self.prefix), "-c", str(conf)], os.environ.copy())

    def upstream_counts(self):
        """Requests per upstream address (and status) from the access log."""
        path = self.prefix / "access.log"
        counts = Counter()
        if path.exists():
            for line in path.read_text(errors="replace").splitlines():
                address, _, status = line.rpartition(" ")
                counts[(address, status)] += 1
        return counts

    def stop(self, sig=signal.SIGQUIT):  # SIGQUIT: graceful, the access log is flushed
        text = super().stop(sig)
        error_log = self.prefix / "error.log"
        text += error_log.read_text(errors="replace") if error_log.exists() else ""
        return text

    def cleanup(self):
        shutil.rmtree(self.prefix, ignore_errors=True)


def redis_answers(url):
    from urllib.parse import urlparse

    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=2):
            return True
    except OSError:
        return False
