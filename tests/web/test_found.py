"""Being found, with the real knowledge base: robots.txt, sitemap.xml in three languages with
hreflang alternates and lastmod, the favicon, canonical links, a description per page, Open
Graph tags and the Highwire Press citation_* tags Zotero reads."""

import html
import re
import xml.etree.ElementTree as ET

import pytest

from agreements.models import Agreement
from countries.models import Country
from instruments.models import Instrument

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def meta_tags(response):
    """{name or property: [content, …]} of the page's <meta> tags."""
    tags = {}
    for name, content in re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)">', response.content.decode()):
        tags.setdefault(name, []).append(html.unescape(content))
    return tags


def link_href(response, rel):
    match = re.search(rf'<link rel="{rel}" href="([^"]+)"', response.content.decode())
    return match and html.unescape(match.group(1))


def sitemap_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.find(f"{SITEMAP}loc").text: {
            "lastmod": getattr(url.find(f"{SITEMAP}lastmod"), "text", None),
            "alternates": {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")},
        }
        for url in root.findall(f"{SITEMAP}url")
    }


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, kb):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "User-agent: *" in text and "Allow: /" in text
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://127.0.0.1/sitemap.xml" in text.splitlines()


def test_robots_txt_and_sitemap_use_the_canonical_base(client, kb, settings):
    settings.KB_CANONICAL_URL = "https://kb.example.org"
    assert "Sitemap: https://kb.example.org/sitemap.xml" in client.get("/robots.txt").content.decode()
    urls = sitemap_urls(client)
    assert "https://kb.example.org/en/instruments/eu-dir-2009-50/" in urls
    assert all(url.startswith("https://kb.example.org/") for url in urls)
    page = client.get("/ru/instruments/eu-dir-2009-50/?utm=x")
    assert link_href(page, "canonical") == "https://kb.example.org/ru/instruments/eu-dir-2009-50/"
    assert meta_tags(page)["og:url"] == ["https://kb.example.org/ru/instruments/eu-dir-2009-50/"]


def test_sitemap_lists_every_instrument_page_in_three_languages(client, kb):
    urls = sitemap_urls(client)
    instrument_pages = [url for url in urls if re.search(r"/(en|ru|kk)/instruments/[^/]+/$", url)]
    assert len(instrument_pages) == 3 * Instrument.objects.real().count()
    entry = urls["http://127.0.0.1/ru/instruments/eu-dir-2009-50/"]
    assert entry["alternates"] == {
        "en": "http://127.0.0.1/en/instruments/eu-dir-2009-50/",
        "ru": "http://127.0.0.1/ru/instruments/eu-dir-2009-50/",
        "kk": "http://127.0.0.1/kk/instruments/eu-dir-2009-50/",
    }
    updated = Instrument.objects.get(pk="eu-dir-2009-50").updated_at
    assert entry["lastmod"].startswith(updated.date().isoformat())


def test_sitemap_lists_every_other_public_page(client, kb):
    urls = sitemap_urls(client)
    for lang in ("en", "ru", "kk"):
        for path in ("", "instruments/", "agreements/", "sources/", "errata/", "map/", "timeline/"):
            assert f"http://127.0.0.1/{lang}/{path}" in urls
    assert sum("/agreements/" in url and not url.endswith("/agreements/") for url in urls) == 3 * (
        Agreement.objects.real().count()
    )
    assert sum("/countries/" in url for url in urls) == 3 * Country.objects.count()
    assert urls["http://127.0.0.1/kk/agreements/kz-de-readmission/"]["lastmod"]
    # Every address in it answers.
    for url in ("/kk/countries/DE/", "/ru/agreements/kz-de-readmission/", "/en/errata/"):
        assert f"http://127.0.0.1{url}" in urls and client.get(url).status_code == 200


