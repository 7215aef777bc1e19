"""Keyset pages on every list (`?cursor=`, api/pagination.py): a walk gives every row once,
in id order, under the same filters as page numbers; a bad or clashing cursor is a 400."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement
from instruments.models import Instrument

pytestmark = pytest.mark.django_db


def walk(api, url):
    ids, pages = [], 0
    while url:
        with CaptureQueriesContext(connection) as queries:
            body = api.get(url).json()
        assert len(queries) <= 6, url  # the query budget holds on every keyset page
        ids += [row["id"] for row in body["results"]]
        url, pages = body["next"], pages + 1
    return ids, pages, body["count"]


@pytest.mark.parametrize(
    "url, model, filters",
    [
        ("/api/v1/instruments/?cursor=start&page_size=25&fields=id", Instrument, {}),
        (
            "/api/v1/instruments/?cursor=start&page_size=10&fields=id&jurisdiction=eu",
            Instrument,
            {"jurisdiction": "eu"},
        ),
        (
            "/api/v1/agreements/?cursor=start&page_size=10&fields=id&type=readmission",
            Agreement,
            {"type": "readmission"},
        ),
    ],
)
def test_a_cursor_walk_gives_every_row_once_in_id_order(api, kb, url, model, filters):
    expected = sorted(model.objects.filter(**filters).values_list("pk", flat=True))
    assert len(expected) > 1
    ids, pages, count = walk(api, url)
    assert ids == expected
    assert count == len(expected)
    size = int(url.split("page_size=")[1].split("&")[0])
    assert pages == -(-len(expected) // size)


def test_previous_goes_back_to_the_same_rows(api, kb):
    first = api.get("/api/v1/instruments/?cursor=start&page_size=20&fields=id").json()
    second = api.get(first["next"]).json()
    back = api.get(second["previous"]).json()
    assert [row["id"] for row in back["results"]] == [row["id"] for row in first["results"]]


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=start&page=2", "page"),
        ("cursor=start&ordering=-updated_at", "ordering"),
    ],
)
def test_a_bad_or_clashing_cursor_is_a_400_naming_the_parameter(api, kb, query, parameter):
    response = api.get(f"/api/v1/instruments/?{query}")
    assert response.status_code == 400
    assert list(response.json()["error"]["parameters"]) == [parameter]
