"""PostgreSQL only: the planner keeps one value of statistics for each title column.

Search's trigram condition (`title %> 'word'`, instruments/search.py) is estimated by applying
word similarity to every most-common value and histogram bound of the column: about 200 long
titles per column at the default statistics target, 2.5 ms of planning each, 8 ms for the
three titles in every search, whether or not the trigram set is ever built. Nothing else
filters on a title's value (search on PostgreSQL reads the stored documents), so the titles
need no distribution: with a target of 1 the estimate takes one comparison (search at 10,000
instruments: 8.0 ms of planning -> 0.9 ms; the plans are the same). The ANALYZE replaces the
statistics a database already holds, which a lower target alone would leave in place.

The SQL is written out here, not built from live code, so this migration stays what it was.
"""

from django.db import migrations

TITLES = ("title_en", "title_ru", "title_kk")


def statistics(target):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        columns = ", ".join(f'ALTER COLUMN "{title}" SET STATISTICS {target}' for title in TITLES)
        schema_editor.execute(f'ALTER TABLE "instruments_instrument" {columns}')
        schema_editor.execute(f'ANALYZE "instruments_instrument" ({", ".join(TITLES)})')

    return apply


class Migration(migrations.Migration):
    dependencies = [("instruments", "0005_lifecycle_and_sync_indexes")]

    operations = [migrations.RunPython(statistics(1), statistics(-1), elidable=False)]
