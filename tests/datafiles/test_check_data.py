"""check_data: the same checks as load_kb, no database writes, exit status 1 on a problem."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from datafiles.checks import check_directory
from datafiles.registry import FILE_TYPES
from tests.recorded import records

from .conftest import edit

SOURCES = """\
- id: article
  kind: article
  citation:
    value: Legal regulation of migration processes
    sources:
      - source: article
        confidence: article
        locator: Header
        quote: {quote}
"""


def manage(*args):
    env = {**os.environ, "DJANGO_SECRET_KEY": "check-data-test"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_check_data_passes_on_the_real_data():
    result = manage("check_data")
    assert result.returncode == 0, result.stderr
    every_record = sum(len(records(kind.label)) for kind in FILE_TYPES)  # 917 on 2026-12-02
    assert f"{every_record} records in" in result.stdout and "are valid" in result.stdout


@pytest.mark.slow
def test_check_data_fails_on_a_bad_file_with_exit_status_1(data_dir):
    edit(data_dir, "agreements/kz-ch-readmission.yaml", lambda data: data.update(place_signed=12))
    result = manage("check_data", "--data-dir", str(data_dir))
    assert result.returncode == 1
    # The last lines: a warning may come first (no article beside a fresh clone, for instance).
    assert result.stderr.splitlines()[-2:] == [
        "CommandError: The data files have problems (1):",
        "agreements/kz-ch-readmission.yaml: place_signed: 12 is not of type 'string'",
    ]


def small(tmp_path, quote):
    (tmp_path / "sources.yaml").write_text(SOURCES.format(quote=quote), encoding="utf-8")
    article = tmp_path / "article.md"
    article.write_text(
        "# Legal regulation of *migration* processes\n\nSee [the law](https://adilet.zan.kz/x).\n", encoding="utf-8"
    )
    return tmp_path, article


def test_article_quotes_must_stand_in_the_article(tmp_path):
    directory, article = small(tmp_path, "Legal regulation of migration processes")
    assert check_directory(directory, article)[1:] == ([], [])  # as a reader sees it: emphasis removed
    directory, article = small(tmp_path, "See https://adilet.zan.kz/x")
    assert check_directory(directory, article)[1] == []  # a link, as printed
    directory, article = small(tmp_path, "Legal regulation of labour migration")
    _reader, problems, _warnings = check_directory(directory, article)
    assert [str(p) for p in problems] == [
        "sources.yaml: [0].citation.sources[0].quote: not found verbatim in the article"
    ]


def test_without_the_article_quotes_are_not_checked_and_a_warning_says_so(tmp_path, settings):
    directory, _article = small(tmp_path, "Legal regulation of labour migration")
    settings.KB_ARTICLE_PATH = str(tmp_path / "absent.md")
    _reader, problems, warnings = check_directory(directory)
    assert problems == []
    assert warnings == [
        f"The article was not found at {tmp_path / 'absent.md'}: quotes marked 'confidence: article' "
        "were not checked against it (set KB_ARTICLE_PATH)."
    ]


def test_a_stray_file_and_a_misnamed_record_are_problems(data_dir):
    (data_dir / "instruments" / "eu-dir-2003-86.yaml").rename(data_dir / "instruments" / "family.yaml")
    (data_dir / "notes.yml").write_text("a: 1\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("check_data", data_dir=str(data_dir))
    lines = str(error.value).splitlines()
    assert "instruments/family.yaml: id: the file of 'eu-dir-2003-86' is named instruments/eu-dir-2003-86.yaml" in lines
    assert "notes.yml: (file): not a data file here (see docs/data-entry.md for the layout)" in lines
