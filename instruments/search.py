"""Full-text search over instruments: PostgreSQL full-text search with trigram matching for
misspellings, and a plain substring fallback on SQLite.

    Instrument.objects.search("family reunification")   # a QuerySet; its ordering is unchanged
    Instrument.objects.search("reunifcation")           # misspelt: trigram matches (PostgreSQL)

PostgreSQL: the titles (en/ru/kk), short titles, identifiers and summaries form one
tsvector document, and the English and Russian stems of the titles another; both are
stored as generated columns with GIN indexes (migration 0005). The words are parsed with
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

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.db.models import Exists, Expression, F, Q, Value

# Weighted fields of the search document: titles rank above identifiers above summaries.
TITLE_FIELDS = ("short_title_en", "short_title_ru", "short_title_kk", "title_en", "title_ru", "title_kk")
IDENTIFIER_FIELDS = ("number", "celex", "adilet_code", "eli_path")
SUMMARY_FIELDS = ("summary_en", "summary_ru", "summary_kk")
SEARCH_FIELDS = TITLE_FIELDS + IDENTIFIER_FIELDS + SUMMARY_FIELDS + ("id",)
CONFIGS = ("english", "russian", "simple")
MAX_QUERY_LENGTH = 200

INSTRUMENT_TABLE = "instruments_instrument"
FTS_INDEX_NAME = "instrument_search_fts"
TRIGRAM_INDEX_NAME = "instrument_search_trgm"


def search_vector():
    """The tsvector expression, shared by the GIN index and the queries that must use it."""
    return (
        SearchVector(*TITLE_FIELDS, config="simple", weight="A")
        + SearchVector(*IDENTIFIER_FIELDS, config="simple", weight="B")
        + SearchVector(*SUMMARY_FIELDS, config="simple", weight="C")
    )


def stemmed_vector():
    """English and Russian stems of the titles, for word forms ("migrants" ~ "migrant")."""
    return (SearchVector("title_en", "short_title_en", config="english")
            + SearchVector("title_ru", "short_title_ru", config="russian"))


# Misspellings are caught by trigram word similarity on the titles (pg_trgm lower-cases and
# ignores punctuation itself), one GIN index per column so each stays a plain column index.
TRIGRAM_FIELDS = ("title_en", "title_ru", "title_kk")


def search_query(text):
    query = None
    for config in CONFIGS:
        part = SearchQuery(text, config=config, search_type="websearch")
        query = part if query is None else query | part
    return query


def trigram_indexes():
    """GIN trigram indexes on the titles (migration 0002, PostgreSQL only)."""
    from django.contrib.postgres.indexes import GinIndex

    return [GinIndex(fields=[field], opclasses=["gin_trgm_ops"], name=f"{TRIGRAM_INDEX_NAME}_{field[-2:]}")
            for field in TRIGRAM_FIELDS]


# The two documents are stored, as generated columns PostgreSQL keeps up to date itself
# (migration 0005; the model does not know them, so SQLite has none): a query then names
# a column instead of repeating the whole expression, which cost PostgreSQL about 8 ms of
# planning per query, and rechecks read the stored document instead of computing it.
DOCUMENT_COLUMNS = {"search_document": search_vector, "search_stems": stemmed_vector}
DOCUMENT_INDEXES = {"search_document": FTS_INDEX_NAME, "search_stems": f"{FTS_INDEX_NAME}_stem"}


def document_index_sql(column, quote):
    return (f"CREATE INDEX {quote(DOCUMENT_INDEXES[column])} ON {quote(INSTRUMENT_TABLE)} "
            f"USING gin ({quote(column)})")


def document_expression_sql(connection, column):
    """The SQL of a document's expression over the instrument table's own columns."""
    from .models import Instrument

    queryset = Instrument.objects.annotate(document=DOCUMENT_COLUMNS[column]()).values("document")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        sql = cursor.mogrify(sql, params).decode()
    expression = sql[len("SELECT "):sql.index(' AS "document" FROM')]
    return expression.replace(f'"{INSTRUMENT_TABLE}".', "")


class StoredDocument(Expression):
    """A stored document column of the instrument table, in whichever alias the query gives it."""

    output_field = SearchVectorField()

    def __init__(self, column):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.{connection.ops.quote_name(self.column)}", []


def matches(queryset):
    """A condition selecting the matches of `queryset` by primary key, planned apart.

    As a plain WHERE condition (or an IN subquery, which PostgreSQL turns into a join),
    the planner would rather walk the ordering index and test row after row until a page
    is full — tens of milliseconds at 100,000 rows, since it does not know that each test
    computes a whole document. OR-ed with an always-false test, the subquery stays a hashed
    subplan: its matches come from the GIN indexes once, and each row costs a hash probe.
    """
    return Q(pk__in=queryset.order_by().values("pk")) | Q(pk__isnull=True)


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
        from django.db import connections

        return connections[self.db].vendor

    def _search_postgresql(self, text):
        from django.contrib.postgres.lookups import SearchLookup, TrigramWordSimilar

        query = search_query(text)
        # Lookups as expressions (no annotations), so counts, facets and values() stay plain.
        base = self.model._default_manager.using(self.db)
        word_match = (Q(SearchLookup(StoredDocument("search_document"), query))
                      | Q(SearchLookup(StoredDocument("search_stems"), query)))
        words = base.filter(word_match)
        similar = Q()
        for field in TRIGRAM_FIELDS:
            similar |= Q(TrigramWordSimilar(F(field), Value(text)))
        # Titles with similar words count only when no instrument at all has the words as
        # written (a misspelling). One condition, no query of its own: a page builds a
        # queryset per facet, and each stays lazy. The EXISTS is uncorrelated, so PostgreSQL
        # answers it once (an InitPlan, one hit from the word index ends it) and never
        # builds the costlier trigram set when the words are found.
        return self.filter(matches(words) | (~Exists(words) & Q(pk__in=base.filter(similar).values("pk"))))

    def _search_substring(self, text):
        condition = Q()
        for word in text.split():
            word_anywhere = Q()
            for field in SEARCH_FIELDS:
                word_anywhere |= Q(**{f"{field}__icontains": word})
            condition &= word_anywhere
        return self.filter(condition)
