"""Fixtures for the datafiles tests: a copy of the real data, or a small one; the data package export_kb writes."""

import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

from datafiles.yamlio import parse, render


@pytest.fixture
def data_dir(tmp_path):
    """A copy of the real data files, to break one at a time."""
    target = tmp_path / "data"
    shutil.copytree(settings.BASE_DIR / "fixtures", target, ignore=shutil.ignore_patterns("schema"))
    return target


@pytest.fixture(scope="session")
def release(django_db_setup, django_db_blocker, tmp_path_factory):
    """The data package export_kb writes, once per session (the tests read it, or copy it to break it)."""
    out = tmp_path_factory.mktemp("release")
    with django_db_blocker.unblock():
        call_command("export_kb", str(out), verbosity=0)
    return out


def edit(directory, relative, change):
    """Parse a data file, let `change` alter the data, write it back canonically."""
    path = directory / relative
    data = parse(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(render(data), encoding="utf-8")
