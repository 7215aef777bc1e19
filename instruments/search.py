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

from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import BooleanField, Expression, Q

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


class SearchMatch(Expression):
    """The search condition on PostgreSQL, written as SQL: the instruments whose stored documents
    hold the words, or, when no instrument at all holds them (a misspelling), those whose titles
    have similar words.

    Each document has its own `IN (subquery)`, OR-ed with an always-false test: so each stays a
    hashed subplan, its matches read once from its GIN index and each row of the list costing a
    hash probe. As a plain condition (or an IN subquery, which PostgreSQL turns into a join),
    the planner would rather walk the list's ordering index and test row after row until a page
    is full, not knowing that each test reads a whole document: fast for a common word, but a
    word few instruments hold is tested against every row (tens of milliseconds at 100,000).
    With both documents in one subquery, PostgreSQL estimated the matches at the sum of both and
    read the whole table (40 ms at 10,000 instruments) instead of two index scans (4 ms each).
    The trigram set is built only when the uncorrelated NOT EXISTS holds; PostgreSQL answers
    that once (an InitPlan, which the first hit from a word index ends).

    Written by hand, not from querysets: Django resolved the four subqueries into the list's
    query on every request, cloning and relabelling each (building and compiling a search
    list's query took 2.6 ms, now 0.5; the list of 50 at 10,000 instruments 23 → 18 ms in the
    test client). tests/test_search.py holds this to the same instruments as those querysets
    select. Table and column names come from the model, quoted; the words are parameters."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, text):
        super().__init__()
        self.text = text

    def as_sql(self, compiler, connection):
        quote = connection.ops.quote_name
        model = compiler.query.model
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        outer = f"{compiler.quote_name_unless_alias(compiler.query.get_initial_alias())}.{pk}"
        words, word_params = compiler.compile(search_query(self.text))
        documents = [
            f"{outer} IN (SELECT d.{pk} FROM {table} d WHERE d.{quote(c)} @@ ({words}))" for c in SEARCH_DOCUMENTS
        ]
        any_document = " OR ".join(f"w.{quote(column)} @@ ({words})" for column in SEARCH_DOCUMENTS)
        similar = " OR ".join(f"t.{quote(field)} %%> %s" for field in TRIGRAM_FIELDS)
        sql = (
            f"({outer} IS NULL OR {' OR '.join(documents)}"
            f" OR (NOT EXISTS (SELECT 1 FROM {table} w WHERE {any_document} LIMIT 1)"
            f" AND {outer} IN (SELECT t.{pk} FROM {table} t WHERE {similar})))"
        )
        # The words once in each document's subquery and once per document in the NOT EXISTS.
        return sql, [*word_params] * (2 * len(SEARCH_DOCUMENTS)) + [self.text] * len(TRIGRAM_FIELDS)


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
        # One condition, no query of its own and no annotation: a page builds a queryset per
        # facet, and each stays lazy; counts, facets and values() stay plain.
        return self.filter(SearchMatch(text))

    def _search_substring(self, text):
        condition = Q()
        for word in text.split():
            word_anywhere = Q()
            for field in SEARCH_FIELDS:
                word_anywhere |= Q(**{f"{field}__icontains": word})
            condition &= word_anywhere
        return self.filter(condition)
