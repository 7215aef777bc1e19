"""The sources page lists at most SOURCE_PAGE_INSTRUMENTS of the instruments each source supports,
the earliest adopted first, and says how many more (at 10,000 synthetic instruments the generator's
source listed all 10,000, in 700 ms)."""

import re

import pytest

import sources.views
from instruments.models import Instrument
from sources.models import Provenance
from tests.test_query_budget import synthetic, synthetic_once  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("kb")


def supported(source_id):
    """The instruments the source supports, in the page's order as it sorted them before the cap:
    an unknown date of adoption first, then by date, then by id."""
    ids = set(
        Provenance.objects.about("instruments.instrument").filter(source=source_id).values_list("object_id", flat=True)
    )
    instruments = Instrument.objects.filter(pk__in=ids)
    return [i.pk for i in sorted(instruments, key=lambda i: (i.date_adopted is not None, i.date_adopted, i.pk))]


def entry_of(client, source_id, lang="en"):
    """The source's entry on the page, its HTML from <li> to </li>."""
    page = client.get(f"/{lang}/sources/").content.decode()
    return re.search(rf'<li id="{re.escape(source_id)}">.*?</li>', page, re.S).group(0)


def instrument_links(entry, lang="en"):
    return re.findall(rf'<a href="/{lang}/instruments/([^/"]+)/">', entry)


def test_past_the_cap_the_first_are_listed_and_the_rest_counted(client, monkeypatch):
    monkeypatch.setattr(sources.views, "SOURCE_PAGE_INSTRUMENTS", 3)
    ids = supported("kb-research-notes")
    assert len(ids) > 100  # the research notes support nearly every real instrument
    entry = entry_of(client, "kb-research-notes")
    assert instrument_links(entry) == ids[:3]
    assert entry.endswith(f"</a> and {len(ids) - 3} more instruments</li>")


def test_the_count_is_said_in_russian_and_kazakh(client, monkeypatch):
    monkeypatch.setattr(sources.views, "SOURCE_PAGE_INSTRUMENTS", len(supported("kb-research-notes")) - 1)
    assert entry_of(client, "kb-research-notes", "ru").endswith("</a> и ещё 1 документ</li>")
    assert entry_of(client, "kb-research-notes", "kk").endswith("</a> тағы 1 құжат</li>")


def test_within_the_cap_every_instrument_is_listed(client):
    ids = supported("article")
    assert 1 < len(ids) <= sources.views.SOURCE_PAGE_INSTRUMENTS
    entry = entry_of(client, "article")
    assert instrument_links(entry) == ids
    assert "more instrument" not in entry


def test_at_the_cap_nothing_more_is_said(client, monkeypatch):
    ids = supported("article")
    monkeypatch.setattr(sources.views, "SOURCE_PAGE_INSTRUMENTS", len(ids))
    entry = entry_of(client, "article")
    assert instrument_links(entry) == ids
    assert "more instrument" not in entry


def test_with_synthetic_records_the_page_stays_within_its_queries(client, synthetic, django_assert_max_num_queries):  # noqa: F811
    """Sources, the counts, the first instruments of each source and those instruments: four
    queries however many instruments a source supports."""
    ids = supported("syn-generator")
    cap = sources.views.SOURCE_PAGE_INSTRUMENTS
    assert len(ids) > cap
    with django_assert_max_num_queries(4):
        response = client.get("/en/sources/")
    entry = re.search(r'<li id="syn-generator">.*?</li>', response.content.decode(), re.S).group(0)
    assert instrument_links(entry) == ids[:cap]
    assert entry.endswith(f"</a> and {len(ids) - cap} more instruments</li>")
