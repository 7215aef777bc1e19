"""Fixtures for the real-browser, accessibility and HTML-validity tests.

Tools: Debian's chromium driven by Playwright (never `playwright install`), axe-core and
the Nu HTML Checker from node_modules (`npm ci`), java for the checker. When one is
missing the tests that need it skip with the reason, except in CI (CI=true) or with
KZ_REQUIRE_BROWSER=1, where a missing tool is a failure: a green run there means the
browser and accessibility checks really ran.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LANGUAGES = ("en", "ru", "kk")
MAX_SHOT_HEIGHT = 2000


def tools_required():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"} or os.environ.get("KZ_REQUIRE_BROWSER") == "1"


def require(available, message):
    """Skip when a tool is missing; in CI (or with KZ_REQUIRE_BROWSER=1) fail instead."""
    if available:
        return
    if tools_required():
        pytest.fail(f"{message} (required here: CI or KZ_REQUIRE_BROWSER=1 is set)", pytrace=False)
    pytest.skip(message)


def pytest_runtest_setup(item):
    """Check for chromium before any fixture runs: pytest-playwright's autouse fixtures may
    launch the browser before a test's own fixtures get a chance to skip."""
    if item.get_closest_marker("browser"):
        require(
            os.access(CHROMIUM, os.X_OK),
            f"chromium not found at {CHROMIUM}: install Debian's chromium (make test-setup) or set CHROMIUM_PATH",
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium instead of Playwright's download."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def chromium():
    require(
        os.access(CHROMIUM, os.X_OK),
        f"chromium not found at {CHROMIUM}: install Debian's chromium (make test-setup) or set CHROMIUM_PATH",
    )


@pytest.fixture
def axe_script(chromium):
    require(AXE.exists(), f"{AXE.relative_to(ROOT)} missing: run `npm ci`")
    return AXE


@pytest.fixture(scope="session")
def vnu_command():
    java = shutil.which("java")
    require(java is not None, "java not found: the Nu HTML Checker needs a Java runtime (default-jre-headless)")
    require(VNU.exists(), f"{VNU.relative_to(ROOT)} missing: run `npm ci`")
    return [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout"]


# --------------------------------------------------------------------------- a server for the browser


class KbServer:
    """`python -m tests.web.serve` (Django's runserver, threaded, the test settings) on a free
    port on 127.0.0.1, in its own process over its own database connection."""

    def __init__(self, env, log_path):
        self.log_path = log_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.test_connections = set()
        command = [sys.executable, "-m", "tests.web.serve", str(self.port)]
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )

    def log(self, last=60):
        lines = Path(self.log_path).read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(lines[-last:])

    def get(self, path):
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return response.status, response.read()

    def wait_until_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                if self.get("/healthz")[0] == 200:
                    return True
            except OSError:  # refused, reset or timed out: not listening yet
                pass
            time.sleep(0.2)
        return False

    def check_alive(self):
        if self.process.poll() is not None:
            pytest.fail(
                f"The browser tests' server exited with status {self.process.returncode}; its log:\n{self.log()}",
                pytrace=False,
            )

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_database_url(connection, directory):
    """Which database the server reads, as DATABASE_URL, and whether that is a file of its own.

    SQLite: a database file of its own, a copy of the session's test database as
    django_db_setup left it (`kb_sqlite_copy`: migrated, the real data loaded), which the
    caller writes before the server starts. The session's test database itself cannot be
    shared safely: it is an in-memory database with a shared cache, whose table locks made a
    test's teardown (check_constraints) wait for a request the server was still answering —
    the 20-minute hang this replaces.

    PostgreSQL: the session's test database (one per xdist worker), whose data
    django_db_setup has committed. The browser tests only read; each test's transaction is
    invisible to the server (MVCC), and neither ever waits on the other's reads, so a
    teardown cannot wait on a request in flight. It saves a migrate and a load per worker.
    """
    if connection.vendor == "sqlite":
        return f"sqlite:///{directory / 'browser-server.sqlite3'}", True
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = f"{credentials}@" if credentials else ""
        host += f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        return f"postgres://{host}/{quote(db['NAME'], safe='')}", False
    raise NotImplementedError(f"no browser server for {connection.vendor}")


@pytest.fixture(scope="session")
def kb_server(django_db_setup, django_db_blocker, tmp_path_factory, kb_sqlite_copy):
    """A server process on 127.0.0.1 over the real data, for the whole session (per xdist worker).

    Why a process, not a LiveServerThread in this one: the test's teardown and the server's
    requests then never share a database connection or a lock (see server_database_url), and
    a browser request still in flight when a test ends cannot hold up its teardown.

    Why not pytest-django's live_server: it forces transactional_db, which empties the
    database after every test, and reloading the knowledge base costs seconds a test.
    """
    from django.db import connection

    from instruments.models import Instrument

    directory = tmp_path_factory.mktemp("browser-server")
    database_url, own_file = server_database_url(connection, directory)
    if own_file:
        kb_sqlite_copy(directory / "browser-server.sqlite3")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="kzmigration.settings.test",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or "browser-tests-only",
        DATABASE_URL=database_url,
        PYTHONDONTWRITEBYTECODE="1",
    )
    server = KbServer(env, directory / "server.log")
    try:
        if not server.wait_until_ready(timeout=180):
            server.check_alive()
            pytest.fail(f"The browser tests' server did not answer /healthz in time; its log:\n{server.log()}")
        with django_db_blocker.unblock():
            expected = Instrument.objects.count()
        served = json.loads(server.get("/api/v1/instruments/?page_size=1")[1])["count"]
        if not expected or served != expected:
            pytest.fail(
                f"The browser tests' server serves {served} instruments and the test database holds "
                f"{expected}: the knowledge base did not load (tests/conftest.py, tests/web/serve.py)."
                f"\nThe server's log:\n{server.log()}"
            )
        yield server
    finally:
        server.stop()
        for other in server.test_connections:
            other.close()
        if not own_file:
            with django_db_blocker.unblock():
                wait_for_other_sessions_to_end(connection)


