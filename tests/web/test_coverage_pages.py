"""Pages with the new data of the coverage round (issue 11): status on a date, stages of
proposals, believed facts, treaty parties, agreement types and the new filters."""

import html
import re

import pytest

from agreements.models import Agreement
from instruments.models import Instrument

from .test_pages import text_of


def status_box(response):
    """The text of the instrument page's status box, up to the sources' own words."""
    page = response.content.decode()
    box = re.search(r'<section class="status-box".*?</section>', page, re.S).group(0)
    box = box.split('<p class="note">')[0]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", box))).strip()


def fact(response, label):
    """The text of one fact (<dd>) of a record page, by its <dt> label."""
    page = html.unescape(response.content.decode())
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>(.*?)</dd>", page, re.S)
    assert match, f"no fact {label!r}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_pact_regulation_is_in_force_not_yet_applicable_on_the_eve_of_its_application(client, kb):
    eve = client.get("/en/instruments/eu-reg-2024-1348/?on=2026-06-11")
    assert eve.status_code == 200
    assert 'class="status status-in_force_not_yet_applicable">in force, not yet applicable<' in eve.content.decode()
    assert "computed for 11 June 2026" in status_box(eve)
    applies = fact(eve, "Applies from")
    assert applies.startswith("12 June 2026") and "verified in a cited source" in applies
    assert fact(eve, "Entry into force").startswith("11 June 2024")
    day = client.get("/en/instruments/eu-reg-2024-1348/?on=2026-06-12")
    assert 'class="status status-in_force">in force<' in day.content.decode()


@pytest.mark.django_db
def test_pact_regulation_status_on_kb_today(client, kb, settings):
    settings.KB_TODAY = "2026-06-11"
    text = status_box(client.get("/en/instruments/eu-reg-2024-1348/"))
    assert text.startswith("Status in force, not yet applicable computed for 11 June 2026")


def test_bad_status_date_on_an_instrument_page_is_a_400(client, kb):
    response = client.get("/en/instruments/eu-reg-2024-1348/?on=2026-02-30")
    assert response.status_code == 400
    assert "Give a date as YYYY-MM-DD" in text_of(response)


@pytest.mark.parametrize("on", ["", "?on=2026-06-12", "?on=2035-01-01"])
def test_return_regulation_proposal_shows_its_stage_and_never_in_force(client, kb, on):
    response = client.get(f"/en/instruments/eu-prop-2025-101/{on}")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="status status-provisional_agreement">provisional agreement<' in page
    assert "status-in_force" not in page
    assert " in force" not in status_box(response).lower().replace("not law", "")
    assert fact(response, "Procedure stage").startswith("Provisional agreement not law")
    assert "In force for Kazakhstan" not in page


def test_a_fact_resting_on_believed_sources_only_says_so(client, kb):
    response = client.get("/en/instruments/eu-prop-2025-101/")
    number = fact(response, "Number")
    assert "believed, not verified" in number and "verified in a cited source" not in number


def test_refugee_convention_gives_kazakhstans_accession_and_its_date_of_effect(client, kb):
    response = client.get("/en/instruments/un-convention-1951-refugees/?on=2000-01-01")
    assert fact(response, "Entry into force for Kazakhstan").startswith("15 April 1999")
    assert fact(response, "Kazakhstan's ratification or accession").startswith(
        "Law of the Republic of Kazakhstan No. 317-I (accession), 15 December 1998"
    )
    assert "In force for Kazakhstan on 1 January 2000 : yes" in status_box(response)
    before = client.get("/en/instruments/un-convention-1951-refugees/?on=1998-01-01")
    assert "In force for Kazakhstan on 1 January 1998 : no" in status_box(before)


def test_treaty_parties_link_to_their_country_pages_and_name_the_eu(client, kb):
    response = client.get("/en/instruments/eu-kz-epca/")
    page = response.content.decode()
    parties = fact(response, "Parties")
    assert "European Union" in parties and "Kazakhstan" in parties
    assert 'href="/en/countries/KZ/"' in page
    cis = client.get("/ru/instruments/cis-agreement-1998-03-06/").content.decode()
    assert 'href="/ru/countries/AM/">Армения</a>' in cis


def test_agreement_list_filters_by_type_with_counts(client, kb):
    response = client.get("/en/agreements/?country=UZ")
    page = response.content.decode()
    labour = Agreement.objects.with_partner("UZ").filter(type="labour_migration").count()
    assert f'<option value="labour_migration">Labour migration ({labour})</option>' in page
    listed = client.get("/en/agreements/?country=UZ&type=readmission").content.decode()
    ids = set(re.findall(r'href="/en/agreements/([\w-]+)/"', listed))
    assert ids == {"kz-uz-readmission"}
    assert "<h1>Agreements with partner states</h1>" in page
    assert client.get("/en/agreements/?type=treaty").status_code == 400


def test_country_page_of_uzbekistan_lists_every_agreement_with_its_type(client, kb):
    page = html.unescape(client.get("/en/countries/UZ/").content.decode())
    agreements = list(Agreement.objects.with_partner("UZ"))
    assert {a.type for a in agreements} >= {"readmission", "labour_migration", "migration_cooperation"}
    for agreement in agreements:
        item = re.search(rf'<li><a href="/en/agreements/{agreement.pk}/">.*?</li>', page, re.S)
        assert item, agreement.pk
        assert f"(type: {agreement.get_type_display()})" in item.group(0)
    assert 'href="/en/agreements/?type=readmission&country=UZ"' in page


def test_agreement_page_gives_its_type_the_agreement_it_amends_and_its_subjects(client, kb):
    protocol = Agreement.objects.exclude(amends=None).first()
    response = client.get(f"/en/agreements/{protocol.pk}/")
    page = response.content.decode()
    assert fact(response, "Type").startswith(protocol.get_type_display().capitalize())
    assert f'href="/en/agreements/{protocol.amends_id}/"' in page
    amended = client.get(f"/en/agreements/{protocol.amends_id}/").content.decode()
    assert f'href="/en/agreements/{protocol.pk}/"' in amended
    coded = Agreement.objects.exclude(subjects=None).first()
    subjects = fact(client.get(f"/en/agreements/{coded.pk}/"), "Subjects")
    assert all(str(subject) in subjects for subject in coded.subjects.all())


def test_instrument_list_offers_the_new_kinds_jurisdictions_and_date_filters(client, kb):
    page = client.get("/en/instruments/").content.decode()
    un = Instrument.objects.filter(jurisdiction="un").count()
    assert f'<option value="un">United Nations ({un})</option>' in page
    assert '<option value="legislative_proposal">' in page
    assert 'name="applicable_on"' in page and 'name="in_force_for_kazakhstan_on"' in page
    listed = client.get("/en/instruments/?jurisdiction=un&in_force_for_kazakhstan_on=2000-01-01").content.decode()
    assert "/en/instruments/un-convention-1951-refugees/" in listed
    pact = client.get("/en/instruments/?applicable_on=2026-06-11&jurisdiction=eu&kind=regulation").content.decode()
    assert "/en/instruments/eu-reg-2024-1348/" not in pact
