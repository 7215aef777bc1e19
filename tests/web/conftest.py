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
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LANGUAGES = ("en", "ru", "kk")


def tools_required():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"} or os.environ.get("KZ_REQUIRE_BROWSER") == "1"


def require(available, message):
    """Skip when a tool is missing; in CI (or with KZ_REQUIRE_BROWSER=1) fail instead."""
    if available:
        return
    if tools_required():
        pytest.fail(f"{message} (required here: CI or KZ_REQUIRE_BROWSER=1 is set)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium instead of Playwright's download."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def chromium():
    require(os.access(CHROMIUM, os.X_OK),
            f"chromium not found at {CHROMIUM}: install Debian's chromium (make test-setup) or set CHROMIUM_PATH")


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


# --------------------------------------------------------------------------- data for the live server


@pytest.fixture
def live_kb(transactional_db, live_server):
    """The live server with the real data.

    A live server needs committed data (transactional_db), and transactional_db empties
    the database after each test, so the knowledge base is loaded again when missing.
    """
    from instruments.models import Instrument

    if not Instrument.objects.exists():
        call_command("load_kb", verbosity=0)
    return live_server


@pytest.fixture(scope="module", autouse=True)
def _restore_kb_after_transactional_tests(request, django_db_blocker):
    """Leave the real data in place for later tests after transactional tests emptied the database."""
    yield
    items = [item for item in request.session.items if getattr(item, "module", None) is request.module]
    if not any("transactional_db" in item.fixturenames for item in items):
        return
    from instruments.models import Instrument

    with django_db_blocker.unblock():
        if not Instrument.objects.exists():
            call_command("load_kb", verbosity=0)


# --------------------------------------------------------------------------- browser pages


@pytest.fixture
def web(chromium, live_kb, page):
    """A browser page on the live server that records console errors (a CSP violation shows up there)."""
    errors = []
    page.on("console", lambda message: errors.append(f"{message.text} at {message.location.get('url', '?')}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Which resource failed, so a "Failed to load resource" console message can be traced.
    page.on("response", lambda response: errors.append(f"HTTP {response.status} for {response.url}")
            if response.status >= 400 and response.request.resource_type != "document" else None)
    page.set_default_timeout(10_000)
    page.base = live_kb.url
    page.console_errors = errors
    return page


@pytest.fixture
def screenshot():
    """Save a full-page screenshot of the main pages for docs/ when SCREENSHOT_DIR or KZ_SCREENSHOTS=1 is set."""
    directory = os.environ.get("SCREENSHOT_DIR") or ("docs/screenshots" if os.environ.get("KZ_SCREENSHOTS") == "1" else "")

    def take(page, name):
        if not directory:
            return None
        target = Path(directory)
        if not target.is_absolute():
            target = ROOT / target
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
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
