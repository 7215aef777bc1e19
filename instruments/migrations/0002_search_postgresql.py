"""PostgreSQL only: what Instrument.objects.search() reads (instruments/search.py).

pg_trgm with a GIN trigram index per title (misspelt words), and the two full-text documents
as stored generated columns with GIN indexes (a query names the column instead of repeating
the whole tsvector expression). SQLite searches by substring and gets none of this.

The SQL is written out here, not built from live code, so this migration stays what it was
whatever search.py becomes.
"""

from django.db import migrations

SEARCH_DOCUMENT = (
    "(setweight(to_tsvector('simple'::regconfig, COALESCE(\"short_title_en\", '') || ' ' || "
    "COALESCE(\"short_title_ru\", '') || ' ' || COALESCE(\"short_title_kk\", '') || ' ' || "
    "COALESCE(\"title_en\", '') || ' ' || COALESCE(\"title_ru\", '') || ' ' || COALESCE(\"title_kk\", '')), 'A') "
    "|| setweight(to_tsvector('simple'::regconfig, COALESCE(\"number\", '') || ' ' || COALESCE(\"celex\", '') "
    "|| ' ' || COALESCE(\"adilet_code\", '') || ' ' || COALESCE(\"eli_path\", '')), 'B')) "
    "|| setweight(to_tsvector('simple'::regconfig, COALESCE(\"summary_en\", '') || ' ' || "
    "COALESCE(\"summary_ru\", '') || ' ' || COALESCE(\"summary_kk\", '')), 'C')"
)
SEARCH_STEMS = (
    "to_tsvector('english'::regconfig, COALESCE(\"title_en\", '') || ' ' || COALESCE(\"short_title_en\", '')) "
    "|| to_tsvector('russian'::regconfig, COALESCE(\"title_ru\", '') || ' ' || COALESCE(\"short_title_ru\", ''))"
)

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    'CREATE INDEX "instrument_search_trgm_en" ON "instruments_instrument" USING gin ("title_en" gin_trgm_ops)',
    'CREATE INDEX "instrument_search_trgm_ru" ON "instruments_instrument" USING gin ("title_ru" gin_trgm_ops)',
    'CREATE INDEX "instrument_search_trgm_kk" ON "instruments_instrument" USING gin ("title_kk" gin_trgm_ops)',
    f'ALTER TABLE "instruments_instrument" ADD COLUMN "search_document" tsvector '
    f"GENERATED ALWAYS AS ({SEARCH_DOCUMENT}) STORED",
    'CREATE INDEX "instrument_search_fts" ON "instruments_instrument" USING gin ("search_document")',
    f'ALTER TABLE "instruments_instrument" ADD COLUMN "search_stems" tsvector '
    f"GENERATED ALWAYS AS ({SEARCH_STEMS}) STORED",
    'CREATE INDEX "instrument_search_fts_stem" ON "instruments_instrument" USING gin ("search_stems")',
]
BACKWARD = [  # dropping a column drops its index
    'ALTER TABLE "instruments_instrument" DROP COLUMN IF EXISTS "search_stems"',
    'ALTER TABLE "instruments_instrument" DROP COLUMN IF EXISTS "search_document"',
    'DROP INDEX IF EXISTS "instrument_search_trgm_kk"',
    'DROP INDEX IF EXISTS "instrument_search_trgm_ru"',
    'DROP INDEX IF EXISTS "instrument_search_trgm_en"',
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("instruments", "0001_initial")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False)]
