"""Atom feeds of changes and events: valid (feedparser, no bozo), with the expected entries."""

import datetime

import feedparser
import pytest

from agreements.models import Agreement
from instruments.models import Instrument


def parsed(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    assert feed.version == "atom10"
    return feed


def test_the_whole_knowledge_base_feed_shows_the_latest_change_first(kb, client):
    instrument = Instrument.objects.get(pk="eu-dir-2011-98")
    instrument.entry_into_force = datetime.date(2011, 12, 25)
    instrument.save()
    feed = parsed(client, "/en/feeds/changes/")
    first = feed.entries[0]
    assert first.link.endswith(
        "/en/instruments/eu-dir-2011-98/history/#change-" + str(instrument.history.latest().history_id)
    )
    assert "entry into force changed from 24 December 2011 to 25 December 2011" in first.summary
    assert len(feed.entries) == 50


def test_a_jurisdictions_feed_holds_only_its_instruments(kb, client):
    feed = parsed(client, "/en/feeds/changes/jurisdiction/eaeu/")
    ids = {entry.link.split("/instruments/")[1].split("/")[0] for entry in feed.entries}
    assert ids and ids <= set(Instrument.objects.filter(jurisdiction="eaeu").values_list("pk", flat=True))
    assert client.get("/en/feeds/changes/jurisdiction/mars/").status_code == 404


def test_a_countrys_feed_holds_its_agreements_and_its_organisations_instruments(kb, client):
    feed = parsed(client, "/en/feeds/changes/country/UZ/")
    links = [entry.link for entry in feed.entries]
    uzbek = set(Agreement.objects.with_partner("UZ").values_list("pk", flat=True))
    assert uzbek and {f"/agreements/{pk}/history/" for pk in uzbek} <= {
        "/agreements/" + link.split("/agreements/")[1].split("#")[0] for link in links if "/agreements/" in link
    }
    assert all("/agreements/" + pk in " ".join(links) or True for pk in uzbek)
    others = {link.split("/agreements/")[1].split("/")[0] for link in links if "/agreements/" in link}
    assert others <= uzbek
    instruments = {link.split("/instruments/")[1].split("/")[0] for link in links if "/instruments/" in link}
    assert instruments <= set(
        Instrument.objects.filter(jurisdiction__in=["cis", "eaeu", "un"]).values_list("pk", flat=True)
    ) | set(Instrument.objects.filter(parties__country="UZ").values_list("pk", flat=True))
    assert client.get("/en/feeds/changes/country/QQ/").status_code == 404


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_a_records_feed_and_the_events_feed(kb, client, settings, language):
    feed = parsed(client, f"/{language}/instruments/eu-reg-2024-1348/feed/")
    assert [entry.link.split("#")[0][-len("/instruments/eu-reg-2024-1348/history/") :] for entry in feed.entries] == [
        "/instruments/eu-reg-2024-1348/history/"
    ]
    agreement = Agreement.objects.with_partner("DE").get()
    assert parsed(client, f"/{language}/agreements/{agreement.pk}/feed/").entries
    settings.KB_TODAY = "2026-01-01"
    events = parsed(client, f"/{language}/events/feed/")
    titles = [entry.id for entry in events.entries]
    assert "tag:kzmigration,2026:instrument/eu-reg-2024-1348/application/2026-06-12" in titles
    assert "tag:kzmigration,2026:instrument/eu-dir-2011-98/end_of_validity/2026-05-21" in titles
    assert client.get(f"/{language}/events/feed/?on=2026-13-01").status_code == 400


def test_pages_carry_their_feeds_in_the_head(kb, client):
    heads = {
        "/en/": "/en/events/feed/",
        "/en/events/": "/en/events/feed/",
        "/en/countries/UZ/": "/en/feeds/changes/country/UZ/",
        "/en/instruments/eu-reg-2024-1348/": "/en/instruments/eu-reg-2024-1348/feed/",
        "/en/instruments/?jurisdiction=eu": "/en/feeds/changes/jurisdiction/eu/",
        "/en/sources/": "/en/feeds/changes/",
    }
    for url, feed in heads.items():
        head = client.get(url).content.decode().split("</head>")[0]
        assert 'type="application/atom+xml"' in head and f'href="{feed}"' in head, url


def test_each_change_is_told_against_the_entry_before_it_as_simple_history_finds_it(kb, client):
    """The predecessors are read with the entries (events.history.latest_entries), not one
    query per entry through `prev_record`: over the whole real history, with a record changed
    twice, one changed and changed back, and one deleted, each entry's sentences are the
    ones its `prev_record` gives."""
    from events.feeds import latest_changes
    from events.history import changes

    instrument = Instrument.objects.get(pk="eu-dir-2011-98")
    instrument.entry_into_force = datetime.date(2011, 12, 25)
    instrument.save()
    instrument.entry_into_force_precision = "month"
    instrument.save()
    agreement = Agreement.objects.get(pk="kz-benelux-readmission")
    agreement.note, note = "changed", agreement.note
    agreement.save()
    agreement.note = note
    agreement.save()
    Instrument.objects.get(pk="eu-reg-2024-1348").delete()

    items = latest_changes(limit=100_000)
    assert len(items) == Instrument.history.count() + Agreement.history.count()
    for item in items:
        entry, expected = item["entry"], item["entry"].prev_record
        assert getattr(entry.previous, "history_id", None) == getattr(expected, "history_id", None), entry
        assert item["changes"] == changes(entry, expected), entry

    feed = parsed(client, "/en/feeds/changes/")
    benelux = "Kazakhstan – Belgium, Luxembourg, Netherlands readmission agreement"
    titles = [entry.title for entry in feed.entries[:4]]
    assert titles[0] == "eu-reg-2024-1348: record deleted"
    assert titles[1].startswith(f"{benelux}: note changed from “changed” to “One agreement with three states")
    assert titles[2].startswith(f"{benelux}: note changed from “One agreement with three states")
    assert titles[2].endswith("” to “changed”")
    assert titles[3] == "Directive 2011/98/EU: entry into force changed from 25 December 2011 to December 2011"
