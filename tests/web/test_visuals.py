"""The map and the timeline, checked on the real data through Django's test client, and the
map builder checked on tiny hand-made TopoJSON."""

import datetime
import json
import math
import re

import pytest
from django.test import override_settings
from django.utils import translation

from agreements.models import Agreement
from countries.models import Country
from instruments.models import Instrument
from tools import build_map
from visuals.maps import MapCategory, map_countries, world_outlines

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 26)


def html(response):
    return response.content.decode()


def map_link(page, code):
    """The <a> element of one country on the world map (not the inset), as text."""
    match = re.search(
        rf'<a href="[^"]*" class="world-map__country world-map__country--(\w+)" data-country="{code}"'
        rf"[^>]*>",
        page,
    )
    return match


# --------------------------------------------------------------------------- map data


def test_map_shades_partners_by_the_status_of_their_agreement(kb):
    shaded = {entry.country.code: entry for entry in map_countries(DAY, "readmission").values()}
    assert shaded["KZ"].category == MapCategory.KAZAKHSTAN
    # Germany: in force since 1 June 2016; Switzerland since 1 February 2015.
    assert shaded["DE"].category == MapCategory.IN_FORCE
    assert shaded["CH"].category == MapCategory.IN_FORCE
    # Uzbekistan, Belarus, Hungary: ratified, but no date of entry into force was found.
    for code in ("UZ", "BY", "HU"):
        assert shaded[code].category == MapCategory.STATUS_UNKNOWN, code
    # The Benelux agreement is one agreement shading three countries.
    benelux = {shaded[code].agreements[0][0].pk for code in ("BE", "LU", "NL")}
    assert len(benelux) == 1
    assert all(shaded[code].category == MapCategory.IN_FORCE for code in ("BE", "LU", "NL"))


def test_map_of_all_types_shades_a_partner_by_its_most_current_agreement(kb):
    shaded = {entry.country.code: entry for entry in map_countries(DAY).values()}
    # Uzbekistan's readmission agreement has no known entry into force; its 2019 agreement on
    # migration cooperation entered into force on 22 May 2020.
    uzbekistan = shaded["UZ"]
    assert uzbekistan.category == MapCategory.IN_FORCE
    types = {agreement.type for agreement, _status in uzbekistan.agreements}
    assert {"readmission", "labour_migration", "migration_cooperation"} <= types
    with translation.override("en"):  # the labels are lazy: read in the language of the test
        assert uzbekistan.category_label == "Agreement in force"
        assert map_countries(DAY, "readmission")[uzbekistan.country.numeric].category_label == (
            "Readmission agreement signed, status unknown"
        )


def test_states_the_article_names_without_an_agreement_are_shaded_as_named_only(kb):
    shaded = {entry.country.code: entry for entry in map_countries(DAY).values()}
    for code in ("AF", "IR", "CA", "UA"):
        assert shaded[code].category == MapCategory.NAMED_ONLY, code
        assert shaded[code].agreements == []
        assert [m.list for m in shaded[code].mentions] == ["other_13"]
    # Kyrgyzstan and Tajikistan are among the '13 other states' but have agreements in force.
    assert shaded["KG"].category == MapCategory.IN_FORCE
    assert shaded["TJ"].category == MapCategory.IN_FORCE
    assert [m.list for m in shaded["KG"].mentions] == ["other_13"]


def test_map_status_follows_the_chosen_date(kb):
    on_new_year_2016 = {e.country.code: e.category for e in map_countries(datetime.date(2016, 1, 1)).values()}
    # Germany's agreement entered into force on 1 June 2016, Switzerland's on 1 February 2015.
    assert on_new_year_2016["DE"] == MapCategory.NOT_YET_IN_FORCE
    assert on_new_year_2016["CH"] == MapCategory.IN_FORCE


def test_every_shaded_country_has_an_outline(kb):
    numerics = {outline["numeric"] for outline in world_outlines()["countries"]}
    missing = [entry.country.code for numeric, entry in map_countries(DAY).items() if numeric not in numerics]
    assert missing == []


# --------------------------------------------------------------------------- map page


@override_settings(KB_TODAY="2026-11-26")
def test_map_page_links_each_shaded_country_to_its_page(kb, client):
    response = client.get("/en/map/?type=readmission")
    assert response.status_code == 200
    page = html(response)
    germany = map_link(page, "DE")
    assert germany and germany.group(1) == "in_force"
    assert 'href="/en/countries/DE/"' in germany.group(0)
    assert map_link(page, "KZ").group(1) == "kazakhstan"
    assert map_link(page, "AF").group(1) == "named_only"
    # Countries with no agreement and no mention are drawn, not linked.
    assert map_link(page, "BR") is None
    assert "<title>Germany: Readmission agreement in force</title>" in page


