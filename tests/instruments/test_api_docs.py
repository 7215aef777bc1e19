"""docs/api.md's Python examples run as written, against the real data, and print what
the text around them says. urllib is routed to Django's test client (no server)."""

import io
import re
import urllib.error
import urllib.request

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"


def python_blocks():
    text = (settings.BASE_DIR / "docs" / "api.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


@pytest.fixture
def urlopen_via_client(client, monkeypatch, pinned_today):

    def urlopen(request, *args, **kwargs):
        url = request.full_url if isinstance(request, urllib.request.Request) else request
        headers = dict(request.header_items()) if isinstance(request, urllib.request.Request) else {}
        assert url.startswith(BASE), url
        extra = {"HTTP_HOST": "127.0.0.1:8000"}
        if "Accept" in headers:
            extra["HTTP_ACCEPT"] = headers["Accept"]
        response = client.get(url[len(BASE) :], **extra)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.status_code >= 400:
            raise urllib.error.HTTPError(url, response.status_code, "error", response.headers, io.BytesIO(body))
        return io.BytesIO(body)

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)


def run(block, namespace, capsys):
    exec(compile(block, "docs/api.md", "exec"), namespace)
    return capsys.readouterr().out


def test_the_python_examples_do_what_the_text_says(urlopen_via_client, capsys):
    blocks = python_blocks()
    assert len(blocks) == 6
    namespace = {}
    run(blocks[0], namespace, capsys)  # API = …

    agreements = run(blocks[1], namespace, capsys).splitlines()
    assert agreements == [
        "kz-de-readmission DE 2016-06-01",
        "kz-cz-readmission CZ 2016-07-01",
        "kz-lv-readmission LV 2016-02-04",
        "kz-lt-readmission LT 2015-09-24",
    ]  # in order of signature, the default

    instruments = run(blocks[2], namespace, capsys)
    assert "eu-dir-2003-86 Directive 2003/86/EC in_force" in instruments
    assert "eu-dir-2009-50 no_longer_in_force → eu-dir-2021-1883" in instruments
    assert "eu-dir-2011-98 no_longer_in_force → eu-dir-2024-1233" in instruments

    problems = run(blocks[3], namespace, capsys).splitlines()
    assert problems == [
        "400 invalid_parameters",
        'country Not an ISO 3166-1 alpha-2 or alpha-3 country code: "XX".',
        "signed_from Give a date as YYYY-MM-DD, e.g. 2017-01-01.",
    ]

    facets = run(blocks[4], namespace, capsys)
    # The EU's instruments by kind, as docs/api.md's prose says (24 directives, 22 regulations).
    assert (
        "{'agreement': 8, 'directive': 24, 'regulation': 22, 'decision': 1, 'framework_decision': 1, "
        "'legislative_proposal': 3, 'draft': 1}"
    ) in facets

    jsonld = run(blocks[5], namespace, capsys)
    assert "['Legislation', 'eli:LegalResource'] ['32009L0050', '2009/50/EC'] {'@id': 'schema:NotInForce'}" in jsonld
    assert "eu-dir-2021-1883" in jsonld
