"""The API's one fast path (api/rows.py) writes exactly what the serializers write: every list
page and every item, byte for byte, by the fast path and by DRF's serializers, over the real
knowledge base and synthetic records (several partners, relationships, subjects, every date
precision)."""

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


# Every list resource: light, with every field, on other dates.
LISTS = [
    "/api/v1/instruments/",
    *[f"/api/v1/instruments/?fields={names}" for names in every_field_but(InstrumentSerializer)],
    "/api/v1/instruments/?fields=id,title_en,kind,jurisdiction,date_adopted,in_force_for_kazakhstan",
    "/api/v1/instruments/?on=1999-12-31",
    "/api/v1/instruments/?in_force_on=2020-01-01&on=2020-01-01",
    "/api/v1/instruments/?applicable_on=2026-06-12",
    "/api/v1/agreements/",
    *[f"/api/v1/agreements/?fields={names}" for names in every_field_but(AgreementSerializer)],
    "/api/v1/agreements/?on=2010-01-01",
    "/api/v1/countries/",
    "/api/v1/organisations/",
    "/api/v1/sources/",
    "/api/v1/discrepancies/",
    "/api/v1/subjects/",
    "/api/v1/relationships/",
    "/api/v1/memberships/",
    "/api/v1/agreement-parties/",
    "/api/v1/instrument-parties/",
    "/api/v1/provenance/?record_type=instruments.instrument",
    "/api/v1/events/?on=2020-01-01",
]


def by_the_serializer(serializer_class, records, field_names, context):
    """What DRF writes: the serializer, its fields not asked for dropped."""
    serializer = serializer_class(records, many=True, context=context)
    for name in list(serializer.child.fields):
        if field_names is not None and name not in field_names:
            serializer.child.fields.pop(name)
    return serializer.data


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


@pytest.mark.parametrize("url", LISTS)
def test_every_list_is_the_same_by_the_fast_path_and_by_the_serializer(api, synthetic, monkeypatch, url):
    taken = []
    monkeypatch.setattr(viewsets, "write_rows", lambda *args: taken.append(1) or rows.write_rows(*args))
    fast = pages(api, url)
    assert len(taken) == len(fast)
    monkeypatch.setattr(viewsets, "write_rows", by_the_serializer)
    assert pages(api, url) == fast
    if url == "/api/v1/instruments/":
        assert len(fast) == 2  # 117 real and 250 synthetic instruments: two pages of 200


@pytest.mark.slow  # a sweep of every record (or parameter): make check leaves it to make test
def test_every_item_is_the_same_by_the_fast_path_and_by_the_serializer(api, synthetic, monkeypatch):
    """Every real instrument and agreement, every synthetic tenth, with their provisions,
    relationships both ways and provenance; and one item of each other resource."""
    from agreements.models import Agreement
    from instruments.models import Instrument

    urls = [f"/api/v1/instruments/{pk}/" for pk in Instrument.objects.values_list("pk", flat=True)]
    urls = [url for index, url in enumerate(urls) if "/syn-" not in url or index % 10 == 0]
    urls += [f"/api/v1/agreements/{pk}/" for pk in Agreement.objects.values_list("pk", flat=True)]
    urls += [
        "/api/v1/countries/DE/", "/api/v1/organisations/eu/", "/api/v1/sources/article/",
        "/api/v1/discrepancies/2009-50-repealed/", "/api/v1/subjects/legal_entry_stay-family_reunification/",
        "/api/v1/relationships/eu-dir-2021-1883-repeals-eu-dir-2009-50/", "/api/v1/memberships/eu-cz-2004-05-01/",
        "/api/v1/instrument-parties/eu-kz-epca-eu/", "/api/v1/instruments/eu-dir-2009-50/?format=jsonld",
    ]  # fmt: skip
    fast = [api.get(url).content for url in urls]
    monkeypatch.setattr(viewsets, "write_rows", by_the_serializer)
    slow = [api.get(url).content for url in urls]
    assert len(urls) > 117 + 33 and fast == slow
    assert b'"provisions":[{' in fast[urls.index("/api/v1/instruments/eaeu-treaty-2014/")]  # its articles


def test_a_csv_export_is_the_same_by_the_fast_path_and_by_the_serializer(api, synthetic, monkeypatch):
    url = "/api/v1/instruments/?format=csv"
    fast = api.get(url).getvalue()
    monkeypatch.setattr(viewsets, "write_rows", by_the_serializer)
    slow = api.get(url).getvalue()
    assert fast == slow and fast.count(b"\r\n") > 367  # a header and 367 rows at least


def test_the_fields_that_need_no_request_are_built_once():
    shared = rows.shared_fields(InstrumentSerializer)
    assert shared is rows.shared_fields(InstrumentSerializer)
    assert isinstance(shared["date_adopted_edtf"], rows.VALUE_FIELDS)
    assert not isinstance(shared["provenance"], rows.VALUE_FIELDS)  # reads the request: copied per request