def wait_for_other_sessions_to_end(connection, timeout=15):
    """PostgreSQL ends a stopped client's session a moment after it exits; until then the test
    database cannot be dropped ("being accessed by other users")."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)


@pytest.fixture
def live_kb(kb, kb_server):
    """The server's base URL; fails clearly if the server died or an earlier test emptied the database."""
    from django.db import connections

    from instruments.models import Instrument

    kb_server.check_alive()
    # While Playwright runs, its event loop makes Django keep a connection per context, not per
    # thread: this test's is not the one django_db_setup opened. The server's teardown closes it,
    # or PostgreSQL would refuse to drop the test database ("accessed by other users").
    kb_server.test_connections.add(connections["default"])
    if not Instrument.objects.exists():
        pytest.fail(
            "The knowledge base is empty: a transactional test before this one flushed it "
            "without loading it again (tests/conftest.py loads it once per session)."
        )
    return kb_server


# --------------------------------------------------------------------------- browser pages


@pytest.fixture
def web(chromium, live_kb, page):
    """A browser page on the live server that records console errors (a CSP violation shows up there)."""
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(f"{message.text} at {message.location.get('url', '?')}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Which resource failed, so a "Failed to load resource" console message can be traced.
    page.on(
        "response",
        lambda response: (
            errors.append(f"HTTP {response.status} for {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    page.set_default_timeout(10_000)
    page.base = live_kb.url
    page.console_errors = errors
    return page


@pytest.fixture
def screenshot():
    """Save a full-page screenshot of the main pages for docs/ when SCREENSHOT_DIR or KZ_SCREENSHOTS=1 is set."""
    directory = os.environ.get("SCREENSHOT_DIR") or (
        "docs/screenshots" if os.environ.get("KZ_SCREENSHOTS") == "1" else ""
    )

    def take(page, name):
        if not directory:
            return None
        target = Path(directory)
        if not target.is_absolute():
            target = ROOT / target
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"{name}.png"
        # The whole page, but no taller than MAX_SHOT_HEIGHT: long registers would make megabyte images.
        height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_SHOT_HEIGHT)
        width = page.viewport_size["width"]
        page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
        return path

    return take


# --------------------------------------------------------------------------- the page types


def main_pages(variants=True):
    """One page of each type, as paths without the language prefix (needs the real data); with
    `variants`, also pages of those types showing other kinds of data."""
    from agreements.models import Agreement
    from instruments.models import Instrument

    blue_card = Instrument.objects.get(number__contains="2009/50")
    germany = Agreement.objects.with_partner("DE").get()
    pages = {
        "home": "/",
        "instrument-list": "/instruments/",
        "instrument": f"/instruments/{blue_card.pk}/",
        "agreement-list": "/agreements/",
        "agreement": f"/agreements/{germany.pk}/",
        "country": "/countries/DE/",
        "sources": "/sources/",
        "errata": "/errata/",
        "map": "/map/",
        "timeline": "/timeline/",
        "data": "/data/",
        "compare": "/compare/?on=2026-12-01",
        "events": "/events/",
        "instrument-history": f"/instruments/{blue_card.pk}/history/",
    }
    if variants:
        # The new data (issue 11): a regulation applicable later, a proposal, a treaty with
        # Kazakhstan's accession and its parties, a protocol, a country with agreements of several types.
        pages |= {
            "instrument-pact": "/instruments/eu-reg-2024-1348/?on=2026-06-11",
            "instrument-proposal": "/instruments/eu-prop-2025-101/",
            "instrument-treaty": "/instruments/un-convention-1951-refugees/",
            "instrument-parties": "/instruments/eu-kz-epca/",
            "agreement-protocol": "/agreements/kz-kg-stay-of-citizens-2016/",
            "country-several-types": "/countries/UZ/",
            "map-of-one-type": "/map/?type=labour_migration",
            "timeline-by-kind": "/timeline/?group=kind&subject=legal_entry_stay-asylum_international_protection"
            "&from_year=2000&to_year=2024",
        }
    return pages
