"""The planned serializers (instruments/representation.py) and the orjson renderer
(instruments/renderers.py) answer exactly what DRF's own serializers and JSON renderer
answer: the same bytes for every record of every resource, on the real data and on
synthetic records with every kind of relation."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils.translation import gettext_lazy
from rest_framework import fields, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from instruments.renderers import OrjsonRenderer
from instruments.representation import PlannedRepresentation, plan
from instruments.serializers import InstrumentSerializer

RESOURCES = ["instruments", "agreements", "countries", "organisations", "sources", "discrepancies"]


def every_page(client, url):
    bodies = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        bodies.append(response.content)
        url = response.json()["next"]
    return bodies


def every_response(client):
    """Every list page (200 per page) and every record's detail, of every resource."""
    answers = {}
    for resource in RESOURCES:
        for index, body in enumerate(every_page(client, f"/api/v1/{resource}/?page_size=200")):
            answers[f"{resource} page {index + 1}"] = body
            for item in json.loads(body)["results"]:
                detail = client.get(item["url"])
                answers[item["url"]] = detail.content
    for url in ("/api/v1/instruments/?on=2004-06-01&format=csv", "/api/v1/agreements/?format=csv",
                "/api/v1/instruments/eu-dir-2009-50/?format=jsonld"):
        response = client.get(url)
        answers[url] = b"".join(response.streaming_content) if response.streaming else response.content
    return answers


@pytest.fixture
def with_synthetic(kb):
    call_command("gen_synthetic", instruments=150, agreements=40, seed=3, verbosity=0)


def test_planned_output_is_drf_output_byte_for_byte(with_synthetic, monkeypatch):
    client = APIClient()
    planned = every_response(client)
    monkeypatch.setattr(PlannedRepresentation, "to_representation", serializers.Serializer.to_representation)
    monkeypatch.setattr(OrjsonRenderer, "render", JSONRenderer.render)
    by_drf = every_response(client)
    assert planned.keys() == by_drf.keys()
    assert len(planned) > 400  # real and synthetic records of six resources, each listed and shown
    different = [url for url in planned if planned[url] != by_drf[url]]
    assert different == []


def test_detail_shows_provenance_relationships_and_partners(with_synthetic):
    client = APIClient()
    directive = client.get("/api/v1/instruments/eu-dir-2009-50/").json()
    assert {(rel["type"], rel["direction"], rel["instrument"]) for rel in directive["relationships"]} >= {
        ("repeals", "incoming", "eu-dir-2021-1883")}
    assert directive["provenance"]["*"][0]["source_api_url"].startswith("http://testserver/api/v1/sources/")
    benelux = client.get("/api/v1/agreements/kz-benelux-readmission/").json()
    assert [partner["code"] for partner in benelux["partners"]] == ["BE", "LU", "NL"]
    assert [party["code"] for party in benelux["parties"]] == ["BE", "KZ", "LU", "NL"]


def test_plan_follows_the_serializer_field_order():
    assert [name for name, _step in plan(InstrumentSerializer)] == InstrumentSerializer.Meta.fields


def test_a_field_without_a_planned_conversion_is_refused():
    class WithHyperlink(PlannedRepresentation):
        link = fields.HiddenField(default=None)
        other = fields.JSONField()

    with pytest.raises(TypeError, match="JSONField 'other' of WithHyperlink has no planned representation"):
        plan(WithHyperlink)


@pytest.mark.parametrize("data", [
    {"title": "Закон Республики Казахстан «О миграции населения»", "count": 3, "empty": None, "flag": False},
    {"line separators": "a\u2028b\u2029c"},
    {"when": datetime.datetime(2024, 5, 1, 12, 30, 15, 123456, tzinfo=datetime.timezone.utc),
     "day": datetime.date(2009, 5, 25), "label": gettext_lazy("in force")},
    {1: "a key that is not a string"},
])
def test_orjson_renderer_writes_drfs_bytes(data):
    assert OrjsonRenderer().render(data) == JSONRenderer().render(data)


def test_indentation_on_request_still_works():
    body = OrjsonRenderer().render({"a": [1]}, "application/json; indent=2")
    assert body == b'{\n  "a": [\n    1\n  ]\n}'