@override_settings(KB_TODAY="2026-11-26")
def test_map_page_has_a_legend_and_an_equivalent_table(kb, client):
    page = html(client.get("/en/map/?type=readmission"))
    legend = re.search(r'<ul class="map-legend".*?</ul>', page, re.S).group(0)
    assert re.search(r"Readmission agreement in force <span[^>]*>\(\d+ countries\)", legend)
    table = re.search(r'<table class="map-table">.*?</table>', page, re.S).group(0)
    germany_row = re.search(r'<tr>\s*<th scope="row"><a href="/en/countries/DE/">Germany</a></th>.*?</tr>', table, re.S)
    assert germany_row, "Germany has a row in the table"
    assert "Readmission agreement in force" in germany_row.group(0)
    assert "in force from 1 June 2016" in re.sub(r"<[^>]+>", "", germany_row.group(0))  # the site's one date format
    # One table row per shaded country, the same set as the links on the world map.
    rows = re.findall(r'<th scope="row"><a href="/en/countries/([A-Z]{2})/">', table)
    links = re.findall(r'class="world-map__country world-map__country--\w+" data-country="([A-Z]{2})" aria-label', page)
    assert sorted(rows) == sorted(links)


def test_map_page_in_russian_and_kazakh_keeps_links_in_that_language(kb, client):
    for language in ("ru", "kk"):
        page = html(client.get(f"/{language}/map/"))
        assert f'<html lang="{language}">' in page
        assert f'href="/{language}/countries/DE/"' in page
        assert getattr(Country.objects.get(code="DE"), f"name_{language}") in page


def test_map_page_refuses_a_bad_date_with_a_message(kb, client):
    for bad in ("2016-13-45", "yesterday", "0999-01-01"):
        response = client.get(f"/en/map/?on={bad}")
        assert response.status_code == 400
        assert re.search(r'role="alert">Give a date (as YYYY-MM-DD|between)', html(response))


def test_map_page_on_a_date_shows_the_status_then(kb, client):
    page = html(client.get("/en/map/?on=2016-01-01"))
    assert map_link(page, "DE").group(1) == "not_yet_in_force"


# --------------------------------------------------------------------------- timeline


def timeline_ids(page):
    return re.findall(r'<g class="timeline-row timeline-row--(\w+)" data-id="([^"]+)"', page)


@override_settings(KB_TODAY="2026-11-26")
def test_timeline_shows_repeal_of_the_blue_card_directive(kb, client):
    response = client.get("/en/timeline/")
    assert response.status_code == 200
    page = html(response)
    old = Instrument.objects.get(number__contains="2009/50")
    assert ("instrument", old.pk) in timeline_ids(page)
    row = re.search(rf'<th scope="row"><a href="/en/instruments/{old.pk}/">.*?</tr>', page, re.S).group(0)
    # Repealed with effect from 19 November 2023: the last day in force is 18 November 2023.
    assert "<td>18 November 2023 (repealed by Directive (EU) 2021/1883)</td>" in row
    assert re.search(r'role="img" aria-labelledby="timeline-title timeline-desc"', page)


@override_settings(KB_TODAY="2026-11-26")
def test_timeline_says_in_words_what_is_unknown(kb, client):
    page = html(client.get("/en/timeline/?country=UZ&type=readmission"))
    assert [kind for kind, _ in timeline_ids(page)] == ["agreement"]
    # The Uzbek agreement's entry into force was not found: no bar, a note instead.
    assert "entry into force unknown" in page
    assert "<rect x=" not in re.search(r'<g class="timeline-row.*?</g>', page, re.S).group(0)


def test_timeline_filtered_by_partner_shows_only_that_agreement(kb, client):
    page = html(client.get("/en/timeline/?country=DE"))
    germany = Agreement.objects.with_partner("DE").get()
    assert timeline_ids(page) == [("agreement", germany.pk)]


def test_timeline_filtered_by_instrument_kind_leaves_agreements_out(kb, client):
    page = html(client.get("/en/timeline/?kind=directive"))
    rows = timeline_ids(page)
    directives = set(Instrument.objects.real().filter(kind="directive").values_list("pk", flat=True))
    assert {pk for _, pk in rows} == directives
    assert {kind for kind, _ in rows} == {"instrument"}


