"""The knowledge base's real data: facts about instruments, organisations, provenance, and load_kb itself."""

import datetime
import io
import shutil

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError

from core.lifecycle import Status
from countries.models import Country, Membership
from datafiles.yamlio import parse, render
from errata.models import Discrepancy
from instruments.models import Instrument, Provision, Relationship
from sources.models import Provenance, Source
from subjects.models import Subject

pytestmark = pytest.mark.django_db

D = datetime.date

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
    "errata.Discrepancy",
    "agreements.Agreement",
    "agreements.Party",
    "agreements.ArticleStateMention",
]


def in_force_ids(on):
    return set(Instrument.objects.real().in_force_on(on).values_list("id", flat=True))


# --------------------------------------------------------------------------- instruments and their status


def test_resolution_961_is_dated_30_november_2022_and_the_article_december_date_is_an_erratum():
    resolution = Instrument.objects.get(eli_path="/kz/pp/2022/961")
    assert resolution.date_adopted == D(2022, 11, 30)
    assert resolution.date_adopted_precision == "day"
    assert resolution.adilet_code == "P2200000961"
    erratum = Discrepancy.objects.get(id="961-date")
    assert any("December 30, 2022" in quote for quote in erratum.article_quotes)
    assert erratum.substantive and erratum.category == "date"
    assert list(erratum.instruments.values_list("id", flat=True)) == ["kz-pp-2022-961"]


def test_directive_2009_50_in_force_in_2020_but_not_in_2024():
    blue_card = Instrument.objects.get(id="eu-dir-2009-50")
    assert "eu-dir-2009-50" in in_force_ids(D(2020, 1, 1))
    assert "eu-dir-2009-50" not in in_force_ids(D(2024, 1, 1))
    assert blue_card.status_on(D(2020, 1, 1)) == Status.IN_FORCE
    assert blue_card.status_on(D(2024, 1, 1)) == Status.NO_LONGER_IN_FORCE
    # the last day of validity per EUR-Lex, and the day the repeal takes effect
    assert blue_card.status_on(D(2023, 11, 18)) == Status.IN_FORCE
    assert blue_card.status_on(D(2023, 11, 19)) == Status.NO_LONGER_IN_FORCE


def test_single_permit_directive_ends_on_21_may_2026():
    single_permit = Instrument.objects.get(id="eu-dir-2011-98")
    assert "eu-dir-2011-98" in in_force_ids(D(2026, 5, 21))
    assert "eu-dir-2011-98" not in in_force_ids(D(2026, 5, 22))
    assert single_permit.status_on(D(2026, 5, 21)) == Status.IN_FORCE
    assert single_permit.status_on(D(2026, 5, 22)) == Status.NO_LONGER_IN_FORCE
    assert Instrument.objects.get(id="eu-dir-2024-1233").status_on(D(2026, 5, 22)) == Status.IN_FORCE


def test_regulation_539_2001_is_codified_and_repealed_by_2018_1806():
    repeal = Relationship.objects.get(subject="eu-reg-2018-1806", type="repeals", object="eu-reg-2001-539")
    assert repeal.date_effective == D(2018, 12, 18)
    assert repeal.inverse_label == "repealed by"
    assert Relationship.objects.filter(subject="eu-reg-2018-1806", type="codifies", object="eu-reg-2001-539").exists()
    visa_list = Instrument.objects.get(id="eu-reg-2001-539")
    assert visa_list.status_on(D(2018, 12, 17)) == Status.IN_FORCE
    assert visa_list.status_on(D(2018, 12, 18)) == Status.NO_LONGER_IN_FORCE
    assert visa_list.id not in in_force_ids(D(2019, 1, 1))
    # the repeal date is believed, not seen literally in a source, and says so
    assert repeal.provenance.filter(field="date_effective", confidence="believed").exists()


