"""Server-rendered pages with the real knowledge base: content, languages, filters, redirects,
citations, JSON-LD and the query budget."""

import html
import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement
from instruments.models import Instrument

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "ru", "kk")
QUERY_BUDGET = 6

# One URL per page type, with something each page must show whatever the language.
PAGES = [
    ("/{lang}/", "/{lang}/instruments/"),
    ("/{lang}/instruments/", "/{lang}/instruments/un-convention-1951-refugees/"),
    ("/{lang}/instruments/eu-dir-2009-50/", "32009L0050"),
    ("/{lang}/instruments/eaeu-treaty-2014/", "/{lang}/instruments/eaeu-treaty-2014/cite.bib"),
    ("/{lang}/agreements/", "/{lang}/agreements/kz-benelux-readmission/"),
    ("/{lang}/agreements/kz-benelux-readmission/", "430-V"),
    ("/{lang}/countries/DE/", "/{lang}/agreements/kz-de-readmission/"),
    ("/{lang}/sources/", "/{lang}/instruments/kz-pp-2022-961/"),
    ("/{lang}/errata/", "2022 жылғы 30 желтоқсандағы № 961 қаулысы"),
]


def text_of(response):
    """The visible text of <main>, tags removed and whitespace collapsed."""
    page = response.content.decode()
    main = re.search(r"<main\b.*?</main>", page, re.S).group(0)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main))).strip()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("url, expected", PAGES)
def test_every_page_type_renders_in_each_language(client, kb, url, expected, lang):
    response = client.get(url.format(lang=lang))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{lang}">' in page
    assert expected.format(lang=lang) in page
    assert page.count("<h1") == 1
    assert 'href="#main"' in page and '<main id="main"' in page


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("url, expected", PAGES)
def test_every_page_stays_within_the_query_budget(client, kb, url, expected, lang):
    client.get(url.format(lang=lang))  # warm per-process caches (e.g. SQLite's JSON support check)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url.format(lang=lang))
    assert response.status_code == 200
    assert len(queries) <= QUERY_BUDGET, [q["sql"][:120] for q in queries.captured_queries]


def test_filtered_lists_stay_within_the_query_budget(client, kb):
    for url in (
        "/en/instruments/?jurisdiction=eu&status=in_force&q=directive&subject=work_permit",
        "/en/agreements/?member_of=eu&in_force_on=2017-01-01&country=DE",
    ):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) <= QUERY_BUDGET, url


def test_repealed_directive_names_its_successor_and_the_date(client, kb):
    response = client.get("/en/instruments/eu-dir-2009-50/")
    assert "Repealed by Directive (EU) 2021/1883 with effect from 19 November 2023" in text_of(response)
    assert 'href="/en/instruments/eu-dir-2021-1883/"' in response.content.decode()
    assert "no longer in force" in text_of(response)
    assert 'href="/en/instruments/?subject=highly_skilled_workers"' in response.content.decode()


def test_the_successor_says_what_it_repeals(client, kb):
    text = text_of(client.get("/en/instruments/eu-dir-2021-1883/"))
    assert "Repeals Directive 2009/50/EC with effect from 19 November 2023" in text


def test_instrument_page_links_to_official_texts(client, kb):
    page = client.get("/en/instruments/eu-dir-2009-50/").content.decode()
    assert 'href="https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32009L0050"' in page
    page = client.get("/en/instruments/kz-pp-2022-961/").content.decode()
    assert "https://adilet.zan.kz/rus/docs/" in page


def test_instrument_page_shows_sources_per_field_and_what_the_article_says(client, kb):
    page = client.get("/en/instruments/eaeu-treaty-2014/").content.decode()
    assert '<details class="sources">' in page
    text = text_of(client.get("/en/instruments/eaeu-treaty-2014/"))
    assert "What the article says" in text
    assert "which was adopted on May 29, 2014" in text
    assert "Where the article is wrong" in text


def test_instrument_page_says_when_the_record_was_last_updated(client, kb):
    # The record's own time (its data file's updated_at), not the day the data was loaded.
    page = client.get("/en/instruments/eu-dir-2009-50/").content.decode()
    assert 'Last updated: <time datetime="2026-12-01">1 December 2026</time>' in page


def test_country_page_lists_the_benelux_agreement(client, kb):
    response = client.get("/en/countries/LU/")
    assert response.status_code == 200
    assert 'href="/en/agreements/kz-benelux-readmission/"' in response.content.decode()
    assert "Luxembourg" in text_of(response)


