"""PostgreSQL only: the full-text documents of instruments as generated columns with GIN indexes.

A query names the column instead of repeating the whole tsvector expression (planning
took about 8 ms per query with it), and GIN rechecks read the stored document. Databases
migrated before this had GIN indexes over the expressions themselves (made by 0002 then):
they are dropped here. SQLite searches by substring and gets none of this.
"""

from django.db import migrations


def add_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from instruments.search import DOCUMENT_COLUMNS, DOCUMENT_INDEXES, document_expression_sql, document_index_sql

    quote = schema_editor.quote_name
    for column in DOCUMENT_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(DOCUMENT_INDEXES[column])}")
        expression = document_expression_sql(schema_editor.connection, column)
        schema_editor.execute(f"ALTER TABLE instruments_instrument ADD COLUMN {quote(column)} tsvector "
                              f"GENERATED ALWAYS AS ({expression}) STORED")
        schema_editor.execute(document_index_sql(column, quote))


def drop_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from instruments.search import DOCUMENT_COLUMNS

    for column in DOCUMENT_COLUMNS:  # dropping the column drops its index
        schema_editor.execute(f"ALTER TABLE instruments_instrument DROP COLUMN IF EXISTS "
                              f"{schema_editor.quote_name(column)}")


class Migration(migrations.Migration):

    dependencies = [
        ("instruments", "0004_facet_covering_index"),
    ]

    operations = [
        migrations.RunPython(add_documents, drop_documents, elidable=False),
    ]
