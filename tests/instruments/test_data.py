"""The knowledge base's real data: facts about instruments, their status, titles, provisions and subjects."""

import datetime

import pytest

from core.lifecycle import Status
from errata.models import Discrepancy
from instruments.models import Instrument, Provision, Relationship
from subjects.models import Subject
from tests.recorded import records

pytestmark = pytest.mark.django_db

D = datetime.date


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
    # The rule (ten calendar days after first publication) is verified; its calendar date was not found.
    rules = law.provenance.filter(field="entry_into_force")
    assert rules.exists() and all("10 calendar days" in row.note or "ten calendar days" in row.note for row in rules)
    assert rules.filter(confidence="verified").exists()
    assert law.adilet_code == ""  # a code derived from a pattern would be a guess
    resolution = Instrument.objects.get(id="kz-pp-2022-961")
    assert resolution.entry_into_force is None
    assert resolution.provenance.filter(field="entry_into_force", confidence="not_found").exists()
    # the Kazakhstan-2050 address: the month (December 2012) is stated by talas-tynysy.kz; the day is
    # only believed, so the date is stored to the month
    address = Instrument.objects.get(id="kz-address-2012-kazakhstan-2050")
    assert (address.date_adopted, address.date_adopted_precision) == (D(2012, 12, 1), "month")


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
    assert set(treaty.provenance.filter(field="title_kk").values_list("source", "confidence")) == {
        ("adilet-zan-kz-z2100000065-033734", "verified"),  # quoted in Kazakhstan's ratification law
        ("kb-research-notes", "believed"),
    }


def test_every_instrument_has_summaries_in_three_languages_with_editorial_provenance():
    instruments = list(Instrument.objects.real())
    assert len(instruments) == len(records("instruments.Instrument"))  # one per data file
    for instrument in instruments:
        for lang in ("en", "ru", "kk"):
            assert getattr(instrument, f"summary_{lang}"), (instrument.id, lang)
            rows = instrument.provenance.filter(field=f"summary_{lang}")
            assert rows.exists() and all("unofficial translation" in row.note for row in rows)
        # Coded with subjects, unless no source says what it is about: then none is guessed.
        assert instrument.subjects.exists() == (instrument.id not in SUBJECT_NOT_IDENTIFIED), instrument.id


# Instruments whose subject matter the sources do not give (their summaries say so).
SUBJECT_NOT_IDENTIFIED = {"kz-zakon-2023-15-viii"}


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