def test_country_code_in_lower_case_redirects_and_unknown_code_is_404(client, kb):
    response = client.get("/en/countries/lu/")
    assert response.status_code == 301 and response["Location"] == "/en/countries/LU/"
    assert client.get("/en/countries/QQ/").status_code == 404


def test_country_page_shows_memberships_and_the_instruments_they_bring(client, kb):
    text = text_of(client.get("/en/countries/DE/"))
    assert "European Union" in text
    assert "Directive 2003/86/EC" in text  # an EU directive applies to a member state


def test_agreements_filtered_by_germany_show_the_germany_agreement_only(client, kb):
    response = client.get("/en/agreements/?country=DE")
    assert response.status_code == 200
    listed = set(re.findall(r'href="/en/agreements/([\w-]+)/"', response.content.decode()))
    assert listed == {"kz-de-readmission"}
    assert "1 agreement" in text_of(response)


def test_partner_select_lists_partner_states_with_counts(client, kb):
    page = client.get("/en/agreements/").content.decode()
    assert re.search(r'<option value="LU">Luxembourg \(1\)</option>', page)
    assert re.search(
        r'<option value="DE" selected>Germany \(1\)</option>', client.get("/en/agreements/?country=DE").content.decode()
    )


def test_agreements_list_shows_parties_ratification_and_entry_into_force(client, kb):
    text = text_of(client.get("/en/agreements/?country=LU"))
    assert "Belgium, Luxembourg, Netherlands" in text
    assert "№ 430-V" in text
    assert "1 June 2017" in text


def test_agreement_page_says_what_the_article_lists(client, kb):
    text = text_of(client.get("/en/agreements/kz-kg-readmission/"))
    assert "Kyrgyzstan" in text
    assert "'13 other states'" in text


@pytest.mark.parametrize("path", ["/eu/dir/2003/86", "/en/eu/dir/2003/86", "/eu/dir/2003/86/"])
def test_eli_path_redirects_to_the_instrument_page(client, kb, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/en/instruments/eu-dir-2003-86/"


def test_eli_paths_of_every_jurisdiction_resolve(client, kb):
    instruments = list(Instrument.objects.all())
    assert {i.jurisdiction for i in instruments} == {"eu", "eaeu", "cis", "kz", "un"}
    for instrument in instruments:
        response = client.get(f"/ru{instrument.eli_path}")
        assert response["Location"] == f"/ru/instruments/{instrument.pk}/", instrument.eli_path


def test_unknown_eli_path_is_a_404_in_the_site_style(client, kb):
    response = client.get("/en/eu/dir/1999/1")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()


def test_server_error_page_stands_alone_in_the_site_style():
    from django.template.loader import render_to_string

    page = render_to_string("500.html")  # rendered without a request or context processors
    assert '<html lang="en">' in page and 'class="site-header"' in page
    assert '<p lang="kk">' in page and "/static/css/site.css" in page


def test_root_redirects_by_browser_language(client, kb):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="kk")["Location"] == "/kk/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")["Location"] == "/ru/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de")["Location"] == "/en/"


def test_kazakh_page_shows_kazakh_interface(client, kb):
    text = text_of(client.get("/kk/instruments/eu-dir-2009-50/"))
    assert "Байланысты құжаттар" in text  # "Related instruments"
    assert "Деректер және олардың дереккөздері" in text
    assert "2023 ж. 19 қараша" in text
    assert "күшін жойған" in text  # status "no longer in force"


def test_russian_page_shows_russian_interface(client, kb):
    text = text_of(client.get("/ru/agreements/"))
    assert "Соглашения с государствами-партнёрами" in text
    assert "Применить фильтры" in text


def test_unofficial_translation_is_marked(client, kb):
    # The Russian title of Directive 2009/50/EC is an unofficial translation.
    assert Instrument.objects.get(pk="eu-dir-2009-50").title_ru_kind == "unofficial"
    page = client.get("/ru/instruments/eu-dir-2009-50/").content.decode()
    assert re.search(r'<small class="marker marker-unofficial">неофициальный перевод</small>', page)


def test_fallback_to_another_language_is_marked(client, kb):
    # Directive 2003/86/EC has no Russian title: it is shown in English, marked, with lang="en".
    assert Instrument.objects.get(pk="eu-dir-2003-86").title_ru == ""
    page = client.get("/ru/instruments/eu-dir-2003-86/").content.decode()
    assert '<span lang="en">Council Directive 2003/86/EC' in page
    assert "показано на английском — текста на русском нет" in page


