"""The Nu HTML Checker (vnu-jar from npm) over the server's HTML of every page type, in
every language, plus the pages that answer bad input with 400: no errors.

All pages go to one vnu run (the JVM start costs seconds).
"""

import json
import subprocess

import pytest

from .conftest import LANGUAGES, main_pages

EXTRA_PAGES = {
    "map-on-a-date": ("/en/map/?on=2016-01-01", 200),
    "map-bad-date": ("/en/map/?on=2016-13-45", 400),
    "timeline-filtered": ("/en/timeline/?country=DE", 200),
    "timeline-bad-filter": ("/en/timeline/?status=sometimes", 400),
    "agreements-filtered": ("/en/agreements/?member_of=eu", 200),
    "instruments-search": ("/en/instruments/?q=2009%2F50", 200),
    "instruments-new-filters": ("/en/instruments/?jurisdiction=un&in_force_for_kazakhstan_on=2000-01-01", 200),
    "instrument-bad-date": ("/en/instruments/eu-reg-2024-1348/?on=2026-02-30", 400),
    "agreements-by-type": ("/en/agreements/?type=readmission&country=UZ", 200),
    "map-bad-type": ("/en/map/?type=visa", 400),
    "timeline-bad-period": ("/en/timeline/?from_year=2020&to_year=2010", 400),
}


@pytest.mark.slow
def test_every_page_type_is_valid_html(kb, client, vnu_command, tmp_path):
    files = {}
    pages = {
        f"{language}-{name}": (f"/{language}{path}", 200)
        for language in LANGUAGES
        for name, path in main_pages().items()
    }
    pages.update(EXTRA_PAGES)
    for name, (url, status) in pages.items():
        response = client.get(url)
        assert response.status_code == status, f"{url} answered {response.status_code}"
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files[path.name] = url
    run = subprocess.run(
        vnu_command + sorted(str(tmp_path / f"{name}.html") for name in pages),
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(run.stdout or run.stderr)
    errors = [
        f"{files.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))} line {m.get('lastLine')}: {m['message']} "
        f"[{(m.get('extract') or '').strip()[:100]}]"
        for m in report["messages"]
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert errors == []