def test_timeline_in_force_on_a_date(kb, client):
    page = html(client.get("/en/timeline/?show=agreements&in_force_on=2016-01-01"))
    shown = {pk for _, pk in timeline_ids(page)}
    assert Agreement.objects.with_partner("CH").get().pk in shown  # in force since 1 February 2015
    assert Agreement.objects.with_partner("DE").get().pk not in shown  # only from 1 June 2016


@pytest.mark.parametrize(
    "query, message",
    [
        ("status=sometimes", 'Unknown value \\"sometimes\\"|Unknown value &quot;sometimes&quot;|sometimes'),
        ("in_force_on=2016-02-30", "YYYY-MM-DD"),
        ("colour=red", "Unknown filter: colour"),
        ("show=everything", "Choose what to show"),
    ],
)
def test_timeline_refuses_bad_filters_with_a_message(kb, client, query, message):
    response = client.get(f"/en/timeline/?{query}")
    assert response.status_code == 400
    assert re.search(message, html(response))
    assert 'role="alert"' in html(response)


# --------------------------------------------------------------------------- the map builder


def test_topojson_arcs_are_delta_decoded_with_the_transform():
    topology = {
        "transform": {"scale": [0.5, 2], "translate": [10, -20]},
        "arcs": [[[0, 0], [2, 0], [0, 3]], [[2, 3], [-2, -3]]],
    }
    arcs = build_map.decode_arcs(topology)
    assert arcs[0] == [(10.0, -20.0), (11.0, -20.0), (11.0, -14.0)]
    assert arcs[1] == [(11.0, -14.0), (10.0, -20.0)]
    # A negative index (~1 = -2) walks arc 1 backwards; shared end points are not repeated.
    assert build_map.ring_positions([0, 1], arcs) == [(10.0, -20.0), (11.0, -20.0), (11.0, -14.0), (10.0, -20.0)]
    assert build_map.ring_positions([~1], arcs) == [(10.0, -20.0), (11.0, -14.0)]


def test_natural_earth_projection_matches_d3():
    assert build_map.natural_earth(0, 0) == (0, 0)
    x, y = build_map.natural_earth(180, 0)
    assert math.isclose(x, math.pi * 0.8707)
    # d3.geoNaturalEarth1Raw(0, π/2)[1] = 1.4224 (to four places)
    assert math.isclose(build_map.natural_earth(0, 90)[1], 1.4224, abs_tol=1e-4)


def test_rings_across_the_antimeridian_are_cut_in_two():
    ring = [(170, 60), (-170, 60), (-170, 70), (170, 70), (170, 60)]
    parts = build_map.split_at_antimeridian(ring)
    assert len(parts) == 2
    east, west = parts
    assert max(lon for lon, _ in east) == 180 and min(lon for lon, _ in east) == 170
    assert min(lon for lon, _ in west) == -180 and max(lon for lon, _ in west) == -170
    assert build_map.split_at_antimeridian([(0, 0), (1, 0), (1, 1)]) == [[(0, 0), (1, 0), (1, 1)]]


def test_committed_outlines_are_the_build_of_world_atlas():
    """static/img/world-110m-paths.json is what tools/build_map.py makes of countries-110m.json."""
    source = build_map.DEFAULT_SOURCE
    if not source.exists():
        pytest.skip("node_modules/world-atlas missing (run `npm ci`)")
    built = build_map.build(json.loads(source.read_text()))
    committed = json.loads(build_map.DEFAULT_TARGET.read_text())
    assert committed == json.loads(json.dumps(built))
    kazakhstan = next(c for c in committed["countries"] if c["numeric"] == "398")
    assert kazakhstan["name"] == "Kazakhstan"
    assert not any(c["numeric"] == "010" for c in committed["countries"])  # Antarctica left out


def test_docs_ui_embeds_screenshots_that_exist():
    from django.conf import settings

    text = (settings.BASE_DIR / "docs" / "ui.md").read_text()
    linked = set(re.findall(r"\(screenshots/([\w-]+\.png)\)", text))
    assert {
        "home.png",
        "instrument-list.png",
        "instrument.png",
        "agreement-list.png",
        "country.png",
        "map.png",
        "timeline.png",
    } <= linked
    missing = [name for name in sorted(linked) if not (settings.BASE_DIR / "docs" / "screenshots" / name).exists()]
    assert missing == []