def test_language_switcher_keeps_the_page_and_its_filters(client, kb):
    page = client.get("/en/agreements/?country=DE").content.decode()
    assert 'href="/kk/agreements/?country=DE" lang="kk" hreflang="kk"' in page
    assert 'hreflang="ru" href="http://127.0.0.1/ru/agreements/?country=DE"' in page.replace(
        '<link rel="alternate" ', ""
    )


def test_hreflang_x_default_is_the_unprefixed_address_that_redirects_by_language(client, kb):
    page = client.get("/ru/instruments/eu-dir-2009-50/").content.decode()
    assert '<link rel="alternate" hreflang="x-default" href="http://127.0.0.1/instruments/eu-dir-2009-50/">' in page
    response = client.get("/instruments/eu-dir-2009-50/", HTTP_ACCEPT_LANGUAGE="kk")
    assert response["Location"] == "/kk/instruments/eu-dir-2009-50/"


def test_citations_download_in_three_formats(client, kb):
    bib = client.get("/en/instruments/eu-dir-2009-50/cite.bib")
    assert bib["Content-Type"].startswith("application/x-bibtex")
    assert "attachment" in bib["Content-Disposition"]
    assert "Council Directive 2009/50/EC of 25 May 2009 on the conditions of entry" in bib.content.decode()
    ris = client.get("/en/instruments/eu-dir-2009-50/cite.ris").content.decode()
    assert "TI  - Council Directive 2009/50/EC" in ris and "DA  - 2009/05/25/" in ris and ris.rstrip().endswith("ER  -")
    csl = json.loads(client.get("/en/instruments/eu-dir-2009-50/cite.json").content)
    assert csl[0]["type"] == "legislation"
    assert csl[0]["issued"] == {"date-parts": [[2009, 5, 25]]}
    assert client.get("/en/instruments/eu-dir-2009-50/cite.doc").status_code == 404


def test_json_ld_in_head_is_schema_org_legislation(client, kb):
    page = client.get("/en/instruments/eu-dir-2009-50/").content.decode()
    head = page.split("</head>")[0]
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S).group(1))
    node = data["@graph"][0]
    assert "Legislation" in node["@type"]
    assert node["legislationLegalForce"] == {"@id": "schema:NotInForce"}
    assert node["legislationIdentifier"][0] == "32009L0050"


def test_search_highlights_matches_and_escapes(client, kb):
    response = client.get("/en/instruments/?q=2009/50")
    page = response.content.decode()
    assert "<mark>2009/50</mark>" in page
    expected = {"eu-dir-2009-50", "eu-dir-2021-1883"}
    if connection.vendor == "postgresql":  # "2009" and "50" as two words (test_api_instruments.py)
        expected |= {"eu-dir-2009-52", "eu-reg-2009-810", "eu-reg-2019-1155"}
    assert set(re.findall(r'href="/en/instruments/([\w-]+)/"', page)) == expected
    page = client.get("/en/instruments/?q=%3Cscript%3E").content.decode()
    assert "<script>" not in page.split("</head>")[1]


def test_facet_counts_match_the_data(client, kb):
    page = client.get("/en/instruments/").content.decode()
    eu = Instrument.objects.filter(jurisdiction="eu").count()
    assert f'<option value="eu">European Union ({eu})</option>' in page
    page = client.get("/en/instruments/?jurisdiction=eu").content.decode()
    directives = Instrument.objects.filter(jurisdiction="eu", kind="directive").count()
    assert f'<option value="directive">Directive ({directives})</option>' in page


def test_each_facet_counts_without_its_own_filter(client, kb):
    page = client.get("/en/instruments/?jurisdiction=eu&kind=directive").content.decode()
    eu = Instrument.objects.filter(jurisdiction="eu")
    kz_directives = Instrument.objects.filter(jurisdiction="kz", kind="directive").count()
    # Jurisdiction counts apply the kind filter only; kind counts apply the jurisdiction filter only.
    assert f'<option value="eu" selected>European Union ({eu.filter(kind="directive").count()})</option>' in page
    assert ('<option value="kz">' in page) is (kz_directives > 0)
    assert f'<option value="regulation">Regulation ({eu.filter(kind="regulation").count()})</option>' in page
    assert f"{eu.filter(kind='directive').count()} instruments" in text_of(
        client.get("/en/instruments/?jurisdiction=eu&kind=directive")
    )


