"""Instrument.objects.search(): full-text search over titles (en/ru/kk), identifiers and
summaries; PostgreSQL adds word stems, misspellings (trigrams) and GIN indexes."""

import string

import pytest
from django.contrib.postgres.search import SearchVectorField
from django.db import connection
from django.db.models import Expression

from instruments.models import Instrument
from instruments.search import (
    MAX_QUERY_LENGTH,
    SEARCH_DOCUMENTS,
    SEARCH_FIELDS,
    TRIGRAM_FIELDS,
    search_query,
)


class StoredDocument(Expression):
    """A stored document column of the instrument table, in whichever alias the query gives it
    (the querysets' way of saying what SearchMatch writes as SQL)."""

    output_field = SearchVectorField()

    def __init__(self, column):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.{connection.ops.quote_name(self.column)}", []


def found(text):
    return set(Instrument.objects.real().search(text).values_list("pk", flat=True))


def test_english_words_find_the_family_reunification_directive(kb):
    result = found("family reunification")
    assert "eu-dir-2003-86" in result
    assert "eu-dir-2009-50" not in result


def test_identifiers_find_exactly_their_instrument(kb):
    assert found("32009L0050") == {"eu-dir-2009-50"}
    assert "eu-dir-2009-50" in found("2009/50/EC")


def test_russian_words(kb):
    assert "kz-pp-2022-961" in found("миграционной политики")


def test_word_forms_migrant_worker(kb):
    # The title says "Migrant Workers": a substring on SQLite, an English stem on PostgreSQL.
    assert "cis-agreement-1994-04-15" in found("migrant worker")


def test_every_word_must_match(kb):
    assert "eu-dir-2003-86" not in found("family quantum")


def test_empty_query_filters_nothing(kb):
    assert Instrument.objects.search("  ").count() == Instrument.objects.count()


HOSTILE = ['"family', "OR OR", "-", "a & b | !c", "(", "%_\\", "x" * 500]
ASCII_FOLD = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def every_word_as_a_substring(text):
    """What search means on SQLite, computed in Python: every word occurs in one of the searched
    fields, ASCII letters folded to lower case (as SQLite's LIKE does), nothing else special."""
    words = [word.translate(ASCII_FOLD) for word in text.strip()[:MAX_QUERY_LENGTH].split()]
    rows = Instrument.objects.real().values_list("pk", *SEARCH_FIELDS)
    return {
        pk
        for pk, *values in rows
        if all(any(word in (value or "").translate(ASCII_FOLD) for value in values) for word in words)
    }


@pytest.mark.parametrize("text", HOSTILE)
def test_any_input_is_safe_and_finds_only_instruments(kb, text):
    assert found(text) <= set(Instrument.objects.real().values_list("pk", flat=True))


def test_wildcards_and_operators_are_plain_characters(kb):
    """LIKE's % and _ and tsquery's & | ! match only themselves, and nothing has them."""
    assert found("%_\\") == set()
    assert found("a & b | !c") == set()
    assert found("x" * 500) == set()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only: its substring search")
@pytest.mark.parametrize("text", ["family reunification", "32009L0050", "2009/50/EC", "migrant worker", *HOSTILE])
def test_on_sqlite_search_is_every_word_as_a_substring(kb, text):
    expected = every_word_as_a_substring(text)
    assert found(text) == expected
    if text == "family reunification":
        assert expected == {"eu-dir-2003-86"}


def test_search_composes_with_other_filters_and_keeps_ordering(kb):
    result = Instrument.objects.filter(jurisdiction="eu").search("directive").order_by("date_adopted", "id")
    ids = list(result.values_list("pk", flat=True))
    assert ids[0] == "eu-dir-2001-40"  # the oldest EU directive, adopted 28 May 2001 (mutual recognition of expulsions)
    assert "kz-pp-2022-961" not in ids


@pytest.mark.postgres
def test_misspelling_finds_the_directive_on_postgresql(kb):
    assert "eu-dir-2003-86" in found("reunifcation")
    assert "eu-dir-2009-50" in found("higly qualified employment")