def test_every_repeal_the_article_misses_is_expressed_by_a_successor_act():
    edges = set(Relationship.objects.values_list("subject", "type", "object"))
    assert {
        ("eu-dir-2021-1883", "repeals", "eu-dir-2009-50"),
        ("eu-dir-2024-1233", "recasts", "eu-dir-2011-98"),
        ("eu-dir-2024-1233", "repeals", "eu-dir-2011-98"),
        ("eu-reg-2018-1806", "codifies", "eu-reg-2001-539"),
        ("eu-reg-2018-1806", "repeals", "eu-reg-2001-539"),
        ("eu-dir-2011-51", "amends", "eu-dir-2003-109"),
        ("cis-protocol-2005-11-25", "amends", "cis-agreement-1994-04-15"),
    } <= edges


def test_eli_paths_identify_the_instruments_cited_by_the_article():
    paths = dict(Instrument.objects.real().values_list("eli_path", "id"))
    assert paths["/eu/dir/2003/86"] == "eu-dir-2003-86"
    assert paths["/eu/reg/2001/539"] == "eu-reg-2001-539"
    assert paths["/eaeu/treaty/2014-05-29"] == "eaeu-treaty-2014"
    assert paths["/kz/zakon/2020/327-vi"] == "kz-zakon-2020-327-vi"
    assert paths["/kz/pp/2022/961"] == "kz-pp-2022-961"
    cited = set(Instrument.objects.real().filter(cited_in_article=True).values_list("id", flat=True))
    assert cited == {
        "eaeu-treaty-2014",
        "eu-dir-2003-86",
        "eu-dir-2003-109",
        "eu-dir-2009-50",
        "eu-dir-2011-98",
        "eu-reg-2001-539",
        "kz-zakon-2020-327-vi",
        "kz-pp-2022-961",
        "cis-agreement-1994-04-15",
        "kz-address-2012-kazakhstan-2050",
    }


def test_unknown_dates_stay_empty_and_say_why():
    law = Instrument.objects.get(id="kz-zakon-2020-327-vi")
    assert law.entry_into_force is None and law.entry_into_force_precision == "unknown"
    assert law.status_on(D(2025, 1, 1)) == Status.UNKNOWN
    vague = law.provenance.filter(field="entry_into_force")
    assert vague.exists() and all(row.confidence == "believed" and "10 calendar days" in row.note for row in vague)
    assert law.adilet_code == ""  # a code derived from a pattern would be a guess
    resolution = Instrument.objects.get(id="kz-pp-2022-961")
    assert resolution.entry_into_force is None
    assert resolution.provenance.filter(field="entry_into_force", confidence="not_found").exists()
    # only the year of the Kazakhstan-2050 address is verified
    address = Instrument.objects.get(id="kz-address-2012-kazakhstan-2050")
    assert (address.date_adopted, address.date_adopted_precision) == (D(2012, 1, 1), "year")


def test_titles_say_whether_they_are_official_or_translations():
    resolution = Instrument.objects.get(id="kz-pp-2022-961")
    assert (
        resolution.title_ru == "Об утверждении Концепции миграционной политики Республики Казахстан на 2023 – 2027 годы"
    )
    assert (resolution.title_ru_kind, resolution.title_kk_kind, resolution.title_en_kind) == (
        "official",
        "official",
        "unofficial",
    )
    blue_card = Instrument.objects.get(id="eu-dir-2009-50")
    assert blue_card.title_en_kind == "official" and blue_card.title_ru_kind == "unofficial"
    assert not blue_card.title_ru.endswith("(unofficial translation)")
    family = Instrument.objects.get(id="eu-dir-2003-86")
    assert family.title_ru == "" and family.title_kk == ""
    assert set(family.provenance.filter(confidence="not_found").values_list("field", flat=True)) >= {
        "title_ru",
        "title_kk",
    }
    treaty = Instrument.objects.get(id="eaeu-treaty-2014")
    assert treaty.title_ru == "Договор о Евразийском экономическом союзе" and treaty.title_ru_kind == "official"
    assert treaty.provenance.get(field="title_kk").confidence == "believed"


