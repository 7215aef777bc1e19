"""Computed legal status: dates, precision and repeals, in Python and in SQL alike."""

import datetime

import pytest

from core.lifecycle import Precision, Status, period_end
from countries.models import Country
from instruments.models import Instrument, InstrumentParty, Relationship
from instruments.vocabulary import RelationshipType

D = datetime.date


def test_period_end_follows_precision():
    assert period_end(D(2015, 8, 1), Precision.MONTH) == D(2015, 8, 31)
    assert period_end(D(2016, 2, 1), Precision.MONTH) == D(2016, 2, 29)
    assert period_end(D(2012, 1, 1), Precision.YEAR) == D(2012, 12, 31)
    assert period_end(D(2012, 5, 6), Precision.DAY) == D(2012, 5, 6)
    assert period_end(None, Precision.UNKNOWN) is None


def make(
    pk, eif=None, eif_precision=None, eov=None, adopted=None, kind="law", level="national", jurisdiction="kz", **extra
):
    return Instrument.objects.create(
        id=pk,
        eli_path=f"/test/{pk}",
        kind=kind,
        level=level,
        jurisdiction=jurisdiction,
        date_adopted=adopted,
        date_adopted_precision=Precision.DAY if adopted else Precision.UNKNOWN,
        entry_into_force=eif,
        entry_into_force_precision=eif_precision or (Precision.DAY if eif else Precision.UNKNOWN),
        end_of_validity=eov,
        end_of_validity_precision=Precision.DAY if eov else Precision.UNKNOWN,
        is_synthetic=True,
        **extra,
    )


def statuses(on):
    """Status of each test record on `on`, computed in SQL."""
    result = {}
    for status in Status:
        for pk in Instrument.objects.filter(id__startswith="t-").with_status(status, on).values_list("id", flat=True):
            assert pk not in result, f"{pk} has two statuses on {on}"
            result[pk] = status
    return result


@pytest.fixture
def records(db):
    make("t-day", eif=D(2020, 3, 10))
    make("t-month", eif=D(2020, 3, 1), eif_precision=Precision.MONTH)
    make("t-year", eif=D(2020, 1, 1), eif_precision=Precision.YEAR)
    make("t-unknown")
    make("t-ended", eif=D(2010, 1, 1), eov=D(2020, 3, 15))
    old = make("t-repealed", eif=D(2010, 1, 1))
    new = make("t-successor", eif=D(2019, 1, 1))
    Relationship.objects.create(
        subject=new,
        object=old,
        type=RelationshipType.REPEALS,
        date_effective=D(2020, 3, 20),
        date_effective_precision=Precision.DAY,
    )
    undated_old = make("t-undated-repeal", eif=D(2010, 1, 1))
    Relationship.objects.create(subject=new, object=undated_old, type=RelationshipType.REPEALS)
    # In force from 10 March 2020, applicable from 1 June 2020 (as the 2024 Pact's regulations).
    make("t-applies-later", eif=D(2020, 3, 10), date_application=D(2020, 6, 1), date_application_precision="day")
    # Applicable from some day of April 2020: unknown during April.
    make("t-applies-april", eif=D(2020, 3, 10), date_application=D(2020, 4, 1), date_application_precision="month")
    # Applied provisionally from 2019, in force from 25 March 2020 (as the EU–Kazakhstan EPCA).
    make(
        "t-provisional",
        eif=D(2020, 3, 25),
        adopted=D(2018, 12, 1),
        date_provisional_application=D(2019, 1, 1),
        date_provisional_application_precision="day",
    )
    # A proposal is its stage on every date, whatever else it holds.
    make("t-proposal", procedure_stage="proposed", date_application=D(2020, 1, 1), date_application_precision="day")
    return Instrument.objects.filter(id__startswith="t-")


