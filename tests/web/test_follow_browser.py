"""A reader follows a state: the country page names its Atom feed, in the head and in the page,
and the feed answers valid Atom whose entries are that state's records."""

import feedparser
import pytest
from playwright.sync_api import expect

from agreements.models import Agreement

pytestmark = pytest.mark.browser


def test_reader_subscribes_to_uzbekistans_feed(web):
    web.goto(web.base + "/en/countries/UZ/")
    head_link = web.locator('head link[rel="alternate"][type="application/atom+xml"][href*="/country/UZ/"]')
    expect(head_link).to_have_count(1)
    link = web.get_by_role("link", name="Follow the changes concerning this state (Atom feed)")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href == head_link.get_attribute("href") == "/en/feeds/changes/country/UZ/"
    response = web.request.get(web.base + href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.body())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert "Uzbekistan" in feed.feed.title
    agreements = set(Agreement.objects.with_partner("UZ").values_list("pk", flat=True))
    linked = {
        entry.link.split("/agreements/")[1].split("/")[0] for entry in feed.entries if "/agreements/" in entry.link
    }
    assert agreements and agreements <= linked
    assert [e for e in web.console_errors if "favicon" not in e] == []
