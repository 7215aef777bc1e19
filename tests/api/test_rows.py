"""The API's one fast path (api/rows.py) writes exactly what the serializers write: every list
answer, byte for byte, with the fast path and with the serializers, over the real knowledge
base and synthetic records (several partners, relationships, subjects, every date precision)."""

import pytest
from django.core.management import call_command

from agreements.serializers import AgreementSerializer
from api import rows, viewsets
from instruments.serializers import InstrumentSerializer


def every_field_but(serializer_class, *left_out):
    """Every field but these, as `fields=` values of at most 200 characters each."""
    chunks, chunk = [], []
    for name in serializer_class.Meta.fields:
        if name not in left_out:
            if len(",".join([*chunk, name])) > 200:
                chunks.append(",".join(chunk))
                chunk = []
            chunk.append(name)
    return [*chunks, ",".join(chunk)]


# Every list resource, light and with every field but the provenance (which the fast path
# leaves to the serializer), each page of 200 in turn.
# (list, whether it takes the fast path): every list resource, light and with every field but
# the provenance; the fast path leaves the provenance and nested serializers (an agreement's
# parties, a country's memberships) to the serializer.
LISTS = [
    ("/api/v1/instruments/", True),
    *[(f"/api/v1/instruments/?fields={names}", True) for names in every_field_but(InstrumentSerializer, "provenance")],
    ("/api/v1/instruments/?fields=id,title_en,kind,jurisdiction,date_adopted,in_force_for_kazakhstan", True),
    ("/api/v1/instruments/?on=1999-12-31", True),
    ("/api/v1/instruments/?in_force_on=2020-01-01&on=2020-01-01", True),
    ("/api/v1/instruments/?applicable_on=2026-06-12", True),
    ("/api/v1/agreements/", True),
    *[
        (f"/api/v1/agreements/?fields={names}", True)
        for names in every_field_but(AgreementSerializer, "provenance", "parties")
    ],
    ("/api/v1/agreements/?fields=id,parties", False),
    ("/api/v1/agreements/?on=2010-01-01", True),
    ("/api/v1/countries/", False),
    ("/api/v1/organisations/", False),
    ("/api/v1/sources/", True),
    ("/api/v1/discrepancies/", False),
    ("/api/v1/subjects/", True),
    ("/api/v1/relationships/?omit=provenance", True),
    ("/api/v1/memberships/?omit=provenance", True),
    ("/api/v1/agreement-parties/?omit=provenance", True),
    ("/api/v1/instrument-parties/?omit=provenance", True),
]


@pytest.fixture(scope="module")
def synthetic_once(module_transaction, django_db_blocker):
    with module_transaction():
        with django_db_blocker.unblock():
            call_command("gen_synthetic", instruments=250, agreements=50, seed=11, verbosity=0)
        yield


@pytest.fixture
def synthetic(synthetic_once, kb, warm_caches):
    pass


def pages(api, url):
    """The bodies of every page of a list, following `next`."""
    url += ("&" if "?" in url else "?") + "page_size=200"
    bodies = []
    while url:
        response = api.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        bodies.append(response.content)
        url = response.json()["next"]
    return bodies


@pytest.mark.parametrize(("url", "fast_path"), LISTS)
def test_every_list_is_the_same_by_the_fast_path_and_by_the_serializer(api, synthetic, monkeypatch, url, fast_path):
    taken = []
    monkeypatch.setattr(viewsets, "write_rows", lambda *args: taken.append(1) or rows.write_rows(*args))
    first = pages(api, url)
    assert len(taken) == (len(first) if fast_path else 0)
    monkeypatch.setattr(viewsets, "can_write", lambda *args: False)
    assert pages(api, url) == first
    if url == "/api/v1/instruments/":
        assert len(first) == 2  # 117 real and 250 synthetic instruments: two pages of 200


def test_a_csv_export_is_the_same_by_the_fast_path_and_by_the_serializer(api, synthetic, monkeypatch):
    url = "/api/v1/instruments/?format=csv&omit=provenance"
    fast = api.get(url).getvalue()
    monkeypatch.setattr(viewsets, "can_write", lambda *args: False)
    slow = api.get(url).getvalue()
    assert fast == slow and fast.count(b"\n") > 367  # a header and 367 rows at least


def test_the_provenance_is_left_to_the_serializer():
    from instruments.serializers import InstrumentSerializer

    assert rows.can_write(InstrumentSerializer, ["id", "title_en", "status", "in_force_for_kazakhstan"])
    assert not rows.can_write(InstrumentSerializer, ["id", "provenance"])
