"""The home page's counts are kept per data version and day (core/counts.py): a second
request counts nothing, the numbers are the knowledge base's own, and a write shows at once."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import KAZAKHSTAN, Agreement, Party
from core.lifecycle import Status, today
from errata.models import Discrepancy
from instruments.models import Instrument
from sources.models import Source
from tests.web.test_pages import text_of


def home(client, queries_of=None):
    """The home page's text and the number of its queries that count instruments."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/")
    assert response.status_code == 200
    if queries_of is not None:
        queries_of.extend(q["sql"] for q in queries.captured_queries)
    counting = [q for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT")]
    return text_of(response), len(counting)


def in_force_today():
    """Instruments in force today by the model's own Python status rule (not the SQL one)."""
    on = today()
    return sum(
        i.status_on(on) == Status.IN_FORCE for i in Instrument.objects.prefetch_related("incoming_relationships")
    )


def expected_counts():
    on = today()
    agreements = list(Agreement.objects.prefetch_related("parties"))
    return [
        f"{len(Instrument.objects.all())} legal instruments",
        f"{in_force_today()} in force today, {sum(i.cited_in_article for i in Instrument.objects.all())} cited",
        f"{len(agreements)} agreements with partner states",
        f"{sum(a.status_on(on) == Status.IN_FORCE for a in agreements)} in force today, "
        f"{len({p.country_id for p in Party.objects.all()} - {KAZAKHSTAN})} partner states",
        f"{sum(a.type == 'readmission' for a in agreements)} readmission agreements",
        f"{len(Source.objects.all())} sources",
        f"{len(Discrepancy.objects.all())} corrections to the article",
    ]


def test_home_counts_are_the_knowledge_bases_own_and_kept(client, kept_counts):
    text, counting = home(client)
    assert counting == 1
    for expected in expected_counts():
        assert expected in text
    queries = []
    again, counting = home(client, queries)
    assert (again, counting) == (text, 0)  # the same counts, kept: nothing counted again
    # The next events are kept too: only their records are read, by key.
    assert not [sql for sql in queries if "UNION" in sql]
    assert len(queries) <= 2


def test_a_write_changes_the_home_counts_at_once(client, kept_counts):
    home(client)
    before = in_force_today()
    # An instrument in force today whose entry into force moves to tomorrow: not in force today,
    # and the next event.
    on = today()
    instrument = next(
        i
        for i in Instrument.objects.prefetch_related("incoming_relationships")
        if i.status_on(on) == Status.IN_FORCE and i.end_of_validity is None
    )
    instrument.entry_into_force = on + datetime.timedelta(days=1)
    instrument.entry_into_force_precision = "day"
    instrument.date_application, instrument.date_application_precision = None, "unknown"
    instrument.save()
    assert in_force_today() == before - 1
    text, counting = home(client)
    assert counting == 1
    for expected in expected_counts():
        assert expected in text
    assert f"entry into force: {instrument.label}" in text.split("What changes next")[1]
