"""gen_synthetic: realistic benchmark records, flagged and prefixed, removable, never real."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from agreements.models import Agreement, AgreementType, Party
from core.lifecycle import Precision
from core.versioning import data_version
from instruments.models import Instrument, Relationship
from instruments.vocabulary import RelationshipType
from sources.models import Provenance


def real_snapshot():
    return (
        sorted(Instrument.objects.filter(is_synthetic=False).values_list("pk", "title_en", "entry_into_force")),
        sorted(Agreement.objects.filter(is_synthetic=False).values_list("pk", "entry_into_force")),
        Party.objects.exclude(pk__startswith="syn-").count(),
        Relationship.objects.exclude(pk__startswith="syn-").count(),
        Provenance.objects.exclude(pk__startswith="syn-").count(),
    )


@pytest.fixture(scope="module")
def generated_once(module_transaction, django_db_blocker):
    """Generated once for the module, in a transaction rolled back after it (tests/conftest.py);
    the tests that change or clear the records do so in their own savepoints."""
    with module_transaction():
        with django_db_blocker.unblock():
            before = real_snapshot()
            version = data_version()
            call_command("gen_synthetic", instruments=400, agreements=80, seed=3, verbosity=0)
        yield {"before": before, "version": version}


@pytest.fixture
def generated(generated_once, kb):
    return generated_once


def test_counts_flags_and_prefixes(generated):
    synthetic = Instrument.objects.filter(is_synthetic=True)
    assert synthetic.count() == 400
    assert Agreement.objects.filter(is_synthetic=True).count() == 80
    assert not synthetic.exclude(pk__startswith="syn-").exists()
    assert not Agreement.objects.filter(is_synthetic=True).exclude(pk__startswith="syn-").exists()
    assert not Instrument.objects.filter(pk__startswith="syn-", is_synthetic=False).exists()
    # Child rows carry the prefix too, so --clear can find them.
    assert not Party.objects.filter(agreement__is_synthetic=True).exclude(pk__startswith="syn-").exists()
    assert not Relationship.objects.filter(subject__is_synthetic=True).exclude(pk__startswith="syn-").exists()
    assert Provenance.objects.filter(object_id__startswith="syn-").count() >= 400
    assert not Provenance.objects.filter(object_id__startswith="syn-").exclude(pk__startswith="syn-").exists()


def test_real_records_untouched(generated):
    assert real_snapshot() == generated["before"]


def test_records_pass_model_validation(generated):
    """Dates, precisions and titles obey the same rules as real records (clean() and constraints)."""
    instruments = list(Instrument.objects.filter(is_synthetic=True))
    agreements = list(Agreement.objects.filter(is_synthetic=True))
    assert (len(instruments), len(agreements)) == (400, 80)
    for record in instruments + agreements:
        record.full_clean(validate_unique=False)


def test_follows_the_real_distributions(generated):
    real_combos = set(Instrument.objects.filter(is_synthetic=False).values_list("kind", "level", "jurisdiction"))
    synthetic = Instrument.objects.filter(is_synthetic=True)
    combos = Counter(synthetic.values_list("kind", "level", "jurisdiction"))
    assert set(combos) <= real_combos
    # EU directives and regulations dominate the real data (24 and 22 of 117); so they do here.
    assert {combo for combo, _count in combos.most_common(2)} == {
        ("directive", "regional", "eu"),
        ("regulation", "regional", "eu"),
    }
    # Proposals are never law: a stage and no entry into force; some acts apply later than they enter into force.
    proposals = synthetic.filter(kind="legislative_proposal")
    assert proposals.exists() and not proposals.filter(procedure_stage="").exists()
    assert not proposals.filter(entry_into_force__isnull=False).exists()
    assert synthetic.filter(date_application__gt=F("entry_into_force")).exists()
    assert synthetic.filter(kind__in=["convention", "protocol"], entry_into_force_kz__isnull=False).exists()
    precisions = Counter(synthetic.values_list("entry_into_force_precision", flat=True))
    assert precisions[Precision.DAY] > precisions[Precision.MONTH] > 0
    assert precisions[Precision.UNKNOWN] > 0
    # Three languages, each with its kind of text.
    assert not synthetic.filter(title_en="").exists()
    assert not synthetic.filter(title_ru="").exists()
    assert not synthetic.filter(title_kk="").exists()
    assert not synthetic.filter(title_kk_kind="").exists()


def test_parties_include_kazakhstan_and_some_agreements_have_several_partners(generated):
    agreements = Agreement.objects.filter(is_synthetic=True).prefetch_related("parties")
    assert set(agreements.values_list("type", flat=True)) == set(AgreementType.values)
    partner_counts = Counter(len(a.partners) for a in agreements)
    assert all("KZ" in {p.country_id for p in a.parties.all()} for a in agreements)
    assert partner_counts[1] > 0
    assert sum(n for size, n in partner_counts.items() if size >= 2) > 0


def test_relationships_go_back_in_time_and_repeals_are_dated(generated):
    repeals = Relationship.objects.filter(subject__is_synthetic=True, type=RelationshipType.REPEALS)
    assert repeals.exists()
    assert repeals.filter(date_effective__isnull=False).count() > repeals.filter(date_effective__isnull=True).count()
    relationships = list(Relationship.objects.filter(subject__is_synthetic=True).select_related("subject", "object"))
    assert len(relationships) > 100
    assert all(rel.subject.jurisdiction == rel.object.jurisdiction for rel in relationships)
    # Some synthetic dates of adoption are unknown, as real ones are; where both are known:
    dated = [rel for rel in relationships if rel.subject.date_adopted and rel.object.date_adopted]
    assert len(dated) > len(relationships) / 2
    assert [rel.pk for rel in dated if rel.object.date_adopted > rel.subject.date_adopted] == []
    # A repealed synthetic instrument is no longer in force after the repeal took effect.
    rel = repeals.filter(date_effective__isnull=False).first()
    assert rel.object.status_on(rel.date_effective) == "no_longer_in_force"


def test_same_seed_same_records(generated):
    first = list(
        Instrument.objects.filter(is_synthetic=True).order_by("pk").values_list("pk", "title_en", "date_adopted")
    )
    call_command("gen_synthetic", instruments=400, agreements=80, seed=3, clear=True, verbosity=0)
    assert (
        list(Instrument.objects.filter(is_synthetic=True).order_by("pk").values_list("pk", "title_en", "date_adopted"))
        == first
    )


def test_refuses_to_add_without_clear(generated):
    with pytest.raises(CommandError, match="--clear"):
        call_command("gen_synthetic", instruments=10, verbosity=0)


def test_clear_removes_exactly_the_synthetic_rows(generated):
    call_command("gen_synthetic", clear=True, verbosity=0)
    assert not Instrument.objects.filter(pk__startswith="syn-").exists()
    assert not Agreement.objects.filter(pk__startswith="syn-").exists()
    assert not Party.objects.filter(pk__startswith="syn-").exists()
    assert not Relationship.objects.filter(pk__startswith="syn-").exists()
    assert not Provenance.objects.filter(pk__startswith="syn-").exists()
    assert real_snapshot() == generated["before"]


def test_writing_synthetic_data_invalidates_cached_responses(generated):
    assert data_version() != generated["version"]


def test_data_files_hold_no_synthetic_record(settings):
    """load_kb loads the data files only, and no file holds a synthetic record (nor the flag)."""
    for path in (settings.BASE_DIR / "fixtures").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "syn-" not in text and "is_synthetic" not in text, path


def test_bad_arguments_are_refused(kb):
    with pytest.raises(CommandError, match="Nothing to do"):
        call_command("gen_synthetic", verbosity=0)
    with pytest.raises(CommandError, match="zero or more"):
        call_command("gen_synthetic", instruments=-1, verbosity=0)
