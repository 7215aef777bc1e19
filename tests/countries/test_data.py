"""The real data on countries and their memberships of organisations, on dates."""

import datetime

import pytest

from countries.models import Country, Membership

pytestmark = pytest.mark.django_db

D = datetime.date


def test_countries_are_iso_3166_with_names_in_three_languages():
    kazakhstan = Country.objects.get(code="KZ")
    assert (kazakhstan.alpha3, kazakhstan.numeric) == ("KAZ", "398")
    assert (kazakhstan.name_en, kazakhstan.name_ru, kazakhstan.name_kk) == ("Kazakhstan", "Казахстан", "Қазақстан")
    assert Country.objects.count() == 249


def test_eaeu_membership_on_dates():
    def members(on):
        return set(Membership.objects.filter(organisation="eaeu").on(on).values_list("country", flat=True))

    assert members(D(2015, 1, 1)) == {"BY", "KZ", "RU"}
    assert "AM" in members(D(2015, 1, 2))
    assert "KG" not in members(D(2015, 8, 11))
    assert members(D(2015, 8, 12)) == {"AM", "BY", "KG", "KZ", "RU"}


def test_eu_members_on_1_january_2017():
    members = set(Membership.objects.filter(organisation="eu").on(D(2017, 1, 1)).values_list("country", flat=True))
    assert {"CZ", "HU", "LT", "LV", "BE", "DE", "LU", "NL"} <= members
    assert not {"CH", "NO"} & members
    assert not members & set(
        Membership.objects.filter(organisation="eu")
        .on(D(2004, 4, 30))
        .filter(country__in=["CZ", "HU", "LT", "LV"])
        .values_list("country", flat=True)
    )
    founding = Membership.objects.get(id="eu-be-1958-01-01")
    assert "1993-11-01" in founding.note  # the EEC/EU choice is recorded


def test_georgia_in_the_cis_from_december_1993_until_august_2009():
    georgia = Membership.objects.get(organisation="cis", country="GE")
    assert (georgia.date_from, georgia.date_from_precision) == (D(1993, 12, 1), "month")
    assert georgia.date_until == D(2009, 8, 18)
    in_cis = Membership.objects.filter(organisation="cis", country="GE")
    assert not in_cis.on(D(1993, 12, 15)).exists()  # month precision: not certain before the month ends
    assert in_cis.on(D(2000, 1, 1)).exists()
    assert not in_cis.on(D(2009, 8, 19)).exists()


def test_benelux_membership_dates_are_unknown_and_believed():
    rows = Membership.objects.filter(organisation="benelux").order_by("country")
    assert [(m.country_id, m.date_from, m.date_from_precision) for m in rows] == [
        ("BE", None, "unknown"),
        ("LU", None, "unknown"),
        ("NL", None, "unknown"),
    ]
    for membership in rows:
        assert set(membership.provenance.values_list("confidence", flat=True)) == {"believed"}