@pytest.mark.parametrize(
    "on, expected",
    [
        (
            D(2020, 3, 9),
            {
                "t-day": Status.NOT_YET_IN_FORCE,
                "t-month": Status.UNKNOWN,
                "t-year": Status.UNKNOWN,
                "t-ended": Status.IN_FORCE,
                "t-repealed": Status.IN_FORCE,
            },
        ),
        (
            D(2020, 3, 31),
            {
                "t-day": Status.IN_FORCE,
                "t-month": Status.IN_FORCE,
                "t-year": Status.UNKNOWN,
                "t-ended": Status.NO_LONGER_IN_FORCE,
                "t-repealed": Status.NO_LONGER_IN_FORCE,
            },
        ),
        (D(2021, 1, 1), {"t-day": Status.IN_FORCE, "t-month": Status.IN_FORCE, "t-year": Status.IN_FORCE}),
        (D(2020, 3, 15), {"t-ended": Status.IN_FORCE}),
        (D(2020, 3, 16), {"t-ended": Status.NO_LONGER_IN_FORCE}),
        (D(2020, 3, 19), {"t-repealed": Status.IN_FORCE}),
        (D(2020, 3, 20), {"t-repealed": Status.NO_LONGER_IN_FORCE}),
        (
            D(2020, 3, 24),
            {
                "t-applies-later": Status.IN_FORCE_NOT_YET_APPLICABLE,
                "t-applies-april": Status.IN_FORCE_NOT_YET_APPLICABLE,
                "t-provisional": Status.PROVISIONALLY_APPLIED,
                "t-proposal": Status.PROPOSED,
            },
        ),
        (D(2018, 12, 31), {"t-provisional": Status.NOT_YET_IN_FORCE, "t-proposal": Status.PROPOSED}),
        (D(2020, 4, 15), {"t-applies-later": Status.IN_FORCE_NOT_YET_APPLICABLE, "t-applies-april": Status.UNKNOWN}),
        (
            D(2020, 6, 1),
            {"t-applies-later": Status.IN_FORCE, "t-applies-april": Status.IN_FORCE, "t-provisional": Status.IN_FORCE},
        ),
    ],
)
def test_status_in_sql_and_python_agree(records, on, expected):
    in_sql = statuses(on)
    for pk, status in expected.items():
        assert in_sql[pk] == status, (pk, on)
    for record in records.prefetch_related("incoming_relationships"):
        assert record.status_on(on) == in_sql[record.id], (record.id, on)


def test_in_force_and_applicable_on_are_different_questions(records):
    def ids(queryset):
        return set(queryset.filter(id__startswith="t-app").values_list("id", flat=True)) | set(
            queryset.filter(id__in=["t-provisional", "t-proposal"]).values_list("id", flat=True)
        )

    on = D(2020, 3, 24)
    assert ids(Instrument.objects.in_force_on(on)) == {"t-applies-later", "t-applies-april"}
    assert ids(Instrument.objects.applicable_on(on)) == {"t-provisional"}
    assert ids(Instrument.objects.applicable_on(D(2020, 6, 1))) == {
        "t-applies-later",
        "t-applies-april",
        "t-provisional",
    }


def test_unknown_stays_unknown(records):
    on = D(2024, 1, 1)
    assert statuses(on)["t-unknown"] == Status.UNKNOWN
    # A repeal whose date nobody knows: we cannot say the act is still in force.
    assert statuses(on)["t-undated-repeal"] == Status.UNKNOWN
    assert not Instrument.objects.in_force_on(on).filter(id__in=["t-unknown", "t-undated-repeal"]).exists()


@pytest.mark.parametrize("on", [D(2020, 3, 9), D(2020, 3, 16), D(2020, 3, 20), D(2024, 1, 1)])
def test_status_case_gives_each_record_its_status_on_the_date(records, on):
    annotated = dict(records.annotate(status=records.status_case(on)).values_list("id", "status"))
    in_python = {record.id: record.status_on(on) for record in records.prefetch_related("incoming_relationships")}
    assert annotated == in_python
    assert annotated["t-undated-repeal"] == Status.UNKNOWN


