"""Kazakhstan's readmission agreements in the real data, and what the article says of them."""

import datetime

import pytest

from agreements.models import Agreement, ArticleStateMention, Party
from core.lifecycle import Status
from errata.models import Discrepancy
from tests.recorded import records

pytestmark = pytest.mark.django_db

D = datetime.date

THE_ARTICLES_TWELVE = {"CH", "UZ", "BY", "HU", "LT", "RU", "LV", "MD", "CZ", "DE", "NO", "BE", "LU", "NL"}
THE_ARTICLES_THIRTEEN = ["AF", "BG", "GR", "IR", "IQ", "CA", "CY", "KR", "KG", "PK", "PL", "TJ", "UA"]


def partners(agreements):
    return set(Party.objects.filter(agreement__in=agreements).exclude(country="KZ").values_list("country", flat=True))


def test_the_twelve_agreements_the_article_lists_as_ratified_cover_fourteen_partner_states():
    listed = Agreement.objects.real().filter(article_listing="ratified_12")
    assert listed.count() == 12
    assert partners(listed) == THE_ARTICLES_TWELVE
    assert len(partners(listed)) == 14


def test_benelux_is_one_agreement_with_belgium_luxembourg_and_the_netherlands():
    benelux = Agreement.objects.get(id="kz-benelux-readmission")
    assert sorted(c.code for c in benelux.partners) == ["BE", "LU", "NL"]
    assert set(benelux.parties.values_list("country", flat=True)) == {"KZ", "BE", "LU", "NL"}
    assert (benelux.date_signed, benelux.place_signed) == (D(2015, 3, 2), "Brussels")
    assert (benelux.ratification_law_number, benelux.ratification_law_date) == ("430-V", D(2015, 12, 2))
    assert benelux.entry_into_force == D(2017, 6, 1)
    assert benelux.implementing_protocol.startswith("Protocol on the implementation of the Agreement")
    assert list(Agreement.objects.with_partner("LU").values_list("id", flat=True)) == ["kz-benelux-readmission"]


def test_kazakhstan_is_a_party_to_every_agreement():
    agreements = list(Agreement.objects.real())
    assert len(agreements) == len(records("agreements.Agreement"))  # one per data file
    for agreement in agreements:
        assert agreement.parties.filter(country="KZ").exists(), agreement.id
        assert agreement.partners, agreement.id


def test_kyrgyzstan_and_tajikistan_agreements_are_in_force_and_missing_from_the_articles_list():
    kyrgyzstan = Agreement.objects.get(id="kz-kg-readmission")
    tajikistan = Agreement.objects.get(id="kz-tj-readmission")
    assert kyrgyzstan.entry_into_force == D(2017, 8, 10)
    assert tajikistan.entry_into_force == D(2019, 3, 24)
    for agreement in (kyrgyzstan, tajikistan):
        assert agreement.status == Status.IN_FORCE
        assert agreement.article_listing == "other_13"
        assert agreement.missing_from_article_list is True
    in_force_today = set(Agreement.objects.with_status(Status.IN_FORCE).values_list("id", flat=True))
    assert {"kz-kg-readmission", "kz-tj-readmission"} <= in_force_today
    germany = Agreement.objects.get(id="kz-de-readmission")
    assert germany.missing_from_article_list is False
    # signed after the article: not "missing" from it
    assert Agreement.objects.get(id="kz-at-readmission").missing_from_article_list is False


def test_the_thirteen_other_states_are_what_the_article_says_not_concluded_agreements():
    mentions = ArticleStateMention.objects.filter(list="other_13").order_by("position")
    assert list(mentions.values_list("country", flat=True)) == THE_ARTICLES_THIRTEEN
    korea = mentions.get(country="KR")
    assert korea.as_stated == "Korea" and "Republic of Korea" in korea.interpretation
    for mention in mentions:
        assert "not a concluded agreement" in mention.interpretation
    with_agreement = {m.country_id: m.agreement_id for m in mentions if m.agreement_id}
    assert with_agreement == {"KG": "kz-kg-readmission", "TJ": "kz-tj-readmission"}
    others = [code for code in THE_ARTICLES_THIRTEEN if code not in ("KG", "TJ")]
    concluded = list(Agreement.objects.with_partner(*others).values_list("id", flat=True))
    assert concluded == [], "an agreement with a state of the thirteen that its mention does not link"


def test_the_articles_list_of_twelve_as_stated():
    mentions = ArticleStateMention.objects.filter(list="ratified_12")
    assert mentions.count() == 14
    assert set(mentions.filter(as_stated="the Benelux states").values_list("country", flat=True)) == {"BE", "LU", "NL"}
    assert mentions.get(country="CZ").as_stated == "the Czech Republic"
    assert all(m.agreement_id for m in mentions)
    assert mentions.get(country="NL").agreement_id == "kz-benelux-readmission"


