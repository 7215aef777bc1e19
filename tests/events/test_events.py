"""What changes next: dated events in a window, from one UNION query, on the real data."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement
from events.forms import EventForm
from events.queries import AGREEMENT_EVENTS, INSTRUMENT_EVENTS, add_months, attach_records, event_rows
from instruments.models import Instrument, Relationship

ON = "2026-01-01"


def api_events(api, **params):
    response = api.get("/api/v1/events/", {"page_size": 200, **params})
    assert response.status_code == 200, response.content
    return response.json()


def keys(results):
    return {(item["record"], item["event"], item["date"]) for item in results}


def test_on_2026_01_01_the_list_has_the_pacts_start_of_application_and_2011_98s_end(kb, api):
    body = api_events(api, on=ON)
    found = keys(body["results"])
    assert ("eu-reg-2024-1348", "application", "2026-06-12") in found
    assert ("eu-dir-2011-98", "end_of_validity", "2026-05-21") in found
    # 2011/98 is repealed by the single permit recast from the next day.
    repeal = next(i for i in body["results"] if i["record"] == "eu-dir-2011-98" and i["event"] == "repeal")
    assert repeal["repealed_by"] == "eu-dir-2024-1233"
    dates = [item["date"] for item in body["results"]]
    assert dates == sorted(dates)
    assert all("2025-01-01" <= item["date"] <= "2027-01-01" for item in body["results"])


def test_the_window_defaults_to_twelve_months_each_way_and_from_to_override(kb, api):
    narrow = api_events(api, **{"from": "2026-06-01", "to": "2026-06-30"})
    assert narrow["results"]
    assert all("2026-06-01" <= item["date"] <= "2026-06-30" for item in narrow["results"])
    assert ("eu-reg-2024-1348", "application", "2026-06-12") in keys(narrow["results"])
    assert add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)


def test_a_date_known_to_the_month_is_shown_as_such_and_kept_when_its_month_overlaps(kb, api):
    month = Instrument.objects.filter(date_adopted_precision="month").exclude(procedure_stage="").first()
    month = month or Instrument.objects.filter(date_adopted_precision="month").first()
    assert month is not None
    day = month.date_adopted
    body = api_events(api, **{"from": (day + datetime.timedelta(days=10)).isoformat(), "to": add_months(day, 1)})
    item = next(i for i in body["results"] if i["record"] == month.pk and i["date"] == day.isoformat())
    assert item["date_precision"] == "month"
    assert item["date_edtf"] == day.isoformat()[:7]


def test_filters_keep_the_matching_records(kb, api):
    eu = api_events(api, on=ON, jurisdiction="eu")
    assert eu["results"] and all(i["record_type"] == "instrument" for i in eu["results"])
    assert {i["record"] for i in eu["results"]} <= set(
        Instrument.objects.filter(jurisdiction="eu").values_list("pk", flat=True)
    )
    readmission = api_events(api, on=ON, type="readmission")
    assert readmission["results"] and all(i["record_type"] == "agreement" for i in readmission["results"])
    only = api_events(api, on=ON, event="application,end_of_validity")
    assert {i["event"] for i in only["results"]} == {"application", "end_of_validity"}
    assert api_events(api, on=ON, kind="directive")["results"]
    assert api_events(api, on=ON, subject="legal_entry_stay")["results"]
    api_events(api, on=ON, country="UZ", subject="legal_entry_stay")  # valid, whatever it finds


@pytest.mark.parametrize(
    "query",
    ["on=2026-13-01", "from=yesterday", "to=2026-1-1", "from=2026-05-01&to=2026-04-01", "jurisdiction=mars",
     "kind=poem", "type=x", "event=coronation", "subject=no-such-subject", "country=XX", "bogus=1", "on=1&on=2",
     "page=0", "page_size=100000", "format=xml", "from=0001-01-01", "on=%00"],
)  # fmt: skip
def test_bad_parameters_are_a_400_never_a_500(kb, api, query):
    response = api.get(f"/api/v1/events/?{query}")
    assert response.status_code == 400, (query, response.content)
    assert response.json()["error"]["parameters"]
    # The page, like the other lists, ignores parameters it does not know; it never fails.
    page = api.get(f"/en/events/?{query}")
    assert page.status_code in ((200, 400) if query.split("=")[0] in ("bogus", "page_size", "format") else (400, 404))


def test_csv_has_every_event_of_the_window(kb, api):
    response = api.get("/api/v1/events/", {"on": ON, "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == api_events(api, on=ON)["count"]
    assert {"record": "eu-reg-2024-1348", "event": "application", "date": "2026-06-12"}.items() <= next(
        r for r in rows if r["record"] == "eu-reg-2024-1348" and r["event"] == "application"
    ).items()


def test_the_events_are_one_union_query_and_their_records_a_fixed_few(kb):
    form = EventForm({"on": ON})
    assert form.is_valid()
    with CaptureQueriesContext(connection) as queries:
        events = attach_records(list(form.rows()))
    assert len(events) > 10
    assert len(queries) <= 4  # the union; instruments; agreements; their parties with their states
    assert "UNION ALL" in queries[0]["sql"].upper()
    assert event_rows(datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)).count() == 0  # nothing kept


def test_the_page_in_three_languages_and_the_home_page(kb, client, settings):
    settings.KB_TODAY = ON
    for language in ("en", "ru", "kk"):
        page = client.get(f"/{language}/events/?on={ON}")
        assert page.status_code == 200
        assert "/instruments/eu-reg-2024-1348/" in page.content.decode()
    home = client.get("/en/").content.decode()
    assert "/en/events/" in home
    assert "eu-dir-2011-98" in home  # its end of validity, 21 May 2026, is among the next few
    assert client.get("/en/events/?on=2026-13-01").status_code == 400


def test_an_agreement_with_several_partners_is_named_by_all_of_them_in_their_order(kb, client):
    """Its parties come with their states in one query for the whole page, in the states' order
    (events.queries.agreements_labelled), as its own page names it."""
    page = client.get("/en/events/?from=2017-06-01&to=2017-06-01").content.decode()
    assert (
        '<td><time datetime="2017-06-01">1 June 2017</time></td>\n<td>Entry into force</td>\n'
        '<th scope="row"><a href="/en/agreements/kz-benelux-readmission/">'
        "Kazakhstan – Belgium, Luxembourg, Netherlands readmission agreement</a></th>"
    ) in page
    feed = client.get("/ru/events/feed/?from=1997-08-07&to=1997-08-07").content.decode()
    assert (
        "<entry><title>Соглашение Казахстан – Киргизия, Узбекистан о сотрудничестве в сфере миграции: подписано</title>"
    ) in feed


def test_every_events_date_column_is_read_from_an_index():
    """Each kind of event is a range of one date column (events.queries): each column is in an
    index, its own or the narrow lifecycle one, so that no part of the UNION scans a whole table
    (the ratification dates did: half the events' query at 10,000 instruments on PostgreSQL)."""
    for model, columns in (
        (Instrument, INSTRUMENT_EVENTS.values()),
        (Agreement, AGREEMENT_EVENTS.values()),
        (Relationship, ["date_effective"]),
    ):
        indexed = {field.name for field in model._meta.fields if field.db_index}
        indexed |= {name for index in model._meta.indexes for name in index.fields}
        assert set(columns) <= indexed, (model, set(columns) - indexed)
