"""A record's history, public: every change of every field, in plain words."""

import datetime

from agreements.models import Agreement
from instruments.models import Instrument


def test_the_first_load_is_record_created_and_an_edit_is_a_sentence(kb, client):
    instrument = Instrument.objects.get(pk="eu-dir-2011-98")
    page = client.get(f"/en/instruments/{instrument.pk}/history/")
    assert page.status_code == 200
    assert "Record created" in page.content.decode()
    instrument.entry_into_force = datetime.date(2011, 12, 25)
    instrument.save()
    text = client.get(f"/en/instruments/{instrument.pk}/history/").content.decode()
    assert 'entry into force changed from <time datetime="2011-12-24">24 December 2011</time> to' in text.replace(
        "Entry", "entry"
    )
    assert "25 December 2011" in text
    assert text.index("25 December 2011") < text.index("Record created")  # newest first


def test_an_unknown_date_becoming_known_reads_as_from_unknown(kb, client):
    instrument = Instrument.objects.get(pk="kz-zakon-1995-2337")
    assert instrument.entry_into_force is None
    instrument.entry_into_force = datetime.date(2011, 8, 17)
    instrument.entry_into_force_precision = "day"
    instrument.save()
    text = client.get(f"/en/instruments/{instrument.pk}/history/").content.decode()
    plain = " ".join(__import__("re").sub("<[^>]+>", "", text).split())
    assert "Entry into force changed from unknown to 17 August 2011" in plain
    ru = client.get(f"/ru/instruments/{instrument.pk}/history/")
    assert ru.status_code == 200 and "17 августа 2011" in ru.content.decode()


def test_record_pages_link_their_history_and_feed(kb, client):
    agreement = Agreement.objects.with_partner("DE").get()
    page = client.get(f"/en/agreements/{agreement.pk}/").content.decode()
    assert f"/en/agreements/{agreement.pk}/history/" in page
    assert (
        f'type="application/atom+xml" title="Changes to this record" href="/en/agreements/{agreement.pk}/feed/"' in page
    )
    history = client.get(f"/en/agreements/{agreement.pk}/history/")
    assert history.status_code == 200 and "Record created" in history.content.decode()
    page = client.get("/en/instruments/eu-dir-2009-50/").content.decode()
    assert "/en/instruments/eu-dir-2009-50/history/" in page
    assert client.get("/en/instruments/no-such-thing/history/").status_code == 404