def test_favicon_is_linked_and_answers_at_favicon_ico(client, kb):
    page = client.get("/en/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(response.streaming_content)


def test_canonical_link_drops_filters_and_keeps_the_page_number(client, kb):
    assert link_href(client.get("/en/instruments/?jurisdiction=eu"), "canonical") == "http://127.0.0.1/en/instruments/"
    assert link_href(client.get("/en/instruments/?page=2"), "canonical") == "http://127.0.0.1/en/instruments/?page=2"


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_description_comes_from_the_records_summary_in_the_pages_language(client, kb, lang):
    instrument = Instrument.objects.get(pk="eu-dir-2009-50")
    summary = getattr(instrument, f"summary_{lang}") or instrument.summary_en
    tags = meta_tags(client.get(f"/{lang}/instruments/eu-dir-2009-50/"))
    (description,) = tags["description"]
    assert len(description) <= 160
    assert summary.startswith(description.rstrip("…")[:100])
    assert tags["og:description"] == [description]
    assert tags["og:type"] == ["article"]
    assert tags["og:locale"] == [{"en": "en_GB", "ru": "ru_RU", "kk": "kk_KZ"}[lang]]
    assert len(tags["og:locale:alternate"]) == 2
    assert tags["og:url"] == [f"http://127.0.0.1/{lang}/instruments/eu-dir-2009-50/"]


def test_every_page_type_has_its_own_description_and_open_graph_title(client, kb):
    seen = set()
    for url in (
        "/en/",
        "/en/instruments/",
        "/en/agreements/",
        "/en/errata/",
        "/en/sources/",
        "/en/map/",
        "/en/timeline/",
        "/en/countries/DE/",
        "/en/agreements/kz-de-readmission/",
        "/en/instruments/eaeu-treaty-2014/",
    ):
        tags = meta_tags(client.get(url))
        assert tags["og:title"][0] and tags["og:description"] == tags["description"], url
        seen.add(tags["description"][0])
    assert len(seen) == 10


def test_instrument_page_carries_highwire_citation_tags(client, kb):
    instrument = Instrument.objects.get(pk="eu-dir-2009-50")
    tags = meta_tags(client.get("/en/instruments/eu-dir-2009-50/"))
    assert tags["citation_title"] == [instrument.title_en]
    assert instrument.date_adopted_precision == "day"
    assert tags["citation_date"] == [instrument.date_adopted.strftime("%Y/%m/%d")] == ["2009/05/25"]
    assert tags["citation_publication_date"] == tags["citation_date"]
    assert tags["citation_author"] == [instrument.issuing_body]
    assert tags["citation_technical_report_number"] == [instrument.number]
    assert tags["citation_language"] == ["en"]
    assert tags["citation_fulltext_html_url"][0].startswith("https://eur-lex.europa.eu/")


def test_citation_title_prefers_the_official_title(client, kb):
    """A Kazakh law's English title is our translation: Zotero gets the official Russian or Kazakh one."""
    instrument = Instrument.objects.get(pk="kz-zakon-2020-327-vi")
    assert instrument.title_en_kind == "unofficial" and instrument.title_ru_kind == "official"
    tags = meta_tags(client.get("/en/instruments/kz-zakon-2020-327-vi/"))
    (title,) = tags["citation_title"]
    assert title in (instrument.title_ru, instrument.title_kk) and title != instrument.title_en
    assert tags["citation_language"] in (["ru"], ["kk"])
    assert tags["citation_date"] == ["2020/05/13"]


def test_citation_date_is_only_as_precise_as_known(client, kb):
    for instrument in Instrument.objects.real().exclude(date_adopted_precision="day"):
        tags = meta_tags(client.get(instrument.get_absolute_url()))
        expected = {"year": r"\d{4}", "month": r"\d{4}/\d{2}"}.get(instrument.date_adopted_precision)
        if expected is None:
            assert "citation_date" not in tags, instrument.pk
        else:
            assert re.fullmatch(expected, tags["citation_date"][0]), instrument.pk


def test_agreement_page_carries_highwire_citation_tags(client, kb):
    agreement = Agreement.objects.get(pk="kz-de-readmission")
    tags = meta_tags(client.get("/en/agreements/kz-de-readmission/"))
    assert tags["citation_title"][0]
    if agreement.date_signed_precision == "day":
        assert tags["citation_date"] == [agreement.date_signed.strftime("%Y/%m/%d")]
    assert tags["og:type"] == ["article"]
    assert "citation_title" not in meta_tags(client.get("/en/instruments/"))