@pytest.mark.postgres
def test_search_uses_the_gin_index_on_postgresql(kb):
    from django.contrib.postgres.lookups import SearchLookup

    from instruments.search import search_query

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = (
        Instrument.objects.filter(SearchLookup(StoredDocument("search_document"), search_query("family")))
        .order_by()
        .explain()
    )
    assert "instrument_search_fts" in plan


@pytest.mark.postgres
def test_the_stored_document_follows_every_write(kb):
    """The document is a generated column: PostgreSQL recomputes it when a title changes."""
    assert found("quokkas") == set()
    Instrument.objects.filter(pk="eu-dir-2003-86").update(title_en="Council Directive on quokkas")
    assert found("quokkas") == {"eu-dir-2003-86"}
    Instrument.objects.filter(pk="eu-dir-2003-86").update(title_en="Council Directive on wombats")
    assert found("quokkas") == set()


@pytest.mark.postgres
def test_the_planner_keeps_one_value_of_each_title_on_postgresql(kb):
    """Estimating the trigram condition applies word similarity to every title the statistics
    hold (8 ms of planning per search at the default target, migration 0006): after ANALYZE
    the statistics of each title hold at most one common value and two histogram bounds."""
    with connection.cursor() as cursor:
        cursor.execute('ANALYZE "instruments_instrument"')
        cursor.execute(
            "SELECT attname, COALESCE(array_length(most_common_vals::text::text[], 1), 0),"
            " COALESCE(array_length(histogram_bounds::text::text[], 1), 0)"
            " FROM pg_stats WHERE tablename = 'instruments_instrument'"
            " AND attname IN ('title_en', 'title_ru', 'title_kk')"
            " ORDER BY attname"
        )
        rows = cursor.fetchall()
    assert [name for name, _, _ in rows] == ["title_en", "title_kk", "title_ru"]
    assert all(common <= 1 and bounds <= 2 for _, common, bounds in rows), rows


def search_by_querysets(queryset, text):
    """The search condition as Django's querysets say it, which SearchMatch writes as SQL: the
    instruments with the words in either stored document, or, when no instrument has them,
    those with similar words in a title."""
    from django.contrib.postgres.lookups import SearchLookup, TrigramWordSimilar
    from django.db.models import Exists, F, Q, Value

    query = search_query(text)
    in_documents = [Instrument.objects.filter(SearchLookup(StoredDocument(c), query)) for c in SEARCH_DOCUMENTS]
    similar = Q()
    for field in TRIGRAM_FIELDS:
        similar |= Q(TrigramWordSimilar(F(field), Value(text)))
    words = in_documents[0] | in_documents[1]
    condition = Q(pk__in=in_documents[0].values("pk")) | Q(pk__in=in_documents[1].values("pk"))
    return queryset.filter(condition | (~Exists(words) & Q(pk__in=Instrument.objects.filter(similar).values("pk"))))


@pytest.mark.postgres
@pytest.mark.parametrize(
    "text",
    [
        "family reunification",  # English word forms
        "миграция",  # Russian
        "32013L0033",  # an identifier
        "reunifcation",  # misspelt: the trigram set
        "higly qualified employment",
        '"blue card" -asylum',  # websearch syntax
        "quokka",  # nothing
        "readmission",
    ],
)
def test_the_sql_selects_what_the_querysets_select(kb, text):
    def ids(queryset):
        return list(queryset.order_by("date_adopted", "id").values_list("pk", flat=True))

    assert ids(Instrument.objects.search(text)) == ids(search_by_querysets(Instrument.objects.all(), text))
    narrowed = Instrument.objects.filter(jurisdiction="eu")  # composed with another condition
    assert ids(narrowed.search(text)) == ids(search_by_querysets(narrowed, text))


@pytest.mark.postgres
def test_each_document_is_read_from_its_own_index_once(kb):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Instrument.objects.search("readmission").explain()
    assert plan.count("hashed SubPlan") == 3  # two documents, the trigram set
    assert "Bitmap Index Scan on instrument_search_fts " in plan
    assert "Bitmap Index Scan on instrument_search_fts_stem" in plan
