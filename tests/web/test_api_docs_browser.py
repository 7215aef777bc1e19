"""The interactive API docs work in a real browser, from local files, under the site's
Content-Security-Policy (Playwright driving Debian's chromium).

It uses the session's live server over the real data (tests/web/conftest.py) rather than
pytest-django's live_server, whose transactional database would be emptied afterwards.
"""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_swagger_ui_lists_the_operations_without_outside_requests(web):
    requests = []
    web.on("request", lambda request: requests.append(request.url))
    web.goto(web.base + "/api/docs/")
    expect(web.locator(".opblock-summary-path", has_text="/api/v1/agreements/").first).to_be_visible(timeout=15000)
    expect(web.locator(".opblock-summary-path", has_text="/api/v1/instruments/{id}/")).to_be_visible()
    assert [url for url in requests if not url.startswith(web.base)] == []
    assert [text for text in web.console_errors if "favicon" not in text] == []
