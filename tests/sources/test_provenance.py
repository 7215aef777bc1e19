"""The real data's sources, and the provenance every record and every factual field has."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from instruments.models import Instrument
from sources.models import Provenance, Source
from tests.recorded import records

pytestmark = pytest.mark.django_db

# Every model that holds facts; each of its records must say where it comes from.
MODELS_WITH_PROVENANCE = [
    "countries.Country",
    "countries.Organisation",
    "countries.Membership",
    "sources.Source",
    "subjects.Subject",
    "instruments.Instrument",
    "instruments.OfficialText",
    "instruments.Provision",
    "instruments.Relationship",
    "instruments.InstrumentParty",
    "errata.Discrepancy",
    "agreements.Agreement",
    "agreements.Party",
    "agreements.ArticleStateMention",
]


def test_sources_are_the_article_its_twenty_references_and_official_sources():
    assert Source.objects.get(id="article").kind == "article"
    references = Source.objects.filter(kind="article_reference").order_by("number")
    assert list(references.values_list("number", flat=True)) == list(range(1, 21))
    ref15 = Source.objects.get(number=15, kind="article_reference")
    assert "30 желтоқсандағы № 961" in ref15.citation

    def supported(source):
        return set(
            Provenance.objects.about("instruments.instrument").filter(source=source).values_list("object_id", flat=True)
        )

    assert supported(ref15) == {"kz-pp-2022-961"}
    assert supported(Source.objects.get(number=9, kind="article_reference")) == {"eu-dir-2011-98"}
    assert Source.objects.filter(kind="official", url__contains="adilet.zan.kz/rus/docs/P2200000961").exists()


@pytest.mark.parametrize("label", MODELS_WITH_PROVENANCE)
def test_every_record_has_provenance(label):
    model = apps.get_model(label)
    content_type = ContentType.objects.get_for_model(model)
    covered = set(Provenance.objects.filter(content_type=content_type).values_list("object_id", flat=True))
    keys = list(model.objects.values_list("pk", flat=True))
    assert keys, f"no {label} records"
    assert [pk for pk in keys if str(pk) not in covered] == []


def test_every_article_provenance_row_quotes_the_article():
    rows = Provenance.objects.filter(confidence="article")
    assert rows.count() > 100
    assert list(rows.filter(quote="").values_list("id", flat=True)) == []
    assert list(rows.exclude(source__kind__in=["article", "article_reference"]).values_list("id", flat=True)) == []
    assert list(rows.filter(locator="").values_list("id", flat=True)) == []


def test_every_provenance_row_points_at_an_existing_record():
    dangling = []
    content_types = ContentType.objects.filter(id__in=Provenance.objects.values("content_type").distinct())
    assert {f"{ct.app_label}.{ct.model_class().__name__}" for ct in content_types} == set(MODELS_WITH_PROVENANCE)
    for content_type in content_types:
        model = content_type.model_class()
        keys = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        ids = Provenance.objects.filter(content_type=content_type).values_list("object_id", flat=True)
        dangling += [(content_type.model, oid) for oid in ids if oid not in keys]
    assert dangling == []


def test_every_factual_field_of_an_instrument_has_provenance():
    fields = [
        "title_en",
        "title_ru",
        "title_kk",
        "number",
        "celex",
        "adilet_code",
        "date_adopted",
        "place_adopted",
        "entry_into_force",
        "end_of_validity",
        "issuing_body",
        "status_note",
        # the lifecycle of treaties and proposals, and Kazakhstan's participation
        "date_application",
        "date_provisional_application",
        "procedure_stage",
        "entry_into_force_kz",
        "kz_ratification_act",
        "kz_ratification_date",
        "kz_participation_note",
    ]
    gaps = []
    instruments = list(Instrument.objects.real())
    assert len(instruments) == len(records("instruments.Instrument"))  # one per data file
    for instrument in instruments:
        documented = set(instrument.provenance.values_list("field", flat=True))
        gaps += [(instrument.id, f) for f in fields if getattr(instrument, f) not in ("", None) and f not in documented]
    assert gaps == []
