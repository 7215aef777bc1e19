"""Every record answers as reviewed: API responses byte for byte, pages by their text and links.

The reviewed answers live in tests/golden/ (api.json.gz: URL → exact body; pages.json.gz:
URL → visible text of <main> and its links). A refactoring must leave them unchanged; a
deliberate change of data or output rewrites them with

    KZ_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py

and the rewrite is reviewed like any other change (tests/golden/README.md says how to diff).
Status is computed for a pinned day, so the answers do not change at midnight.
"""

import difflib
import gzip
import html
import json
import os
import re
from pathlib import Path

import pytest
from django.test import override_settings

GOLDEN = Path(__file__).parent / "golden"
PINNED_TODAY = "2026-12-01"
UPDATE = os.environ.get("KZ_UPDATE_GOLDEN") == "1"
LANGUAGES = ("en", "ru", "kk")
# One test per resource and per language: the chunks run on several workers at once.
RESOURCES = ("instruments", "agreements", "countries", "organisations", "sources", "discrepancies")

pytestmark = pytest.mark.django_db


def api_urls():
    from agreements.models import Agreement
    from countries.models import Country, Organisation
    from errata.models import Discrepancy
    from instruments.models import Instrument
    from sources.models import Source

    resources = {
        "instruments": Instrument.objects.real(),
        "agreements": Agreement.objects.real(),
        "countries": Country.objects.all(),
        "organisations": Organisation.objects.all(),
        "sources": Source.objects.all(),
        "discrepancies": Discrepancy.objects.all(),
    }
    urls = []
    for name, queryset in resources.items():
        urls.append(f"/api/v1/{name}/?page_size=200")
        if name in ("instruments", "agreements"):
            urls.append(f"/api/v1/{name}/?format=csv")
        urls.extend(f"/api/v1/{name}/{pk}/" for pk in queryset.order_by("pk").values_list("pk", flat=True))
    for pk in Instrument.objects.real().order_by("pk").values_list("pk", flat=True):
        urls.append(f"/api/v1/instruments/{pk}/?format=jsonld")
    urls.append("/api/v1/instruments/?format=jsonld&page_size=200")
    urls.append("/api/v1/instruments/?facets=kind,level,jurisdiction,status,subject,cited_in_article")
    urls.append("/api/v1/agreements/?facets=status,country,in_article_list")
    return urls


def page_paths():
    from agreements.models import Agreement, Party
    from instruments.models import Instrument

    paths = ["", "instruments/", "agreements/", "sources/", "errata/", "map/", "timeline/"]
    paths += [f"instruments/{pk}/" for pk in Instrument.objects.real().order_by("pk").values_list("pk", flat=True)]
    paths += [f"agreements/{pk}/" for pk in Agreement.objects.real().order_by("pk").values_list("pk", flat=True)]
    countries = sorted(set(Party.objects.values_list("country_id", flat=True)))
    paths += [f"countries/{code}/" for code in countries]
    return [f"/{lang}/{path}" for lang in LANGUAGES for path in paths]


def page_digest(content):
    """The visible text of <main> and the links in it: what a reader sees and can follow."""
    page = content.decode()
    main = re.search(r"<main\b.*?</main>", page, re.S).group(0)
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    links = re.findall(r'href="([^"]*)"', main)
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main))).strip()
    return {"text": text, "links": [html.unescape(link) for link in links]}


def body(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def read_golden(name):
    path = GOLDEN / name
    if not path.exists():
        return None
    return json.loads(gzip.decompress(path.read_bytes()).decode())


def write_golden(name, data):
    GOLDEN.mkdir(exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    # mtime=0: the same answers give the same file bytes.
    (GOLDEN / name).write_bytes(gzip.compress(text.encode(), mtime=0))


def compare(name, actual, prefix):
    """Compare the answers under one URL prefix with the reviewed ones (a chunk of the file, so
    the chunks run on several workers); KZ_UPDATE_GOLDEN=1 rewrites that chunk."""
    reviewed = read_golden(name)
    if UPDATE:
        others = {url: value for url, value in (reviewed or {}).items() if not url.startswith(prefix)}
        write_golden(name, {**others, **actual})
        return
    assert reviewed is not None, f"tests/golden/{name} is missing: run with KZ_UPDATE_GOLDEN=1 once"
    expected = {url: value for url, value in reviewed.items() if url.startswith(prefix)}
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    changed = sorted(url for url in set(expected) & set(actual) if expected[url] != actual[url])
    assert not (missing or extra or changed), (
        f"{name}: {len(changed)} changed, {len(missing)} missing, {len(extra)} new; "
        f"first changed: {changed[:5]}, missing: {missing[:5]}, new: {extra[:5]}\n"
        + (first_difference(expected[changed[0]], actual[changed[0]]) if changed else "")
    )


def pretty(value):
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return value.splitlines()
    return json.dumps(value, ensure_ascii=False, indent=1).splitlines()


def first_difference(expected, actual):
    """A short unified diff of one changed answer, so a failure shows what changed."""
    lines = difflib.unified_diff(pretty(expected), pretty(actual), "reviewed", "now", n=2, lineterm="")
    return "\n".join(list(lines)[:60])


@pytest.mark.slow  # a sweep of every record: make check leaves it to make test
@override_settings(KB_TODAY=PINNED_TODAY)
@pytest.mark.parametrize("resource", RESOURCES)
def test_every_api_response_of_every_record_is_as_reviewed(client, kb, resource):
    prefix = f"/api/v1/{resource}/"
    actual = {}
    for url in (url for url in api_urls() if url.startswith(prefix)):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        actual[url] = body(response)
    compare("api.json.gz", actual, prefix)


@pytest.mark.slow  # a sweep of every record: make check leaves it to make test
@override_settings(KB_TODAY=PINNED_TODAY)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_of_every_record_is_as_reviewed(client, kb, lang):
    prefix = f"/{lang}/"
    actual = {}
    for url in (url for url in page_paths() if url.startswith(prefix)):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        actual[url] = page_digest(response.content)
    compare("pages.json.gz", actual, prefix)


def test_every_reviewed_answer_belongs_to_a_chunk():
    """No reviewed answer escapes the chunked tests above."""
    api = read_golden("api.json.gz")
    pages = read_golden("pages.json.gz")
    assert all(url.startswith(tuple(f"/api/v1/{r}/" for r in RESOURCES)) for url in api)
    assert all(url.startswith(tuple(f"/{lang}/" for lang in LANGUAGES)) for url in pages)
    assert len(api) > 300 and len(pages) > 500
