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
    "compare",
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


def test_researcher_compares_family_reunification_in_the_eu_and_kazakhstan_on_two_dates(web, screenshot):
    """On 2020-01-01, then on 2026-12-01 with the changes since 2020-01-01: the family reunification
    row keeps Directive 2003/86/EC (EU) and the Migration Law of 2011 (Kazakhstan), and says that
    nothing changed there; its parent row, legal entry and stay, shows the EU's asylum changes."""
    family = "legal_entry_stay-family_reunification"
    web.goto(web.base + "/en/")
    web.get_by_role("navigation", name="Main").get_by_role("link", name="Compare").click()
    expect(web).to_have_url(f"{web.base}/en/compare/")
    web.get_by_label("Law on").fill("2020-01-01")
    web.get_by_label("Subject", exact=True).select_option(family)
    web.get_by_role("button", name="Compare").click()
    expect(web).to_have_url(re.compile(r"/en/compare/\?(.*&)?on=2020-01-01(&|$)"))
    table = web.get_by_role("table")
    expect(table.locator("caption")).to_contain_text("1 January 2020")
    row = table.locator(f'tr[data-subject="{family}"]')
    expect(row.get_by_role("rowheader")).to_have_text("Family reunification")
    eu, kz = row.locator('td[data-order="eu"]'), row.locator('td[data-order="kz"]')
    expect(eu.get_by_role("link", name="Directive 2003/86/EC")).to_be_visible()
    expect(kz.get_by_role("link")).not_to_have_count(0)
    kazakh_2020 = kz.get_by_role("link").all_inner_texts()
    expect(row.locator('td[data-order="eaeu"]')).to_have_text("No instrument in the knowledge base")

    web.get_by_label("Law on").fill("2026-12-01")
    web.get_by_label("Changes since").fill("2020-01-01")
    web.get_by_role("button", name="Compare").click()
    expect(web).to_have_url(re.compile(r"since=2020-01-01"))
    changes = web.get_by_role("region", name=re.compile("What changed between 1 January 2020 and 1 December 2026"))
    expect(changes).to_be_visible()
    row = web.get_by_role("table").locator(f'tr[data-subject="{family}"]')
    eu, kz = row.locator('td[data-order="eu"]'), row.locator('td[data-order="kz"]')
    expect(eu.get_by_role("link", name="Directive 2003/86/EC")).to_be_visible()
    assert kz.get_by_role("link").all_inner_texts() == kazakh_2020
    expect(eu).to_contain_text("No change")
    expect(kz).to_contain_text("No change")
    screenshot(web, "compare-two-dates")

    # The parent row counts family reunification and asylum: the Pact replaced the asylum procedures directive.
    web.get_by_label("Subject", exact=True).select_option("legal_entry_stay")
    web.get_by_role("button", name="Compare").click()
    parent = web.get_by_role("table").locator('tr[data-subject="legal_entry_stay"] td[data-order="eu"]')
    # (The cells name records by their short titles: "Asylum Procedures Directive", "… Regulation".)
    expect(parent.locator('.compare__list--left a[href="/en/instruments/eu-dir-2013-32/"]')).to_be_visible()
    entered = parent.locator('.compare__list--applicable li:has(a[href="/en/instruments/eu-reg-2024-1348/"])')
    expect(entered).to_contain_text("entered")
    expect(parent.locator(".compare__list--applicable")).to_contain_text("Directive 2003/86/EC")

    # The same comparison as CSV, from the page's own link.
    with web.expect_download() as download:
        web.get_by_role("link", name="CSV").click()
    lines = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert {(line["order"], line["category"], line["id"]) for line in lines} >= {
        ("eu", "left", "eu-dir-2013-32"),
        ("eu", "entered", "eu-reg-2024-1348"),
    }
    no_console_errors(web)


def test_compare_fits_a_360_pixel_screen_and_its_table_scrolls(web):
    web.set_viewport_size({"width": 360, "height": 800})
    web.goto(web.base + "/en/compare/?since=2026-01-01&on=2026-12-01")
    assert web.evaluate("document.documentElement.scrollWidth") <= 360
    region = web.get_by_role("region", name=re.compile("Migration law by subject and legal order"))
    assert region.evaluate("element => element.scrollWidth > element.clientWidth")
    region.focus()
    web.keyboard.press("ArrowRight")
    no_console_errors(web)