def test_pagination_keeps_the_filters_and_the_query_budget(client, kb):
    call_command("gen_synthetic", instruments=80, seed=3, stdout=io.StringIO())
    total = Instrument.objects.count()
    url = "/en/instruments/?cited_in_article=false"
    not_cited = Instrument.objects.filter(cited_in_article=False).count()
    assert not_cited > 25
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert len(queries) <= QUERY_BUDGET
    page = response.content.decode()
    assert 'href="?cited_in_article=false&amp;page=2" rel="next"' in page
    assert f"{not_cited} instruments" in text_of(response)
    second = client.get(url + "&page=2").content.decode()
    assert 'href="?cited_in_article=false&amp;page=1" rel="prev"' in second
    assert total > not_cited


def test_year_facet_links_keep_the_other_filters(client, kb):
    page = client.get("/en/instruments/?jurisdiction=eu").content.decode()
    assert '<a href="?jurisdiction=eu&amp;adopted_from=2009-01-01&amp;adopted_to=2009-12-31">2009</a>' in page
    listed = set(
        re.findall(
            r'href="/en/instruments/([\w-]+)/"',
            client.get(
                "/en/instruments/?jurisdiction=eu&adopted_from=2009-01-01&adopted_to=2009-12-31"
            ).content.decode(),
        )
    )
    adopted_2009 = Instrument.objects.filter(jurisdiction="eu", date_adopted__year=2009)
    assert listed == set(adopted_2009.values_list("pk", flat=True)) and "eu-dir-2009-50" in listed


def test_download_links_carry_the_current_filter(client, kb):
    page = client.get("/en/instruments/?jurisdiction=eu&status=in_force").content.decode()
    assert 'href="/api/v1/instruments/?jurisdiction=eu&amp;status=in_force&amp;format=csv"' in page


def test_in_force_on_filter_uses_the_shared_filterset(client, kb):
    page = client.get("/en/instruments/?in_force_on=2024-01-01&jurisdiction=eu&kind=directive").content.decode()
    listed = set(re.findall(r'href="/en/instruments/([\w-]+)/"', page))
    assert "eu-dir-2021-1883" in listed and "eu-dir-2009-50" not in listed


@pytest.mark.parametrize(
    "url",
    [
        "/en/instruments/?in_force_on=2024-13-01",
        "/en/agreements/?signed_from=yesterday",
        "/en/agreements/?country=XX",
        "/kk/instruments/?status=valid",
    ],
)
def test_bad_filter_input_is_a_400_with_the_message(client, kb, url):
    response = client.get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="form-errors" role="alert"' in page
    assert 'aria-invalid="true"' in page


def test_bad_date_message_names_the_expected_format(client, kb):
    response = client.get("/en/instruments/?in_force_on=2024-13-01")
    assert "In force on : Give a date as YYYY-MM-DD" in text_of(response)
    # On a Kazakh page the field is named in Kazakh; the message keeps its language, marked.
    page = client.get("/kk/instruments/?in_force_on=2024-13-01").content.decode()
    assert 'Күшінде болған күні</a>: <span lang="en">Give a date as YYYY-MM-DD' in page


def test_sources_page_lists_references_with_the_instruments_they_support(client, kb):
    text = text_of(client.get("/en/sources/"))
    assert re.search(r"\[15\] .*Supports: Resolution No\. 961", text)


def test_errata_page_gives_quote_correct_fact_and_confidence(client, kb):
    response = client.get("/en/errata/")
    page = response.content.decode()
    assert 'id="961-date"' in page
    text = text_of(response)
    assert "Resolution of the Government of the Republic of Kazakhstan dated December 30, 2022 No. 961" in text
    assert "Resolution No. 961 was adopted on 30 November 2022" in text
    assert "verified in a cited source" in text


def test_home_counts_what_the_knowledge_base_holds(client, kb):
    text = text_of(client.get("/en/"))
    assert f"{Instrument.objects.count()} legal instruments" in text
    assert f"{Agreement.objects.count()} agreements with partner states" in text
    assert f"{Agreement.objects.filter(type='readmission').count()} readmission agreements" in text
    assert 'href="/en/agreements/?type=readmission"' in client.get("/en/").content.decode()


def test_pages_use_no_inline_styles_or_scripts(client, kb):
    for url in (
        "/en/",
        "/en/instruments/",
        "/en/instruments/eu-dir-2009-50/",
        "/en/agreements/",
        "/en/countries/LU/",
        "/en/errata/",
        "/en/sources/",
    ):
        page = client.get(url).content.decode()
        assert " style=" not in page and "<style" not in page, url
        scripts = re.findall(r"<script\b[^>]*>", page)
        assert all('type="application/ld+json"' in tag for tag in scripts), url
