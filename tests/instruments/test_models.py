"""Validation in the models and as database constraints: bad data is refused, nothing is half-saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import Agreement, Party
from countries.models import Country, Membership
from instruments.models import Instrument, Relationship
from sources.models import Provenance, Source

pytestmark = pytest.mark.django_db

D = datetime.date


def refused_by_database(save):
    """Run `save` in a savepoint and say whether the database refused it (the test's transaction survives)."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        return True
    return False


def new_instrument(**fields):
    values = {
        "id": "test-dir",
        "eli_path": "/test/dir/1",
        "kind": "directive",
        "level": "regional",
        "jurisdiction": "eu",
        "title_en": "Test directive",
        "title_en_kind": "official",
    }
    values.update(fields)
    return Instrument(**values)


def new_agreement(**fields):
    values = {"id": "kz-test-readmission", "article_listing": "not_listed"}
    values.update(fields)
    return Agreement(**values)


# --------------------------------------------------------------------------- relationships


def test_an_instrument_cannot_be_related_to_itself():
    directive = Instrument.objects.get(id="eu-dir-2009-50")
    loop = Relationship(subject=directive, type="amends", object=directive)
    with pytest.raises(ValidationError, match="cannot be related to itself"):
        loop.full_clean()
    assert refused_by_database(lambda: Relationship.objects.create(subject=directive, type="amends", object=directive))
    assert not Relationship.objects.filter(subject=directive, object=directive).exists()


def test_a_relationship_date_and_its_precision_go_together():
    repeal = Relationship(
        subject_id="eu-dir-2021-1883",
        type="cites",
        object_id="eu-dir-2009-50",
        date_effective=None,
        date_effective_precision="day",
    )
    with pytest.raises(ValidationError) as error:
        repeal.full_clean()
    assert "date_effective_precision" in error.value.message_dict


def test_the_same_relationship_cannot_be_recorded_twice():
    assert refused_by_database(
        lambda: Relationship.objects.create(
            id="duplicate", subject_id="eu-dir-2021-1883", type="repeals", object_id="eu-dir-2009-50"
        )
    )


# --------------------------------------------------------------------------- agreements and parties


def test_a_state_is_a_party_to_an_agreement_only_once():
    agreement = Agreement.objects.get(id="kz-benelux-readmission")
    assert refused_by_database(lambda: Party.objects.create(id="second-belgium", agreement=agreement, country_id="BE"))
    assert agreement.parties.filter(country="BE").count() == 1


def test_entry_into_force_before_signature_is_refused():
    agreement = new_agreement(
        date_signed=D(2015, 3, 2),
        date_signed_precision="day",
        entry_into_force=D(2015, 3, 1),
        entry_into_force_precision="day",
    )
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "entry_into_force" in error.value.message_dict
    assert refused_by_database(agreement.save)
    assert not Agreement.objects.filter(id="kz-test-readmission").exists()


def test_ratification_before_signature_is_refused():
    agreement = new_agreement(
        date_signed=D(2015, 3, 2),
        date_signed_precision="day",
        ratification_law_date=D(2015, 1, 1),
        ratification_law_date_precision="day",
    )
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "ratification_law_date" in error.value.message_dict
    assert refused_by_database(agreement.save)


def test_instrument_entry_into_force_before_adoption_is_refused():
    directive = new_instrument(
        date_adopted=D(2009, 5, 25),
        date_adopted_precision="day",
        entry_into_force=D(2009, 5, 1),
        entry_into_force_precision="day",
    )
    with pytest.raises(ValidationError) as error:
        directive.full_clean()
    assert "entry_into_force" in error.value.message_dict
    assert refused_by_database(directive.save)


def test_end_of_validity_before_entry_into_force_is_refused():
    directive = new_instrument(
        entry_into_force=D(2009, 6, 19),
        entry_into_force_precision="day",
        end_of_validity=D(2009, 6, 18),
        end_of_validity_precision="day",
    )
    with pytest.raises(ValidationError) as error:
        directive.full_clean()
    assert "end_of_validity" in error.value.message_dict
    assert refused_by_database(directive.save)


def test_a_known_date_needs_a_precision_and_an_unknown_one_has_none():
    no_precision = new_instrument(entry_into_force=D(2009, 6, 19), entry_into_force_precision="unknown")
    with pytest.raises(ValidationError):
        no_precision.full_clean()
    assert refused_by_database(no_precision.save)
    invented_precision = new_instrument(
        id="test-dir-2", eli_path="/test/dir/2", entry_into_force=None, entry_into_force_precision="day"
    )
    with pytest.raises(ValidationError):
        invented_precision.full_clean()
    assert refused_by_database(invented_precision.save)


def test_a_month_precision_date_is_stored_as_the_first_of_the_month():
    directive = new_instrument(entry_into_force=D(2009, 6, 19), entry_into_force_precision="month")
    with pytest.raises(ValidationError) as error:
        directive.full_clean()
    assert "entry_into_force" in error.value.message_dict


def test_a_title_says_whether_it_is_official():
    directive = new_instrument(title_en_kind="")
    with pytest.raises(ValidationError) as error:
        directive.full_clean()
    assert "title_en_kind" in error.value.message_dict


def test_an_eli_path_is_absolute():
    assert refused_by_database(new_instrument(eli_path="eu/dir/1").save)


# --------------------------------------------------------------------------- countries, memberships, provenance


def test_country_clean_rejects_a_code_that_is_not_iso_3166():
    with pytest.raises(ValidationError) as error:
        Country(code="XX", alpha3="XXX", numeric="999", name_en="Nowhere").full_clean()
    assert "code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        Country(code="KZ", alpha3="KAZ", numeric="398", name_en="Kazakhstan").clean()  # valid
        Country(code="DE", alpha3="DEN", numeric="276", name_en="Germany").clean()
    assert "alpha3" in error.value.message_dict
    assert refused_by_database(lambda: Country.objects.create(code="xx", alpha3="XXY", numeric="998", name_en="x"))


def test_a_membership_cannot_end_before_it_starts():
    membership = Membership(
        id="eu-ch-test",
        organisation_id="eu",
        country_id="CH",
        date_from=D(2020, 1, 1),
        date_from_precision="day",
        date_until=D(2019, 1, 1),
        date_until_precision="day",
    )
    assert refused_by_database(membership.save)


def test_article_confidence_needs_the_article_as_source():
    row = Provenance(
        content_type_id=Provenance.objects.first().content_type_id,
        object_id="KZ",
        field="*",
        source=Source.objects.get(id="iso-3166-pycountry"),
        confidence="article",
        quote="x",
    )
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "confidence" in error.value.message_dict


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_choice_labels_are_the_ones_django_writes(language):
    """core.models.ChoiceLabelsModel keeps one dict of labels per field; the labels it shows are
    Django's own, in each language, for every value of every choice field (and a value that is
    not a choice shows as itself)."""
    from django.db import models
    from django.utils import translation

    with translation.override(language):
        for model in (Instrument, Agreement):
            for field in model._meta.concrete_fields:
                if not field.choices:
                    continue
                for value in [value for value, _ in field.flatchoices] + ["not-a-choice"]:
                    record = model(**{field.attname: value})
                    shown = getattr(record, f"get_{field.name}_display")()
                    assert shown == models.Model._get_FIELD_display(record, field), (model, field.name, value)
    with translation.override("ru"):
        assert Instrument(kind="directive").get_kind_display() != "directive"
    from core.models import ChoiceLabelsModel

    assert Instrument.get_kind_display._partialmethod.func is ChoiceLabelsModel._get_FIELD_display