def test_every_instrument_has_summaries_in_three_languages_with_editorial_provenance():
    instruments = list(Instrument.objects.real())
    assert len(instruments) == 15
    for instrument in instruments:
        for lang in ("en", "ru", "kk"):
            assert getattr(instrument, f"summary_{lang}"), (instrument.id, lang)
            rows = instrument.provenance.filter(field=f"summary_{lang}")
            assert rows.exists() and all("unofficial translation" in row.note for row in rows)
        assert instrument.subjects.exists(), instrument.id


def test_eaeu_treaty_provisions_on_labour_migration():
    article_96 = Provision.objects.get(instrument="eaeu-treaty-2014", label="art-96")
    assert article_96.parent.label == "section-xxvi"
    assert article_96.heading_ru.startswith("Статья 96. Сотрудничество государств-членов")
    assert article_96.heading_ru_kind == "official" and article_96.heading_en_kind == "unofficial"
    assert article_96.text_ru.startswith("Государства-члены осуществляют сотрудничество")
    assert article_96.text_ru_kind == "official" and article_96.text_en_kind == "unofficial"
    mention = article_96.provenance.get(field="article_mention")
    assert mention.confidence == "article" and mention.locator == "Discussion"
    assert mention.quote.startswith("member states are obligated to collaborate")
    labels = list(Provision.objects.filter(instrument="eaeu-treaty-2014").values_list("label", flat=True))
    assert labels == ["section-xxvi", "art-96", "art-97", "art-98"]
    assert (
        Provision.objects.get(instrument="eaeu-treaty-2014", label="art-98")
        .provenance.filter(field="heading_ru", confidence="believed")
        .exists()
    )


def test_subject_vocabulary_rolls_up_to_demig():
    labour = Subject.objects.get(code="legal_entry_stay-labour_migration")
    assert labour.parent_id == "legal_entry_stay" and labour.scheme == "policy_area"
    assert set(Subject.objects.filter(scheme="policy_area", parent=None).values_list("code", flat=True)) == {
        "border_land_control",
        "legal_entry_stay",
        "integration",
        "exit",
        "governance_institutions",
    }
    assert Subject.objects.get(code="readmission_agreements").demig_term == "readmission agreements"
    eaeu_workers = Subject.objects.get(code="workers_of_eaeu_member_states")
    assert eaeu_workers.parent_id == "all_migrant_workers" and eaeu_workers.label_ru
    treaty_subjects = set(Instrument.objects.get(id="eaeu-treaty-2014").subjects.values_list("code", flat=True))
    assert {"legal_entry_stay-labour_migration", "workers_of_eaeu_member_states"} <= treaty_subjects


# --------------------------------------------------------------------------- countries and memberships


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


# --------------------------------------------------------------------------- sources and provenance


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
    ]
    gaps = []
    instruments = list(Instrument.objects.real())
    assert len(instruments) == 15
    for instrument in instruments:
        documented = set(instrument.provenance.values_list("field", flat=True))
        gaps += [(instrument.id, f) for f in fields if getattr(instrument, f) not in ("", None) and f not in documented]
    assert gaps == []


# --------------------------------------------------------------------------- discrepancies


def test_all_34_discrepancies_are_recorded_with_their_quotes_and_evidence():
    assert Discrepancy.objects.count() == 34
    substantive = set(Discrepancy.objects.filter(substantive=True).values_list("id", flat=True))
    assert {
        "961-date",
        "directive-suffix-86",
        "2009-50-repealed",
        "2011-98-repealed",
        "539-repealed",
        "539-council-of-europe",
        "readmission-count",
        "adilet-code",
    } <= substantive
    assert "ref1-typo" not in substantive
    suffix = Discrepancy.objects.get(id="directive-suffix-86")
    assert "directive 2003/86/EU Council" in suffix.article_quotes and suffix.category == "number"
    assert suffix.provenance.filter(field="correct_fact", confidence="verified", source__kind="official").exists()
    count = Discrepancy.objects.get(id="readmission-count")
    assert count.category == "count"
    assert list(count.agreements.values_list("id", flat=True)) == ["kz-benelux-readmission"]


