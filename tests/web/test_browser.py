"""The issue's user stories in a real browser (Playwright driving Debian's chromium).

Each test also checks that the browser reported no console error: with the strict
Content-Security-Policy, an inline script or style would show up there.
"""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement
from core.lifecycle import today
from instruments.models import Instrument

from .conftest import main_pages

pytestmark = pytest.mark.browser

# The main pages photographed for docs/ui.md (sources and errata are long registers).
SCREENSHOT_PAGES = {
    "home",
    "instrument-list",
    "instrument",
    "agreement-list",
    "agreement",
    "country",
    "map",
    "timeline",
}


def no_console_errors(page):
    assert [e for e in page.console_errors if "favicon" not in e] == []


def test_student_filters_agreements_by_germany_and_opens_the_agreement(web, screenshot):
    germany = Agreement.objects.with_partner("DE").get()
    web.goto(web.base + "/en/agreements/")
    screenshot(web, "agreement-list")
    web.get_by_label("Partner state").select_option("DE")
    web.get_by_role("button", name="Apply filters").click()
    expect(web).to_have_url(re.compile(r"/en/agreements/\?(.*&)?country=DE(&|$)"))
    rows = web.locator("table.records tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link").click()
    expect(web).to_have_url(f"{web.base}/en/agreements/{germany.pk}/")
    expect(web.locator("h1")).to_contain_text("Germany")
    screenshot(web, "agreement")
    no_console_errors(web)


def test_researcher_finds_the_blue_card_directive_and_follows_its_successor(web, screenshot):
    old = Instrument.objects.get(number__contains="2009/50")
    new = Instrument.objects.get(number__contains="2021/1883")
    web.goto(web.base + "/en/instruments/")
    screenshot(web, "instrument-list")
    web.get_by_label("Search titles, numbers and summaries").fill("2009/50/EC")
    web.get_by_role("button", name="Apply filters").click()
    web.locator("table.records").get_by_role("link", name="2009/50/EC").first.click()
    expect(web).to_have_url(f"{web.base}/en/instruments/{old.pk}/")
    main = web.locator("main")
    expect(main).to_contain_text(re.compile(r"[Rr]epealed by"))
    expect(main).to_contain_text("no longer in force")
    screenshot(web, "instrument")
    main.get_by_role("link", name="Directive (EU) 2021/1883").first.click()
    expect(web).to_have_url(f"{web.base}/en/instruments/{new.pk}/")
    expect(web.locator("h1")).to_contain_text("2021/1883")
    no_console_errors(web)


def test_switching_to_kazakh_keeps_the_page(web):
    old = Instrument.objects.get(number__contains="2009/50")
    web.goto(f"{web.base}/en/instruments/{old.pk}/")
    web.get_by_role("navigation", name="Language").get_by_role("link", name="Қазақша").click()
    expect(web).to_have_url(f"{web.base}/kk/instruments/{old.pk}/")
    expect(web.locator("html")).to_have_attribute("lang", "kk")
    # The interface is in Kazakh: the main navigation's first entry is no longer English.
    expect(web.locator("nav a[href='/kk/instruments/']").first).not_to_have_text("Instruments")
    expect(web.locator("h1")).to_contain_text("2009/50")
    no_console_errors(web)


def test_filtered_list_downloads_as_csv_with_the_same_rows(web):
    web.goto(web.base + "/en/agreements/")
    web.get_by_label("Partner is a member of").select_option("eu")
    web.get_by_role("button", name="Apply filters").click()
    expect(web).to_have_url(re.compile(r"member_of=eu"))
    links = web.locator("table.records tbody tr th a")
    shown = {
        re.search(r"/agreements/([^/]+)/$", href).group(1) for href in links.evaluate_all("as => as.map(a => a.href)")
    }
    expected = set(Agreement.objects.real().with_partner_member_of("eu", today()).values_list("pk", flat=True))
    assert shown == expected and len(shown) >= 5  # Germany, Czechia, Hungary, Latvia, Lithuania, Benelux …
    with web.expect_download() as download_info:
        web.get_by_role("link", name="CSV").click()
    download = download_info.value
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert {row["id"] for row in rows} == shown
    assert len(rows) == len(shown)
    no_console_errors(web)


def test_clicking_germany_on_the_map_opens_its_page(web, screenshot):
    web.goto(web.base + "/en/map/")
    screenshot(web, "map")
    web.locator("svg.world-map__svg:not(.world-map__inset) a[data-country='DE']").click()
    expect(web).to_have_url(f"{web.base}/en/countries/DE/")
    expect(web.locator("h1")).to_contain_text("Germany")
    screenshot(web, "country")
    no_console_errors(web)


def test_map_countries_are_links_a_keyboard_can_follow(web):
    web.goto(web.base + "/en/map/")
    kazakhstan = web.locator("svg.world-map__svg:not(.world-map__inset) a[data-country='KZ']")
    kazakhstan.focus()
    web.keyboard.press("Enter")
    expect(web).to_have_url(f"{web.base}/en/countries/KZ/")


def test_timeline_filters_from_its_form(web, screenshot):
    web.goto(web.base + "/en/timeline/")
    screenshot(web, "timeline")
    web.get_by_text("Filter the timeline").first.click()
    web.get_by_label("Partner country (ISO code)").fill("DE")
    web.get_by_role("button", name="Apply filters").click()
    expect(web.locator("g.timeline-row")).to_have_count(1)
    expect(web.locator("table.timeline-table tbody")).to_contain_text("Germany")
    no_console_errors(web)


def test_main_pages_fit_a_360_pixel_screen(web, screenshot):
    web.set_viewport_size({"width": 360, "height": 800})
    too_wide = {}
    for name, path in main_pages().items():
        web.goto(f"{web.base}/en{path}")
        width = web.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[name] = width
    web.goto(web.base + "/en/")
    screenshot(web, "home-360px")
    assert too_wide == {}
    no_console_errors(web)


def test_screenshots_of_the_main_pages(web, screenshot):
    """Every main page renders its heading without console errors (and is photographed for docs/)."""
    web.set_viewport_size({"width": 1280, "height": 900})
    for name, path in main_pages().items():
        web.goto(f"{web.base}/en{path}")
        expect(web.locator("h1")).to_have_count(1)
        if name in SCREENSHOT_PAGES:
            screenshot(web, name)
    no_console_errors(web)
