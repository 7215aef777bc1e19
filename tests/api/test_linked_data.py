"""JSON-LD (issue 12): agreements as well as instruments; node IRIs under the configured canonical
base, not the request's Host; the day a computed legal force is for (legislationDateVersion)."""

import json
import re

import pytest
from pyld import jsonld


def no_network(url, options=None):
    raise AssertionError(f"JSON-LD processing tried to fetch {url}")


def head_jsonld(client, url):
    head = client.get(url).content.decode().split("</head>")[0]
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S).group(1))


@pytest.fixture
def elsewhere(settings, api):
    """Requests under another host name of the same deployment."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.KB_CANONICAL_URL = "https://kb.example.org"
    api.defaults["HTTP_HOST"] = "mirror.example.net:8313"
    return api


def test_agreements_answer_jsonld_that_expands_offline(api, kb):
    from agreements.models import Agreement

    response = api.get("/api/v1/agreements/", {"format": "jsonld", "page_size": 200})
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    document = response.json()
    assert response["X-Total-Count"] == str(Agreement.objects.count())
    expanded = jsonld.expand(document, {"documentLoader": no_network})
    assert len(expanded) == Agreement.objects.count()
    assert len(jsonld.to_rdf(document, {"documentLoader": no_network, "format": "application/n-quads"})) > 0
    node = api.get("/api/v1/agreements/kz-de-readmission/", HTTP_ACCEPT="application/ld+json").json()["@graph"][0]
    assert node["@id"] == "http://127.0.0.1/api/v1/agreements/kz-de-readmission/"
    assert node["@type"] == ["Legislation", "eli:LegalResource"]
    assert {p["identifier"] for p in node["legislationJurisdiction"]} == {"KZ", "DE"}
    assert node["legislationDate"] == {"@value": "2009-12-10", "@type": "xsd:date"}
    assert node["legislationLegalForce"]["@id"] in {"schema:InForce", "schema:NotInForce"}


def test_a_protocol_amends_its_agreement(api, kb):
    from agreements.models import Agreement

    protocol = Agreement.objects.exclude(amends=None).first()
    if protocol is None:
        pytest.skip("no protocol in the data")
    node = api.get(f"/api/v1/agreements/{protocol.pk}/", {"format": "jsonld"}).json()["@graph"][0]
    assert node["legislationAmends"] == {"@id": f"http://127.0.0.1/api/v1/agreements/{protocol.amends_id}/"}


def test_ids_come_from_the_canonical_base_not_the_host(elsewhere, kb):
    node = elsewhere.get("/api/v1/instruments/eu-dir-2009-50/", {"format": "jsonld"}).json()["@graph"][0]
    assert node["@id"] == "https://kb.example.org/api/v1/instruments/eu-dir-2009-50/"
    assert node["url"] == "https://kb.example.org/en/instruments/eu-dir-2009-50/"
    assert node["@reverse"]["legislationRepeals"] == [
        {"@id": "https://kb.example.org/api/v1/instruments/eu-dir-2021-1883/"}
    ]
    node = elsewhere.get("/api/v1/agreements/kz-de-readmission/", {"format": "jsonld"}).json()["@graph"][0]
    assert node["@id"] == "https://kb.example.org/api/v1/agreements/kz-de-readmission/"
    page = head_jsonld(elsewhere, "/en/agreements/kz-de-readmission/")["@graph"][0]
    assert page["@id"] == node["@id"]
    page = head_jsonld(elsewhere, "/en/instruments/eu-dir-2009-50/")["@graph"][0]
    assert page["@id"] == "https://kb.example.org/api/v1/instruments/eu-dir-2009-50/"


def test_the_computed_legal_force_says_for_which_day(api, kb, pinned_today):
    from core.lifecycle import today

    node = api.get("/api/v1/instruments/eu-dir-2009-50/", {"format": "jsonld"}).json()["@graph"][0]
    assert node["legislationDateVersion"] == {"@value": today().isoformat(), "@type": "xsd:date"}
    graph = api.get("/api/v1/instruments/", {"format": "jsonld", "on": "2015-01-01", "jurisdiction": "eu"}).json()
    repealed_later = next(n for n in graph["@graph"] if n["identifier"] == "eu-dir-2009-50")
    assert repealed_later["legislationDateVersion"] == {"@value": "2015-01-01", "@type": "xsd:date"}
    assert repealed_later["legislationLegalForce"] == {"@id": "schema:InForce"}
    graph = api.get("/api/v1/agreements/", {"format": "jsonld", "on": "2015-01-01"}).json()
    assert {n["legislationDateVersion"]["@value"] for n in graph["@graph"] if "legislationLegalForce" in n} == {
        "2015-01-01"
    }
    page = head_jsonld(api, "/en/agreements/kz-de-readmission/")["@graph"][0]
    assert page["legislationDateVersion"] == {"@value": today().isoformat(), "@type": "xsd:date"}