# --------------------------------------------------------------------------- load_kb


def dump():
    out = io.StringIO()
    call_command("dumpdata", "instruments", "agreements", "contenttypes", format="json", indent=None, stdout=out)
    return out.getvalue()


def test_load_kb_twice_changes_nothing():
    before = dump()
    call_command("load_kb", verbosity=0)
    assert dump() == before


def copy_data(tmp_path):
    shutil.copytree(settings.BASE_DIR / "fixtures", tmp_path / "data", ignore=shutil.ignore_patterns("schema"))
    return tmp_path / "data"


def edit_record(directory, relative, change):
    path = directory / relative
    data = parse(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(render(data), encoding="utf-8")


def test_load_kb_rejects_a_record_breaking_a_model_rule_and_saves_nothing(tmp_path):
    directory = copy_data(tmp_path)

    def untyped_title(data):
        # A title without saying whether it is official: clean() rejects it, no database constraint does.
        del data["title_en"]["kind"]
        data["summary_en"]["value"] = "changed"

    def renamed(countries):
        next(c for c in countries if c["code"] == "KZ")["name_en"] = "Changed"

    edit_record(directory, "instruments/eu-dir-2003-86.yaml", untyped_title)
    edit_record(directory, "countries.yaml", renamed)
    before = dump()
    with pytest.raises(CommandError) as error:
        call_command("load_kb", data_dir=str(directory), verbosity=0)
    assert "instruments/eu-dir-2003-86.yaml: title_en.kind: Say whether this title is official" in str(error.value)
    assert dump() == before
    assert Country.objects.get(code="KZ").name_en == "Kazakhstan"


def test_load_kb_rejects_entry_into_force_before_adoption_and_saves_nothing(tmp_path):
    directory = copy_data(tmp_path)
    edit_record(
        directory, "instruments/eu-dir-2009-50.yaml", lambda data: data["entry_into_force"].update(value="2001-01-01")
    )
    before = dump()
    with pytest.raises(CommandError) as error:
        call_command("load_kb", data_dir=str(directory), verbosity=0)
    assert (
        "instruments/eu-dir-2009-50.yaml: entry_into_force.value: Entry into force cannot be before the date "
        "of adoption or signature."
    ) in str(error.value)
    assert dump() == before


def test_load_kb_overwrite_drops_provenance_the_file_does_not_have_and_keeps_other_records():
    content_type = ContentType.objects.get_for_model(Instrument)
    source = Source.objects.get(id="kb-research-notes")
    stale = Provenance.objects.create(
        id="stale-row",
        content_type=content_type,
        object_id="eu-dir-2003-86",
        field="title_en",
        source=source,
        confidence="believed",
    )
    Instrument.objects.create(
        id="not-in-the-files", eli_path="/test/x/1", kind="law", level="national", jurisdiction="kz", is_synthetic=True
    )
    foreign = Provenance.objects.create(
        id="row-of-another-record",
        content_type=content_type,
        object_id="not-in-the-files",
        field="*",
        source=source,
        confidence="believed",
    )
    out = io.StringIO()
    call_command("load_kb", stdout=out)
    assert Provenance.objects.filter(id=stale.id).exists()  # an edit made in the database is kept…
    assert "kept the database's edit of instruments/eu-dir-2003-86.yaml" in out.getvalue()
    call_command("load_kb", overwrite=True, verbosity=0)
    assert not Provenance.objects.filter(id=stale.id).exists()  # …until the files are to win
    assert Provenance.objects.filter(id=foreign.id).exists()


def test_load_kb_refuses_a_directory_without_data_files(tmp_path):
    with pytest.raises(CommandError, match="no data files here"):
        call_command("load_kb", data_dir=str(tmp_path), verbosity=0)
    assert Instrument.objects.real().count() == 15