def test_the_transit_list_names_six_states_and_no_agreement():
    transit = ArticleStateMention.objects.filter(list="transit").order_by("position")
    assert list(transit.values_list("country", flat=True)) == ["PK", "BD", "KE", "AF", "TJ", "UZ"]
    assert not transit.exclude(agreement=None).exists()


def test_every_mention_quotes_the_article_where_the_sentence_stands():
    mentions = list(ArticleStateMention.objects.all())
    assert len(mentions) == 14 + 13 + 6  # the ratified list, the other thirteen, the transit states
    for mention in mentions:
        row = mention.provenance.get(source="article")
        assert row.confidence == "article" and row.locator == "Results"
        assert row.quote and (mention.as_stated in row.quote)


def test_ratification_laws_are_parsed_from_the_sources():
    switzerland = Agreement.objects.get(id="kz-ch-readmission")
    assert (switzerland.ratification_law_number, switzerland.ratification_law_date) == ("251-V", D(2014, 11, 14))
    assert (switzerland.date_signed, switzerland.place_signed) == (D(2010, 3, 4), "Bern")
    kyrgyzstan = Agreement.objects.get(id="kz-kg-readmission")
    assert kyrgyzstan.ratification_law_number == "74-VI"


def test_moldova_ratification_law_is_468_v_verified_from_adilet():
    moldova = Agreement.objects.get(id="kz-md-readmission")
    assert (moldova.ratification_law_number, moldova.ratification_law_date) == ("468-V", D(2016, 3, 1))
    assert moldova.ratification_note.startswith(
        "The Senate passed the ratification law on 18 Feb 2016; it is the Law of 1 March 2016 No. 468-V"
    )
    for field in ("ratification_law_number", "ratification_law_date", "entry_into_force"):
        row = moldova.provenance.get(field=field)
        assert (row.source_id, row.confidence) == ("adilet-zan-kz-rus-docs-z1600000468-compare-595e0c", "verified")
    assert "468-V" in moldova.provenance.get(field="ratification_law_number").quote
    assert moldova.entry_into_force == D(2016, 6, 23) and moldova.status == Status.IN_FORCE


def test_austria_signed_after_the_article_with_incomplete_ratification():
    austria = Agreement.objects.get(id="kz-at-readmission")
    assert (austria.date_signed, austria.place_signed) == (D(2025, 2, 28), "Astana")
    assert austria.article_listing == "not_listed"
    assert austria.ratification_law_number == "" and austria.ratification_law_date is None
    assert "Majilis" in austria.ratification_note
    assert austria.entry_into_force is None and austria.status == Status.UNKNOWN


def test_russia_agreement_dated_2012_with_the_conflicting_report_recorded():
    russia = Agreement.objects.get(id="kz-ru-readmission")
    assert russia.date_signed == D(2012, 6, 7)
    assert "7 June 2013" in russia.note
    conflict = Discrepancy.objects.get(id="russia-readmission-date-sources")
    assert conflict.category == "source_conflict"
    assert list(conflict.agreements.values_list("id", flat=True)) == ["kz-ru-readmission"]


def test_agreements_with_eu_member_partners_in_2017():
    ids = set(Agreement.objects.with_partner_member_of("eu", D(2017, 1, 1)).values_list("id", flat=True))
    assert ids == {
        "kz-hu-readmission",
        "kz-lt-readmission",
        "kz-lv-readmission",
        "kz-cz-readmission",
        "kz-de-readmission",
        "kz-benelux-readmission",
        # later partners whose EU membership the data records (believed): Austria (1995), Estonia and
        # Poland (2004), France (1958); membership on the day counts, not the agreement's own dates
        "kz-at-readmission",
        "kz-ee-readmission",
        "kz-fr-readmission",
        "kz-pl-readmission",
    }
    eaeu = set(Agreement.objects.with_partner_member_of("eaeu", D(2016, 1, 1)).values_list("id", flat=True))
    assert eaeu == {
        "kz-by-readmission",
        "kz-by-migration-cooperation",
        "kz-by-stay-of-citizens-2013",
        "kz-ru-readmission",
        "kz-ru-stay-of-citizens-2012",
        "kz-kg-readmission",
        "kz-kg-labour-migration-2006",
        "kz-kg-migration-cooperation-2019",
        "kz-kg-stay-of-citizens-2012",
        "kz-kg-stay-of-citizens-2016",
        "kz-kg-uz-migration-cooperation-1997",
    }


def test_outdated_count_discrepancy_names_the_missing_agreements():
    outdated = Discrepancy.objects.get(id="readmission-outdated")
    assert outdated.substantive and outdated.category == "count"
    assert set(outdated.agreements.values_list("id", flat=True)) == {"kz-kg-readmission", "kz-tj-readmission"}