@pytest.mark.parametrize("url, budget", [("/en/map/", 6), ("/en/timeline/", 5), ("/en/timeline/?country=DE", 5)])
def test_map_and_timeline_need_a_fixed_number_of_queries(kb, client, django_assert_max_num_queries, url, budget):
    """Queries do not grow with the number of agreements or instruments."""
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


# --------------------------------------------------------------------------- the new data (issue 11)


def test_map_page_offers_every_type_default_all(kb, client):
    page = html(client.get("/en/map/"))
    assert '<option value="all" selected>All types</option>' in page
    assert "Types of agreement shown: all" in page
    uzbekistan = re.search(r'<tr>\s*<th scope="row"><a href="/en/countries/UZ/">.*?</tr>', page, re.S).group(0)
    for label in ("readmission", "labour migration", "migration cooperation"):
        assert f"(type: {label};" in uzbekistan
    labour = html(client.get("/en/map/?type=labour_migration"))
    assert "Type of agreement shown: labour migration." in labour
    assert map_link(labour, "UZ") and map_link(labour, "DE") is None
    assert client.get("/en/map/?type=visa").status_code == 400


def expected_in_period(records, first, last):
    """Ids of records whose known life overlaps first..last (the timeline's rule, from the data)."""
    ids = set()
    for record in records:
        begin = getattr(record, record.start_date_field) or record.entry_into_force
        if begin is None:
            continue
        ends = [record.end_of_validity] if record.end_of_validity else []
        if isinstance(record, Instrument):
            ends += [
                rel.date_effective - datetime.timedelta(days=1)
                for rel in record.incoming_relationships.filter(type="repeals")
                if rel.date_effective
            ]
        end = min(ends) if ends else datetime.date.max
        if begin <= last and end >= first:
            ids.add(record.pk)
    return ids


@override_settings(KB_TODAY="2026-12-01")
def test_timeline_filtered_by_subject_and_period_shows_exactly_the_matching_records(kb, client):
    subject = "legal_entry_stay-asylum_international_protection"
    response = client.get(f"/en/timeline/?subject={subject}&from_year=2020&to_year=2024")
    assert response.status_code == 200
    shown = timeline_ids(html(response))
    first, last = datetime.date(2020, 1, 1), datetime.date(2024, 12, 31)
    instruments = expected_in_period(Instrument.objects.real().filter(subjects=subject), first, last)
    agreements = expected_in_period(Agreement.objects.real().filter(subjects=subject), first, last)
    assert {pk for kind, pk in shown if kind == "instrument"} == instruments
    assert {pk for kind, pk in shown if kind == "agreement"} == agreements
    # The 2024 Pact's asylum regulation is there; the 1951 Convention too (in force throughout).
    assert {"eu-reg-2024-1348", "un-convention-1951-refugees"} <= instruments
    # A period before the 2001 directives keeps the 1951 Convention and the 1967 Protocol only.
    early = timeline_ids(html(client.get(f"/en/timeline/?subject={subject}&from_year=1950&to_year=1970")))
    assert {pk for _kind, pk in early} == {"un-convention-1951-refugees", "un-protocol-1967-refugees"}


@override_settings(KB_TODAY="2026-12-01")
def test_timeline_groups_rows_by_jurisdiction_or_kind(kb, client):
    page = html(client.get("/en/timeline/?show=instruments&jurisdiction=un"))
    assert '<th scope="rowgroup" colspan="5">United Nations (' in page
    by_kind = html(client.get("/en/timeline/?show=instruments&jurisdiction=un&group=kind"))
    assert '<th scope="rowgroup" colspan="5">Convention (' in by_kind
    agreements = html(client.get("/en/timeline/?show=agreements&country=UZ&group=kind"))
    assert "Agreement with partner states: labour migration (1)" in agreements
    flat = html(client.get("/en/timeline/?group=none&country=DE"))
    assert 'scope="rowgroup"' not in flat


@pytest.mark.parametrize(
    "query, message",
    [
        ("from_year=abc", "Give a year as four digits"),
        ("from_year=2020&to_year=2010", "first year comes after its last year"),
        ("to_year=99999", "Period: to \\(year\\)"),
        ("group=colour", "Unknown value"),
        ("subject=nothing", "No subject has the code"),
    ],
)
def test_timeline_refuses_a_bad_period_group_or_subject(kb, client, query, message):
    response = client.get(f"/en/timeline/?{query}")
    assert response.status_code == 400
    assert re.search(message, html(response))
