"""What a first-time reader noticed, fixed and checked with the real knowledge base: one date
format per language everywhere, the reported status where the computed one is unknown, no
empty "Status as reported" row, subject labels in the page's language."""

import datetime
import re

import pytest
from django.utils import translation

from core.dates import written_date
from core.lifecycle import Precision
from instruments.models import Instrument
from subjects.models import Subject

from .test_pages import text_of

pytestmark = pytest.mark.django_db

# Django's DATE_FORMAT in English ("Dec. 1, 2026", "Nov. 28, 2006"): never on a page.
DJANGO_DEFAULT_DATE = re.compile(r"\b(Jan|Feb|Aug|Sept|Oct|Nov|Dec)\. \d{1,2}, \d{4}")


@pytest.mark.parametrize(
    "lang, day, month, year",
    [
        ("en", "10 December 2009", "December 2009", "2009"),
        ("ru", "10 декабря 2009 г.", "декабрь 2009 г.", "2009 г."),
        ("kk", "2009 ж. 10 желтоқсан", "2009 ж. желтоқсан", "2009 ж."),
    ],
)
def test_one_written_date_per_language(lang, day, month, year):
    date = datetime.date(2009, 12, 10)
    with translation.override(lang):
        assert written_date(date, Precision.DAY) == day
        assert written_date(date, Precision.MONTH) == month
        assert written_date(date, Precision.YEAR) == year
        assert written_date(None, Precision.DAY) == written_date(date, Precision.UNKNOWN) == ""


@pytest.mark.parametrize(
    "url",
    ["/en/map/", "/en/timeline/", "/en/instruments/", "/en/agreements/", "/en/instruments/eu-dir-2009-50/"],
)
def test_no_page_writes_djangos_default_date_format(client, kb, pinned_today, url):
    response = client.get(url)
    assert response.status_code == 200
    assert not DJANGO_DEFAULT_DATE.search(text_of(response)), DJANGO_DEFAULT_DATE.search(text_of(response))


def test_map_and_pages_write_dates_alike(client, kb, pinned_today):
    """The map's table, the timeline and the agreement page write Germany's agreement dates the same way."""
    agreement = client.get("/en/agreements/kz-de-readmission/")
    signed = re.search(r"Signed</dt><dd><time datetime=\"[\d-]+\">([^<]+)</time>", agreement.content.decode()).group(1)
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", signed)
    assert f"signed {signed}" in text_of(client.get("/en/map/"))
    assert signed in text_of(client.get("/en/timeline/?country=DE"))
    assert "status on 26 November 2026" in text_of(client.get("/en/map/"))
    assert "26 ноября 2026 г." in text_of(client.get("/ru/map/"))
    assert "2026 ж. 26 қараша" in text_of(client.get("/kk/timeline/"))


def test_last_updated_is_written_like_every_other_date(client, kb):
    instrument = Instrument.objects.get(pk="eu-dir-2009-50")
    expected = written_date(instrument.updated_at.date(), language="en")
    assert f"Last updated: {expected}" in text_of(client.get("/en/instruments/eu-dir-2009-50/"))


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_unknown_computed_status_shows_the_reported_status(client, kb, pinned_today, lang):
    instrument = Instrument.objects.annotate_status().get(pk="kz-zakon-2020-327-vi")
    assert instrument.computed_status == "unknown" and instrument.status_note
    page = client.get(f"/{lang}/instruments/kz-zakon-2020-327-vi/").content.decode()
    status_box = re.search(r'<section class="status-box".*?</section>', page, re.S).group(0)
    assert "status-reported" in status_box
    assert "Reported in force as an amending act" in status_box
    assert "status-unknown" not in status_box  # no bare "unknown" badge beside the note


def test_known_computed_status_keeps_its_badge_and_the_note(client, kb, pinned_today):
    page = client.get("/en/instruments/eu-dir-2009-50/").content.decode()
    status_box = re.search(r'<section class="status-box".*?</section>', page, re.S).group(0)
    assert "status-no_longer_in_force" in status_box and "status-reported" not in status_box


def test_no_empty_status_as_reported_row(client, kb):
    # No note and no source about one: no row at all.
    bare = Instrument.objects.filter(status_note="").exclude(provenance__field="status_note").first()
    assert bare is not None
    assert "Status as reported" not in client.get(f"/en/instruments/{bare.pk}/").content.decode()
    # A note: the row says it.
    page = client.get("/en/instruments/kz-zakon-2020-327-vi/").content.decode()
    row = re.search(r"<dt>Status as reported</dt><dd>(.*?)</dd>", page, re.S).group(1)
    assert row.startswith("Reported in force as an amending act")
    # Sources that looked and found none: the row says "not found", with them.
    page = client.get("/en/instruments/kz-pp-2011-1427/").content.decode()
    row = re.search(r"<dt>Status as reported</dt><dd>(.*?)</dd>", page, re.S).group(1)
    assert row.startswith('<span class="unknown">not found</span>')


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_subject_labels_in_the_pages_language(client, kb, lang):
    instrument = Instrument.objects.get(pk="eu-dir-2009-50")
    subjects = list(instrument.subjects.all())
    assert subjects
    page = client.get(f"/{lang}/instruments/eu-dir-2009-50/").content.decode()
    tags = re.search(r"<ul class=\"tags\">(.*?)</ul>", page, re.S).group(1)
    for subject in subjects:
        label = getattr(subject, f"label_{lang}")
        assert label and label in tags
        assert f">{subject.label_en}<" not in tags
    # The list's subject filter, too.
    subject = Subject.objects.get(pk=subjects[0].pk)
    listing = client.get(f"/{lang}/instruments/").content.decode()
    assert getattr(subject, f"label_{lang}") in listing