@pytest.fixture
def treaties(db):
    """A multilateral treaty in force in 1954 that bound Kazakhstan from 1999 (as the 1951 Refugee
    Convention), one whose date for Kazakhstan nobody knows, a bilateral one with Kazakhstan, a
    bilateral one without it, and an EU directive."""
    make("k-multilateral", kind="convention", level="international", jurisdiction="un", eif=D(1954, 4, 22))
    Instrument.objects.filter(pk="k-multilateral").update(
        entry_into_force_kz=D(1999, 4, 15), entry_into_force_kz_precision="day"
    )
    make("k-multilateral-unknown", kind="agreement", level="regional", jurisdiction="cis", eif=D(1995, 1, 1))
    Country.objects.get_or_create(code="KZ", defaults={"alpha3": "KAZ", "numeric": "398", "name_en": "Kazakhstan"})
    with_kz = make("k-bilateral-kz", kind="agreement", level="bilateral", jurisdiction="eu", eif=D(2020, 3, 1))
    InstrumentParty.objects.create(instrument=with_kz, country_id="KZ")
    make("k-bilateral-other", kind="agreement", level="bilateral", jurisdiction="eu", eif=D(2011, 3, 1))
    make("k-directive", kind="directive", level="regional", jurisdiction="eu", eif=D(2005, 1, 1))
    return Instrument.objects.filter(id__startswith="k-").prefetch_related("parties", "incoming_relationships")


@pytest.mark.parametrize(
    "on, expected",
    [
        (D(1998, 1, 1), set()),
        (D(2000, 1, 1), {"k-multilateral"}),
        (D(2021, 1, 1), {"k-multilateral", "k-bilateral-kz"}),
    ],
)
def test_in_force_for_kazakhstan_in_sql_and_python_agree(treaties, on, expected):
    in_sql = set(treaties.in_force_for_kazakhstan_on(on).values_list("id", flat=True))
    assert in_sql == expected
    assert {record.id for record in treaties if record.in_force_for_kazakhstan_on(on)} == expected


def test_the_record_page_reckoning_from_repeals_and_parties_already_read_equals_the_sql(kb):
    """The instrument page computes status in Python from the repeals and parties it reads
    anyway (instruments/views.py), and an API list from its repeal dates and Kazakhstan-party
    flag (InstrumentQuerySet.with_repeal_dates, with_kazakhstan_party); over every real
    instrument both equal the SQL."""
    seen = set()
    for on in (D(1999, 12, 31), D(2023, 11, 18), D(2023, 11, 19), D(2025, 1, 1), D(2026, 6, 12)):
        in_force_for_kazakhstan = set(
            Instrument.objects.real().in_force_for_kazakhstan_on(on).values_list("pk", flat=True)
        )
        instruments = (
            Instrument.objects.real()
            .annotate_status(on)
            .with_repeal_dates()
            .with_kazakhstan_party()
            .prefetch_related("parties", "incoming_relationships")
        )
        for instrument in instruments:
            repeals = [r.date_effective for r in instrument.incoming_relationships.all() if r.type == "repeals"]
            countries = {party.country_id for party in instrument.parties.all()}
            expected = instrument.pk in in_force_for_kazakhstan
            assert instrument.status_on(on, repeals) == instrument.computed_status, (instrument.pk, on)
            assert instrument.status_on(on, instrument.repeal_dates()) == instrument.computed_status
            assert instrument.in_force_for_kazakhstan_on(on, repeals, countries) is expected, (instrument.pk, on)
            flagged = {"KZ"} if instrument.kazakhstan_party else set()
            assert instrument.in_force_for_kazakhstan_on(on, instrument.repeal_dates(), flagged) is expected
            seen.add(instrument.computed_status)
            seen.add(("kz", expected))
    # The dates reach law in force, repealed, not yet in force and not yet applicable alike,
    # and instruments in force for Kazakhstan and not.
    assert {("kz", True), ("kz", False)} <= seen
    assert {"in_force", "no_longer_in_force", "not_yet_in_force", "in_force_not_yet_applicable"} <= seen


def test_the_api_lists_status_by_the_python_twin_equals_the_sql_on_every_date(api, kb):
    """The API's lists compute status in Python from the repeal dates annotated in their own
    query (api/viewsets.py); on each date it equals the SQL CASE for every instrument and agreement."""
    from agreements.models import Agreement

    for on in (D(1999, 12, 31), D(2023, 11, 18), D(2023, 11, 19), D(2026, 6, 12)):
        for resource, model in (("instruments", Instrument), ("agreements", Agreement)):
            body = api.get(f"/api/v1/{resource}/?on={on}&page_size=200&fields=id,status").json()
            assert body["count"] == model.objects.count() <= 200
            listed = {row["id"]: row["status"] for row in body["results"]}
            assert listed == dict(model.objects.annotate_status(on).values_list("pk", "computed_status")), on
