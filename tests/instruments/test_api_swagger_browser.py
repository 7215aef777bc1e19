"""The interactive API docs work in a real browser, from local files, under the site's
Content-Security-Policy (Playwright driving Debian's chromium)."""

import os

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync"]}


def test_swagger_ui_lists_the_operations_without_outside_requests(page, live_server):
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"chromium not found at {CHROMIUM}")
        pytest.skip(f"chromium not found at {CHROMIUM}")
    problems, requests = [], []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server.url + "/api/docs/")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/agreements/").first).to_be_visible(timeout=15000)
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/instruments/{id}/")).to_be_visible()
    assert [url for url in requests if not url.startswith(live_server.url)] == []
    assert [text for text in problems if "favicon" not in text] == []
