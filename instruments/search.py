"""Full-text search over instruments: PostgreSQL full-text search with trigram matching for
misspellings, and a plain substring fallback on SQLite.

    Instrument.objects.search("family reunification")   # a QuerySet; its ordering is unchanged
    Instrument.objects.search("reunifcation")           # misspelt: trigram matches (PostgreSQL)

PostgreSQL: the titles (en/ru/kk), short titles, identifiers and summaries form one
tsvector document, and the English and Russian stems of the titles another; both are
stored as generated columns with GIN indexes (instruments migration 0001, whose SQL
spells the documents out). The words are parsed with
websearch_to_tsquery (quotes, OR and -minus work; nothing the user types is a syntax
error) with the English, Russian and 'simple' configurations OR-ed together, so English
and Russian word forms match their stems and Kazakh words match as written. When no
record at all matches the words (an uncorrelated EXISTS in the same query), trigram indexes
on the titles catch misspellings: titles with words similar to the query (pg_trgm word similarity,
threshold 0.6 by default) match instead. Results are not ranked: lists keep their own
ordering (the stored documents would allow ts_rank if a relevance order is wanted).

SQLite: every word must occur (case-insensitively; SQLite folds ASCII letters only) in
one of the searched fields.
"""

from django.contrib.postgres.lookups import SearchLookup, TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connections
from django.db.models import Exists, Expression, F, Q, Value

# Weighted fields of the search document: titles rank above identifiers above summaries.
TITLE_FIELDS = ("short_title_en", "short_title_ru", "short_title_kk", "title_en", "title_ru", "title_kk")
IDENTIFIER_FIELDS = ("number", "celex", "adilet_code", "eli_path")
SUMMARY_FIELDS = ("summary_en", "summary_ru", "summary_kk")
SEARCH_FIELDS = TITLE_FIELDS + IDENTIFIER_FIELDS + SUMMARY_FIELDS + ("id",)
CONFIGS = ("english", "russian", "simple")
# The stored documents: every searched field as written, and the titles' English and Russian stems.
SEARCH_DOCUMENTS = ("search_document", "search_stems")
MAX_QUERY_LENGTH = 200

# Misspellings are caught by trigram word similarity on the titles (pg_trgm lower-cases and
# ignores punctuation itself); each column has its own GIN trigram index.
TRIGRAM_FIELDS = ("title_en", "title_ru", "title_kk")

# The GIN indexes behind search on PostgreSQL, as migration 0002 creates them (it keeps its own
# copy of these statements; gen_synthetic drops and rebuilds them around a large load).
SEARCH_INDEXES = {
    **{
        f"instrument_search_trgm_{field[-2:]}": (
            f'CREATE INDEX "instrument_search_trgm_{field[-2:]}" ON "instruments_instrument" '
            f'USING gin ("{field}" gin_trgm_ops)'
        )
        for field in TRIGRAM_FIELDS
    },
    "instrument_search_fts": 'CREATE INDEX "instrument_search_fts" ON "instruments_instrument" '
    'USING gin ("search_document")',
    "instrument_search_fts_stem": 'CREATE INDEX "instrument_search_fts_stem" ON "instruments_instrument" '
    'USING gin ("search_stems")',
}


def search_query(text):
    query = None
    for config in CONFIGS:
        part = SearchQuery(text, config=config, search_type="websearch")
        query = part if query is None else query | part
    return query


class StoredDocument(Expression):
    """A stored document column of the instrument table, in whichever alias the query gives it."""

    output_field = SearchVectorField()

    def __init__(self, column):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.{connection.ops.quote_name(self.column)}", []


def matches(*querysets):
    """A condition selecting the matches of any of `querysets` by primary key, each planned apart.

    As a plain WHERE condition (or an IN subquery, which PostgreSQL turns into a join),
    the planner would rather walk the ordering index and test row after row until a page
    is full — tens of milliseconds at 100,000 rows, since it does not know that each test
    computes a whole document. OR-ed with an always-false test, each subquery stays a hashed
    subplan: its matches come from its GIN index once, and each row costs a hash probe. One
    subquery per document: with both documents OR-ed in one, PostgreSQL estimated the matches
    at the sum of both and read the whole table testing each row (40 ms at 10,000
    instruments) instead of two index scans (4 ms each).
    """
    condition = Q(pk__isnull=True)
    for queryset in querysets:
        condition |= Q(pk__in=queryset.order_by().values("pk"))
    return condition


class SearchQuerySetMixin:
    """`search(text)` for a QuerySet of instruments, on PostgreSQL and SQLite alike."""

    def search(self, text):
        text = (text or "").strip()[:MAX_QUERY_LENGTH]
        if not text:
            return self
        if self.db_vendor() == "postgresql":
            return self._search_postgresql(text)
        return self._search_substring(text)

    def db_vendor(self):
        return connections[self.db].vendor

    def _search_postgresql(self, text):
        query = search_query(text)
        # Lookups as expressions (no annotations), so counts, facets and values() stay plain.
        base = self.model._default_manager.using(self.db)
        in_documents = [base.filter(SearchLookup(StoredDocument(column), query)) for column in SEARCH_DOCUMENTS]
        words = in_documents[0] | in_documents[1]
        similar = Q()
        for field in TRIGRAM_FIELDS:
            similar |= Q(TrigramWordSimilar(F(field), Value(text)))
        # Titles with similar words count only when no instrument at all has the words as
        # written (a misspelling). One condition, no query of its own: a page builds a
        # queryset per facet, and each stays lazy. The EXISTS is uncorrelated, so PostgreSQL
        # answers it once (an InitPlan, one hit from the word index ends it) and never
        # builds the costlier trigram set when the words are found.
        return self.filter(matches(*in_documents) | (~Exists(words) & Q(pk__in=base.filter(similar).values("pk"))))

    def _search_substring(self, text):
        condition = Q()
        for word in text.split():
            word_anywhere = Q()
            for field in SEARCH_FIELDS:
                word_anywhere |= Q(**{f"{field}__icontains": word})
            condition &= word_anywhere
        return self.filter(condition)
