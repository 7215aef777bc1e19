"""Fixtures for the real-browser, accessibility and HTML-validity tests.

Tools: Debian's chromium driven by Playwright (never `playwright install`), axe-core and
the Nu HTML Checker from node_modules (`npm ci`), java for the checker. When one is
missing the tests that need it skip with the reason, except in CI (CI=true) or with
KZ_REQUIRE_BROWSER=1, where a missing tool is a failure: a green run there means the
browser and accessibility checks really ran.
"""

import os
import shutil
from pathlib import Path

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


@pytest.fixture(scope="session")
def kb_server(django_db_setup, django_db_blocker):
    """A live server on 127.0.0.1 over the real data, for the whole session.

    Why not pytest-django's live_server: it forces transactional_db, which empties the
    database after every test, and reloading the knowledge base costs 12-25 s a test.
    These tests only read, so they use the `db` fixture (rolled back, nothing flushed) and
    this server, whose threads open their own connections and see the data that
    django_db_setup committed (on SQLite the test database is a shared-cache in-memory
    database, so other threads' connections see it too).
    """
    from django.test.testcases import LiveServerThread, _StaticFilesHandler

    server = LiveServerThread("127.0.0.1", _StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    server.url = f"http://127.0.0.1:{server.port}"
    yield server
    server.terminate()


@pytest.fixture
def live_kb(kb, kb_server):
    """The server's base URL; fails clearly if an earlier test emptied the database."""
    from instruments.models import Instrument

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


def main_pages():
    """One page of each type, as paths without the language prefix (needs the real data)."""
    from agreements.models import Agreement
    from instruments.models import Instrument

    blue_card = Instrument.objects.get(number__contains="2009/50")
    germany = Agreement.objects.with_partner("DE").get()
    return {
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
    }
